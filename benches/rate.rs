//! The client against a sandbox whose rate limit it is not told: for each allowed rate, a
//! listing of every page and a bulk update, each with a new client (the adaptive limiter
//! starts knowing nothing), measured by the sandbox's own counters.
//!
//! - listing: `Client::list_all` (pages of 100, the largest the API serves, fetched 8 at a
//!   time after the first) of `rate × BENCH_SECONDS` pages, so a run lasts about
//!   `BENCH_SECONDS` at any rate (1 rps: 60 pages, 6,000 numbers; 20 rps: 1,200 pages);
//! - bulk update: `rate × BENCH_SECONDS` numbers (env `BENCH_UPDATES` overrides), the first
//!   of the listing, run by the bulk engine as `update --all-matching` and the TUI run it
//!   (`bulk::update_listed`: the listing's pages are the read, one page per 100 numbers, then
//!   one update each; the client's concurrency, no journal): about `BENCH_SECONDS`. Also
//!   printed: `update_r<R>_requests_per_number` and `update_r<R>_numbers_per_second`.
//!
//! Figures per rate `R` (keys end in `_r<R>`): requests sent, 429s, the 429 share, achieved
//! rate = requests that got through / wall time, and `ratio` = achieved / allowed. The sandbox's
//! bucket starts full (`R` tokens), which a run may spend on top of `R` per second:
//! `ratio_sustained` leaves those `R` requests out.
//!
//! Run: `cargo bench --bench rate` (env `BENCH_RATES` = `1,5,20`, `BENCH_SECONDS` = 60,
//! `BENCH_UPDATES`, `BENCH_PAGES`, `BENCH_SKIP` = `list` or `update`). Prints `key=value`
//! lines, for scripts.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use switchboard::api::{
    Change, Client, ClientConfig, Credentials, NumberChange, OwnedFilter, OwnedNumber,
};
use switchboard::bulk::{StopFlag, Target, update_listed};
use switchboard::sandbox::{Sandbox, SandboxConfig, Stats};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn client(sandbox: &Sandbox) -> Client {
    client_from(sandbox, None)
}

/// A client that starts from what an earlier run learned, as the CLI and the TUI do (the
/// pace kept beside the cache); `None`: the slow start.
fn client_from(sandbox: &Sandbox, learned: Option<switchboard::api::LearnedPace>) -> Client {
    let sc = sandbox.config();
    Client::new(
        Credentials::new(sc.api_key.clone(), sc.api_secret.clone()),
        ClientConfig {
            base_url: sandbox.base_url(),
            learned_pace: learned,
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

/// A bulk update of `numbers` through the bulk engine itself (`switchboard::bulk::update_listed`,
/// as the TUI and `update --all-matching` run it: the listing is the read, the client's
/// concurrency, no journal). Returns how many went through.
async fn bulk_update(
    client: &Client,
    numbers: &[(String, String)],
    change: &NumberChange,
) -> usize {
    let targets = numbers
        .iter()
        .map(|(country, msisdn)| Target::new(country.clone(), msisdn.clone()))
        .collect();
    let report = update_listed(
        client,
        None,
        None,
        &OwnedFilter::default(),
        targets,
        change,
        &HashMap::new(),
        &StopFlag::new(),
        |_| {},
    )
    .await;
    report.ok()
}

/// With `BENCH_TRACE` set: the client's pace on stderr every 2 s, while the guard lives.
fn trace(client: &Client) -> Option<Trace> {
    std::env::var("BENCH_TRACE").ok()?;
    let c = client.clone();
    let t = Instant::now();
    let task = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(2)).await;
            eprintln!(
                "t={:.0}s pace={:.3}",
                t.elapsed().as_secs_f64(),
                c.current_rate()
            );
        }
    });
    Some(Trace(task))
}

/// Stops the trace when dropped.
struct Trace(tokio::task::JoinHandle<()>);

