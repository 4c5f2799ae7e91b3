//! Runs the app's effects on the network and sends the replies back as actions. The only place
//! where the UI side awaits the network; each request is its own task, so nothing blocks.
//! Also writes the files the app asks for (exports) and, after each complete load of the whole
//! owned list, the cache.

use std::time::SystemTime;

use tokio::sync::mpsc::UnboundedSender;

use crate::api::{Client, OwnedFilter};
use crate::app::{Action, Effect, ExportFailure, Reply, Request};
use crate::cache::Cache;

#[derive(Clone)]
pub struct Worker {
    client: Client,
    tx: UnboundedSender<Action>,
    cache: Option<Cache>,
}

impl Worker {
    pub fn new(client: Client, tx: UnboundedSender<Action>) -> Worker {
        Worker {
            client,
            tx,
            cache: None,
        }
    }

    /// Keeps each complete owned list (no API filter) in `cache`.
    pub fn with_cache(mut self, cache: Option<Cache>) -> Worker {
        self.cache = cache;
        self
    }

    /// Runs an [`Effect::Api`]; other effects are the loop's own.
    pub fn run(&self, effect: Effect) {
        let Effect::Api { id, request } = effect else {
            return;
        };
        let client = self.client.clone();
        let tx = self.tx.clone();
        let cache = self.cache.clone();
        tokio::spawn(async move {
            let mut to_cache: Option<(Cache, Vec<u8>)> = None;
            let reply = match request {
                Request::ListAll(filter) => {
                    let progress_tx = tx.clone();
                    let result = client
                        .list_all_pages(&filter, |progress, numbers| {
                            let _ = progress_tx.send(Action::Progress {
                                id,
                                progress,
                                numbers: numbers.to_vec(),
                            });
                        })
                        .await;
                    if let (Some(cache), Ok(numbers)) = (cache, &result)
                        && filter == OwnedFilter::default()
                    {
                        to_cache = Some((cache, Cache::encode(numbers, SystemTime::now())));
                    }
                    Reply::Listed(result)
                }
                Request::Search(query) => Reply::Searched(client.search(&query).await),
                Request::Buy(number) => Reply::Bought(client.buy(&number).await),
                Request::Cancel(number) => Reply::Cancelled(client.cancel(&number).await),
                Request::Update {
                    country,
                    msisdn,
                    change,
                    known,
                } => Reply::Updated(
                    client
                        .update(&country, &msisdn, &change, known.as_ref())
                        .await,
                ),
                Request::CheckWebhook(url) => Reply::WebhookChecked(
                    crate::api::webhook::probe(&url, crate::api::webhook::TIMEOUT).await,
                ),
                Request::Export {
                    path,
                    format,
                    numbers,
                    overwrite,
                } => Reply::Exported(
                    tokio::task::spawn_blocking(move || {
                        crate::export::write_file(&path, format, &numbers, overwrite)
                    })
                    .await
                    .unwrap_or_else(|e| Err(ExportFailure::Io(e.to_string()))),
                ),
            };
            // The UI may have quit: nobody to tell.
            let _ = tx.send(Action::Reply { id, reply });
            if let Some((cache, bytes)) = to_cache {
                let written = tokio::task::spawn_blocking(move || {
                    let r = cache.write(&bytes);
                    (cache, bytes.len(), r)
                })
                .await;
                match written {
                    Ok((cache, len, Ok(()))) => {
                        tracing::info!(path = %cache.path().display(), bytes = len, "owned list cached")
                    }
                    Ok((cache, _, Err(e))) => {
                        tracing::warn!(path = %cache.path().display(), error = %e, "cannot write the cache")
                    }
                    Err(e) => tracing::warn!(error = %e, "cache writer failed"),
                }
            }
        });
    }
}
