//! The TUI's figures from DESIGN.md ("Figures to reach"), on a release build:
//!
//! 1. launch of the real binary in tmux to its first frame and to the owned list of 10,000
//!    numbers (an in-process sandbox), cold, median of `BENCH_RUNS`;
//! 2. frame draw with 100,000 numbers loaded (TestBackend 120x40), selection at the top, middle
//!    and bottom, and while scrolling;
//! 3. filter keystrokes at 100,000 (narrowing: the incremental path; widening: a full re-scan);
//! 4. sort of 100,000 by each column;
//! 5. resident memory with 100,000 numbers: the App in a child process of this bench, and the
//!    real TUI process in tmux.
//!
//! The 100,000 numbers are the sandbox's own (seed 1), fetched once with `Client::list_all`
//! from `switchboard sandbox --owned 100000` run as a separate process, so the sandbox's copy
//! of them is never counted in this process's memory.
//!
//! Run: `cargo bench --bench tui` (env `BENCH_RUNS`, `BENCH_FRAMES`, `BENCH_REPS`).
//! Prints one `key=value` line per figure, for scripts; times are wall clock.

#[path = "tui/app.rs"]
mod app;
#[path = "tui/memory.rs"]
mod memory;
#[path = "tui/tmux.rs"]
mod tmux;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ratatui::layout::Rect;
use switchboard::api::{Client, ClientConfig, Credentials, OwnedFilter, OwnedNumber};
use switchboard::app::{Action, App, Effect, Reply, Target};
use switchboard::sandbox::{Sandbox, SandboxConfig};
use switchboard::tui::view;

use memory::{CHILD_ENV, ExternalSandbox};

const BIN: &str = env!("CARGO_BIN_EXE_switchboard");
const KEY: &str = "sandbox";
const SECRET: &str = "sandbox-secret";
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[v.len() / 2]
}

/// The nearest-rank percentile `p` (0..=100).
fn percentile(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn list(v: &[Duration], f: fn(Duration) -> f64) -> String {
    v.iter()
        .map(|d| format!("{:.1}", f(*d)))
        .collect::<Vec<_>>()
        .join(",")
}

/// A fresh, empty directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sb-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn client(base_url: &str) -> Client {
    Client::new(
        Credentials::new(KEY.to_string(), SECRET.to_string()),
        ClientConfig {
            base_url: base_url.to_string(),
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

fn fetch_all(rt: &tokio::runtime::Runtime, base_url: &str) -> Vec<OwnedNumber> {
    fetch_all_with(rt, client(base_url))
}

fn fetch_all_with(rt: &tokio::runtime::Runtime, client: Client) -> Vec<OwnedNumber> {
    rt.block_on(client.list_all(&OwnedFilter::default(), |_| {}))
        .expect("list_all")
}

/// An App that loaded `numbers` the way the TUI does: its start request, then the reply.
fn loaded_app(numbers: Vec<OwnedNumber>) -> App {
    let mut app = App::new(
        Target {
            live: false,
            base_url: "http://127.0.0.1:40123".into(),
            api_key: KEY.into(),
        },
        Instant::now(),
    );
    let effects = app.start();
    let Some(Effect::Api { id, .. }) = effects.into_iter().next() else {
        panic!("the app asks for the owned list at start");
    };
    app.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(numbers)),
    });
    let rows = view::table_rows(&app, Rect::new(0, 0, WIDTH, HEIGHT));
    app.update(Action::Viewport { rows });
    app
}

/// Launch, warm: the cached start (being written on another branch) shows the owned list from
/// the on-disk cache before the API answers. Enabled with `BENCH_WARM=1` once it lands: one
/// launch fills the cache in `SWITCHBOARD_CACHE_DIR`, then the API is slowed (300 ms a
/// request, so 100 pages take seconds) and each launch is timed to "10,000 shown of 10,000",
/// which then can only come from the cache.
fn launch_warm(sandbox: &Sandbox, runs: usize) {
    if std::env::var("BENCH_WARM").is_err() {
        println!("launch_warm=not_implemented");
        return;
    }
    let cache = temp_dir("cache");
    let env = [("SWITCHBOARD_CACHE_DIR", cache.display().to_string())];
    let url = sandbox.base_url();
    tmux::launch_with(&url, 10_000, 1, "warmup", &env);
    sandbox.set_latency(Duration::from_millis(300));
    let w = tmux::launch_with(&url, 10_000, runs, "warm", &env);
    sandbox.set_latency(Duration::ZERO);
    println!(
        "launch_warm_to_owned_list_10k_ms={:.1}",
        ms(median(&w.list))
    );
    println!(
        "launch_warm_to_owned_list_10k_ms_runs={}",
        list(&w.list, ms)
    );
    let _ = std::fs::remove_dir_all(&cache);
}

