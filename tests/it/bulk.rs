//! The bulk engine and undo against a sandbox over loopback, with injected faults: every number
//! ends updated (checked in the sandbox's own state) or reported failed and untouched; the
//! journal holds an outcome for each; a retry of the failed gets the rest; undo restores
//! every number's previous configuration exactly, values the API does not return included
//! when the journal knew them; a stop leaves the rest not started.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::common::{MAIN_KEY, TempDir};
use switchboard::api::{Change, ClientConfig, NumberChange};
use switchboard::bulk::{self, Outcome, StopFlag, Target};
use switchboard::journal::{self, Journal, Status};
use switchboard::sandbox::{Faults, NumberRecord};

const NEW_URL: &str = "https://hooks.example.com/bulk/v2";

fn sms_change() -> NumberChange {
    NumberChange {
        mo_http_url: Change::Set(NEW_URL.into()),
        ..Default::default()
    }
}

/// `n` numbers without values the API hides (so their records can be compared whole).
fn pick(records: &[NumberRecord], n: usize) -> Vec<NumberRecord> {
    records
        .iter()
        .filter(|r| r.voice_status_callback.is_none() && r.mo_smpp_sys_type.is_none())
        .filter(|r| r.mo_http_url.as_deref() != Some(NEW_URL))
        .take(n)
        .cloned()
        .collect()
}

