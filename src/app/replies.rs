//! Replies from the network: each is matched to its pending request, stale ones are dropped.

use crate::api::{ApiError, LIST_READS, NumberRef, OwnedNumber};
use crate::output::thousands;

use super::owned::{Loading, Shortfall};
use super::{App, Effect, Layer, Reply, Request, RequestId};

impl App {
    pub(super) fn reply(&mut self, id: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(request) = self.pending.remove(&id) else {
            tracing::debug!(id, "stale reply dropped");
            return Vec::new();
        };
        match (reply, request) {
            (Reply::Listed(result), _) => {
                let loading = self.owned.loading.take();
                match result {
                    Ok(rest) => return self.listed(id, loading, rest),
                    Err(e) => {
                        self.owned.abandon_load();
                        // What is shown is no longer known to be true.
                        self.owned.stale = self.owned.loaded || !self.owned.numbers.is_empty();
                        self.api_error(&e);
                    }
                }
            }
            (Reply::Searched(result), _) => {
                self.search.in_flight = None;
                match result {
                    Ok(page) => {
                        if page.numbers.is_empty() {
                            self.info("no numbers match this search");
                        }
                        self.search.results = Some(page);
                        self.search.apply_sort();
                        self.search.selected = 0;
                        self.search.offset = 0;
                    }
                    Err(e) => self.api_error(&e),
                }
            }
            (Reply::Bought(result), Request::Buy(number)) => match result {
                Ok(settled) => {
                    let bought = self.bought_number(&number);
                    self.search.remove(&number.msisdn);
                    let m = number.msisdn.as_str();
                    self.screen.remove_where(
                        |l| matches!(l, Layer::Result(r) if r.number.msisdn.as_deref() == Some(m)),
                    );
                    self.info(format!(
                        "{} {} ({}){}",
                        if settled.already {
                            "already owned:"
                        } else {
                            "bought"
                        },
                        number.msisdn,
                        number.country,
                        recovered(&settled.recovered_from)
                    ));
                    // Show it at once; the refresh brings the API's own view of it.
                    self.owned.upsert(bought);
                    // The buy was charged.
                    let mut effects = self.load_owned();
                    effects.extend(self.load_balance());
                    return effects;
                }
                Err(e) => self.api_error_on(&e, &number.msisdn),
            },
            (Reply::Cancelled(result), Request::Cancel(number)) => match result {
                Ok(settled) => {
                    self.owned.remove(&number.msisdn);
                    self.marks.remove(&number.msisdn);
                    let m = number.msisdn.as_str();
                    self.screen.remove_where(|l| match l {
                        Layer::Detail(d) => d.msisdn == m,
                        Layer::Edit(e) => e.msisdn == m,
                        _ => false,
                    });
                    self.info(format!(
                        "{} {} ({}){}",
                        if settled.already {
                            "already not owned:"
                        } else {
                            "cancelled"
                        },
                        number.msisdn,
                        number.country,
                        recovered(&settled.recovered_from)
                    ));
                }
                Err(e) => self.api_error_on(&e, &number.msisdn),
            },
            (Reply::Updated(result), Request::Update { msisdn, .. }) => match result {
                Ok(outcome) => {
                    let updated = self
                        .owned
                        .numbers
                        .iter()
                        .find(|n| n.msisdn.as_deref() == Some(msisdn.as_str()))
                        .cloned();
                    if let Some(mut n) = updated {
                        apply_config(&mut n, &outcome.after);
                        self.owned.upsert(n);
                    }
                    self.known.insert(msisdn.clone(), outcome.after.clone());
                    self.screen
                        .remove_where(|l| matches!(l, Layer::Edit(e) if e.msisdn == msisdn));
                    match outcome.warnings.first() {
                        Some(w) => self.warn(format!("updated {msisdn}; {w}")),
                        None => self.info(format!("updated {msisdn}")),
                    }
                }
                Err(e) => self.api_error_on(&e, &msisdn),
            },
            (Reply::WebhookChecked(result), _) => self.webhook_checked(id, result),
            (Reply::Applications(result), _) => self.applications_read(result),
            (Reply::Balance(result), _) => self.balance_read(result),
            (Reply::AppUpdated(result), Request::UpdateApp { id, .. }) => {
                return self.app_updated(&id, result);
            }
            (Reply::WebhooksProbed(answers), _) => self.webhooks_probed(id, answers),
            (Reply::Exported(result), request @ Request::Export { .. }) => {
                return self.exported(result, request);
            }
            (Reply::BulkDone(report), _) | (Reply::Undone(report), _) => {
                return self.run_finished(id, report);
            }
            (Reply::StopSent, _) => {}
            (Reply::UndoPlanned(plan), _) => self.undo_planned(plan),
            (Reply::CutShort(found), _) => self.cut_short_found(found),
            (Reply::Reconciled(result), _) => self.reconciled(result),
            (reply, request) => {
                tracing::warn!(?reply, ?request, "reply does not match its request");
            }
        }
        Vec::new()
    }

