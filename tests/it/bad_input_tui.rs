//! Hostile and careless input typed into every field of the TUI (the search form, the edit
//! form, the API filter form, the digits that confirm a cancel, and the local filter): wrong
//! countries, patterns with letters, relative and non-http URLs, a pasted 10,000 characters,
//! control and escape characters, right-to-left and wide characters. The real event loop runs
//! on a TestBackend against a sandbox; for each case: an inline error (or, for text a field may
//! hold, nothing before the confirmation), no request sent (the sandbox counts them), no control
//! or bidi character in any drawn cell, and the frame's borders where they were.

use std::sync::Arc;
use std::time::Duration;

use crate::common::tui::{Headless, Seen};
use ratatui::crossterm::event::KeyCode;
use switchboard::api::validate::is_unsafe_char;
use switchboard::app::Context;
use switchboard::sandbox::Sandbox;
use tokio::sync::Semaphore;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Where {
    /// The Search pane's form, field n (country first).
    Search(usize),
    /// The edit form of the selected number, field n.
    Edit(usize),
    /// The API filter form (`f`), field n.
    ServerFilter(usize),
    /// The digits that confirm a cancel.
    CancelDigits,
    /// The local filter (`/`): not sent anywhere, only drawn.
    LocalFilter,
}

/// What must follow Enter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Then {
    /// An inline error, the form still open.
    Refused,
    /// Either: the value may be legitimate there (a name in a free-text field).
    Either,
}

const ESCAPES: &str = "\u{1b}[2J\u{1b}[31mred\u{7}\r";
const BIDI: &str = "\u{202E}lmth.xedni/moc.elpmaxe//:sptth";
const RTL: &str = "שלום עולם";
const WIDE: &str = "電話番号電話番号電話番号電話番号電話番号電話番号電話番号電話番号";
const EMOJI: &str = "📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞📞";

fn pasted() -> String {
    "4".repeat(10_000)
}

fn cases() -> Vec<(Where, String, Then)> {
    use Then::*;
    use Where::*;
    let mut v: Vec<(Where, String, Then)> = Vec::new();
    let mut add = |w: Where, values: &[&str], then: Then| {
        for value in values {
            v.push((w, value.to_string(), then));
        }
    };
    // Search form: country, type, features, pattern, match.
    add(
        Search(0),
        &["XX1", "G", "電話", "עב", ESCAPES, BIDI, RTL, WIDE],
        Refused,
    );
    add(Search(1), &["fax", RTL, WIDE, ESCAPES], Refused);
    add(Search(2), &["FAX", "電話", BIDI], Refused);
    add(
        Search(3),
        &["44a", "٤٤", "+", WIDE, EMOJI, ESCAPES],
        Refused,
    );
    add(Search(4), &["sideways", RTL], Refused);
    // Edit form: application id, SMS URL, SMPP type, voice type, voice value, status URL.
    // Control characters are dropped as they are typed: what is left may be a valid name.
    add(Edit(0), &[BIDI], Refused);
    add(Edit(0), &[ESCAPES, RTL, WIDE, EMOJI], Either);
    add(
        Edit(1),
        &[
            "/inbound",
            "example.com/in",
            "ftp://x.example",
            "javascript:alert(1)",
            BIDI,
            RTL,
            WIDE,
        ],
        Refused,
    );
    add(Edit(2), &[BIDI], Refused);
    add(Edit(2), &[ESCAPES], Either);
    add(Edit(3), &["fax", "電話", RTL], Refused);
    add(Edit(4), &[BIDI], Refused);
    add(
        Edit(5),
        &["/status", "ftp://x.example", BIDI, EMOJI],
        Refused,
    );
    // API filter form: country, application id, has application.
    add(ServerFilter(0), &["XX1", "電話", ESCAPES, BIDI], Refused);
    add(ServerFilter(1), &[BIDI], Refused);
    add(ServerFilter(2), &["maybe", "電話", RTL], Refused);
    // Cancel: the last four digits, typed wrong.
    add(
        CancelDigits,
        &["12ab", "٤٤٤٤", "\u{202E}1234", WIDE, ESCAPES],
        Either,
    );
    add(LocalFilter, &[ESCAPES, BIDI, RTL, WIDE, EMOJI], Either);
    let long = pasted();
    for w in [
        Search(0),
        Search(3),
        Edit(1),
        Edit(2),
        ServerFilter(0),
        CancelDigits,
        LocalFilter,
    ] {
        let then = if matches!(w, CancelDigits | LocalFilter) {
            Either
        } else {
            Refused
        };
        v.push((w, long.clone(), then));
    }
    v
}

