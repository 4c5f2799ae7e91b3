//! Runs the app's effects on the network and sends the replies back as actions. The only place
//! where the UI side awaits the network; each request is its own task, so nothing blocks.
//! One async function per request, grouped by what they touch: `numbers` (list, search, buy,
//! cancel, update, the webhook check), `apps` (the applications, the balance), `app_edit` (an
//! application's webhooks), `runs` (bulk runs, undo and their stop flags), `files`
//! (exports).

mod app_edit;
mod apps;
mod files;
mod numbers;
mod runs;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use crate::api::Client;
use crate::app::{Action, Effect, Reply, Request, RequestId};
use crate::bulk::StopFlag;
use crate::journal::Journal;

/// What every request's task may use: the client, the way back to the app, the journal and
/// the stop flags of the runs going on.
#[derive(Clone)]
pub struct Worker {
    client: Client,
    tx: UnboundedSender<Action>,
    /// Every buy, cancel and update is journaled here (when there is one), for undo.
    journal: Option<Arc<Journal>>,
    /// The stop flags of the runs going on, by the id of the request that started them.
    runs: Arc<Mutex<HashMap<RequestId, StopFlag>>>,
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

    /// Runs an [`Effect::Api`] in a task of its own; other effects are the loop's own.
    pub fn run(&self, effect: Effect) {
        let Effect::Api { id, request } = effect else {
            return;
        };
        let w = self.clone();
        tokio::spawn(async move {
            let reply = w.answer(id, request).await;
            // The UI may have quit: nobody to tell.
            let _ = w.tx.send(Action::Reply { id, reply });
        });
    }

    /// The reply to one request.
    async fn answer(&self, id: RequestId, request: Request) -> Reply {
        match request {
            Request::ListAll(filter) => self.list_all(id, filter).await,
            Request::Search(query) => Reply::Searched(self.client.search(&query).await),
            Request::Buy(number) => self.buy(number).await,
            Request::Cancel(number) => self.cancel(number).await,
            Request::Update {
                country,
                msisdn,
                change,
                known,
            } => self.update(country, msisdn, change, known).await,
            Request::CheckWebhook(url) => numbers::check_webhook(url).await,
            Request::Applications => self.applications().await,
            Request::Balance => self.balance().await,
            Request::UpdateApp { id, change } => self.update_app(id, change).await,
            Request::ProbeWebhooks(urls) => apps::probe_webhooks(urls).await,
            Request::Bulk {
                targets,
                change,
                known,
                batch,
            } => self.bulk(id, targets, change, known, batch).await,
            Request::StopBulk(run) => self.signal(run, StopFlag::stop),
            Request::ResumeBulk(run) => self.signal(run, StopFlag::resume),
            Request::PlanUndo(target) => self.plan_undo(target),
            Request::Undo { plan, force } => self.undo(id, plan, force).await,
            Request::FindCutShort => self.find_cut_short().await,
            Request::Reconcile => self.reconcile().await,
            Request::Export {
                path,
                format,
                numbers,
                overwrite,
            } => files::export(path, format, numbers, overwrite).await,
        }
    }

    fn journal(&self) -> Option<&Journal> {
        self.journal.as_deref()
    }
}
