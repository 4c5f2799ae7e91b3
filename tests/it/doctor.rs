//! Issue 13, part 5 (CLI side): `switchboard doctor` against a sandbox whose numbers were wired
//! wrongly on purpose, over loopback. Each finding names the number and says how to fix it;
//! the exit code is 1 when something is broken.

use crate::common;

use crate::common::{Auth, MAIN_KEY, run_against};
use serde_json::Value;
use switchboard::api::apps::AppWebhookChange;
use switchboard::api::{Change, Feature, Field, NumberChange, OwnedNumber, VoiceTarget};

fn named(sb: &switchboard::sandbox::Sandbox, name: &str) -> String {
    sb.application_ids()
        .into_iter()
        .find(|id| sb.application(id).unwrap()["name"] == name)
        .unwrap()
}

/// The findings of `kind` for `msisdn`.
fn of<'a>(findings: &'a [Value], msisdn: &str, kind: &str) -> Vec<&'a Value> {
    findings
        .iter()
        .filter(|f| f["msisdn"] == msisdn && f["kind"] == kind)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_finds_each_kind_of_broken_routing() {
    let sb = common::sandbox(40, 161).await;
    let client = common::client(&sb);
    let numbers: Vec<OwnedNumber> = common::all_owned(&client).await;
    let with = |f: Feature| {
        numbers
            .iter()
            .filter(move |n| n.features.contains(&f))
            .map(|n| {
                (
                    n.country.as_deref().unwrap().to_string(),
                    n.msisdn.clone().unwrap(),
                )
            })
    };
    let voice: Vec<_> = with(Feature::Voice).take(3).collect();
    assert_eq!(voice.len(), 3, "the seed has voice numbers");
    // 1: linked to an id no application has.
    let (c1, m1) = &voice[0];
    let ghost = "00000000-1111-4222-8333-444444444444";
    client
        .update(
            c1,
            m1,
            &NumberChange {
                app_id: Change::Set(ghost.into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    // 2: a VOICE number linked to a messages-only application, no forwarding.
    let (c2, m2) = &voice[1];
    let mut change = NumberChange {
        app_id: Change::Set(named(&sb, "SMS inbox")),
        ..Default::default()
    };
    change.clear(Field::Voice);
    client.update(c2, m2, &change, None).await.unwrap();
    // 3: nothing at all.
    let (c3, m3) = &voice[2];
    let mut nothing = NumberChange::default();
    for f in [Field::AppId, Field::SmsUrl, Field::Voice, Field::Messages] {
        nothing.clear(f);
    }
    client.update(c3, m3, &nothing, None).await.unwrap();
    // 4: sip forwarding on a number whose application has voice; its app on plain http.
    let ivr = named(&sb, "Voice IVR");
    let (c4, m4) = with(Feature::Voice).nth(3).unwrap();
    client
        .update(
            &c4,
            &m4,
            &NumberChange {
                app_id: Change::Set(ivr.clone()),
                voice: Change::Set(VoiceTarget {
                    kind: "sip".into(),
                    value: "sip:desk@example.com".into(),
                }),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    client
        .update_application_webhooks(
            &ivr,
            &AppWebhookChange {
                event_url: Some("http://hooks.example.com/event".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let run = run_against(&sb, Auth::Env, &["doctor", "--json"]).await;
    run.expect_code(1);
    let findings = run.json().as_array().unwrap().clone();
    let unknown = of(&findings, m1, "unknown-app");
    assert_eq!(unknown.len(), 1, "{findings:#?}");
    assert!(unknown[0]["detail"].as_str().unwrap().contains(ghost));
    assert!(unknown[0]["fix"].as_str().unwrap().contains("--app"));
    assert_eq!(unknown[0]["broken"], true);
    assert_eq!(
        of(&findings, m2, "voice-goes-nowhere").len(),
        1,
        "{findings:#?}"
    );
    assert_eq!(of(&findings, m3, "unrouted").len(), 1, "{findings:#?}");
    let overrides = of(&findings, &m4, "forwarding-overrides-app");
    assert_eq!(overrides.len(), 1, "{findings:#?}");
    assert_eq!(overrides[0]["broken"], false, "a warning");
    let insecure = of(&findings, &m4, "insecure-webhook");
    assert_eq!(insecure.len(), 1, "{findings:#?}");
    assert!(
        insecure[0]["detail"]
            .as_str()
            .unwrap()
            .contains("plain http")
    );
    assert!(run.stderr.contains("40 numbers checked"), "{}", run.stderr);

    // The table names the same numbers.
    let run = run_against(&sb, Auth::Env, &["doctor"]).await;
    run.expect_code(1);
    for m in [m1, m2, m3, &m4] {
        assert!(run.stdout.contains(m.as_str()), "{m}: {}", run.stdout);
    }
    assert_eq!(sb.owned_count(MAIN_KEY), 40, "the doctor changes nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_broken_exits_zero() {
    let sb = common::sandbox(0, 162).await;
    let run = run_against(&sb, Auth::Env, &["doctor"]).await;
    run.expect_code(0);
    assert!(
        run.stderr.contains("0 numbers checked: 0 broken"),
        "{}",
        run.stderr
    );
}
