//! The edit form of one number: each field with its input, hint and inline error.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::form;
use super::text::safe;
use super::widgets::{block, form_note, key};
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
        form_note(frame, &mut inner, &note, theme);
    }
    let typing = app.context() == Context::Edit;
    let hint = |i: usize| app_hint(app, keymap, Context::Edit, &e.form, i);
    form::draw_with(
        frame,
        inner,
        &e.form,
        (e.error.as_ref(), &hint),
        typing,
        theme,
    );
}

/// The application field's hint: the app its id names, and the key of the picker.
pub(super) fn app_hint(
    app: &App,
    keymap: &Keymap,
    ctx: Context,
    form: &crate::app::Form,
    i: usize,
) -> Option<String> {
    if i != crate::app::edit::APP_ID {
        return None;
    }
    let id = form.value(i).trim();
    let pick = keymap
        .key_in(ctx, Cmd::PickApp)
        .map(|k| format!("{k}: pick from the list"));
    let named = (!id.is_empty() && id != crate::app::bulk::REMOVE)
        .then(|| app.apps.display(id))
        .filter(|shown| shown != id)
        .map(|shown| format!("→ {}", safe(&shown)));
    let parts: Vec<String> = named.into_iter().chain(pick).collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}
