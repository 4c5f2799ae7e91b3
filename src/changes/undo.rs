//! Carries out an undo planned by [`crate::journal::plan`]: each number is put back as the
//! journal recorded it (an update restored field by field, a buy cancelled, a cancel bought
//! back), as one journaled run, so the undo can itself be undone. A number that changed since
//! the change is left alone unless `force`. Used by the CLI and the TUI's worker.

use std::collections::HashMap;
use std::sync::Arc;

use crate::api::{ApiError, Client, NumberConfig, NumberRef, Operation};
use crate::bulk::{self, ItemResult, Outcome, Progress, Report, StopFlag, Target, run_each};
use crate::journal::{Entry, Journal, Kind, Plan, Status, Step, UndoAction, now as now_secs};

/// A step acts on its entry's number.
impl bulk::Job for Step {
    fn target(&self) -> Target {
        Target::new(self.entry.country.clone(), self.entry.msisdn.clone())
    }
}

/// Undoes every step of `plan`, at most the client's concurrency at once.
pub async fn run(
    client: &Client,
    journal: Arc<Journal>,
    plan: &Plan,
    force: bool,
    stop: &StopFlag,
    progress: impl FnMut(Progress),
) -> Report {
    let started = std::time::Instant::now();
    let batch = journal.next_id();
    let steps = plan.steps.clone();
    // Steps on the same number (a change whose answer was lost, then its retry) run one after
    // the other: side by side, both would read the number before either restored it, and
    // both would send.
    let locks: HashMap<String, Arc<tokio::sync::Mutex<()>>> = steps
        .iter()
        .map(|s| (subject(s).msisdn, Arc::default()))
        .collect();
    let (outcomes, stopped) = run_each(steps.clone(), client.concurrency(), stop, progress, |s| {
        let client = client.clone();
        let journal = journal.clone();
        let lock = locks.get(&subject(&s).msisdn).cloned().unwrap_or_default();
        async move {
            let _one_at_a_time = lock.lock().await;
            undo_step(&client, &journal, batch, &s, force).await
        }
    })
    .await;
    Report {
        batch: Some(batch),
        items: steps
            .into_iter()
            .zip(outcomes)
            .map(|(s, outcome)| ItemResult {
                target: subject(&s),
                outcome,
            })
            .collect(),
        stopped,
        elapsed: started.elapsed(),
    }
}

/// What a step puts back: its number, or its application.
fn subject(s: &Step) -> Target {
    match &s.action {
        UndoAction::RestoreApp { id, .. } => Target::app(id.clone()),
        _ => Target::new(s.entry.country.clone(), s.entry.msisdn.clone()),
    }
}

/// The fields that differ between what the number holds and what was expected, for the
/// "changed since" message.
fn differences(now: &NumberConfig, expected: &NumberConfig) -> String {
    expected
        .diff(now)
        .into_iter()
        .map(|(f, e, n)| {
            format!(
                "{f} is {} (expected {})",
                n.unwrap_or("(none)"),
                e.unwrap_or("(none)")
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn undo_step(
    client: &Client,
    journal: &Journal,
    batch: u64,
    step: &Step,
    force: bool,
) -> Outcome {
    let e = &step.entry;
    let number = (e.country.as_str(), e.msisdn.as_str());
    let undoes = Some(e.id);
    match &step.action {
        UndoAction::Restore { config, expect } => {
            let current = match client.find_owned(&e.country, &e.msisdn).await {
                Ok(Some(n)) => n,
                Ok(None) => {
                    return Outcome::Failed(
                        ApiError::NotOwned {
                            op: Operation::Update,
                            country: e.country.clone(),
                            msisdn: e.msisdn.clone(),
                        }
                        .into(),
                    );
                }
                Err(err) => return Outcome::Failed(err.into()),
            };
            // What the API does not return is taken as the change left it.
            let now = NumberConfig::from_number(&current, Some(expect));
            if now == *config {
                // Already as before (the change never landed): recorded as undone, with
                // nothing sent, so the entry is not offered again.
                let entry = Entry {
                    id: journal.next_id(),
                    time: now_secs(),
                    batch: Some(batch),
                    kind: Kind::Update,
                    app: None,
                    account: None,
                    country: e.country.clone(),
                    msisdn: e.msisdn.clone(),
                    before: Some(now.clone()),
                    after: Some(now),
                    status: Status::Done,
                    error: None,
                    undoes,
                };
                if let Err(err) = journal.append(&entry) {
                    tracing::warn!(error = %err, "journal: cannot record an undo with nothing to send");
                }
                return Outcome::Unchanged;
            }
            if now != *expect && !force {
                return Outcome::Skipped(format!(
                    "changed since #{}: {}; not restored (force to overwrite)",
                    e.id,
                    differences(&now, expect)
                ));
            }
            match bulk::ops::send(
                client,
                Some(journal),
                Some(batch),
                number,
                &now,
                config,
                undoes,
            )
            .await
            {
                Ok(lost) => Outcome::Updated {
                    before: now,
                    after: config.clone(),
                    warnings: lost.into_iter().collect(),
                },
                Err(err) => Outcome::Failed(err),
            }
        }
        UndoAction::RestoreApp { id, hooks, expect } => {
            let restore = bulk::app_ops::Restore {
                id,
                hooks,
                expect,
                undoes: e.id,
            };
            bulk::app_ops::undo_app(client, journal, batch, restore, force).await
        }
        UndoAction::Cancel => {
            // For the account the buy was made for; a number not owned is left alone.
            let n = number_ref(e);
            let known = e.after.as_ref();
            match bulk::ops::cancel(client, Some(journal), Some(batch), &n, known, undoes).await {
                Ok(s) if s.already => Outcome::Skipped("not owned any more".into()),
                Ok(_) => Outcome::Cancelled,
                Err(err) => Outcome::Failed(err),
            }
        }
        UndoAction::Buy { config } => {
            let n = number_ref(e);
            match bulk::ops::buy(client, Some(journal), Some(batch), &n, undoes).await {
                Ok(s) if s.already => return Outcome::Skipped("owned again already".into()),
                Ok(_) => {}
                Err(err) => return Outcome::Failed(err),
            }
            if let Some(config) = config {
                let empty = NumberConfig::default();
                if let Err(err) = bulk::ops::send(
                    client,
                    Some(journal),
                    Some(batch),
                    number,
                    &empty,
                    config,
                    None,
                )
                .await
                {
                    return Outcome::Failed(err);
                }
            }
            Outcome::Bought {
                config: config.clone(),
            }
        }
    }
}

/// The number of an entry, in the account the change was made for.
fn number_ref(e: &Entry) -> NumberRef {
    NumberRef {
        target_api_key: e.account.clone(),
        ..NumberRef::new(e.country.clone(), e.msisdn.clone())
    }
}
