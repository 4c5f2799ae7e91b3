//! The Applications pane: a table of every application (name, capabilities, how many owned
//! numbers link to it, its answer and inbound webhooks), the selected one's webhooks in full
//! under it, the filter line; an application's numbers; the form of its webhooks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table, TableState};

use super::form;
use super::text::{fit, fit_middle, safe, thousands};
use super::widgets::{block, input, key};
use crate::api::apps::Application;
use crate::api::model::features_label;
use crate::app::apps::edit::AppEditForm;
use crate::app::apps::numbers::AppNumbers;
use crate::app::apps::pane::AppSort;
use crate::app::{App, Cmd, Context, Layer};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Below this height the selected application's webhooks are not shown under the table.
const DETAILS_FROM: u16 = 16;

/// True when the filter line is drawn under the table.
fn filter_line(app: &App) -> bool {
    app.screen.has(|l| matches!(l, Layer::AppsFilter)) || !app.apps_pane.filter.value().is_empty()
}

/// The columns' widths in `w` cells: name, capabilities, numbers, answer URL, inbound URL (0:
/// not shown).
fn widths(w: u16) -> [u16; 5] {
    let (caps, count) = (17, 8);
    if w >= 100 {
        let name = 24;
        let rest = w.saturating_sub(name + caps + count + 4);
        [name, caps, count, rest / 2, rest - rest / 2]
    } else if w >= 70 {
        let name = 22;
        [
            name,
            caps,
            count,
            w.saturating_sub(name + caps + count + 3),
            0,
        ]
    } else {
        [w.saturating_sub(caps + count + 2), caps, count, 0, 0]
    }
}

fn hook_cell(a: &Application, cap: &str, name: &str, w: usize) -> String {
    fit_middle(&safe(a.webhook(cap, name).unwrap_or("")), w)
}

/// Rows the box of the selected application's webhooks takes under the table.
fn details_height(app: &App, area: Rect) -> u16 {
    match app.selected_app() {
        Some(a) if area.height >= DETAILS_FROM => (a.webhooks.len() as u16 + 3).min(9),
        _ => 0,
    }
}

/// For a click: the first row of the table on screen, how many rows it shows, and the
/// index of the first one shown.
pub(super) fn table_rows(app: &App, area: Rect) -> (u16, usize, usize) {
    let h = area
        .height
        .saturating_sub(details_height(app, area) + filter_line(app) as u16);
    let rows = h.saturating_sub(3) as usize;
    let p = &app.apps_pane;
    let len = app.apps_shown().len();
    let off = super::owned::window(p.offset, p.selected.min(len.saturating_sub(1)), rows, len);
    (area.y + 2, rows, off)
}

