//! Runs the app's effects on the network and sends the replies back as actions. The only place
//! where the UI side awaits the network; each request is its own task, so nothing blocks.
//! Also writes the files the app asks for (exports) and journals every change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiError, Client};
use crate::app::{Action, Effect, ExportFailure, Reply, Request, RequestId};
use crate::bulk::{ItemError, StopFlag};
use crate::journal::Journal;

#[derive(Clone)]
pub struct Worker {
    client: Client,
    tx: UnboundedSender<Action>,
    /// Every buy, cancel and update is journaled here (when there is one), for undo.
    journal: Option<Arc<Journal>>,
    /// The stop flags of the runs going on, by the id of the request that started them.
    runs: Arc<Mutex<HashMap<RequestId, StopFlag>>>,
}

/// A journaled operation's error as the client's.
fn api_error(e: ItemError) -> ApiError {
    match e {
        ItemError::Api(a) => Arc::try_unwrap(a).unwrap_or_else(|a| ApiError::Config(a.to_string())),
        ItemError::Journal(_) => ApiError::Config(e.to_string()),
    }
}

impl Worker {
    pub fn new(client: Client, tx: UnboundedSender<Action>) -> Worker {
        Worker::with_journal(client, tx, None)
    }

    pub fn with_journal(
        client: Client,
        tx: UnboundedSender<Action>,
        journal: Option<Arc<Journal>>,
    ) -> Worker {
        Worker {
            client,
            tx,
            journal,
            runs: Arc::default(),
        }
    }

    /// Runs an [`Effect::Api`]; other effects are the loop's own.
    pub fn run(&self, effect: Effect) {
        let Effect::Api { id, request } = effect else {
            return;
        };
        let client = self.client.clone();
        let tx = self.tx.clone();
        let journal = self.journal.clone();
        let runs = self.runs.clone();
        tokio::spawn(async move {
            let j = journal.as_deref();
            let reply = match request {
                Request::ListAll(filter) => {
                    let progress_tx = tx.clone();
                    // Each page is moved to the app as it arrives, and the final reply carries
                    // no numbers: the app assembles the list, so it is never held twice.
                    Reply::Listed(
                        client
                            .list_all_streamed(&filter, |progress, numbers| {
                                let _ = progress_tx.send(Action::Progress {
                                    id,
                                    progress,
                                    numbers,
                                });
                            })
                            .await
                            .map(|()| Vec::new()),
                    )
                }
                Request::Search(query) => Reply::Searched(client.search(&query).await),
                Request::Buy(number) => Reply::Bought(
                    crate::bulk::ops::buy(&client, j, None, &number, None)
                        .await
                        .map_err(api_error),
                ),
                Request::Cancel(number) => Reply::Cancelled(
                    crate::bulk::ops::cancel(&client, j, None, &number, None, None)
                        .await
                        .map_err(api_error),
                ),
                Request::Update {
                    country,
                    msisdn,
                    change,
                    known,
                } => Reply::Updated({
                    // What this session does not know, the journal may (earlier sessions).
                    let known = known.or_else(|| journal_known(j).remove(msisdn.trim()));
                    crate::bulk::ops::update(
                        &client,
                        j,
                        None,
                        &country,
                        &msisdn,
                        &change,
                        known.as_ref(),
                    )
                    .await
                    .map_err(api_error)
                }),
                Request::Bulk {
                    targets,
                    change,
                    known,
                    batch,
                } => {
                    let mut known = known;
                    for (m, c) in journal_known(j) {
                        known.entry(m).or_insert(c);
                    }
                    let stop = register(&runs, id);
                    let progress_tx = tx.clone();
                    // The owned list (every number) is the read, page by page as it goes.
                    let report = crate::bulk::update_listed(
                        &client,
                        journal.clone(),
                        batch,
                        &crate::api::OwnedFilter::default(),
                        targets,
                        &change,
                        &known,
                        &stop,
                        |progress| {
                            let _ = progress_tx.send(Action::BulkProgress { id, progress });
                        },
                    )
                    .await;
                    unregister(&runs, id);
                    Reply::BulkDone(report)
                }
                Request::StopBulk(run) => {
                    if let Some(flag) = lock(&runs).get(&run) {
                        flag.stop();
                    }
                    Reply::StopSent
                }
                Request::ResumeBulk(run) => {
                    if let Some(flag) = lock(&runs).get(&run) {
                        flag.resume();
                    }
                    Reply::StopSent
                }
                Request::PlanUndo(target) => Reply::UndoPlanned(match &journal {
                    None => Err(
                        "no journal: undo is not available (see the log for why it could not be opened)"
                            .to_string(),
                    ),
                    Some(j) => match j.read() {
                        Ok(contents) => {
                            crate::journal::plan(&contents, target).map_err(|e| e.to_string())
                        }
                        Err(e) => Err(format!("cannot read the journal: {e}")),
                    },
                }),
                Request::Undo { plan, force } => 'undo: {
                    let Some(journal) = journal.clone() else {
                        break 'undo Reply::Undone(crate::bulk::Report::default());
                    };
                    let stop = register(&runs, id);
                    let progress_tx = tx.clone();
                    let report = crate::undo::run(&client, journal, &plan, force, &stop, |progress| {
                        let _ = progress_tx.send(Action::BulkProgress { id, progress });
                    })
                    .await;
                    unregister(&runs, id);
                    Reply::Undone(report)
                }
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
        });
    }
}

fn lock(
    runs: &Mutex<HashMap<RequestId, StopFlag>>,
) -> std::sync::MutexGuard<'_, HashMap<RequestId, StopFlag>> {
    runs.lock().unwrap_or_else(|e| e.into_inner())
}

fn register(runs: &Mutex<HashMap<RequestId, StopFlag>>, id: RequestId) -> StopFlag {
    let stop = StopFlag::pausable();
    lock(runs).insert(id, stop.clone());
    stop
}

fn unregister(runs: &Mutex<HashMap<RequestId, StopFlag>>, id: RequestId) {
    lock(runs).remove(&id);
}

/// The configurations the journal knows, by msisdn (empty without one).
fn journal_known(journal: Option<&Journal>) -> HashMap<String, crate::api::NumberConfig> {
    match journal.map(Journal::read) {
        Some(Ok(contents)) => crate::journal::known_configs(&contents),
        Some(Err(e)) => {
            tracing::warn!(error = %e, "cannot read the journal");
            HashMap::new()
        }
        None => HashMap::new(),
    }
}
