//! What the client is waiting for, so a terminal can say it (the CLI's progress line, the TUI's
//! status): for each request in flight, its operation, the host, the stage (a turn under the
//! rate limit, the answer's headers, its body, a pause before a retry) and since when. And the
//! command's deadline, which bounds every wait.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::error::Operation;

/// The stage a request is at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for a turn under the rate limiter.
    Turn,
    /// Held by the server's Retry-After (as capped) after a 429.
    Throttled { asked: Duration },
    /// Sent; waiting for the answer's status and headers.
    Answer,
    /// Reading the answer's body: `bytes` so far.
    Body { bytes: usize },
    /// Pausing before retrying a failed try.
    Backoff,
}

/// One request's wait.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub op: Operation,
    pub host: String,
    pub stage: Stage,
    /// When this stage began.
    pub since: Instant,
    /// This try (1-based) and the most tries allowed.
    pub attempt: u32,
    pub tries: u32,
}

impl Waiting {
    /// "waiting 12s for 127.0.0.1:8080 to answer list owned numbers (try 2 of 5)".
    pub fn describe(&self, now: Instant) -> String {
        let secs = now.saturating_duration_since(self.since).as_secs();
        let what = match &self.stage {
            Stage::Turn => format!("a turn to send {} to {}", self.op, self.host),
            Stage::Throttled { asked } => format!(
                "the {}s {} asked to wait after refusing {} (429, Retry-After)",
                asked.as_secs(),
                self.host,
                self.op
            ),
            Stage::Answer => format!("{} to answer {}", self.host, self.op),
            Stage::Body { bytes } => {
                format!(
                    "the rest of {}'s answer to {} ({bytes} bytes so far)",
                    self.host, self.op
                )
            }
            Stage::Backoff => format!("before retrying {} at {}", self.op, self.host),
        };
        let tries = if self.tries > 1 {
            format!(" (try {} of {})", self.attempt, self.tries)
        } else {
            String::new()
        };
        format!("waiting {secs}s for {what}{tries}")
    }
}

/// Every wait in flight, by request.
#[derive(Default)]
pub(super) struct Board {
    next: AtomicU64,
    slots: Mutex<Vec<(u64, Waiting)>>,
}

impl Board {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(u64, Waiting)>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A slot for one request, removed when dropped (a cancelled request leaves no trace).
    pub(super) fn slot(&self, op: Operation, host: String, tries: u32) -> WaitSlot<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().push((
            id,
            Waiting {
                op,
                host,
                stage: Stage::Turn,
                since: Instant::now(),
                attempt: 1,
                tries,
            },
        ));
        WaitSlot { board: self, id }
    }

    /// Requests sent and not yet answered whole (waiting for the answer, or reading it): what
    /// is really in flight on the wire, not those waiting for a turn or a retry.
    pub(super) fn sent(&self) -> usize {
        self.lock()
            .iter()
            .filter(|(_, w)| matches!(w.stage, Stage::Answer | Stage::Body { .. }))
            .count()
    }

    /// The longest-standing wait.
    pub(super) fn oldest(&self) -> Option<Waiting> {
        self.lock()
            .iter()
            .map(|(_, w)| w)
            .min_by_key(|w| w.since)
            .cloned()
    }
}

pub(super) struct WaitSlot<'a> {
    board: &'a Board,
    id: u64,
}

impl WaitSlot<'_> {
    fn update(&self, f: impl FnOnce(&mut Waiting)) {
        if let Some((_, w)) = self.board.lock().iter_mut().find(|(id, _)| *id == self.id) {
            f(w);
        }
    }

    /// A new stage (its clock restarts); the same stage keeps its clock (a body's bytes grow).
    pub(super) fn set(&self, stage: Stage) {
        self.update(|w| {
            if std::mem::discriminant(&w.stage) != std::mem::discriminant(&stage) {
                w.since = Instant::now();
            }
            w.stage = stage;
        });
    }

    /// True while held by a Retry-After (the next try's turn is that wait).
    pub(super) fn is_throttled(&self) -> bool {
        self.board
            .lock()
            .iter()
            .any(|(id, w)| *id == self.id && matches!(w.stage, Stage::Throttled { .. }))
    }

    pub(super) fn attempt(&self, attempt: u32) {
        self.update(|w| w.attempt = attempt);
    }
}

impl Drop for WaitSlot<'_> {
    fn drop(&mut self) {
        self.board.lock().retain(|(id, _)| *id != self.id);
    }
}

/// The time left before `deadline`, or `None` without one.
pub(super) fn remaining(deadline: Option<Instant>) -> Option<Duration> {
    deadline.map(|d| d.saturating_duration_since(Instant::now()))
}
