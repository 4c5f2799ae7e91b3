//! The five operations of the Numbers API, plus what is built on them: every page of the owned
//! list, one owned number, and buy/cancel that settle a lost answer (updates: `ops_update`).

use std::collections::HashSet;

use reqwest::Method;

use super::client::Client;
use super::error::{ApiError, Operation};
use super::lenient::decode_page;
use super::model::{AvailableNumber, OwnedNumber, Page};
use super::query::{MatchMode, NumberRef, OwnedFilter, OwnedQuery, Pattern, SearchQuery};
use super::validate;

/// The largest page the API serves.
pub const MAX_PAGE: u32 = 100;

/// The most numbers [`Client::list_all`] fetches: a larger `count` is refused (a server's
/// mistake would otherwise make it allocate and request pages without end).
pub const MAX_LISTED: u64 = 1_000_000;

/// How many times [`Client::list_all`] reads a listing that does not come whole.
pub const LIST_READS: u32 = 3;

/// Progress of [`Client::list_all`], reported as pages arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListProgress {
    pub pages_done: u32,
    pub pages_total: u32,
    pub numbers_loaded: usize,
    pub total: u64,
}

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

    /// Every owned number matching `filter`, over all pages. The first page gives the total;
    /// the others are fetched concurrently (paced by the limiter). `progress` is called after
    /// each page. Numbers are returned in page order, each msisdn once.
    pub async fn list_all(
        &self,
        filter: &OwnedFilter,
        mut progress: impl FnMut(ListProgress),
    ) -> Result<Vec<OwnedNumber>, ApiError> {
        self.list_all_pages(filter, |p, _| progress(p)).await
    }

    /// [`Client::list_all`], also handing each page's numbers to `on_page` as it arrives (in
    /// arrival order, which is not page order), so a caller can show them before the end.
    ///
    /// Pages can shift while numbers are bought or cancelled during the listing, and a server
    /// can miscount: the list is checked whole (as many distinct numbers as `count`, every
    /// page but the last full) and read again when it is not, up to [`LIST_READS`] times;
    /// then [`ApiError::Incomplete`], never a list with numbers silently missing.
    pub async fn list_all_pages(
        &self,
        filter: &OwnedFilter,
        mut progress: impl FnMut(ListProgress, &[OwnedNumber]),
    ) -> Result<Vec<OwnedNumber>, ApiError> {
        let mut problem = String::new();
        for read in 1..=LIST_READS {
            let mut pages: Vec<Option<Vec<OwnedNumber>>> = Vec::new();
            let mut total = 0;
            self.stream_pages(filter, |p, index, numbers| {
                progress(p, &numbers);
                total = p.total;
                if pages.len() < p.pages_total as usize {
                    pages.resize(p.pages_total as usize, None);
                }
                pages[index as usize - 1] = Some(numbers);
            })
            .await?;
            match whole(pages, total) {
                Ok(all) => return Ok(all),
                Err(why) => {
                    tracing::warn!(read, why = %why, "the listing is not whole; reading it again");
                    problem = why;
                }
            }
        }
        Err(ApiError::Incomplete {
            op: Operation::List,
            detail: format!("{problem}, on each of {LIST_READS} reads"),
        })
    }

    /// Every page of the owned numbers matching `filter`, each handed (moved) to `on_page` as
    /// it arrives, in arrival order; nothing is kept, so a caller that holds the list does not
    /// hold it twice. Pages can shift while numbers are bought or cancelled during the
    /// listing: the same msisdn may come twice, and the caller keeps it once.
    pub async fn list_all_streamed(
        &self,
        filter: &OwnedFilter,
        mut on_page: impl FnMut(ListProgress, Vec<OwnedNumber>),
    ) -> Result<(), ApiError> {
        self.stream_pages(filter, |p, _, numbers| on_page(p, numbers))
            .await
    }

    /// The first page (it gives the total), then the others concurrently (paced by the
    /// limiter); `on_page` gets each with its 1-based index. When the server is known to take
    /// many requests at once (no limit met, a wide window: a warm run), the next pages are
    /// asked for with the first instead of one round trip after it; those past the end are
    /// then dropped (answered `{}`, or cancelled before they leave). An empty page before the
    /// last means the list ended early (numbers were cancelled meanwhile, or the server's
    /// `count` lies): no page after it is asked for.
    async fn stream_pages(
        &self,
        filter: &OwnedFilter,
        mut on_page: impl FnMut(ListProgress, u32, Vec<OwnedNumber>),
    ) -> Result<(), ApiError> {
        let first_query = OwnedQuery {
            filter: filter.clone(),
            size: MAX_PAGE,
            index: 1,
        };
        first_query.params()?;
        // At most `concurrency` pages in flight, each spawned when a slot frees (not one task
        // per page up front: 1,000 pages would hold 1,000 tasks).
        let concurrency = self.inner.config.concurrency.max(1);
        let mut tasks = tokio::task::JoinSet::new();
        let spawn = |tasks: &mut tokio::task::JoinSet<_>, index: u32| {
            let client = self.clone();
            let query = OwnedQuery {
                filter: filter.clone(),
                size: MAX_PAGE,
                index,
            };
            tasks.spawn(async move { (index, client.list_owned(&query).await) })
        };
        let ahead = self.inner.limiter.open_window().min(concurrency) as u32;
        let speculative: Vec<_> = (2..=ahead)
            .map(|index| (index, spawn(&mut tasks, index)))
            .collect();
        let first = match self.list_owned(&first_query).await {
            Ok(first) => first,
            Err(e) => {
                tasks.abort_all();
                return Err(e);
            }
        };
        let total = first.count;
        if total > MAX_LISTED {
            tasks.abort_all();
            return Err(ApiError::Undecodable {
                op: Operation::List,
                status: 200,
                excerpt: format!(
                    "the server reports {total} numbers, more than the {MAX_LISTED} listed at once; narrow the list with a filter (country, pattern, application) or ask for one page"
                ),
            });
        }
        let pages_total = total.div_ceil(MAX_PAGE as u64).clamp(1, u32::MAX as u64) as u32;
        let mut last = if first.numbers.is_empty() {
            1
        } else {
            pages_total
        };
        for (index, task) in &speculative {
            if *index > last {
                task.abort();
            }
        }
        let mut loaded = first.numbers.len();
        let mut done = 1;
        on_page(
            ListProgress {
                pages_done: done,
                pages_total,
                numbers_loaded: loaded,
                total,
            },
            1,
            first.numbers,
        );

        let mut next = ahead.max(1) + 1;
        while next <= last && tasks.len() < concurrency {
            spawn(&mut tasks, next);
            next += 1;
        }
        while let Some(joined) = tasks.join_next().await {
            let (index, result) = match joined {
                Ok(r) => r,
                // A page past the end, asked for ahead and cancelled.
                Err(e) if e.is_cancelled() => continue,
                Err(e) => {
                    return Err(ApiError::Network {
                        op: Operation::List,
                        message: format!("page task: {e}"),
                    });
                }
            };
            if index > last {
                // Asked for ahead, past the end (or past an empty page): not counted.
                continue;
            }
            let page = match result {
                Ok(page) => page,
                Err(e) => {
                    tasks.abort_all();
                    return Err(e);
                }
            };
            if page.numbers.is_empty() {
                last = last.min(index);
            }
            if next <= last {
                spawn(&mut tasks, next);
                next += 1;
            }
            loaded += page.numbers.len();
            done += 1;
            on_page(
                ListProgress {
                    pages_done: done,
                    pages_total,
                    numbers_loaded: loaded,
                    total,
                },
                index,
                page.numbers,
            );
        }
        Ok(())
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

/// The numbers of every page, each msisdn once, in page order, if they make the whole list:
/// as many distinct numbers as `total`, every page but the last full. Otherwise what is wrong.
fn whole(pages: Vec<Option<Vec<OwnedNumber>>>, total: u64) -> Result<Vec<OwnedNumber>, String> {
    let last = pages.len().saturating_sub(1);
    let short = pages
        .iter()
        .enumerate()
        .filter(|(i, p)| *i < last && p.as_ref().is_none_or(|p| p.len() < MAX_PAGE as usize))
        .count();
    // Flags first (borrowing), then the numbers moved into an exact vector.
    let keep = {
        let mut seen = HashSet::new();
        pages
            .iter()
            .flatten()
            .flatten()
            .map(|n| n.msisdn.as_deref().is_none_or(|m| seen.insert(m)))
            .collect::<Vec<bool>>()
    };
    let distinct = keep.iter().filter(|k| **k).count();
    let repeated = keep.len() - distinct;
    if distinct as u64 != total || short > 0 {
        let mut why = vec![format!(
            "the server counts {total} numbers, {distinct} distinct arrived"
        )];
        if repeated > 0 {
            why.push(format!("{repeated} listed twice"));
        }
        if short > 0 {
            why.push(format!(
                "{} short before the last",
                crate::output::plural(short, "page", "pages")
            ));
        }
        return Err(why.join(", "));
    }
    let mut all = Vec::with_capacity(distinct);
    for (n, k) in pages.into_iter().flatten().flatten().zip(keep) {
        if k {
            all.push(n);
        }
    }
    Ok(all)
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
