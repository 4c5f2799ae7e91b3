//! Buy, cancel and update, journaled: the intent (with the number's full configuration before
//! and after) is synced to the journal before the request leaves, the outcome after it. Used
//! by single commands, bulk runs and undo alike. Without a journal they are the plain client
//! operations.

use crate::api::{
    ApiError, Before, Client, NumberChange, NumberConfig, NumberRef, Settled, UpdateOutcome,
};
use crate::journal::{Entry, Journal, Kind, Status, now};

use super::ItemError;

/// The journal status a failed request leaves.
fn status_of(e: &ApiError) -> Status {
    match e {
        ApiError::Unconfirmed { .. } => Status::Unknown,
        ApiError::NotDone { .. } => Status::Failed,
        e if e.outcome_unknown() => Status::Unknown,
        _ => Status::Failed,
    }
}

/// What a journaled change is made to: country, msisdn, and the subaccount it is made for
/// (`None`: the journal's own account).
type Subject<'a> = (&'a str, &'a str, Option<&'a str>);

/// Writes the intent (or, with `status`, an entry that is final at once); the returned entry
/// is then settled with [`settle`].
#[allow(clippy::too_many_arguments)]
fn record(
    journal: Option<&Journal>,
    batch: Option<u64>,
    kind: Kind,
    number: Subject<'_>,
    status: Status,
    before: Option<NumberConfig>,
    after: Option<NumberConfig>,
    undoes: Option<u64>,
) -> Result<Option<Entry>, ItemError> {
    let Some(j) = journal else {
        return Ok(None);
    };
    let entry = Entry {
        id: j.next_id(),
        time: now(),
        batch,
        kind,
        app: None,
        account: number.2.map(str::to_string),
        country: number.0.to_string(),
        msisdn: number.1.to_string(),
        before,
        after,
        status,
        error: None,
        undoes,
    };
    j.append(&entry)
        .map_err(|e| ItemError::Journal(format!("{}: {e}", j.path().display())))?;
    Ok(Some(entry))
}

/// Writes the outcome. A failure to write it is logged: the request has been carried out
/// already, and the intent left in the journal still lets an undo restore the number.
pub(super) fn settle<T>(
    journal: Option<&Journal>,
    entry: Option<Entry>,
    result: &Result<T, ApiError>,
) {
    let (Some(j), Some(mut entry)) = (journal, entry) else {
        return;
    };
    let (status, error) = match result {
        Ok(_) => (Status::Done, None),
        Err(e) => (status_of(e), Some(e.to_string())),
    };
    if let Err(e) = j.settle(&mut entry, status, error) {
        tracing::error!(error = %e, id = entry.id, "journal: cannot write an outcome");
    }
}

/// The run a change belongs to: its journal and batch, and its stop.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub journal: Option<&'a Journal>,
    pub batch: Option<u64>,
    pub stop: &'a super::StopFlag,
}

/// [`update`] as part of a run: a stop while the number is being read drops the read, and
/// nothing is sent after it (`Ok(None)`: not started). Once the intent is journaled the
/// change is in flight (counted by the stop flag) and finishes.
pub async fn update_in_run(
    client: &Client,
    run: Run<'_>,
    country: &str,
    msisdn: &str,
    change: &NumberChange,
    known: Option<&NumberConfig>,
) -> Result<Option<UpdateOutcome>, ItemError> {
    let prepared = tokio::select! {
        biased;
        () = run.stop.stopped() => return Ok(None),
        prepared = client.prepare_update(country, msisdn, change, known) => prepared?,
    };
    finish_update(client, run, prepared).await
}

/// Sends a prepared update (unless stopped, or nothing changes).
pub async fn finish_update(
    client: &Client,
    run: Run<'_>,
    mut outcome: UpdateOutcome,
) -> Result<Option<UpdateOutcome>, ItemError> {
    if outcome.before == outcome.after {
        return Ok(Some(outcome));
    }
    if run.stop.is_stopped() {
        return Ok(None);
    }
    let _in_flight = run.stop.sending();
    let number = (outcome.country.as_str(), outcome.msisdn.as_str());
    let sent = send(
        client,
        run.journal,
        run.batch,
        number,
        &outcome.before,
        &outcome.after,
        None,
    )
    .await?;
    outcome.warnings.extend(sent);
    Ok(Some(outcome))
}

