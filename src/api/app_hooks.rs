//! The five webhooks switchboard edits on an application (voice answer, fallback answer and
//! event; messages inbound and status), each an address and an HTTP method, as one value the
//! journal records before and after a change, and the read-modify-write that sends them: only
//! the webhooks changed are written into the application's own JSON, everything else (keys,
//! privacy, other capabilities and webhooks, fields unknown here) goes back as it was read.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::apps::{AppWebhookChange, Application};
use super::client::Client;
use super::error::ApiError;

/// One of the webhooks switchboard edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hook {
    Answer,
    FallbackAnswer,
    Event,
    Inbound,
    Status,
}

impl Hook {
    pub const ALL: [Hook; 5] = [
        Hook::Answer,
        Hook::FallbackAnswer,
        Hook::Event,
        Hook::Inbound,
        Hook::Status,
    ];

    /// The capability it belongs to: `voice` or `messages`.
    pub fn capability(self) -> &'static str {
        match self {
            Hook::Answer | Hook::FallbackAnswer | Hook::Event => "voice",
            Hook::Inbound | Hook::Status => "messages",
        }
    }

    /// Its name in the API: `answer_url`...
    pub fn name(self) -> &'static str {
        match self {
            Hook::Answer => "answer_url",
            Hook::FallbackAnswer => "fallback_answer_url",
            Hook::Event => "event_url",
            Hook::Inbound => "inbound_url",
            Hook::Status => "status_url",
        }
    }

    /// Short, for forms and lists: `answer`, `fallback`...
    pub fn label(self) -> &'static str {
        match self {
            Hook::Answer => "answer",
            Hook::FallbackAnswer => "fallback",
            Hook::Event => "event",
            Hook::Inbound => "inbound",
            Hook::Status => "status",
        }
    }
}

/// Where a webhook goes, and with which method (`None`: the application has none set).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookSetting {
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
}

impl std::fmt::Display for HookSetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.http_method {
            Some(m) => write!(f, "{m} {}", self.address),
            None => f.write_str(&self.address),
        }
    }
}

/// The five webhooks of an application (`None`: not set).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppWebhooks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_url: Option<HookSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_answer_url: Option<HookSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_url: Option<HookSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_url: Option<HookSetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_url: Option<HookSetting>,
}

impl AppWebhooks {
    /// The application's five webhooks as read.
    pub fn of(app: &Application) -> AppWebhooks {
        let mut out = AppWebhooks::default();
        for h in Hook::ALL {
            *out.slot(h) = app
                .webhooks
                .iter()
                .find(|w| w.capability == h.capability() && w.name == h.name())
                .map(|w| HookSetting {
                    address: w.address.clone(),
                    http_method: w.http_method.clone(),
                });
        }
        out
    }

    pub fn get(&self, hook: Hook) -> Option<&HookSetting> {
        match hook {
            Hook::Answer => self.answer_url.as_ref(),
            Hook::FallbackAnswer => self.fallback_answer_url.as_ref(),
            Hook::Event => self.event_url.as_ref(),
            Hook::Inbound => self.inbound_url.as_ref(),
            Hook::Status => self.status_url.as_ref(),
        }
    }

    pub fn slot(&mut self, hook: Hook) -> &mut Option<HookSetting> {
        match hook {
            Hook::Answer => &mut self.answer_url,
            Hook::FallbackAnswer => &mut self.fallback_answer_url,
            Hook::Event => &mut self.event_url,
            Hook::Inbound => &mut self.inbound_url,
            Hook::Status => &mut self.status_url,
        }
    }

    /// The webhooks that differ from `other`, in order.
    pub fn changed(&self, other: &AppWebhooks) -> Vec<Hook> {
        Hook::ALL
            .into_iter()
            .filter(|h| self.get(*h) != other.get(*h))
            .collect()
    }

    /// `POST https://...`, or `(none)`.
    pub fn show(&self, hook: Hook) -> String {
        self.get(hook)
            .map_or_else(|| "(none)".to_string(), ToString::to_string)
    }

    /// `self` with `hooks` as `from` has them.
    pub fn with(&self, from: &AppWebhooks, hooks: &[Hook]) -> AppWebhooks {
        let mut out = self.clone();
        for h in hooks {
            *out.slot(*h) = from.get(*h).cloned();
        }
        out
    }

