//! After a pause (issue 10, case 8): a bulk run (`bulk::update_listed`, as the TUI and
//! `update --all-matching` run it) against a sandbox allowing R requests a second; once the
//! client has found the pace (`R × 5` numbers done), every request fails with 500 until the run
//! pauses (3 failures in a row); the API comes back, the run is resumed, and the pace is
//! measured from there: numbers changed a second over each of the first seconds after the
//! resume, and how long until a 2 s window reaches 0.9 R. Also the 429s after the resume.
//!
//! `cargo bench --bench pause` (env `BENCH_RATES` = `5`, `BENCH_AFTER` = seconds measured
//! after the resume, default 12). Prints `key=value` lines.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use switchboard::api::{
    Change, Client, ClientConfig, Credentials, NumberChange, OwnedFilter, OwnedNumber,
};
use switchboard::bulk::{Progress, StopFlag, Target, update_listed};
use switchboard::sandbox::{Faults, Sandbox, SandboxConfig};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn client(sandbox: &Sandbox) -> Client {
    let sc = sandbox.config();
    Client::new(
        Credentials::new(sc.api_key.clone(), sc.api_secret.clone()),
        ClientConfig {
            base_url: sandbox.base_url(),
            timeout: Duration::from_secs(2),
            max_retries: 2,
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

fn main() {
    let rates: Vec<f64> = std::env::var("BENCH_RATES")
        .unwrap_or_else(|_| "5".into())
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .filter(|r: &f64| *r > 0.0)
        .collect();
    let after: f64 = env_or("BENCH_AFTER", 12.0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for rate in rates {
        rt.block_on(async {
            let warm = (rate * 5.0).ceil() as usize;
            let owned = warm + (rate * (after + 10.0)).ceil() as usize;
            let sandbox = Sandbox::start(SandboxConfig {
                owned,
                ..SandboxConfig::default()
            })
            .await
            .expect("sandbox");
            let all: Vec<OwnedNumber> = client(&sandbox)
                .list_all(&OwnedFilter::default(), |_| {})
                .await
                .expect("list");
            let targets: Vec<Target> = all
                .iter()
                .filter_map(|n| {
                    Some(Target::new(
                        n.country.clone()?.to_string(),
                        n.msisdn.clone()?,
                    ))
                })
                .collect();
            sandbox.set_rate_limit(Some(rate));
            let c = client(&sandbox);
            let change = NumberChange {
                mo_http_url: Change::Set("https://example.com/sms/pause".into()),
                ..NumberChange::default()
            };
            let stop = StopFlag::pausable();
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Progress)>();
            let run = {
                let (c, stop, change) = (c.clone(), stop.clone(), change.clone());
                tokio::spawn(async move {
                    let known = HashMap::new();
                    update_listed(
                        &c,
                        None,
                        None,
                        &OwnedFilter::default(),
                        targets,
                        &change,
                        &known,
                        &stop,
                        |p| {
                            let _ = tx.send((Instant::now(), p));
                        },
                    )
                    .await
                })
            };
            let started = Instant::now();
            // Warm: the pace found.
            while let Some((_, p)) = rx.recv().await {
                if p.done >= warm {
                    break;
                }
            }
            let warm_s = started.elapsed().as_secs_f64();
            sandbox.set_faults(Faults {
                rate_500: 1.0,
                ..Faults::default()
            });
            let away = Instant::now();
            while let Some((_, p)) = rx.recv().await {
                if p.paused.is_some() {
                    break;
                }
            }
            let paused_after_s = away.elapsed().as_secs_f64();
            tokio::time::sleep(Duration::from_secs(2)).await;
            sandbox.set_faults(Faults::default());
            let before = sandbox.stats();
            let resumed = Instant::now();
            let done_at_resume = {
                let mut last = 0;
                while let Ok((_, p)) = rx.try_recv() {
                    last = p.done - p.failed;
                }
                last
            };
            let pace = {
                let c = c.clone();
                tokio::spawn(async move {
                    let mut seen = Vec::new();
                    loop {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        seen.push(format!("{:.1}", c.current_rate()));
                        if std::env::var_os("BENCH_TRACE").is_some() {
                            eprintln!("pace after resume: {}", seen.join(","));
                        }
                    }
                })
            };
            stop.resume();
            let mut done_times: Vec<f64> = Vec::new();
            let mut last_done = done_at_resume;
            while resumed.elapsed().as_secs_f64() < after {
                match tokio::time::timeout(Duration::from_millis(200), rx.recv()).await {
                    Ok(Some((at, p))) => {
                        if std::env::var_os("BENCH_DEBUG").is_some() {
                            eprintln!("{:.2}s {p:?}", at.duration_since(resumed).as_secs_f64());
                        }
                        // Numbers changed (the failures of the outage finishing are not).
                        let ok = p.done - p.failed;
                        for _ in last_done..ok {
                            done_times.push(at.duration_since(resumed).as_secs_f64());
                        }
                        last_done = last_done.max(ok);
                    }
                    Ok(None) => break,
                    Err(_) => {}
                }
            }
            stop.stop();
            pace.abort();
            let _ = run.await;
            let stats = sandbox.stats();
            let per_second: Vec<String> = (0..after as usize)
                .map(|s| {
                    let n = done_times
                        .iter()
                        .filter(|t| **t >= s as f64 && **t < s as f64 + 1.0)
                        .count();
                    n.to_string()
                })
                .collect();
            let reached = (0..(after as usize * 10))
                .map(|i| i as f64 / 10.0)
                .find(|from| {
                    let n = done_times
                        .iter()
                        .filter(|t| **t >= *from && **t < *from + 2.0)
                        .count();
                    n as f64 / 2.0 >= 0.9 * rate
                });
            let first5 = done_times.iter().filter(|t| **t < 5.0).count() as f64 / 5.0;
            println!(
                "pause_r{rate}_warm_s={warm_s:.1} pause_r{rate}_paused_after_s={paused_after_s:.1}"
            );
            println!(
                "pause_r{rate}_numbers_each_second_after_resume={}",
                per_second.join(",")
            );
            println!(
                "pause_r{rate}_numbers_per_s_first_5s={first5:.2} ({:.2} R)",
                first5 / rate
            );
            match reached {
                Some(s) => println!("pause_r{rate}_seconds_to_0.9R_over_2s={s:.1}"),
                None => println!("pause_r{rate}_seconds_to_0.9R_over_2s=never (in {after} s)"),
            }
            println!(
                "pause_r{rate}_429_after_resume={}",
                stats.throttled - before.throttled
            );
            sandbox.shutdown().await;
        });
    }
}
