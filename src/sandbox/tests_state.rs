//! State, seed and parameter tests: no server, no network.

use std::collections::HashSet;

use super::SandboxConfig;
use super::model::{ApiError, Country, Features, Msisdn, NumberType};
use super::query::{self, NumberRef, Params};
use super::seed;
use super::state::State;

fn config(owned: usize) -> SandboxConfig {
    SandboxConfig {
        owned,
        ..SandboxConfig::default()
    }
}

fn params(q: &str) -> Params {
    Params::parse_urlencoded(q.as_bytes())
}

fn owned_page(state: &State, key: &str, q: &str) -> (usize, Vec<String>) {
    let q = query::owned_query(&params(q)).expect("valid query");
    let page = state.list_owned(key, &q);
    (
        page.count,
        page.items
            .iter()
            .map(|(m, _)| m.as_str().to_string())
            .collect(),
    )
}

fn search_page(state: &State, q: &str) -> (usize, Vec<String>) {
    let q = query::search_query(&params(q)).expect("valid query");
    let page = state.search(&q);
    (
        page.count,
        page.items
            .iter()
            .map(|(m, _)| m.as_str().to_string())
            .collect(),
    )
}

fn number(country: &str, msisdn: &str, target: Option<&str>) -> NumberRef {
    NumberRef {
        country: Country::parse(country).expect("country"),
        msisdn: Msisdn::parse(msisdn).expect("msisdn"),
        target_api_key: target.map(String::from),
    }
}

/// The first available number in `country` of `kind` whose setup fee satisfies `fee`.
fn available(state: &State, country: &str, kind: NumberType, fee: impl Fn(u32) -> bool) -> String {
    available_at(state, country, kind, |setup, _| fee(setup))
}

/// The first available number in `country` of `kind` whose setup fee and monthly cost (in
/// cents) satisfy `price`.
fn available_at(
    state: &State,
    country: &str,
    kind: NumberType,
    price: impl Fn(u32, u32) -> bool,
) -> String {
    let c = Country::parse(country).expect("country");
    state.inventory[&c]
        .iter()
        .find(|(_, i)| i.kind == kind && price(i.setup_cents, i.cost_cents))
        .map(|(m, _)| m.as_str().to_string())
        .expect("such a number in the inventory")
}

#[test]
fn seed_is_deterministic_and_depends_on_the_seed() {
    let a = State::seeded(&config(500));
    let b = State::seeded(&config(500));
    assert_eq!(a.inventory, b.inventory);
    assert_eq!(a.accounts["sandbox"].owned, b.accounts["sandbox"].owned);
    let other = State::seeded(&SandboxConfig {
        seed: 2,
        ..config(500)
    });
    assert_ne!(a.inventory, other.inventory);
    // The inventory does not depend on how many numbers are owned.
    assert_eq!(State::seeded(&config(0)).inventory, a.inventory);
}

#[test]
fn seeded_numbers_are_unique_valid_and_priced_in_range() {
    let state = State::seeded(&config(5_000));
    let mut seen = HashSet::new();
    for code in seed::countries() {
        let c = Country::parse(code).expect("country");
        let numbers = &state.inventory[&c];
        assert!(
            (300..=2000).contains(&numbers.len()),
            "{code}: {}",
            numbers.len()
        );
        for (m, i) in numbers {
            assert!(seen.insert(*m), "duplicate {m:?}");
            assert!((10..=15).contains(&m.as_str().len()), "{m:?}");
            assert!(!m.as_str().starts_with('0'));
            assert_eq!(i.country, c);
            assert!((50..=500).contains(&i.cost_cents), "cost {}", i.cost_cents);
            assert!(i.setup_cents <= 200, "setup {}", i.setup_cents);
            assert!(i.features.0 != 0);
        }
    }
    let owned = &state.accounts["sandbox"].owned;
    assert_eq!(owned.len(), 5_000);
    for m in owned.keys() {
        assert!(seen.insert(*m), "owned {m:?} collides");
    }
    let with_app = owned.values().filter(|o| o.app_id().is_some()).count();
    let bare = owned.values().filter(|o| o.config.is_none()).count();
    assert!(with_app > 1_000 && bare > 500, "{with_app} {bare}");
    let countries: HashSet<_> = owned.values().map(|o| o.info.country).collect();
    assert_eq!(countries.len(), 12);
    assert_eq!(state.accounts["sandbox-sub1"].owned.len(), 0);
}

