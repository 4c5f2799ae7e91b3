//! The SMS webhook pre-check: before an edit that sets `moHttpUrl` is saved, the URL is sent a
//! GET, as Vonage will send one, and the save dialog shows whether it answers 200. It never
//! blocks: the dialog opens at once with "checking…", and the user may save either way.

use super::dialog::{Dialog, WebhookCheck, WebhookStatus};
use super::{App, Effect, Request, RequestId};
use crate::api::{Change, NumberChange};

impl App {
    /// The check to start for `change`, when it sets a new SMS webhook URL.
    pub(super) fn start_webhook_check(
        &mut self,
        change: &NumberChange,
    ) -> Option<(WebhookCheck, Effect)> {
        let Change::Set(url) = &change.mo_http_url else {
            return None;
        };
        let url = url.trim().to_string();
        if url.is_empty() {
            return None;
        }
        let (id, effect) = self.request_id(Request::CheckWebhook(url.clone()));
        Some((
            WebhookCheck {
                id,
                url,
                status: WebhookStatus::Checking,
            },
            effect,
        ))
    }

    /// Against the live API, a webhook on this machine answers here but not to Vonage.
    pub(super) fn local_webhook_warning(&self, change: &NumberChange) -> Option<String> {
        let Change::Set(url) = &change.mo_http_url else {
            return None;
        };
        (self.target.live && crate::api::is_loopback_url(url.trim())).then(|| {
            "the SMS webhook is on this machine: Vonage cannot reach it, whatever it answers here"
                .to_string()
        })
    }

    /// The check's answer, shown in the save dialog (or the bulk confirmation) if it is still
    /// open for that URL.
    pub(super) fn webhook_checked(&mut self, id: RequestId, result: Result<u16, String>) {
        let status = match result {
            Ok(code) => WebhookStatus::Answered(code),
            Err(e) => WebhookStatus::Failed(e),
        };
        let open = self.screen.all_mut().find_map(|l| match l {
            super::Layer::Dialog(Dialog::ConfirmUpdate {
                webhook: Some(check),
                ..
            })
            | super::Layer::BulkConfirm(super::bulk::BulkConfirm {
                webhook: Some(check),
                ..
            }) if check.id == id => Some(check),
            _ => None,
        });
        match open {
            Some(check) => check.status = status,
            // The dialog was closed or saved: a warning still matters, but not over the
            // save's own error (which names the webhook as a likely cause).
            _ if status.is_warning() => self.messages.push_behind_errors(
                self.now,
                super::Level::Warn,
                format!("the SMS webhook {}", describe(&status).unwrap_or_default()),
            ),
            _ => {}
        }
    }
}

/// What the check found, as the dialog says it; `None` while checking.
pub fn describe(status: &WebhookStatus) -> Option<String> {
    match status {
        WebhookStatus::Checking => None,
        WebhookStatus::Answered(code) => Some(crate::api::webhook::verdict(&Ok(*code))),
        WebhookStatus::Failed(e) => Some(crate::api::webhook::verdict(&Err(e.clone()))),
    }
}
