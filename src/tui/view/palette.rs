//! The command palette: a line to type in, and the matching commands of the layer under it
//! with their keys, the selected one reversed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::owned::window;
use super::text::{fit, width};
use super::widgets::{block, popup, query_line};
use crate::app::palette::Palette;
use crate::app::{App, Context};
use crate::tui::theme::Theme;

pub fn draw(app: &App, p: &Palette, theme: &Theme, frame: &mut Frame, area: Rect) {
    let items = app.palette_items(p.query.value());
    let w = 64.min(area.width.saturating_sub(4)).max(20);
    let h = (items.len() as u16 + 4).clamp(5, area.height.max(5));
    let rect = popup(frame, area, w, h);
    let b = block(" Commands ", theme);
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    if inner.height < 2 {
        return;
    }
    let typing = app.context() == Context::Palette;
    query_line(frame, inner, ":", &p.query, typing, theme);
    let list = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(2),
        ..inner
    };
    if items.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(" no command matches", theme.dim)),
            list,
        );
        return;
    }
    let key_w = items.iter().map(|(k, _)| width(k)).max().unwrap_or(1);
    let rows = list.height as usize;
    let first = window(0, p.selected, rows, items.len());
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, (k, c))| {
            let desc = fit(
                c.describe(),
                (list.width as usize).saturating_sub(key_w + 3),
            );
            let line = Line::from(vec![
                Span::styled(format!(" {k:>key_w$}"), theme.key),
                Span::raw(format!("  {desc}")),
            ]);
            if i == p.selected {
                line.patch_style(theme.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
