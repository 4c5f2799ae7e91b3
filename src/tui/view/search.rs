//! The Search pane: the form (compact inputs on one or two rows, errors under them) and one
//! page of results with prices.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::owned::window;
use super::text::{fit, opt, safe, thousands, width};
use super::widgets::{block, input};
use crate::api::model::features_label;
use crate::app::{App, Context, SearchPane};
use crate::tui::theme::Theme;

/// Input widths of the five fields: country, type, features, pattern, match.
const INPUT_WIDTHS: [u16; 5] = [4, 18, 13, 15, 10];
const GAP: u16 = 3;

/// One field's place: (field index, x offset, row) inside the form.
fn placement(s: &SearchPane, w: u16) -> Vec<(usize, u16, u16)> {
    let mut out = Vec::new();
    let (mut x, mut row) = (0u16, 0u16);
    for (i, f) in s.form.fields.iter().enumerate() {
        let fw = field_width(f.label, i);
        if x > 0 && x + fw > w {
            x = 0;
            row += 1;
        }
        out.push((i, x, row));
        x += fw + GAP;
    }
    out
}

fn field_width(label: &str, i: usize) -> u16 {
    1 + width(label) as u16 + 1 + INPUT_WIDTHS.get(i).copied().unwrap_or(10)
}

/// Height of the form block at this width: input rows, a message line, borders.
pub(super) fn form_height(s: &SearchPane, w: u16) -> u16 {
    let rows = placement(s, w.saturating_sub(2))
        .last()
        .map_or(1, |p| p.2 + 1);
    rows + 1 + 2
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &app.search;
    let [form_area, results_area] = Layout::vertical([
        Constraint::Length(form_height(s, area.width)),
        Constraint::Fill(1),
    ])
    .areas(area);
    draw_form(app, theme, frame, form_area);
    draw_results(app, theme, frame, results_area);
}

fn draw_form(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &app.search;
    let typing = app.context() == Context::SearchForm;
    let b = block(" Search available numbers ", theme).border_style(if app.search_form_open() {
        theme.border
    } else {
        theme.border_dim
    });
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let places = placement(s, inner.width);
    let mut last_row = 0;
    for (i, x, row) in places {
        let f = &s.form.fields[i];
        let focused = app.search_form_open() && s.form.focus == i;
        let bad = !f.value().trim().is_empty() && f.error().is_some();
        let y = inner.y + row;
        if y >= inner.bottom() {
            break;
        }
        last_row = row;
        let label_style = if bad {
            theme.error
        } else if focused {
            theme.label_focused
        } else {
            theme.label
        };
        let marker = if focused { "▸" } else { " " };
        let label = Line::from(vec![
            Span::styled(marker, theme.label_focused),
            Span::styled(f.label, label_style),
        ]);
        let lw = 1 + width(f.label) as u16;
        let at = Rect::new(inner.x + x, y, lw.min(inner.width.saturating_sub(x)), 1);
        frame.render_widget(Paragraph::new(label), at);
        let iw = INPUT_WIDTHS.get(i).copied().unwrap_or(10);
        let field = Rect::new(at.x + lw + 1, y, iw, 1).intersection(inner);
        let style = if focused {
            theme.input_focused
        } else {
            theme.input
        };
        input(frame, field, &f.input, style, focused && typing);
    }
    // The message line: errors first, else what the focused field takes.
    let y = inner.y + last_row + 1;
    if y < inner.bottom() {
        let line = Rect::new(inner.x, y, inner.width, 1);
        let errors: Vec<String> = s
            .form
            .fields
            .iter()
            .filter(|f| !f.value().trim().is_empty())
            .filter_map(|f| f.error().map(|e| format!("{}: {}", f.label, safe(&e))))
            .collect();
        let text = if !errors.is_empty() {
            Line::styled(
                fit(&format!("✗ {}", errors.join(" · ")), line.width as usize),
                theme.error,
            )
        } else if app.search_form_open() {
            let f = &s.form.fields[s.form.focus.min(s.form.fields.len().saturating_sub(1))];
            Line::styled(
                fit(&format!("{}: {}", f.label, f.hint), line.width as usize),
                theme.dim,
            )
        } else {
            Line::default()
        };
        frame.render_widget(Paragraph::new(text), line);
    }
}