#[test]
fn pages_are_one_based_and_empty_past_the_end() {
    let state = State::seeded(&config(25));
    let (count, first) = owned_page(&state, "sandbox", "");
    assert_eq!((count, first.len()), (25, 10));
    let (_, third) = owned_page(&state, "sandbox", "size=10&index=3");
    assert_eq!(third.len(), 5);
    let (count, past) = owned_page(&state, "sandbox", "size=10&index=4");
    assert_eq!((count, past.len()), (25, 0));
    let (_, all) = owned_page(&state, "sandbox", "size=100");
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "ordered by msisdn");
    assert_eq!(&all[20..25], &third[..]);
    assert_eq!(owned_page(&state, "sandbox-sub1", "").0, 0);
}

#[test]
fn owned_filters() {
    let state = State::seeded(&config(400));
    let owned = &state.accounts["sandbox"].owned;
    let gb = owned
        .values()
        .filter(|o| o.info.country.as_str() == "GB")
        .count();
    assert_eq!(owned_page(&state, "sandbox", "country=gb").0, gb);
    let linked = owned.values().filter(|o| o.app_id().is_some()).count();
    assert_eq!(
        owned_page(&state, "sandbox", "has_application=true").0,
        linked
    );
    assert_eq!(
        owned_page(&state, "sandbox", "has_application=false").0,
        400 - linked
    );
    let app = seed::application_ids(1)[0].to_string();
    let with_app = owned
        .values()
        .filter(|o| o.app_id() == Some(app.as_str()))
        .count();
    assert!(with_app > 0);
    assert_eq!(
        owned_page(&state, "sandbox", &format!("application_id={app}")).0,
        with_app
    );

    let (m, _) = owned.iter().nth(123).expect("a number");
    let s = m.as_str();
    let (count, hits) = owned_page(&state, "sandbox", &format!("pattern={}", &s[..6]));
    assert_eq!(
        count,
        owned
            .keys()
            .filter(|k| k.as_str().starts_with(&s[..6]))
            .count()
    );
    assert!(hits.iter().all(|h| h.starts_with(&s[..6])));
    let (_, hits) = owned_page(
        &state,
        "sandbox",
        &format!("pattern={}&search_pattern=2", &s[s.len() - 5..]),
    );
    assert!(hits.contains(&s.to_string()));
    let (_, hits) = owned_page(
        &state,
        "sandbox",
        &format!("pattern={}&search_pattern=1", &s[3..9]),
    );
    assert!(hits.contains(&s.to_string()));
}

#[test]
fn search_filters_and_paging() {
    let state = State::seeded(&config(0));
    let gb = &state.inventory[&Country::parse("GB").expect("GB")];
    let (count, page) = search_page(&state, "country=GB");
    assert_eq!((count, page.len()), (gb.len(), 10));
    let mobiles = gb
        .values()
        .filter(|i| i.kind == NumberType::MobileLvn)
        .count();
    assert_eq!(search_page(&state, "country=GB&type=mobile-lvn").0, mobiles);
    let sms_voice = gb
        .values()
        .filter(|i| i.features.has(Features::SMS) && i.features.has(Features::VOICE))
        .count();
    assert_eq!(
        search_page(&state, "country=GB&features=SMS,VOICE").0,
        sms_voice
    );
    let (count, hits) = search_page(&state, "country=GB&pattern=447700&size=100");
    assert!(count > 0 && hits.iter().all(|h| h.starts_with("447700")));
    assert_eq!(search_page(&state, "country=ZZ").0, 0);
    assert_eq!(search_page(&state, "country=GB&index=100000").1.len(), 0);
    assert!(search_page(&state, "country=US&features=SMS,MMS,VOICE").0 > 0);
}