pub fn draw(app: &App, keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rows = app.apps_shown();
    let selected = app.selected_app();
    let details = details_height(app, area);
    let [table_area, details_area, filter_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(details),
        Constraint::Length(filter_line(app) as u16),
    ])
    .areas(area);
    let mut b = block(title(app, rows.len(), theme), theme);
    if !rows.is_empty() {
        let pos = format!(
            " {} of {} ",
            app.apps_pane.selected.min(rows.len() - 1) + 1,
            rows.len()
        );
        b = b.title_bottom(Line::styled(pos, theme.dim).right_aligned());
    }
    let inner = b.inner(table_area);
    if rows.is_empty() {
        frame.render_widget(b, table_area);
        if inner.height > 0 {
            let line = Rect {
                y: inner.y + inner.height / 2,
                height: 1,
                ..inner
            };
            let text = fit(&empty_message(app, keymap), inner.width as usize);
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.dim).centered()),
                line,
            );
        }
    } else {
        let w = widths(inner.width);
        let p = &app.apps_pane;
        let titles = [
            AppSort::Name,
            AppSort::Capabilities,
            AppSort::Numbers,
            AppSort::Id,
            AppSort::Id,
        ];
        let mut names: Vec<String> = titles
            .iter()
            .map(|s| {
                let mut t = s.title().to_string();
                // Numbers sort most first: down unless reversed.
                let down = p.reverse != (*s == AppSort::Numbers);
                if *s == p.sort && *s != AppSort::Id {
                    t.push(if down { '▼' } else { '▲' });
                }
                t
            })
            .collect();
        names[3] = "ANSWER URL".into();
        names[4] = "INBOUND URL".into();
        if p.sort == AppSort::Id {
            names[0] = format!("NAME (by id{})", if p.reverse { '▼' } else { '▲' });
        }
        let header = Row::new(
            names
                .into_iter()
                .zip(w)
                .filter(|(_, w)| *w > 0)
                .map(|(t, w)| Cell::from(fit(&t, w as usize))),
        )
        .style(theme.table_header);
        let rows_h = inner.height.saturating_sub(1) as usize;
        let sel = p.selected.min(rows.len() - 1);
        let off = super::owned::window(p.offset, sel, rows_h, rows.len());
        let end = (off + rows_h).min(rows.len());
        let list = app.apps.list();
        let shown_names = app.apps.names();
        let body = rows[off..end].iter().map(|&(i, count)| {
            let a = &list[i];
            let cells = [
                fit(&safe(&shown_names[i]), w[0] as usize),
                fit(&safe(&a.capabilities.join(",")), w[1] as usize),
                format!("{:>width$}", thousands(count as u64), width = w[2] as usize),
                hook_cell(a, "voice", "answer_url", w[3] as usize),
                hook_cell(a, "messages", "inbound_url", w[4] as usize),
            ];
            Row::new(
                cells
                    .into_iter()
                    .zip(w)
                    .filter(|(_, w)| *w > 0)
                    .map(|(c, _)| Cell::from(c)),
            )
        });
        let constraints = w.iter().filter(|w| **w > 0).map(|w| Constraint::Length(*w));
        let table = Table::new(body, constraints)
            .header(header)
            .column_spacing(1)
            .block(b)
            .row_highlight_style(theme.selected);
        let mut state = TableState::default().with_selected(Some(sel - off));
        frame.render_stateful_widget(table, table_area, &mut state);
    }
    if let Some(a) = selected.filter(|_| details > 0) {
        draw_details(app, a, theme, frame, details_area);
    }
    if filter_area.height > 0 {
        let typing = app
            .screen
            .top()
            .is_some_and(|l| matches!(l, Layer::AppsFilter));
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled("/ ", theme.key))),
            filter_area,
        );
        let field = Rect {
            x: filter_area.x + 2,
            width: filter_area.width.saturating_sub(2),
            ..filter_area
        };
        let style = if typing {
            theme.input_focused
        } else {
            theme.label
        };
        input(frame, field, &app.apps_pane.filter, style, typing);
    }
}

