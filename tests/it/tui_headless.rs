//! The real event loop (`tui::drive`) on a TestBackend, driven by key events, against a sandbox
//! over loopback HTTP: load, filter, open a number, change its SMS webhook, confirm, quit.

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Client, ClientConfig, Credentials};
use switchboard::app::{App, Context};
use switchboard::sandbox::{Sandbox, SandboxConfig};
use switchboard::tui::{drive, keymap::Keymap, theme::Theme};
use tokio::sync::{mpsc, watch};

/// What the test watches of the app after each frame.
#[derive(Clone, Debug, Default, PartialEq)]
struct Seen {
    loaded: usize,
    shown: usize,
    context: Option<Context>,
    selected: Option<String>,
    detail_sms_url: Option<String>,
    busy: usize,
}

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
    let mut app = crate::common::app_for(&sandbox, std::time::Instant::now());
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let (seen_tx, mut seen) = watch::channel(Seen::default());
    let ui = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let result = drive(
            &mut terminal,
            &mut events,
            &mut app,
            client,
            &Keymap::default(),
            &Theme::new(true),
            |a: &App| {
                let _ = seen_tx.send(Seen {
                    loaded: a.owned.numbers.len(),
                    shown: a.owned.shown.len(),
                    context: Some(a.context()),
                    selected: a.owned.selected_msisdn(),
                    detail_sms_url: a
                        .detail_number()
                        .and_then(|n| n.mo_http_url.as_deref().map(String::from)),
                    busy: a.busy(),
                });
            },
        )
        .await;
        (result, terminal)
    });

    crate::common::wait_watch(&mut seen, "the owned list", |s| {
        s.loaded == 60 && s.busy == 0
    })
    .await;

    // Filter to the GB numbers.
    events_tx
        .send(crate::common::key(KeyCode::Char('/')))
        .unwrap();
    for c in "44".chars() {
        events_tx
            .send(crate::common::key(KeyCode::Char(c)))
            .unwrap();
    }
    let filtered = crate::common::wait_watch(&mut seen, "the filter", |s| {
        s.context == Some(Context::OwnedFilter) && s.shown < 60
    })
    .await;
    assert!(filtered.shown > 0, "some GB (44) numbers among 60");
    events_tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    let chosen = crate::common::wait_watch(&mut seen, "the table again", |s| {
        s.context == Some(Context::Owned)
    })
    .await
    .selected
    .expect("a selected number");

    // Open it, edit the SMS webhook, confirm.
    events_tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    crate::common::wait_watch(&mut seen, "the detail view", |s| {
        s.context == Some(Context::Detail)
    })
    .await;
    let before = sandbox.owned_number("sandbox", &chosen).unwrap();
    events_tx
        .send(crate::common::key(KeyCode::Char('e')))
        .unwrap();
    events_tx.send(crate::common::key(KeyCode::Tab)).unwrap();
    events_tx.send(crate::common::ctrl('u')).unwrap();
    for c in "https://headless.example.com/in".chars() {
        events_tx
            .send(crate::common::key(KeyCode::Char(c)))
            .unwrap();
    }
    events_tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    crate::common::wait_watch(&mut seen, "the confirmation", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    events_tx.send(crate::common::key(KeyCode::Tab)).unwrap();
    events_tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    let after = crate::common::wait_watch(&mut seen, "the saved webhook", |s| {
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
    events_tx.send(crate::common::key(KeyCode::Esc)).unwrap();
    events_tx
        .send(crate::common::key(KeyCode::Char('q')))
        .unwrap();
    let (result, terminal) = tokio::time::timeout(Duration::from_secs(10), ui)
        .await
        .expect("the loop ends after q")
        .unwrap();
    result.unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        !screen.contains(&sc.api_secret),
        "the secret is never drawn"
    );
}
