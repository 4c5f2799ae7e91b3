//! The five operations of the Numbers API, plus what is built on them: one owned number, and
//! buy/cancel that settle a lost answer (every page of the list: `ops_list`; updates:
//! `ops_update`).

use reqwest::Method;

use super::client::Client;
use super::error::{ApiError, Operation};
use super::lenient::decode_page;
use super::model::{AvailableNumber, OwnedNumber, Page};
use super::query::{MatchMode, NumberRef, OwnedFilter, OwnedQuery, Pattern, SearchQuery};
use super::validate;

/// The largest page the API serves.
pub const MAX_PAGE: u32 = 100;

/// How a buy or cancel ended when it succeeded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    /// Set when the answer was lost and the outcome was established by re-reading the owned
    /// list: what happened to the answer.
    pub recovered_from: Option<String>,
    /// The number was already so before (owned for a buy, not owned for a cancel): nothing was
    /// sent, nothing changed, and there is nothing to undo.
    pub already: bool,
}

impl Client {
    /// One page of the numbers the account owns.
    pub async fn list_owned(&self, query: &OwnedQuery) -> Result<Page<OwnedNumber>, ApiError> {
        let params = query.params()?;
        let value = self
            .call(Operation::List, Method::GET, "/account/numbers", &params)
            .await?;
        within_size(
            Operation::List,
            page_of(Operation::List, value)?,
            query.size,
        )
    }

    /// One page of the numbers available to buy.
    pub async fn search(&self, query: &SearchQuery) -> Result<Page<AvailableNumber>, ApiError> {
        let params = query.params()?;
        let value = self
            .call(Operation::Search, Method::GET, "/number/search", &params)
            .await?;
        within_size(
            Operation::Search,
            page_of(Operation::Search, value)?,
            query.size,
        )
    }

    /// Fetches one owned number. `Ok(None)` when the account does not own it in that country.
    pub async fn find_owned(
        &self,
        country: &str,
        msisdn: &str,
    ) -> Result<Option<OwnedNumber>, ApiError> {
        let country = validate::country(country)?;
        let msisdn = validate::msisdn(msisdn)?;
        let query = OwnedQuery {
            filter: OwnedFilter {
                country: Some(country),
                pattern: Some(Pattern {
                    digits: msisdn.clone(),
                    mode: MatchMode::StartsWith,
                }),
                ..Default::default()
            },
            size: MAX_PAGE,
            index: 1,
        };
        let page = self.list_owned(&query).await?;
        Ok(page
            .numbers
            .into_iter()
            .find(|n| n.msisdn.as_deref() == Some(msisdn.as_str())))
    }

