//! Search, buy and cancel through the client against a sandbox over loopback HTTP, checked
//! against the sandbox's state (inventory, owned numbers, credit, subaccounts).

use crate::common;
use crate::common::{MAIN_KEY, SUB_KEY, cents};
use switchboard::api::{
    ApiError, AvailableNumber, Client, FeatureSet, MatchMode, NumberRef, NumberType, Pattern,
    SearchQuery,
};
use switchboard::sandbox::Sandbox;

async fn search(c: &Client, q: SearchQuery) -> Vec<AvailableNumber> {
    let page = c.search(&q).await.expect("search");
    assert!(
        !page.numbers.is_empty() && page.count >= page.numbers.len() as u64,
        "{q:?} should find numbers: {page:?}"
    );
    page.numbers
}

fn msisdn(n: &AvailableNumber) -> String {
    n.msisdn.clone().expect("msisdn")
}

/// Every result is in the sandbox's inventory of `country`, priced.
fn assert_available(sb: &Sandbox, country: &str, numbers: &[AvailableNumber]) {
    for n in numbers {
        assert_eq!(n.country.as_deref(), Some(country), "{n:?}");
        assert!(
            sb.is_available(country, &msisdn(n)),
            "{n:?} is not available"
        );
        let cost = cents(n.cost.as_deref().expect("monthly cost"));
        let setup = cents(n.initial_price.as_deref().expect("setup fee"));
        assert!(cost > 0 && setup >= 0, "{n:?}");
    }
}

#[tokio::test]
async fn search_by_type_finds_only_that_type() {
    let sb = crate::common::sandbox(0, 21).await;
    let c = crate::common::client(&sb);
    for t in NumberType::SEARCHABLE {
        let found = search(
            &c,
            SearchQuery {
                number_type: Some(t.clone()),
                size: 50,
                ..SearchQuery::new("GB")
            },
        )
        .await;
        assert_available(&sb, "GB", &found);
        assert!(
            found.iter().all(|n| n.number_type.as_ref() == Some(&t)),
            "{t}: {found:?}"
        );
    }
}

#[tokio::test]
async fn search_by_features_finds_numbers_having_them() {
    let sb = crate::common::sandbox(0, 22).await;
    let c = crate::common::client(&sb);
    for (country, features) in [("GB", "voice,sms"), ("US", "mms"), ("US", "SMS MMS VOICE")] {
        let set: FeatureSet = features.parse().expect("features");
        let found = search(
            &c,
            SearchQuery {
                features: Some(set),
                size: 50,
                ..SearchQuery::new(country)
            },
        )
        .await;
        assert_available(&sb, country, &found);
        for n in &found {
            let names: Vec<&str> = n.features.iter().map(|f| f.as_str()).collect();
            let has = |f: &str| names.contains(&f);
            assert!(
                (!set.sms || has("SMS"))
                    && (!set.voice || has("VOICE"))
                    && (!set.mms || has("MMS")),
                "{features}: {n:?}"
            );
        }
    }
}

#[tokio::test]
async fn search_by_pattern_in_each_mode() {
    let sb = crate::common::sandbox(0, 23).await;
    let c = crate::common::client(&sb);
    let cases = [
        (MatchMode::StartsWith, "447700"),
        (MatchMode::Contains, "77"),
        (MatchMode::EndsWith, "1"),
    ];
    for (mode, digits) in cases {
        let found = search(
            &c,
            SearchQuery {
                pattern: Some(Pattern {
                    digits: digits.into(),
                    mode,
                }),
                size: 100,
                ..SearchQuery::new("gb")
            },
        )
        .await;
        assert_available(&sb, "GB", &found);
        for n in &found {
            let m = msisdn(n);
            let ok = match mode {
                MatchMode::StartsWith => m.starts_with(digits),
                MatchMode::Contains => m.contains(digits),
                MatchMode::EndsWith => m.ends_with(digits),
            };
            assert!(ok, "{mode:?} {digits}: {m}");
        }
    }
}