    /// The application's JSON with `hooks` set (or removed) as `self` has them, everything
    /// else as read. A webhook of a capability the application does not have is refused
    /// (adding a capability is not a webhook change).
    pub fn write_into(&self, app: &Application, hooks: &[Hook]) -> Result<Value, ApiError> {
        let mut raw = app.raw.clone();
        for h in hooks {
            let (cap, name) = (h.capability(), h.name());
            let setting = self.get(*h);
            let Some(capability) = raw
                .get_mut("capabilities")
                .and_then(|c| c.get_mut(cap))
                .and_then(Value::as_object_mut)
            else {
                if setting.is_none() {
                    continue;
                }
                return Err(ApiError::InvalidInput {
                    field: name,
                    message: format!(
                        "application {} has no {cap} capability: add it on the dashboard first",
                        app.id
                    ),
                });
            };
            let Some(setting) = setting else {
                if let Some(w) = capability
                    .get_mut("webhooks")
                    .and_then(Value::as_object_mut)
                {
                    w.remove(name);
                }
                continue;
            };
            let webhooks = capability
                .entry("webhooks")
                .or_insert_with(|| Value::Object(Default::default()));
            let Some(webhooks) = webhooks.as_object_mut() else {
                return Err(ApiError::InvalidInput {
                    field: name,
                    message: format!("application {}'s {cap} webhooks are not an object", app.id),
                });
            };
            let hook = webhooks
                .entry(name)
                .or_insert_with(|| Value::Object(Default::default()));
            if !hook.is_object() {
                *hook = Value::Object(Default::default());
            }
            if let Some(o) = hook.as_object_mut() {
                o.insert("address".into(), Value::String(setting.address.clone()));
                match &setting.http_method {
                    Some(m) => {
                        o.insert("http_method".into(), Value::String(m.clone()));
                    }
                    None => {
                        o.remove("http_method");
                    }
                }
            }
        }
        // Links are the server's, not part of what is replaced.
        if let Some(o) = raw.as_object_mut() {
            o.remove("_links");
        }
        Ok(raw)
    }
}

/// An HTTP method as typed: `GET` or `POST` (any case).
pub fn http_method(field: &'static str, input: &str) -> Result<String, ApiError> {
    let m = input.trim().to_ascii_uppercase();
    if m == "GET" || m == "POST" {
        Ok(m)
    } else {
        Err(ApiError::InvalidInput {
            field,
            message: format!(
                "{} is not an HTTP method for a webhook (GET or POST)",
                super::validate::quote(input)
            ),
        })
    }
}

impl AppWebhookChange {
    /// `hooks` with this change made: each address given set (validated), each method given
    /// set (GET or POST); a webhook set for the first time is POST unless a method is given.
    /// A method for a webhook that has no address, before or in the change, is refused.
    pub fn applied(&self, hooks: &AppWebhooks) -> Result<AppWebhooks, ApiError> {
        let mut out = hooks.clone();
        for (h, address) in self.addresses() {
            let address = super::validate::url(h.name(), address)?;
            let slot = out.slot(h);
            match slot {
                Some(s) => s.address = address,
                None => {
                    *slot = Some(HookSetting {
                        address,
                        http_method: Some("POST".into()),
                    })
                }
            }
        }
        for (h, method) in &self.methods {
            let method = http_method(h.name(), method)?;
            match out.slot(*h) {
                Some(s) => s.http_method = Some(method),
                None => {
                    return Err(ApiError::InvalidInput {
                        field: h.name(),
                        message: format!("{} has no address: give one with its method", h.name()),
                    });
                }
            }
        }
        Ok(out)
    }

    /// (webhook, new address) of each address given.
    pub fn addresses(&self) -> Vec<(Hook, &str)> {
        [
            (Hook::Answer, &self.answer_url),
            (Hook::FallbackAnswer, &self.fallback_answer_url),
            (Hook::Event, &self.event_url),
            (Hook::Inbound, &self.inbound_url),
            (Hook::Status, &self.status_url),
        ]
        .into_iter()
        .filter_map(|(h, v)| v.as_deref().map(|v| (h, v)))
        .collect()
    }

    /// Checks every address and method given, before anything is read or sent.
    pub fn validate(&self) -> Result<(), ApiError> {
        for (h, address) in self.addresses() {
            super::validate::url(h.name(), address)?;
        }
        for (h, method) in &self.methods {
            http_method(h.name(), method)?;
        }
        Ok(())
    }

    /// True when nothing is given.
    pub fn is_empty(&self) -> bool {
        self.addresses().is_empty() && self.methods.is_empty()
    }
}

impl Client {
    /// Sends `app` with its webhooks set to `after` (only those that differ from what `app`
    /// holds are written; everything else as read). A request whose answer is lost or refused
    /// is settled by reading the application back: if it holds `after`, the change was made
    /// (returned with a warning saying so). Returns the application as the server answered
    /// (or as read back).
    pub async fn send_app_webhooks_verified(
        &self,
        app: &Application,
        after: &AppWebhooks,
    ) -> Result<(Application, Option<String>), ApiError> {
        let hooks = AppWebhooks::of(app).changed(after);
        let body = after.write_into(app, &hooks)?;
        match self.put_application(&app.id, &body).await {
            Ok(a) => Ok((a, None)),
            // Refused before anything was sent.
            Err(e @ (ApiError::InvalidInput { .. } | ApiError::Config(_))) => Err(e),
            Err(e) => {
                let read = self.application(&app.id).await.ok().flatten();
                match read {
                    Some(read) if AppWebhooks::of(&read) == *after => {
                        tracing::warn!(error = %e, "application update not confirmed; read back");
                        Ok((
                            read,
                            Some(format!(
                                "the answer was lost or refused ({e}); reading the application back shows the change was made"
                            )),
                        ))
                    }
                    _ => Err(e),
                }
            }
        }
    }
}
