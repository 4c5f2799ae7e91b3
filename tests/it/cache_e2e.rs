//! End to end, the cached start: the real binary in a pseudo-terminal against a `switchboard sandbox`
//! process holding 2,000 numbers. The first run loads the list and keeps it on disk; the second
//! run, against the same sandbox restarted with 3 s of latency per request and one number
//! changed meanwhile, shows the kept list at once (before the server could answer anything),
//! marked "cached"; the user moves while it refreshes; the fresh list replaces it with the
//! selection on the same number at the same screen row.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::pty::Pty;
use crate::common::{Cli, TempDir, wait};
use switchboard::sandbox::SandboxConfig;

const OWNED: usize = 2000;
const LATENCY_MS: u64 = 3000;

/// A `switchboard sandbox` process, killed on drop.
struct SandboxProcess(Child);

impl SandboxProcess {
    fn start(home: &Path, port: u16, latency_ms: u64) -> SandboxProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(["sandbox", "--port", &port.to_string()])
            .args(["--owned", &OWNED.to_string(), "--seed", "7"])
            .args(["--latency-ms", &latency_ms.to_string()])
            .env_clear()
            .env("HOME", home)
            .env("SWITCHBOARD_CONFIG", home.join("none.toml"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the sandbox");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        assert!(first.contains("listening on"), "sandbox said: {first}");
        // Keep reading so the pipe never fills.
        std::thread::spawn(move || for _ in lines {});
        SandboxProcess(child)
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The selected row of the Owned table (below its header): its screen row and its first cell.
fn selected_row(t: &Pty) -> (u16, String) {
    t.reversed_row(3)
        .unwrap_or_else(|| panic!("no selected row:\n{}", t.screen()))
}

fn line_of<'a>(screen: &'a str, msisdn: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(msisdn))
        .unwrap_or_else(|| panic!("{msisdn} not on screen:\n{screen}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_shows_the_cached_list_at_once_then_the_refresh_keeps_the_selection() {
    let port = crate::common::free_port();
    let url = format!("http://127.0.0.1:{port}");
    let sc = SandboxConfig::default();
    let tui = Cli::new()
        .args(["--base-url", &url])
        .env("VONAGE_API_KEY", &sc.api_key)
        .env("VONAGE_API_SECRET", &sc.api_secret);
    let home = tui.home();
    let cache_dir = home.join("cache");
    let tui = tui.env("SWITCHBOARD_CACHE_DIR", &cache_dir.display().to_string());
    let home = tui.home();
    let total = "2,000 shown of 2,000";

    // First run: the whole list loads, and is kept on disk.
    let sandbox = SandboxProcess::start(home, port, 0);
    let cache_file = tokio::task::block_in_place(|| {
        let mut t = Pty::start(&tui);
        t.wait_for("the whole list", 60, |s| {
            s.contains(total) && !s.contains("loading")
        });
        let file = wait::seen("a cache file written", 20, || {
            std::fs::read_dir(&cache_dir)
                .ok()
                .and_then(|d| {
                    d.filter_map(Result::ok)
                        .map(|e| e.path())
                        .find(|p| p.extension().is_some_and(|x| x == "json"))
                })
                .ok_or_else(|| format!("nothing in {}", cache_dir.display()))
        });
        t.quit();
        file
    });
    drop(sandbox);
    let kept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cache_file).unwrap()).unwrap();
    let mut msisdns: Vec<String> = kept["numbers"]
        .as_array()
        .expect("numbers in the cache")
        .iter()
        .filter_map(|n| n["msisdn"].as_str().map(String::from))
        .collect();
    assert_eq!(msisdns.len(), OWNED);
    msisdns.sort();
    // After 40 moves down and 10 up, this is the selected number (mid-screen).
    let target = msisdns[30].clone();
    let country = kept["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["msisdn"] == target.as_str())
        .and_then(|n| n["country"].as_str())
        .unwrap()
        .to_string();

    // The sandbox again, slow now; one number changes behind the cache's back.
    let _sandbox = SandboxProcess::start(home, port, LATENCY_MS);
    let new_url = "https://after.example.com/refreshed";
    Cli::new()
        .args(["--base-url", &url, "--api-key", &sc.api_key])
        .args(["--api-secret", &sc.api_secret, "update", &country, &target])
        .args(["--sms-url", new_url, "--no-webhook-check"])
        .run()
        .await
        .expect_code(0);
    // And a number is bought that sorts before the selection: the fresh list has one more row
    // above it.
    let cli = || {
        Cli::new()
            .args(["--base-url", &url, "--api-key", &sc.api_key])
            .args(["--api-secret", &sc.api_secret])
    };
    let found = cli()
        .args(["search", "US", "--pattern", "1201", "--json"])
        .run()
        .await;
    let bought = found.expect_code(0).json()["numbers"][0]["msisdn"]
        .as_str()
        .expect("a US number to buy")
        .to_string();
    assert!(bought < target, "{bought} sorts before {target}");
    cli()
        .args(["buy", "US", &bought, "--yes"])
        .run()
        .await
        .expect_code(0);

    tokio::task::block_in_place(|| {
        let started = Instant::now();
        let mut t = Pty::start(&tui);
        let s = t.wait_for("the cached list", 20, |s| {
            s.contains(total) && s.contains("cached")
        });
        let shown_after = started.elapsed();
        assert!(
            shown_after < Duration::from_millis(LATENCY_MS),
            "the cached list took {shown_after:?}: no faster than the server"
        );
        eprintln!("cached list of {OWNED} on screen {shown_after:?} after launch");
        assert!(s.contains("loading"), "and it refreshes: {s}");

        // The user moves while the refresh runs: 40 rows down, past the first screen, then 10
        // up, so the selection is in the middle of the screen.
        let forty: Vec<&str> = std::iter::repeat_n("j", 40).collect();
        t.keys(&forty);
        t.wait_for("the selection on row 41", 10, |s| s.contains("41 of 2,000"));
        let ten: Vec<&str> = std::iter::repeat_n("k", 10).collect();
        t.keys(&ten);
        t.wait_for("the selection on row 31", 10, |s| s.contains("31 of 2,000"));
        let (row, cell) = selected_row(&t);
        assert_eq!(cell, target);
        let s = t.screen();
        assert!(s.contains("cached"), "still the cached list: {s}");
        // The table keeps a URL's scheme and cuts it in the middle: `https://after…/refreshed`.
        assert!(!line_of(&s, &target).contains("https://after"), "{s}");

        // The fresh list replaces it: same number selected, on the same screen row.
        let s = t.wait_for("the refreshed list", 60, |s| {
            s.contains("2,001 shown of 2,001") && !s.contains("cached") && !s.contains("loading")
        });
        assert!(
            line_of(&s, &target).contains("https://after"),
            "the change made meanwhile is shown: {s}"
        );
        assert!(s.contains("32 of 2,001"), "one row more above it: {s}");
        let (row_after, cell_after) = selected_row(&t);
        assert_eq!(cell_after, target, "the selection stays on the same number");
        assert_eq!(row_after, row, "and on the same screen row");
        t.quit();
    });
}

/// The embedded sandbox is kept by its size, so a restart shows the cache; a corrupt cache file
/// is ignored (a log line, nothing on screen), and replaced by the next complete list.
#[test]
fn a_corrupt_cache_is_ignored_and_the_embedded_sandbox_is_kept_across_restarts() {
    use switchboard::cache::Cache;
    let tui = Cli::new().args(["--sandbox", "--sandbox-owned", "50"]);
    let cache_dir = tui.home().join("cache");
    let tui = tui.env("SWITCHBOARD_CACHE_DIR", &cache_dir.display().to_string());
    let cache = Cache::for_account(&cache_dir, "sandbox", "embedded-sandbox-50");
    std::fs::create_dir_all(&cache_dir).unwrap();
    std::fs::write(
        cache.path(),
        b"{\"version\":1,\"fetched\":12,\"numbers\":[{\"msis",
    )
    .unwrap();
    let mut t = Pty::start(&tui);
    let s = t.wait_for("the list", 20, |s| {
        s.contains("50 shown of 50") && !s.contains("loading")
    });
    assert!(!s.contains("cached"), "{s}");
    assert!(
        !s.contains('✗') && !s.contains("error"),
        "no error on screen: {s}"
    );
    wait::until("the cache rewritten", 20, || {
        cache.load(std::time::SystemTime::now()).is_some()
    });
    t.quit();
    drop(t);
    let log = std::fs::read_to_string(tui.log_file()).unwrap_or_default();
    assert!(log.contains("cache corrupt, ignored"), "{log}");

    assert!(!log.contains("cached owned list shown"), "{log}");

    // Restart: a new port, the same seeded numbers, the cached list shown before the first
    // frame (the embedded sandbox answers too fast to catch it on screen: the log says it).
    let mut t = Pty::start(&tui);
    t.wait_for("the fresh list", 20, |s| {
        s.contains("50 shown of 50") && !s.contains("cached") && !s.contains("loading")
    });
    t.quit();
    let log = std::fs::read_to_string(tui.log_file()).unwrap_or_default();
    assert!(
        log.lines()
            .any(|l| l.contains("cached owned list shown") && l.contains("numbers=50")),
        "{log}"
    );
}

/// `[ui] cache = false`: nothing is written (and with `true`, the same run writes it).
#[test]
fn the_cache_can_be_turned_off() {
    let home = TempDir::new("cache-off");
    let config = home.path().join("config.toml");
    for on in [true, false] {
        let cache_dir = home.path().join(format!("cache-{on}"));
        std::fs::write(&config, format!("[ui]\ncache = {on}\n")).unwrap();
        let tui = Cli::new()
            .args(["--sandbox", "--sandbox-owned", "30"])
            .env("SWITCHBOARD_CONFIG", &config.display().to_string())
            .env("SWITCHBOARD_CACHE_DIR", &cache_dir.display().to_string());
        let mut t = Pty::start(&tui);
        t.wait_for("the list", 20, |s| {
            s.contains("30 shown of 30") && !s.contains("loading")
        });
        std::thread::sleep(Duration::from_millis(300));
        t.quit();
        assert_eq!(cache_dir.exists(), on, "{}", cache_dir.display());
    }
}
