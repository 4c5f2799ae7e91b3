//! Reconciling a run cut short (quit, crash, power): the journal's entries still at `intent`
//! may or may not have happened. Each number is read, and what the read shows is recorded as
//! the entry's status, so `history` tells the truth and `undo` acts on what really changed.
//! Then the rest of the run (the numbers of its plan that were never sent) can be resumed with
//! the same change, under the same batch (one undo covers both).

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::Arc;

use crate::api::apps::AppWebhooks;
use crate::api::{Before, Client, NumberConfig, NumberRef};
use crate::journal::{Contents, Entry, Journal, Kind, RunEnd, RunPlan, Status};

use super::{Progress, Report, StopFlag, Target};

/// What a run cut short left: changes at `intent`, and the rest of the run, if any.
#[derive(Clone, Debug, Default)]
pub struct CutShort {
    pub intents: usize,
    pub run: Option<Resumable>,
}

/// The rest of a run cut short: its plan, whose targets are the numbers never sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resumable {
    pub plan: RunPlan,
    /// The numbers the run set out to change.
    pub total: usize,
}

impl Resumable {
    pub fn batch(&self) -> u64 {
        self.plan.batch
    }
    pub fn rest(&self) -> &[Target] {
        &self.plan.targets
    }
}

/// The entries left at `intent`, read without decoding the other lines: a first pass finds
/// the ids that have an intent line, a second decodes only the lines of those ids (their
/// latest line says whether they were settled since).
pub fn unsettled(journal: &Journal) -> io::Result<Contents> {
    let ids = std::sync::Mutex::new(HashSet::new());
    let intent: &[u8] = b"\"status\":\"intent\"";
    journal.read_where(|line| {
        if line.windows(intent.len()).any(|w| w == intent)
            && let Some(id) = id_of(line)
        {
            ids.lock().unwrap_or_else(|e| e.into_inner()).insert(id);
        }
        false
    })?;
    let ids = ids.into_inner().unwrap_or_else(|e| e.into_inner());
    if ids.is_empty() {
        return Ok(Contents::default());
    }
    let mut contents =
        journal.read_where(|line| id_of(line).is_some_and(|id| ids.contains(&id)))?;
    contents.entries.retain(|e| e.status == Status::Intent);
    Ok(contents)
}

