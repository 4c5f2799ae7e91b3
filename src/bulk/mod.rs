//! Bulk changes: one [`NumberChange`] applied to many numbers, each as read-modify-write, with
//! bounded concurrency (the client's limiter paces the requests), every change journaled
//! (intent before the request, outcome after) under one batch id, progress reported as it
//! goes, and a clean stop (in-flight requests finish and are journaled, no new one starts).
//! No terminal here: the CLI and the TUI's worker both drive it.

pub mod diff;
pub mod ops;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Numbers finished (ok, failed or skipped).
    pub done: usize,
    pub failed: usize,
    pub total: usize,
    pub elapsed: Duration,
    pub stopping: bool,
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

/// Stops a run: in-flight numbers finish, no new one starts. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    pub fn new() -> StopFlag {
        StopFlag::default()
    }
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Runs `job` on every item, at most `concurrency` at once, calling `progress` after each one
/// finishes. Once `stop` is set no new item starts; those are `NotStarted`.
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
    let (mut done, mut failed) = (0, 0);
    let mut stopped = false;
    loop {
        while tasks.len() < concurrency.max(1) && !stopped {
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
        done += 1;
        if matches!(outcome, Outcome::Failed(_)) {
            failed += 1;
        }
        outcomes[i] = Some(outcome);
        progress(Progress {
            done,
            failed,
            total,
            elapsed: started.elapsed(),
            stopping: stop.is_stopped(),
        });
    }
    let stopped = stopped || outcomes.iter().any(Option::is_none) && stop.is_stopped();
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
        async move {
            match ops::update(
                &client,
                journal.as_deref(),
                batch,
                &t.country,
                &t.msisdn,
                &change,
                k.as_ref(),
            )
            .await
            {
                Ok(o) if o.before == o.after => Outcome::Unchanged,
                Ok(o) => Outcome::Updated {
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
