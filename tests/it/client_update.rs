//! Read-modify-write updates through the client against a sandbox over loopback HTTP: a change
//! keeps every field it does not name (checked in the sandbox's stored state), clearing is
//! explicit, and a number that is not owned is found absent and never sent an update.

use crate::common::{MAIN_KEY, all_owned, records};
use switchboard::api::{ApiError, Change, Field, NumberChange, NumberConfig, SearchQuery};
use switchboard::sandbox::{NumberRecord, Sandbox};

/// The stored record of every owned number (seed 31, 250 numbers).
async fn state() -> (Sandbox, Vec<NumberRecord>) {
    let sb = crate::common::sandbox(250, 31).await;
    let all = all_owned(&crate::common::client(&sb)).await;
    let recs = records(&sb, MAIN_KEY, &all);
    (sb, recs)
}

fn pick<'a>(
    recs: &'a [NumberRecord],
    what: &str,
    ok: impl Fn(&NumberRecord) -> bool,
) -> &'a NumberRecord {
    recs.iter()
        .find(|r| ok(r))
        .unwrap_or_else(|| panic!("no seeded number {what}"))
}

fn stored(sb: &Sandbox, r: &NumberRecord) -> NumberRecord {
    sb.owned_number(MAIN_KEY, &r.msisdn).expect("still owned")
}

#[tokio::test]
async fn setting_the_sms_url_keeps_the_application_and_the_voice_callback() {
    let (sb, recs) = state().await;
    let c = crate::common::client(&sb);
    let before = pick(&recs, "with an app and a voice callback", |r| {
        r.app_id.is_some() && r.voice_callback_type.is_some() && r.voice_callback_value.is_some()
    });
    let url = "https://hooks.example.com/inbound-sms?v=2";
    let change = NumberChange {
        mo_http_url: Change::Set(url.to_string()),
        ..NumberChange::default()
    };
    let outcome = c
        .update(&before.country, &before.msisdn, &change, None)
        .await
        .expect("update");
    assert_eq!(outcome.after.mo_http_url.as_deref(), Some(url));
    assert_eq!(outcome.before.app_id, before.app_id);

    let after = stored(&sb, before);
    assert_eq!(after.mo_http_url.as_deref(), Some(url));
    assert_eq!(after.app_id, before.app_id);
    assert_eq!(after.voice_callback_type, before.voice_callback_type);
    assert_eq!(after.voice_callback_value, before.voice_callback_value);
    assert_eq!(after.messages_callback_type, before.messages_callback_type);
    assert_eq!(
        after.messages_callback_value,
        before.messages_callback_value
    );
    assert_eq!(
        (&after.country, &after.number_type, &after.features),
        (&before.country, &before.number_type, &before.features)
    );
    assert_eq!(crate::common::hits(&sb, "/number/update"), 1);
}

#[tokio::test]
async fn fields_the_api_hides_are_kept_when_known_and_warned_about_when_not() {
    let (sb, recs) = state().await;
    let c = crate::common::client(&sb);
    let hidden = |r: &NumberRecord| r.voice_status_callback.is_some();
    let mut with_status = recs.iter().filter(|r| hidden(r));
    let (a, b) = (
        with_status
            .next()
            .expect("a number with a voice status URL"),
        with_status.next().expect("another one"),
    );
    let change = NumberChange {
        app_id: Change::Set("app-from-test".into()),
        ..NumberChange::default()
    };

    // Known from elsewhere (the journal, the user): sent again, so kept.
    let known = NumberConfig {
        voice_status_callback: a.voice_status_callback.clone(),
        mo_smpp_sys_type: a.mo_smpp_sys_type.clone(),
        ..NumberConfig::default()
    };
    let outcome = c
        .update(&a.country, &a.msisdn, &change, Some(&known))
        .await
        .expect("update with known values");
    assert!(
        !outcome
            .warnings
            .iter()
            .any(|w| w.contains("voiceStatusCallback")),
        "{:?}",
        outcome.warnings
    );
    let after = stored(&sb, a);
    assert_eq!(after.app_id.as_deref(), Some("app-from-test"));
    assert_eq!(after.voice_status_callback, a.voice_status_callback);
    assert_eq!(after.mo_smpp_sys_type, a.mo_smpp_sys_type);

    // Unknown: the update says it will be lost (README: "update warns that they will be reset").
    let outcome = c
        .update(&b.country, &b.msisdn, &change, None)
        .await
        .expect("update without known values");
    assert!(
        outcome
            .warnings
            .iter()
            .any(|w| w.contains("voiceStatusCallback")),
        "{:?}",
        outcome.warnings
    );
    assert_eq!(stored(&sb, b).voice_status_callback, None);
}