#[tokio::test]
async fn search_size_and_index_select_the_page() {
    let sb = crate::common::sandbox(0, 24).await;
    let c = crate::common::client(&sb);
    let page = |size, index| {
        let c = c.clone();
        async move {
            c.search(&SearchQuery {
                size,
                index,
                ..SearchQuery::new("FR")
            })
            .await
            .expect("search")
        }
    };
    let six = page(6, 1).await;
    let first = page(3, 1).await;
    let second = page(3, 2).await;
    assert_eq!(first.numbers.len(), 3);
    assert_eq!(second.numbers.len(), 3);
    assert_eq!(six.numbers.len(), 6);
    assert_eq!(first.numbers, six.numbers[..3]);
    assert_eq!(second.numbers, six.numbers[3..]);
    assert!(six.count > 6 && six.count == first.count && first.count == second.count);
    let last_index = u32::try_from(six.count.div_ceil(100)).expect("pages");
    let past = page(100, last_index + 1).await;
    assert_eq!((past.count, past.numbers.len()), (0, 0), "past the end");
    assert_available(&sb, "FR", &six.numbers);

    // A country with no inventory answers `{}`: an empty page, not an error.
    let none = c.search(&SearchQuery::new("JP")).await.expect("search JP");
    assert_eq!((none.count, none.numbers.len()), (0, 0));
}

#[tokio::test]
async fn buy_moves_the_number_to_owned_and_charges_the_setup_fee() {
    let sb = crate::common::sandbox(5, 25).await;
    let c = crate::common::client(&sb);
    let offers = search(
        &c,
        SearchQuery {
            size: 100,
            ..SearchQuery::new("GB")
        },
    )
    .await;
    let n = offers
        .iter()
        .find(|n| cents(n.initial_price.as_deref().unwrap_or("0")) > 0)
        .expect("a GB number with a setup fee");
    let m = msisdn(n);
    // The setup fee and the first month are charged at once.
    let fee =
        cents(n.initial_price.as_deref().expect("fee")) + cents(n.cost.as_deref().expect("cost"));
    let credit = (sb.credit(MAIN_KEY) * 100.0).round() as i64;

    // Written the way a user types it: lower-case country, `+` and spaces.
    let typed = format!("+{} {}", &m[..2], &m[2..]);
    let settled = c.buy(&NumberRef::new("gb", typed)).await.expect("buy");
    assert_eq!(settled.recovered_from, None);
    let rec = sb.owned_number(MAIN_KEY, &m).expect("now owned");
    assert_eq!(rec.country, "GB");
    assert_eq!(Some(rec.initial_price.as_str()), n.initial_price.as_deref());
    assert!(!sb.is_available("GB", &m));
    assert_eq!(sb.owned_count(MAIN_KEY), 6);
    assert_eq!((sb.credit(MAIN_KEY) * 100.0).round() as i64, credit - fee);
    assert!(c.find_owned("GB", &m).await.expect("find").is_some());

    // Buying it again is "already owned" (the owned list read first says so; nothing is
    // sent); in another country it is refused. Neither charges anything.
    let buys = common::hits(&sb, "/number/buy");
    let again = c
        .buy(&NumberRef::new("GB", &m))
        .await
        .expect("already owned");
    assert!(again.already, "{again:?}");
    assert_eq!(common::hits(&sb, "/number/buy"), buys, "nothing sent");
    let err = c.buy(&NumberRef::new("US", &m)).await.unwrap_err();
    assert!(matches!(err, ApiError::MethodFailed { .. }), "{err:?}");
    assert!(err.to_string().contains("method failed"), "{err}");
    assert_eq!((sb.credit(MAIN_KEY) * 100.0).round() as i64, credit - fee);
    assert_eq!(sb.owned_count(MAIN_KEY), 6);
}

