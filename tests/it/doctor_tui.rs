//! Issue 13, part 5: the SMS webhook GET check of the doctor (CLI `doctor --check-webhooks`,
//! and `w` in the TUI's doctor view), and a fix of every number of a kind from the TUI's
//! doctor (the bulk form, its review and run), against a sandbox over loopback whose numbers
//! are wired on purpose: webhooks on loopback servers that answer 404 or 200, links to an
//! application that does not exist.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::common::tui::Headless;
use crate::common::{Auth, MAIN_KEY, run_against};
use ratatui::crossterm::event::KeyCode;
use serde_json::Value;
use switchboard::api::{Change, Client, ClientConfig, Field, NumberChange};
use switchboard::app::Context;
use switchboard::sandbox::{Sandbox, SandboxConfig};

const GHOST: &str = "00000000-1111-4222-8333-444444444444";

async fn sandbox() -> Sandbox {
    crate::common::start(SandboxConfig {
        owned: 4,
        seed: 1307,
        // The 404 webhook must be accepted as a number's SMS webhook.
        webhook_check: false,
        ..SandboxConfig::default()
    })
    .await
}

fn client(sb: &Sandbox) -> Client {
    crate::common::client_with(
        sb,
        ClientConfig {
            timeout: Duration::from_secs(5),
            ..ClientConfig::default()
        },
    )
}

/// Wires the four numbers: each linked to `apps[i]`, with `urls[i]` as SMS webhook (None:
/// none), no forwarding, no messages callback. Returns their msisdns.
async fn wire(c: &Client, apps: [&str; 4], urls: [Option<&str>; 4]) -> Vec<String> {
    let numbers = crate::common::all_owned(c).await;
    assert_eq!(numbers.len(), 4);
    let mut out = Vec::new();
    for (i, n) in numbers.iter().enumerate() {
        let mut change = NumberChange {
            app_id: Change::Set(apps[i].to_string()),
            mo_http_url: match urls[i] {
                Some(u) => Change::Set(u.to_string()),
                None => Change::Clear,
            },
            ..Default::default()
        };
        change.clear(Field::Voice);
        change.clear(Field::Messages);
        let (country, msisdn) = (n.country.as_deref().unwrap(), n.msisdn.clone().unwrap());
        c.update(country, &msisdn, &change, None).await.unwrap();
        out.push(msisdn);
    }
    out
}

/// The seeded "Support line" with voice and messages: numbers linked to it are fine.
async fn fine_app(c: &Client) -> String {
    c.applications()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == "Support line" && a.has("voice") && a.has("messages"))
        .expect("the seeded Support line with both capabilities")
        .id
}

fn of_kind<'a>(findings: &'a [Value], kind: &str) -> Vec<&'a str> {
    let mut v: Vec<&str> = findings
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["msisdn"].as_str().unwrap())
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_check_webhooks_gets_each_distinct_url_once_and_reports_the_failures() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (bad, bad_hits) = crate::common::webhook(404).await;
    let (good, good_hits) = crate::common::webhook(200).await;
    let app = fine_app(&c).await;
    let m = wire(
        &c,
        [&app, &app, &app, &app],
        [Some(&bad), Some(&good), Some(&bad), None],
    )
    .await;
    let hits = |h: &std::sync::Arc<std::sync::atomic::AtomicU64>| h.load(Ordering::SeqCst);
    let (bad0, good0) = (hits(&bad_hits), hits(&good_hits));

    // Without the flag: no request to the webhooks, nothing broken.
    let run = run_against(&sb, Auth::Env, &["doctor", "--json"]).await;
    run.expect_code(0);
    assert!(of_kind(run.json().as_array().unwrap(), "sms-webhook-fails").is_empty());
    assert_eq!(
        (hits(&bad_hits), hits(&good_hits)),
        (bad0, good0),
        "only when asked"
    );

    let run = run_against(&sb, Auth::Env, &["doctor", "--json", "--check-webhooks"]).await;
    run.expect_code(1);
    let findings = run.json().as_array().unwrap().clone();
    let mut want = vec![m[0].as_str(), m[2].as_str()];
    want.sort();
    assert_eq!(
        of_kind(&findings, "sms-webhook-fails"),
        want,
        "{findings:#?}"
    );
    let f = findings
        .iter()
        .find(|f| f["kind"] == "sms-webhook-fails")
        .unwrap();
    assert!(
        f["detail"].as_str().unwrap().contains("answered 404"),
        "{f}"
    );
    assert!(f["fix"].as_str().unwrap().contains("--sms-url"), "{f}");
    assert_eq!(f["broken"], true);
    assert_eq!(
        hits(&bad_hits) - bad0,
        1,
        "one GET for the URL two numbers share"
    );
    assert_eq!(hits(&good_hits) - good0, 1);
    assert_eq!(sb.owned_count(MAIN_KEY), 4, "the doctor changes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_view_checks_the_webhooks_when_asked_and_fixes_every_number_of_a_kind() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (bad, bad_hits) = crate::common::webhook(404).await;
    let app = fine_app(&c).await;
    // Two numbers on an application that does not exist; one with a webhook that answers 404.
    let m = wire(
        &c,
        [GHOST, &app, GHOST, &app],
        [None, Some(&bad), None, None],
    )
    .await;
    let before = bad_hits.load(Ordering::SeqCst);

    let mut ui = Headless::start(c, 120, 40);
    ui.wait("the list and the applications", |s| {
        s.loaded && s.busy == 0 && s.screen_text().contains("unknown 00000000")
    })
    .await;
    ui.ch('D');
    let seen = ui
        .wait("the doctor", |s| s.context == Some(Context::Doctor))
        .await;
    let text = seen.screen_text();
    assert!(text.contains("2 broken"), "{text}");
    assert!(
        !text.contains("answered 404"),
        "not checked before asked:\n{text}"
    );
    assert_eq!(
        bad_hits.load(Ordering::SeqCst),
        before,
        "no GET before asked"
    );

    ui.ch('w');
    let seen = ui
        .wait("the webhook check", |s| {
            s.busy == 0 && s.screen_text().contains("answered 404")
        })
        .await;
    assert!(seen.screen_text().contains(&m[1]), "{}", seen.screen_text());
    assert_eq!(bad_hits.load(Ordering::SeqCst) - before, 1);

    // Select the first number's unknown-application finding, wherever the sort put it.
    let text = seen.screen_text();
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("BROKEN") || l.contains("warning "))
        .collect();
    let at = rows
        .iter()
        .position(|l| l.contains(&m[0]) && !l.contains("SMS webhook"))
        .unwrap_or_else(|| panic!("{text}"));
    for _ in 0..at {
        ui.ch('j');
    }
    ui.ch('E');
    let seen = ui
        .wait("the bulk form", |s| s.context == Some(Context::BulkForm))
        .await;
    assert!(
        seen.screen_text().contains("Edit 2 marked numbers"),
        "{}",
        seen.screen_text()
    );
    ui.key(KeyCode::Enter);
    ui.wait("the bulk review", |s| s.context == Some(Context::Dialog))
        .await;
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("the run's end", |s| {
        s.busy == 0
            && sb.owned_number(MAIN_KEY, &m[0]).unwrap().app_id.is_none()
            && sb.owned_number(MAIN_KEY, &m[2]).unwrap().app_id.is_none()
    })
    .await;
    for i in [1, 3] {
        assert_eq!(
            sb.owned_number(MAIN_KEY, &m[i]).unwrap().app_id.as_deref(),
            Some(app.as_str()),
            "the numbers of another kind are untouched"
        );
    }
    ui.finish().await.unwrap();
}
