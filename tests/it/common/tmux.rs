//! The real binary in a tmux pseudo-terminal: start it, type at it, read the screen back (with
//! or without its escape sequences), wait for it to exit. The server is killed on drop.

use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    /// `cmd` in a 120x40 session started in `dir`, with `env`; Esc is read at once
    /// (escape-time 0), the pane stays after the program exits, and OSC 52 reaches tmux's
    /// clipboard.
    pub fn start<S: AsRef<str>>(
        name: &str,
        cmd: &str,
        env: &[(&str, S)],
        dir: Option<&str>,
    ) -> Tmux {
        let t = Tmux {
            socket: format!("sb-{name}-{}", std::process::id()),
        };
        let mut args: Vec<String> = ["-f", "/dev/null", "new-session", "-d", "-x", "120"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(["-y".into(), "40".into()]);
        if let Some(dir) = dir {
            args.extend(["-c".into(), dir.into()]);
        }
        for (k, v) in env {
            args.push("-e".into());
            args.push(format!("{k}={}", v.as_ref()));
        }
        args.push(cmd.into());
        t.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        t.run(&["set-option", "-g", "escape-time", "0"]);
        t.run(&["set-option", "-g", "remain-on-exit", "on"]);
        t.run(&["set-option", "-g", "set-clipboard", "on"]);
        t
    }

    pub fn run(&self, args: &[&str]) -> String {
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

    /// Keys by tmux name (`j`, `Enter`, `C-u`, `Tab`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Text typed literally.
    pub fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", "0", "-l", text]);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "0"])
    }

    /// The screen with its escape sequences (to see reversed cells).
    pub fn screen_styled(&self) -> String {
        self.run(&["capture-pane", "-p", "-e", "-t", "0"])
    }

    /// Polls the screen until `ok` holds (at most `secs`, a guard against a hung test).
    pub fn wait_for(&self, what: &str, secs: u64, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Polls the screen until it shows `text` (at most 60 s, a guard against a hung test).
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, 60, |s| s.contains(text))
    }

    /// `q`, then waits for the program to exit.
    pub fn quit(&self) {
        self.keys(&["q"]);
        self.wait_for("the program to exit", 10, |_| {
            self.run(&["display-message", "-p", "-t", "0", "#{pane_dead}"])
                .trim()
                == "1"
        });
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}
