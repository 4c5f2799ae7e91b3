//! The binary against the hostile-server fixture (tests/it/common/hostile.rs): for each case, the
//! peak resident memory of the process, its wall time, when it first said something on stderr,
//! and the requests the server received. Any binary can be measured (`BENCH_BIN`, e.g. an older
//! build), so "before" and "after" are taken the same way. Each run is killed at `BENCH_CAP`
//! seconds (default 60).
//!
//! `cargo bench --bench hostile` (or `--profile dev` to reuse the test build); env `BENCH_BIN`,
//! `BENCH_CAP`, `BENCH_CASES` (comma-separated names), `BENCH_ARGS` (extra global flags).

#[path = "../tests/it/common/hostile.rs"]
#[allow(dead_code)]
mod hostile;

use std::process::Stdio;
use std::time::{Duration, Instant};

use hostile::Answer;
use tokio::io::AsyncBufReadExt;

struct Case {
    name: &'static str,
    answer: Answer,
    args: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let throttle = |after: &str| Answer::Fixed {
        status: "429 Too Many Requests".into(),
        headers: format!("retry-after: {after}\r\n"),
        body: "{}".into(),
    };
    vec![
        Case {
            name: "endless_body_256mb",
            answer: Answer::Endless { limit: 256 << 20 },
            args: &["list", "--size", "1"],
        },
        Case {
            name: "count_1m_1000_a_page",
            answer: Answer::Lying {
                count: 1_000_000,
                per_page: 1000,
                later: 1000,
            },
            args: &["list"],
        },
        Case {
            name: "count_1m_empty_pages",
            answer: Answer::Lying {
                count: 1_000_000,
                per_page: 100,
                later: 0,
            },
            args: &["list"],
        },
        Case {
            name: "trickle_1_byte_a_second",
            answer: Answer::Trickle {
                body: hostile::page(1, 1, 1),
                every: Duration::from_secs(1),
            },
            args: &["list", "--size", "1"],
        },
        Case {
            name: "headers_never_finish",
            answer: Answer::StallHeaders,
            args: &["list", "--size", "1"],
        },
        Case {
            name: "retry_after_999999",
            answer: throttle("999999"),
            args: &["list", "--size", "1"],
        },
        Case {
            name: "retry_after_300",
            answer: throttle("300"),
            args: &["list", "--size", "1"],
        },
    ]
}

#[tokio::main]
async fn main() {
    let bin =
        std::env::var("BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_switchboard").into());
    let cap = std::env::var("BENCH_CAP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60u64);
    let only: Option<Vec<String>> = std::env::var("BENCH_CASES")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let extra: Vec<String> = std::env::var("BENCH_ARGS")
        .ok()
        .map(|v| v.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    println!("bin={bin} cap_s={cap} extra_args={extra:?}");
    for case in cases() {
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|n| n == case.name))
        {
            continue;
        }
        let server = hostile::start(case.answer.clone()).await;
        let home = std::env::temp_dir().join(format!("switchboard-bench-hostile-{}", case.name));
        let _ = std::fs::create_dir_all(&home);
        let mut cmd = tokio::process::Command::new(&bin);
        cmd.args(["--base-url", &server.base])
            .args(["--api-key", "hostilekey", "--api-secret", "hostile-secret"])
            .args(&extra)
            .args(case.args)
            .env_clear()
            .env("HOME", &home)
            .env("XDG_STATE_HOME", home.join("state"))
            .env("SWITCHBOARD_CONFIG", home.join("none.toml"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let started = Instant::now();
        let mut child = cmd.spawn().expect("spawn the binary");
        let pid = child.id().expect("pid");
        let stderr = child.stderr.take().expect("stderr");
        let spoke = tokio::spawn(async move {
            let mut lines = tokio::io::BufReader::new(stderr).lines();
            let mut first: Option<(Duration, String)> = None;
            let mut last = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if first.is_none() {
                    first = Some((started.elapsed(), line.clone()));
                }
                last = line;
            }
            (first, last)
        });
        let mut peak = 0;
        let deadline = started + Duration::from_secs(cap);
        let code = loop {
            if let Some(kb) = hostile::peak_rss_kb(pid) {
                peak = peak.max(kb);
            }
            match tokio::time::timeout(Duration::from_millis(20), child.wait()).await {
                Ok(status) => {
                    break status
                        .ok()
                        .and_then(|s| s.code())
                        .map_or("signal".into(), |c| c.to_string());
                }
                Err(_) if Instant::now() >= deadline => {
                    let _ = child.kill().await;
                    break "killed".to_string();
                }
                Err(_) => {}
            }
        };
        let wall = started.elapsed();
        let (first, last) = spoke.await.unwrap_or_default();
        let first_s = first.as_ref().map_or("never".to_string(), |(t, _)| {
            format!("{:.1}", t.as_secs_f64())
        });
        println!(
            "{name}_peak_rss_mb={:.1} {name}_wall_s={:.1} {name}_exit={code} {name}_first_stderr_s={first_s} {name}_requests={} {name}_server_body_mb={:.1}",
            peak as f64 / 1024.0,
            wall.as_secs_f64(),
            server.requests(),
            server.body_bytes() as f64 / (1 << 20) as f64,
            name = case.name,
        );
        if let Some((_, line)) = first {
            println!(
                "  first stderr line: {}",
                line.chars().take(160).collect::<String>()
            );
        }
        if !last.is_empty() {
            println!(
                "  last stderr line:  {}",
                last.chars().take(160).collect::<String>()
            );
        }
        let _ = std::fs::remove_dir_all(&home);
    }
}
