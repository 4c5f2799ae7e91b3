//! The worker's requests on single numbers: the streamed listing, buy, cancel, update (each
//! journaled) and the SMS webhook check.

use std::collections::HashMap;
use std::sync::Arc;

use crate::api::{ApiError, NumberChange, NumberConfig, NumberRef, OwnedFilter};
use crate::app::{Action, Reply, RequestId};
use crate::bulk::ItemError;
use crate::journal::Journal;

use super::Worker;

/// A journaled operation's error as the client's.
fn api_error(e: ItemError) -> ApiError {
    match e {
        ItemError::Api(a) => Arc::try_unwrap(a).unwrap_or_else(|a| ApiError::Config(a.to_string())),
        ItemError::Journal(_) => ApiError::Config(e.to_string()),
    }
}

impl Worker {
    /// Every owned number matching `filter`. Each page is moved to the app as it arrives and
    /// the final reply carries no numbers: the app assembles the list, so it is never held
    /// twice.
    pub(super) async fn list_all(&self, id: RequestId, filter: OwnedFilter) -> Reply {
        let tx = self.tx.clone();
        Reply::Listed(
            self.client
                .list_all_streamed(&filter, |progress, numbers| {
                    let _ = tx.send(Action::Progress {
                        id,
                        progress,
                        numbers,
                    });
                })
                .await
                .map(|()| Vec::new()),
        )
    }

    pub(super) async fn buy(&self, number: NumberRef) -> Reply {
        Reply::Bought(
            crate::bulk::ops::buy(&self.client, self.journal(), None, &number, None)
                .await
                .map_err(api_error),
        )
    }

    pub(super) async fn cancel(&self, number: NumberRef) -> Reply {
        Reply::Cancelled(
            crate::bulk::ops::cancel(&self.client, self.journal(), None, &number, None, None)
                .await
                .map_err(api_error),
        )
    }

    pub(super) async fn update(
        &self,
        country: String,
        msisdn: String,
        change: NumberChange,
        known: Option<NumberConfig>,
    ) -> Reply {
        // What this session does not know, the journal may (earlier sessions).
        let known = known.or_else(|| journal_known(self.journal()).remove(msisdn.trim()));
        Reply::Updated(
            crate::bulk::ops::update(
                &self.client,
                self.journal(),
                None,
                &country,
                &msisdn,
                &change,
                known.as_ref(),
            )
            .await
            .map_err(api_error),
        )
    }
}

/// GET an SMS webhook URL as Vonage will before accepting it.
pub(super) async fn check_webhook(url: String) -> Reply {
    Reply::WebhookChecked(crate::api::webhook::probe(&url, crate::api::webhook::TIMEOUT).await)
}

/// The configurations the journal knows, by msisdn (empty without one).
pub(super) fn journal_known(journal: Option<&Journal>) -> HashMap<String, NumberConfig> {
    match journal.map(Journal::read) {
        Some(Ok(contents)) => crate::journal::known_configs(&contents),
        Some(Err(e)) => {
            tracing::warn!(error = %e, "cannot read the journal");
            HashMap::new()
        }
        None => HashMap::new(),
    }
}
