//! The worker's reads of the account: every application (every page) and the balance; and
//! the doctor's GET check of SMS webhooks.

use crate::app::Reply;

use super::Worker;

impl Worker {
    pub(super) async fn applications(&self) -> Reply {
        Reply::Applications(self.client.applications().await)
    }

    pub(super) async fn balance(&self) -> Reply {
        Reply::Balance(self.client.balance().await)
    }
}

/// GETs every SMS webhook URL as Vonage would.
pub(super) async fn probe_webhooks(urls: Vec<String>) -> Reply {
    Reply::WebhooksProbed(crate::api::webhook::probe_all(urls).await)
}
