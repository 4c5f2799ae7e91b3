//! Listing every owned number: the pages fetched concurrently (and asked ahead on a warm
//! run), the listing checked whole against the server's `count` and read again when it is not.

use std::collections::HashSet;

use super::client::Client;
use super::error::{ApiError, Operation};
use super::model::OwnedNumber;
use super::ops::MAX_PAGE;
use super::query::{OwnedFilter, OwnedQuery};

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

impl Client {
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
