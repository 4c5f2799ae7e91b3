//! The sandbox under load: 24 clients (each its own connection pool) for a bounded time on
//! loopback, buying, cancelling and updating an overlapping set of numbers as fast as they can.
//! Afterwards, with the sandbox's state as the oracle: every number is owned once or available,
//! never both and never neither; for each number the successful buys and cancels alternate (a
//! buy of a number someone else just bought is refused, and leaves no record); the money spent is
//! exactly the setup fees and first months of the successful buys; every request a client made reached the
//! sandbox once (no buy or cancel lost or duplicated); no update was lost (the value left is one
//! that was written), and concurrent read-modify-writes kept the fields nobody changed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::MAIN_KEY;
use switchboard::api::{
    ApiError, Change, Client, ClientConfig, NumberChange, NumberRef, SearchQuery,
};
use switchboard::sandbox::SandboxConfig;

const CLIENTS: u64 = 24;
const RUN_FOR: Duration = Duration::from_secs(3);

/// What one client saw, per number.
#[derive(Default, Debug)]
struct Tally {
    buys_ok: BTreeMap<String, u64>,
    cancels_ok: BTreeMap<String, u64>,
    buy_attempts: u64,
    cancel_attempts: u64,
    /// Updates whose POST was sent (the read found the number).
    update_posts: u64,
    /// Values successfully written, per number.
    written: BTreeMap<String, BTreeSet<String>>,
    unexpected: Vec<String>,
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_clients_at_once_lose_and_duplicate_nothing() {
    let sb = Arc::new(
        crate::common::start(SandboxConfig {
            owned: 40,
            seed: 4242,
            credit_eur: 1_000_000.0,
            webhook_check: false,
            ..SandboxConfig::default()
        })
        .await,
    );
    let setup = crate::common::client(&sb);
    // Contested: 12 GB numbers to buy and cancel, and 8 owned ones to cancel and re-buy.
    let page = setup
        .search(&SearchQuery {
            size: 12,
            ..SearchQuery::new("GB")
        })
        .await
        .expect("search");
    let mut fee: BTreeMap<String, i64> = BTreeMap::new();
    let mut contested: Vec<(String, String)> = Vec::new();
    for n in &page.numbers {
        let m = n.msisdn.clone().expect("msisdn");
        // A buy charges the setup fee and the first month.
        fee.insert(
            m.clone(),
            crate::common::cents(n.initial_price.as_deref().unwrap_or("0"))
                + crate::common::cents(n.cost.as_deref().unwrap_or("0")),
        );
        contested.push(("GB".into(), m));
    }
    let owned = crate::common::all_owned(&setup).await;
    let records = crate::common::records(&sb, MAIN_KEY, &owned);
    let initially_owned: BTreeSet<String> = records.iter().map(|r| r.msisdn.clone()).collect();
    for r in records.iter().take(8) {
        fee.insert(
            r.msisdn.clone(),
            crate::common::cents(&r.initial_price) + crate::common::cents(&r.cost),
        );
        contested.push((r.country.clone(), r.msisdn.clone()));
    }
    // Updated only: 6 other owned numbers, every client rewriting their SMS webhook.
    let updated: Vec<(String, String)> = records
        .iter()
        .skip(8)
        .take(6)
        .map(|r| (r.country.clone(), r.msisdn.clone()))
        .collect();
    let before: BTreeMap<String, _> = records
        .iter()
        .map(|r| (r.msisdn.clone(), r.clone()))
        .collect();
    let credit_before = sb.credit(MAIN_KEY);
    let stats_before = sb.stats();

    let tally = Arc::new(Mutex::new(Tally::default()));
    let deadline = tokio::time::Instant::now() + RUN_FOR;
    let mut tasks = Vec::new();
    for id in 0..CLIENTS {
        let client = Client::new(
            crate::common::credentials(&sb),
            ClientConfig {
                base_url: sb.base_url(),
                timeout: Duration::from_secs(10),
                max_retries: 0,
                concurrency: 2,
                ..ClientConfig::default()
            },
        )
        .expect("client");
        let (contested, updated, tally) = (contested.clone(), updated.clone(), tally.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = 0x9E37_79B9_7F4A_7C15 ^ (id + 1).wrapping_mul(0x2545_F491_4F6C_DD1D);
            let mut seq = 0u64;
            let mut mine = Tally::default();
            while tokio::time::Instant::now() < deadline {
                seq += 1;
                let r = xorshift(&mut rng);
                let (country, m) = &contested[(r % contested.len() as u64) as usize];
                match (r >> 16) % 3 {
                    0 => {
                        mine.buy_attempts += 1;
                        match client.buy(&NumberRef::new(country, m)).await {
                            // Owned already when read first: nothing was sent.
                            Ok(s) if s.already => mine.buy_attempts -= 1,
                            Ok(s) if s.recovered_from.is_none() => {
                                *mine.buys_ok.entry(m.clone()).or_default() += 1
                            }
                            Err(ApiError::MethodFailed { .. }) => {}
                            other => mine.unexpected.push(format!("buy {m}: {other:?}")),
                        }
                    }
                    1 => {
                        mine.cancel_attempts += 1;
                        match client.cancel(&NumberRef::new(country, m)).await {
                            Ok(s) if s.already => mine.cancel_attempts -= 1,
                            Ok(s) if s.recovered_from.is_none() => {
                                *mine.cancels_ok.entry(m.clone()).or_default() += 1
                            }
                            Err(ApiError::MethodFailed { .. }) => {}
                            other => mine.unexpected.push(format!("cancel {m}: {other:?}")),
                        }
                    }
                    _ => {
                        let (country, m) = &updated[((r >> 32) % updated.len() as u64) as usize];
                        let value = format!("https://load.example/{id}/{seq}");
                        let change = NumberChange {
                            mo_http_url: Change::Set(value.clone()),
                            ..NumberChange::default()
                        };
                        mine.update_posts += 1;
                        match client.update(country, m, &change, None).await {
                            Ok(_) => {
                                mine.written.entry(m.clone()).or_default().insert(value);
                            }
                            other => mine.unexpected.push(format!("update {m}: {other:?}")),
                        }
                    }
                }
            }
            let mut t = tally.lock().expect("tally");
            for (m, n) in mine.buys_ok {
                *t.buys_ok.entry(m).or_default() += n;
            }
            for (m, n) in mine.cancels_ok {
                *t.cancels_ok.entry(m).or_default() += n;
            }
            for (m, v) in mine.written {
                t.written.entry(m).or_default().extend(v);
            }
            t.buy_attempts += mine.buy_attempts;
            t.cancel_attempts += mine.cancel_attempts;
            t.update_posts += mine.update_posts;
            t.unexpected.extend(mine.unexpected);
        }));
    }
    for t in tasks {
        t.await.expect("no client panicked");
    }
    let t = std::mem::take(&mut *tally.lock().expect("tally"));
    assert!(
        t.unexpected.is_empty(),
        "unexpected outcomes: {:#?}",
        t.unexpected
    );
    let buys: u64 = t.buys_ok.values().sum();
    let cancels: u64 = t.cancels_ok.values().sum();
    assert!(
        t.buy_attempts > 50 && buys > 5 && cancels > 5 && t.update_posts > 50,
        "the load was real: {} buys ({buys} ok), {} cancels ({cancels} ok), {} updates",
        t.buy_attempts,
        t.cancel_attempts,
        t.update_posts
    );

    eprintln!(
        "{CLIENTS} clients, {RUN_FOR:?}: {} buys ({buys} ok), {} cancels ({cancels} ok), {} updates",
        t.buy_attempts, t.cancel_attempts, t.update_posts
    );

    // Every request reached the sandbox exactly once.
    let sent = |path: &str| {
        crate::common::hits(&sb, path) - stats_before.by_path.get(path).copied().unwrap_or(0)
    };
    assert_eq!(
        sent("/number/buy"),
        t.buy_attempts,
        "buys lost or duplicated"
    );
    assert_eq!(
        sent("/number/cancel"),
        t.cancel_attempts,
        "cancels lost or duplicated"
    );
    assert_eq!(
        sent("/number/update"),
        t.update_posts,
        "updates lost or duplicated"
    );

    // Each contested number: owned once or available; buys and cancels alternated.
    let mut spent = 0i64;
    for (country, m) in &contested {
        let b = t.buys_ok.get(m).copied().unwrap_or(0) as i64;
        let c = t.cancels_ok.get(m).copied().unwrap_or(0) as i64;
        let owned_now = sb.owned_number(MAIN_KEY, m).is_some();
        let available_now = sb.is_available(country, m);
        assert!(
            owned_now != available_now,
            "{m}: owned {owned_now}, available {available_now}"
        );
        let was_owned = initially_owned.contains(m);
        let net = if was_owned { c - b } else { b - c };
        assert!(
            net == 0 || net == 1,
            "{m}: {b} buys and {c} cancels succeeded: one of them was not exclusive"
        );
        assert_eq!(
            owned_now,
            was_owned == (net == 0),
            "{m}: {b} buys, {c} cancels"
        );
        spent += b * fee[m];
    }
    let credit_after = sb.credit(MAIN_KEY);
    assert_eq!(
        ((credit_before - credit_after) * 100.0).round() as i64,
        spent,
        "the money spent is the setup fees and first months of the successful buys"
    );

    // The owned list: no number twice, the count as the sandbox keeps it.
    let all = crate::common::all_owned(&setup).await;
    let unique: BTreeSet<_> = all.iter().filter_map(|n| n.msisdn.clone()).collect();
    assert_eq!(unique.len(), all.len(), "a number listed twice");
    assert_eq!(all.len(), sb.owned_count(MAIN_KEY));
    let expected_owned = 40 + t.buys_ok.values().sum::<u64>() as i64 - cancels as i64;
    assert_eq!(
        all.len() as i64,
        expected_owned,
        "owned = 40 + buys - cancels"
    );

    // Updates: the value left was written by someone; the other fields were kept.
    for (_, m) in &updated {
        let now = sb.owned_number(MAIN_KEY, m).expect("still owned");
        let written = t.written.get(m).cloned().unwrap_or_default();
        let was = &before[m];
        if written.is_empty() {
            assert_eq!(now.mo_http_url, was.mo_http_url, "{m}");
        } else {
            let url = now.mo_http_url.clone().unwrap_or_default();
            assert!(written.contains(&url), "{m}: {url:?} was never written");
        }
        assert_eq!(now.app_id, was.app_id, "{m}: app kept");
        assert_eq!(now.voice_callback_type, was.voice_callback_type, "{m}");
        assert_eq!(now.voice_callback_value, was.voice_callback_value, "{m}");
        assert_eq!(now.mo_smpp_sys_type, was.mo_smpp_sys_type, "{m}");
    }
}