/// The id of a raw journal line (`{"id":12,...`: the first field).
fn id_of(line: &[u8]) -> Option<u64> {
    let rest = line.strip_prefix(b"{\"id\":")?;
    let end = rest.iter().position(|b| !b.is_ascii_digit())?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// The latest run cut short that has numbers never sent.
pub fn cut_short_run(journal: &Journal) -> io::Result<Option<Resumable>> {
    for plan in journal.runs_cut_short()?.into_iter().rev() {
        let entries = journal.read_batch(plan.batch)?;
        let rest = rest_of(&plan, &entries);
        if rest.is_empty() {
            continue;
        }
        let total = plan.targets.len();
        return Ok(Some(Resumable {
            plan: RunPlan {
                targets: rest,
                ..plan
            },
            total,
        }));
    }
    Ok(None)
}

/// The targets of `plan` still to do: those no entry of its batch names (never sent), and
/// those whose change was found not done when reconciled (it never reached the server).
fn rest_of(plan: &RunPlan, batch: &Contents) -> Vec<Target> {
    let handled: HashSet<&str> = batch
        .entries
        .iter()
        .filter(|e| e.batch == Some(plan.batch))
        .filter(|e| {
            !(e.status == Status::Failed
                && e.error
                    .as_deref()
                    .is_some_and(|w| w.starts_with(RECONCILED)))
        })
        .map(|e| e.msisdn.as_str())
        .collect();
    plan.targets
        .iter()
        .filter(|t| !handled.contains(t.msisdn.as_str()))
        .cloned()
        .collect()
}

/// How the note of a reconciled entry starts.
const RECONCILED: &str = "reconciled after a run cut short";

/// What a run cut short left, if anything.
pub fn find(journal: &Journal) -> io::Result<CutShort> {
    Ok(CutShort {
        intents: unsettled(journal)?.entries.len(),
        run: cut_short_run(journal)?,
    })
}

/// Resumes the rest of a run cut short: the same change on the numbers never sent, read from
/// the pages of the run's own filter, journaled under the run's batch.
pub async fn resume(
    client: &Client,
    journal: Arc<Journal>,
    run: &Resumable,
    known: &HashMap<String, NumberConfig>,
    stop: &StopFlag,
    progress: impl FnMut(Progress),
) -> Report {
    let plan = &run.plan;
    super::update_listed(
        client,
        Some(journal),
        Some(plan.batch),
        &plan.filter,
        plan.targets.clone(),
        &plan.change,
        known,
        stop,
        progress,
    )
    .await
}

/// The user chose not to resume the run: it is not offered again.
pub fn decline(journal: &Journal, batch: u64) -> io::Result<()> {
    journal.run_ended(batch, RunEnd::Declined)
}

/// The entries left at `intent` (their latest line), oldest first.
pub fn cut_short(contents: &Contents) -> Vec<&Entry> {
    contents
        .entries
        .iter()
        .filter(|e| e.status == Status::Intent)
        .collect()
}

/// One entry settled from a read of its number.
#[derive(Clone, Debug)]
pub struct Reconciled {
    pub entry: Entry,
    /// What was recorded (`Unknown` when the number could not be read or shows neither
    /// state).
    pub status: Status,
    pub why: String,
}

/// Reads the number (or application) of every entry left at `intent` and records what the read shows.
pub async fn reconcile(client: &Client, journal: &Journal, contents: &Contents) -> Vec<Reconciled> {
    let mut out = Vec::new();
    for e in cut_short(contents) {
        let (status, why) = if e.kind == Kind::App {
            settle_app(client, e).await
        } else {
            settle_number(client, e).await
        };
        let mut entry = e.clone();
        let note = format!("{RECONCILED}: {why}");
        if let Err(err) = journal.settle(&mut entry, status, Some(note)) {
            tracing::error!(error = %err, id = e.id, "journal: cannot record a reconciled entry");
        }
        out.push(Reconciled { entry, status, why });
    }
    out
}

/// What a read of the entry's number says of it.
async fn settle_number(client: &Client, e: &Entry) -> (Status, String) {
    let number = NumberRef {
        target_api_key: e.account.clone(),
        ..NumberRef::new(e.country.clone(), e.msisdn.clone())
    };
    match client.read_before(&number).await {
        Err(err) => (Status::Unknown, format!("could not be read: {err}")),
        Ok(Before::Unreadable) => (
            Status::Unknown,
            "a subaccount's number: cannot be read with these credentials".to_string(),
        ),
        Ok(now) => settle(e, &now),
    }
}

/// What a read of the entry's application says of it: its webhooks as the change would
/// leave them (done), as they were (failed), or neither.
async fn settle_app(client: &Client, e: &Entry) -> (Status, String) {
    let Some(a) = &e.app else {
        return (Status::Unknown, "no application recorded".into());
    };
    match client.application(&a.id).await {
        Err(err) => (Status::Unknown, format!("could not be read: {err}")),
        Ok(None) => (Status::Unknown, "no such application any more".into()),
        Ok(Some(app)) => {
            let now = AppWebhooks::of(&app);
            if now == a.after {
                (
                    Status::Done,
                    "the application holds the new webhooks".into(),
                )
            } else if now == a.before {
                (
                    Status::Failed,
                    "the application holds the old webhooks".into(),
                )
            } else {
                (
                    Status::Unknown,
                    "the application holds neither (changed since?)".into(),
                )
            }
        }
    }
}

/// What the number as read says of the entry.
fn settle(e: &Entry, now: &Before) -> (Status, String) {
    let owned = match now {
        Before::Owned(n) => Some(n),
        _ => None,
    };
    match e.kind {
        Kind::Buy if owned.is_some() => (Status::Done, "owned: the buy happened".into()),
        Kind::Buy => (Status::Failed, "not owned: the buy did not happen".into()),
        Kind::Cancel if owned.is_none() => (Status::Done, "not owned: the cancel happened".into()),
        Kind::Cancel => (
            Status::Failed,
            "still owned: the cancel did not happen".into(),
        ),
        Kind::App => (Status::Unknown, "not a number's change".into()),
        Kind::Update => {
            let Some(n) = owned else {
                return (Status::Unknown, "not owned any more".into());
            };
            let after = e.after.clone().unwrap_or_default();
            let read = NumberConfig::from_number(n, Some(&after));
            if read == after {
                (
                    Status::Done,
                    "the number holds the new configuration".into(),
                )
            } else if e.before.as_ref() == Some(&read) {
                (
                    Status::Failed,
                    "the number holds the old configuration".into(),
                )
            } else {
                (
                    Status::Unknown,
                    "the number holds neither configuration (changed since?)".into(),
                )
            }
        }
    }
}

/// What a change sets and clears, one field a line (`sms-url = https://…`, `voice removed`).
pub fn change_lines(change: &crate::api::NumberChange) -> Vec<String> {
    use crate::api::{Change, Field};
    fn line<T>(field: Field, c: &Change<T>, show: impl Fn(&T) -> String) -> Option<String> {
        match c {
            Change::Keep => None,
            Change::Set(v) => Some(format!("{} = {}", field.name(), show(v))),
            Change::Clear => Some(format!("{} removed", field.name())),
        }
    }
    let text = |v: &String| v.clone();
    [
        line(Field::AppId, &change.app_id, text),
        line(Field::SmsUrl, &change.mo_http_url, text),
        line(Field::SmppSysType, &change.mo_smpp_sys_type, text),
        line(Field::Voice, &change.voice, |v| {
            format!("{}:{}", v.kind, v.value)
        }),
        line(Field::VoiceStatusUrl, &change.voice_status_callback, text),
        change
            .clear_messages
            .then(|| format!("{} removed", Field::Messages.name())),
    ]
    .into_iter()
    .flatten()
    .collect()
}