    /// What the owned list shows of `number` just before a buy or cancel of it, so a lost
    /// answer is settled against the state before as well as the state after. A subaccount's
    /// numbers cannot be listed with the main account's credentials: [`Before::Unreadable`].
    pub async fn read_before(&self, number: &NumberRef) -> Result<Before, ApiError> {
        let number = number.validated()?;
        if number.target_api_key.is_some() {
            return Ok(Before::Unreadable);
        }
        // By msisdn alone: a number owned in another country than the one given is neither
        // "already owned" nor "already not owned" (the server refuses such a request).
        let query = OwnedQuery {
            filter: OwnedFilter {
                pattern: Some(Pattern {
                    digits: number.msisdn.clone(),
                    mode: MatchMode::StartsWith,
                }),
                ..Default::default()
            },
            size: MAX_PAGE,
            index: 1,
        };
        let page = self.list_owned(&query).await?;
        let found = page
            .numbers
            .into_iter()
            .find(|n| n.msisdn.as_deref() == Some(number.msisdn.as_str()));
        Ok(match found {
            Some(n)
                if n.country
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(&number.country)) =>
            {
                Before::Owned(Box::new(n))
            }
            Some(_) => Before::Elsewhere,
            None => Before::NotOwned,
        })
    }

    /// Buys a number: reads it first ([`Client::read_before`]), then [`Client::buy_from`].
    pub async fn buy(&self, number: &NumberRef) -> Result<Settled, ApiError> {
        let before = self
            .read_before(number)
            .await
            .map_err(|e| e.during(Operation::Buy))?;
        self.buy_from(number, &before).await
    }

    /// Cancels a number (it leaves the account), read first like [`Client::buy`].
    pub async fn cancel(&self, number: &NumberRef) -> Result<Settled, ApiError> {
        let before = self
            .read_before(number)
            .await
            .map_err(|e| e.during(Operation::Cancel))?;
        self.cancel_from(number, &before).await
    }

    /// Buys a number the owned list showed as `before`. Owned already: nothing is sent, and
    /// the outcome says it was already so. Never repeated blindly: if the answer is lost, the
    /// owned list is read again to find out whether the purchase happened.
    pub async fn buy_from(&self, number: &NumberRef, before: &Before) -> Result<Settled, ApiError> {
        self.spend(Operation::Buy, "/number/buy", number, true, before)
            .await
    }

    /// Cancels a number the owned list showed as `before`; settled like [`Client::buy_from`].
    pub async fn cancel_from(
        &self,
        number: &NumberRef,
        before: &Before,
    ) -> Result<Settled, ApiError> {
        self.spend(Operation::Cancel, "/number/cancel", number, false, before)
            .await
    }

    async fn spend(
        &self,
        op: Operation,
        path: &str,
        number: &NumberRef,
        owned_after: bool,
        before: &Before,
    ) -> Result<Settled, ApiError> {
        let number = number.validated()?;
        if before.already(owned_after) {
            return Ok(Settled {
                recovered_from: None,
                already: true,
            });
        }
        let params = number.params()?;
        let err = match self
            .call(op, Method::POST, path, &params)
            .await
            .and_then(|v| confirmed(op, v))
        {
            Ok(()) => {
                return Ok(Settled {
                    recovered_from: None,
                    already: false,
                });
            }
            Err(e) if !e.outcome_unknown() => return Err(e),
            Err(e) => e,
        };
        let cause = err.to_string();
        if number.target_api_key.is_some() {
            return Err(ApiError::Unconfirmed {
                op,
                msisdn: number.msisdn,
                cause,
                recheck: "the owned list could not be checked (a subaccount's numbers cannot be listed with these credentials)"
                    .to_string(),
            });
        }
        tracing::warn!(op = op.name(), error = %err, "answer lost; re-reading the owned list");
        // A request that got no answer at all (timeout, broken connection) may still be carried
        // out by the server after this re-check: only an answer (a 500, an unreadable body)
        // proves the server is done with it, so only then does "not there" mean "not done".
        let may_be_pending = matches!(
            err,
            ApiError::Timeout { .. } | ApiError::Network { .. } | ApiError::Deadline { .. }
        );
        match self.find_owned(&number.country, &number.msisdn).await {
            // The state before was read and was not this: the change is what made it so.
            Ok(found) if found.is_some() == owned_after => Ok(Settled {
                recovered_from: Some(cause),
                already: false,
            }),
            Ok(_) if may_be_pending => Err(ApiError::Unconfirmed {
                op,
                recheck: format!(
                    "the owned list, checked just after, shows it {}, but the server may still carry the request out",
                    if owned_after {
                        "not bought yet"
                    } else {
                        "still owned"
                    }
                ),
                msisdn: number.msisdn,
                cause,
            }),
            Ok(_) => Err(ApiError::NotDone {
                op,
                msisdn: number.msisdn,
                cause,
            }),
            Err(recheck) => Err(ApiError::Unconfirmed {
                op,
                msisdn: number.msisdn,
                cause,
                recheck: format!("the owned list could not be checked ({recheck})"),
            }),
        }
    }
}

/// What the owned list showed of a number just before a buy or cancel.
#[derive(Clone, Debug, PartialEq)]
pub enum Before {
    Owned(Box<OwnedNumber>),
    NotOwned,
    /// Owned, but in another country than the one given: the request is sent (and refused).
    Elsewhere,
    /// Not read (a subaccount's number): a lost answer cannot be settled from the list.
    Unreadable,
}

impl Before {
    /// The number is already as a buy (`owned_after`) or a cancel would leave it.
    pub fn already(&self, owned_after: bool) -> bool {
        match self {
            Before::Owned(_) => owned_after,
            Before::NotOwned => !owned_after,
            Before::Elsewhere | Before::Unreadable => false,
        }
    }
}

/// A change is confirmed by an `error-code` of "200" in the answer (which `call` has checked
/// when present). The real service always sends one for buy, cancel and update, so a 2xx body
/// without it (`{}`, a proxy's page) does not prove the change happened: it is treated as an
/// answer that could not be read, and buy/cancel settle it from the owned list.
pub(super) fn confirmed(op: Operation, value: serde_json::Value) -> Result<(), ApiError> {
    if super::lenient::body_status(&value).code.is_some() {
        return Ok(());
    }
    Err(ApiError::Undecodable {
        op,
        status: 200,
        excerpt: format!(
            "no error-code in the answer, so the change is not confirmed: {}",
            super::lenient::excerpt(&value.to_string(), 120)
        ),
    })
}

/// A page longer than the `size` asked for is refused: a server's mistake, or a flood.
fn within_size<T>(op: Operation, page: Page<T>, size: u32) -> Result<Page<T>, ApiError> {
    if page.numbers.len() > size as usize {
        return Err(ApiError::Undecodable {
            op,
            status: 200,
            excerpt: format!(
                "the server sent {} numbers for a page of {size}: refused",
                page.numbers.len()
            ),
        });
    }
    Ok(page)
}

fn page_of<T: for<'de> serde::Deserialize<'de>>(
    op: Operation,
    value: serde_json::Value,
) -> Result<Page<T>, ApiError> {
    let undecodable = |value: &serde_json::Value| ApiError::Undecodable {
        op,
        status: 200,
        excerpt: super::lenient::excerpt(&value.to_string(), 160),
    };
    if !value.is_object() {
        return Err(undecodable(&value));
    }
    // An object always decodes (no copy of the page kept for the error case).
    decode_page(value).ok_or_else(|| undecodable(&serde_json::Value::Null))
}
