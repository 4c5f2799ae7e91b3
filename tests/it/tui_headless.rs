//! The real event loop (`tui::drive`) on a TestBackend, driven by key events, against a sandbox
//! over loopback HTTP: load, filter, open a number, change its SMS webhook, confirm, quit.

use std::time::Duration;

use crate::common::tui::Headless;
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Client, ClientConfig, Credentials};
use switchboard::app::Context;
use switchboard::sandbox::{Sandbox, SandboxConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_filter_open_edit_confirm_quit() {
    let sandbox = Sandbox::start(SandboxConfig {
        owned: 60,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let sc = sandbox.config().clone();
    let client = Client::new(
        Credentials::new(sc.api_key.clone(), sc.api_secret.clone()),
        ClientConfig {
            base_url: sandbox.base_url(),
            timeout: Duration::from_secs(5),
            ..ClientConfig::default()
        },
    )
    .unwrap();
    let mut ui = Headless::start(client, 120, 40);

    ui.wait("the owned list", |s| s.owned.len() == 60 && s.busy == 0)
        .await;

    // Filter to the GB numbers.
    ui.ch('/');
    ui.text("44");
    let filtered = ui
        .wait("the filter", |s| {
            s.context == Some(Context::OwnedFilter) && s.shown.len() < 60
        })
        .await;
    assert!(!filtered.shown.is_empty(), "some GB (44) numbers among 60");
    ui.key(KeyCode::Enter);
    let chosen = ui
        .wait("the table again", |s| s.context == Some(Context::Owned))
        .await
        .selected
        .expect("a selected number");

    // Open it, edit the SMS webhook, confirm.
    ui.key(KeyCode::Enter);
    ui.wait("the detail view", |s| s.context == Some(Context::Detail))
        .await;
    let before = sandbox.owned_number("sandbox", &chosen).unwrap();
    ui.ch('e');
    ui.key(KeyCode::Tab);
    ui.ctrl('u');
    ui.text("https://headless.example.com/in");
    ui.key(KeyCode::Enter);
    ui.wait("the confirmation", |s| s.context == Some(Context::Dialog))
        .await;
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    let after = ui
        .wait("the saved webhook", |s| {
            s.detail_sms_url.as_deref() == Some("https://headless.example.com/in") && s.busy == 0
        })
        .await;
    assert_eq!(after.context, Some(Context::Detail));
    let stored = sandbox.owned_number("sandbox", &chosen).unwrap();
    assert_eq!(
        stored.mo_http_url.as_deref(),
        Some("https://headless.example.com/in")
    );
    assert_eq!(stored.app_id, before.app_id, "untouched fields are kept");
    assert_eq!(stored.voice_callback_value, before.voice_callback_value);

    // Back to the table, quit.
    ui.key(KeyCode::Esc);
    ui.ch('q');
    let ended = ui.ends("the loop ends after q").await;
    ended.result.unwrap();
    // The last frame drawn, every cell.
    let screen: String = ended.last.cells.concat();
    assert!(
        !screen.contains(&sc.api_secret),
        "the secret is never drawn"
    );
}
