//! `list --json` of 10,000 owned numbers from a sandbox on loopback, against the same listing
//! done one page at a time (the in-run baseline), and the release binary timed from outside.
//!
//! Run: `cargo bench --bench list_all` (env `BENCH_OWNED`, `BENCH_RUNS`, `BENCH_LATENCY_MS`).
//! Prints one `key=value` line per figure, for scripts.

use std::time::{Duration, Instant};

use switchboard::api::{Client, ClientConfig, Credentials, OwnedFilter, OwnedQuery};
use switchboard::sandbox::{Sandbox, SandboxConfig};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// What `list --json` does: every page, then the JSON text.
async fn concurrent(client: &Client) -> usize {
    let numbers = client
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .expect("list_all");
    let json = serde_json::to_vec(&numbers).expect("json");
    assert!(json.len() > numbers.len());
    numbers.len()
}

/// The baseline: one page after the other, then the same JSON.
async fn sequential(client: &Client) -> usize {
    let mut all = Vec::new();
    let mut index = 1;
    loop {
        let page = client
            .list_owned(&OwnedQuery {
                filter: OwnedFilter::default(),
                size: 100,
                index,
            })
            .await
            .expect("page");
        if page.numbers.is_empty() {
            break;
        }
        all.extend(page.numbers);
        if all.len() as u64 >= page.count {
            break;
        }
        index += 1;
    }
    let json = serde_json::to_vec(&all).expect("json");
    assert!(json.len() > all.len());
    all.len()
}

fn main() {
    let owned: usize = env_or("BENCH_OWNED", 10_000);
    let runs: usize = env_or("BENCH_RUNS", 5);
    let latency_ms: u64 = env_or("BENCH_LATENCY_MS", 0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let sandbox = Sandbox::start(SandboxConfig {
            owned,
            latency: Duration::from_millis(latency_ms),
            ..SandboxConfig::default()
        })
        .await
        .expect("sandbox");
        let sc = sandbox.config().clone();
        let client = Client::new(
            Credentials::new(sc.api_key.clone(), sc.api_secret.clone()),
            ClientConfig {
                base_url: sandbox.base_url(),
                ..ClientConfig::default()
            },
        )
        .expect("client");
        // Warm up: connection pool, limiter past its start.
        assert_eq!(concurrent(&client).await, owned);

        let mut conc = Vec::new();
        let mut seq = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            assert_eq!(concurrent(&client).await, owned);
            conc.push(t.elapsed());
            let t = Instant::now();
            assert_eq!(sequential(&client).await, owned);
            seq.push(t.elapsed());
        }
        let (c, s) = (median(conc), median(seq));
        println!("bench=list_all owned={owned} runs={runs} latency_ms={latency_ms}");
        println!("list_all_concurrent_ms={:.1}", c.as_secs_f64() * 1e3);
        println!("list_sequential_ms={:.1}", s.as_secs_f64() * 1e3);
        println!(
            "speedup_vs_sequential={:.2}",
            s.as_secs_f64() / c.as_secs_f64()
        );

        // The release binary, timed from outside (process start, TLS-free loopback, JSON to a pipe).
        let bin = env!("CARGO_BIN_EXE_switchboard");
        let mut wall = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let out = tokio::process::Command::new(bin)
                .args(["--base-url", &sandbox.base_url(), "list", "--json"])
                .env("VONAGE_API_KEY", &sc.api_key)
                .env("VONAGE_API_SECRET", &sc.api_secret)
                .env("SWITCHBOARD_CONFIG", "/nonexistent/switchboard.toml")
                .output()
                .await
                .expect("binary");
            wall.push(t.elapsed());
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json out");
            assert_eq!(v["numbers"].as_array().map(Vec::len), Some(owned));
        }
        println!(
            "binary_list_json_ms={:.1}",
            median(wall).as_secs_f64() * 1e3
        );
        sandbox.shutdown().await;
    });
}
