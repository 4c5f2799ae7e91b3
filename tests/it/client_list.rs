//! The owned list through the client against a sandbox over loopback HTTP: one page, every
//! filter (checked against the sandbox's stored state), paging to past the end, `list_all`.

use crate::common::{MAIN_KEY, all_owned, records};
use switchboard::api::{
    ListProgress, MatchMode, OwnedFilter, OwnedNumber, OwnedQuery, Pattern, model::features_label,
};
use switchboard::sandbox::NumberRecord;

fn msisdns(numbers: &[OwnedNumber]) -> Vec<String> {
    numbers
        .iter()
        .map(|n| n.msisdn.clone().expect("msisdn"))
        .collect()
}

fn strictly_ascending(v: &[String]) -> bool {
    v.windows(2).all(|w| w[0] < w[1])
}

#[tokio::test]
async fn one_page_has_the_total_count_the_size_and_msisdn_order() {
    let sb = crate::common::sandbox(250, 3).await;
    let c = crate::common::client(&sb);
    let page = c
        .list_owned(&OwnedQuery {
            size: 10,
            ..OwnedQuery::default()
        })
        .await
        .expect("one page");
    assert_eq!(page.count, 250);
    assert_eq!(page.numbers.len(), 10);
    let shown = msisdns(&page.numbers);
    assert!(strictly_ascending(&shown), "{shown:?}");
    let all = all_owned(&c).await;
    assert!(strictly_ascending(&msisdns(&all)));
    assert_eq!(shown, msisdns(&all[..10]));

    // Each number decodes to what the sandbox stores (the list shows every field but the two
    // the real service hides).
    for (n, r) in page
        .numbers
        .iter()
        .zip(records(&sb, MAIN_KEY, &page.numbers))
    {
        assert_eq!(n.country.as_deref(), Some(r.country.as_str()));
        assert_eq!(
            n.number_type.as_ref().map(|t| t.as_str()),
            Some(r.number_type.as_str())
        );
        assert_eq!(features_label(&n.features), r.features.join(","));
        assert_eq!(n.app_id.as_deref(), r.app_id.as_deref());
        assert_eq!(n.mo_http_url.as_deref(), r.mo_http_url.as_deref());
        assert_eq!(
            n.voice_callback_type.as_deref(),
            r.voice_callback_type.as_deref()
        );
        assert_eq!(
            n.voice_callback_value.as_deref(),
            r.voice_callback_value.as_deref()
        );
        assert_eq!(
            n.messages_callback_type.as_deref(),
            r.messages_callback_type.as_deref()
        );
        assert_eq!(
            n.messages_callback_value.as_deref(),
            r.messages_callback_value.as_deref()
        );
    }
}

/// Lists with `filter` (every page, and the first page's count) and compares with the numbers
/// of `recs` that `keep` selects. The filter must select some numbers but not all.
async fn check_filter(
    c: &switchboard::api::Client,
    recs: &[NumberRecord],
    filter: OwnedFilter,
    keep: impl Fn(&NumberRecord) -> bool,
) {
    let expected: Vec<String> = recs
        .iter()
        .filter(|r| keep(r))
        .map(|r| r.msisdn.clone())
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < recs.len(),
        "the test filter {filter:?} should select some numbers, not none or all ({} of {})",
        expected.len(),
        recs.len()
    );
    let got = c.list_all(&filter, |_| {}).await.expect("filtered list");
    assert_eq!(msisdns(&got), expected, "filter {filter:?}");
    let first = c
        .list_owned(&OwnedQuery {
            filter: filter.clone(),
            size: 5,
            index: 1,
        })
        .await
        .expect("first page");
    assert_eq!(first.count, expected.len() as u64, "count of {filter:?}");
    assert_eq!(msisdns(&first.numbers), expected[..expected.len().min(5)]);
}

async fn owned_state(seed: u64) -> (switchboard::sandbox::Sandbox, Vec<NumberRecord>) {
    let sb = crate::common::sandbox(250, seed).await;
    let all = all_owned(&crate::common::client(&sb)).await;
    assert_eq!(all.len(), sb.owned_count(MAIN_KEY));
    let recs = records(&sb, MAIN_KEY, &all);
    (sb, recs)
}

#[tokio::test]
async fn the_country_filter_matches_the_sandbox_state() {
    let (sb, recs) = owned_state(4).await;
    let c = crate::common::client(&sb);
    for country in ["GB", "us", "De"] {
        let upper = country.to_ascii_uppercase();
        let filter = OwnedFilter {
            country: Some(country.to_string()),
            ..OwnedFilter::default()
        };
        check_filter(&c, &recs, filter, |r| r.country == upper).await;
    }
}

#[tokio::test]
async fn the_application_filters_match_the_sandbox_state() {
    let (sb, recs) = owned_state(5).await;
    let c = crate::common::client(&sb);
    let app = recs
        .iter()
        .find_map(|r| r.app_id.clone())
        .expect("some seeded number is linked to an application");
    let filter = OwnedFilter {
        application_id: Some(app.clone()),
        ..OwnedFilter::default()
    };
    check_filter(&c, &recs, filter, |r| r.app_id.as_deref() == Some(&app)).await;
    for has in [true, false] {
        let filter = OwnedFilter {
            has_application: Some(has),
            ..OwnedFilter::default()
        };
        check_filter(&c, &recs, filter, |r| r.app_id.is_some() == has).await;
    }
}

