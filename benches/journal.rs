//! The journal's size (issue 10, case 10): a journal of `BENCH_JOURNAL_MB` (default 200 MB:
//! bulk runs of 500 numbers over 2,000 numbers, intent and outcome lines, as switchboard
//! writes them) is generated twice, one copy for each binary, then `history` and `undo` (which
//! plans, then stops at its confirmation: stdin is not a terminal) are timed with their peak
//! memory by `farm-bench --vs` (A: this build, B: `BENCH_BIN_BEFORE`, e.g. a build of main
//! before rotation), pair by pair. The first command of this build rotates the journal (once):
//! that run is timed on its own first. No network: the commands only read the journal.
//!
//! `BENCH_BIN_BEFORE=/path/to/old/switchboard cargo bench --bench journal`; env
//! `BENCH_BIN` (default target/release/switchboard), `BENCH_JOURNAL_MB`, `BENCH_RUNS`
//! (farm-bench's -n, default 3).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use switchboard::api::NumberConfig;
use switchboard::journal::{Entry, Kind, Status, encode, file_name};

const KEY: &str = "bench";
const BASE_URL: &str = "http://127.0.0.1:9";

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// Writes a journal of about `mb` MB at `path`.
fn generate(path: &Path, mb: u64) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let (mut written, mut id) = (0u64, 1u64);
    let config = |run: u64| NumberConfig {
        app_id: Some("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee".into()),
        mo_http_url: Some(format!("https://hooks.example.com/sms/run-{run}")),
        voice_callback_type: Some("app".into()),
        voice_status_callback: Some("https://hooks.example.com/status".into()),
        ..NumberConfig::default()
    };
    let mut run = 0;
    while written < mb << 20 {
        run += 1;
        let batch = id;
        id += 1;
        for i in 0..500u64 {
            let n = (run * 500 + i) % 2000;
            let mut e = Entry {
                id,
                time: 1_700_000_000 + id,
                batch: Some(batch),
                kind: Kind::Update,
                app: None,
                account: None,
                country: "GB".into(),
                msisdn: format!("4477009{n:05}"),
                before: Some(config(run - 1)),
                after: Some(config(run)),
                status: Status::Intent,
                error: None,
                undoes: None,
            };
            id += 1;
            for status in [Status::Intent, Status::Done] {
                e.status = status;
                let line = encode(&e)?;
                written += line.len() as u64;
                out.write_all(&line)?;
            }
        }
    }
    out.flush()?;
    std::fs::write(path.with_extension("jsonl.ids"), format!("{id}\n"))?;
    Ok(written)
}

fn main() {
    let Ok(before) = std::env::var("BENCH_BIN_BEFORE") else {
        eprintln!("set BENCH_BIN_BEFORE to the binary to compare with (a build without rotation)");
        std::process::exit(2);
    };
    let after = env_or(
        "BENCH_BIN",
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/switchboard"),
    );
    let mb: u64 = env_or("BENCH_JOURNAL_MB", "200")
        .parse()
        .expect("BENCH_JOURNAL_MB");
    let runs = env_or("BENCH_RUNS", "3");
    let root =
        std::env::temp_dir().join(format!("switchboard-bench-journal-{}", std::process::id()));
    let dirs: Vec<PathBuf> = ["after", "before"].iter().map(|d| root.join(d)).collect();
    for d in &dirs {
        std::fs::create_dir_all(d).expect("temp dir");
        let path = d.join(file_name(KEY, BASE_URL));
        let started = Instant::now();
        let bytes = generate(&path, mb).expect("journal written");
        println!(
            "journal_mb={:.1} generated_in_s={:.1} ({})",
            bytes as f64 / (1 << 20) as f64,
            started.elapsed().as_secs_f64(),
            d.display()
        );
    }
    let command = |bin: &str, dir: &Path, args: &[&str]| -> Vec<String> {
        let mut c = vec![
            "env".to_string(),
            format!("SWITCHBOARD_DATA_DIR={}", dir.display()),
            "VONAGE_API_KEY=bench".into(),
            "VONAGE_API_SECRET=bench-secret".into(),
            format!("SWITCHBOARD_CONFIG={}", root.join("none.toml").display()),
            bin.to_string(),
            "--base-url".into(),
            BASE_URL.into(),
        ];
        c.extend(args.iter().map(|a| a.to_string()));
        c
    };
    // The first command of this build rotates the journal: once, timed alone.
    let first = command(&after, &dirs[0], &["history"]);
    let started = Instant::now();
    let status = Command::new(&first[0])
        .args(&first[1..])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("runs");
    println!(
        "first_history_with_rotation_s={:.2} exit={status}",
        started.elapsed().as_secs_f64()
    );
    for args in [&["history"][..], &["undo"][..]] {
        let a = command(&after, &dirs[0], args);
        let b = command(&before, &dirs[1], args).join(" ");
        println!("== {} (A: this build, B: before)", args.join(" "));
        let status = Command::new("farm-bench")
            .args(["-n", &runs, "--timeout", "600", "--vs", &b, "--"])
            .args(&a)
            .status()
            .expect("farm-bench runs");
        if !status.success() {
            eprintln!("farm-bench: {status}");
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}