    /// Load `id` ended: the list is made of what arrived. A list with fewer (or more)
    /// distinct numbers than the server counted is read again, up to [`LIST_READS`] reads in
    /// all, as the command line does; then it is kept as it is but marked not whole, with a
    /// warning, and not written to the cache.
    fn listed(
        &mut self,
        id: RequestId,
        loading: Option<Loading>,
        rest: Vec<OwnedNumber>,
    ) -> Vec<Effect> {
        self.owned.cached = None;
        self.owned.stale = false;
        self.owned.finish_load(id, rest);
        self.owned.scroll_into_view(self.rows);
        self.prune_marks();
        let read = loading.as_ref().map_or(1, |l| l.read);
        // No page seen (a reply without pages): nothing to check against.
        let counted = loading.and_then(|l| l.progress).map(|p| p.total);
        let arrived = self.owned.numbers.len();
        match counted.filter(|&c| c != arrived as u64) {
            None => {
                self.owned.incomplete = None;
                self.owned.loaded_at = Some(self.now);
                if self.owned.server_filter == crate::api::OwnedFilter::default() {
                    return vec![Effect::SaveCache];
                }
            }
            Some(counted) => {
                self.owned.incomplete = Some(Shortfall { arrived, counted });
                // Not a whole list: not kept on disk, the session's changes neither.
                self.owned.loaded_at = None;
                tracing::warn!(read, arrived, counted, "the owned list is not whole");
                if read < LIST_READS {
                    return self.read_owned(read + 1);
                }
                let (a, c) = (thousands(arrived as u64), thousands(counted));
                let arrived = if arrived as u64 > counted {
                    format!("{a} numbers arrived, the server counts {c}")
                } else {
                    format!("{a} of {c} numbers arrived")
                };
                self.warn(format!(
                    "{arrived}: the list changed while it was read, or the server miscounts; {} reads it again",
                    self.keys.of(super::Cmd::Refresh)
                ));
            }
        }
        Vec::new()
    }

    /// The owned number a buy creates, from its search result (type, features) when known.
    pub(super) fn bought_number(&self, number: &NumberRef) -> OwnedNumber {
        let found = self.search.results.as_ref().and_then(|p| {
            p.numbers
                .iter()
                .find(|n| n.msisdn.as_deref() == Some(number.msisdn.as_str()))
        });
        OwnedNumber {
            country: Some(number.country.as_str().into()),
            msisdn: Some(number.msisdn.clone()),
            number_type: found.and_then(|n| n.number_type.clone()),
            features: found.map(|n| n.features.clone().into()).unwrap_or_default(),
            limitations: found.map(|n| n.limitations.clone()).unwrap_or_default(),
            ..Default::default()
        }
    }

    pub(super) fn api_error(&mut self, e: &ApiError) {
        self.error(e.to_string());
    }

    /// An error about one number: the message names it (and its operation, as every
    /// [`ApiError`] does).
    pub(super) fn api_error_on(&mut self, e: &ApiError, msisdn: &str) {
        let text = e.to_string();
        if text.contains(msisdn) {
            self.error(text);
        } else {
            self.error(format!("{msisdn}: {text}"));
        }
    }
}

fn recovered(r: &Option<String>) -> String {
    match r {
        Some(cause) => format!(" (the answer was lost: {cause}; the owned list confirms it)"),
        None => String::new(),
    }
}

/// The number as it is after an update.
pub(super) fn apply_config(n: &mut OwnedNumber, c: &crate::api::NumberConfig) {
    n.app_id = c.app_id.as_deref().map(Into::into);
    n.mo_http_url = c.mo_http_url.as_deref().map(Into::into);
    n.mo_smpp_sys_type = c.mo_smpp_sys_type.as_deref().map(Into::into);
    n.voice_callback_type = c.voice_callback_type.as_deref().map(Into::into);
    n.voice_callback_value = c.voice_callback_value.as_deref().map(Into::into);
    n.voice_status_callback = c.voice_status_callback.as_deref().map(Into::into);
    n.messages_callback_type = c.messages_callback_type.as_deref().map(Into::into);
    n.messages_callback_value = c.messages_callback_value.as_deref().map(Into::into);
}
