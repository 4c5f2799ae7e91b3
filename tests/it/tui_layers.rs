//! The layer stack, through the real event loop on a TestBackend against a sandbox: where the
//! keyboard is and where `Esc` goes after each of the moves users reported, and what read-only
//! mode offers. Each test is one of the bugs of issue 11.

use crate::common;
use crate::common::tui::{Headless, Seen};
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

/// Where `text` is on the screen: (column, row) of its first character.
fn find(s: &Seen, text: &str) -> Option<(u16, u16)> {
    s.screen.iter().enumerate().find_map(|(y, row)| {
        let at = row.find(text)?;
        Some((row[..at].chars().count() as u16, y as u16))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mouse_selects_rows_switches_tabs_and_presses_buttons() {
    let (sb, mut ui) = started(false, Keymap::default()).await;
    // The wheel scrolls the list: two notches, two rows down.
    ui.wheel_down();
    ui.wheel_down();
    let s = ui
        .wait("two rows down", |s| s.screen_text().contains(" 3 of 12 "))
        .await;
    let (_, row) = find(&s, s.selected.as_deref().unwrap()).expect("the selected row");
    assert_eq!(
        row,
        5,
        "the third number (rows 3, 4, 5): {}",
        s.screen_text()
    );
    // A click on the sixth row selects it.
    ui.click(20, 8);
    let s = ui.wait("the clicked row", |s| s.frames > 0).await;
    let clicked = s.screen[8]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_matches('│')
        .to_string();
    let s = ui
        .wait("the sixth number", |s| {
            s.selected.as_deref() == Some(clicked.as_str())
        })
        .await;
    // A click on the Search tab.
    let (x, y) = find(&s, "2 Search").expect("the tab");
    ui.click(x + 1, y);
    ui.wait("the Search pane", |s| ctx(s) == Context::SearchForm)
        .await;
    ui.alt('1');
    ui.wait("the Owned pane", |s| ctx(s) == Context::Owned)
        .await;
    // A dialog's button: edit the selected number's webhook, click Save.
    ui.ch('e');
    ui.wait("the edit form", |s| ctx(s) == Context::Edit).await;
    ui.key(KeyCode::Tab);
    ui.ctrl('u');
    ui.text("https://mouse.example.com/in");
    ui.key(KeyCode::Enter);
    let s = ui.wait("the review", |s| ctx(s) == Context::Dialog).await;
    let (x, y) = find(&s, "y Save").expect("the Save button");
    ui.click(x + 2, y);
    ui.wait("the save", |s| {
        s.busy == 0 && s.log.iter().any(|(_, t)| t.starts_with("updated"))
    })
    .await;
    let stored = sb.owned_number("sandbox", &clicked).unwrap();
    assert_eq!(
        stored.mo_http_url.as_deref(),
        Some("https://mouse.example.com/in")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_palette_runs_a_command_found_by_name() {
    let (_sb, mut ui) = started(false, Keymap::default()).await;
    ui.ch(':');
    ui.wait("the palette", |s| ctx(s) == Context::Palette).await;
    assert!(
        ui.now().screen_text().contains("sort by next column"),
        "all, before typing"
    );
    ui.text("export");
    let s = ui
        .wait("the match", |s| s.screen_text().contains(": export"))
        .await;
    assert!(
        s.screen_text().contains("x  export list"),
        "{}",
        s.screen_text()
    );
    assert!(!s.screen_text().contains("sort by next column"), "filtered");
    ui.key(KeyCode::Enter);
    ui.wait("the export dialog", |s| ctx(s) == Context::Export)
        .await;
}
