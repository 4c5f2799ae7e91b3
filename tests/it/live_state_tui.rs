//! Truthful live state in the TUI (issue 11, deliverable 7; issue 10, case 1): the real event
//! loop on a TestBackend, driven by keys, against a slow sandbox over loopback HTTP. A bulk
//! run's (and an undo's) changes show in the owned list as each one lands, not at the run's
//! end; the header counts the HTTP requests really in flight; a row with a change in flight
//! says so.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use crate::common::tui::{Headless, Seen};
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Client, ClientConfig};
use switchboard::app::Context;
use switchboard::journal::Journal;
use switchboard::sandbox::{Sandbox, SandboxConfig};
use switchboard::tui::{Io, keymap::Keymap};

/// Numbers each test's sandbox owns.
const OWNED: usize = 24;

async fn sandbox() -> Sandbox {
    common::start(SandboxConfig {
        owned: OWNED,
        seed: 11,
        ..SandboxConfig::default()
    })
    .await
}

/// A client of `sandbox` with `concurrency` requests at once, waiting 10 s for an answer.
fn client(sandbox: &Sandbox, concurrency: usize) -> Client {
    common::client_with(
        sandbox,
        ClientConfig {
            timeout: Duration::from_secs(10),
            concurrency,
            ..ClientConfig::default()
        },
    )
}

/// The loop on 120x40, with a journal in `dir` (for undo).
fn start(client: Client, dir: &common::TempDir) -> Headless {
    let journal = Arc::new(Journal::open(&dir.path().join("journal.jsonl")).unwrap());
    let io = Io {
        journal: Some(journal),
        ..Io::default()
    };
    Headless::start_io(client, 120, 40, Keymap::default(), io, |_| {})
}

/// Marks every number, bulk-edits their SMS webhook to `url`, applies: the run starts.
async fn bulk_edit_all(ui: &mut Headless, url: &str) {
    ui.ch('a');
    ui.wait("every number marked", |s| {
        s.toast.as_deref().is_some_and(|t| t.contains("marked"))
    })
    .await;
    ui.ch('e');
    ui.wait("the bulk form", |s| s.context == Some(Context::BulkForm))
        .await;
    ui.key(KeyCode::Tab);
    ui.text(url);
    ui.key(KeyCode::Enter);
    ui.wait("the confirmation", |s| s.context == Some(Context::Dialog))
        .await;
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("the run going", |s| s.run_going).await;
}

async fn quit(ui: Headless) {
    ui.ctrl('c');
    ui.ends("the loop ends").await.result.unwrap();
}

