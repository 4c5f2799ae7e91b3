//! Property tests of the response decoder: any bytes and any JSON, under any status, are
//! classified and decoded without a panic; generated valid bodies (numbers with random
//! optional fields, `count` as a number or a string or absent, `error-code` as a string or a
//! number or absent, `{}`) decode to what was generated.

use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

use super::classify::classify;
use super::error::{ApiError, Operation};
use super::lenient::{body_status, decode_page};
use super::model::{AvailableNumber, Feature, OwnedNumber, Page};

const OPS: [Operation; 5] = [
    Operation::List,
    Operation::Search,
    Operation::Buy,
    Operation::Cancel,
    Operation::Update,
];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("count"),
            Just("numbers"),
            Just("error-code"),
            Just("200"),
            Just("msisdn"),
            Just("features"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            Just("count".to_string()),
            Just("numbers".to_string()),
            Just("error-code".to_string()),
            Just("error-code-label".to_string()),
            Just("msisdn".to_string()),
            Just("country".to_string()),
            Just("features".to_string()),
            Just("type".to_string()),
            Just("cost".to_string()),
            Just("limitations".to_string()),
            "[a-z_-]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn any_status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(401),
        Just(420),
        Just(429),
        Just(500),
        Just(503),
        100u16..1000,
    ]
}

/// Everything the client does with an answer: classify it, then decode it as both pages.
fn digest(op: Operation, status: u16, body: &str) {
    let Ok(status) = StatusCode::from_u16(status) else {
        return;
    };
    if let Ok(value) = classify(op, status, None, body) {
        let _ = body_status(&value);
        let _: Option<Page<OwnedNumber>> = decode_page(value.clone());
        let _: Option<Page<AvailableNumber>> = decode_page(value);
    }
    if let Err(e) = classify(op, status, None, body) {
        let _ = (e.to_string(), e.is_transient(), e.outcome_unknown());
    }
}

/// A generated owned number and the JSON the API would send for it.
#[derive(Clone, Debug)]
struct Gen {
    msisdn: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    features: Option<Vec<String>>,
    app_id: Option<String>,
    sms: Option<String>,
}

fn gen_number() -> impl Strategy<Value = Gen> {
    (
        prop::option::of("[1-9][0-9]{6,14}"),
        prop::option::of("[A-Z]{2}"),
        prop::option::of(prop_oneof![
            Just("landline".to_string()),
            Just("mobile-lvn".to_string()),
            Just("landline-toll-free".to_string()),
            "[a-z-]{1,12}",
        ]),
        prop::option::of(prop::collection::vec(
            prop_oneof![Just("SMS"), Just("VOICE"), Just("MMS")].prop_map(String::from),
            0..3,
        )),
        prop::option::of("[a-f0-9-]{1,36}"),
        prop::option::of("https://[a-z]{1,10}\\.example/[a-z]{0,8}"),
    )
        .prop_map(|(msisdn, country, kind, features, app_id, sms)| Gen {
            msisdn,
            country,
            kind,
            features,
            app_id,
            sms,
        })
}

