//! Issue 13: an application's webhook change goes through the change engine like a number's:
//! journaled (intent before the PUT, outcome after), listed by `history`, put back by `undo`
//! (only the webhooks it changed, every other field kept; an app changed since is left alone
//! unless `--force`), a lost answer settled by reading the application back. And the
//! sandbox's state file keeps its applications. The sandbox's state is the oracle.

use crate::common;

use std::path::Path;

use crate::common::{Auth, Cli, TempDir};
use serde_json::Value;
use switchboard::api::apps::{AppWebhookChange, AppWebhooks};
use switchboard::journal::{AppChange, Entry, Journal, Kind, Status};
use switchboard::sandbox::{Faults, Sandbox, SandboxConfig};

fn cli(sb: &Sandbox, data: &Path, args: &[&str]) -> Cli {
    Cli::against(sb, Auth::Env)
        .env("SWITCHBOARD_DATA_DIR", data.to_str().unwrap())
        .args(args)
}

async fn history(sb: &Sandbox, data: &Path) -> Vec<Value> {
    let run = cli(sb, data, &["history", "--json"]).run().await;
    run.expect_code(0);
    run.json().as_array().expect("an array").clone()
}

/// The seeded application with voice, messages (and rtc).
fn full_app(sb: &Sandbox) -> String {
    sb.application_ids()
        .into_iter()
        .find(|id| {
            let caps = &sb.application(id).unwrap()["capabilities"];
            caps.get("voice").is_some() && caps.get("messages").is_some()
        })
        .expect("an application with voice and messages")
}

fn hook<'a>(app: &'a mut Value, cap: &str, name: &str) -> &'a mut Value {
    &mut app["capabilities"][cap]["webhooks"][name]
}

