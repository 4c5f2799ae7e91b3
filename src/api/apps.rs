//! The Applications API (`GET /v2/applications`, `GET` and `PUT /v2/applications/{id}`, on
//! the API host) and the account's balance (`GET /account/get-balance`, on the Numbers API's
//! host). `PUT` replaces the whole application, so a webhook change is read-modify-write of
//! the application's own JSON: every field not edited (keys, privacy, other capabilities,
//! fields this client does not know) goes back as it was read.

use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use std::collections::BTreeMap;

pub use super::app_hooks::{AppWebhooks, Hook, HookSetting, http_method};
use super::classify::classify;
use super::client::Client;
use super::error::{ApiError, Operation};
use super::lenient::excerpt;
use super::transport::{retry_after, transport_error};
use super::wait::Stage;

/// Pages of this size are asked for (the API's largest).
const PAGE_SIZE: u32 = 100;
/// At most this many pages are read (10,000 applications): a server announcing more is wrong.
const MAX_PAGES: u64 = 100;

/// One webhook of a capability: where it goes and with which method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    /// `voice`, `messages`, `rtc`...
    pub capability: String,
    /// `answer_url`, `event_url`, `fallback_answer_url`, `inbound_url`, `status_url`...
    pub name: String,
    pub address: String,
    pub http_method: Option<String>,
}

/// An application as listed, and its JSON as the API gave it (sent back on a change).
#[derive(Clone, Debug, PartialEq)]
pub struct Application {
    pub id: String,
    pub name: String,
    /// The capabilities present, in the API's order (`voice`, `messages`, `rtc`, `vbc`...).
    pub capabilities: Vec<String>,
    pub webhooks: Vec<Webhook>,
    pub raw: Value,
}

impl Application {
    /// Reads an application leniently: `None` without an `id`.
    pub fn from_value(raw: Value) -> Option<Application> {
        let id = raw.get("id")?.as_str()?.to_string();
        let name = raw
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut capabilities = Vec::new();
        let mut webhooks = Vec::new();
        if let Some(caps) = raw.get("capabilities").and_then(Value::as_object) {
            for (cap, v) in caps {
                capabilities.push(cap.clone());
                let Some(hooks) = v.get("webhooks").and_then(Value::as_object) else {
                    continue;
                };
                for (hook, h) in hooks {
                    let Some(address) = h.get("address").and_then(Value::as_str) else {
                        continue;
                    };
                    webhooks.push(Webhook {
                        capability: cap.clone(),
                        name: hook.clone(),
                        address: address.to_string(),
                        http_method: h
                            .get("http_method")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                    });
                }
            }
        }
        Some(Application {
            id,
            name,
            capabilities,
            webhooks,
            raw,
        })
    }

    pub fn has(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }

    /// The address of `capability`'s webhook `name`.
    pub fn webhook(&self, capability: &str, name: &str) -> Option<&str> {
        self.webhooks
            .iter()
            .find(|w| w.capability == capability && w.name == name)
            .map(|w| w.address.as_str())
    }
}

/// A change of an application's webhook addresses; `None` leaves one as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppWebhookChange {
    pub answer_url: Option<String>,
    pub fallback_answer_url: Option<String>,
    pub event_url: Option<String>,
    pub inbound_url: Option<String>,
    pub status_url: Option<String>,
    /// New HTTP methods (`GET`, `POST`), by webhook.
    pub methods: BTreeMap<Hook, String>,
}

impl AppWebhookChange {
    /// (capability, webhook, new address) of each field set.
    pub fn edits(&self) -> Vec<(&'static str, &'static str, &str)> {
        [
            ("voice", "answer_url", &self.answer_url),
            ("voice", "fallback_answer_url", &self.fallback_answer_url),
            ("voice", "event_url", &self.event_url),
            ("messages", "inbound_url", &self.inbound_url),
            ("messages", "status_url", &self.status_url),
        ]
        .into_iter()
        .filter_map(|(c, n, v)| v.as_deref().map(|v| (c, n, v)))
        .collect()
    }

