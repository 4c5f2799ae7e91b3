//! Part 1: the real binary in tmux, timed from outside by polling the screen.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{BIN, KEY, SECRET, median, memory::proc_status_mb, temp_dir, thousands};

/// A tmux server of its own (`-L`), killed on drop.
pub(crate) struct Tmux {
    socket: String,
}

impl Tmux {
    pub(crate) fn start(name: &str, cmd: &str, env: &[(&str, String)]) -> Tmux {
        let t = Tmux {
            socket: format!("sb-bench-{}-{name}", std::process::id()),
        };
        let mut args: Vec<String> = ["-f", "/dev/null", "new-session", "-d", "-x", "120", "-y"]
            .map(String::from)
            .to_vec();
        args.push("40".into());
        for (k, v) in env {
            args.push("-e".into());
            args.push(format!("{k}={v}"));
        }
        args.push(cmd.into());
        t.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        t
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux must be installed");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "0"])
    }

    pub(crate) fn pane_pid(&self) -> String {
        self.run(&["list-panes", "-t", "0", "-F", "#{pane_pid}"])
            .trim()
            .to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        // kill-server can leave the socket file behind: remove it too.
        let uid = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("Uid:"))
                    .and_then(|l| l.split_whitespace().nth(1).map(String::from))
            });
        if let Some(uid) = uid {
            let dir = std::env::var("TMUX_TMPDIR").unwrap_or_else(|_| "/tmp".into());
            let _ = std::fs::remove_file(format!("{dir}/tmux-{uid}/{}", self.socket));
        }
    }
}

/// When each of `marks` first appeared on screen, polling every ~2 ms from `t0`; `done` says
/// when to stop. Panics with the screen after `timeout`.
pub(crate) fn watch(
    t: &Tmux,
    t0: Instant,
    timeout: Duration,
    marks: &[&dyn Fn(&str) -> bool],
    done: impl Fn(&str) -> bool,
) -> Vec<Duration> {
    let mut seen: Vec<Option<Duration>> = vec![None; marks.len()];
    loop {
        let screen = t.screen();
        let at = t0.elapsed();
        for (i, mark) in marks.iter().enumerate() {
            if seen[i].is_none() && mark(&screen) {
                seen[i] = Some(at);
            }
        }
        if done(&screen) && seen.iter().all(Option::is_some) {
            return seen.into_iter().flatten().collect();
        }
        assert!(at < timeout, "timed out; screen:\n{screen}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

pub(crate) fn tui_env(home: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("VONAGE_API_KEY", KEY.to_string()),
        ("VONAGE_API_SECRET", SECRET.to_string()),
        ("HOME", home.display().to_string()),
        ("SWITCHBOARD_CONFIG", "/nonexistent".to_string()),
    ]
}

/// What the harness itself costs: a pane that prints the header text at once.
pub(crate) fn baseline(runs: usize) -> (Duration, Duration) {
    let mut first = Vec::new();
    let mut capture = Vec::new();
    for run in 0..runs {
        let t0 = Instant::now();
        let t = Tmux::start(
            &format!("baseline{run}"),
            "printf 'SANDBOX\\n'; exec sleep 30",
            &[],
        );
        first.push(
            watch(
                &t,
                t0,
                Duration::from_secs(10),
                &[&|s: &str| s.contains("SANDBOX")],
                |_| true,
            )[0],
        );
        let c = Instant::now();
        for _ in 0..10 {
            t.screen();
        }
        capture.push(c.elapsed() / 10);
    }
    (median(&first), median(&capture))
}

/// What [`launch`] saw, one entry per run.
#[derive(Default)]
pub(crate) struct Launch {
    /// The header ("SANDBOX"): the first frame.
    pub(crate) header: Vec<Duration>,
    /// The first rows of the owned list (the title counts "N shown of M").
    pub(crate) rows: Vec<Duration>,
    /// "N shown of N" for the whole list.
    pub(crate) list: Vec<Duration>,
    /// The whole list, and loading over (no "loading" in the title).
    pub(crate) loaded: Vec<Duration>,
    /// VmRSS of the TUI once loaded, MiB.
    pub(crate) rss: Vec<f64>,
}

/// Part 1: the real binary against an in-process sandbox of `owned` numbers, cold (a new HOME
/// and a new tmux server each run).
pub(crate) fn launch(base_url: &str, owned: usize, runs: usize, tag: &str) -> Launch {
    launch_with(base_url, owned, runs, tag, &[])
}

/// [`launch`] with more environment (e.g. `SWITCHBOARD_CACHE_DIR` for the warm launch).
pub(crate) fn launch_with(
    base_url: &str,
    owned: usize,
    runs: usize,
    tag: &str,
    extra_env: &[(&'static str, String)],
) -> Launch {
    let want = format!("{} shown of {}", thousands(owned), thousands(owned));
    let mut out = Launch::default();
    for run in 0..runs {
        let home = temp_dir(&format!("home-{tag}-{run}"));
        let mut env = tui_env(&home);
        env.extend_from_slice(extra_env);
        let cmd = format!("exec {BIN} --base-url {base_url}");
        let t0 = Instant::now();
        let t = Tmux::start(&format!("launch-{tag}-{run}"), &cmd, &env);
        let header = |s: &str| s.contains("SANDBOX");
        let rows = |s: &str| s.contains(" shown of ");
        let list = |s: &str| s.contains(&want);
        let loaded = |s: &str| s.contains(&want) && !s.contains("loading");
        let marks = watch(
            &t,
            t0,
            Duration::from_secs(60),
            &[&header, &rows, &list, &loaded],
            loaded,
        );
        out.header.push(marks[0]);
        out.rows.push(marks[1]);
        out.list.push(marks[2]);
        out.loaded.push(marks[3]);
        if let Some(rss) = proc_status_mb(&t.pane_pid(), "VmRSS:") {
            out.rss.push(rss);
        }
        drop(t);
        let _ = std::fs::remove_dir_all(&home);
    }
    out
}
