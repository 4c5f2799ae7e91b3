//! The Owned pane: a table of the numbers shown (only the visible rows are built), the sort
//! column marked, counts and loading progress in the title, the filter line under it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::scrollbar;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table, TableState,
};

use super::columns::{columns, share_by_content};
use super::text::{fit, fit_middle, safe, thousands};
use super::widgets::{block, input};
use crate::app::{App, Column, Context, Layer};
use crate::tui::theme::Theme;

/// The mark of a row whose number has a change in flight (a save, a buy, a cancel, a run).
pub const SAVING: &str = "↻";

/// The first row to show so that `selected` is visible in `rows` rows, starting from the
/// app's offset.
pub fn window(offset: usize, selected: usize, rows: usize, len: usize) -> usize {
    let rows = rows.max(1);
    let mut off = offset.min(len.saturating_sub(rows));
    if selected < off {
        off = selected;
    } else if selected >= off + rows {
        off = selected + 1 - rows;
    }
    off
}

/// True when the filter line is drawn under the table.
pub fn filter_line(app: &App) -> bool {
    app.screen.has(|l| matches!(l, Layer::Filter)) || !app.owned.filter.value().is_empty()
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let o = &app.owned;
    let [table_area, filter_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(filter_line(app) as u16),
    ])
    .areas(area);
    let mut b = block(title(app, theme), theme);
    if !o.shown.is_empty() {
        let pos = format!(
            " {} of {} ",
            thousands(o.selected as u64 + 1),
            thousands(o.shown.len() as u64)
        );
        b = b.title_bottom(Line::styled(pos, theme.dim).right_aligned());
    }
    let inner = b.inner(table_area);

    if o.shown.is_empty() {
        frame.render_widget(b, table_area);
        let text = empty_message(app);
        let y = inner.y + inner.height / 2;
        if inner.height > 0 {
            let line = Rect {
                y,
                height: 1,
                ..inner
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.dim).centered()),
                line,
            );
        }
    } else {
        let rows_h = inner.height.saturating_sub(1) as usize;
        let off = window(o.offset, o.selected, rows_h, o.shown.len());
        let end = (off + rows_h).min(o.shown.len());
        // The mark column is there while something is marked or a row shown has a change in
        // flight: that row shows `SAVING` there (and takes the activity colour).
        let marked = !app.marks.is_empty();
        let saving = |n: &crate::api::OwnedNumber| {
            n.msisdn
                .as_deref()
                .is_some_and(|m| app.change_in_flight(m).is_some())
        };
        let marking = marked
            || (app.changes_in_flight() > 0
                && o.shown[off..end]
                    .iter()
                    .any(|&i| saving(&o.numbers[i as usize])));
        let mark_w = if marking { 2 } else { 0 };
        let mut cols = columns(inner.width.saturating_sub(mark_w));
        // The rows shown decide which flexible column gets the room the others do not use.
        share_by_content(&mut cols, |c| {
            let title = super::text::width(c.title()) + 1;
            o.shown[off..end]
                .iter()
                .map(|&i| super::text::width(&safe(&o.cell_text(i as usize, c))))
                .fold(title, usize::max)
                .min(u16::MAX as usize) as u16
        });
        let mark_title = marking.then(|| Cell::from(if marked { "✓" } else { " " }));
        let header = Row::new(mark_title.into_iter().chain(cols.iter().map(|(c, _)| {
            let mut t = c.title().to_string();
            if *c == o.sort {
                t.push(if o.reverse { '▼' } else { '▲' });
            }
            Cell::from(t)
        })))
        .style(theme.table_header);
        let rows = o.shown[off..end].iter().map(|&i| {
            let n = &o.numbers[i as usize];
            let m = n.msisdn.as_deref();
            let saving = marking && saving(n);
            let mark = marking.then(|| {
                if saving {
                    return Cell::from(SAVING).style(theme.spinner);
                }
                let on = m.is_some_and(|m| app.marks.contains(m));
                Cell::from(if on { "●" } else { " " }).style(theme.key)
            });
            let row = Row::new(
                mark.into_iter().chain(
                    cols.iter()
                        .map(|(c, w)| Cell::from(cell(o, i as usize, *c, *w as usize))),
                ),
            );
            if saving {
                row.style(theme.spinner)
            } else {
                row
            }
        });
        let mark_col = marking.then_some(Constraint::Length(1));
        let widths = mark_col
            .into_iter()
            .chain(cols.iter().map(|(_, w)| Constraint::Length(*w)));
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .block(b)
            .row_highlight_style(theme.selected);
        let mut state = TableState::default().with_selected(Some(o.selected.saturating_sub(off)));
        frame.render_stateful_widget(table, table_area, &mut state);
        if o.shown.len() > rows_h && rows_h > 0 {
            let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .symbols(scrollbar::VERTICAL)
                .begin_symbol(None)
                .end_symbol(None)
                .track_style(theme.border)
                .thumb_style(theme.border);
            let mut st = ScrollbarState::new(o.shown.len() - rows_h + 1)
                .position(off)
                .viewport_content_length(rows_h);
            let bar_area = Rect {
                x: table_area.right().saturating_sub(1),
                y: inner.y + 1,
                width: 1,
                height: rows_h as u16,
            };
            frame.render_stateful_widget(bar, bar_area, &mut st);
        }
    }

    if filter_area.height > 0 {
        let typing = app.context() == Context::OwnedFilter;
        let prompt = Span::styled("/ ", theme.key);
        frame.render_widget(Paragraph::new(Line::from(prompt)), filter_area);
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
        input(frame, field, &o.filter, style, typing);
    }
}

