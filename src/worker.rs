//! Runs the app's effects on the network and sends the replies back as actions. The only place
//! where the UI side awaits the network; each request is its own task, so nothing blocks.

use tokio::sync::mpsc::UnboundedSender;

use crate::api::Client;
use crate::app::{Action, Effect, Reply, Request};

#[derive(Clone)]
pub struct Worker {
    client: Client,
    tx: UnboundedSender<Action>,
}

impl Worker {
    pub fn new(client: Client, tx: UnboundedSender<Action>) -> Worker {
        Worker { client, tx }
    }

    pub fn run(&self, effect: Effect) {
        let Effect::Api { id, request } = effect;
        let client = self.client.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
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
            };
            // The UI may have quit: nobody to tell.
            let _ = tx.send(Action::Reply { id, reply });
        });
    }
}
