//! The SMS webhook pre-check against real HTTP on loopback: a webhook answering 404 and one
//! answering 200. In the TUI (the real event loop, headless, against a sandbox that does
//! Vonage's own check), the save dialog warns about the first and not the second, and saving
//! still works as Vonage would decide; on the command line, `update --sms-url` warns on stderr
//! (and `--no-webhook-check` skips the GET).

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::common::{Auth, MAIN_KEY, run_against, webhook};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use switchboard::app::dialog::{Dialog, WebhookStatus};
use switchboard::app::{App, Context, Level};
use switchboard::tui::{drive, keymap::Keymap, theme::Theme};
use tokio::sync::{mpsc, watch};

#[derive(Clone, Debug, Default, PartialEq)]
struct Seen {
    loaded: usize,
    context: Option<Context>,
    selected: Option<String>,
    check: Option<WebhookStatus>,
    message: Option<(Level, String)>,
    busy: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_save_dialog_warns_when_the_webhook_would_not_answer_200() {
    let sb = crate::common::sandbox(30, 21).await;
    let client = crate::common::client(&sb);
    let (url_404, hits_404) = webhook(404).await;
    let (url_200, hits_200) = webhook(200).await;
    let mut app = crate::common::app_for(&sb, std::time::Instant::now());
    let (tx, mut events) = mpsc::unbounded_channel();
    let (seen_tx, mut seen) = watch::channel(Seen::default());
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
                let check = match a.dialog() {
                    Some(Dialog::ConfirmUpdate { webhook, .. }) => {
                        webhook.as_ref().map(|c| c.status.clone())
                    }
                    _ => None,
                };
                let _ = seen_tx.send(Seen {
                    loaded: a.owned.numbers.len(),
                    context: Some(a.context()),
                    selected: a.owned.selected_msisdn(),
                    check,
                    message: a.messages.current().map(|t| (t.level, t.text.clone())),
                    busy: a.busy(),
                });
            },
        )
        .await
    });
    let ready =
        crate::common::wait_watch(&mut seen, "the list", |s| s.loaded == 30 && s.busy == 0).await;
    let msisdn = ready.selected.expect("a selected number");
    let before = sb.owned_number(MAIN_KEY, &msisdn).unwrap().mo_http_url;

    let edit_to = |url: &str| {
        tx.send(crate::common::key(KeyCode::Char('e'))).unwrap();
        tx.send(crate::common::key(KeyCode::Tab)).unwrap();
        tx.send(crate::common::ctrl('u')).unwrap();
        for c in url.chars() {
            tx.send(crate::common::key(KeyCode::Char(c))).unwrap();
        }
        tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    };

    // A webhook answering 404: the dialog says Vonage will refuse it.
    edit_to(&url_404);
    crate::common::wait_watch(&mut seen, "the 404 warning", |s| {
        s.check == Some(WebhookStatus::Answered(404))
    })
    .await;
    assert_eq!(hits_404.load(Ordering::SeqCst), 1, "one GET, from the app");
    // Save anyway: the sandbox checks too, as Vonage does, and refuses.
    tx.send(crate::common::key(KeyCode::Tab)).unwrap();
    tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    let refused = crate::common::wait_watch(&mut seen, "the refusal", |s| {
        s.busy == 0 && s.message.as_ref().is_some_and(|(l, _)| *l == Level::Error)
    })
    .await;
    assert_eq!(
        sb.owned_number(MAIN_KEY, &msisdn).unwrap().mo_http_url,
        before,
        "refused: {refused:?}"
    );
    assert_eq!(
        hits_404.load(Ordering::SeqCst),
        2,
        "and one from the sandbox"
    );

    // The edit form is still open: a webhook answering 200 instead. It holds the refused
    // edit: Esc asks before dropping it, y drops it, back to the list it was opened from.
    tx.send(crate::common::key(KeyCode::Esc)).unwrap();
    crate::common::wait_watch(&mut seen, "the discard question", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    tx.send(crate::common::key(KeyCode::Char('y'))).unwrap();
    crate::common::wait_watch(&mut seen, "the list", |s| s.context == Some(Context::Owned)).await;
    edit_to(&url_200);
    crate::common::wait_watch(&mut seen, "the 200 answer", |s| {
        s.check == Some(WebhookStatus::Answered(200))
    })
    .await;
    tx.send(crate::common::key(KeyCode::Tab)).unwrap();
    tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    crate::common::wait_watch(&mut seen, "the save", |s| {
        s.busy == 0
            && s.message
                .as_ref()
                .is_some_and(|(_, m)| m.starts_with("updated"))
    })
    .await;
    assert_eq!(
        sb.owned_number(MAIN_KEY, &msisdn)
            .unwrap()
            .mo_http_url
            .as_deref(),
        Some(url_200.as_str())
    );
    assert_eq!(
        hits_200.load(Ordering::SeqCst),
        2,
        "the app's GET, the sandbox's"
    );

    tx.send(crate::common::key(KeyCode::Esc)).unwrap();
    tx.send(crate::common::key(KeyCode::Char('q'))).unwrap();
    tokio::time::timeout(Duration::from_secs(10), ui)
        .await
        .expect("the loop ends after q")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_update_warns_when_the_webhook_would_not_answer_200() {
    let sb = crate::common::sandbox(10, 22).await;
    let (_, (country, msisdn)) = crate::common::available_and_owned(&sb).await;
    let (url_404, hits_404) = webhook(404).await;
    let (url_200, hits_200) = webhook(200).await;

    let run = run_against(
        &sb,
        Auth::Flags,
        &["update", &country, &msisdn, "--sms-url", &url_404],
    )
    .await;
    run.expect_code(4);
    assert!(
        run.stderr
            .contains(&format!("warning: the SMS webhook {url_404} answered 404")),
        "{run:#?}"
    );
    assert_eq!(
        hits_404.load(Ordering::SeqCst),
        2,
        "switchboard's GET, the sandbox's"
    );

    let run = run_against(
        &sb,
        Auth::Flags,
        &[
            "update",
            &country,
            &msisdn,
            "--sms-url",
            &url_404,
            "--no-webhook-check",
        ],
    )
    .await;
    run.expect_code(4);
    assert!(!run.stderr.contains("warning: the SMS webhook"), "{run:#?}");
    assert_eq!(hits_404.load(Ordering::SeqCst), 3, "only the sandbox's GET");

    let run = run_against(
        &sb,
        Auth::Flags,
        &["update", &country, &msisdn, "--sms-url", &url_200],
    )
    .await;
    run.expect_code(0);
    assert!(!run.stderr.contains("warning: the SMS webhook"), "{run:#?}");
    assert_eq!(hits_200.load(Ordering::SeqCst), 2);

    // Nothing listening: could not connect.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/gone", l.local_addr().unwrap())
    };
    let run = run_against(
        &sb,
        Auth::Flags,
        &["update", &country, &msisdn, "--sms-url", &closed],
    )
    .await;
    assert!(
        run.stderr
            .contains("could not be checked (could not connect"),
        "{run:#?}"
    );
}