impl Gen {
    fn json(&self, features_null: bool) -> Value {
        let mut o = Map::new();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                o.insert(k.to_string(), Value::String(v.clone()));
            }
        };
        put("msisdn", &self.msisdn);
        put("country", &self.country);
        put("type", &self.kind);
        put("app_id", &self.app_id);
        put("moHttpUrl", &self.sms);
        match &self.features {
            Some(f) => {
                o.insert("features".into(), json!(f));
            }
            None if features_null => {
                o.insert("features".into(), Value::Null);
            }
            None => {}
        }
        Value::Object(o)
    }

    fn check(&self, n: &OwnedNumber) -> Result<(), TestCaseError> {
        prop_assert_eq!(&n.msisdn, &self.msisdn);
        prop_assert_eq!(n.country.as_deref(), self.country.as_deref());
        prop_assert_eq!(
            n.number_type.as_ref().map(|t| t.as_str()),
            self.kind.as_deref()
        );
        let features: Vec<&str> = n.features.iter().map(Feature::as_str).collect();
        let expected: Vec<&str> = self.features.iter().flatten().map(String::as_str).collect();
        prop_assert_eq!(features, expected);
        prop_assert_eq!(n.app_id.as_deref(), self.app_id.as_deref());
        prop_assert_eq!(n.mo_http_url.as_deref(), self.sms.as_deref());
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_under_any_status_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..200),
        status in any_status(),
        op in 0..5usize,
    ) {
        digest(OPS[op], status, &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn any_json_under_any_status_never_panics(
        value in any_json(),
        status in any_status(),
        op in 0..5usize,
    ) {
        digest(OPS[op], status, &value.to_string());
        // Cut anywhere: a truncated body.
        let text = value.to_string();
        let cut = text.len() / 2;
        if text.is_char_boundary(cut) {
            digest(OPS[op], status, &text[..cut]);
        }
    }

    #[test]
    fn generated_pages_decode_to_what_was_generated(
        numbers in prop::collection::vec(gen_number(), 0..8),
        count in prop_oneof![Just(None), Just(Some(true)), Just(Some(false))],
        code in prop_oneof![Just(None), Just(Some(json!("200"))), Just(Some(json!(200)))],
        features_null in any::<bool>(),
    ) {
        let mut body = Map::new();
        if !numbers.is_empty() {
            body.insert(
                "numbers".into(),
                Value::Array(numbers.iter().map(|n| n.json(features_null)).collect()),
            );
        }
        let total = numbers.len() as u64 + 40;
        match count {
            Some(true) => { body.insert("count".into(), json!(total)); }
            Some(false) => { body.insert("count".into(), json!(total.to_string())); }
            None => {}
        }
        if let Some(code) = code {
            body.insert("error-code".into(), code);
        }
        let text = Value::Object(body).to_string();
        let value = classify(Operation::List, StatusCode::OK, None, &text)
            .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        let page: Page<OwnedNumber> = decode_page(value)
            .ok_or_else(|| TestCaseError::fail(format!("no page: {text}")))?;
        let expected_count = if count.is_some() { total } else { numbers.len() as u64 };
        prop_assert_eq!(page.count, expected_count);
        prop_assert_eq!(page.numbers.len(), numbers.len());
        for (g, n) in numbers.iter().zip(&page.numbers) {
            g.check(n)?;
        }
    }

    #[test]
    fn an_error_code_as_string_or_number_is_the_same_error(
        code in prop_oneof![Just(401u16), Just(420), Just(429), Just(500), 201u16..999],
        as_number in any::<bool>(),
        label in "[a-z ]{0,20}",
        op in 0..5usize,
    ) {
        prop_assume!(code != 200);
        let code_value = if as_number { json!(code) } else { json!(code.to_string()) };
        let body = json!({"error-code": code_value, "error-code-label": label}).to_string();
        let in_200 = classify(OPS[op], StatusCode::OK, None, &body);
        let err = in_200.expect_err("a non-200 error-code in a 200 body is an error");
        let expected = match code {
            401 | 403 => matches!(err, ApiError::Authentication { .. }),
            420 => matches!(err, ApiError::MethodFailed { .. } | ApiError::AddressRequired { .. }),
            429 => matches!(err, ApiError::RateLimited { .. }),
            500..=599 => matches!(err, ApiError::Server { .. }),
            _ => matches!(err, ApiError::UnexpectedStatus { .. }),
        };
        prop_assert!(expected, "code {} gave {:?}", code, err);
        prop_assert!(err.to_string().contains(OPS[op].name()));
    }
}

#[test]
fn an_empty_object_is_an_empty_page() {
    let value = classify(Operation::Search, StatusCode::OK, None, "{}").expect("success");
    let page: Page<AvailableNumber> = decode_page(value).expect("a page");
    assert_eq!((page.count, page.numbers.len()), (0, 0));
}
