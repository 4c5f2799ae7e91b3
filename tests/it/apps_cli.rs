//! Issue 13, part 6: `apps list|show|update` and `balance`, the real binary against a sandbox
//! over loopback (its --base-url serves the Applications API too). The sandbox's state is the
//! oracle.

use crate::common;

use crate::common::{Auth, MAIN_KEY, run_against};
use serde_json::Value;

fn id_named(sb: &switchboard::sandbox::Sandbox, name: &str) -> Vec<String> {
    sb.application_ids()
        .into_iter()
        .filter(|id| sb.application(id).unwrap()["name"] == name)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn apps_list_in_every_format() {
    let sb = common::sandbox(20, 141).await;
    let run = run_against(&sb, Auth::Env, &["apps", "list", "--json"]).await;
    run.expect_code(0);
    let listed: Vec<String> = run
        .json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, sb.application_ids());
    let run = run_against(&sb, Auth::Flags, &["apps", "list", "--csv"]).await;
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("id,name,capabilities,answer_url"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 1 + listed.len());
    let run = run_against(&sb, Auth::Flags, &["apps", "list"]).await;
    run.expect_code(0);
    assert!(run.stdout.contains("Support line") && run.stdout.contains("SMS inbox"));
    assert!(
        run.stdout
            .contains(&format!("{} applications", listed.len()))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_two_apps_share_is_refused_with_both_ids_and_changes_nothing() {
    let sb = common::sandbox(20, 142).await;
    let both = id_named(&sb, "Support line");
    assert_eq!(both.len(), 2);
    let held: Vec<Value> = both.iter().map(|id| sb.application(id).unwrap()).collect();
    for args in [
        vec!["apps", "show", "Support line"],
        vec![
            "apps",
            "update",
            "support LINE",
            "--answer-url",
            "https://example.com/a",
        ],
    ] {
        let run = run_against(&sb, Auth::Env, &args).await;
        run.expect_code(2);
        for id in &both {
            assert!(run.stderr.contains(id.as_str()), "{args:?}: {}", run.stderr);
        }
    }
    let after: Vec<Value> = both.iter().map(|id| sb.application(id).unwrap()).collect();
    assert_eq!(after, held);
    let run = run_against(&sb, Auth::Env, &["apps", "show", "No such app"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("no application has the id or name"),
        "{}",
        run.stderr
    );
    // By id, either of the two.
    let run = run_against(&sb, Auth::Env, &["apps", "show", &both[1], "--json"]).await;
    run.expect_code(0);
    assert_eq!(run.json(), held[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn apps_update_by_name_changes_only_the_webhooks_named() {
    let sb = common::sandbox(20, 143).await;
    let id = id_named(&sb, "SMS inbox").remove(0);
    let before = sb.application(&id).unwrap();
    let run = run_against(
        &sb,
        Auth::Env,
        &[
            "apps",
            "update",
            "sms inbox",
            "--inbound-url",
            "https://hooks.example.net/in",
            "--status-url",
            "https://hooks.example.net/status",
        ],
    )
    .await;
    run.expect_code(0);
    assert!(
        run.stdout.contains("messages.inbound_url")
            && run.stdout.contains("-> POST https://hooks.example.net/in"),
        "{}",
        run.stdout
    );
    let mut expected = before.clone();
    let hooks = &mut expected["capabilities"]["messages"]["webhooks"];
    hooks["inbound_url"]["address"] = Value::from("https://hooks.example.net/in");
    hooks["status_url"]["address"] = Value::from("https://hooks.example.net/status");
    assert_eq!(sb.application(&id).unwrap(), expected);
    // A bad URL and a missing capability: refused before anything is sent, nothing changed.
    for args in [
        vec!["apps", "update", &id, "--inbound-url", "not a url"],
        vec![
            "apps",
            "update",
            &id,
            "--answer-url",
            "https://example.com/x",
        ],
        vec!["apps", "update", &id],
    ] {
        let run = run_against(&sb, Auth::Env, &args).await;
        run.expect_code(2);
    }
    assert_eq!(sb.application(&id).unwrap(), expected);
    let run = run_against(
        &sb,
        Auth::Env,
        &[
            "--read-only",
            "apps",
            "update",
            &id,
            "--inbound-url",
            "https://example.com/y",
        ],
    )
    .await;
    run.expect_code(2);
    assert_eq!(sb.application(&id).unwrap(), expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn balance_shows_the_credit() {
    let sb = common::sandbox(20, 144).await;
    let run = run_against(&sb, Auth::Env, &["balance", "--json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["value"].as_f64(), Some(sb.credit(MAIN_KEY)));
    let run = run_against(&sb, Auth::Env, &["balance"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout.trim(), format!("EUR {:.2}", sb.credit(MAIN_KEY)));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_host_flag_sends_applications_elsewhere_and_numbers_still_work() {
    let sb = common::sandbox(20, 145).await;
    let closed = common::closed_port_url();
    let run = common::Cli::against(&sb, Auth::Env)
        .args(["--api-host", &closed, "apps", "list"])
        .run()
        .await;
    assert_ne!(run.code, 0, "{run:#?}");
    assert!(run.stderr.contains("list applications"), "{}", run.stderr);
    let run = common::Cli::against(&sb, Auth::Env)
        .env("SWITCHBOARD_API_HOST", &closed)
        .args(["list", "--json"])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(common::hits(&sb, "/v2/applications"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn list_and_update_take_an_app_by_name() {
    let sb = common::sandbox(200, 146).await;
    let voice = id_named(&sb, "Voice IVR").remove(0);
    let run = run_against(&sb, Auth::Env, &["list", "--json", "--app", "voice ivr"]).await;
    run.expect_code(0);
    let numbers = run.json()["numbers"].as_array().unwrap().clone();
    assert!(!numbers.is_empty());
    for n in &numbers {
        assert_eq!(n["app_id"].as_str(), Some(voice.as_str()), "{n}");
    }
    let run = run_against(&sb, Auth::Env, &["list", "--app", "Support line"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("2 applications are named"),
        "{}",
        run.stderr
    );

    let (_, (country, msisdn)) = common::available_and_owned(&sb).await;
    let sms = id_named(&sb, "SMS inbox").remove(0);
    let before = sb.owned_number(MAIN_KEY, &msisdn).unwrap();
    let run = run_against(
        &sb,
        Auth::Env,
        &["update", &country, &msisdn, "--app", "SMS inbox"],
    )
    .await;
    run.expect_code(0);
    let after = sb.owned_number(MAIN_KEY, &msisdn).unwrap();
    assert_eq!(after.app_id.as_deref(), Some(sms.as_str()));
    assert_eq!(after.mo_http_url, before.mo_http_url, "the rest kept");
    let run = run_against(
        &sb,
        Auth::Env,
        &["update", &country, &msisdn, "--app", "Support line"],
    )
    .await;
    run.expect_code(2);
    assert_eq!(
        sb.owned_number(MAIN_KEY, &msisdn).unwrap(),
        after,
        "nothing changed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_the_applications_api_refuses_still_links_by_id_and_says_why_once() {
    let sb = common::sandbox(20, 147).await;
    let (refusing, _) = common::raw_server(
        "401 Unauthorized",
        String::new(),
        r#"{"type":"https://developer.nexmo.com/api-errors#unauthorized","title":"Invalid credentials supplied","detail":"You did not provide correct credentials."}"#,
    )
    .await;
    let (_, (country, msisdn)) = common::available_and_owned(&sb).await;
    let id = id_named(&sb, "Alerts").remove(0);
    let run = common::Cli::against(&sb, Auth::Env)
        .args([
            "--api-host",
            &refusing,
            "update",
            &country,
            &msisdn,
            "--app",
            &id,
        ])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(
        sb.owned_number(MAIN_KEY, &msisdn)
            .unwrap()
            .app_id
            .as_deref(),
        Some(id.as_str())
    );
    assert_eq!(
        run.stderr
            .matches("may not use the Applications API")
            .count(),
        1,
        "said once: {}",
        run.stderr
    );
    let run = common::Cli::against(&sb, Auth::Env)
        .args([
            "--api-host",
            &refusing,
            "update",
            &country,
            &msisdn,
            "--app",
            "Alerts x",
        ])
        .run()
        .await;
    run.expect_code(3);
    assert!(run.stderr.contains("Applications API"), "{}", run.stderr);
}
