//! Reconciling a run cut short (quit, crash, power): the journal's entries still at `intent`
//! may or may not have happened. Each number is read, and what the read shows is recorded as
//! the entry's status, so `history` tells the truth and `undo` acts on what really changed.

use crate::api::apps::AppWebhooks;
use crate::api::{Before, Client, NumberConfig, NumberRef};
use crate::journal::{Contents, Entry, Journal, Kind, Status};

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
        let note = format!("reconciled after a run cut short: {why}");
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