fn main() {
    if let Ok(url) = std::env::var(CHILD_ENV) {
        memory::rss_child(&url);
        return;
    }
    let runs: usize = env_or("BENCH_RUNS", 5);
    let frame_count: usize = env_or("BENCH_FRAMES", 500);
    let reps: usize = env_or("BENCH_REPS", 7);
    println!("bench=tui runs={runs} frames={frame_count} reps={reps} size={WIDTH}x{HEIGHT}");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    // 1. Launch, cold, 10,000 numbers in an in-process sandbox.
    let (base, capture) = tmux::baseline(runs);
    println!("tmux_baseline_first_text_ms={:.1}", ms(base));
    println!("tmux_capture_pane_ms={:.1}", ms(capture));
    let sandbox = rt
        .block_on(Sandbox::start(SandboxConfig {
            owned: 10_000,
            ..SandboxConfig::default()
        }))
        .expect("sandbox");
    let url = sandbox.base_url();
    // What the TUI's load costs alone: list_all with a new client (a new limiter), as at start.
    let mut fresh = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        assert_eq!(fetch_all(&rt, &url).len(), 10_000);
        fresh.push(t.elapsed());
    }
    println!("list_all_10k_new_client_ms={:.1}", ms(median(&fresh)));
    // The same with the limiter at its fastest fixed pace (`--rate 1000`, its ceiling).
    let mut fixed = Vec::new();
    for _ in 0..runs {
        let c = Client::new(
            Credentials::new(KEY.to_string(), SECRET.to_string()),
            ClientConfig {
                base_url: url.clone(),
                rate: Some(1000.0),
                ..ClientConfig::default()
            },
        )
        .expect("client");
        let t = Instant::now();
        assert_eq!(fetch_all_with(&rt, c).len(), 10_000);
        fixed.push(t.elapsed());
    }
    println!(
        "list_all_10k_new_client_rate_1000_ms={:.1}",
        ms(median(&fixed))
    );
    let l = tmux::launch(&url, 10_000, runs, "10k");
    println!("launch_to_first_frame_ms={:.1}", ms(median(&l.header)));
    println!("launch_to_first_rows_10k_ms={:.1}", ms(median(&l.rows)));
    println!("launch_to_owned_list_10k_ms={:.1}", ms(median(&l.list)));
    println!(
        "launch_to_owned_list_10k_loaded_ms={:.1}",
        ms(median(&l.loaded))
    );
    println!("launch_to_first_frame_ms_runs={}", list(&l.header, ms));
    println!("launch_to_first_rows_10k_ms_runs={}", list(&l.rows, ms));
    println!("launch_to_owned_list_10k_ms_runs={}", list(&l.list, ms));
    let mut rss = l.rss.clone();
    rss.sort_by(f64::total_cmp);
    if let Some(m) = rss.get(rss.len() / 2) {
        println!("rss_tui_10k_mb={m:.1}");
    }
    launch_warm(&sandbox, runs);
    rt.block_on(sandbox.shutdown());

    // 2-4. 100,000 numbers, from a sandbox in its own process.
    let external = ExternalSandbox::start(100_000);
    let t = Instant::now();
    let numbers = fetch_all(&rt, &external.url);
    println!("fetch_100k_ms={:.1}", ms(t.elapsed()));
    assert_eq!(numbers.len(), 100_000);
    let t = Instant::now();
    let mut app = loaded_app(numbers);
    println!("app_load_100k_ms={:.1}", ms(t.elapsed()));
    assert_eq!(app.owned.shown.len(), 100_000);
    app::frames(&mut app, frame_count);
    app::filter(&mut app, reps);
    app::sort(&mut app, reps.min(5));
    drop(app);

    // 5. Memory: the App in a child process, then the real TUI.
    let out = Command::new(std::env::current_exe().expect("current exe"))
        .env(CHILD_ENV, &external.url)
        .stderr(Stdio::inherit())
        .output()
        .expect("child");
    assert!(out.status.success(), "the memory child failed");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    memory::rss_tui(&external.url, 100_000);
    drop(external);
}
