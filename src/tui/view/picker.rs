//! The application picker: a line to type in, and the applications it matches (name, id,
//! capabilities), the selected one reversed; unlink first, a typed id last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::owned::window;
use super::text::{fit, safe};
use super::widgets::{block, popup, query_line};
use crate::app::layer::{AppPicker, Pick};
use crate::app::{App, Context};
use crate::tui::theme::Theme;

pub fn draw(app: &App, p: &AppPicker, theme: &Theme, frame: &mut Frame, area: Rect) {
    let items = app.picker_items(p.query.value());
    let w = 76.min(area.width.saturating_sub(4)).max(20);
    let note = match (&app.apps.unavailable, app.apps.loaded) {
        (Some(why), _) => Some(format!(
            " the applications cannot be read ({why}): type an id"
        )),
        (None, false) => Some(" the applications are still loading: type an id, or wait".into()),
        (None, true) => None,
    };
    let h = (items.len() as u16 + 4 + note.is_some() as u16).clamp(6, area.height.max(6));
    let rect = popup(frame, area, w, h);
    let b = block(" Link to an application ", theme);
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    if inner.height < 3 {
        return;
    }
    let typing = app.context() == Context::AppPicker;
    query_line(frame, inner, ">", &p.query, typing, theme);
    let mut top = inner.y + 2;
    if let Some(note) = note {
        let at = Rect {
            y: inner.y + 1,
            height: 1,
            ..inner
        };
        let note = fit(&safe(&note), inner.width as usize);
        frame.render_widget(Paragraph::new(Line::styled(note, theme.warn)), at);
        top += 1;
    }
    let list = Rect {
        y: top,
        height: inner.bottom().saturating_sub(top),
        ..inner
    };
    let room = list.width as usize;
    let rows = list.height as usize;
    let first = window(0, p.selected, rows, items.len());
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, pick)| {
            let line = match pick {
                Pick::Unlink => Line::styled(" (no application: unlink)", theme.dim),
                Pick::Typed(t) => Line::from(vec![
                    Span::raw(" use the id "),
                    Span::styled(fit(&safe(t), room.saturating_sub(13)), theme.key),
                ]),
                Pick::App { id, shown } => {
                    let caps = app
                        .apps
                        .get(id)
                        .map(|a| a.capabilities.join(","))
                        .unwrap_or_default();
                    let name_w = room.saturating_sub(2) / 2;
                    let caps_w = room.saturating_sub(name_w + 2) / 3;
                    let id_w = room.saturating_sub(name_w + caps_w + 3);
                    Line::from(vec![
                        Span::raw(format!(" {:<name_w$}", fit(&safe(shown), name_w))),
                        Span::styled(
                            format!(" {:<caps_w$}", fit(&safe(&caps), caps_w)),
                            theme.dim,
                        ),
                        Span::styled(format!(" {}", fit(&safe(id), id_w)), theme.dim),
                    ])
                }
            };
            if i == p.selected {
                line.patch_style(theme.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
