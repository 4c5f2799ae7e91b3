//! Property tests: the client's request encoders and the sandbox's parser agree. Every query or
//! body the client accepts is encoded (as reqwest does: form-urlencoded), parsed by the sandbox
//! (an independent implementation of the API's rules) and must come back with the same values;
//! the sandbox never has to refuse a parameter the client let through. Inputs the client
//! refuses are refused before anything is encoded.

use proptest::prelude::*;

use crate::api::{
    Change, FeatureSet, MatchMode, NumberChange, NumberConfig, NumberRef, NumberType, OwnedFilter,
    OwnedQuery, Pattern, SearchQuery, VoiceTarget,
};

use super::query::{self, Params, PatternMode};

/// The wire form of `params`, as the client sends it.
fn wire(params: &[(&'static str, String)]) -> Params {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    Params::parse_urlencoded(s.finish().as_bytes())
}

fn mode_of(m: MatchMode) -> PatternMode {
    match m {
        MatchMode::StartsWith => PatternMode::StartsWith,
        MatchMode::Contains => PatternMode::Contains,
        MatchMode::EndsWith => PatternMode::EndsWith,
    }
}

/// Careless but valid: mixed case, surrounding spaces.
fn country() -> impl Strategy<Value = String> {
    "[ ]{0,2}[A-Za-z]{2}[ ]{0,2}"
}

/// Hostile or careless text of any kind.
fn junk() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,20}",
        "[0-9a-zA-Z +()\\-.]{0,20}",
        "[\\u{0}-\\u{1f}\\u{202a}-\\u{202e}a1]{1,6}",
        "[0-9]{0,20}",
    ]
}

fn pattern() -> impl Strategy<Value = Pattern> {
    (
        "[+]?[0-9]{1,3}[ -]?[0-9]{0,10}",
        prop_oneof![
            Just(MatchMode::StartsWith),
            Just(MatchMode::Contains),
            Just(MatchMode::EndsWith)
        ],
    )
        .prop_map(|(digits, mode)| Pattern { digits, mode })
}

/// Printable free text: letters of any script, digits, punctuation (no controls, none of the
/// letters that draw nothing, such as the Hangul fillers).
fn text() -> impl Strategy<Value = String> {
    "[ ]?[\\p{L}\\p{N}:@._/-]{1,40}[ ]?".prop_filter("drawable", |s| {
        !s.chars().any(crate::api::validate::is_unsafe_char)
    })
}

fn msisdn() -> impl Strategy<Value = String> {
    "[+]?[1-9][0-9]{2}[ .-]?[0-9]{3}[ -]?[0-9]{1,9}"
}