/// Box-drawing characters at the left and right edge of each row.
fn borders(seen: &Seen) -> Vec<(usize, String, String)> {
    let is_border = |s: &str| s.chars().any(|c| ('\u{2500}'..='\u{257F}').contains(&c));
    seen.screen
        .iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let cells: Vec<String> = row.chars().map(String::from).collect();
            let (first, last) = (cells.first()?.clone(), cells.last()?.clone());
            (is_border(&first) || is_border(&last)).then_some((i, first, last))
        })
        .collect()
}

fn check_screen(case: &str, seen: &Seen) {
    for cell in &seen.cells {
        if let Some(c) = cell.chars().find(|c| is_unsafe_char(*c)) {
            panic!("{case}: {c:?} drawn:\n{}", seen.screen_text());
        }
    }
}

async fn run_case(sb: Arc<Sandbox>, at: Where, value: String, then: Then) {
    let case = format!("{at:?} {:?}", value.chars().take(24).collect::<String>());
    let mut ui = Headless::start(crate::common::client(&sb), 100, 30);
    let start = ui.wait("the first load", |s| s.loaded && s.busy == 0).await;
    let selected = start.selected.clone().expect("a selected number");
    // Open the place, focus the field, clear it.
    let in_place = match at {
        Where::Search(n) => {
            ui.ch('2');
            ui.wait("the search form", |s| {
                s.context == Some(Context::SearchForm)
            })
            .await;
            if n > 0 {
                ui.text("GB");
            }
            for _ in 0..n {
                ui.key(KeyCode::Tab);
            }
            Context::SearchForm
        }
        Where::Edit(n) => {
            ui.key(KeyCode::Enter);
            ui.wait("the detail view", |s| s.context == Some(Context::Detail))
                .await;
            ui.ch('e');
            for _ in 0..n {
                ui.key(KeyCode::Tab);
            }
            Context::Edit
        }
        Where::ServerFilter(n) => {
            ui.ch('f');
            for _ in 0..n {
                ui.key(KeyCode::Tab);
            }
            Context::ServerFilter
        }
        Where::CancelDigits => {
            ui.ch('c');
            Context::DialogText
        }
        Where::LocalFilter => {
            ui.ch('/');
            Context::OwnedFilter
        }
    };
    let opened = ui
        .wait("the form", |s| s.context == Some(in_place) && s.busy == 0)
        .await;
    let frame = borders(&opened);
    let requests = sb.stats().requests;
    ui.ctrl('u');
    ui.text(&value);
    ui.ch('\u{0}');
    let typed = ui.wait("the typing", |s| s.frames > opened.frames).await;
    // Let the last keys through: a frame after a marker key that changes nothing visible.
    let typed = {
        let f = typed.frames;
        ui.key(KeyCode::End);
        ui.wait("the end of the typing", |s| s.frames > f).await
    };
    check_screen(&case, &typed);
    assert_eq!(
        borders(&typed),
        frame,
        "{case}: the borders moved:\n{}",
        typed.screen_text()
    );
    let before_enter = typed.frames;
    ui.key(KeyCode::Enter);
    let after = ui
        .wait("the answer to Enter", |s| {
            s.frames > before_enter && s.busy == 0
        })
        .await;
    check_screen(&case, &after);
    if then == Then::Refused {
        assert!(
            after.context == Some(in_place) && after.form_error.is_some(),
            "{case}: an inline error, the form still open; seen {:?} / {:?}\n{}",
            after.context,
            after.form_error,
            after.screen_text()
        );
        let shown = after.screen_text();
        let error = after.form_error.clone().unwrap_or_default();
        let head: String = error.chars().take(20).collect();
        assert!(
            shown.contains(head.trim()),
            "{case}: the error {error:?} is on screen:\n{shown}"
        );
    }
    // Whatever followed (an error, a review dialog, a filtered list): nothing was sent.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(sb.stats().requests, requests, "{case}: a request was sent");
    assert!(
        sb.owned_number(crate::common::MAIN_KEY, &selected)
            .is_some(),
        "{case}"
    );
    ui.finish().await.unwrap_or_else(|e| panic!("{case}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_input_in_every_field_is_refused_inline_sends_nothing_and_draws_safely() {
    let gate = Arc::new(Semaphore::new(8));
    let mut tasks = Vec::new();
    for (i, (at, value, then)) in cases().into_iter().enumerate() {
        let gate = gate.clone();
        let name = format!("{at:?} {:?}", value.chars().take(24).collect::<String>());
        tasks.push((
            name,
            tokio::spawn(async move {
                let _permit = gate.acquire().await.expect("semaphore");
                let sb = Arc::new(crate::common::sandbox(6, 300 + i as u64).await);
                run_case(sb, at, value, then).await
            }),
        ));
    }
    crate::common::join_named(tasks, "cases").await;
}
