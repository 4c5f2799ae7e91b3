//! Read-modify-write updates: read the number, apply the change, send the whole configuration,
//! and read it back when the answer was lost.

use reqwest::Method;

use super::client::Client;
use super::error::{ApiError, Operation};
use super::ops::confirmed;
use super::update::{NumberChange, NumberConfig, UpdateOutcome};
use super::validate;

impl Client {
    /// Read-modify-write: reads the number, applies `change`, and sends the whole resulting
    /// configuration, so nothing the change does not name is cleared. `known` supplies values
    /// the API does not return (voiceStatusCallback, moSmppSysType).
    pub async fn update(
        &self,
        country: &str,
        msisdn: &str,
        change: &NumberChange,
        known: Option<&NumberConfig>,
    ) -> Result<UpdateOutcome, ApiError> {
        let mut outcome = self.prepare_update(country, msisdn, change, known).await?;
        if let Some(w) = self
            .send_verified(&outcome.country, &outcome.msisdn, &outcome.after)
            .await?
        {
            outcome.warnings.push(w);
        }
        Ok(outcome)
    }

    /// The read half of [`Client::update`]: validates, reads the number and computes the
    /// configuration to send. Nothing is sent: the outcome the update will have once it is.
    pub async fn prepare_update(
        &self,
        country: &str,
        msisdn: &str,
        change: &NumberChange,
        known: Option<&NumberConfig>,
    ) -> Result<UpdateOutcome, ApiError> {
        change.validate()?;
        let country = validate::country(country)?;
        let msisdn = validate::msisdn(msisdn)?;
        let number = self
            .find_owned(&country, &msisdn)
            .await
            .map_err(|e| e.during(Operation::Update))?
            .ok_or_else(|| ApiError::NotOwned {
                op: Operation::Update,
                country: country.clone(),
                msisdn: msisdn.clone(),
            })?;
        let before = NumberConfig::from_number(&number, known);
        let after = change.apply_to(&before)?;
        let warnings = change.warnings(&number, known);
        Ok(UpdateOutcome {
            country,
            msisdn,
            before,
            after,
            warnings,
        })
    }

    /// Sends `config` (see [`Client::send_config`]); when it does not succeed, reads the
    /// number back: if it holds exactly what was sent, the update happened, and the warning
    /// says so. Not only when the answer was lost: a first attempt can land with its answer
    /// lost and its retry be refused (420), which says nothing of the first.
    pub async fn send_verified(
        &self,
        country: &str,
        msisdn: &str,
        config: &NumberConfig,
    ) -> Result<Option<String>, ApiError> {
        match self.send_config(country, msisdn, config).await {
            Ok(()) => Ok(None),
            // Refused before anything was sent.
            Err(e @ (ApiError::InvalidInput { .. } | ApiError::Config(_))) => Err(e),
            Err(e) => {
                let read = self.find_owned(country, msisdn).await.ok().flatten();
                let applied =
                    read.is_some_and(|n| NumberConfig::from_number(&n, Some(config)) == *config);
                if !applied {
                    return Err(e);
                }
                tracing::warn!(error = %e, "update not confirmed; the number was read back");
                Ok(Some(format!(
                    "the answer was lost or refused ({e}); reading the number back shows the change was made"
                )))
            }
        }
    }

    /// Sends a whole configuration as it is (replace semantics): the number ends up with
    /// exactly `config`. Used by [`Client::update`] and to restore a previous configuration.
    pub async fn send_config(
        &self,
        country: &str,
        msisdn: &str,
        config: &NumberConfig,
    ) -> Result<(), ApiError> {
        let params = config.params(country, msisdn)?;
        self.call(Operation::Update, Method::POST, "/number/update", &params)
            .await
            .and_then(|v| confirmed(Operation::Update, v))
    }
}
