//! The Applications API (`/v2/applications`, the live service's `api.nexmo.com`) and the
//! account's balance (`/account/get-balance`), served on the sandbox's one port.
//!
//! Applications are seeded from the seed: their ids are the ones the owned numbers link to
//! (`seed::application_ids`); some have voice, some messages, some both, and two share a name.
//! Each is kept as the JSON the service shows, so a `PUT` REPLACES it as the real one does (a
//! capability left out is removed, `name` is required) and unknown fields survive. Errors are
//! the service's `application/problem+json` bodies.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::query::Params;
use super::seed;

/// The path of the list; one application is `APPS/{id}`.
pub(crate) const APPS: &str = "/v2/applications";
pub(crate) const BALANCE: &str = "/account/get-balance";

/// Every application, by id (one set for the sandbox's accounts).
#[derive(Clone, Debug, Default)]
pub(crate) struct Apps(pub(crate) BTreeMap<String, Value>);

/// The seeded names, in the order of `seed::application_ids`: two share "Support line".
const SEEDED: [(&str, bool, bool); 5] = [
    ("Voice IVR", true, false),
    ("SMS inbox", false, true),
    ("Support line", true, true),
    ("Support line", true, false),
    ("Alerts", false, true),
];

fn webhook(url: String) -> Value {
    json!({ "address": url, "http_method": "POST", "connection_timeout": 500, "socket_timeout": 3000 })
}

/// One seeded application as the service shows it.
fn seeded_app(id: &str, n: usize, name: &str, voice: bool, messages: bool) -> Value {
    let base = format!("https://example.com/apps/{n}");
    let mut capabilities = serde_json::Map::new();
    if voice {
        capabilities.insert(
            "voice".into(),
            json!({
                "webhooks": {
                    "answer_url": webhook(format!("{base}/answer")),
                    "fallback_answer_url": webhook(format!("{base}/fallback")),
                    "event_url": webhook(format!("{base}/event")),
                },
                "signed_callbacks": true,
                "conversations_ttl": 48,
                "leg_persistence_time": 7,
                "region": "eu-west",
            }),
        );
    }
    if messages {
        capabilities.insert(
            "messages".into(),
            json!({
                "webhooks": {
                    "inbound_url": webhook(format!("{base}/inbound")),
                    "status_url": webhook(format!("{base}/status")),
                },
                "version": "v1",
                "authenticate_inbound_media": false,
            }),
        );
    }
    if n == 2 {
        capabilities.insert(
            "rtc".into(),
            json!({ "webhooks": { "event_url": webhook(format!("{base}/rtc")) }, "signed_callbacks": true }),
        );
    }
    json!({
        "id": id,
        "name": name,
        "capabilities": capabilities,
        "privacy": { "improve_ai": n.is_multiple_of(2) },
        "keys": {
            "public_key": format!("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsandbox{n}\n-----END PUBLIC KEY-----\n"),
        },
        "_links": { "self": { "href": format!("{APPS}/{id}") } },
    })
}

impl Apps {
    /// The applications of `seed`, whose ids the seeded numbers link to.
    pub(crate) fn seeded(seed_value: u64) -> Apps {
        let ids = seed::application_ids(seed_value);
        let mut map = BTreeMap::new();
        for (n, (id, (name, voice, messages))) in ids.iter().zip(SEEDED).enumerate() {
            map.insert(id.to_string(), seeded_app(id, n, name, voice, messages));
        }
        Apps(map)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }
}

/// A route of this module: the list, one application, the balance.
pub(crate) enum AppRoute {
    List,
    One(String),
    Balance,
}

impl AppRoute {
    pub(crate) fn of(path: &str) -> Option<AppRoute> {
        if path == BALANCE {
            return Some(AppRoute::Balance);
        }
        let rest = path.strip_prefix(APPS)?;
        match rest.trim_end_matches('/') {
            "" => Some(AppRoute::List),
            r => {
                let id = r.strip_prefix('/')?;
                (!id.is_empty() && !id.contains('/')).then(|| AppRoute::One(id.to_string()))
            }
        }
    }

    /// The path named in the sandbox's counters.
    pub(crate) fn stats_path(&self) -> &'static str {
        match self {
            AppRoute::List => APPS,
            AppRoute::One(_) => "/v2/applications/{id}",
            AppRoute::Balance => BALANCE,
        }
    }
}

fn problem(status: StatusCode, kind: &str, title: &str, detail: &str, extra: Value) -> Response {
    let mut body = json!({
        "type": format!("https://developer.nexmo.com/api-errors/application#{kind}"),
        "title": title,
        "detail": detail,
        "instance": "sandbox",
    });
    if let (Some(b), Value::Object(extra)) = (body.as_object_mut(), extra) {
        b.extend(extra);
    }
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Body::from(body.to_string()),
    )
        .into_response()
}

fn ok(body: &Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(body.to_string()),
    )
        .into_response()
}

