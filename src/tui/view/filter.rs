//! The API filter form of the Owned pane (country, application, linked or not), as a popup
//! over the table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::form;
use super::widgets::{block, popup};
use crate::app::{App, Context, Form};
use crate::tui::theme::Theme;

pub fn draw(app: &App, f: &Form, theme: &Theme, frame: &mut Frame, area: Rect) {
    let h = form::height(f, true) + 4;
    let rect = popup(frame, area, 72.min(area.width.saturating_sub(4)), h);
    let b = block(" API filters ", theme);
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    let note = Line::styled(
        " Applied by the server on the next load; empty = any.",
        theme.dim,
    );
    frame.render_widget(Paragraph::new(note), Rect { height: 1, ..inner });
    let fields = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(2),
        ..inner
    };
    let typing = app.context() == Context::ServerFilter;
    form::draw(frame, fields, f, None, typing, theme);
}