/// Read-modify-write of one number, journaled: reads it, applies `change`, writes the intent,
/// sends the whole configuration, writes the outcome. A number already as wanted is not sent
/// (nor journaled).
pub async fn update(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    country: &str,
    msisdn: &str,
    change: &NumberChange,
    known: Option<&NumberConfig>,
) -> Result<UpdateOutcome, ItemError> {
    let mut outcome = client
        .prepare_update(country, msisdn, change, known)
        .await?;
    if outcome.before != outcome.after {
        let number = (outcome.country.as_str(), outcome.msisdn.as_str());
        let sent = send(
            client,
            journal,
            batch,
            number,
            &outcome.before,
            &outcome.after,
            None,
        )
        .await?;
        outcome.warnings.extend(sent);
    }
    Ok(outcome)
}

/// Sends `after` (replace semantics, read back when the answer is lost), journaled as an
/// update from `before`. Returns the warning of an answer that was lost but read back.
pub async fn send(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    number: (&str, &str),
    before: &NumberConfig,
    after: &NumberConfig,
    undoes: Option<u64>,
) -> Result<Option<String>, ItemError> {
    let entry = record(
        journal,
        batch,
        Kind::Update,
        (number.0, number.1, None),
        Status::Intent,
        Some(before.clone()),
        Some(after.clone()),
        undoes,
    )?;
    let result = client.send_verified(number.0, number.1, after).await;
    settle(journal, entry, &result);
    Ok(result?)
}

/// Buys a number, journaled, for the account `number` names. The owned list is read first:
/// a number owned already is not bought again ("already so", journaled as such, never undone),
/// and a lost answer is settled against that state.
pub async fn buy(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    number: &NumberRef,
    undoes: Option<u64>,
) -> Result<Settled, ItemError> {
    read_then_spend(client, journal, batch, number, None, undoes, Kind::Buy).await
}

/// Cancels a number, journaled with its configuration before (read first, so an undo can
/// buy it back as it was); settled like [`buy`]. `known` supplies values the API does not
/// return.
pub async fn cancel(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    number: &NumberRef,
    known: Option<&NumberConfig>,
    undoes: Option<u64>,
) -> Result<Settled, ItemError> {
    read_then_spend(client, journal, batch, number, known, undoes, Kind::Cancel).await
}

/// The owned list read before a buy or cancel (the number's configuration, with `known`'s
/// values the API does not return), then the change settled against it.
async fn read_then_spend(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    number: &NumberRef,
    known: Option<&NumberConfig>,
    undoes: Option<u64>,
    kind: Kind,
) -> Result<Settled, ItemError> {
    let number = number.validated()?;
    let op = match kind {
        Kind::Buy => crate::api::Operation::Buy,
        // (Updates do not come here: `update` reads its number itself.)
        Kind::Cancel | Kind::Update | Kind::App => crate::api::Operation::Cancel,
    };
    let before = client
        .read_before(&number)
        .await
        .map_err(|e| e.during(op))?;
    let config = match &before {
        Before::Owned(n) => Some(NumberConfig::from_number(n, known)),
        _ => None,
    };
    spend(
        client, journal, batch, &number, &before, config, undoes, kind,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn spend(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    number: &NumberRef,
    before: &Before,
    config: Option<NumberConfig>,
    undoes: Option<u64>,
    kind: Kind,
) -> Result<Settled, ItemError> {
    let buying = kind == Kind::Buy;
    let subject = (
        number.country.as_str(),
        number.msisdn.as_str(),
        number.target_api_key.as_deref(),
    );
    let (entry_before, entry_after) = if buying {
        (None, Some(NumberConfig::default()))
    } else {
        (config.clone(), None)
    };
    if before.already(buying) {
        // Nothing is sent: one final entry, so `history` shows it and undo leaves it alone.
        record(
            journal,
            batch,
            kind,
            subject,
            Status::Already,
            if buying { config.clone() } else { None },
            if buying { config } else { None },
            undoes,
        )?;
        return Ok(Settled {
            recovered_from: None,
            already: true,
        });
    }
    let entry = record(
        journal,
        batch,
        kind,
        subject,
        Status::Intent,
        entry_before,
        entry_after,
        undoes,
    )?;
    let result = if buying {
        client.buy_from(number, before).await
    } else {
        client.cancel_from(number, before).await
    };
    settle(journal, entry, &result);
    Ok(result?)
}
