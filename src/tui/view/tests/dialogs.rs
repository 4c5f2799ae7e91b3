//! The four dialogs.

use tui_input::Input;

use super::search::available;
use super::*;
use crate::app::edit::{SMS_URL, VOICE_TYPE, VOICE_VALUE};
use crate::app::{Dialog, Pane, Request};

#[test]
fn buy_dialog_live() {
    let mut app = loaded();
    app.target.live = true;
    app.target.base_url = "https://rest.nexmo.com".into();
    app.screen.show(Pane::Search);
    app.search.results = Some(crate::api::Page {
        count: 1,
        numbers: vec![available(0)],
    });
    app.screen
        .remove_where(|l| matches!(l, crate::app::Layer::SearchForm));
    cmd(&mut app, Cmd::Buy);
    assert!(matches!(
        app.dialog(),
        Some(Dialog::Buy {
            confirm_focused: false,
            ..
        })
    ));
    snap("dialog_buy", &app);
}

#[test]
fn cancel_dialog() {
    let mut app = loaded();
    cmd(&mut app, Cmd::CancelNumber);
    type_text(&mut app, "01");
    snap("dialog_cancel", &app);
}

#[test]
fn confirm_update_dialog() {
    let mut app = loaded();
    // The first number: a webhook and a tel voice callback.
    cmd(&mut app, Cmd::Edit);
    let e = app.edit_form_mut().unwrap();
    e.form.fields[SMS_URL].input = Input::new("https://hooks.example.com/v2/inbound-sms".into());
    e.form.fields[VOICE_TYPE].input = Input::default();
    e.form.fields[VOICE_VALUE].input = Input::default();
    cmd(&mut app, Cmd::Submit);
    assert!(matches!(app.dialog(), Some(Dialog::ConfirmUpdate { .. })));
    snap("dialog_confirm_update", &app);
}

#[test]
fn confirm_update_dialog_save_focused() {
    let mut app = loaded();
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Edit);
    let e = app.edit_form_mut().unwrap();
    e.form.fields[SMS_URL].input = Input::default();
    cmd(&mut app, Cmd::Submit);
    cmd(&mut app, Cmd::Toggle);
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn quit_dialog() {
    let mut app = loaded();
    app.pending.insert(
        99,
        Request::Cancel(crate::api::NumberRef::new("GB", "447700900100")),
    );
    app.spinner = 7;
    cmd(&mut app, Cmd::Quit);
    assert!(matches!(app.dialog(), Some(Dialog::Quit { .. })));
    snap("dialog_quit", &app);
}
