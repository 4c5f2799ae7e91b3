//! Issue 13: the Applications pane through the TUI's real event loop (headless) against a
//! sandbox over loopback: the pane's tab and rows clicked; an application's webhook edited
//! from the pane, confirmed, saved through the journaled change, then undone with `u`. The sandbox's state is the oracle.

use std::sync::Arc;
use std::time::Duration;

use crate::common::TempDir;
use crate::common::tui::Headless;
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Client, ClientConfig, Credentials};
use switchboard::app::Context;
use switchboard::journal::{Journal, Kind, Status};
use switchboard::sandbox::Sandbox;
use switchboard::tui::Io;
use switchboard::tui::keymap::Keymap;

const NEW: &str = "https://tui.example.org/answer";

/// The seeded application with voice and messages.
fn full_app(sb: &Sandbox) -> String {
    sb.application_ids()
        .into_iter()
        .find(|id| {
            let caps = &sb.application(id).unwrap()["capabilities"];
            caps.get("voice").is_some() && caps.get("messages").is_some()
        })
        .expect("an application with voice and messages")
}

fn find(s: &crate::common::tui::Seen, text: &str) -> Option<(u16, u16)> {
    s.screen.iter().enumerate().find_map(|(y, row)| {
        let at = row.find(text)?;
        Some((row[..at].chars().count() as u16, y as u16))
    })
}

fn answer_of(sb: &Sandbox, id: &str) -> serde_json::Value {
    sb.application(id).unwrap()["capabilities"]["voice"]["webhooks"]["answer_url"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apps_webhook_is_edited_from_the_pane_and_undone() {
    let sb = crate::common::sandbox(12, 161).await;
    let data = TempDir::new("apps-tui");
    let journal = Arc::new(Journal::open(&data.path().join("journal.jsonl")).unwrap());
    let id = full_app(&sb);
    let held = sb.application(&id).unwrap();
    let sc = sb.config().clone();
    let client = Client::new(
        Credentials::new(sc.api_key.clone(), sc.api_secret.clone()),
        ClientConfig {
            base_url: sb.base_url(),
            timeout: Duration::from_secs(10),
            ..ClientConfig::default()
        },
    )
    .unwrap();
    let io = Io {
        journal: Some(journal.clone()),
        ..Io::default()
    };
    let mut ui = Headless::start_io(client, 120, 40, Keymap::default(), io, |_| {});
    ui.wait("the owned list", |s| s.owned.len() == 12 && s.busy == 0)
        .await;
    // The tab, clicked.
    let s = ui.now();
    let (x, y) = find(&s, "3 Apps").expect("the tab");
    ui.click(x + 1, y);
    let s = ui
        .wait("the Applications pane", |s| {
            s.context == Some(Context::Apps) && s.screen_text().contains("Voice IVR")
        })
        .await;
    // A click on a row selects it: its webhooks show under the table.
    let (x, y) = find(&s, "Voice IVR").expect("its row");
    ui.click(x + 1, y);
    ui.wait("the clicked application", |s| {
        s.screen_text().contains("┌ Voice IVR")
    })
    .await;
    // The filter finds it by its id.
    ui.ch('/');
    ui.text(&id[..13]);
    ui.key(KeyCode::Enter);
    let seen = ui
        .wait("one application shown", |s| {
            s.screen_text().contains("1 shown of 5")
        })
        .await;
    assert!(
        seen.screen_text().contains("answer_url"),
        "its webhooks under the table"
    );
    ui.ch('e');
    ui.wait("the form of its webhooks", |s| {
        s.context == Some(Context::Edit) && s.screen_text().contains("Webhooks of Support line")
    })
    .await;
    // The first field is the answer webhook: replaced, with its method.
    ui.ctrl('u');
    ui.text(&format!("GET {NEW}"));
    ui.key(KeyCode::Enter);
    let review = ui
        .wait("the review", |s| s.context == Some(Context::Dialog))
        .await;
    let text = review.screen_text();
    assert!(
        text.contains("answer_url") && text.contains(&format!("GET {NEW}")),
        "{text}"
    );
    assert_eq!(
        answer_of(&sb, &id),
        held["capabilities"]["voice"]["webhooks"]["answer_url"],
        "nothing sent before Save"
    );
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("saved, the form closed", |s| {
        s.context == Some(Context::Apps) && s.busy == 0 && answer_of(&sb, &id)["address"] == NEW
    })
    .await;
    let mut expected = held.clone();
    expected["capabilities"]["voice"]["webhooks"]["answer_url"]["address"] = NEW.into();
    expected["capabilities"]["voice"]["webhooks"]["answer_url"]["http_method"] = "GET".into();
    assert_eq!(
        sb.application(&id).unwrap(),
        expected,
        "only the answer webhook changed"
    );
    let entries = journal.read().unwrap().entries;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].kind, entries[0].status),
        (Kind::App, Status::Done)
    );

    // `u` undoes it, after its confirmation.
    ui.ch('u');
    let confirm = ui
        .wait("the undo's confirmation", |s| {
            s.context == Some(Context::Dialog)
        })
        .await;
    assert!(
        confirm
            .screen_text()
            .contains("Restore the webhooks application"),
        "{}",
        confirm.screen_text()
    );
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("undone", |s| {
        s.busy == 0 && answer_of(&sb, &id)["address"] != NEW
    })
    .await;
    assert_eq!(sb.application(&id).unwrap(), held, "exactly as before");
    let entries = journal.read().unwrap().entries;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].undoes, Some(entries[0].id));
    ui.ctrl('c');
    ui.ends("the loop ends").await.result.unwrap();
}
