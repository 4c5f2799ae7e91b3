//! Validation before sending: every bad input is an error naming the field, and the sandbox
//! receives nothing. And the `moHttpUrl` pre-check, against webhook servers stood up here on
//! 127.0.0.1 (one answering 404, one answering 200).

use std::sync::atomic::Ordering;

use crate::common::{MAIN_KEY, all_owned, webhook};
use switchboard::api::{
    ApiError, Change, Client, FeatureSet, MatchMode, NumberChange, NumberRef, NumberType,
    OwnedFilter, OwnedQuery, Pattern, SearchQuery, VoiceTarget, parse_number_type,
};
use switchboard::sandbox::Sandbox;

/// Asserts `result` is an InvalidInput naming `field` (in the variant and in the message, which
/// stays short), and that the sandbox has received no request at all.
fn check<T: std::fmt::Debug>(sb: &Sandbox, case: &str, field: &str, result: Result<T, ApiError>) {
    match &result {
        Err(ApiError::InvalidInput { field: f, .. }) => {
            assert_eq!(*f, field, "{case}: wrong field in {result:?}")
        }
        other => panic!("{case}: expected InvalidInput({field}), got {other:?}"),
    }
    let text = result.unwrap_err().to_string();
    assert!(text.contains(field), "{case}: {text}");
    assert!(
        text.chars().count() < 300,
        "{case}: message not bounded: {text}"
    );
    assert_eq!(sb.stats().requests, 0, "{case}: a request was sent");
}

