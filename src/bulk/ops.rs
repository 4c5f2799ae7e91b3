//! Buy, cancel and update, journaled: the intent (with the number's full configuration before
//! and after) is synced to the journal before the request leaves, the outcome after it. Used
//! by single commands, bulk runs and undo alike. Without a journal they are the plain client
//! operations.

use crate::api::{ApiError, Client, NumberChange, NumberConfig, NumberRef, Settled, UpdateOutcome};
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

/// Writes the intent; the returned entry is then settled with [`settle`].
fn intent(
    journal: Option<&Journal>,
    batch: Option<u64>,
    kind: Kind,
    number: (&str, &str),
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
        country: number.0.to_string(),
        msisdn: number.1.to_string(),
        before,
        after,
        status: Status::Intent,
        error: None,
        undoes,
    };
    j.append(&entry)
        .map_err(|e| ItemError::Journal(format!("{}: {e}", j.path().display())))?;
    Ok(Some(entry))
}

/// Writes the outcome. A failure to write it is logged: the request has been carried out
/// already, and the intent left in the journal still lets an undo restore the number.
fn settle<T>(journal: Option<&Journal>, entry: Option<Entry>, result: &Result<T, ApiError>) {
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
    let entry = intent(
        journal,
        batch,
        Kind::Update,
        number,
        Some(before.clone()),
        Some(after.clone()),
        undoes,
    )?;
    let result = client.send_verified(number.0, number.1, after).await;
    settle(journal, entry, &result);
    Ok(result?)
}

/// Buys a number, journaled.
pub async fn buy(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    number: &NumberRef,
    undoes: Option<u64>,
) -> Result<Settled, ItemError> {
    let number = number.validated()?;
    let entry = intent(
        journal,
        batch,
        Kind::Buy,
        (&number.country, &number.msisdn),
        None,
        Some(NumberConfig::default()),
        undoes,
    )?;
    let result = client.buy(&number).await;
    settle(journal, entry, &result);
    Ok(result?)
}

/// Cancels a number, journaled with its configuration before (read first, so an undo can
/// buy it back as it was). `known` supplies values the API does not return.
pub async fn cancel(
    client: &Client,
    journal: Option<&Journal>,
    batch: Option<u64>,
    number: &NumberRef,
    known: Option<&NumberConfig>,
    undoes: Option<u64>,
) -> Result<Settled, ItemError> {
    let number = number.validated()?;
    let before = if journal.is_some() && number.target_api_key.is_none() {
        match client.find_owned(&number.country, &number.msisdn).await {
            Ok(Some(n)) => Some(NumberConfig::from_number(&n, known)),
            // Not owned: the cancel will be refused and say so.
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the number before cancelling it");
                None
            }
        }
    } else {
        None
    };
    let entry = intent(
        journal,
        batch,
        Kind::Cancel,
        (&number.country, &number.msisdn),
        before,
        None,
        undoes,
    )?;
    let result = client.cancel(&number).await;
    settle(journal, entry, &result);
    Ok(result?)
}
