//! One line of the journal: a change to one number (buy, cancel, update), with the number's
//! complete configuration before and after, or to one application's webhooks, with its five
//! webhooks before and after; and how far it got.

use serde::{Deserialize, Serialize};

use crate::api::NumberConfig;
use crate::api::apps::AppWebhooks;

/// What a change does to a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The number joins the account (`before` is `None`).
    Buy,
    /// The number leaves the account (`after` is `None`).
    Cancel,
    /// The configuration changes from `before` to `after`.
    Update,
    /// An application's webhooks change (`app` says which, from what, to what; the entry's
    /// number fields are empty).
    App,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Buy => "buy",
            Kind::Cancel => "cancel",
            Kind::Update => "update",
            Kind::App => "app",
        }
    }
}

/// How far a change got. `Intent` is written before the request leaves; one of the others
/// replaces it (a later line with the same id) when the answer is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// About to be sent; still the status after a crash mid-request: it may have happened.
    Intent,
    Done,
    /// Refused: nothing changed.
    Failed,
    /// The answer was lost: it may have happened.
    Unknown,
    /// The number was already as the change would leave it (a buy of a number owned, a
    /// cancel of a number not owned): nothing was sent, nothing is undone.
    Already,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Intent => "intent",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Unknown => "unknown",
            Status::Already => "already",
        }
    }

    /// The change may have been carried out (everything but a refusal, or a change that had
    /// nothing to do).
    pub fn may_have_happened(self) -> bool {
        !matches!(self, Status::Failed | Status::Already)
    }
}

/// What an application's change did: its id and name, and its webhooks before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppChange {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub before: AppWebhooks,
    pub after: AppWebhooks,
}

impl AppChange {
    /// `answer_url=POST https://...`, `status_url removed`: each webhook changed.
    pub fn fields(&self) -> String {
        let fields: Vec<String> = self
            .before
            .changed(&self.after)
            .into_iter()
            .map(|h| match self.after.get(h) {
                Some(v) => format!("{}={v}", h.name()),
                None => format!("{} removed", h.name()),
            })
            .collect();
        if fields.is_empty() {
            "no change".to_string()
        } else {
            fields.join(", ")
        }
    }
}

/// One change to one number, or to one application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique and increasing within the journal.
    pub id: u64,
    /// Unix seconds when the intent was written.
    pub time: u64,
    /// The bulk run (or undo run) this change belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<u64>,
    pub kind: Kind,
    /// The application changed (a [`Kind::App`] entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AppChange>,
    /// The account the change was made for when it is not the journal's own: the
    /// subaccount's api key given as `target_api_key`. `None`: the journal's own account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub msisdn: String,
    /// The configuration before the change (`None` for a buy: the number was not owned).
    #[serde(default)]
    pub before: Option<NumberConfig>,
    /// The configuration after the change (`None` for a cancel).
    #[serde(default)]
    pub after: Option<NumberConfig>,
    pub status: Status,
    /// Why it failed, or why its outcome is unknown. Never holds the secret (API errors never
    /// do).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The entry this change undoes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<u64>,
}

impl Entry {
    /// One line for `history`: what changed, field by field for an update.
    pub fn summary(&self) -> String {
        let what = match self.kind {
            Kind::Buy => format!("buy {} ({})", self.msisdn, self.country),
            Kind::Cancel => format!("cancel {} ({})", self.msisdn, self.country),
            Kind::Update => {
                let empty = NumberConfig::default();
                let b = self.before.as_ref().unwrap_or(&empty);
                let a = self.after.as_ref().unwrap_or(&empty);
                let fields: Vec<String> = b
                    .diff(a)
                    .into_iter()
                    .map(|(f, _, a)| match a {
                        Some(v) => format!("{f}={v}"),
                        None => format!("{f} removed"),
                    })
                    .collect();
                let fields = if fields.is_empty() {
                    "no change".to_string()
                } else {
                    fields.join(", ")
                };
                format!("update {} ({}): {fields}", self.msisdn, self.country)
            }
            Kind::App => match &self.app {
                Some(a) if a.name.is_empty() => format!("app {}: {}", a.id, a.fields()),
                Some(a) => format!("app {} ({}): {}", a.name, a.id, a.fields()),
                None => "app (no application recorded)".to_string(),
            },
        };
        let what = match &self.account {
            Some(a) => format!("{what} for subaccount {a}"),
            None => what,
        };
        match self.undoes {
            Some(id) => format!("undo of #{id}: {what}"),
            None => what,
        }
    }
}