/// The selected application's id and every webhook, with its method.
fn draw_details(app: &App, a: &Application, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = block(
        Span::styled(
            format!(" {} ", safe(&app.apps.display(&a.id))),
            theme.heading,
        ),
        theme,
    );
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let w = inner.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled(" id  ", theme.label),
        Span::raw(fit(&safe(&a.id), w.saturating_sub(5))),
    ])];
    for h in &a.webhooks {
        let name = format!(" {}.{} ", safe(&h.capability), safe(&h.name));
        let method = safe(h.http_method.as_deref().unwrap_or(""));
        let room = w.saturating_sub(name.chars().count() + method.chars().count() + 1);
        lines.push(Line::from(vec![
            Span::styled(name, theme.label),
            Span::styled(format!("{method} "), theme.dim),
            Span::raw(fit_middle(&safe(&h.address), room)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn title<'a>(app: &App, shown: usize, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled(" Applications", theme.heading)];
    let total = app.apps.list().len();
    if total > 0 {
        spans.push(Span::raw(format!(" — {shown} shown of {total}")));
    }
    if app.apps.loading.is_some() {
        spans.push(Span::styled(" · loading…", theme.spinner));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

fn empty_message(app: &App, keymap: &Keymap) -> String {
    let refresh = key(keymap, Context::Apps, Cmd::Refresh);
    match &app.apps.unavailable {
        Some(why) => format!("Applications unavailable: {}", safe(why)),
        None if app.apps.loading.is_some() => "Loading the applications…".into(),
        None if !app.apps.loaded => format!("No applications loaded — press {refresh}"),
        None if app.apps.list().is_empty() => "This account has no applications".into(),
        None => "No application matches the filter".into(),
    }
}

/// An application's numbers, over the pane.
pub fn draw_numbers(
    app: &App,
    l: &AppNumbers,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    frame.render_widget(Clear, area);
    let numbers = app.numbers_of_app(&l.app_id);
    let name = safe(&app.apps.display(&l.app_id));
    let mut b = block(
        Line::from(vec![
            Span::styled(format!(" Numbers of {name}"), theme.heading),
            Span::raw(format!(" — {} ", thousands(numbers.len() as u64))),
        ]),
        theme,
    );
    if !app.read_only {
        let k = |c| key(keymap, Context::AppNumbers, c);
        let hint = format!(
            " {} link the marked · {} unlink · {} edit webhooks ",
            k(Cmd::Link),
            k(Cmd::Unlink),
            k(Cmd::Edit)
        );
        b = b.title_bottom(Line::styled(hint, theme.dim));
    }
    let inner = b.inner(area);
    if numbers.is_empty() {
        frame.render_widget(b, area);
        if inner.height > 0 {
            let text = if app.owned.loaded {
                "No owned number is linked to this application"
            } else {
                "The owned numbers are still loading…"
            };
            let line = Rect {
                y: inner.y + inner.height / 2,
                height: 1,
                ..inner
            };
            frame.render_widget(
                Paragraph::new(Line::styled(fit(text, inner.width as usize), theme.dim).centered()),
                line,
            );
        }
        return;
    }
    let rows_h = inner.height.saturating_sub(1) as usize;
    let sel = l.selected.min(numbers.len() - 1);
    let off = super::owned::window(0, sel, rows_h, numbers.len());
    let end = (off + rows_h).min(numbers.len());
    let rest = inner.width.saturating_sub(2 + 15 + 3 + 13 + 4);
    let header = Row::new(["", "MSISDN", "CC", "FEATURES", "SMS URL"]).style(theme.table_header);
    let body = numbers[off..end].iter().map(|n| {
        let marked = n.msisdn.as_deref().is_some_and(|m| app.marks.contains(m));
        Row::new([
            Cell::from(if marked { "●" } else { " " }).style(theme.key),
            Cell::from(safe(n.msisdn.as_deref().unwrap_or(""))),
            Cell::from(safe(n.country.as_deref().unwrap_or(""))),
            Cell::from(fit(&safe(&features_label(&n.features)), 13)),
            Cell::from(fit_middle(
                &safe(n.mo_http_url.as_deref().unwrap_or("")),
                rest as usize,
            )),
        ])
    });
    let table = Table::new(
        body,
        [
            Constraint::Length(1),
            Constraint::Length(15),
            Constraint::Length(3),
            Constraint::Length(13),
            Constraint::Length(rest),
        ],
    )
    .header(header)
    .column_spacing(1)
    .block(b)
    .row_highlight_style(theme.selected);
    let mut state = TableState::default().with_selected(Some(sel - off));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The form of an application's webhooks.
pub fn draw_edit(
    app: &App,
    e: &AppEditForm,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    frame.render_widget(Clear, area);
    let saving = if app.app_change_in_flight(&e.id) {
        "— saving… "
    } else {
        ""
    };
    let b = block(format!(" Webhooks of {} {saving}", safe(&e.name)), theme);
    let mut inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.height > form::height(&e.form, false) + 1 {
        let enter = key(keymap, Context::Edit, Cmd::Submit);
        let note = format!(
            "METHOD URL (GET or POST; without one, the method is kept); {enter} reviews the change."
        );
        super::widgets::form_note(frame, &mut inner, &note, theme);
    }
    let typing = app.context() == Context::Edit;
    form::draw(frame, inner, &e.form, e.error.as_ref(), typing, theme);
}
