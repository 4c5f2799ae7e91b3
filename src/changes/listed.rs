//! A bulk update that uses the listing as the read of read-modify-write: the pages of the
//! list the targets come from are read one at a time as the run goes (each page just before
//! its numbers are sent, the next one read meanwhile), and each number found there is sent
//! from what its page shows: about one request per number instead of two. A number no page
//! showed (pages shift as numbers come and go) is read on its own, as [`super::update_all`]
//! does; so is every number when reading pages would cost more than reading them one by one.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use crate::api::{
    ApiError, Client, MAX_PAGE, NumberChange, NumberConfig, OwnedFilter, OwnedNumber, OwnedQuery,
    Page, UpdateOutcome,
};
use crate::journal::Journal;

use super::{ItemResult, Outcome, Progress, Report, StopFlag, Target, ops, run_each};

/// Applies `change` to every target, journaled under one batch (a new one, or `batch`), each
/// number read from the pages of `filter` (the list the targets were chosen from) as the run
/// goes. `known` holds values the API does not return, by msisdn.
#[allow(clippy::too_many_arguments)]
pub async fn update_listed(
    client: &Client,
    journal: Option<Arc<Journal>>,
    batch: Option<u64>,
    filter: &OwnedFilter,
    targets: Vec<Target>,
    change: &NumberChange,
    known: &HashMap<String, NumberConfig>,
    stop: &StopFlag,
    mut progress: impl FnMut(Progress),
) -> Report {
    let started = Instant::now();
    let batch = journal
        .as_ref()
        .map(|j| batch.unwrap_or_else(|| j.next_id()));
    super::plan_started(journal.as_deref(), batch, change, filter, &targets);
    let total = targets.len();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; total];
    let mut wanted: HashMap<String, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.msisdn.clone(), i))
        .collect();
    let (mut done, mut failed) = (0, 0);
    let mut report_progress = |p: Progress, done: usize, failed: usize| {
        progress(Progress {
            done: done + p.done,
            failed: failed + p.failed,
            total,
            elapsed: started.elapsed(),
            ..p
        })
    };
    let read = |index: u32| {
        let client = client.clone();
        let query = OwnedQuery {
            filter: filter.clone(),
            size: MAX_PAGE,
            index,
        };
        tokio::spawn(async move { client.list_owned(&query).await })
    };
    let mut index = 1;
    let mut next = Some(read(index));
    let mut pages_read = 0usize;
    // Reads of the page at hand that failed (the API was away while it was read ahead).
    let mut failed_reads = 0;
    while let Some(pending) = next.take() {
        let page: Result<Page<OwnedNumber>, ApiError> = match pending.await {
            Ok(page) => page,
            Err(e) => Err(ApiError::Config(format!("page task: {e}"))),
        };
        pages_read += 1;
        let Ok(page) = page else {
            // Read again (the run goes on after a pause: the API is back), a few times;
            // then the numbers of the pages not read are read one by one below (two
            // requests each: half the pace).
            failed_reads += 1;
            if failed_reads < PAGE_READS && !stop.is_stopped() {
                next = Some(read(index));
                continue;
            }
            break;
        };
        failed_reads = 0;
        let pages_total = page.count.div_ceil(MAX_PAGE as u64);
        // The next page while this one's numbers are sent, if it is worth reading: while
        // the pages read stay fewer than the numbers left (else one read each is cheaper).
        let left = wanted.len().saturating_sub(page.numbers.len());
        if (index as u64) < pages_total && left > 0 && pages_read < left && !stop.is_stopped() {
            index += 1;
            next = Some(read(index));
        }
        let jobs: Vec<(usize, UpdateOutcome)> = page
            .numbers
            .iter()
            .filter_map(|n| {
                let i = wanted.remove(n.msisdn.as_deref()?)?;
                Some((i, prepared(&targets[i], n, change, known)))
            })
            .filter_map(|(i, p)| match p {
                Ok(p) => Some((i, p)),
                Err(e) => {
                    outcomes[i] = Some(Outcome::Failed(e.into()));
                    None
                }
            })
            .collect();
        let (indexes, jobs): (Vec<usize>, Vec<UpdateOutcome>) = jobs.into_iter().unzip();
        let (chunk, _) = run_each(
            jobs,
            client.concurrency(),
            stop,
            |p| report_progress(p, done, failed),
            |p| {
                let (client, journal, stop) = (client.clone(), journal.clone(), stop.clone());
                async move {
                    let run = ops::Run {
                        journal: journal.as_deref(),
                        batch,
                        stop: &stop,
                    };
                    outcome_of(ops::finish_update(&client, run, p).await)
                }
            },
        )
        .await;
        for (i, o) in indexes.into_iter().zip(chunk) {
            if !matches!(o, Outcome::NotStarted) {
                done += 1;
            }
            if matches!(o, Outcome::Failed(_)) {
                failed += 1;
            }
            outcomes[i] = Some(o);
        }
        if stop.is_stopped() {
            break;
        }
    }
    // What no page showed (or was not worth a page), read one by one.
    let mut rest: Vec<usize> = wanted.into_values().collect();
    rest.sort_unstable();
    if !rest.is_empty() && !stop.is_stopped() {
        let jobs: Vec<(Target, Option<NumberConfig>)> = rest
            .iter()
            .map(|i| (targets[*i].clone(), known.get(&targets[*i].msisdn).cloned()))
            .collect();
        let (each, _) = run_each(
            jobs,
            client.concurrency(),
            stop,
            |p| report_progress(p, done, failed),
            |(t, k)| {
                let (client, journal, stop) = (client.clone(), journal.clone(), stop.clone());
                let change = change.clone();
                async move {
                    let run = ops::Run {
                        journal: journal.as_deref(),
                        batch,
                        stop: &stop,
                    };
                    outcome_of(
                        ops::update_in_run(
                            &client,
                            run,
                            &t.country,
                            &t.msisdn,
                            &change,
                            k.as_ref(),
                        )
                        .await,
                    )
                }
            },
        )
        .await;
        for (i, o) in rest.into_iter().zip(each) {
            outcomes[i] = Some(o);
        }
    }
    let stopped = stop.is_stopped()
        && outcomes
            .iter()
            .any(|o| o.as_ref().is_none_or(|o| matches!(o, Outcome::NotStarted)));
    super::plan_ended(journal.as_deref(), batch, stopped);
    Report {
        batch,
        items: targets
            .into_iter()
            .zip(outcomes)
            .map(|(target, outcome)| ItemResult {
                target,
                outcome: outcome.unwrap_or(Outcome::NotStarted),
            })
            .collect(),
        stopped,
        elapsed: started.elapsed(),
    }
}

/// Reads of one page before its numbers are read one by one instead.
const PAGE_READS: usize = 3;

/// The update of `target` from `listed`, its row of a page just read.
fn prepared(
    target: &Target,
    listed: &OwnedNumber,
    change: &NumberChange,
    known: &HashMap<String, NumberConfig>,
) -> Result<UpdateOutcome, ApiError> {
    change.validate()?;
    let k = known.get(&target.msisdn);
    let before = NumberConfig::from_number(listed, k);
    let after = change.apply_to(&before)?;
    Ok(UpdateOutcome {
        country: crate::api::validate::country(&target.country)?,
        msisdn: target.msisdn.clone(),
        before,
        after,
        warnings: change.warnings(listed, k),
    })
}

fn outcome_of(result: Result<Option<UpdateOutcome>, super::ItemError>) -> Outcome {
    match result {
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
