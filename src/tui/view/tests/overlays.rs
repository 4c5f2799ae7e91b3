//! The detail view, the edit form, the help overlay and the error log.

use std::time::Duration;

use tui_input::Input;

use super::*;
use crate::api::NumberConfig;
use crate::app::Level;
use crate::app::edit::{SMS_URL, VOICE_VALUE};
use crate::app::messages::LogEntry;

fn open_tricky(app: &mut App) {
    let m = tricky();
    while app.owned.selected_msisdn().as_deref() != Some(m.as_str()) {
        cmd(app, Cmd::Down);
    }
    cmd(app, Cmd::Open);
}

#[test]
fn detail() {
    let mut app = loaded();
    open_tricky(&mut app);
    snap("detail", &app);
}

#[test]
fn detail_with_values_known_from_this_session() {
    let mut app = loaded();
    open_tricky(&mut app);
    app.known.insert(
        tricky(),
        NumberConfig {
            voice_status_callback: Some("https://status.example.com/voice".into()),
            ..Default::default()
        },
    );
    insta::assert_snapshot!(render(&app, 120, 40));
}

#[test]
fn edit_with_an_inline_error() {
    // The first number: a webhook and a tel voice callback.
    let mut app = loaded();
    cmd(&mut app, Cmd::Edit);
    let e = app.edit_form_mut().unwrap();
    e.form.fields[SMS_URL].input = Input::new("ftp://hooks.example.com/sms".into());
    e.form.focus = SMS_URL;
    snap("edit_inline_error", &app);
}

#[test]
fn edit_with_an_error_found_on_save() {
    let mut app = loaded();
    cmd(&mut app, Cmd::Edit);
    app.edit_form_mut().unwrap().form.fields[VOICE_VALUE].input = Input::default();
    cmd(&mut app, Cmd::Submit);
    assert!(app.edit_form().unwrap().error.is_some());
    snap("edit_save_error", &app);
}

#[test]
fn help_overlay() {
    let mut app = loaded();
    cmd(&mut app, Cmd::Help);
    snap("help", &app);
}

#[test]
fn help_overlay_in_search_results() {
    let mut app = loaded();
    app.screen.show(crate::app::Pane::Search);
    app.screen
        .remove_where(|l| matches!(l, crate::app::Layer::SearchForm));
    cmd(&mut app, Cmd::Help);
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn error_log() {
    let mut app = loaded();
    // 2026-11-27 03:25:12 UTC at start: the log shows the clock time of each entry.
    app.wall = Some((
        app.messages.started,
        std::time::UNIX_EPOCH + Duration::from_secs(1_795_749_912),
    ));
    let entries = [
        (4, Level::Warn, "read-only mode: editing is turned off"),
        (
            75,
            Level::Error,
            "authentication failed (401): check the api key and secret",
        ),
        (
            3725,
            Level::Error,
            "method failed (420): this country needs an address on the dashboard before numbers can be bought there\u{1b}[0m",
        ),
        (
            3790,
            Level::Warn,
            "updated 447700900149; voiceStatusCallback cannot be read back from the API: if one was set, this update clears it",
        ),
    ];
    for (secs, level, text) in entries {
        app.messages.log.push(LogEntry {
            at: Duration::from_secs(secs),
            level,
            text: text.into(),
        });
    }
    cmd(&mut app, Cmd::Log);
    snap("log", &app);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("04:27:17"),
        "3725 s after 03:25:12: {screen}"
    );
    // Enter: the selected (newest) entry whole.
    cmd(&mut app, Cmd::Open);
    let whole = render(&app, 80, 24);
    assert!(
        whole.contains("if one was set, this update clears it"),
        "{whole}"
    );
}

#[test]
fn the_detail_view_and_help_scroll_on_a_small_screen() {
    let mut app = loaded();
    open_tricky(&mut app);
    sized(&mut app, 60, 15);
    let top = render(&app, 60, 15);
    assert!(!top.contains("Messages value"), "cut at 60x15: {top}");
    cmd(&mut app, Cmd::Bottom);
    let bottom = render(&app, 60, 15);
    assert!(bottom.contains("Messages value"), "{bottom}");
    insta::assert_snapshot!("detail_scrolled_60x15", bottom);
    // Down past the end stays at the end; Up comes back at once.
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Up);
    assert_ne!(render(&app, 60, 15), bottom, "one line up from the end");
    // Help, over it.
    cmd(&mut app, Cmd::Help);
    sized(&mut app, 60, 15);
    let help_top = render(&app, 60, 15);
    cmd(&mut app, Cmd::PageDown);
    let help_down = render(&app, 60, 15);
    assert_ne!(help_top, help_down, "help scrolls");
    insta::assert_snapshot!("help_scrolled_60x15", help_down);
}

#[test]
fn command_palette() {
    let mut app = loaded();
    cmd(&mut app, Cmd::Palette);
    type_text(&mut app, "sort");
    snap("palette", &app);
}