fn owned_filter() -> impl Strategy<Value = OwnedFilter> {
    (
        prop::option::of(country()),
        prop::option::of(text()),
        prop::option::of(any::<bool>()),
        prop::option::of(pattern()),
    )
        .prop_map(
            |(country, application_id, has_application, pattern)| OwnedFilter {
                country,
                application_id,
                has_application,
                pattern,
            },
        )
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn owned_queries_agree(filter in owned_filter(), size in 1u32..=100, index in 1u32..100_000) {
        let q = OwnedQuery { filter: filter.clone(), size, index };
        let params = q.params().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let parsed = query::owned_query(&wire(&params))
            .map_err(|e| TestCaseError::fail(format!("the sandbox refused {params:?}: {e:?}")))?;
        prop_assert_eq!(
            parsed.country.map(|c| c.as_str().to_string()),
            filter.country.map(|c| c.trim().to_ascii_uppercase())
        );
        prop_assert_eq!(parsed.application_id, filter.application_id.map(|a| a.trim().to_string()));
        prop_assert_eq!(parsed.has_application, filter.has_application);
        prop_assert_eq!(
            parsed.pattern.map(|p| (p.digits, p.mode)),
            filter.pattern.map(|p| (digits_of(&p.digits), mode_of(p.mode)))
        );
        prop_assert_eq!((parsed.paging.size, parsed.paging.index), (size as usize, u64::from(index)));
    }

    #[test]
    fn search_queries_agree(
        country in country(),
        kind in prop::option::of(0usize..3),
        features in prop::option::of((any::<bool>(), any::<bool>(), any::<bool>())),
        pattern in prop::option::of(pattern()),
        size in 1u32..=100,
        index in 1u32..1000,
    ) {
        let features = features
            .map(|(sms, voice, mms)| FeatureSet { sms, voice, mms })
            .filter(|f| f.canonical().is_some());
        let q = SearchQuery {
            country: country.clone(),
            number_type: kind.map(|k| NumberType::SEARCHABLE[k].clone()),
            features,
            pattern: pattern.clone(),
            size,
            index,
        };
        let params = q.params().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let parsed = query::search_query(&wire(&params))
            .map_err(|e| TestCaseError::fail(format!("the sandbox refused {params:?}: {e:?}")))?;
        prop_assert_eq!(parsed.country.as_str(), country.trim().to_ascii_uppercase());
        prop_assert_eq!(
            parsed.kind.map(|k| k.as_str()),
            kind.map(|k| NumberType::SEARCHABLE[k].as_str())
        );
        let mut got = parsed.features.map(|f| f.names()).unwrap_or_default();
        let mut want: Vec<&str> = features
            .and_then(FeatureSet::canonical)
            .map(|c| c.split(',').collect())
            .unwrap_or_default();
        got.sort_unstable();
        want.sort_unstable();
        prop_assert_eq!(got, want);
        prop_assert_eq!(
            parsed.pattern.map(|p| (p.digits, p.mode)),
            pattern.map(|p| (digits_of(&p.digits), mode_of(p.mode)))
        );
        prop_assert_eq!((parsed.paging.size, parsed.paging.index), (size as usize, u64::from(index)));
    }

    #[test]
    fn number_refs_agree(country in country(), msisdn in msisdn(), target in prop::option::of("[ ]?[A-Za-z0-9_-]{1,64}[ ]?")) {
        let r = NumberRef { country: country.clone(), msisdn: msisdn.clone(), target_api_key: target.clone() };
        let params = r.params().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let parsed = query::number_ref(&wire(&params))
            .map_err(|e| TestCaseError::fail(format!("the sandbox refused {params:?}: {e:?}")))?;
        prop_assert_eq!(parsed.country.as_str(), country.trim().to_ascii_uppercase());
        prop_assert_eq!(parsed.msisdn.as_str(), digits_of(&msisdn));
        prop_assert_eq!(parsed.target_api_key, target.map(|t| t.trim().to_string()));
    }

    #[test]
    fn updates_agree(
        app in prop_oneof![Just(Change::Keep), Just(Change::Clear), text().prop_map(Change::Set)],
        sms in prop_oneof![
            Just(Change::Keep),
            Just(Change::Clear),
            "https?://[a-z]{1,12}(\\.[a-z]{2,5}){1,2}(:[1-9][0-9]{1,3})?/[a-zA-Z0-9/_.~%?=&-]{0,30}"
                .prop_map(Change::Set),
        ],
        smpp in prop_oneof![Just(Change::Keep), Just(Change::Clear), text().prop_map(Change::Set)],
        voice in prop_oneof![
            Just(Change::Keep),
            Just(Change::Clear),
            msisdn().prop_map(|v| Change::Set(VoiceTarget { kind: "tel".into(), value: v })),
            "sip:[a-z]{1,8}@[a-z]{1,8}\\.example"
                .prop_map(|v| Change::Set(VoiceTarget { kind: "SIP".into(), value: v })),
        ],
        before_app in prop::option::of("[a-f0-9-]{8,36}"),
        before_voice in any::<bool>(),
        country in country(),
        msisdn in msisdn(),
    ) {
        let change = NumberChange {
            app_id: app,
            mo_http_url: sms,
            mo_smpp_sys_type: smpp,
            voice,
            ..NumberChange::default()
        };
        let before = NumberConfig {
            app_id: before_app,
            voice_callback_type: before_voice.then(|| "tel".to_string()),
            voice_callback_value: before_voice.then(|| "14155550100".to_string()),
            voice_status_callback: Some("https://status.example/cb".into()),
            ..NumberConfig::default()
        };
        let after = change.apply_to(&before).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let params = after.params(&country, &msisdn).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let p = wire(&params);
        let number = query::number_ref(&p)
            .map_err(|e| TestCaseError::fail(format!("the sandbox refused {params:?}: {e:?}")))?;
        prop_assert_eq!(number.msisdn.as_str(), digits_of(&msisdn));
        let parsed = query::update_config(&p)
            .map_err(|e| TestCaseError::fail(format!("the sandbox refused {params:?}: {e:?}")))?;
        let s = |v: &Option<std::sync::Arc<str>>| v.as_deref().map(String::from);
        prop_assert_eq!(s(&parsed.app_id), after.app_id.clone());
        prop_assert_eq!(s(&parsed.mo_http_url), after.mo_http_url.clone());
        prop_assert_eq!(s(&parsed.mo_smpp_sys_type), after.mo_smpp_sys_type.clone());
        prop_assert_eq!(s(&parsed.voice_callback_type), after.voice_callback_type.clone());
        prop_assert_eq!(s(&parsed.voice_callback_value), after.voice_callback_value.clone());
        prop_assert_eq!(s(&parsed.voice_status_callback), after.voice_status_callback.clone());
        // Untouched fields were kept, named ones changed as asked.
        if change.app_id == Change::Keep {
            prop_assert_eq!(&after.app_id, &before.app_id);
        }
        prop_assert_eq!(&after.voice_status_callback, &before.voice_status_callback);
    }

    #[test]
    fn whatever_the_client_accepts_the_sandbox_accepts(
        country in junk(),
        msisdn in junk(),
        pattern in junk(),
        app in junk(),
        size in 0u32..200,
        index in 0u32..3,
    ) {
        let owned = OwnedQuery {
            filter: OwnedFilter {
                country: Some(country.clone()),
                application_id: Some(app.clone()),
                pattern: Some(Pattern { digits: pattern.clone(), mode: MatchMode::Contains }),
                ..OwnedFilter::default()
            },
            size,
            index,
        };
        if let Ok(params) = owned.params() {
            prop_assert!(query::owned_query(&wire(&params)).is_ok(), "{:?}", params);
        } else {
            // Refused: one of the inputs is outside the documented grammar.
            let ok = country.trim().len() == 2
                && country.trim().chars().all(|c| c.is_ascii_alphabetic())
                && (1..=100).contains(&size)
                && index >= 1
                && !app.trim().is_empty()
                && !app.chars().any(crate::api::validate::is_unsafe_char)
                && app.trim().chars().count() <= 255
                && crate::api::validate::pattern(&pattern).is_ok();
            prop_assert!(!ok, "a valid query was refused: {:?}", owned);
        }
        let r = NumberRef::new(country, msisdn);
        if let Ok(params) = r.params() {
            let parsed = query::number_ref(&wire(&params));
            prop_assert!(parsed.is_ok(), "{:?}", params);
        }
    }
}
