//! Running many changes: at most the client's concurrency at once, a stop that takes effect
//! at once, a pause when the API is away, progress after each number.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use crate::api::ApiError;

use super::{ItemError, Landed, Outcome, Progress, Target};

/// An item of a run: the number it acts on (what each progress report names).
pub trait Job {
    fn target(&self) -> Target;
}

/// A number with what the API does not return of it.
impl Job for (Target, Option<crate::api::NumberConfig>) {
    fn target(&self) -> Target {
        self.0.clone()
    }
}

/// An update prepared from the listing.
impl Job for crate::api::UpdateOutcome {
    fn target(&self) -> Target {
        Target::new(self.country.clone(), self.msisdn.clone())
    }
}

/// Controls a run: stop (no new request leaves; changes already sent finish and are
/// journaled), pause and resume. Also counts the changes in flight. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct StopFlag(Arc<Control>);

#[derive(Debug, Default)]
struct Control {
    /// Whether someone can resume a pause (the TUI's run panel; the CLI stops instead). A run
    /// nobody can resume never pauses: it would wait for ever.
    pausable: bool,
    stopped: AtomicBool,
    paused: std::sync::Mutex<Option<String>>,
    finishing: AtomicUsize,
    /// Resumes so far: a failure of a request sent before the last resume does not count
    /// towards the next pause.
    resumes: AtomicUsize,
    wake: tokio::sync::Notify,
}

impl StopFlag {
    /// A run that goes on through failures (each is reported): for a caller that cannot
    /// resume a pause.
    pub fn new() -> StopFlag {
        StopFlag::default()
    }
    /// A run that pauses after [`PAUSE_AFTER`] failures of the network or the server in a
    /// row, until [`StopFlag::resume`] or [`StopFlag::stop`]: for a caller that watches the
    /// progress and can do either.
    pub fn pausable() -> StopFlag {
        StopFlag(Arc::new(Control {
            pausable: true,
            ..Control::default()
        }))
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
        self.0.resumes.fetch_add(1, Ordering::SeqCst);
        self.0.wake.notify_waiters();
    }
    fn resumes(&self) -> usize {
        self.0.resumes.load(Ordering::SeqCst)
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
/// finishes (naming it and what the account now holds for it). Once `stop` is set no new item starts; those are `NotStarted`. After
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
    T: Job + Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    let started = Instant::now();
    let total = items.len();
    let targets: Vec<Target> = items.iter().map(Job::target).collect();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; total];
    let mut tasks = tokio::task::JoinSet::new();
    let mut pending = items.into_iter().enumerate();
    let (mut done, mut failed, mut away) = (0, 0, 0);
    let mut stopped = false;
    let mut resumed_at = stop.resumes();
    let report = |done, failed, landed| Progress {
        done,
        failed,
        total,
        elapsed: started.elapsed(),
        stopping: stop.is_stopped(),
        finishing: stop.finishing(),
        paused: stop.paused(),
        landed: Some(landed),
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
            let epoch = stop.resumes();
            tasks.spawn(async move { (i, epoch, fut.await) });
        }
        let Some(joined) = tasks.join_next().await else {
            if stop.paused().is_some() && !stop.is_stopped() && !stopped {
                continue;
            }
            break;
        };
        let (i, epoch, outcome) = match joined {
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
        // Resumed since: the failures that paused the run start over.
        if stop.resumes() != resumed_at {
            resumed_at = stop.resumes();
            away = 0;
        }
        // A request sent before the resume failing now says nothing of the API since.
        if api_away(&outcome) && epoch == resumed_at {
            away += 1;
            if away >= PAUSE_AFTER
                && stop.0.pausable
                && stop.paused().is_none()
                && !stop.is_stopped()
            {
                let why = format!(
                    "paused after {away} failures in a row: {}",
                    outcome.reason().unwrap_or_default()
                );
                tracing::warn!(why = %why, "bulk run paused");
                stop.pause(why);
            }
        } else if !api_away(&outcome) && !matches!(outcome, Outcome::NotStarted) {
            away = 0;
        }
        let landed = Landed::of(targets[i].clone(), &outcome);
        outcomes[i] = Some(outcome);
        progress(report(done, failed, landed));
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
