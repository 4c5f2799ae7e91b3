//! The progress line of a command that waits: what it waits for, for how long, and the time left
//! before its deadline. On a terminal one line on stderr, rewritten each second and cleared at
//! the end; elsewhere (a script's log) one line per wait, once it has lasted a few seconds.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::api::{Client, Waiting};

/// A wait shorter than this is not worth a line.
const QUIET_FOR: Duration = Duration::from_secs(2);

/// Off a terminal, a wait that goes on is said again this often.
const REPEAT_EVERY: Duration = Duration::from_secs(30);

/// Speaks while the command runs; stops (and clears its line) when dropped.
pub struct Reporter {
    task: tokio::task::JoinHandle<()>,
    terminal: bool,
}

impl Reporter {
    pub fn start(client: &Client) -> Reporter {
        let terminal = std::io::stderr().is_terminal();
        let client = client.clone();
        let task = tokio::spawn(async move {
            // The wait last said (by when it began) and when it was said.
            let mut shown: Option<(Instant, Instant)> = None;
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            loop {
                tick.tick().await;
                let now = Instant::now();
                let Some(w) = client.waiting().filter(|w| now - w.since >= QUIET_FOR) else {
                    if terminal && shown.take().is_some() {
                        eprint!("\r\x1b[2K");
                    }
                    continue;
                };
                let line = line(&w, client.deadline_at(), now);
                if terminal {
                    eprint!("\r\x1b[2K{line}");
                    shown = Some((w.since, now));
                } else if shown
                    .is_none_or(|(since, said)| since != w.since || now - said >= REPEAT_EVERY)
                {
                    // One line per wait (a new stage or request restarts `since`), repeated
                    // while it lasts.
                    eprintln!("{line}");
                    shown = Some((w.since, now));
                }
                let _ = std::io::stderr().flush();
            }
        });
        Reporter { task, terminal }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.task.abort();
        if self.terminal {
            eprint!("\r\x1b[2K");
        }
    }
}

/// "waiting 12s for 127.0.0.1:8080 to answer list owned numbers (try 2 of 5); deadline in 28m 3s".
pub fn line(w: &Waiting, deadline: Option<Instant>, now: Instant) -> String {
    let mut line = w.describe(now);
    if let Some(d) = deadline {
        let left = d.saturating_duration_since(now).as_secs();
        let left = if left >= 60 {
            format!("{}m {}s", left / 60, left % 60)
        } else {
            format!("{left}s")
        };
        line.push_str(&format!("; deadline in {left} (--deadline)"));
    }
    super::output::safe_lines(&line)
}
