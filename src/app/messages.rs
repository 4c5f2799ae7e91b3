//! Messages that expire (toasts) and the error log to look back at.

use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    pub level: Level,
    pub text: String,
    pub expires: Instant,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Time since the app started (the view shows the wall-clock time it was).
    pub at: Duration,
    pub level: Level,
    pub text: String,
}

/// How long a message stays on screen.
pub const TOAST_TTL: Duration = Duration::from_secs(5);
/// Errors stay longer: there is more to read.
pub const ERROR_TTL: Duration = Duration::from_secs(10);
/// Oldest log entries are dropped past this many (every message is logged, info too).
pub const LOG_CAP: usize = 500;

#[derive(Debug)]
pub struct Messages {
    pub toasts: Vec<Toast>,
    pub log: Vec<LogEntry>,
    /// When the app started: log times count from it.
    pub started: Instant,
}

impl Messages {
    pub fn new(now: Instant) -> Messages {
        Messages {
            toasts: Vec::new(),
            log: Vec::new(),
            started: now,
        }
    }

    pub fn push(&mut self, now: Instant, level: Level, text: impl Into<String>) {
        let text = text.into();
        let ttl = if level == Level::Error {
            ERROR_TTL
        } else {
            TOAST_TTL
        };
        self.log_entry(now, level, text.clone());
        // One line at a time on screen: the newest replaces the others.
        self.toasts.clear();
        self.toasts.push(Toast {
            level,
            text,
            expires: now + ttl,
        });
    }

    /// A message that must not hide an error on screen (a late side note): logged, and shown
    /// only when the line does not hold an error.
    pub fn push_behind_errors(&mut self, now: Instant, level: Level, text: impl Into<String>) {
        if self
            .current()
            .is_some_and(|t| t.level == Level::Error && t.expires > now)
        {
            self.log_entry(now, level, text.into());
            return;
        }
        self.push(now, level, text);
    }

    fn log_entry(&mut self, now: Instant, level: Level, text: String) {
        self.log.push(LogEntry {
            at: now.saturating_duration_since(self.started),
            level,
            text,
        });
        if self.log.len() > LOG_CAP {
            self.log.remove(0);
        }
    }

    /// Drops expired toasts; true when something changed.
    pub fn expire(&mut self, now: Instant) -> bool {
        let before = self.toasts.len();
        self.toasts.retain(|t| t.expires > now);
        before != self.toasts.len()
    }

    pub fn current(&self) -> Option<&Toast> {
        self.toasts.last()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_note_does_not_hide_an_error_but_is_logged() {
        let t0 = Instant::now();
        let mut m = Messages::new(t0);
        m.push(t0, Level::Error, "update failed");
        m.push_behind_errors(t0, Level::Warn, "the webhook did not answer");
        assert_eq!(m.current().unwrap().text, "update failed");
        assert_eq!(m.log.last().unwrap().text, "the webhook did not answer");
        // Once the error has expired, a side note is shown.
        let later = t0 + ERROR_TTL + Duration::from_secs(1);
        m.push_behind_errors(later, Level::Warn, "again");
        assert_eq!(m.current().unwrap().text, "again");
        // Over an info, too.
        m.push(later, Level::Info, "updated");
        m.push_behind_errors(later, Level::Warn, "note");
        assert_eq!(m.current().unwrap().text, "note");
    }
}
