//! One change at a time per number in the TUI (issue 10, case 1): the real event loop
//! (`tui::drive`) on a TestBackend, driven by key events, against a slow sandbox over loopback
//! HTTP. A second Save while the first is in flight, and a second `b` while a buy is in flight,
//! send nothing.

use crate::common;

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use switchboard::api::{Client, ClientConfig, Credentials};
use switchboard::app::{App, Context, Target};
use switchboard::sandbox::{Sandbox, SandboxConfig};
use switchboard::tui::{drive, keymap::Keymap, theme::Theme};
use tokio::sync::{mpsc, watch};

#[derive(Clone, Debug, Default, PartialEq)]
struct Seen {
    loaded: usize,
    context: Option<Context>,
    selected: Option<String>,
    busy: usize,
    /// The selected number (or the edited one) has a change in flight.
    saving: bool,
    results: usize,
    /// The newest message.
    toast: Option<String>,
}

type Keys = mpsc::UnboundedSender<std::io::Result<Event>>;

fn press(tx: &Keys, codes: &[KeyCode]) {
    for c in codes {
        tx.send(common::key(*c)).unwrap();
    }
}

fn type_in(tx: &Keys, text: &str) {
    for c in text.chars() {
        tx.send(common::key(KeyCode::Char(c))).unwrap();
    }
}

/// The loop against `sandbox`, with a watch of what the test looks at.
async fn start(
    sandbox: &Sandbox,
) -> (
    Keys,
    watch::Receiver<Seen>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let sc = sandbox.config().clone();
    let client = Client::new(
        Credentials::new(sc.api_key.clone(), sc.api_secret.clone()),
        ClientConfig {
            base_url: sandbox.base_url(),
            timeout: Duration::from_secs(10),
            ..ClientConfig::default()
        },
    )
    .unwrap();
    let mut app = App::new(
        Target {
            live: false,
            base_url: sandbox.base_url(),
            api_key: sc.api_key.clone(),
        },
        std::time::Instant::now(),
    );
    let (tx, mut events) = mpsc::unbounded_channel();
    let (seen_tx, seen) = watch::channel(Seen::default());
    let ui = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        drive(
            &mut terminal,
            &mut events,
            &mut app,
            client,
            &Keymap::default(),
            &Theme::new(true),
            |a: &App| {
                let edited = a.edit_form().map(|e| e.msisdn.clone());
                let searched = a.search.selected_number().and_then(|n| n.msisdn.clone());
                let watched = edited.or(searched).or_else(|| a.owned.selected_msisdn());
                let _ = seen_tx.send(Seen {
                    loaded: a.owned.numbers.len(),
                    context: Some(a.context()),
                    selected: a.owned.selected_msisdn(),
                    busy: a.busy(),
                    saving: watched.is_some_and(|m| a.change_in_flight(&m).is_some()),
                    results: a.search.results.as_ref().map_or(0, |p| p.numbers.len()),
                    toast: a.messages.toasts.last().map(|t| t.text.clone()),
                });
            },
        )
        .await
    });
    (tx, seen, ui)
}

async fn quit(tx: &Keys, ui: tokio::task::JoinHandle<std::io::Result<()>>) {
    tx.send(Ok(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    ))))
    .unwrap();
    tokio::time::timeout(Duration::from_secs(10), ui)
        .await
        .expect("the loop ends")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_save_while_the_first_is_in_flight_sends_nothing() {
    let sandbox = Sandbox::start(SandboxConfig {
        owned: 20,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let (tx, mut seen, ui) = start(&sandbox).await;
    let loaded = common::wait_watch(&mut seen, "the owned list", |s| {
        s.loaded == 20 && s.busy == 0
    })
    .await;
    let chosen = loaded.selected.expect("a selected number");
    // Slow from now on: the save stays in flight while the keys below arrive.
    sandbox.set_latency(Duration::from_millis(700));
    press(&tx, &[KeyCode::Enter, KeyCode::Char('e'), KeyCode::Tab]);
    tx.send(Ok(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    ))))
    .unwrap();
    type_in(&tx, "https://twice.example.com/in");
    press(&tx, &[KeyCode::Enter]);
    common::wait_watch(&mut seen, "the review", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    press(&tx, &[KeyCode::Tab, KeyCode::Enter]);
    common::wait_watch(&mut seen, "the save in flight", |s| s.saving).await;
    // Save again: refused, the form stays (no second review), and the message says why.
    press(&tx, &[KeyCode::Enter]);
    let refused = common::wait_watch(&mut seen, "the refusal", |s| {
        s.toast
            .as_deref()
            .is_some_and(|t| t.contains("wait for its answer"))
    })
    .await;
    assert_eq!(refused.context, Some(Context::Edit), "{refused:?}");
    // And confirm again, had a review opened.
    press(&tx, &[KeyCode::Tab, KeyCode::Enter]);
    common::wait_watch(&mut seen, "the save's end", |s| {
        !s.saving && s.busy == 0 && s.context == Some(Context::Detail)
    })
    .await;
    assert_eq!(
        sandbox
            .owned_number("sandbox", &chosen)
            .unwrap()
            .mo_http_url
            .as_deref(),
        Some("https://twice.example.com/in")
    );
    assert_eq!(common::hits(&sandbox, "/number/update"), 1, "saved once");
    quit(&tx, ui).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_buy_while_the_first_is_in_flight_sends_nothing() {
    let sandbox = Sandbox::start(SandboxConfig {
        owned: 5,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let (tx, mut seen, ui) = start(&sandbox).await;
    common::wait_watch(&mut seen, "the owned list", |s| {
        s.loaded == 5 && s.busy == 0
    })
    .await;
    press(&tx, &[KeyCode::Char('2')]);
    common::wait_watch(&mut seen, "the search form", |s| {
        s.context == Some(Context::SearchForm)
    })
    .await;
    type_in(&tx, "gb");
    press(&tx, &[KeyCode::Enter]);
    common::wait_watch(&mut seen, "the results", |s| s.results > 0 && s.busy == 0).await;
    sandbox.set_latency(Duration::from_millis(700));
    press(&tx, &[KeyCode::Char('b'), KeyCode::Tab, KeyCode::Enter]);
    common::wait_watch(&mut seen, "the buy in flight", |s| s.saving).await;
    // `b` again on the same number: refused, no second dialog; confirmed, had one opened.
    press(&tx, &[KeyCode::Char('b')]);
    let refused = common::wait_watch(&mut seen, "the refusal", |s| {
        s.toast
            .as_deref()
            .is_some_and(|t| t.contains("wait for its answer"))
    })
    .await;
    assert_eq!(refused.context, Some(Context::SearchResults), "{refused:?}");
    press(&tx, &[KeyCode::Tab, KeyCode::Enter]);
    common::wait_watch(&mut seen, "the buy's end", |s| s.busy == 0 && !s.saving).await;
    assert_eq!(common::hits(&sandbox, "/number/buy"), 1, "bought once");
    assert_eq!(sandbox.owned_count("sandbox"), 6);
    quit(&tx, ui).await;
}