    /// The application's JSON with these webhooks set, everything else as it was. A webhook of
    /// a capability the application does not have is refused (adding a capability is not a
    /// webhook change); its method is kept (POST when it had none).
    pub fn apply(&self, app: &Application) -> Result<Value, ApiError> {
        let before = AppWebhooks::of(app);
        let after = self.applied(&before)?;
        after.write_into(app, &before.changed(&after))
    }
}

/// The account's balance in EUR.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Balance {
    pub value: f64,
    pub auto_reload: bool,
}

/// The message of an `application/problem+json` body: title, detail, invalid parameters.
fn problem_text(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return excerpt(body, 160);
    };
    let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default();
    let mut text = [field("title"), field("detail")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    if let Some(params) = v.get("invalid_parameters").and_then(Value::as_array) {
        for p in params {
            let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
            let reason = p.get("reason").and_then(Value::as_str).unwrap_or("invalid");
            text.push_str(&format!("; {name} {reason}"));
        }
    }
    if text.is_empty() {
        excerpt(body, 160)
    } else {
        excerpt(&text, 300)
    }
}

impl Client {
    /// The Applications API's base URL in use.
    pub fn api_host(&self) -> &str {
        self.inner.api_base.as_str()
    }

    /// One request with a JSON body or none; `Ok(None)` for 404. Paced by the limiter, a 429
    /// retried after its Retry-After (a few times).
    async fn app_call(
        &self,
        op: Operation,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Option<Value>, ApiError> {
        let inner = &self.inner;
        let mut throttled = 0;
        let host = url.host_str().unwrap_or("the Applications API").to_string();
        let slot = inner.board.slot(op, host, 1);
        loop {
            slot.set(Stage::Turn);
            let (ticket, timeout) = self.turn(op).await?;
            let mut req = inner
                .http
                .request(method.clone(), url.clone())
                .timeout(timeout)
                .basic_auth(
                    &inner.credentials.api_key,
                    Some(inner.credentials.expose_secret()),
                );
            if let Some(body) = body {
                req = req.json(body);
            }
            slot.set(Stage::Answer);
            let resp = req.send().await.map_err(|e| {
                self.cut_by_deadline(transport_error(op, &e, timeout), timeout, "the answer")
            })?;
            let status = resp.status();
            let wait = retry_after(resp.headers());
            let chunk_timeout = timeout.min(super::body::CHUNK_TIMEOUT);
            let text = super::body::read_bounded(op, resp, chunk_timeout, &slot)
                .await
                .map_err(|e| self.cut_by_deadline(e, timeout, "the rest of the answer"))?;
            if status == StatusCode::TOO_MANY_REQUESTS {
                inner.limiter.on_throttled(ticket.sent, wait);
                throttled += 1;
                if throttled <= 5 {
                    continue;
                }
                return Err(ApiError::RateLimited {
                    op,
                    retry_after: wait,
                });
            }
            inner.limiter.on_success();
            return match status.as_u16() {
                404 => Ok(None),
                400 | 422 => Err(ApiError::MethodFailed {
                    op,
                    label: problem_text(&text),
                    hint: "the server refused the application's fields",
                }),
                401 | 403 => Err(ApiError::Authentication {
                    op,
                    label: format!(
                        "{}; this key may not use the Applications API",
                        problem_text(&text)
                    ),
                }),
                _ => classify(op, status, wait, &text).map(Some),
            };
        }
    }

    fn app_url(&self, path: &str) -> Result<Url, ApiError> {
        self.inner
            .api_base
            .join(path)
            .map_err(|e| ApiError::Config(format!("URL: {e}")))
    }

    /// Every application of the account, over all pages.
    pub async fn applications(&self) -> Result<Vec<Application>, ApiError> {
        let op = Operation::ListApplications;
        let mut all = Vec::new();
        let mut page = 1u64;
        loop {
            let mut url = self.app_url("/v2/applications")?;
            url.query_pairs_mut()
                .append_pair("page_size", &PAGE_SIZE.to_string())
                .append_pair("page", &page.to_string());
            let v = self
                .app_call(op, Method::GET, url, None)
                .await?
                .unwrap_or(Value::Null);
            let apps = v
                .pointer("/_embedded/applications")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let got = apps.len();
            all.extend(apps.into_iter().filter_map(Application::from_value));
            let pages = v.get("total_pages").and_then(Value::as_u64).unwrap_or(1);
            if got == 0 || page >= pages.min(MAX_PAGES) {
                return Ok(all);
            }
            page += 1;
        }
    }

    /// One application; `Ok(None)` when no application has this id.
    pub async fn application(&self, id: &str) -> Result<Option<Application>, ApiError> {
        let id = app_id(id)?;
        let url = self.app_url(&format!("/v2/applications/{id}"))?;
        let v = self
            .app_call(Operation::GetApplication, Method::GET, url, None)
            .await?;
        Ok(v.and_then(Application::from_value))
    }

    /// Changes webhook addresses of application `id` by read-modify-write: reads it, sets the
    /// addresses, and sends back the whole application (keys, privacy, other capabilities and
    /// fields unknown here untouched). Returns the application before and after.
    pub async fn update_application_webhooks(
        &self,
        id: &str,
        change: &AppWebhookChange,
    ) -> Result<(Application, Application), ApiError> {
        let op = Operation::UpdateApplication;
        if change.is_empty() {
            return Err(ApiError::InvalidInput {
                field: "webhooks",
                message: "nothing to change: give at least one webhook URL".into(),
            });
        }
        change.validate()?;
        let before = self.application(id).await?.ok_or_else(|| unknown(op, id))?;
        let body = change.apply(&before)?;
        let after = self.put_application(&before.id, &body).await?;
        Ok((before, after))
    }

    /// `PUT` of a whole application (`body` replaces it), answered with the application.
    pub async fn put_application(&self, id: &str, body: &Value) -> Result<Application, ApiError> {
        let op = Operation::UpdateApplication;
        let id = app_id(id)?;
        let url = self.app_url(&format!("/v2/applications/{id}"))?;
        let after = self
            .app_call(op, Method::PUT, url, Some(body))
            .await?
            .ok_or_else(|| unknown(op, id))?;
        Application::from_value(after).ok_or_else(|| ApiError::Undecodable {
            op,
            status: 200,
            excerpt: "an application without an id".into(),
        })
    }

    /// The account's balance (`GET /account/get-balance` on the Numbers API's host).
    pub async fn balance(&self) -> Result<Balance, ApiError> {
        let op = Operation::Balance;
        let v = self
            .call(
                op,
                Method::GET,
                "/account/get-balance",
                &super::query::Params::default(),
            )
            .await?;
        let value = match v.get("value") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let value = value
            .filter(|v| v.is_finite())
            .ok_or_else(|| ApiError::Undecodable {
                op,
                status: 200,
                excerpt: excerpt(&v.to_string(), 160),
            })?;
        Ok(Balance {
            value,
            auto_reload: v
                .get("autoReload")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }
}

fn unknown(op: Operation, id: &str) -> ApiError {
    ApiError::UnexpectedStatus {
        op,
        status: 404,
        excerpt: format!("no application has the id {}", super::validate::quote(id)),
    }
}

/// An application id as typed: letters, digits and dashes (a UUID), nothing that would
/// change the path.
pub fn app_id(id: &str) -> Result<&str, ApiError> {
    let id = id.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(ApiError::InvalidInput {
            field: "application id",
            message: format!(
                "{} is not an application id (letters, digits and dashes)",
                super::validate::quote(id)
            ),
        });
    }
    Ok(id)
}
