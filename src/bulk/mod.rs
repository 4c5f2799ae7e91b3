//! Bulk changes: one [`NumberChange`] applied to many numbers, each as read-modify-write, with
//! bounded concurrency (the client's limiter paces the requests), every change journaled
//! (intent before the request, outcome after) under one batch id, progress reported as it
//! goes, and a clean stop (in-flight requests finish and are journaled, no new one starts).
//! No terminal here: the CLI and the TUI's worker both drive it.

pub mod diff;
mod listed;
pub mod ops;
pub mod reconcile;

pub use listed::update_listed;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::api::{ApiError, Client, NumberChange, NumberConfig};
use crate::journal::Journal;

/// A number to act on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    pub country: String,
    pub msisdn: String,
}

impl Target {
    pub fn new(country: impl Into<String>, msisdn: impl Into<String>) -> Target {
        Target {
            country: country.into(),
            msisdn: msisdn.into(),
        }
    }
}

/// Why one number failed.
#[derive(Clone, Debug)]
pub enum ItemError {
    Api(Arc<ApiError>),
    /// The journal could not be written: the request was not sent.
    Journal(String),
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemError::Api(e) => write!(f, "{e}"),
            ItemError::Journal(e) => write!(f, "journal: {e} (nothing was sent)"),
        }
    }
}

impl From<ApiError> for ItemError {
    fn from(e: ApiError) -> ItemError {
        ItemError::Api(Arc::new(e))
    }
}

/// How one number ended.
#[derive(Clone, Debug)]
// Many per run, but short-lived and mostly `Updated`: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// The configuration changed from `before` to `after`.
    Updated {
        before: NumberConfig,
        after: NumberConfig,
        warnings: Vec<String>,
    },
    /// Already as wanted: nothing was sent.
    Unchanged,
    /// (Undo) the number was cancelled.
    Cancelled,
    /// (Undo) the number was bought back, with this configuration.
    Bought {
        config: Option<NumberConfig>,
    },
    Failed(ItemError),
    /// Left alone on purpose (an undo of a number changed since).
    Skipped(String),
    /// Stopped before it started.
    NotStarted,
}

impl Outcome {
    pub fn is_ok(&self) -> bool {
        matches!(
            self,
            Outcome::Updated { .. }
                | Outcome::Unchanged
                | Outcome::Cancelled
                | Outcome::Bought { .. }
        )
    }

    /// "ok", "failed", "skipped", "not started": for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Updated { .. } => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Cancelled => "cancelled",
            Outcome::Bought { .. } => "bought",
            Outcome::Failed(_) => "failed",
            Outcome::Skipped(_) => "skipped",
            Outcome::NotStarted => "not started",
        }
    }

    /// The reason, for failed and skipped.
    pub fn reason(&self) -> Option<String> {
        match self {
            Outcome::Failed(e) => Some(e.to_string()),
            Outcome::Skipped(why) => Some(why.clone()),
            _ => None,
        }
    }
}

/// One number's result.
#[derive(Clone, Debug)]
pub struct ItemResult {
    pub target: Target,
    pub outcome: Outcome,
}

/// Where a run is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// Numbers finished (ok, failed or skipped).
    pub done: usize,
    pub failed: usize,
    pub total: usize,
    pub elapsed: Duration,
    pub stopping: bool,
    /// Changes sent (their intent journaled) and not yet answered: what a stop waits for.
    pub finishing: usize,
    /// Why the run is paused (it waits for resume or stop), when it is.
    pub paused: Option<String>,
}

impl Progress {
    /// Numbers per second so far.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs <= 0.0 {
            0.0
        } else {
            self.done as f64 / secs
        }
    }

    /// Time left at the rate so far (`None` before the first number is done).
    pub fn eta(&self) -> Option<Duration> {
        let rate = self.rate();
        (self.done > 0 && rate > 0.0).then(|| {
            Duration::from_secs_f64((self.total - self.done.min(self.total)) as f64 / rate)
        })
    }
}

/// The end of a run: every number's result, in the order given.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The batch id in the journal (`None` without a journal).
    pub batch: Option<u64>,
    pub items: Vec<ItemResult>,
    /// Stopped before the end (some numbers not started).
    pub stopped: bool,
    pub elapsed: Duration,
}

