//! The Owned pane: the list, filtering, loading, empty, the API filter popup, a message.

use std::time::Duration;

use super::*;
use crate::api::ListProgress;
use crate::app::Level;

#[test]
fn owned_list() {
    let mut app = loaded();
    // Selection a few rows down; nothing in flight, no message.
    for _ in 0..3 {
        cmd(&mut app, Cmd::Down);
    }
    snap("owned", &app);
}

#[test]
fn owned_scrolled_sorted_by_type_reversed() {
    let mut app = loaded();
    cmd(&mut app, Cmd::SortNext);
    cmd(&mut app, Cmd::SortNext);
    cmd(&mut app, Cmd::SortReverse);
    app.update(Action::Viewport { rows: 10 });
    cmd(&mut app, Cmd::Bottom);
    snap("owned_sorted_bottom", &app);
}

#[test]
fn owned_filtering() {
    let mut app = loaded();
    cmd(&mut app, Cmd::Filter);
    type_text(&mut app, "gb sms");
    snap("owned_filtering", &app);
}

#[test]
fn owned_filter_kept_after_enter() {
    let mut app = loaded();
    cmd(&mut app, Cmd::Filter);
    type_text(&mut app, "toll");
    cmd(&mut app, Cmd::Submit);
    snap("owned_filter_kept", &app);
}

#[test]
fn owned_no_match() {
    let mut app = loaded();
    cmd(&mut app, Cmd::Filter);
    type_text(&mut app, "zzz");
    snap("owned_no_match", &app);
}

#[test]
fn owned_loading_progress() {
    let mut app = app();
    app.start();
    let id = app.owned.loading.as_ref().unwrap().id;
    app.update(Action::Progress {
        id,
        progress: ListProgress {
            pages_done: 12,
            pages_total: 50,
            numbers_loaded: 1200,
            total: 4987,
        },
        numbers: Vec::new(),
    });
    app.spinner = 3;
    snap("owned_loading", &app);
}

#[test]
fn owned_empty_account() {
    let mut app = app();
    app.owned.set_numbers(Vec::new());
    snap("owned_empty", &app);
}

#[test]
fn server_filter_popup() {
    let mut app = loaded();
    cmd(&mut app, Cmd::ServerFilter);
    type_text(&mut app, "gb");
    cmd(&mut app, Cmd::NextField);
    cmd(&mut app, Cmd::NextField);
    type_text(&mut app, "maybe");
    snap("server_filter", &app);
}

#[test]
fn toast_over_the_list() {
    let mut app = loaded();
    app.owned.server_filter.country = Some("GB".into());
    let now = app.now + Duration::from_secs(3);
    app.messages.push(
        now,
        Level::Error,
        "method failed (420): the number is not owned by this account\u{1b}[2J — refresh the list",
    );
    snap("toast", &app);
}

#[test]
fn a_stale_list_says_so_in_its_title() {
    let mut app = loaded();
    app.owned.stale = true;
    let screen = render(&app, 120, 40);
    assert!(
        screen
            .lines()
            .nth(1)
            .unwrap()
            .contains("STALE: the refresh failed"),
        "{screen}"
    );
}
