//! The SMS webhook pre-check against real HTTP on loopback: a webhook answering 404 and one
//! answering 200. In the TUI (the real event loop, headless, against a sandbox that does
//! Vonage's own check), the save dialog warns about the first and not the second, and saving
//! still works as Vonage would decide; on the command line, `update --sms-url` warns on stderr
//! (and `--no-webhook-check` skips the GET).

use std::sync::atomic::Ordering;

use crate::common::tui::Headless;
use crate::common::{Auth, MAIN_KEY, run_against, webhook};
use ratatui::crossterm::event::KeyCode;
use switchboard::app::dialog::WebhookStatus;
use switchboard::app::{Context, Level};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_save_dialog_warns_when_the_webhook_would_not_answer_200() {
    let sb = crate::common::sandbox(30, 21).await;
    let client = crate::common::client(&sb);
    let (url_404, hits_404) = webhook(404).await;
    let (url_200, hits_200) = webhook(200).await;
    let mut ui = Headless::start(client, 120, 40);
    let ready = ui
        .wait("the list", |s| s.owned.len() == 30 && s.busy == 0)
        .await;
    let msisdn = ready.selected.expect("a selected number");
    let before = sb.owned_number(MAIN_KEY, &msisdn).unwrap().mo_http_url;

    let edit_to = |ui: &Headless, url: &str| {
        ui.ch('e');
        ui.key(KeyCode::Tab);
        ui.ctrl('u');
        ui.text(url);
        ui.key(KeyCode::Enter);
    };

    // A webhook answering 404: the dialog says Vonage will refuse it.
    edit_to(&ui, &url_404);
    ui.wait("the 404 warning", |s| {
        s.webhook_check == Some(WebhookStatus::Answered(404))
    })
    .await;
    assert_eq!(hits_404.load(Ordering::SeqCst), 1, "one GET, from the app");
    // Save anyway: the sandbox checks too, as Vonage does, and refuses.
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    let refused = ui
        .wait("the refusal", |s| {
            s.busy == 0 && s.toast_level == Some(Level::Error)
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
    ui.key(KeyCode::Esc);
    ui.wait("the discard question", |s| {
        s.context == Some(Context::Dialog)
    })
    .await;
    ui.ch('y');
    ui.wait("the list", |s| s.context == Some(Context::Owned))
        .await;
    edit_to(&ui, &url_200);
    ui.wait("the 200 answer", |s| {
        s.webhook_check == Some(WebhookStatus::Answered(200))
    })
    .await;
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("the save", |s| {
        s.busy == 0 && s.toast.as_ref().is_some_and(|m| m.starts_with("updated"))
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

    ui.key(KeyCode::Esc);
    ui.ch('q');
    ui.ends("the loop ends after q").await.result.unwrap();
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
