//! An application's webhooks changed, journaled like a number's update: the application is
//! read, the change applied to its five webhooks, the intent (the webhooks before and after)
//! synced to the journal before the `PUT` leaves, the outcome after it; an answer lost or
//! refused is settled by reading the application back. Only the webhooks changed are written
//! into the application as read: every other field and capability goes back untouched.

use crate::api::apps::{AppWebhookChange, AppWebhooks, Application};
use crate::api::{ApiError, Client, Operation};
use crate::journal::{AppChange, Entry, Journal, Kind, Status, now as now_secs};

use super::ItemError;
use super::ops::settle;

/// An application's change, as it ended.
#[derive(Clone, Debug)]
pub struct AppOutcome {
    /// The application as read before the change.
    pub before: Application,
    /// The application as the server answered (as read when nothing was sent).
    pub after: Application,
    /// Its five webhooks before and after (equal: nothing to change, nothing sent).
    pub hooks_before: AppWebhooks,
    pub hooks_after: AppWebhooks,
    /// The journal entry (`None` without a journal, or when nothing was sent).
    pub entry: Option<u64>,
    pub warnings: Vec<String>,
}

impl AppOutcome {
    pub fn changed(&self) -> bool {
        self.hooks_before != self.hooks_after
    }
}

/// No application has this id.
pub fn unknown_app(id: &str) -> ApiError {
    ApiError::UnexpectedStatus {
        op: Operation::UpdateApplication,
        status: 404,
        excerpt: format!(
            "no application has the id {}",
            crate::api::validate::quote(id)
        ),
    }
}

/// Read-modify-write of application `id`'s webhooks, journaled: reads it, applies `change`,
/// writes the intent, sends, writes the outcome. Already as wanted: nothing is sent (nor
/// journaled).
pub async fn update_app(
    client: &Client,
    journal: Option<&Journal>,
    id: &str,
    change: &AppWebhookChange,
) -> Result<AppOutcome, ItemError> {
    if change.is_empty() {
        return Err(ApiError::InvalidInput {
            field: "webhooks",
            message: "nothing to change: give at least one webhook".into(),
        }
        .into());
    }
    change.validate()?;
    let before = client
        .application(id)
        .await?
        .ok_or_else(|| unknown_app(id))?;
    let hooks_before = AppWebhooks::of(&before);
    let hooks_after = change.applied(&hooks_before)?;
    if hooks_before == hooks_after {
        return Ok(AppOutcome {
            after: before.clone(),
            before,
            hooks_after: hooks_before.clone(),
            hooks_before,
            entry: None,
            warnings: Vec::new(),
        });
    }
    // Refused before the intent is written: a webhook of a capability the app lacks.
    hooks_after.write_into(&before, &hooks_before.changed(&hooks_after))?;
    let (after, entry, warning) =
        send_app(client, journal, None, &before, &hooks_after, None).await?;
    Ok(AppOutcome {
        before,
        after,
        hooks_before,
        hooks_after,
        entry,
        warnings: warning.into_iter().collect(),
    })
}

/// Sends `app` (as read) with its webhooks set to `after`, journaled as a change from what
/// `app` holds (the intent first, the outcome after; `undoes` names the entry an undo
/// reverses). Returns the application as answered, the entry's id, and the warning of an
/// answer that was lost but read back.
pub async fn send_app(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    app: &Application,
    after: &AppWebhooks,
    undoes: Option<u64>,
) -> Result<(Application, Option<u64>, Option<String>), ItemError> {
    let before = AppWebhooks::of(app);
    let entry = match journal {
        None => None,
        Some(j) => {
            let entry = Entry {
                id: j.next_id(),
                time: now_secs(),
                batch,
                kind: Kind::App,
                app: Some(AppChange {
                    id: app.id.clone(),
                    name: app.name.clone(),
                    before,
                    after: after.clone(),
                }),
                account: None,
                country: String::new(),
                msisdn: String::new(),
                before: None,
                after: None,
                status: Status::Intent,
                error: None,
                undoes,
            };
            j.append(&entry)
                .map_err(|e| ItemError::Journal(format!("{}: {e}", j.path().display())))?;
            Some(entry)
        }
    };
    let id = entry.as_ref().map(|e| e.id);
    let result = client.send_app_webhooks_verified(app, after).await;
    settle(journal, entry, &result);
    let (answered, warning) = result?;
    Ok((answered, id, warning))
}

/// An undo of an application's change: which application, the webhooks to put back, what
/// it should hold now, the entry undone.
pub struct Restore<'a> {
    pub id: &'a str,
    pub hooks: &'a AppWebhooks,
    pub expect: &'a AppWebhooks,
    pub undoes: u64,
}

/// The webhooks that differ between what the application holds and what was expected, for
/// the "changed since" message.
fn differences(now: &AppWebhooks, expected: &AppWebhooks) -> String {
    expected
        .changed(now)
        .into_iter()
        .map(|h| {
            format!(
                "{} is {} (expected {})",
                h.name(),
                now.show(h),
                expected.show(h)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Puts back the webhooks an entry changed (read-modify-write again: only those webhooks,
/// every other field as the application holds it now). An application whose webhooks are
/// not what the change left is left alone unless `force`; one already as before is recorded
/// as undone with nothing sent.
pub(super) async fn undo_app(
    client: &Client,
    journal: &Journal,
    batch: u64,
    r: Restore<'_>,
    force: bool,
) -> super::Outcome {
    use super::Outcome;
    let app = match client.application(r.id).await {
        Ok(Some(a)) => a,
        Ok(None) => return Outcome::Failed(unknown_app(r.id).into()),
        Err(e) => return Outcome::Failed(e.into()),
    };
    let now = AppWebhooks::of(&app);
    let target = now.with(r.hooks, &r.hooks.changed(r.expect));
    if target == now {
        // Already as before (the change never landed): recorded as undone, with nothing
        // sent, so the entry is not offered again.
        let entry = Entry {
            id: journal.next_id(),
            time: now_secs(),
            batch: Some(batch),
            kind: Kind::App,
            app: Some(AppChange {
                id: app.id.clone(),
                name: app.name.clone(),
                before: now.clone(),
                after: now,
            }),
            account: None,
            country: String::new(),
            msisdn: String::new(),
            before: None,
            after: None,
            status: Status::Done,
            error: None,
            undoes: Some(r.undoes),
        };
        if let Err(err) = journal.append(&entry) {
            tracing::warn!(error = %err, "journal: cannot record an undo with nothing to send");
        }
        return Outcome::Unchanged;
    }
    if now != *r.expect && !force {
        return Outcome::Skipped(format!(
            "changed since #{}: {}; not restored (force to overwrite)",
            r.undoes,
            differences(&now, r.expect)
        ));
    }
    match send_app(
        client,
        Some(journal),
        Some(batch),
        &app,
        &target,
        Some(r.undoes),
    )
    .await
    {
        Ok((_, _, lost)) => Outcome::AppUpdated {
            before: now,
            after: target,
            warnings: lost.into_iter().collect(),
        },
        Err(e) => Outcome::Failed(e),
    }
}
