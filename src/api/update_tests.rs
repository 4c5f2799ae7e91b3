//! Unit tests of `update.rs`.

use super::*;

fn number() -> OwnedNumber {
    OwnedNumber {
        country: Some("GB".into()),
        msisdn: Some("447700900001".into()),
        app_id: Some("app-1".into()),
        mo_http_url: Some("https://example.com/sms".into()),
        voice_callback_type: Some("tel".into()),
        voice_callback_value: Some("447700900999".into()),
        ..Default::default()
    }
}

#[test]
fn untouched_fields_are_kept() {
    let before = NumberConfig::from_number(&number(), None);
    let change = NumberChange {
        mo_http_url: Change::Set("https://new.example.com/in".into()),
        ..Default::default()
    };
    let after = change.apply_to(&before).unwrap();
    assert_eq!(after.app_id.as_deref(), Some("app-1"));
    assert_eq!(after.voice_callback_value.as_deref(), Some("447700900999"));
    assert_eq!(
        after.mo_http_url.as_deref(),
        Some("https://new.example.com/in")
    );
    assert_eq!(
        before.diff(&after),
        vec![(
            "moHttpUrl",
            Some("https://example.com/sms"),
            Some("https://new.example.com/in")
        )]
    );
}

#[test]
fn clearing_is_explicit_and_sent_empty() {
    let before = NumberConfig::from_number(&number(), None);
    let mut change = NumberChange::default();
    change.clear(Field::Voice);
    change.clear("sms-url".parse().unwrap());
    let after = change.apply_to(&before).unwrap();
    let params = after.params("gb", "447700900001").unwrap();
    assert!(params.contains(&("moHttpUrl", String::new())));
    assert!(params.contains(&("voiceCallbackType", String::new())));
    assert!(params.contains(&("app_id", "app-1".into())));
    assert!(!params.iter().any(|(k, _)| k.starts_with("messages")));
}

#[test]
fn voice_type_and_value_are_checked() {
    let before = NumberConfig::default();
    let bad = [
        ("fax", "447700900000"),
        ("tel", "not a number"),
        ("sip", "example.com"),
    ];
    for (kind, value) in bad {
        let change = NumberChange {
            voice: Change::Set(VoiceTarget {
                kind: kind.into(),
                value: value.into(),
            }),
            ..Default::default()
        };
        assert!(change.apply_to(&before).is_err(), "{kind} {value}");
    }
    let half = NumberConfig {
        voice_callback_type: Some("tel".into()),
        ..Default::default()
    };
    assert!(NumberChange::default().apply_to(&half).is_err());
}

#[test]
fn unreadable_fields_warn_unless_known() {
    let change = NumberChange::default();
    assert_eq!(change.warnings(&number(), None).len(), 2);
    let known = NumberConfig {
        voice_status_callback: Some("https://example.com/status".into()),
        mo_smpp_sys_type: Some("inbound".into()),
        ..Default::default()
    };
    assert!(change.warnings(&number(), Some(&known)).is_empty());
    let cfg = NumberConfig::from_number(&number(), Some(&known));
    assert_eq!(cfg.mo_smpp_sys_type.as_deref(), Some("inbound"));
}