#[test]
fn buy_moves_a_number_and_spends_the_setup_fee_and_the_first_month() {
    let mut state = State::seeded(&config(0));
    let msisdn = available(&state, "GB", NumberType::MobileLvn, |fee| fee > 0);
    let info =
        state.inventory[&Country::parse("GB").expect("GB")][&Msisdn::parse(&msisdn).expect("m")];
    let fee = info.setup_cents + info.cost_cents;
    let before = state.credit_cents("sandbox");
    assert_eq!(
        state.buy("sandbox", &number("US", &msisdn, None)),
        Err(ApiError::MethodFailed),
        "wrong country"
    );
    assert_eq!(state.buy("sandbox", &number("GB", &msisdn, None)), Ok(()));
    assert!(!state.is_available("GB", &msisdn));
    assert_eq!(state.owned_count("sandbox"), 1);
    assert_eq!(state.credit_cents("sandbox"), before - i64::from(fee));
    let record = state.owned_record("sandbox", &msisdn).expect("owned");
    assert_eq!(
        (record.number_type.as_str(), record.app_id.clone()),
        ("mobile-lvn", None)
    );
    assert_eq!(
        state.buy("sandbox", &number("GB", &msisdn, None)),
        Err(ApiError::MethodFailed),
        "already owned"
    );
    assert_eq!(
        state.buy("sandbox", &number("GB", "447000000000", None)),
        Err(ApiError::MethodFailed)
    );

    // Cancel: back to the inventory at the same prices; only the owner, in its country.
    assert_eq!(
        state.cancel("sandbox-sub1", &number("GB", &msisdn, None)),
        Err(ApiError::MethodFailed)
    );
    assert_eq!(
        state.cancel("sandbox", &number("FR", &msisdn, None)),
        Err(ApiError::MethodFailed)
    );
    assert_eq!(
        state.cancel("sandbox", &number("GB", &msisdn, None)),
        Ok(())
    );
    assert!(state.is_available("GB", &msisdn));
    assert_eq!(state.owned_count("sandbox"), 0);
    assert_eq!(
        state.inventory,
        State::seeded(&config(0)).inventory,
        "same prices"
    );
    assert_eq!(
        state.cancel("sandbox", &number("GB", &msisdn, None)),
        Err(ApiError::MethodFailed)
    );
}

#[test]
fn buy_needs_credit() {
    let mut state = State::seeded(&SandboxConfig {
        credit_eur: 1.00,
        ..config(0)
    });
    // A buy charges the setup fee and the first month: 0.90 of the 1.00 here, so 0.10 is left.
    let dear = available_at(&state, "US", NumberType::MobileLvn, |setup, month| {
        setup + month > 100
    });
    let cheap = available_at(&state, "US", NumberType::MobileLvn, |setup, month| {
        setup + month == 90
    });
    assert_eq!(
        state.buy("sandbox", &number("US", &dear, None)),
        Err(ApiError::MethodFailed)
    );
    assert!(state.is_available("US", &dear));
    assert_eq!(state.buy("sandbox", &number("US", &cheap, None)), Ok(()));
    assert_eq!(state.credit_cents("sandbox"), 10);
    // Subaccounts spend the main account's balance.
    assert_eq!(state.credit_cents("sandbox-sub1"), 10);
    assert_eq!(
        state.buy("sandbox", &number("US", &dear, Some("sandbox-sub1"))),
        Err(ApiError::MethodFailed)
    );
}

#[test]
fn some_countries_need_an_address() {
    let mut state = State::seeded(&config(0));
    let de_landline = available(&state, "DE", NumberType::Landline, |_| true);
    let de_mobile = available(&state, "DE", NumberType::MobileLvn, |_| true);
    let it_mobile = available(&state, "IT", NumberType::MobileLvn, |_| true);
    assert_eq!(
        state.buy("sandbox", &number("DE", &de_landline, None)),
        Err(ApiError::AddressRequired)
    );
    assert_eq!(
        state.buy("sandbox", &number("IT", &it_mobile, None)),
        Err(ApiError::AddressRequired)
    );
    assert!(state.is_available("DE", &de_landline) && state.is_available("IT", &it_mobile));
    assert_eq!(
        state.buy("sandbox", &number("DE", &de_mobile, None)),
        Ok(())
    );
    assert!(
        ApiError::AddressRequired
            .label()
            .starts_with("Numbers from this country can be requested from the Dashboard")
    );
}

#[test]
fn subaccount_targeting() {
    let mut state = State::seeded(&config(3));
    let msisdn = available(&state, "GB", NumberType::Landline, |_| true);
    assert_eq!(
        state.buy("sandbox", &number("GB", &msisdn, Some("nobody"))),
        Err(ApiError::MethodFailed)
    );
    assert_eq!(
        state.buy("sandbox", &number("GB", &msisdn, Some("sandbox-sub1"))),
        Ok(())
    );
    assert_eq!(state.owned_count("sandbox-sub1"), 1);
    assert_eq!(state.owned_count("sandbox"), 3);
    // A subaccount cannot act on its main account.
    assert_eq!(
        state.cancel("sandbox-sub1", &number("GB", &msisdn, Some("sandbox"))),
        Err(ApiError::MethodFailed)
    );
    // The main account cannot cancel the subaccount's number without targeting it.
    assert_eq!(
        state.cancel("sandbox", &number("GB", &msisdn, None)),
        Err(ApiError::MethodFailed)
    );
    assert_eq!(
        state.cancel("sandbox", &number("GB", &msisdn, Some("sandbox-sub1"))),
        Ok(())
    );
    assert!(state.is_available("GB", &msisdn));
}