impl Report {
    pub fn count(&self, f: fn(&Outcome) -> bool) -> usize {
        self.items.iter().filter(|i| f(&i.outcome)).count()
    }
    pub fn ok(&self) -> usize {
        self.count(Outcome::is_ok)
    }
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
    }
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }
    pub fn not_started(&self) -> usize {
        self.count(|o| matches!(o, Outcome::NotStarted))
    }
    /// The numbers to run again: failed, and not started.
    pub fn retryable(&self) -> Vec<Target> {
        self.items
            .iter()
            .filter(|i| matches!(i.outcome, Outcome::Failed(_) | Outcome::NotStarted))
            .map(|i| i.target.clone())
            .collect()
    }
}

/// Controls a run: stop (no new request leaves; changes already sent finish and are
/// journaled), pause and resume. Also counts the changes in flight. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct StopFlag(Arc<Control>);

#[derive(Debug, Default)]
struct Control {
    stopped: AtomicBool,
    paused: std::sync::Mutex<Option<String>>,
    finishing: AtomicUsize,
    wake: tokio::sync::Notify,
}

impl StopFlag {
    pub fn new() -> StopFlag {
        StopFlag::default()
    }
    pub fn stop(&self) {
        self.0.stopped.store(true, Ordering::SeqCst);
        self.0.wake.notify_waiters();
    }
    pub fn is_stopped(&self) -> bool {
        self.0.stopped.load(Ordering::SeqCst)
    }
    /// Resolves once the run is stopped.
    pub async fn stopped(&self) {
        loop {
            let woken = self.0.wake.notified();
            if self.is_stopped() {
                return;
            }
            woken.await;
        }
    }
    /// Holds the run: no new number starts until [`StopFlag::resume`] (or a stop).
    pub fn pause(&self, why: impl Into<String>) {
        *self.paused_lock() = Some(why.into());
        self.0.wake.notify_waiters();
    }
    pub fn resume(&self) {
        *self.paused_lock() = None;
        self.0.wake.notify_waiters();
    }
    /// Why the run is paused, when it is.
    pub fn paused(&self) -> Option<String> {
        self.paused_lock().clone()
    }
    /// Changes sent and not answered yet.
    pub fn finishing(&self) -> usize {
        self.0.finishing.load(Ordering::SeqCst)
    }
    /// Counts a change as in flight until the guard is dropped.
    pub(crate) fn sending(&self) -> Sending {
        self.0.finishing.fetch_add(1, Ordering::SeqCst);
        Sending(self.clone())
    }
    fn paused_lock(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.0.paused.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// Waits until resumed or stopped.
    async fn unpaused(&self) {
        loop {
            let woken = self.0.wake.notified();
            if self.is_stopped() || self.paused().is_none() {
                return;
            }
            woken.await;
        }
    }
}

/// A change in flight (see [`StopFlag::sending`]).
pub(crate) struct Sending(StopFlag);

impl Drop for Sending {
    fn drop(&mut self) {
        self.0.0.finishing.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Consecutive failures of the network or the server (not refusals) that pause a run.
pub const PAUSE_AFTER: usize = 3;

/// A failure that says the API is away (network, timeout, 5xx), not that it refused.
fn api_away(outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Failed(ItemError::Api(e)) => matches!(
            **e,
            ApiError::Server { .. }
                | ApiError::Timeout { .. }
                | ApiError::Network { .. }
                | ApiError::Connect { .. }
        ),
        _ => false,
    }
}

/// Runs `job` on every item, at most `concurrency` at once, calling `progress` after each one
/// finishes. Once `stop` is set no new item starts; those are `NotStarted`. After
/// [`PAUSE_AFTER`] consecutive failures of the network or the server the run pauses (says so
/// in `progress`) until resumed or stopped.
pub async fn run_each<T, F, Fut>(
    items: Vec<T>,
    concurrency: usize,
    stop: &StopFlag,
    mut progress: impl FnMut(Progress),
    job: F,
) -> (Vec<Outcome>, bool)
where
    T: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    let started = Instant::now();
    let total = items.len();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; total];
    let mut tasks = tokio::task::JoinSet::new();
    let mut pending = items.into_iter().enumerate();
    let (mut done, mut failed, mut away) = (0, 0, 0);
    let mut stopped = false;
    let report = |done, failed| Progress {
        done,
        failed,
        total,
        elapsed: started.elapsed(),
        stopping: stop.is_stopped(),
        finishing: stop.finishing(),
        paused: stop.paused(),
    };
    loop {
        if stop.paused().is_some() && tasks.is_empty() && !stop.is_stopped() {
            stop.unpaused().await;
            away = 0;
        }
        while tasks.len() < concurrency.max(1) && !stopped && stop.paused().is_none() {
            if stop.is_stopped() {
                stopped = true;
                break;
            }
            let Some((i, item)) = pending.next() else {
                break;
            };
            let fut = job(item);
            tasks.spawn(async move { (i, fut.await) });
        }
        let Some(joined) = tasks.join_next().await else {
            if stop.paused().is_some() && !stop.is_stopped() && !stopped {
                continue;
            }
            break;
        };
        let (i, outcome) = match joined {
            Ok(r) => r,
            // A panic in one job must not lose the others: count it as failed.
            Err(e) => {
                tracing::error!(error = %e, "a bulk job ended abnormally");
                continue;
            }
        };
        if !matches!(outcome, Outcome::NotStarted) {
            done += 1;
        }
        if matches!(outcome, Outcome::Failed(_)) {
            failed += 1;
        }
        if api_away(&outcome) {
            away += 1;
            if away >= PAUSE_AFTER && stop.paused().is_none() && !stop.is_stopped() {
                let why = format!(
                    "paused after {away} failures in a row: {}",
                    outcome.reason().unwrap_or_default()
                );
                tracing::warn!(why = %why, "bulk run paused");
                stop.pause(why);
            }
        } else if !matches!(outcome, Outcome::NotStarted) {
            away = 0;
        }
        outcomes[i] = Some(outcome);
        progress(report(done, failed));
    }
    let stopped = stopped
        || stop.is_stopped()
            && outcomes
                .iter()
                .any(|o| o.as_ref().is_none_or(|o| matches!(o, Outcome::NotStarted)));
    let outcomes = outcomes
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| {
                if stop.is_stopped() {
                    Outcome::NotStarted
                } else {
                    Outcome::Failed(ItemError::Api(Arc::new(ApiError::Config(
                        "the job ended abnormally".into(),
                    ))))
                }
            })
        })
        .collect();
    (outcomes, stopped)
}

