//! The worker's reads of the account: every application (every page) and the balance.

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
