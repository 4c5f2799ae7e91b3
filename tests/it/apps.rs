//! Issue 13, parts 1 and 2: the client's Applications API and balance against the sandbox over
//! loopback (one sandbox URL serves both hosts' paths). The sandbox's own state is the oracle:
//! an application PUT keeps every field not edited; errors are the real service's.

use crate::common;

use std::collections::BTreeSet;

use crate::common::MAIN_KEY;
use serde_json::Value;
use switchboard::api::apps::AppWebhookChange;
use switchboard::api::{ApiError, OwnedFilter};

#[tokio::test(flavor = "multi_thread")]
async fn every_application_is_listed_and_the_owned_numbers_link_to_them() {
    let sb = common::sandbox(300, 131).await;
    let client = common::client(&sb);
    let apps = client.applications().await.expect("applications");
    let ids: BTreeSet<String> = apps.iter().map(|a| a.id.clone()).collect();
    assert_eq!(ids, sb.application_ids().into_iter().collect());
    let linked: BTreeSet<String> = client
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .unwrap()
        .iter()
        .filter_map(|n| n.app_id.as_deref().map(str::to_string))
        .collect();
    assert!(!linked.is_empty());
    assert!(
        linked.is_subset(&ids),
        "every linked id is an application: {linked:?} / {ids:?}"
    );
    let voice_only = apps.iter().filter(|a| a.has("voice") && !a.has("messages"));
    let messages_only = apps.iter().filter(|a| a.has("messages") && !a.has("voice"));
    let both = apps.iter().filter(|a| a.has("voice") && a.has("messages"));
    assert!(voice_only.count() >= 1 && messages_only.count() >= 1 && both.count() >= 1);
    let names: Vec<&str> = apps.iter().map(|a| a.name.as_str()).collect();
    let shared = names
        .iter()
        .filter(|n| names.iter().filter(|m| m == n).count() == 2)
        .count();
    assert_eq!(shared, 2, "two applications share a name: {names:?}");
    for a in &apps {
        assert_eq!(
            Some(&a.raw),
            sb.application(&a.id).as_ref(),
            "listed as held"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_application_and_an_unknown_id() {
    let sb = common::sandbox(10, 132).await;
    let client = common::client(&sb);
    let id = sb.application_ids()[0].clone();
    let app = client.application(&id).await.unwrap().expect("found");
    assert_eq!(Some(app.raw), sb.application(&id));
    let unknown = "00000000-0000-4000-8000-000000000000";
    assert_eq!(client.application(unknown).await.unwrap(), None);
    let bad = client.application("../account/numbers").await;
    assert!(matches!(bad, Err(ApiError::InvalidInput { .. })), "{bad:?}");
    let change = AppWebhookChange {
        inbound_url: Some("https://example.com/in".into()),
        ..Default::default()
    };
    let err = client
        .update_application_webhooks(unknown, &change)
        .await
        .unwrap_err();
    assert!(err.to_string().contains(unknown), "{err}");
}

/// The id of the seeded application with voice, messages and rtc.
fn full_app(sb: &switchboard::sandbox::Sandbox) -> String {
    sb.application_ids()
        .into_iter()
        .find(|id| {
            let a = sb.application(id).unwrap();
            let caps = &a["capabilities"];
            caps.get("voice").is_some() && caps.get("messages").is_some()
        })
        .expect("an application with voice and messages")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_update_keeps_every_field_not_edited() {
    let sb = common::sandbox(10, 133).await;
    let client = common::client(&sb);
    let id = full_app(&sb);
    let held_before = sb.application(&id).unwrap();
    let change = AppWebhookChange {
        inbound_url: Some("https://hooks.example.org/inbound".into()),
        answer_url: Some("https://hooks.example.org/answer".into()),
        ..Default::default()
    };
    let (before, after) = client
        .update_application_webhooks(&id, &change)
        .await
        .expect("updated");
    assert_eq!(before.raw, held_before);
    let held_after = sb.application(&id).unwrap();
    assert_eq!(after.raw, held_after);
    let mut expected = held_before.clone();
    expected["capabilities"]["messages"]["webhooks"]["inbound_url"]["address"] =
        Value::from("https://hooks.example.org/inbound");
    expected["capabilities"]["voice"]["webhooks"]["answer_url"]["address"] =
        Value::from("https://hooks.example.org/answer");
    assert_eq!(
        held_after, expected,
        "only the two addresses changed: keys, privacy, rtc, methods, timeouts kept"
    );
    assert!(held_after["keys"]["public_key"].is_string());
    assert!(held_after["capabilities"]["rtc"].is_object());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_of_a_missing_capability_is_refused_and_nothing_changes() {
    let sb = common::sandbox(10, 134).await;
    let client = common::client(&sb);
    let id = sb
        .application_ids()
        .into_iter()
        .find(|id| {
            sb.application(id).unwrap()["capabilities"]
                .get("voice")
                .is_none()
        })
        .expect("a messages-only application");
    let held = sb.application(&id).unwrap();
    let change = AppWebhookChange {
        answer_url: Some("https://example.com/answer".into()),
        ..Default::default()
    };
    let err = client
        .update_application_webhooks(&id, &change)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no voice capability"), "{err}");
    let bad_url = AppWebhookChange {
        inbound_url: Some("ftp://example.com/x".into()),
        ..Default::default()
    };
    assert!(matches!(
        client.update_application_webhooks(&id, &bad_url).await,
        Err(ApiError::InvalidInput { .. })
    ));
    assert_eq!(sb.application(&id).unwrap(), held, "nothing changed");
    assert_eq!(common::hits(&sb, "/v2/applications/{id}"), 1, "no PUT left");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_put_replaces_and_answers_the_real_errors() {
    let sb = common::sandbox(10, 135).await;
    let id = full_app(&sb);
    let c = sb.config().clone();
    let http = reqwest::Client::new();
    let url = format!(
        "{}/v2/applications/{id}",
        sb.base_url().trim_end_matches('/')
    );
    // No name: 400 with the field named.
    let r = http
        .put(&url)
        .basic_auth(&c.api_key, Some(&c.api_secret))
        .json(&serde_json::json!({ "capabilities": {} }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["invalid_parameters"][0]["name"], "name", "{body}");
    // Replace semantics: a capability left out is removed.
    let r = http
        .put(&url)
        .basic_auth(&c.api_key, Some(&c.api_secret))
        .json(&serde_json::json!({ "name": "Renamed", "capabilities": { "voice": sb.application(&id).unwrap()["capabilities"]["voice"] } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let held = sb.application(&id).unwrap();
    assert_eq!(held["name"], "Renamed");
    assert!(held["capabilities"].get("messages").is_none(), "{held}");
    // Wrong secret: 401; unknown id: 404; paging checked.
    let r = http
        .get(&url)
        .basic_auth(&c.api_key, Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = http
        .get(format!(
            "{}/v2/applications/nope",
            sb.base_url().trim_end_matches('/')
        ))
        .basic_auth(&c.api_key, Some(&c.api_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let r = http
        .get(format!(
            "{}/v2/applications?page_size=101",
            sb.base_url().trim_end_matches('/')
        ))
        .basic_auth(&c.api_key, Some(&c.api_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_balance_is_the_credit_and_a_buy_charges_it() {
    let sb = common::sandbox(10, 136).await;
    let client = common::client(&sb);
    let balance = client.balance().await.expect("balance");
    assert!((balance.value - sb.credit(MAIN_KEY)).abs() < 1e-9);
    assert!(!balance.auto_reload);
    let page = client
        .search(&switchboard::api::SearchQuery::new("GB"))
        .await
        .unwrap();
    let n = &page.numbers[0];
    let fee = common::cents(n.initial_price.as_deref().unwrap_or("0"))
        + common::cents(n.cost.as_deref().unwrap_or("0"));
    client
        .buy(&switchboard::api::NumberRef {
            country: "GB".into(),
            msisdn: n.msisdn.clone().unwrap(),
            target_api_key: None,
        })
        .await
        .expect("bought");
    let after = client.balance().await.unwrap();
    assert_eq!(
        ((balance.value - after.value) * 100.0).round() as i64,
        fee,
        "charged the setup fee and the first month"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_refused_by_the_applications_api_says_why() {
    let sb = common::sandbox(10, 137).await;
    let c = sb.config();
    let client = switchboard::api::Client::new(
        switchboard::api::Credentials::new(c.api_key.clone(), "not-the-secret"),
        switchboard::api::ClientConfig {
            base_url: sb.base_url(),
            ..common::fast_config()
        },
    )
    .unwrap();
    let err = client.applications().await.unwrap_err();
    assert!(matches!(err, ApiError::Authentication { .. }), "{err:?}");
    assert!(err.to_string().contains("Applications API"), "{err}");
    assert!(!err.to_string().contains("not-the-secret"));
}