/// One cell: URLs keep their scheme and are cut in the middle, where they differ least.
fn cell(o: &crate::app::OwnedPane, i: usize, c: Column, w: usize) -> String {
    let text = safe(&o.cell_text(i, c));
    match c {
        Column::SmsUrl | Column::Voice => fit_middle(&text, w),
        Column::App => fit_keeping_suffix(&text, w),
        _ => fit(&text, w),
    }
}

/// An application's name cut at the end, its id suffix (`Name (3f2a9c1d)`, when two share the
/// name) kept whole while there is room for a little of the name.
fn fit_keeping_suffix(text: &str, w: usize) -> String {
    if let Some(at) = text.rfind(" (")
        && text.ends_with(')')
    {
        let (name, suffix) = text.split_at(at);
        let room = w.saturating_sub(super::text::width(suffix));
        if super::text::width(text) > w && room >= 4 {
            return format!("{}{suffix}", fit(name, room));
        }
    }
    fit(text, w)
}

fn title<'a>(app: &App, theme: &Theme) -> Line<'a> {
    let o = &app.owned;
    let mut spans = vec![Span::styled(" Owned", theme.heading)];
    if !o.numbers.is_empty() {
        spans.push(Span::raw(format!(
            " — {} shown of {}",
            thousands(o.shown.len() as u64),
            thousands(o.numbers.len() as u64)
        )));
    }
    if !app.marks.is_empty() {
        spans.push(Span::styled(
            format!(" · {} marked", thousands(app.marks.len() as u64)),
            theme.key,
        ));
    }
    if let Some(run) = &app.bulk.run
        && !app.screen.has(|l| matches!(l, Layer::Run(_)))
    {
        spans.push(Span::styled(super::bulk::title_badge(run), theme.spinner));
    }
    let f = &o.server_filter;
    let mut api: Vec<String> = Vec::new();
    if let Some(c) = &f.country {
        api.push(safe(c));
    }
    if let Some(a) = &f.application_id {
        api.push(format!("app {}", fit(&safe(a), 13)));
    }
    match f.has_application {
        Some(true) => api.push("linked".into()),
        Some(false) => api.push("unlinked".into()),
        None => {}
    }
    if !api.is_empty() {
        spans.push(Span::styled(
            format!(" · API filter: {}", api.join(", ")),
            theme.warn,
        ));
    }
    if let Some(c) = &o.cached {
        spans.push(Span::styled(
            format!(
                " · cached {} ago",
                crate::cache::age_label(c.age_at(app.now))
            ),
            theme.warn,
        ));
    }
    if o.stale && o.loading.is_none() {
        spans.push(Span::styled(" · STALE: the refresh failed", theme.error));
    }
    if let Some(short) = &o.incomplete {
        spans.push(Span::styled(
            format!(
                " · NOT WHOLE: {} of {} numbers",
                thousands(short.arrived as u64),
                thousands(short.counted)
            ),
            theme.error,
        ));
    }
    if let Some(l) = &o.loading {
        let text = match &l.progress {
            Some(p) => format!(" · loading {}/{} pages", p.pages_done, p.pages_total),
            None => " · loading…".to_string(),
        };
        spans.push(Span::styled(text, theme.spinner));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

fn empty_message(app: &App) -> String {
    let o = &app.owned;
    let key = |c: crate::app::Cmd| app.keys.of(c);
    if !o.numbers.is_empty() {
        "No numbers match the filter".into()
    } else if o.loading.is_some() {
        "No numbers yet — loading…".into()
    } else if !o.loaded {
        format!(
            "No numbers loaded — press {} to retry",
            key(crate::app::Cmd::Refresh)
        )
    } else if o.server_filter != Default::default() {
        "No numbers match the API filter".into()
    } else {
        format!(
            "This account has no numbers yet — buy one in the Search pane ({})",
            key(crate::app::Cmd::ShowSearch)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keeps_the_selection_visible() {
        assert_eq!(window(0, 0, 10, 100), 0);
        assert_eq!(window(0, 15, 10, 100), 6);
        assert_eq!(window(50, 40, 10, 100), 40);
        assert_eq!(window(95, 99, 10, 100), 90);
    }
}