fn draw_results(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let s = &app.search;
    let mut title = vec![Span::styled(" Results", theme.heading)];
    if let (Some(page), Some(q)) = (&s.results, &s.query) {
        title.push(Span::raw(format!(
            " — page {} of {} ({} numbers)",
            q.index,
            thousands(s.pages()),
            thousands(page.count)
        )));
    }
    if s.sort != crate::app::search::ResultSort::Api {
        let arrow = if s.reverse { "↑" } else { "↓" };
        title.push(Span::raw(format!(" · by {} {arrow}", s.sort.label())));
    }
    if s.in_flight.is_some() {
        title.push(Span::styled(" · searching…", theme.spinner));
    }
    title.push(Span::raw(" "));
    let b = block(Line::from(title), theme).border_style(if app.search_form_open() {
        theme.border_dim
    } else {
        theme.border
    });
    let inner = b.inner(area);
    let numbers = s
        .results
        .as_ref()
        .map(|p| p.numbers.as_slice())
        .unwrap_or(&[]);
    if numbers.is_empty() {
        frame.render_widget(b, area);
        let text = match (&s.results, s.in_flight) {
            (None, None) => &format!(
                "Fill in a country and press {}",
                app.keys.of(crate::app::Cmd::Submit)
            ),
            (None, Some(_)) => "Searching…",
            (Some(_), _) => "No numbers match",
        };
        if inner.height > 0 {
            let line = Rect {
                y: inner.y + inner.height / 2,
                height: 1,
                ..inner
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.dim).centered()),
                line,
            );
        }
        return;
    }
    let mut widths = vec![15u16, 3, 18, 13, 9, 9];
    let mut titles = vec!["MSISDN", "CC", "TYPE", "FEATURES", "MONTHLY €", "SETUP €"];
    let used: u16 = widths.iter().sum::<u16>() + 2 * (widths.len() as u16 - 1);
    let notes = inner.width.saturating_sub(used + 2);
    if notes >= 12 {
        widths.push(notes);
        titles.push("LIMITATIONS");
    }
    let rows_h = inner.height.saturating_sub(1) as usize;
    let off = window(s.offset, s.selected, rows_h, numbers.len());
    let end = (off + rows_h).min(numbers.len());
    let money = |o: &Option<String>, w: u16| {
        let v = o.as_deref().map(safe).unwrap_or_else(|| "—".into());
        Cell::from(Line::from(fit(&v, w as usize)).right_aligned())
    };
    let rows = numbers[off..end].iter().map(|n| {
        let kind = n
            .number_type
            .as_ref()
            .map(|t| safe(t.as_str()))
            .unwrap_or_default();
        let mut cells = vec![
            Cell::from(fit(&opt(&n.msisdn), 15)),
            Cell::from(fit(&opt(&n.country), 3)),
            Cell::from(fit(&kind, 18)),
            Cell::from(fit(&safe(&features_label(&n.features)), 13)),
            money(&n.cost, 9),
            money(&n.initial_price, 9),
        ];
        if notes >= 12 {
            let l: Vec<String> = n.limitations.iter().map(|l| safe(&l.to_string())).collect();
            cells.push(Cell::from(fit(&l.join(", "), notes as usize)));
        }
        Row::new(cells)
    });
    let header = Row::new(titles.iter().enumerate().map(|(i, t)| {
        if i == 4 || i == 5 {
            Cell::from(Line::from(*t).right_aligned())
        } else {
            Cell::from(*t)
        }
    }))
    .style(theme.table_header);
    let table = Table::new(rows, widths.into_iter().map(Constraint::Length))
        .header(header)
        .column_spacing(2)
        .block(b)
        .row_highlight_style(theme.selected);
    let selected = (!app.search_form_open()).then(|| s.selected.saturating_sub(off));
    let mut state = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
}
