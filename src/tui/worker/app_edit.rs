//! The worker's change of an application's webhooks, through the change engine (journaled,
//! read back when its answer is lost).

use crate::api::apps::AppWebhookChange;
use crate::app::Reply;

use super::Worker;

impl Worker {
    pub(super) async fn update_app(&self, id: String, change: AppWebhookChange) -> Reply {
        Reply::AppUpdated(
            crate::bulk::app_ops::update_app(&self.client, self.journal(), &id, &change).await,
        )
    }
}
