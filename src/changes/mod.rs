//! The change engine: every change to the account (buy, cancel, update, a bulk run, an undo)
//! goes through here, from the TUI's worker and from the CLI alike. Each change is made once,
//! for the account it names, and journaled as it really ended.
//!
//! - `ops`: one change, journaled (intent before the request, outcome after), buy/cancel
//!   settled against the state read before them, updates read back when they fail;
//! - this module: runs of many changes (bounded concurrency, stop, pause, progress, report);
//!   `listed`: a bulk update whose read is the listing; `diff`: what a run will change;
//! - `journal`: the file, its entries, planning an undo; `undo`: carrying one out;
//!   `reconcile`: settling what a run cut short left unsettled.
//!
//! Bulk changes: one [`NumberChange`] applied to many numbers, each as read-modify-write, with
//! bounded concurrency (the client's limiter paces the requests), every change journaled
//! (intent before the request, outcome after) under one batch id, progress reported as it
//! goes, and a stop that takes effect at once (changes already sent finish and are journaled,
//! nothing new leaves). No terminal here.

pub mod app_ops;
pub mod diff;
pub mod journal;
mod listed;
pub mod ops;
pub mod plan;
pub mod reconcile;
mod run;
pub mod undo;

pub use listed::update_listed;
pub use plan::{BulkPlan, plan};
pub use run::{Job, PAUSE_AFTER, StopFlag, run_each};

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::api::{ApiError, Client, NumberChange, NumberConfig, OwnedFilter};
use crate::journal::{Journal, RunEnd, RunPlan};

/// A number to act on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

    /// An application (an undo of its webhook change): no country, its id in `msisdn`.
    pub fn app(id: impl Into<String>) -> Target {
        Target {
            country: String::new(),
            msisdn: id.into(),
        }
    }

    /// True for an application's [`Target::app`].
    pub fn is_app(&self) -> bool {
        self.country.is_empty()
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
    /// (Undo) an application's webhooks changed from `before` to `after`.
    AppUpdated {
        before: crate::api::apps::AppWebhooks,
        after: crate::api::apps::AppWebhooks,
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
                | Outcome::AppUpdated { .. }
                | Outcome::Unchanged
                | Outcome::Cancelled
                | Outcome::Bought { .. }
        )
    }

    /// "ok", "failed", "skipped", "not started": for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Updated { .. } | Outcome::AppUpdated { .. } => "updated",
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
    /// The number this report is about (the one just finished), and what the account now
    /// holds for it: a caller shows each change as it lands, without waiting for the report.
    pub landed: Option<Landed>,
}

/// A number a run has just finished with.
#[derive(Clone, Debug, PartialEq)]
pub struct Landed {
    pub target: Target,
    pub now: Holds,
}

/// What the account holds for a number a run has just finished with.
#[derive(Clone, Debug, PartialEq)]
pub enum Holds {
    /// Its configuration is now this one.
    Config(NumberConfig),
    /// It was cancelled: no longer owned.
    Cancelled,
    /// It was bought back, with this configuration (when one was restored).
    Bought(Option<NumberConfig>),
    /// As before: failed, skipped, already as wanted, or not started.
    Same,
}

impl Landed {
    pub fn of(target: Target, outcome: &Outcome) -> Landed {
        let now = match outcome {
            Outcome::Updated { after, .. } => Holds::Config(after.clone()),
            Outcome::Cancelled => Holds::Cancelled,
            Outcome::Bought { config } => Holds::Bought(config.clone()),
            // An application's webhooks: no number of the list holds anything new.
            Outcome::AppUpdated { .. }
            | Outcome::Unchanged
            | Outcome::Failed(_)
            | Outcome::Skipped(_)
            | Outcome::NotStarted => Holds::Same,
        };
        Landed { target, now }
    }
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
    plan_started(
        journal.as_deref(),
        batch,
        change,
        &OwnedFilter::default(),
        &targets,
    );
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
    plan_ended(journal.as_deref(), batch, stopped);
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

/// Journals the plan of a run as it starts (its change, filter and targets), so a run cut
/// short can be resumed: [`reconcile::cut_short_run`]. A plan that cannot be written is
/// logged; the run's changes are journaled all the same.
fn plan_started(
    journal: Option<&Journal>,
    batch: Option<u64>,
    change: &NumberChange,
    filter: &OwnedFilter,
    targets: &[Target],
) {
    let (Some(j), Some(batch)) = (journal, batch) else {
        return;
    };
    let plan = RunPlan {
        batch,
        time: crate::journal::now(),
        change: change.clone(),
        filter: filter.clone(),
        targets: targets.to_vec(),
    };
    if let Err(e) = j.run_started(&plan) {
        tracing::warn!(error = %e, batch, "journal: cannot record the plan of a run");
    }
}

/// Journals the end of a run (finished, or stopped by the user).
fn plan_ended(journal: Option<&Journal>, batch: Option<u64>, stopped: bool) {
    let (Some(j), Some(batch)) = (journal, batch) else {
        return;
    };
    let how = if stopped {
        RunEnd::Stopped
    } else {
        RunEnd::Finished
    };
    if let Err(e) = j.run_ended(batch, how) {
        tracing::warn!(error = %e, batch, "journal: cannot record the end of a run");
    }
}