#[tokio::test]
async fn buying_in_italy_needs_an_address_and_changes_nothing() {
    let sb = crate::common::sandbox(0, 26).await;
    let c = crate::common::client(&sb);
    let it = search(&c, SearchQuery::new("IT")).await;
    let m = msisdn(&it[0]);
    let credit = sb.credit(MAIN_KEY);
    let err = c.buy(&NumberRef::new("IT", &m)).await.unwrap_err();
    match &err {
        ApiError::AddressRequired { label, .. } => {
            assert!(label.contains("address"), "{label}")
        }
        other => panic!("expected AddressRequired, got {other:?}"),
    }
    assert!(sb.is_available("IT", &m));
    assert_eq!(sb.owned_count(MAIN_KEY), 0);
    assert_eq!(sb.credit(MAIN_KEY), credit);
    assert_eq!(crate::common::hits(&sb, "/number/buy"), 1, "not retried");
}

#[tokio::test]
async fn cancel_returns_an_owned_number_to_the_inventory() {
    let sb = crate::common::sandbox(20, 27).await;
    let c = crate::common::client(&sb);
    let owned = crate::common::all_owned(&c).await;
    let n = &owned[3];
    let (country, m) = (n.country.clone().expect("c"), n.msisdn.clone().expect("m"));
    assert!(!sb.is_available(&country, &m));

    let settled = c
        .cancel(&NumberRef::new(&country, &m))
        .await
        .expect("cancel");
    assert_eq!(settled.recovered_from, None);
    assert!(sb.owned_number(MAIN_KEY, &m).is_none());
    assert!(sb.is_available(&country, &m));
    assert_eq!(sb.owned_count(MAIN_KEY), 19);
    assert_eq!(c.find_owned(&country, &m).await.expect("find"), None);

    // Cancelling what is no longer owned is "already not owned": nothing is sent. In the
    // wrong country, a number owned is refused.
    let cancels = common::hits(&sb, "/number/cancel");
    let again = c
        .cancel(&NumberRef::new(&country, &m))
        .await
        .expect("already");
    assert!(again.already, "{again:?}");
    assert_eq!(common::hits(&sb, "/number/cancel"), cancels, "nothing sent");
    let other = owned[4].msisdn.clone().expect("m");
    let wrong_country = if owned[4].country.as_deref() == Some("SE") {
        "NL"
    } else {
        "SE"
    };
    let err = c
        .cancel(&NumberRef::new(wrong_country, &other))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::MethodFailed { .. }), "{err:?}");
    assert!(sb.owned_number(MAIN_KEY, &other).is_some(), "still owned");
    assert_eq!(sb.owned_count(MAIN_KEY), 19);
}

#[tokio::test]
async fn buy_and_cancel_on_a_subaccount_with_target_api_key() {
    let sb = crate::common::sandbox(3, 28).await;
    let c = crate::common::client(&sb);
    let offers = search(&c, SearchQuery::new("US")).await;
    let m = msisdn(&offers[0]);
    let on_sub = NumberRef {
        target_api_key: Some(SUB_KEY.to_string()),
        ..NumberRef::new("US", &m)
    };
    c.buy(&on_sub).await.expect("buy for the subaccount");
    let rec = sb
        .owned_number(SUB_KEY, &m)
        .expect("the subaccount owns it");
    assert_eq!(rec.country, "US");
    assert!(
        sb.owned_number(MAIN_KEY, &m).is_none(),
        "not the main account"
    );
    assert_eq!(sb.owned_count(MAIN_KEY), 3);
    assert_eq!(c.find_owned("US", &m).await.expect("find"), None);

    // Not the main account's number to cancel (it owns no such number: nothing is sent); the
    // subaccount's, with the target.
    let not_main = c
        .cancel(&NumberRef::new("US", &m))
        .await
        .expect("not owned");
    assert!(not_main.already, "{not_main:?}");
    assert!(
        sb.owned_number(SUB_KEY, &m).is_some(),
        "still the subaccount's"
    );
    c.cancel(&on_sub).await.expect("cancel on the subaccount");
    assert!(sb.owned_number(SUB_KEY, &m).is_none());
    assert!(sb.is_available("US", &m));

    // A key that is not a subaccount of this account is refused.
    let stranger = NumberRef {
        target_api_key: Some("someone-else".into()),
        ..NumberRef::new("US", &m)
    };
    let err = c.buy(&stranger).await.unwrap_err();
    assert!(matches!(err, ApiError::MethodFailed { .. }), "{err:?}");
    assert!(sb.is_available("US", &m));
}
