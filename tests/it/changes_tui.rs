//! One change at a time per number in the TUI (issue 10, case 1): the real event loop
//! (`tui::drive`) on a TestBackend, driven by key events, against a slow sandbox over loopback
//! HTTP. A second Save while the first is in flight, and a second `b` while a buy is in flight,
//! send nothing.

use crate::common;

use std::time::Duration;

use crate::common::tui::Headless;
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Client, ClientConfig, Credentials};
use switchboard::app::Context;
use switchboard::sandbox::{Sandbox, SandboxConfig};

fn press(ui: &Headless, codes: &[KeyCode]) {
    for c in codes {
        ui.key(*c);
    }
}

/// The loop against `sandbox` (a client that waits 10 s for an answer).
fn start(sandbox: &Sandbox) -> Headless {
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
    Headless::start(client, 120, 40)
}

async fn quit(ui: Headless) {
    ui.ctrl('c');
    ui.ends("the loop ends").await.result.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_save_while_the_first_is_in_flight_sends_nothing() {
    let sandbox = Sandbox::start(SandboxConfig {
        owned: 20,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let mut ui = start(&sandbox);
    let loaded = ui
        .wait("the owned list", |s| s.owned.len() == 20 && s.busy == 0)
        .await;
    let chosen = loaded.selected.expect("a selected number");
    // Slow from now on: the save stays in flight while the keys below arrive.
    sandbox.set_latency(Duration::from_millis(700));
    press(&ui, &[KeyCode::Enter, KeyCode::Char('e'), KeyCode::Tab]);
    ui.ctrl('u');
    ui.text("https://twice.example.com/in");
    press(&ui, &[KeyCode::Enter]);
    ui.wait("the review", |s| s.context == Some(Context::Dialog))
        .await;
    press(&ui, &[KeyCode::Tab, KeyCode::Enter]);
    ui.wait("the save in flight", |s| s.saving).await;
    // Save again: refused, the form stays (no second review), and the message says why.
    press(&ui, &[KeyCode::Enter]);
    let refused = ui
        .wait("the refusal", |s| {
            // In the log: the toast may already show a later message (the webhook check's).
            s.log.iter().any(|(_, t)| t.contains("wait for its answer"))
        })
        .await;
    assert_eq!(refused.context, Some(Context::Edit), "{refused:?}");
    // And confirm again, had a review opened.
    press(&ui, &[KeyCode::Tab, KeyCode::Enter]);
    ui.wait("the save's end", |s| {
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
    quit(ui).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_buy_while_the_first_is_in_flight_sends_nothing() {
    let sandbox = Sandbox::start(SandboxConfig {
        owned: 5,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let mut ui = start(&sandbox);
    ui.wait("the owned list", |s| s.owned.len() == 5 && s.busy == 0)
        .await;
    press(&ui, &[KeyCode::Char('2')]);
    ui.wait("the search form", |s| {
        s.context == Some(Context::SearchForm)
    })
    .await;
    ui.text("gb");
    press(&ui, &[KeyCode::Enter]);
    ui.wait("the results", |s| {
        s.results.as_ref().is_some_and(|r| !r.is_empty()) && s.busy == 0
    })
    .await;
    sandbox.set_latency(Duration::from_millis(700));
    press(&ui, &[KeyCode::Char('b'), KeyCode::Tab, KeyCode::Enter]);
    ui.wait("the buy in flight", |s| s.saving).await;
    // `b` again on the same number: refused, no second dialog; confirmed, had one opened.
    press(&ui, &[KeyCode::Char('b')]);
    let refused = ui
        .wait("the refusal", |s| {
            // In the log: the toast may already show a later message (the webhook check's).
            s.log.iter().any(|(_, t)| t.contains("wait for its answer"))
        })
        .await;
    assert_eq!(refused.context, Some(Context::SearchResults), "{refused:?}");
    press(&ui, &[KeyCode::Tab, KeyCode::Enter]);
    ui.wait("the buy's end", |s| s.busy == 0 && !s.saving).await;
    assert_eq!(common::hits(&sandbox, "/number/buy"), 1, "bought once");
    assert_eq!(sandbox.owned_count("sandbox"), 6);
    quit(ui).await;
}
