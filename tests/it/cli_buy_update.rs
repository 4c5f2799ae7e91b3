//! Buy, cancel and update through the real binary against a sandbox running in this test
//! process: confirmations (none without a terminal unless `--yes`), state changes checked in
//! the sandbox, read-modify-write keeping untouched fields, `--clear`, usage errors.

use crate::common::{Auth, MAIN_KEY, run_against};

#[tokio::test(flavor = "multi_thread")]
async fn buy_and_cancel_without_yes_and_no_terminal_do_nothing() {
    let sb = crate::common::sandbox(10, 66).await;
    let (available, (country, owned)) = crate::common::available_and_owned(&sb).await;
    let run = run_against(&sb, Auth::Flags, &["buy", "GB", &available]).await;
    run.expect_code(8);
    assert!(run.stderr.contains("--yes"), "{run:#?}");
    assert!(sb.is_available("GB", &available));
    assert!(sb.owned_number(MAIN_KEY, &available).is_none());

    let run = run_against(&sb, Auth::Flags, &["cancel", &country, &owned]).await;
    run.expect_code(8);
    assert!(sb.owned_number(MAIN_KEY, &owned).is_some());
    assert_eq!(
        crate::common::hits(&sb, "/number/buy") + crate::common::hits(&sb, "/number/cancel"),
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn buy_then_cancel_with_yes() {
    let sb = crate::common::sandbox(10, 67).await;
    let (m, _) = crate::common::available_and_owned(&sb).await;
    let run = run_against(&sb, Auth::Flags, &["buy", "gb", &m, "--yes"]).await;
    run.expect_code(0);
    assert!(run.stdout.contains(&format!("bought {m} (GB)")), "{run:#?}");
    assert!(sb.owned_number(MAIN_KEY, &m).is_some());
    assert!(!sb.is_available("GB", &m));

    let run = run_against(&sb, Auth::Env, &["cancel", "GB", &m, "--yes", "--json"]).await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(
        (v["result"].as_str(), v["msisdn"].as_str()),
        (Some("cancelled"), Some(m.as_str()))
    );
    assert!(sb.owned_number(MAIN_KEY, &m).is_none());
    assert!(sb.is_available("GB", &m));
}

#[tokio::test(flavor = "multi_thread")]
async fn update_sets_the_sms_url_and_keeps_the_other_fields() {
    let sb = crate::common::sandbox(100, 68).await;
    let all = crate::common::all_owned(&crate::common::client(&sb)).await;
    let recs = crate::common::records(&sb, MAIN_KEY, &all);
    let before = recs
        .iter()
        .find(|r| r.app_id.is_some() && r.voice_callback_type.is_some())
        .expect("a number with an app and a voice callback");
    let url = "https://hooks.example.com/sms/in";
    let run = run_against(
        &sb,
        Auth::Flags,
        &[
            "update",
            &before.country,
            &before.msisdn,
            "--sms-url",
            url,
            "--json",
            "--no-webhook-check",
        ],
    )
    .await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["after"]["moHttpUrl"], url);
    assert_eq!(v["after"]["app_id"].as_str(), before.app_id.as_deref());
    let after = sb.owned_number(MAIN_KEY, &before.msisdn).expect("owned");
    assert_eq!(after.mo_http_url.as_deref(), Some(url));
    assert_eq!(after.app_id, before.app_id);
    assert_eq!(after.voice_callback_type, before.voice_callback_type);
    assert_eq!(after.voice_callback_value, before.voice_callback_value);
    assert!(
        run.stderr.contains("voiceStatusCallback"),
        "warned: {run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn update_without_a_field_is_a_usage_error() {
    let sb = crate::common::sandbox(10, 69).await;
    let (_, (country, m)) = crate::common::available_and_owned(&sb).await;
    let before = sb.stats().requests;
    let run = run_against(&sb, Auth::Flags, &["update", &country, &m]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("nothing to change"), "{run:#?}");
    assert_eq!(sb.stats().requests, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn update_clear_removes_only_the_named_field() {
    let sb = crate::common::sandbox(100, 73).await;
    let all = crate::common::all_owned(&crate::common::client(&sb)).await;
    let recs = crate::common::records(&sb, MAIN_KEY, &all);
    let r = recs
        .iter()
        .find(|r| r.app_id.is_some() && r.mo_http_url.is_some())
        .expect("a number with an app and an SMS URL");
    let contradiction = [
        "update", &r.country, &r.msisdn, "--clear", "app-id", "--app-id", "x",
    ];
    run_against(&sb, Auth::Flags, &contradiction)
        .await
        .expect_code(2);
    let unknown = ["update", &r.country, &r.msisdn, "--clear", "fax"];
    run_against(&sb, Auth::Flags, &unknown).await.expect_code(2);
    assert_eq!(crate::common::hits(&sb, "/number/update"), 0);

    let run = run_against(
        &sb,
        Auth::Env,
        &["update", &r.country, &r.msisdn, "--clear", "sms-url"],
    )
    .await;
    run.expect_code(0);
    assert!(
        run.stdout.contains("moHttpUrl"),
        "the diff is shown: {run:#?}"
    );
    let after = sb.owned_number(MAIN_KEY, &r.msisdn).expect("owned");
    assert_eq!(after.mo_http_url, None);
    assert_eq!(after.app_id, r.app_id);
    assert_eq!(after.voice_callback_type, r.voice_callback_type);
}