#[test]
fn update_replaces_the_whole_configuration() {
    let mut state = State::seeded(&config(200));
    let (m, o) = state.accounts["sandbox"]
        .owned
        .iter()
        .find(|(_, o)| {
            o.config
                .as_ref()
                .is_some_and(|c| c.app_id.is_some() && c.mo_http_url.is_some())
        })
        .map(|(m, o)| (*m, o.clone()))
        .expect("a configured number");
    let r = NumberRef {
        country: o.info.country,
        msisdn: m,
        target_api_key: None,
    };
    let config = query::update_config(&params(
        "voiceCallbackType=tel&voiceCallbackValue=14155550100&moSmppSysType=inbound",
    ))
    .expect("valid");
    assert_eq!(state.update("sandbox", &r, config), Ok(()));
    let record = state.owned_record("sandbox", m.as_str()).expect("owned");
    assert_eq!(record.app_id, None);
    assert_eq!(record.mo_http_url, None);
    assert_eq!(record.voice_callback_type.as_deref(), Some("tel"));
    assert_eq!(record.voice_callback_value.as_deref(), Some("14155550100"));
    assert_eq!(record.mo_smpp_sys_type.as_deref(), Some("inbound"));
    assert_eq!(record.cost, super::model::cents_str(o.info.cost_cents));

    let empty = query::update_config(&params("app_id=&moHttpUrl=")).expect("valid");
    assert_eq!(state.update("sandbox", &r, empty), Ok(()));
    assert!(state.accounts["sandbox"].owned[&m].config.is_none());
    let wrong_country = NumberRef {
        country: Country::parse("ZZ").expect("ZZ"),
        ..r.clone()
    };
    assert_eq!(
        state.update("sandbox", &wrong_country, Default::default()),
        Err(ApiError::MethodFailed)
    );
    assert_eq!(
        state.update("sandbox-sub1", &r, Default::default()),
        Err(ApiError::MethodFailed)
    );

    for bad in [
        "voiceCallbackType=tel",
        "voiceCallbackValue=123",
        "voiceCallbackType=fax&voiceCallbackValue=1",
        "messagesCallbackType=app",
        "messagesCallbackType=x&messagesCallbackValue=y",
    ] {
        assert_eq!(
            query::update_config(&params(bad)),
            Err(ApiError::MethodFailed),
            "{bad}"
        );
    }
}

#[test]
fn a_hundred_thousand_owned_numbers() {
    let start = std::time::Instant::now();
    let state = State::seeded(&config(100_000));
    let seeded = start.elapsed();
    assert_eq!(state.owned_count("sandbox"), 100_000);
    let start = std::time::Instant::now();
    let (count, page) = owned_page(&state, "sandbox", "size=100&index=900");
    let paged = start.elapsed();
    assert_eq!((count, page.len()), (100_000, 100));
    let (count, page) = owned_page(&state, "sandbox", "size=100&index=1001");
    assert_eq!((count, page.len()), (100_000, 0));
    // Generous bounds: this runs unoptimised, on a busy machine.
    assert!(
        seeded.as_secs() < 20 && paged.as_millis() < 1_000,
        "{seeded:?} {paged:?}"
    );
}

#[test]
fn unfiltered_pages_follow_buys_and_cancels() {
    let mut state = State::seeded(&config(250));
    let all = |state: &State| -> Vec<String> {
        (1..=4)
            .flat_map(|i| owned_page(state, "sandbox", &format!("size=100&index={i}")).1)
            .collect()
    };
    let before = all(&state);
    assert_eq!(before.len(), 250);
    assert!(before.windows(2).all(|w| w[0] < w[1]), "in msisdn order");
    let msisdn = available(&state, "GB", NumberType::MobileLvn, |_| true);
    assert_eq!(state.buy("sandbox", &number("GB", &msisdn, None)), Ok(()));
    let after_buy = all(&state);
    assert_eq!(after_buy.len(), 251);
    assert!(after_buy.contains(&msisdn), "the index follows a buy");
    assert!(after_buy.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        state.cancel("sandbox", &number("GB", &msisdn, None)),
        Ok(())
    );
    assert_eq!(all(&state), before, "and a cancel");
}