/// One call of a client method.
#[derive(Debug)]
enum Call {
    List(OwnedFilter, u32, u32),
    ListAll(OwnedFilter),
    Search(SearchQuery),
    Buy(NumberRef),
    Cancel(NumberRef),
    Find(&'static str, String),
    Update(&'static str, String, NumberChange),
}

impl Call {
    async fn run(self, c: &Client) -> Result<(), ApiError> {
        match self {
            Call::List(filter, size, index) => {
                let q = OwnedQuery {
                    filter,
                    size,
                    index,
                };
                c.list_owned(&q).await.map(drop)
            }
            Call::ListAll(filter) => c.list_all(&filter, |_| {}).await.map(drop),
            Call::Search(q) => c.search(&q).await.map(drop),
            Call::Buy(r) => c.buy(&r).await.map(drop),
            Call::Cancel(r) => c.cancel(&r).await.map(drop),
            Call::Find(country, m) => c.find_owned(country, &m).await.map(drop),
            Call::Update(country, m, change) => {
                c.update(country, &m, &change, None).await.map(drop)
            }
        }
    }
}

/// Runs each call against a fresh sandbox and checks it names `field` and sends nothing.
async fn check_all(cases: Vec<(&str, Call)>) {
    let sb = crate::common::sandbox(5, 51).await;
    let c = crate::common::client(&sb);
    for (field, call) in cases {
        let case: String = format!("{call:?}").chars().take(120).collect();
        check(&sb, &case, field, call.run(&c).await);
    }
}

const GOOD: &str = "447700900123";

fn list(f: OwnedFilter) -> Call {
    Call::List(f, 10, 1)
}
fn in_country(c: &str) -> OwnedFilter {
    OwnedFilter {
        country: Some(c.into()),
        ..OwnedFilter::default()
    }
}
fn for_app(a: &str) -> OwnedFilter {
    OwnedFilter {
        application_id: Some(a.into()),
        ..OwnedFilter::default()
    }
}
fn matching(p: &str) -> Option<Pattern> {
    Some(Pattern {
        digits: p.into(),
        mode: MatchMode::Contains,
    })
}
fn search(q: SearchQuery) -> Call {
    Call::Search(q)
}
fn gb() -> SearchQuery {
    SearchQuery::new("GB")
}
fn number(country: &str, m: &str) -> NumberRef {
    NumberRef::new(country, m)
}
fn target(k: &str) -> NumberRef {
    NumberRef {
        target_api_key: Some(k.into()),
        ..number("GB", GOOD)
    }
}
fn set(v: &str) -> Change<String> {
    Change::Set(v.to_string())
}
fn update(change: NumberChange) -> Call {
    Call::Update("GB", GOOD.into(), change)
}
fn sms(v: &str) -> NumberChange {
    NumberChange {
        mo_http_url: set(v),
        ..NumberChange::default()
    }
}
fn status(v: &str) -> NumberChange {
    NumberChange {
        voice_status_callback: set(v),
        ..NumberChange::default()
    }
}
fn app(v: &str) -> NumberChange {
    NumberChange {
        app_id: set(v),
        ..NumberChange::default()
    }
}
fn voice(kind: &str, value: &str) -> NumberChange {
    let target = VoiceTarget {
        kind: kind.into(),
        value: value.into(),
    };
    NumberChange {
        voice: Change::Set(target),
        ..NumberChange::default()
    }
}

#[tokio::test]
async fn bad_countries_msisdns_and_paging_name_the_field_and_send_nothing() {
    let long = "a".repeat(10_000);
    let long_digits = "4".repeat(10_000);
    check_all(vec![
        ("country", list(in_country("G1"))),
        ("country", search(SearchQuery::new("G1"))),
        ("country", Call::Buy(number("G1", GOOD))),
        ("country", Call::Cancel(number("G1", GOOD))),
        ("country", Call::Find("G1", GOOD.into())),
        ("country", Call::Update("G1", GOOD.into(), app("a"))),
        ("country", search(SearchQuery::new("\u{202e}GB"))),
        ("country", search(SearchQuery::new(&long))),
        ("msisdn", Call::Buy(number("GB", "12ab"))),
        ("msisdn", Call::Cancel(number("GB", "12ab"))),
        ("msisdn", Call::Find("GB", "12ab".into())),
        ("msisdn", Call::Update("GB", "12ab".into(), app("a"))),
        ("msisdn", Call::Buy(number("GB", "44\u{202e}7700900123"))),
        ("msisdn", Call::Buy(number("GB", &long_digits))),
        ("msisdn", Call::Find("GB", "4477009\u{0}00123".into())),
        ("size", Call::List(OwnedFilter::default(), 0, 1)),
        ("size", Call::List(OwnedFilter::default(), 101, 1)),
        ("size", search(SearchQuery { size: 0, ..gb() })),
        ("size", search(SearchQuery { size: 101, ..gb() })),
        ("index", Call::List(OwnedFilter::default(), 10, 0)),
        ("index", search(SearchQuery { index: 0, ..gb() })),
    ])
    .await;
}

#[tokio::test]
async fn bad_patterns_features_and_types_name_the_field_and_send_nothing() {
    let mut cases = Vec::new();
    for bad in ["12a", "\u{202e}4477", "44\u{1b}[0m", &"4".repeat(10_000)] {
        let f = OwnedFilter {
            pattern: matching(bad),
            ..OwnedFilter::default()
        };
        cases.push(("pattern", list(f.clone())));
        cases.push(("pattern", Call::ListAll(f)));
        cases.push((
            "pattern",
            search(SearchQuery {
                pattern: matching(bad),
                ..gb()
            }),
        ));
    }
    let fax = NumberType::Other("fax".into());
    cases.push((
        "type",
        search(SearchQuery {
            number_type: Some(fax),
            ..gb()
        }),
    ));
    check_all(cases).await;

    // Features and types are typed: a bad one cannot even be built.
    let sb = crate::common::sandbox(0, 50).await;
    check(&sb, "features fax", "features", "fax".parse::<FeatureSet>());
    check(
        &sb,
        "features sms,fax",
        "features",
        "sms,fax".parse::<FeatureSet>(),
    );
    check(&sb, "features empty", "features", ",".parse::<FeatureSet>());
    check(&sb, "type fax", "type", parse_number_type("fax"));
}

#[tokio::test]
async fn bad_urls_name_the_field_and_send_nothing() {
    let mut cases = Vec::new();
    for bad in [
        "ftp://x",
        "/webhooks/inbound",
        "example.com/sms",
        "https://",
        "javascript:alert(1)",
    ] {
        cases.push(("moHttpUrl", update(sms(bad))));
        cases.push(("voiceStatusCallback", update(status(bad))));
    }
    let long_url = format!("https://example.com/{}", "a".repeat(10_000));
    cases.push(("moHttpUrl", update(sms(&long_url))));
    cases.push(("moHttpUrl", update(sms("https://example.com/a\nb"))));
    cases.push(("moHttpUrl", update(sms("https://example.com/\u{1b}[2J"))));
    check_all(cases).await;
}

#[tokio::test]
async fn bad_voice_callbacks_and_free_text_name_the_field_and_send_nothing() {
    let long = "a".repeat(10_000);
    let smpp = NumberChange {
        mo_smpp_sys_type: set("in\u{8}bound"),
        ..NumberChange::default()
    };
    check_all(vec![
        // Voice: type and value go together, and must make sense.
        ("voiceCallbackValue", update(voice("tel", ""))),
        ("voiceCallbackValue", update(voice("sip", ""))),
        ("voiceCallbackType", update(voice("", "sip:a@b.c"))),
        ("voiceCallbackType", update(voice("fax", GOOD))),
        ("voiceCallbackValue", update(voice("tel", "12ab"))),
        (
            "voiceCallbackValue",
            update(voice("sip", "pbx.example.com")),
        ),
        // Free text: empty, too long, control characters.
        ("app_id", update(app("  "))),
        ("app_id", update(app(&long))),
        ("app_id", update(app("app\u{0}1"))),
        ("app_id", update(app("app\u{1b}[31m"))),
        ("moSmppSysType", update(smpp)),
        ("application_id", list(for_app(&long))),
        ("application_id", Call::ListAll(for_app("a\u{7}"))),
        ("target_api_key", Call::Buy(target(&long))),
        ("target_api_key", Call::Cancel(target("sub\r\nX-Evil: 1"))),
    ])
    .await;
}

#[tokio::test]
async fn right_to_left_controls_in_free_text_are_refused() {
    let rlo = "app-\u{202e}1-gnp";
    let smpp = NumberChange {
        mo_smpp_sys_type: set(rlo),
        ..NumberChange::default()
    };
    check_all(vec![
        ("app_id", update(app(rlo))),
        ("moSmppSysType", update(smpp)),
        ("application_id", list(for_app(rlo))),
        ("target_api_key", Call::Buy(target(rlo))),
    ])
    .await;
}

#[tokio::test]
async fn right_to_left_controls_in_urls_are_refused() {
    let url = "https://example.com/\u{202e}lmth.exe";
    check_all(vec![
        ("moHttpUrl", update(sms(url))),
        ("voiceStatusCallback", update(status(url))),
    ])
    .await;
}

#[tokio::test]
async fn an_sms_webhook_must_answer_200_to_be_saved() {
    let sb = crate::common::sandbox(20, 54).await;
    let c = crate::common::client(&sb);
    let n = all_owned(&c).await.remove(0);
    let (country, m) = (n.country.expect("country"), n.msisdn.expect("msisdn"));
    let before = sb.owned_number(MAIN_KEY, &m).expect("owned");

    let (url_404, hits_404) = webhook(404).await;
    let change = NumberChange {
        mo_http_url: set(&url_404),
        ..NumberChange::default()
    };
    let err = c.update(&country, &m, &change, None).await.unwrap_err();
    match &err {
        ApiError::MethodFailed { label, hint, .. } => {
            assert_eq!(label, "method failed");
            assert!(
                hint.contains("200"),
                "the hint names the webhook check: {hint}"
            );
        }
        other => panic!("expected MethodFailed, got {other:?}"),
    }
    assert!(
        hits_404.load(Ordering::SeqCst) >= 1,
        "the sandbox really sent the GET"
    );
    assert_eq!(
        sb.owned_number(MAIN_KEY, &m),
        Some(before.clone()),
        "unchanged"
    );
    assert_eq!(
        crate::common::hits(&sb, "/number/update"),
        1,
        "a refusal is not retried"
    );

    let (url_200, hits_200) = webhook(200).await;
    let change = NumberChange {
        mo_http_url: set(&url_200),
        ..NumberChange::default()
    };
    c.update(&country, &m, &change, None)
        .await
        .expect("a 200 webhook is accepted");
    assert!(hits_200.load(Ordering::SeqCst) >= 1);
    let after = sb.owned_number(MAIN_KEY, &m).expect("owned");
    assert_eq!(after.mo_http_url.as_deref(), Some(url_200.as_str()));
    assert_eq!(after.app_id, before.app_id);
    assert_eq!(after.voice_callback_value, before.voice_callback_value);
}
