//! Copy and export through the real binary in tmux (embedded sandbox): `y` puts the selected
//! msisdn on tmux's clipboard through OSC 52, `x` then Enter writes the list to a file in the
//! working directory, and a second export to the same name asks before replacing it.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::TempDir;

struct Tmux(String);

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.0)
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

    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.run(&["capture-pane", "-p", "-t", "0"]);
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.0, "kill-server"])
            .output();
    }
}

#[test]
fn y_copies_through_osc_52_and_x_writes_a_file() {
    let home = TempDir::new("export-e2e");
    let dir = home.path().display().to_string();
    let t = Tmux(format!("sb-export-{}", std::process::id()));
    let cmd = format!(
        "{} --sandbox --sandbox-owned 40",
        env!("CARGO_BIN_EXE_switchboard")
    );
    t.run(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-x",
        "120",
        "-y",
        "40",
        "-c",
        &dir,
        "-e",
        &format!("HOME={dir}"),
        "-e",
        &format!("SWITCHBOARD_CACHE_DIR={dir}/cache"),
        "-e",
        "SWITCHBOARD_CONFIG=/nonexistent/switchboard.toml",
        &cmd,
    ]);
    t.run(&["set-option", "-g", "escape-time", "0"]);
    t.run(&["set-option", "-g", "set-clipboard", "on"]);
    t.wait_for("the list", |s| {
        s.contains("40 shown of 40") && !s.contains("loading")
    });

    t.run(&["send-keys", "-t", "0", "j", "j", "y"]);
    let s = t.wait_for("the copy", |s| s.contains("copied "));
    let copied = s
        .split("copied ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    assert!(copied.chars().all(|c| c.is_ascii_digit()), "{copied}");
    assert_eq!(t.run(&["show-buffer"]), copied, "on the clipboard");

    t.run(&["send-keys", "-t", "0", "x"]);
    t.wait_for("the export dialog", |s| s.contains("Export the shown list"));
    t.run(&["send-keys", "-t", "0", "C-u"]);
    t.run(&["send-keys", "-t", "0", "-l", "numbers.csv"]);
    // Tab: JSON, and the name follows.
    t.run(&["send-keys", "-t", "0", "Tab"]);
    t.wait_for("the JSON name", |s| s.contains("numbers.json"));
    t.run(&["send-keys", "-t", "0", "Tab", "Enter"]);
    t.wait_for("the export", |s| {
        s.contains("exported 40 numbers to numbers.csv")
    });
    let csv = std::fs::read_to_string(home.path().join("numbers.csv")).unwrap();
    assert_eq!(csv.lines().count(), 41, "a header and 40 rows");

    // Again: the file exists, Keep is focused, Enter keeps it.
    t.run(&["send-keys", "-t", "0", "x", "C-u"]);
    t.run(&["send-keys", "-t", "0", "-l", "numbers.csv"]);
    t.run(&["send-keys", "-t", "0", "Enter"]);
    t.wait_for("the question", |s| s.contains("numbers.csv already exists"));
    std::fs::write(home.path().join("numbers.csv"), "mine").unwrap();
    t.run(&["send-keys", "-t", "0", "Enter"]);
    t.wait_for("the question closed", |s| !s.contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(home.path().join("numbers.csv")).unwrap(),
        "mine"
    );
    t.run(&["send-keys", "-t", "0", "q"]);
}
