//! Part 5: resident memory with 100,000 numbers, and the sandbox run as a process of its own.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::app::Screen;
use super::tmux::{Tmux, tui_env, watch};
use super::{BIN, fetch_all, loaded_app, ms, temp_dir, thousands};

/// Set in the child process that measures the App's memory: the sandbox's base URL.
pub(crate) const CHILD_ENV: &str = "SWITCHBOARD_BENCH_RSS_CHILD_URL";

/// `VmRSS` / `VmHWM` of a process, in MiB.
pub(crate) fn proc_status_mb(pid: &str, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// glibc's own count of the bytes the program has allocated and not freed (heap and mmapped
/// chunks): what the data structures hold, apart from what the allocator keeps around.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn heap_in_use_mb() -> Option<f64> {
    #[repr(C)]
    struct Mallinfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }
    unsafe extern "C" {
        fn mallinfo2() -> Mallinfo2;
    }
    // SAFETY: mallinfo2 takes no arguments and returns a plain struct (glibc >= 2.33).
    let m = unsafe { mallinfo2() };
    Some((m.uordblks + m.hblkhd) as f64 / (1024.0 * 1024.0))
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn heap_in_use_mb() -> Option<f64> {
    None
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or("unknown".to_string(), |v| format!("{v:.1}"))
}

pub(crate) struct ExternalSandbox {
    child: Child,
    pub(crate) url: String,
    home: PathBuf,
}

impl ExternalSandbox {
    pub(crate) fn start(owned: usize) -> ExternalSandbox {
        let home = temp_dir("sandbox-home");
        let mut child = Command::new(BIN)
            .args(["sandbox", "--owned", &owned.to_string()])
            .env("HOME", &home)
            .env("SWITCHBOARD_CONFIG", "/nonexistent")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("switchboard sandbox");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("the sandbox exited before listening")
                .expect("sandbox stdout");
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.trim().to_string();
            }
        };
        // Keep reading what it prints, so it never writes into a closed pipe.
        std::thread::spawn(move || for _ in lines {});
        ExternalSandbox { child, url, home }
    }
}

impl Drop for ExternalSandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// In a child process of this bench (no sandbox in it): RSS at start, after the runtime and
/// client exist, after fetching 100,000 numbers, after the App holds them, after one frame.
pub(crate) fn rss_child(url: &str) {
    let rss = || proc_status_mb("self", "VmRSS:");
    let start = rss();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let before = rss();
    let heap_before = heap_in_use_mb();
    let numbers = fetch_all(&rt, url);
    let n = numbers.len();
    let fetched = rss();
    let heap_fetched = heap_in_use_mb();
    let app = loaded_app(numbers);
    let loaded = rss();
    Screen::new().draw(&app);
    let frame = rss();
    let heap_frame = heap_in_use_mb();
    let d = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
    println!("rss_child_numbers={n}");
    println!("rss_child_start_mb={}", fmt_opt(start));
    println!("rss_child_before_mb={}", fmt_opt(before));
    println!("rss_child_after_fetch_mb={}", fmt_opt(fetched));
    println!("rss_child_after_load_mb={}", fmt_opt(loaded));
    println!("rss_100k_mb={}", fmt_opt(frame));
    println!("rss_100k_delta_mb={}", fmt_opt(d(frame, before)));
    println!(
        "rss_child_peak_mb={}",
        fmt_opt(proc_status_mb("self", "VmHWM:"))
    );
    println!(
        "heap_100k_numbers_only_mb={}",
        fmt_opt(d(heap_fetched, heap_before))
    );
    println!("heap_100k_app_mb={}", fmt_opt(d(heap_frame, heap_before)));
    drop(app);
}

/// The real TUI in tmux against the out-of-process sandbox: time to the full list, then its
/// VmRSS (and peak) once loading has ended and it is idle.
pub(crate) fn rss_tui(url: &str, owned: usize) {
    let home = temp_dir("home-rss");
    let cmd = format!("exec {BIN} --base-url {url}");
    let t0 = Instant::now();
    let t = Tmux::start("rss", &cmd, &tui_env(&home));
    let want = format!("{} shown of {}", thousands(owned), thousands(owned));
    let list = |s: &str| s.contains(&want);
    let loaded = |s: &str| s.contains(&want) && !s.contains("loading");
    let marks = watch(&t, t0, Duration::from_secs(120), &[&list, &loaded], loaded);
    println!("launch_to_owned_list_100k_ms={:.1}", ms(marks[0]));
    println!("launch_to_owned_list_100k_loaded_ms={:.1}", ms(marks[1]));
    let pid = t.pane_pid();
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    assert_eq!(comm.trim(), "switchboard", "the pane runs the TUI itself");
    let now = proc_status_mb(&pid, "VmRSS:");
    std::thread::sleep(Duration::from_millis(500));
    println!("rss_tui_100k_at_loaded_mb={}", fmt_opt(now));
    println!(
        "rss_tui_100k_mb={}",
        fmt_opt(proc_status_mb(&pid, "VmRSS:"))
    );
    println!(
        "rss_tui_100k_peak_mb={}",
        fmt_opt(proc_status_mb(&pid, "VmHWM:"))
    );
    drop(t);
    let _ = std::fs::remove_dir_all(&home);
}
