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
fn the_cancel_dialog_scrolls_by_keys_that_do_not_type_and_its_field_follows() {
    let mut app = loaded();
    cmd(&mut app, Cmd::CancelNumber);
    type_text(&mut app, "01");
    let (w, h) = (40, 11);
    sized(&mut app, w, h);
    assert!(app.scroll_max > 0, "{}", render(&app, w, h));
    let top = render(&app, w, h);
    assert!(top.contains("↓/↑/PgDn/PgUp scroll"), "{top}");
    assert!(top.contains("Cancel 1415555107"), "{top}");
    cmd(&mut app, Cmd::Bottom);
    cmd(&mut app, Cmd::PageDown);
    let bottom = render(&app, w, h);
    // The field moved up with its line, the typed digits in it; the last line shows.
    assert!(bottom.contains("▸ 01"), "{bottom}");
    assert!(bottom.contains("to cancel the number"), "{bottom}");
    assert!(!bottom.contains("Cancel 1415555107"), "{bottom}");
    insta::assert_snapshot!("dialog_cancel_scrolled_40x11", bottom);
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

/// The save dialog of an edit that changes every field of the first number, with a warning.
fn long_confirm_update() -> App {
    let mut app = loaded();
    cmd(&mut app, Cmd::Edit);
    let e = app.edit_form_mut().unwrap();
    for (i, f) in e.form.fields.iter_mut().enumerate() {
        f.input = Input::new(match i {
            SMS_URL => "https://hooks.example.com/v2/a-rather-long-path/inbound-sms".into(),
            VOICE_TYPE => "sip".into(),
            VOICE_VALUE => "sip:desk@pbx.example.com".into(),
            _ => String::new(),
        });
    }
    cmd(&mut app, Cmd::Submit);
    assert!(matches!(app.dialog(), Some(Dialog::ConfirmUpdate { .. })));
    app
}

#[test]
fn a_dialog_too_long_for_the_screen_scrolls_and_cuts_nothing() {
    let mut app = long_confirm_update();
    let full = render(&app, 120, 40);
    for (w, h) in [(60, 15), (50, 12)] {
        app.dialog_scroll = Default::default();
        sized(&mut app, w, h);
        assert!(app.scroll_max > 0, "{w}x{h}: fits?\n{}", render(&app, w, h));
        let top = render(&app, w, h);
        // Not cut: said how to see the rest, with the keys that scroll it; the buttons show.
        assert!(!top.contains("  …"), "{w}x{h}: cut\n{top}");
        assert!(
            top.contains("j/k/PgDn/PgUp scroll ↓ more"),
            "{w}x{h}\n{top}"
        );
        assert!(
            top.contains("[ n Back ]") && top.contains("[ y Save ]"),
            "{top}"
        );
        // Every line of the dialog is seen on the way down, the last at the bottom.
        let mut seen = top.clone();
        for _ in 0..app.scroll_max {
            cmd(&mut app, Cmd::Down);
            seen.push_str(&render(&app, w, h));
        }
        let bottom = render(&app, w, h);
        assert!(!bottom.contains("↓ more"), "{bottom}");
        assert!(bottom.contains("[ n Back ]"), "{bottom}");
        for needle in ["moHttpUrl", "voiceCallbackType", "voiceCallbackValue", "→"] {
            assert!(full.contains(needle), "{needle}: {full}");
            assert!(seen.contains(needle), "{w}x{h}: {needle} never shown");
        }
        if (w, h) == (60, 15) {
            insta::assert_snapshot!("dialog_scrolled_top_60x15", top);
            insta::assert_snapshot!("dialog_scrolled_bottom_60x15", bottom);
        }
        // PgUp, then Top: back up.
        cmd(&mut app, Cmd::PageUp);
        cmd(&mut app, Cmd::Top);
        assert_eq!(render(&app, w, h), top);
    }
    // A dialog opened again starts at its top.
    cmd(&mut app, Cmd::Bottom);
    cmd(&mut app, Cmd::Back);
    cmd(&mut app, Cmd::Submit);
    assert_eq!(app.dialog_scroll.offset, 0);
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