#[tokio::test]
async fn pattern_filters_match_in_each_mode() {
    let (sb, recs) = owned_state(6).await;
    let c = crate::common::client(&sb);
    let sample = &recs[recs.len() / 2].msisdn;
    let cases = [
        (MatchMode::StartsWith, sample[..3].to_string()),
        (MatchMode::Contains, sample[4..7].to_string()),
        (MatchMode::EndsWith, sample[sample.len() - 2..].to_string()),
    ];
    for (mode, digits) in cases {
        let filter = OwnedFilter {
            pattern: Some(Pattern {
                digits: digits.clone(),
                mode,
            }),
            ..OwnedFilter::default()
        };
        check_filter(&c, &recs, filter, |r| match mode {
            MatchMode::StartsWith => r.msisdn.starts_with(&digits),
            MatchMode::Contains => r.msisdn.contains(&digits),
            MatchMode::EndsWith => r.msisdn.ends_with(&digits),
        })
        .await;
    }
}

#[tokio::test]
async fn filters_combine() {
    let (sb, recs) = owned_state(7).await;
    let c = crate::common::client(&sb);
    let filter = OwnedFilter {
        country: Some("US".into()),
        has_application: Some(true),
        pattern: Some(Pattern {
            digits: "1".into(),
            mode: MatchMode::StartsWith,
        }),
        ..OwnedFilter::default()
    };
    check_filter(&c, &recs, filter, |r| {
        r.country == "US" && r.app_id.is_some() && r.msisdn.starts_with('1')
    })
    .await;
}

#[tokio::test]
async fn paging_covers_every_number_once_then_returns_an_empty_page() {
    let sb = crate::common::sandbox(250, 8).await;
    let c = crate::common::client(&sb);
    let all = msisdns(&all_owned(&c).await);
    let mut paged = Vec::new();
    for index in 1..=36 {
        let page = c
            .list_owned(&OwnedQuery {
                filter: OwnedFilter::default(),
                size: 7,
                index,
            })
            .await
            .expect("page");
        assert_eq!(page.count, 250, "page {index}");
        let expected_len = if index < 36 { 7 } else { 250 - 35 * 7 };
        assert_eq!(page.numbers.len(), expected_len, "page {index}");
        paged.extend(msisdns(&page.numbers));
    }
    assert_eq!(paged, all, "pages in order, each number once");
    assert!(strictly_ascending(&paged));

    for index in [37, 1000] {
        let past = c
            .list_owned(&OwnedQuery {
                filter: OwnedFilter::default(),
                size: 7,
                index,
            })
            .await
            .expect("a page past the end is not an error");
        assert_eq!(past.count, 0);
        assert!(past.numbers.is_empty());
    }

    // What the client decoded as an empty page is the service's bare `{}`.
    switchboard::api::install_crypto_provider();
    let body = reqwest::Client::new()
        .get(format!("{}/account/numbers?size=7&index=37", sb.base_url()))
        .basic_auth(MAIN_KEY, Some("sandbox-secret"))
        .send()
        .await
        .expect("raw request")
        .text()
        .await
        .expect("body");
    assert_eq!(body.trim(), "{}");
}

#[tokio::test]
async fn list_all_returns_every_owned_number_and_reports_each_page() {
    let sb = crate::common::sandbox(1234, 9).await;
    let c = crate::common::client(&sb);
    let mut events: Vec<ListProgress> = Vec::new();
    let all = c
        .list_all(&OwnedFilter::default(), |p| events.push(p))
        .await
        .expect("list_all");
    assert_eq!(all.len(), 1234);
    assert_eq!(all.len(), sb.owned_count(MAIN_KEY));
    let numbers = msisdns(&all);
    assert!(strictly_ascending(&numbers), "page order, no duplicates");
    assert_eq!(
        records(&sb, MAIN_KEY, &all).len(),
        1234,
        "every one is owned"
    );

    assert_eq!(events.len(), 13, "{events:?}");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.pages_done as usize, i + 1);
        assert_eq!(e.pages_total, 13);
        assert_eq!(e.total, 1234);
    }
    let last = events.last().expect("progress");
    assert_eq!(last.pages_done, last.pages_total);
    assert_eq!(last.numbers_loaded, 1234);
}

#[tokio::test]
async fn list_all_of_a_filter_matching_nothing_is_empty() {
    let sb = crate::common::sandbox(50, 10).await;
    let c = crate::common::client(&sb);
    let mut events = Vec::new();
    let none = c
        .list_all(
            &OwnedFilter {
                pattern: Some(Pattern {
                    digits: "999".into(),
                    mode: MatchMode::StartsWith,
                }),
                ..OwnedFilter::default()
            },
            |p| events.push(p),
        )
        .await
        .expect("an empty listing is not an error");
    assert!(none.is_empty());
    assert_eq!(
        events,
        vec![ListProgress {
            pages_done: 1,
            pages_total: 1,
            numbers_loaded: 0,
            total: 0
        }]
    );
}