/// Applies `change` to every target (read-modify-write each), journaled under one batch: a
/// new one, or `batch` (a retry continues its run, so one undo covers both).
/// `known` holds values the API does not return, by msisdn.
#[allow(clippy::too_many_arguments)]
pub async fn update_all(
    client: &Client,
    journal: Option<Arc<Journal>>,
    batch: Option<u64>,
    targets: Vec<Target>,
    change: &NumberChange,
    known: &HashMap<String, NumberConfig>,
    stop: &StopFlag,
    progress: impl FnMut(Progress),
) -> Report {
    let started = Instant::now();
    let batch = journal
        .as_ref()
        .map(|j| batch.unwrap_or_else(|| j.next_id()));
    let jobs: Vec<(Target, Option<NumberConfig>)> = targets
        .iter()
        .map(|t| (t.clone(), known.get(&t.msisdn).cloned()))
        .collect();
    let (outcomes, stopped) = run_each(jobs, client.concurrency(), stop, progress, |(t, k)| {
        let client = client.clone();
        let journal = journal.clone();
        let change = change.clone();
        let stop = stop.clone();
        async move {
            let run = ops::Run {
                journal: journal.as_deref(),
                batch,
                stop: &stop,
            };
            match ops::update_in_run(&client, run, &t.country, &t.msisdn, &change, k.as_ref()).await
            {
                Ok(None) => Outcome::NotStarted,
                Ok(Some(o)) if o.before == o.after => Outcome::Unchanged,
                Ok(Some(o)) => Outcome::Updated {
                    before: o.before,
                    after: o.after,
                    warnings: o.warnings,
                },
                Err(e) => Outcome::Failed(e),
            }
        }
    })
    .await;
    Report {
        batch,
        items: targets
            .into_iter()
            .zip(outcomes)
            .map(|(target, outcome)| ItemResult { target, outcome })
            .collect(),
        stopped,
        elapsed: started.elapsed(),
    }
}