#[tokio::test]
async fn clearing_removes_only_the_named_field() {
    let (sb, recs) = state().await;
    let c = crate::common::client(&sb);
    let r = pick(&recs, "with an app and an SMS URL", |r| {
        r.app_id.is_some() && r.mo_http_url.is_some()
    });
    let mut change = NumberChange::default();
    change.clear(Field::AppId);
    let outcome = c
        .update(&r.country, &r.msisdn, &change, None)
        .await
        .expect("clear app");
    assert_eq!(
        outcome.before.diff(&outcome.after),
        vec![("app_id", r.app_id.as_deref(), None)]
    );
    let after = stored(&sb, r);
    assert_eq!(after.app_id, None, "cleared");
    assert_eq!(after.mo_http_url, r.mo_http_url, "kept");
    assert_eq!(after.voice_callback_type, r.voice_callback_type, "kept");

    let v = pick(&recs, "with a voice callback", |v| {
        v.voice_callback_type.is_some() && v.msisdn != r.msisdn
    });
    let mut change = NumberChange::default();
    change.clear("voice".parse().expect("field"));
    c.update(&v.country, &v.msisdn, &change, None)
        .await
        .expect("clear voice");
    let after = stored(&sb, v);
    assert_eq!(
        (after.voice_callback_type, after.voice_callback_value),
        (None, None)
    );
    assert_eq!(after.app_id, v.app_id, "kept");
    assert_eq!(after.mo_http_url, v.mo_http_url, "kept");
}

#[tokio::test]
async fn setting_a_voice_callback_sets_both_halves() {
    let (sb, recs) = state().await;
    let c = crate::common::client(&sb);
    let r = pick(&recs, "without a voice callback but with an app", |r| {
        r.voice_callback_type.is_none() && r.app_id.is_some()
    });
    let change = NumberChange {
        voice: Change::Set(switchboard::api::VoiceTarget {
            kind: "SIP".into(),
            value: "sip:desk@pbx.example.com".into(),
        }),
        ..NumberChange::default()
    };
    c.update(&r.country, &r.msisdn, &change, None)
        .await
        .expect("set voice");
    let after = stored(&sb, r);
    assert_eq!(after.voice_callback_type.as_deref(), Some("sip"));
    assert_eq!(
        after.voice_callback_value.as_deref(),
        Some("sip:desk@pbx.example.com")
    );
    assert_eq!(after.app_id, r.app_id, "kept");
}

#[tokio::test]
async fn a_number_not_owned_is_absent_and_never_sent_an_update() {
    let sb = crate::common::sandbox(10, 32).await;
    let c = crate::common::client(&sb);
    let page = c.search(&SearchQuery::new("GB")).await.expect("search");
    let m = page.numbers[0].msisdn.clone().expect("msisdn");
    assert_eq!(c.find_owned("GB", &m).await.expect("find_owned"), None);

    let change = NumberChange {
        app_id: Change::Set("app-1".into()),
        ..NumberChange::default()
    };
    let err = c.update("GB", &m, &change, None).await.unwrap_err();
    match &err {
        ApiError::NotOwned {
            country, msisdn, ..
        } => assert_eq!((country.as_str(), msisdn.as_str()), ("GB", m.as_str())),
        other => panic!("expected NotOwned, got {other:?}"),
    }
    assert_eq!(crate::common::hits(&sb, "/number/update"), 0);
    assert!(sb.is_available("GB", &m), "still in the inventory");

    // Owned, but in another country: also not found.
    let owned = all_owned(&c).await;
    let o = owned
        .iter()
        .find(|n| n.country.as_deref() != Some("GB"))
        .expect("a non-GB owned number");
    let om = o.msisdn.clone().expect("msisdn");
    assert_eq!(c.find_owned("GB", &om).await.expect("find_owned"), None);
    let err = c.update("GB", &om, &change, None).await.unwrap_err();
    assert!(matches!(err, ApiError::NotOwned { .. }), "{err:?}");
    assert_eq!(crate::common::hits(&sb, "/number/update"), 0);
}

#[tokio::test]
async fn the_messages_callback_survives_an_unrelated_change() {
    let (sb, recs) = state().await;
    let c = crate::common::client(&sb);
    let r = pick(&recs, "with a messages callback", |r| {
        r.messages_callback_type.is_some()
    });
    let change = NumberChange {
        mo_http_url: Change::Set("https://hooks.example.com/m".into()),
        ..NumberChange::default()
    };
    c.update(&r.country, &r.msisdn, &change, None)
        .await
        .expect("update");
    let after = stored(&sb, r);
    assert_eq!(after.messages_callback_type, r.messages_callback_type);
    assert_eq!(after.messages_callback_value, r.messages_callback_value);
    assert_eq!(after.app_id, r.app_id);
}

#[tokio::test]
async fn values_are_sent_as_they_were_validated() {
    let (sb, recs) = state().await;
    let c = crate::common::client(&sb);
    let r = &recs[0];
    let set = |change: NumberChange| {
        let c = c.clone();
        async move { c.update(&r.country, &r.msisdn, &change, None).await }
    };
    set(NumberChange {
        app_id: Change::Set("  app-1  ".into()),
        ..NumberChange::default()
    })
    .await
    .expect("app id");
    assert_eq!(stored(&sb, r).app_id.as_deref(), Some("app-1"));

    set(NumberChange {
        mo_http_url: Change::Set(" https://hooks.example.com/in ".into()),
        ..NumberChange::default()
    })
    .await
    .expect("a URL with surrounding spaces passed validation, so it is sent trimmed");
    assert_eq!(
        stored(&sb, r).mo_http_url.as_deref(),
        Some("https://hooks.example.com/in")
    );

    set(NumberChange {
        voice: Change::Set(switchboard::api::VoiceTarget {
            kind: "tel".into(),
            value: "+44 7700-900123".into(),
        }),
        ..NumberChange::default()
    })
    .await
    .expect("tel");
    assert_eq!(
        stored(&sb, r).voice_callback_value.as_deref(),
        Some("447700900123")
    );
}