impl Drop for Trace {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One bulk update of `targets` (a new SMS URL ending in `tag`) by `c`, measured and reported
/// as `name`: what the sandbox saw, requests a number and numbers a second.
async fn measured_update(
    name: &str,
    sandbox: &Sandbox,
    c: &Client,
    targets: &[(String, String)],
    tag: &str,
    rate: f64,
) {
    let change = NumberChange {
        mo_http_url: Change::Set(format!("https://example.com/sms/{tag}")),
        ..NumberChange::default()
    };
    let before = sandbox.stats();
    let t = Instant::now();
    let done = bulk_update(c, targets, &change).await;
    let elapsed = t.elapsed();
    assert_eq!(done, targets.len());
    let after = sandbox.stats();
    report(name, rate, &before, &after, elapsed);
    println!(
        "{name}_r{rate}_requests_per_number={:.3}",
        (after.requests - before.requests) as f64 / done as f64
    );
    println!(
        "{name}_r{rate}_numbers_per_second={:.3} {name}_r{rate}_numbers_per_second_per_rps={:.3}",
        done as f64 / elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64() / rate
    );
}

/// One measured run: what the sandbox saw between `before` and now, over `elapsed`.
fn report(name: &str, rate: f64, before: &Stats, after: &Stats, elapsed: Duration) {
    let requests = after.requests - before.requests;
    let refused = after.throttled - before.throttled;
    let through = requests - refused;
    let secs = elapsed.as_secs_f64();
    let achieved = through as f64 / secs;
    let sustained = (through as f64 - rate.max(1.0)).max(0.0) / secs;
    let r = rate;
    println!("{name}_r{r}_seconds={secs:.1}");
    println!("{name}_r{r}_requests={requests}");
    println!("{name}_r{r}_429={refused}");
    println!(
        "{name}_r{r}_429_share_pct={:.2}",
        100.0 * refused as f64 / requests.max(1) as f64
    );
    println!("{name}_r{r}_achieved_rps={achieved:.3}");
    println!("{name}_r{r}_ratio={:.3}", achieved / rate);
    println!("{name}_r{r}_ratio_sustained={:.3}", sustained / rate);
}

fn main() {
    let rates: Vec<f64> = std::env::var("BENCH_RATES")
        .unwrap_or_else(|_| "1,5,20".into())
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .filter(|r: &f64| *r > 0.0)
        .collect();
    let seconds: f64 = env_or("BENCH_SECONDS", 60.0);
    let skip = std::env::var("BENCH_SKIP").unwrap_or_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "bench=rate rates={} seconds={seconds} concurrency=8",
        rates
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    for rate in rates {
        let pages: usize = env_or("BENCH_PAGES", (rate * seconds).ceil() as usize).max(1);
        let updates: usize = env_or("BENCH_UPDATES", (rate * seconds).ceil() as usize).max(1);
        let owned = (pages * 100).max(updates);
        rt.block_on(async {
            let sandbox = Sandbox::start(SandboxConfig {
                owned,
                ..SandboxConfig::default()
            })
            .await
            .expect("sandbox");
            // The numbers to update, read before any limit is set.
            let all: Vec<OwnedNumber> = client(&sandbox)
                .list_all(&OwnedFilter::default(), |_| {})
                .await
                .expect("list");
            let targets: Vec<(String, String)> = all
                .iter()
                .take(updates)
                .filter_map(|n| Some((n.country.clone()?.to_string(), n.msisdn.clone()?.to_string())))
                .collect();
            drop(all);
            println!("rate_r{rate}_pages={pages} rate_r{rate}_updates={updates} rate_r{rate}_owned={owned}");

            if skip != "list" {
                sandbox.set_rate_limit(Some(rate));
                let c = client(&sandbox);
                let _trace = trace(&c);
                let before = sandbox.stats();
                let t = Instant::now();
                let listed = c
                    .list_all(&OwnedFilter::default(), |_| {})
                    .await
                    .expect("list_all under the limit");
                let elapsed = t.elapsed();
                assert_eq!(listed.len(), owned);
                report("list", rate, &before, &sandbox.stats(), elapsed);
            }

            if skip != "update" {
                // A new bucket (full) and a new client that knows nothing of the limit.
                sandbox.set_rate_limit(Some(rate));
                let c = client(&sandbox);
                let _trace = trace(&c);
                measured_update("update", &sandbox, &c, &targets, "bench", rate).await;

                // The next run, as the CLI and the TUI start it: from the pace this one
                // learned (kept beside the cache between runs), on a full bucket again.
                let learned = c.learned_pace();
                sandbox.set_rate_limit(Some(rate));
                let c = client_from(&sandbox, learned);
                measured_update("update_warm", &sandbox, &c, &targets, "bench-warm", rate).await;
            }
            sandbox.shutdown().await;
        });
    }
}