/// 401 as the Applications API answers a bad key or secret.
pub(crate) fn unauthorized() -> Response {
    problem(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Invalid credentials supplied",
        "You did not provide correct credentials.",
        Value::Null,
    )
}

fn invalid(kind: &str, name: &str, reason: &str) -> Response {
    problem(
        StatusCode::BAD_REQUEST,
        kind,
        "Bad Request",
        "The request failed due to validation errors",
        json!({ "invalid_parameters": [{ "name": name, "reason": reason }] }),
    )
}

fn not_found(id: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not Found",
        &format!("Application {id} does not exist, or you do not have access"),
        Value::Null,
    )
}

fn method_not_allowed() -> Response {
    problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method Not Allowed",
        "This method is not allowed on this resource",
        Value::Null,
    )
}

fn int_param(params: &Params, name: &str, default: u64) -> Result<u64, ()> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ()),
    }
}

fn list(apps: &Apps, params: &Params) -> Response {
    let Ok(size) = int_param(params, "page_size", 10) else {
        return invalid("list-validation", "page_size", "must be an integer");
    };
    if !(1..=100).contains(&size) {
        return invalid("list-validation", "page_size", "must be between 1 and 100");
    }
    let Ok(page) = int_param(params, "page", 1) else {
        return invalid("list-validation", "page", "must be an integer");
    };
    if page < 1 {
        return invalid("list-validation", "page", "must be at least 1");
    }
    let total = apps.0.len() as u64;
    let pages = total.div_ceil(size).max(1);
    let shown: Vec<&Value> = apps
        .0
        .values()
        .skip(((page - 1) * size) as usize)
        .take(size as usize)
        .collect();
    ok(&json!({
        "page_size": size,
        "page": page,
        "total_items": total,
        "total_pages": pages,
        "_embedded": { "applications": shown },
        "_links": { "self": { "href": format!("{APPS}?page_size={size}&page={page}") } },
    }))
}

/// `PUT`: the body replaces the application (its id and links kept); `name` is required and
/// each capability present must be an object.
fn replace(apps: &mut Apps, id: &str, body: &[u8]) -> Response {
    if !apps.0.contains_key(id) {
        return not_found(id);
    }
    let Ok(Value::Object(mut new)) = serde_json::from_slice::<Value>(body) else {
        return invalid("payload-validation", "body", "must be a JSON object");
    };
    match new.get("name") {
        Some(Value::String(n)) if !n.trim().is_empty() => {}
        _ => return invalid("payload-validation", "name", "is required"),
    }
    if let Some(caps) = new.get("capabilities") {
        let Value::Object(caps) = caps else {
            return invalid("payload-validation", "capabilities", "must be an object");
        };
        for (name, cap) in caps {
            if !cap.is_object() {
                return invalid(
                    "payload-validation",
                    &format!("capabilities.{name}"),
                    "must be an object",
                );
            }
            if let Some(hooks) = cap.get("webhooks").and_then(Value::as_object) {
                for (hook, v) in hooks {
                    let method = v.get("http_method").and_then(Value::as_str);
                    if method.is_some_and(|m| m != "GET" && m != "POST") {
                        return invalid(
                            "payload-validation",
                            &format!("capabilities.{name}.webhooks.{hook}.http_method"),
                            "must be one of: GET, POST",
                        );
                    }
                    let address = v.get("address").and_then(Value::as_str).unwrap_or("");
                    if !(address.starts_with("https://") || address.starts_with("http://")) {
                        return invalid(
                            "payload-validation",
                            &format!("capabilities.{name}.webhooks.{hook}.address"),
                            "must be an absolute http(s) URL",
                        );
                    }
                }
            }
        }
    }
    // The keys are the service's: a PUT without them keeps the public key.
    let old = &apps.0[id];
    if !new.contains_key("keys")
        && let Some(keys) = old.get("keys")
    {
        new.insert("keys".into(), keys.clone());
    }
    new.insert("id".into(), Value::String(id.to_string()));
    new.insert(
        "_links".into(),
        json!({ "self": { "href": format!("{APPS}/{id}") } }),
    );
    let new = Value::Object(new);
    apps.0.insert(id.to_string(), new.clone());
    ok(&new)
}

/// Answers one request of this module for an authenticated `account`; `credit_cents` is its
/// balance.
pub(crate) fn handle(
    apps: &mut Apps,
    credit_cents: i64,
    method: &Method,
    route: &AppRoute,
    params: &Params,
    body: &[u8],
) -> Response {
    match (route, method) {
        (AppRoute::Balance, &Method::GET) => ok(&json!({
            "value": credit_cents as f64 / 100.0,
            "autoReload": false,
        })),
        (AppRoute::List, &Method::GET) => list(apps, params),
        (AppRoute::One(id), &Method::GET) => match apps.get(id) {
            Some(app) => ok(app),
            None => not_found(id),
        },
        (AppRoute::One(id), &Method::PUT) => replace(apps, id, body),
        _ => method_not_allowed(),
    }
}