#[tokio::test(flavor = "multi_thread")]
async fn apps_update_is_journaled_listed_by_history_and_undone_exactly() {
    let sb = common::sandbox(10, 151).await;
    let data = TempDir::new("apps-undo");
    let id = full_app(&sb);
    let held = sb.application(&id).unwrap();
    let run = cli(
        &sb,
        data.path(),
        &[
            "apps",
            "update",
            &id,
            "--answer-url",
            "https://hooks.example.org/answer2",
            "--inbound-url",
            "https://hooks.example.org/in2",
            "--inbound-method",
            "get",
        ],
    )
    .run()
    .await;
    run.expect_code(0);
    assert!(run.stdout.contains("switchboard undo"), "{}", run.stdout);
    let mut expected = held.clone();
    hook(&mut expected, "voice", "answer_url")["address"] =
        "https://hooks.example.org/answer2".into();
    hook(&mut expected, "messages", "inbound_url")["address"] =
        "https://hooks.example.org/in2".into();
    hook(&mut expected, "messages", "inbound_url")["http_method"] = "GET".into();
    assert_eq!(
        sb.application(&id).unwrap(),
        expected,
        "only those three fields"
    );

    let entries = history(&sb, data.path()).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = &entries[0];
    assert_eq!(
        (e["kind"].as_str(), e["status"].as_str()),
        (Some("app"), Some("done"))
    );
    assert_eq!(e["app"]["id"], id.as_str());
    assert_eq!(
        e["app"]["before"]["answer_url"]["address"],
        held["capabilities"]["voice"]["webhooks"]["answer_url"]["address"]
    );
    assert_eq!(e["app"]["after"]["inbound_url"]["http_method"], "GET");
    let run = cli(&sb, data.path(), &["history"]).run().await;
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("answer_url=POST https://hooks.example.org/answer2")
            && run.stdout.contains(&id),
        "{}",
        run.stdout
    );

    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    run.expect_code(0);
    assert!(
        run.stderr.contains("restore the webhooks application"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["updated"], 1, "{}", run.stdout);
    assert_eq!(
        sb.application(&id).unwrap(),
        held,
        "exactly as before: addresses, methods, timeouts, keys, privacy, rtc"
    );
    let entries = history(&sb, data.path()).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[1]["undoes"], entries[0]["id"]);
    assert_eq!(entries[0]["undone_by"], entries[1]["id"]);
    assert_eq!(entries[1]["status"], "done");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_changed_since_is_left_alone_unless_forced_and_then_only_its_webhooks_go_back() {
    let sb = common::sandbox(10, 152).await;
    let data = TempDir::new("apps-undo-since");
    let client = common::client(&sb);
    let id = full_app(&sb);
    let held = sb.application(&id).unwrap();
    let args = [
        "apps",
        "update",
        id.as_str(),
        "--answer-url",
        "https://hooks.example.org/answer3",
    ];
    cli(&sb, data.path(), &args).run().await.expect_code(0);
    // Changed elsewhere since (the dashboard): another webhook.
    let elsewhere = AppWebhookChange {
        event_url: Some("https://dashboard.example.org/event".into()),
        ..Default::default()
    };
    client
        .update_application_webhooks(&id, &elsewhere)
        .await
        .expect("changed elsewhere");
    let changed = sb.application(&id).unwrap();

    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    run.expect_code(switchboard::cli::exit::code::REFUSED);
    let item = &run.json()["items"][0];
    assert_eq!(item["result"], "skipped", "{}", run.stdout);
    assert_eq!(item["application"], id.as_str());
    assert!(
        item["error"]
            .as_str()
            .unwrap()
            .contains("event_url is POST https://dashboard.example.org/event"),
        "{item}"
    );
    assert_eq!(sb.application(&id).unwrap(), changed, "left alone");

    let run = cli(&sb, data.path(), &["undo", "--yes", "--force"])
        .run()
        .await;
    run.expect_code(0);
    let mut expected = held.clone();
    hook(&mut expected, "voice", "event_url")["address"] =
        "https://dashboard.example.org/event".into();
    assert_eq!(
        sb.application(&id).unwrap(),
        expected,
        "the answer webhook back, the event webhook as changed since"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_to_an_app_change_is_settled_by_reading_the_app_back() {
    let sb = common::sandbox(10, 153).await;
    let data = TempDir::new("apps-lost");
    let client = common::client(&sb);
    let journal = Journal::open(&data.path().join("journal.jsonl")).unwrap();
    let id = full_app(&sb);
    // The PUT is carried out, then its answer replaced by a 500 (the GETs are not touched).
    sb.set_faults(Faults {
        rate_500: 1.0,
        path: Some(format!("/v2/applications/{id}")),
        method: Some("PUT".into()),
        after_change: true,
        limit: Some(1),
        ..Faults::default()
    });
    let change = AppWebhookChange {
        status_url: Some("https://hooks.example.org/status4".into()),
        ..Default::default()
    };
    let out = switchboard::bulk::app_ops::update_app(&client, Some(&journal), &id, &change)
        .await
        .expect("settled by reading back");
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("reading the application back")),
        "{:?}",
        out.warnings
    );
    assert_eq!(
        sb.application(&id).unwrap()["capabilities"]["messages"]["webhooks"]["status_url"]["address"],
        "https://hooks.example.org/status4"
    );
    assert_eq!(
        common::hits(&sb, "/v2/applications/{id}"),
        3,
        "read, PUT, read back"
    );
    let contents = journal.read().unwrap();
    assert_eq!(contents.entries.len(), 1);
    let e = &contents.entries[0];
    assert_eq!((e.kind, e.status), (Kind::App, Status::Done));
    assert_eq!(Some(e.id), out.entry);

    // A PUT refused before it ran: not made, and the journal does not say done.
    sb.set_faults(Faults {
        rate_500: 1.0,
        path: Some(format!("/v2/applications/{id}")),
        method: Some("PUT".into()),
        limit: Some(1),
        ..Faults::default()
    });
    let held = sb.application(&id).unwrap();
    let again = AppWebhookChange {
        status_url: Some("https://hooks.example.org/status5".into()),
        ..Default::default()
    };
    switchboard::bulk::app_ops::update_app(&client, Some(&journal), &id, &again)
        .await
        .expect_err("not made");
    assert_eq!(sb.application(&id).unwrap(), held);
    let contents = journal.read().unwrap();
    assert_eq!(contents.entries.len(), 2);
    assert_ne!(contents.entries[1].status, Status::Done);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_change_left_at_intent_is_reconciled_by_reading_the_app() {
    let sb = common::sandbox(10, 154).await;
    let data = TempDir::new("apps-reconcile");
    let client = common::client(&sb);
    let journal = Journal::open(&data.path().join("journal.jsonl")).unwrap();
    let id = full_app(&sb);
    let before = AppWebhooks::of(&client.application(&id).await.unwrap().unwrap());
    let change = AppWebhookChange {
        answer_url: Some("https://hooks.example.org/answer6".into()),
        ..Default::default()
    };
    // A crash after the PUT: the intent is all the journal holds.
    let (_, app) = client
        .update_application_webhooks(&id, &change)
        .await
        .unwrap();
    let intent = |n: u64, before: AppWebhooks, after: AppWebhooks| Entry {
        id: n,
        time: 0,
        batch: None,
        kind: Kind::App,
        app: Some(AppChange {
            id: id.clone(),
            name: String::new(),
            before,
            after,
        }),
        account: None,
        country: String::new(),
        msisdn: String::new(),
        before: None,
        after: None,
        status: Status::Intent,
        error: None,
        undoes: None,
    };
    let now = AppWebhooks::of(&app);
    journal.append(&intent(1, before, now.clone())).unwrap();
    // A second change whose PUT never left.
    let mut never = now.clone();
    never.status_url.as_mut().unwrap().address = "https://never.example.org/s".into();
    journal.append(&intent(2, now, never)).unwrap();
    let contents = journal.read().unwrap();
    let settled = switchboard::bulk::reconcile::reconcile(&client, &journal, &contents).await;
    let statuses: Vec<Status> = settled.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Status::Done, Status::Failed], "{settled:?}");
    let contents = journal.read().unwrap();
    assert_eq!(contents.entries[0].status, Status::Done);
    assert_eq!(contents.entries[1].status, Status::Failed);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_state_file_keeps_the_applications_across_a_restart() {
    let dir = TempDir::new("apps-state");
    let config = SandboxConfig {
        owned: 10,
        seed: 155,
        state_file: Some(dir.path().join("state.json")),
        ..SandboxConfig::default()
    };
    let sb = common::start(config.clone()).await;
    let id = full_app(&sb);
    let change = AppWebhookChange {
        inbound_url: Some("https://hooks.example.org/kept".into()),
        ..Default::default()
    };
    common::client(&sb)
        .update_application_webhooks(&id, &change)
        .await
        .unwrap();
    let held = sb.application(&id).unwrap();
    let ids = sb.application_ids();
    sb.shutdown().await;

    let sb = common::start(config.clone()).await;
    assert_eq!(sb.application_ids(), ids);
    assert_eq!(
        sb.application(&id).unwrap(),
        held,
        "the edit survived the restart"
    );
    assert_eq!(
        held["capabilities"]["messages"]["webhooks"]["inbound_url"]["address"],
        "https://hooks.example.org/kept"
    );
    sb.shutdown().await;

    // A file written before applications were kept: the seeded ones, the numbers as saved.
    let path = dir.path().join("state.json");
    let mut file: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(
        file.as_object_mut()
            .unwrap()
            .remove("applications")
            .is_some()
    );
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
    let sb = common::start(config).await;
    assert_eq!(sb.application_ids(), ids);
    assert_eq!(
        sb.application(&id).unwrap()["capabilities"]["messages"]["webhooks"]["inbound_url"]["address"],
        "https://example.com/apps/2/inbound",
        "seeded"
    );
    assert_eq!(sb.owned_count("sandbox"), 10);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_embedded_sandbox_keeps_an_app_edit_across_runs_and_undo_puts_it_back() {
    let data = TempDir::new("apps-embedded");
    let url = "https://hooks.example.org/embedded-answer";
    let sb = |args: &[&str]| {
        Cli::new()
            .env("SWITCHBOARD_DATA_DIR", data.path().to_str().unwrap())
            .args(["--sandbox", "--sandbox-owned", "20"])
            .args(args)
    };
    let listed = sb(&["apps", "list", "--json"]).run().await;
    listed.expect_code(0);
    let app = listed
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["capabilities"].get("voice").is_some())
        .cloned()
        .expect("a voice application");
    let id = app["id"].as_str().unwrap().to_string();
    sb(&["apps", "update", &id, "--answer-url", url])
        .run()
        .await
        .expect_code(0);
    // A new process, a new port: the edit is still there.
    let shown = sb(&["apps", "show", &id, "--json"]).run().await;
    shown.expect_code(0);
    assert_eq!(
        shown.json()["capabilities"]["voice"]["webhooks"]["answer_url"]["address"],
        url,
        "{shown:#?}"
    );
    sb(&["undo", "--yes"]).run().await.expect_code(0);
    let shown = sb(&["apps", "show", &id, "--json"]).run().await;
    let mut expected = app.clone();
    expected.as_object_mut().unwrap().remove("_links");
    let mut got = shown.json();
    got.as_object_mut().unwrap().remove("_links");
    assert_eq!(got, expected, "undone, in yet another process");
}
