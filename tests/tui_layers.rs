//! The layer stack, through the real event loop on a TestBackend against a sandbox: where the
//! keyboard is and where `Esc` goes after each of the moves users reported, and what read-only
//! mode offers. Each test is one of the bugs of issue 11.

mod common;

use common::tui::{Headless, Seen};
use ratatui::crossterm::event::KeyCode;
use switchboard::app::Context;
use switchboard::tui::keymap::Keymap;

async fn started(read_only: bool, keymap: Keymap) -> (switchboard::sandbox::Sandbox, Headless) {
    let sb = common::sandbox(12, 7).await;
    let mut ui = Headless::start_with(common::client(&sb), 120, 40, keymap, move |a| {
        a.read_only = read_only;
    });
    ui.wait("the owned list", |s| s.loaded && s.owned.len() == 12)
        .await;
    (sb, ui)
}

fn ctx(s: &Seen) -> Context {
    s.context.expect("a frame")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn detail_then_log_then_esc_returns_to_the_detail_view() {
    let (_sb, mut ui) = started(false, Keymap::default()).await;
    ui.key(KeyCode::Enter);
    ui.wait("the detail view", |s| ctx(s) == Context::Detail)
        .await;
    ui.ch('L');
    ui.wait("the log", |s| ctx(s) == Context::Log).await;
    ui.key(KeyCode::Esc);
    let s = ui.wait("the log closed", |s| ctx(s) != Context::Log).await;
    assert_eq!(ctx(&s), Context::Detail, "Esc goes back where L came from");
    ui.key(KeyCode::Esc);
    let s = ui
        .wait("the detail closed", |s| ctx(s) != Context::Detail)
        .await;
    assert_eq!(ctx(&s), Context::Owned);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_search_form_help_and_panes_use_keys_that_do_not_type() {
    let (_sb, mut ui) = started(false, Keymap::default()).await;
    ui.ch('2');
    ui.wait("the search form", |s| ctx(s) == Context::SearchForm)
        .await;
    ui.text("gb");
    ui.key(KeyCode::F(1));
    let s = ui.wait("help", |s| ctx(s) == Context::Help).await;
    assert!(
        s.screen_text().contains("Search form"),
        "{}",
        s.screen_text()
    );
    ui.key(KeyCode::Esc);
    ui.wait("the form again", |s| ctx(s) == Context::SearchForm)
        .await;
    ui.alt('1');
    let s = ui
        .wait("the Owned pane", |s| ctx(s) != Context::SearchForm)
        .await;
    assert_eq!(ctx(&s), Context::Owned);
    ui.alt('2');
    let s = ui
        .wait("the Search pane", |s| ctx(s) == Context::SearchForm)
        .await;
    // Nothing was typed by those keys: the field holds what was typed, and no error.
    assert!(s.screen_text().contains("gb"), "{}", s.screen_text());
    assert!(!s.screen_text().contains("gb1"), "{}", s.screen_text());
    assert!(s.form_error.is_none(), "{:?}", s.form_error);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_in_the_search_form_goes_to_the_results_whatever_the_state() {
    let (_sb, mut ui) = started(false, Keymap::default()).await;
    ui.ch('2');
    ui.wait("the search form", |s| ctx(s) == Context::SearchForm)
        .await;
    ui.key(KeyCode::Esc);
    let s = ui
        .wait("the form closed", |s| ctx(s) != Context::SearchForm)
        .await;
    assert_eq!(
        ctx(&s),
        Context::SearchResults,
        "one layer popped, no pane change"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_that_reopens_the_search_form_says_so() {
    let (_sb, mut ui) = started(false, Keymap::default()).await;
    ui.ch('2');
    ui.wait("the search form", |s| ctx(s) == Context::SearchForm)
        .await;
    ui.text("GB");
    ui.key(KeyCode::Enter);
    let s = ui
        .wait("results", |s| s.results.is_some() && s.busy == 0)
        .await;
    assert_eq!(ctx(&s), Context::SearchResults);
    let hints = s.screen.last().cloned().unwrap_or_default();
    assert!(!hints.contains("/ filter"), "{hints}");
    assert!(hints.contains("/ change the search"), "{hints}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_e_refuses_without_opening_anything() {
    let (_sb, mut ui) = started(true, Keymap::default()).await;
    ui.ch('e');
    let s = ui
        .wait("the refusal", |s| {
            s.toast.as_deref().is_some_and(|t| t.contains("read-only"))
        })
        .await;
    assert_eq!(ctx(&s), Context::Owned, "nothing opened behind the refusal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_offers_nothing_it_refuses() {
    let (_sb, mut ui) = started(true, Keymap::default()).await;
    let hints = ui.now().screen.last().cloned().unwrap_or_default();
    ui.ch('?');
    let s = ui.wait("help", |s| ctx(s) == Context::Help).await;
    let help = s.screen_text();
    for refused in [
        "edit webhooks",
        "cancel number",
        "undo last change",
        "mark / unmark",
        "mark all shown",
        "clear marks",
        "bulk run panel",
    ] {
        assert!(!help.contains(refused), "help offers {refused:?}:\n{help}");
        assert!(!hints.contains(refused), "hints offer {refused:?}: {hints}");
    }
    // And what is not offered is refused.
    ui.key(KeyCode::Esc);
    ui.wait("help closed", |s| ctx(s) == Context::Owned).await;
    ui.ch(' ');
    let s = ui
        .wait("the refusal", |s| {
            s.toast.as_deref().is_some_and(|t| t.contains("read-only"))
        })
        .await;
    assert_eq!(ctx(&s), Context::Owned);
}