/// Some numbers (not all) hold `url` while the run is still going, in the list and on screen.
fn landed_midway(s: &Seen, url: &str, host: &str) -> bool {
    let changed = s.with_sms_url(url);
    s.run_going
        && !changed.is_empty()
        && changed.len() < OWNED
        && s.context == Some(Context::Owned)
        && changed
            .iter()
            .any(|m| s.rows_of(m).iter().any(|r| r.contains(host)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_runs_changes_show_in_the_owned_list_as_each_lands() {
    let sandbox = sandbox().await;
    let (url, _) = common::webhook(200).await;
    let dir = common::TempDir::new("live-bulk");
    let mut ui = start(client(&sandbox, 2), &dir);
    ui.wait("the owned list", |s| s.owned.len() == OWNED && s.busy == 0)
        .await;
    assert!(ui.now().with_sms_url(&url).is_empty());
    // Two at a time, 300 ms each: the run lasts seconds.
    sandbox.set_latency(Duration::from_millis(300));
    bulk_edit_all(&mut ui, &url).await;
    // The panel closed, the run goes on behind it.
    ui.key(KeyCode::Esc);
    let midway = ui
        .wait("a changed row while the run goes on", |s| {
            landed_midway(s, &url, "http://127.0")
        })
        .await;
    // What the list shows changed has changed on the server.
    for m in midway.with_sms_url(&url) {
        let now = sandbox.owned_number("sandbox", m).unwrap();
        assert_eq!(now.mo_http_url.as_deref(), Some(url.as_str()), "{m}");
    }
    let end = ui
        .wait("the run's end", |s| !s.run_going && s.busy == 0)
        .await;
    assert_eq!(end.with_sms_url(&url).len(), OWNED, "{:?}", end.sms_urls);
    quit(ui).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undo_runs_changes_show_in_the_owned_list_as_each_lands() {
    let sandbox = sandbox().await;
    let (url, _) = common::webhook(200).await;
    let dir = common::TempDir::new("live-undo");
    let mut ui = start(client(&sandbox, 2), &dir);
    ui.wait("the owned list", |s| s.owned.len() == OWNED && s.busy == 0)
        .await;
    let before = ui.now().sms_urls;
    bulk_edit_all(&mut ui, &url).await;
    ui.wait("the run's end", |s| {
        !s.run_going && s.busy == 0 && s.with_sms_url(&url).len() == OWNED
    })
    .await;
    ui.key(KeyCode::Esc);
    ui.wait("the owned list", |s| s.context == Some(Context::Owned))
        .await;
    // Undo it, slowly: the rows come back one by one.
    sandbox.set_latency(Duration::from_millis(300));
    ui.ch('u');
    ui.wait("the undo's confirmation", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("the undo going", |s| s.run_going).await;
    ui.key(KeyCode::Esc);
    let midway = ui
        .wait("a restored row while the undo goes on", |s| {
            let restored = OWNED - s.with_sms_url(&url).len();
            s.run_going && restored > 0 && restored < OWNED && s.context == Some(Context::Owned)
        })
        .await;
    for (m, was) in &before {
        let shown = midway.sms_urls.iter().find(|(n, _)| n == m).unwrap();
        if shown.1.as_deref() != Some(url.as_str()) {
            assert_eq!(&shown.1, was, "{m} shown as restored");
            let now = sandbox.owned_number("sandbox", m).unwrap();
            assert_eq!(&now.mo_http_url, was, "{m} restored on the server");
        }
    }
    let end = ui
        .wait("the undo's end", |s| !s.run_going && s.busy == 0)
        .await;
    assert_eq!(end.sms_urls, before);
    quit(ui).await;
}

/// The count of requests the header says are in flight ("⠋ 4 requests"), if it says one.
fn header_count(s: &Seen) -> Option<usize> {
    let top = s.screen.first()?;
    let before = top[..top.find(" request")?].trim_end();
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_spinner_counts_the_requests_really_in_flight() {
    let sandbox = sandbox().await;
    let (url, _) = common::webhook(200).await;
    let dir = common::TempDir::new("live-count");
    let mut ui = start(client(&sandbox, 4), &dir);
    ui.wait("the owned list", |s| s.owned.len() == OWNED && s.busy == 0)
        .await;
    // Four at a time, 600 ms each: several answers awaited at once for seconds.
    sandbox.set_latency(Duration::from_millis(600));
    bulk_edit_all(&mut ui, &url).await;
    // One request of the app's (the run), several of HTTP: the header says what the sandbox
    // is answering at that moment.
    let seen = ui
        .wait("the header counting what the sandbox is handling", |s| {
            s.run_going && header_count(s).is_some_and(|n| n >= 3 && n == sandbox.in_flight())
        })
        .await;
    assert!(
        header_count(&seen).unwrap() <= 4,
        "{:?}",
        seen.screen.first()
    );
    ui.wait("the run's end", |s| !s.run_going && s.busy == 0)
        .await;
    quit(ui).await;
}

/// The mark of a row with a change in flight.
const SAVING: &str = "↻";

/// The row of `msisdn` on screen shows that it is saving.
fn shows_saving(s: &Seen, msisdn: &str) -> bool {
    s.rows_of(msisdn).iter().any(|r| r.contains(SAVING))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_shows_that_its_number_is_saving() {
    let sandbox = sandbox().await;
    let dir = common::TempDir::new("live-saving");
    let mut ui = start(client(&sandbox, 2), &dir);
    let loaded = ui
        .wait("the owned list", |s| s.owned.len() == OWNED && s.busy == 0)
        .await;
    let m = loaded.selected.clone().expect("a selected number");
    let other = loaded.shown[1].clone();
    assert!(!shows_saving(&loaded, &m), "{:?}", loaded.rows_of(&m));
    // A cancel in flight: its row says so, and only its row.
    sandbox.set_latency(Duration::from_millis(700));
    ui.ch('c');
    ui.wait("the cancel dialog", |s| {
        s.context == Some(Context::DialogText)
    })
    .await;
    ui.text(&m[m.len() - 4..]);
    ui.key(KeyCode::Enter);
    let saving = ui
        .wait("the row saving", |s| {
            s.context == Some(Context::Owned) && shows_saving(s, &m)
        })
        .await;
    assert!(saving.busy > 0, "still in flight: {saving:?}");
    assert!(
        !shows_saving(&saving, &other),
        "{:?}",
        saving.rows_of(&other)
    );
    let gone = ui
        .wait("the cancel's end", |s| s.busy == 0 && !s.owned.contains(&m))
        .await;
    assert!(!gone.screen_text().contains(SAVING), "{:#?}", gone.screen);
    quit(ui).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_runs_rows_show_saving_until_each_lands() {
    let sandbox = sandbox().await;
    let (url, _) = common::webhook(200).await;
    let dir = common::TempDir::new("live-bulk-saving");
    let mut ui = start(client(&sandbox, 2), &dir);
    ui.wait("the owned list", |s| s.owned.len() == OWNED && s.busy == 0)
        .await;
    sandbox.set_latency(Duration::from_millis(300));
    bulk_edit_all(&mut ui, &url).await;
    ui.key(KeyCode::Esc);
    let midway = ui
        .wait("a changed row while the run goes on", |s| {
            landed_midway(s, &url, "http://127.0")
        })
        .await;
    // Every row on screen: landed (the new URL, no mark of saving) or not yet (saving).
    for (m, u) in &midway.sms_urls {
        if midway.rows_of(m).is_empty() {
            continue;
        }
        let landed = u.as_deref() == Some(url.as_str());
        assert_eq!(
            shows_saving(&midway, m),
            !landed,
            "{m}: {:?}",
            midway.rows_of(m)
        );
    }
    let end = ui
        .wait("the run's end", |s| !s.run_going && s.busy == 0)
        .await;
    assert!(!end.screen_text().contains(SAVING), "{:#?}", end.screen);
    quit(ui).await;
}
