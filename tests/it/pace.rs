//! The remembered pace (issue 15): the real binary against a sandbox that allows 1 request a
//! second (a token bucket of one token), over loopback. A run keeps what its limiter learned
//! beside the cache; the next run starts from it, so its first requests are not refused; a pace
//! file that is old or unreadable is ignored and the run starts slowly (its second request is
//! then refused, as with nothing known). The sandbox's counters are the oracle.

use crate::common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::{Auth, Cli, MAIN_KEY, Run, TempDir};
use switchboard::api::LearnedPace;
use switchboard::cache::PaceFile;
use switchboard::sandbox::{Sandbox, SandboxConfig};

/// A sandbox owning `owned` numbers (one page a hundred) that allows 1 request a second.
async fn one_rps(owned: usize, seed: u64) -> Sandbox {
    common::start(SandboxConfig {
        owned,
        seed,
        rate_limit: Some(1.0),
        ..SandboxConfig::default()
    })
    .await
}

/// `list --json` of every page, with the cache (and the pace file) in `cache_dir`.
async fn list(sb: &Sandbox, cache_dir: &TempDir) -> Run {
    let run = Cli::against(sb, Auth::Env)
        .env(
            "SWITCHBOARD_CACHE_DIR",
            cache_dir.path().to_str().expect("utf-8 path"),
        )
        .args(["list", "--json"])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(
        run.json()["numbers"].as_array().map(Vec::len),
        Some(sb.owned_count(MAIN_KEY)),
        "every number listed"
    );
    run
}

fn pace_file(sb: &Sandbox, cache_dir: &TempDir) -> PaceFile {
    PaceFile::for_account(cache_dir.path(), MAIN_KEY, &sb.base_url())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_starts_at_the_learned_pace_and_its_first_ten_requests_get_no_429() {
    let sb = one_rps(1000, 151).await;
    let dir = TempDir::new("pace-second-run");
    list(&sb, &dir).await;
    let first = sb.stats();
    assert!(
        first.throttled >= 1,
        "the first run knows nothing: its slow start meets the limit ({first:?})"
    );
    let learned = pace_file(&sb, &dir)
        .load(SystemTime::now())
        .expect("the first run kept its pace");
    let limit = learned.limit.expect("a limit was met");
    assert!(
        (0.5..=2.0).contains(&limit),
        "about the server's 1 request a second: {learned:?}"
    );
    assert!(learned.limited_at.is_some(), "{learned:?}");

    list(&sb, &dir).await;
    let second = sb.stats();
    assert_eq!(
        second.requests - first.requests,
        10,
        "ten pages, one request each, none refused ({learned:?}, {first:?}, {second:?})"
    );
    assert_eq!(
        second.throttled, first.throttled,
        "the second run's ten requests were all paced under the limit ({second:?})"
    );
}

/// Runs `list` against a fresh 1 rps sandbox after `prepare` wrote the pace file; returns the
/// 429s the run got.
async fn throttled_after(seed: u64, prepare: impl FnOnce(&PaceFile)) -> u64 {
    let sb = one_rps(200, seed).await;
    let dir = TempDir::new("pace-fallback");
    let file = pace_file(&sb, &dir);
    std::fs::create_dir_all(dir.path()).unwrap();
    prepare(&file);
    list(&sb, &dir).await;
    let kept = file
        .load(SystemTime::now())
        .expect("the run kept a fresh, readable pace");
    assert!(kept.limit.is_some(), "{kept:?}");
    sb.stats().throttled
}

/// A slow pace, well under the server's: used, it is never refused.
fn slow_pace(learned_at: u64) -> LearnedPace {
    LearnedPace {
        limit: Some(0.5),
        window: 1,
        limited_at: Some(learned_at),
        learned_at,
        last_request_ms: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_pace_file_is_used() {
    // The control of the two tests below: the same file, fresh, keeps the run under the limit.
    let throttled = throttled_after(152, |f| f.save(&slow_pace(unix_now())).unwrap()).await;
    assert_eq!(throttled, 0, "paced from the file's 0.5 a second");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_pace_file_falls_back_to_the_slow_start() {
    let two_days = Duration::from_secs(2 * 86_400).as_secs();
    let throttled =
        throttled_after(153, |f| f.save(&slow_pace(unix_now() - two_days)).unwrap()).await;
    assert!(
        throttled >= 1,
        "the old pace was ignored: the slow start's second request met the limit"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_pace_file_falls_back_to_the_slow_start() {
    let throttled = throttled_after(154, |f| {
        std::fs::write(f.path(), b"{\"version\":1,\"limit\":").unwrap()
    })
    .await;
    assert!(
        throttled >= 1,
        "the corrupt file was ignored: the slow start's second request met the limit"
    );
}

/// A client of `sb` that starts from `learned`.
fn client_from(sb: &Sandbox, learned: Option<LearnedPace>) -> switchboard::api::Client {
    common::client_with(
        sb,
        switchboard::api::ClientConfig {
            learned_pace: learned,
            ..switchboard::api::ClientConfig::default()
        },
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_warm_run_against_an_unlimited_server_is_at_full_concurrency_from_its_first_requests() {
    // 150 numbers: two pages. The sandbox answers each request after 50 ms, so the first
    // page cannot be back before the others have left.
    let sb = common::start(SandboxConfig {
        owned: 150,
        seed: 155,
        latency: Duration::from_millis(50),
        ..SandboxConfig::default()
    })
    .await;
    let cold = common::all_owned(&client_from(&sb, None)).await;
    let cold_requests = sb.stats().requests;
    assert_eq!(cold_requests, 2, "a cold run asks for page 1, then page 2");

    let unlimited = LearnedPace {
        limit: None,
        window: 40,
        limited_at: None,
        learned_at: unix_now(),
        last_request_ms: None,
    };
    let warm = common::all_owned(&client_from(&sb, Some(unlimited))).await;
    assert_eq!(
        sb.stats().requests - cold_requests,
        8,
        "the first eight pages asked for at once (six of them past the end)"
    );
    let msisdns = |l: &[switchboard::api::OwnedNumber]| {
        l.iter()
            .map(|n| n.msisdn.clone().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        msisdns(&warm),
        msisdns(&cold),
        "the same list, each number once"
    );
    assert_eq!(warm.len(), sb.owned_count(MAIN_KEY));
}