fn record(sb: &switchboard::sandbox::Sandbox, m: &str) -> NumberRecord {
    sb.owned_number(MAIN_KEY, m).expect("still owned")
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_under_faults_then_retry_then_undo_restores_every_number_exactly() {
    let sb = crate::common::sandbox(1500, 71).await;
    let all = crate::common::all_owned(&crate::common::client(&sb)).await;
    let picked = pick(&crate::common::records(&sb, MAIN_KEY, &all), 300);
    assert_eq!(picked.len(), 300);
    let dir = TempDir::new("bulk-faults");
    let journal = Arc::new(Journal::open(&dir.path().join("j.jsonl")).unwrap());

    // Twenty of them get a voiceStatusCallback through switchboard first: the API will not
    // return it, the journal knows it, and the bulk update must keep it.
    let status_url = "https://hooks.example.com/voice/status";
    let c = crate::common::client(&sb);
    for r in &picked[..20] {
        let change = NumberChange {
            voice_status_callback: Change::Set(status_url.into()),
            ..Default::default()
        };
        bulk::ops::update(
            &c,
            Some(&journal),
            None,
            &r.country,
            &r.msisdn,
            &change,
            None,
        )
        .await
        .expect("set the status callback");
    }
    let before: HashMap<String, NumberRecord> = picked
        .iter()
        .map(|r| (r.msisdn.clone(), record(&sb, &r.msisdn)))
        .collect();
    assert_eq!(
        before[&picked[0].msisdn].voice_status_callback.as_deref(),
        Some(status_url)
    );

    // Faults answered before any state change, a short timeout, one retry: some numbers fail.
    sb.set_faults(Faults {
        rate_500: 0.08,
        rate_503: 0.04,
        rate_429: 0.05,
        // Without Retry-After: a 429 with one holds every request for a second, which only
        // slows the test down.
        rate_429_no_retry_after: true,
        rate_error_in_200: 0.04,
        rate_malformed: 0.03,
        ..Faults::default()
    });
    let client = crate::common::client_with(
        &sb,
        ClientConfig {
            timeout: Duration::from_secs(2),
            max_retries: 1,
            rate: Some(400.0),
            ..ClientConfig::default()
        },
    );
    let known = journal::known_configs(&journal.read().unwrap());
    assert_eq!(known.len(), 20);
    let targets: Vec<Target> = picked
        .iter()
        .map(|r| Target::new(r.country.clone(), r.msisdn.clone()))
        .collect();
    let mut seen = Vec::new();
    let report = bulk::update_all(
        &client,
        Some(journal.clone()),
        None,
        targets.clone(),
        &sms_change(),
        &known,
        &StopFlag::new(),
        |p| seen.push(p),
    )
    .await;
    sb.set_faults(Faults::default());
    let batch = report.batch.expect("a journal run");
    assert_eq!(report.items.len(), 300);
    assert!(!report.stopped);
    assert_eq!(seen.len(), 300, "progress after every number");
    assert_eq!(seen.last().unwrap().done, 300);
    assert!(report.failed() > 0, "the faults made some numbers fail");
    assert!(report.ok() > 200, "most went through: {}", report.ok());
    assert_eq!(report.ok() + report.failed(), 300);

    let contents = journal.read().unwrap();
    assert_eq!(contents.skipped, 0);
    for item in &report.items {
        let m = &item.target.msisdn;
        let was = &before[m];
        let now = record(&sb, m);
        let entries: Vec<_> = contents
            .entries
            .iter()
            .filter(|e| e.batch == Some(batch) && &e.msisdn == m)
            .collect();
        match &item.outcome {
            Outcome::Updated { after, .. } => {
                let mut expected = was.clone();
                expected.mo_http_url = Some(NEW_URL.into());
                assert_eq!(now, expected, "{m}: only the SMS URL changed");
                assert_eq!(after.voice_status_callback, was.voice_status_callback);
                assert_eq!(entries.len(), 1, "{m}: {entries:?}");
                assert_eq!(entries[0].status, Status::Done);
            }
            Outcome::Failed(e) => {
                assert_eq!(&now, was, "{m} failed ({e}) and is untouched");
                // Failed at the read (no entry) or at the update (a settled entry: failed, or
                // unknown after a 500, which may hide a change; here the sandbox shows none).
                for e in &entries {
                    assert!(
                        matches!(e.status, Status::Failed | Status::Unknown),
                        "{m}: {e:?}"
                    );
                    assert!(e.error.is_some());
                }
            }
            other => panic!("{m}: unexpected {other:?}"),
        }
    }
    assert!(
        !contents.entries.iter().any(|e| e.status == Status::Intent),
        "every intent has its outcome"
    );
    // The secret never reaches the journal.
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(!text.contains(&sb.config().api_secret));

    // Retry the failed ones, in the same run: all go through now.
    let retry = report.retryable();
    assert_eq!(retry.len(), report.failed());
    let again = bulk::update_all(
        &client,
        Some(journal.clone()),
        Some(batch),
        retry,
        &sms_change(),
        &known,
        &StopFlag::new(),
        |_| {},
    )
    .await;
    assert_eq!(again.batch, Some(batch));
    assert_eq!(again.failed(), 0, "{:?}", again.items);
    for t in &targets {
        assert_eq!(record(&sb, &t.msisdn).mo_http_url.as_deref(), Some(NEW_URL));
    }

    // Undo the run: every number exactly as before, hidden values included.
    let plan = journal::plan(&journal.read().unwrap(), None).unwrap();
    assert!(plan.is_batch);
    assert_eq!(plan.target, batch);
    // Every number once, plus the updates whose answer was lost (a 500 may hide a change):
    // those may have happened, so they are undone too (found already as before).
    let distinct: std::collections::HashSet<&str> =
        plan.steps.iter().map(|s| s.entry.msisdn.as_str()).collect();
    assert_eq!(distinct.len(), 300);
    let undone = switchboard::undo::run(
        &client,
        journal.clone(),
        &plan,
        false,
        &StopFlag::new(),
        |_| {},
    )
    .await;
    assert_eq!(undone.ok(), plan.steps.len(), "{:?}", undone.items);
    let updated: Vec<_> = undone
        .items
        .iter()
        .filter(|i| matches!(i.outcome, Outcome::Updated { .. }))
        .collect();
    assert_eq!(updated.len(), 300, "{updated:#?}\nplan: {:#?}", plan.steps);
    for t in &targets {
        assert_eq!(record(&sb, &t.msisdn), before[&t.msisdn], "{}", t.msisdn);
    }
    // Undoing it again is refused; undoing the undo is possible (it is journaled).
    let contents = journal.read().unwrap();
    assert!(matches!(
        journal::plan(&contents, Some(batch)),
        Err(journal::PlanError::BatchSpent(_))
    ));
    let redo = journal::plan(&contents, None).unwrap();
    assert_eq!(redo.target, undone.batch.unwrap());
    let distinct: std::collections::HashSet<&str> =
        redo.steps.iter().map(|s| s.entry.msisdn.as_str()).collect();
    assert_eq!(distinct.len(), 300);
    assert_eq!(contents.skipped, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stop_finishes_the_numbers_in_flight_and_starts_no_new_one() {
    let sb = crate::common::sandbox(400, 72).await;
    let all = crate::common::all_owned(&crate::common::client(&sb)).await;
    let picked = pick(&crate::common::records(&sb, MAIN_KEY, &all), 200);
    sb.set_latency(Duration::from_millis(30));
    let dir = TempDir::new("bulk-stop");
    let journal = Arc::new(Journal::open(&dir.path().join("j.jsonl")).unwrap());
    let client = crate::common::client(&sb);
    let stop = StopFlag::new();
    let targets: Vec<Target> = picked
        .iter()
        .map(|r| Target::new(r.country.clone(), r.msisdn.clone()))
        .collect();
    let report = bulk::update_all(
        &client,
        Some(journal.clone()),
        None,
        targets,
        &sms_change(),
        &HashMap::new(),
        &stop,
        |p| {
            if p.done == 40 {
                stop.stop();
            }
        },
    )
    .await;
    assert!(report.stopped);
    let ok = report.ok();
    assert!(
        (40..40 + client.concurrency()).contains(&ok),
        "{ok} ok: those in flight at the stop finish"
    );
    assert_eq!(report.not_started() + ok, 200);
    let contents = journal.read().unwrap();
    let done: Vec<_> = contents
        .entries
        .iter()
        .filter(|e| e.status == Status::Done)
        .collect();
    assert_eq!(done.len(), ok);
    for item in &report.items {
        let now = record(&sb, &item.target.msisdn);
        match item.outcome {
            Outcome::NotStarted => assert_ne!(now.mo_http_url.as_deref(), Some(NEW_URL)),
            _ => assert_eq!(now.mo_http_url.as_deref(), Some(NEW_URL)),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn undo_leaves_a_number_changed_since_alone_unless_forced() {
    let sb = crate::common::sandbox(50, 73).await;
    let all = crate::common::all_owned(&crate::common::client(&sb)).await;
    let picked = pick(&crate::common::records(&sb, MAIN_KEY, &all), 3);
    let dir = TempDir::new("bulk-since");
    let journal = Arc::new(Journal::open(&dir.path().join("j.jsonl")).unwrap());
    let client = crate::common::client(&sb);
    let targets: Vec<Target> = picked
        .iter()
        .map(|r| Target::new(r.country.clone(), r.msisdn.clone()))
        .collect();
    let report = bulk::update_all(
        &client,
        Some(journal.clone()),
        None,
        targets,
        &sms_change(),
        &HashMap::new(),
        &StopFlag::new(),
        |_| {},
    )
    .await;
    assert_eq!(report.ok(), 3);
    // Someone else changes the first number afterwards (not through this journal).
    let other = NumberChange {
        app_id: Change::Set("someone-else".into()),
        ..Default::default()
    };
    client
        .update(&picked[0].country, &picked[0].msisdn, &other, None)
        .await
        .unwrap();
    let plan = journal::plan(&journal.read().unwrap(), None).unwrap();
    let undone = switchboard::undo::run(
        &client,
        journal.clone(),
        &plan,
        false,
        &StopFlag::new(),
        |_| {},
    )
    .await;
    assert_eq!((undone.ok(), undone.skipped()), (2, 1));
    let changed = record(&sb, &picked[0].msisdn);
    assert_eq!(
        changed.app_id.as_deref(),
        Some("someone-else"),
        "not clobbered"
    );
    assert_eq!(changed.mo_http_url.as_deref(), Some(NEW_URL));
    assert_eq!(record(&sb, &picked[1].msisdn), picked[1]);
    // Forced: the remaining entry is restored.
    let plan = journal::plan(&journal.read().unwrap(), Some(report.batch.unwrap())).unwrap();
    assert_eq!(plan.steps.len(), 1);
    let forced = switchboard::undo::run(
        &client,
        journal.clone(),
        &plan,
        true,
        &StopFlag::new(),
        |_| {},
    )
    .await;
    assert_eq!(forced.ok(), 1);
    assert_eq!(record(&sb, &picked[0].msisdn), picked[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn undoing_a_buy_cancels_it_and_undoing_that_buys_it_back() {
    let sb = crate::common::sandbox(5, 74).await;
    let (available, _) = crate::common::available_and_owned(&sb).await;
    let dir = TempDir::new("bulk-buy");
    let journal = Arc::new(Journal::open(&dir.path().join("j.jsonl")).unwrap());
    let client = crate::common::client(&sb);
    let number = switchboard::api::NumberRef::new("GB", available.clone());
    bulk::ops::buy(&client, Some(&journal), None, &number, None)
        .await
        .unwrap();
    assert!(sb.owned_number(MAIN_KEY, &available).is_some());
    let plan = journal::plan(&journal.read().unwrap(), None).unwrap();
    assert_eq!(plan.cancels(), vec![available.as_str()]);
    let r = switchboard::undo::run(
        &client,
        journal.clone(),
        &plan,
        false,
        &StopFlag::new(),
        |_| {},
    )
    .await;
    assert!(matches!(r.items[0].outcome, Outcome::Cancelled));
    assert!(sb.owned_number(MAIN_KEY, &available).is_none());
    assert!(sb.is_available("GB", &available));
    // The undo is journaled: undoing it buys the number back.
    let plan = journal::plan(&journal.read().unwrap(), None).unwrap();
    assert_eq!(plan.buys(), vec![available.as_str()]);
    let r = switchboard::undo::run(
        &client,
        journal.clone(),
        &plan,
        false,
        &StopFlag::new(),
        |_| {},
    )
    .await;
    assert!(
        matches!(r.items[0].outcome, Outcome::Bought { .. }),
        "{r:?}"
    );
    assert!(sb.owned_number(MAIN_KEY, &available).is_some());
}

/// A change whose answer was lost, then its retry: two journal entries on one number in one
/// run. Undoing the run restores the number once; the second step finds it already as before
/// (side by side, both would have read the changed number and both sent).
#[tokio::test(flavor = "multi_thread")]
async fn two_entries_on_one_number_are_undone_one_after_the_other() {
    let sb = crate::common::sandbox(40, 72).await;
    let client = crate::common::client(&sb);
    let all = crate::common::all_owned(&client).await;
    let target = pick(&crate::common::records(&sb, MAIN_KEY, &all), 1).remove(0);
    let (country, msisdn) = (target.country.clone(), target.msisdn.clone());
    let dir = TempDir::new("bulk-twice");
    let journal = Arc::new(Journal::open(&dir.path().join("j.jsonl")).unwrap());
    let report = bulk::update_all(
        &client,
        Some(journal.clone()),
        None,
        vec![Target::new(&country, &msisdn)],
        &sms_change(),
        &HashMap::new(),
        &StopFlag::new(),
        |_| {},
    )
    .await;
    assert_eq!(report.ok(), 1);
    // The lost first attempt, as the journal records it: the same change, outcome unknown.
    let contents = journal.read().unwrap();
    let done = contents.entries.last().unwrap().clone();
    let mut lost = done.clone();
    lost.id = journal.next_id();
    lost.status = Status::Unknown;
    lost.error = Some("HTTP 500 (answer lost)".into());
    journal.append(&lost).unwrap();

    let plan = journal::plan(&journal.read().unwrap(), None).unwrap();
    assert_eq!(plan.steps.len(), 2, "{:#?}", plan.steps);
    // Reads slow enough that two steps side by side would both read before either writes.
    sb.set_latency(Duration::from_millis(150));
    let undone = switchboard::undo::run(
        &client,
        journal.clone(),
        &plan,
        false,
        &StopFlag::new(),
        |_| {},
    )
    .await;
    let updated = undone.count(|o| matches!(o, Outcome::Updated { .. }));
    assert_eq!(updated, 1, "{:#?}", undone.items);
    assert_eq!(undone.count(|o| matches!(o, Outcome::Unchanged)), 1);
    assert_eq!(record(&sb, &msisdn), target, "restored exactly");
}
