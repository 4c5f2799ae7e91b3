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

/// How many webhook checks run at once.
const PROBES_AT_ONCE: usize = 8;

/// GETs every URL as Vonage would (a few at a time), in the order given.
pub(super) async fn probe_webhooks(urls: Vec<String>) -> Reply {
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(PROBES_AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, url) in urls.iter().cloned().enumerate() {
        let gate = gate.clone();
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await;
            let answer = crate::api::webhook::probe(&url, crate::api::webhook::TIMEOUT).await;
            (i, answer)
        });
    }
    let mut answers: Vec<Option<Result<u16, String>>> = vec![None; urls.len()];
    while let Some(done) = tasks.join_next().await {
        if let Ok((i, answer)) = done {
            answers[i] = Some(answer);
        }
    }
    Reply::WebhooksProbed(
        urls.into_iter()
            .zip(answers)
            .map(|(u, a)| {
                (
                    u,
                    a.unwrap_or_else(|| Err("the check did not finish".into())),
                )
            })
            .collect(),
    )
}
