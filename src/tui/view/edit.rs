//! The edit form of one number: each field with its input, hint and inline error.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::form;
use super::text::{fit, safe};
use super::widgets::{block, key};
use crate::app::{App, Cmd, Context, EditForm};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub fn draw(
    app: &App,
    e: &EditForm,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let saving = if app.change_in_flight(&e.msisdn).is_some() {
        "— saving… "
    } else {
        ""
    };
    let title = format!(" Edit {} ({}) {saving}", safe(&e.msisdn), safe(&e.country));
    let b = block(title, theme);
    let mut inner = b.inner(area);
    frame.render_widget(b, area);
    // A line on what saving means, when there is room for it.
    if inner.height > form::height(&e.form, false) + 1 {
        let enter = key(keymap, Context::Edit, Cmd::Submit);
        let note = format!("Empty a field to remove it; {enter} reviews the change.");
        frame.render_widget(
            Paragraph::new(Line::styled(
                fit(&note, (inner.width as usize).saturating_sub(1)),
                theme.dim,
            )),
            Rect {
                x: inner.x + 1,
                height: 1,
                ..inner
            },
        );
        inner.y += 2;
        inner.height -= 2;
    }
    let typing = app.context() == Context::Edit;
    form::draw(frame, inner, &e.form, e.error.as_ref(), typing, theme);
}
