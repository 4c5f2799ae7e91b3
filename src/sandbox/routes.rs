//! The HTTP surface. One fallback handler reads every request itself (no extractor can
//! reject anything with axum's plain-text answers): stats, fault layer, routing (404 and
//! 405 with JSON bodies), authentication (401), then the operation (420 on failure).

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::Shared;
use super::faults::{Verdict, lock};
use super::model::{ApiError, Limitation, Msisdn, NumberInfo, Owned, cents_str, limitations};
use super::query::{self, Params};
use super::webhook;

/// Largest request body read (a form of a few fields is far below).
const MAX_BODY: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    List,
    Search,
    Buy,
    Cancel,
    Update,
}

impl Route {
    fn of(path: &str) -> Option<Route> {
        match path {
            "/account/numbers" => Some(Route::List),
            "/number/search" => Some(Route::Search),
            "/number/buy" => Some(Route::Buy),
            "/number/cancel" => Some(Route::Cancel),
            "/number/update" => Some(Route::Update),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Route::List => "/account/numbers",
            Route::Search => "/number/search",
            Route::Buy => "/number/buy",
            Route::Cancel => "/number/cancel",
            Route::Update => "/number/update",
        }
    }

    fn method(self) -> Method {
        match self {
            Route::List | Route::Search => Method::GET,
            Route::Buy | Route::Cancel | Route::Update => Method::POST,
        }
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(dispatch).with_state(shared)
}

/// `{"error-code": code, "error-code-label": label}` with `status`.
pub(crate) fn json_error(status: StatusCode, code: &str, label: &str) -> Response {
    let body = serde_json::json!({ "error-code": code, "error-code-label": label });
    json_body(status, body.to_string().into_bytes())
}

fn json_body(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from(body),
    )
        .into_response()
}

fn error(e: ApiError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = json_error(status, &e.status().to_string(), e.label());
    if let ApiError::MethodNotAllowed(allow) = e {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
    }
    response
}

fn success() -> Response {
    json_error(StatusCode::OK, "200", "success")
}

fn reply(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(error)
}

/// Standard base64 (padding optional), for the Basic scheme.
fn base64_decode(input: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    STANDARD_ANY_PADDING.decode(input.trim()).ok()
}

/// (api_key, api_secret) from HTTP Basic, else from the parameters.
fn credentials(headers: &HeaderMap, params: &Params) -> Option<(String, String)> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("basic").then_some(token)
        })
        .and_then(base64_decode)
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|pair| {
            let (k, s) = pair.split_once(':')?;
            Some((k.to_string(), s.to_string()))
        });
    basic.or_else(|| {
        Some((
            params.get("api_key")?.to_string(),
            params.get("api_secret")?.to_string(),
        ))
    })
}

async fn dispatch(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let _handling = Handling::new(&shared);
    let (parts, body) = request.into_parts();
    let route = Route::of(parts.uri.path());
    let app_route = super::apps::AppRoute::of(parts.uri.path());
    shared.record(match (&route, &app_route) {
        (Some(r), _) => r.path(),
        (None, Some(a)) => a.stats_path(),
        (None, None) => "(other)",
    });
    let mut params = Params::parse_urlencoded(parts.uri.query().unwrap_or_default().as_bytes());
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return error(ApiError::TooLarge);
    };
    if parts.method == Method::POST && !body.is_empty() {
        let json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        params.extend(if json {
            Params::parse_json(&body)
        } else {
            Params::parse_urlencoded(&body)
        });
    }
    let creds = credentials(&parts.headers, &params);
    let rate_key = creds
        .as_ref()
        .map_or("anonymous", |(k, _)| k.as_str())
        .to_string();
    if let Some(app_route) = app_route {
        let request = (&parts, app_route, creds, &params, &body[..]);
        return super::apps_request::answer(&shared, request, &rate_key).await;
    }
    let response = if shared.runtime.after_change() {
        // The request runs, then the fault layer may replace (or hold) its answer.
        let handled = handle(&shared, &parts.method, route, creds, &params).await;
        match shared.runtime.apply(&rate_key, parts.uri.path()).await {
            Verdict::Answer(response) => response,
            Verdict::Proceed => handled,
            Verdict::Hold(hold) => {
                tokio::time::sleep(hold).await;
                handled
            }
        }
    } else {
        match shared.runtime.apply(&rate_key, parts.uri.path()).await {
            Verdict::Answer(response) => response,
            Verdict::Proceed => handle(&shared, &parts.method, route, creds, &params).await,
            Verdict::Hold(hold) => {
                // Carried out even if the client stops waiting (the connection closing drops
                // this future, not the detached task), as a real server would.
                let (shared, method) = (shared.clone(), parts.method.clone());
                let held = tokio::spawn(async move {
                    tokio::time::sleep(hold).await;
                    handle(&shared, &method, route, creds, &params).await
                });
                match held.await {
                    Ok(response) => response,
                    Err(_) => json_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "500",
                        "internal server error",
                    ),
                }
            }
        }
    };
    tracing::debug!(
        method = %parts.method,
        path = parts.uri.path(),
        api_key = %rate_key,
        status = response.status().as_u16(),
        "sandbox request"
    );
    response
}

/// A request being handled, counted until its answer leaves (or its connection closes).
struct Handling<'a>(&'a Shared);

impl Handling<'_> {
    fn new(shared: &Shared) -> Handling<'_> {
        shared
            .handling
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Handling(shared)
    }
}

impl Drop for Handling<'_> {
    fn drop(&mut self) {
        self.0
            .handling
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

async fn handle(
    shared: &Shared,
    method: &Method,
    route: Option<Route>,
    creds: Option<(String, String)>,
    params: &Params,
) -> Response {
    let Some(route) = route else {
        return error(ApiError::NotFound);
    };
    if *method != route.method() {
        let allow = if route.method() == Method::GET {
            "GET"
        } else {
            "POST"
        };
        return error(ApiError::MethodNotAllowed(allow));
    }
    let account = creds.and_then(|(key, secret)| {
        let ok = shared.credentials.get(&key).is_some_and(|s| *s == secret);
        ok.then_some(key)
    });
    let Some(account) = account else {
        return error(ApiError::Auth);
    };
    match route {
        Route::List => reply(list(shared, &account, params)),
        Route::Search => reply(search(shared, params)),
        Route::Buy => reply(buy(shared, &account, params)),
        Route::Cancel => reply(cancel(shared, &account, params)),
        Route::Update => reply(update(shared, &account, params).await),
    }
}

#[derive(Serialize)]
struct Listing<T> {
    count: usize,
    numbers: Vec<T>,
}

/// `{}` when there is nothing on the page, else `{"count": N, "numbers": [...]}`.
fn page_body<T: Serialize>(count: usize, numbers: Vec<T>) -> Result<Response, ApiError> {
    let body = if numbers.is_empty() {
        b"{}".to_vec()
    } else {
        serde_json::to_vec(&Listing { count, numbers }).map_err(|_| ApiError::MethodFailed)?
    };
    Ok(json_body(StatusCode::OK, body))
}

/// An owned number as `GET /account/numbers` shows it: unset fields are left out, and
/// `voiceStatusCallback` / `moSmppSysType` are never shown (the real service hides them).
#[derive(Serialize)]
struct OwnedOut<'a> {
    country: &'a str,
    msisdn: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    features: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    limitations: Vec<Limitation>,
    #[serde(rename = "moHttpUrl", skip_serializing_if = "Option::is_none")]
    mo_http_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_id: Option<&'a str>,
    #[serde(
        rename = "messagesCallbackType",
        skip_serializing_if = "Option::is_none"
    )]
    messages_callback_type: Option<&'a str>,
    #[serde(
        rename = "messagesCallbackValue",
        skip_serializing_if = "Option::is_none"
    )]
    messages_callback_value: Option<&'a str>,
    #[serde(rename = "voiceCallbackType", skip_serializing_if = "Option::is_none")]
    voice_callback_type: Option<&'a str>,
    #[serde(rename = "voiceCallbackValue", skip_serializing_if = "Option::is_none")]
    voice_callback_value: Option<&'a str>,
}

impl<'a> OwnedOut<'a> {
    fn new(m: &'a Msisdn, o: &'a Owned) -> OwnedOut<'a> {
        let c = o.config.as_deref();
        let field = |f: fn(&'a super::model::NumberConfig) -> &'a Option<Arc<str>>| {
            c.and_then(|c| f(c).as_deref())
        };
        OwnedOut {
            country: o.info.country.as_str(),
            msisdn: m.as_str(),
            kind: o.info.kind.as_str(),
            features: o.info.features.names(),
            limitations: limitations(m, o.info.features),
            mo_http_url: field(|c| &c.mo_http_url),
            app_id: field(|c| &c.app_id),
            messages_callback_type: field(|c| &c.messages_callback_type),
            messages_callback_value: field(|c| &c.messages_callback_value),
            voice_callback_type: field(|c| &c.voice_callback_type),
            voice_callback_value: field(|c| &c.voice_callback_value),
        }
    }
}

#[derive(Serialize)]
struct AvailableOut<'a> {
    country: &'a str,
    msisdn: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    cost: String,
    #[serde(rename = "initialPrice")]
    initial_price: String,
    features: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    limitations: Vec<Limitation>,
}

impl<'a> AvailableOut<'a> {
    fn new(m: &'a Msisdn, i: &'a NumberInfo) -> AvailableOut<'a> {
        AvailableOut {
            country: i.country.as_str(),
            msisdn: m.as_str(),
            kind: i.kind.as_str(),
            cost: cents_str(i.cost_cents),
            initial_price: cents_str(i.setup_cents),
            features: i.features.names(),
            limitations: limitations(m, i.features),
        }
    }
}

fn list(shared: &Shared, account: &str, params: &Params) -> Result<Response, ApiError> {
    let mut q = query::owned_query(params)?;
    let (shift, lie) = shared.runtime.listing();
    let (size, index) = (q.paging.size, q.paging.index);
    // A shifted page: the numbers `shift` further on (read as one longer first page).
    let skip = if shift > 0 && index >= 2 {
        let skip = q.paging.skip().saturating_add(shift);
        q.paging.size = skip.saturating_add(size);
        q.paging.index = 1;
        skip
    } else {
        0
    };
    let state = lock(&shared.state);
    let page = state.list_owned(account, &q);
    let numbers = page
        .items
        .into_iter()
        .skip(skip)
        .take(size)
        .map(|(m, o)| OwnedOut::new(m, o))
        .collect();
    let count = usize::try_from((page.count as i64).saturating_add(lie)).unwrap_or(0);
    page_body(count, numbers)
}

fn search(shared: &Shared, params: &Params) -> Result<Response, ApiError> {
    let q = query::search_query(params)?;
    let state = lock(&shared.state);
    let page = state.search(&q);
    let numbers = page
        .items
        .into_iter()
        .map(|(m, i)| AvailableOut::new(m, i))
        .collect();
    page_body(page.count, numbers)
}

fn buy(shared: &Shared, account: &str, params: &Params) -> Result<Response, ApiError> {
    let r = query::number_ref(params)?;
    lock(&shared.state).buy(account, &r)?;
    tracing::info!(api_key = account, msisdn = r.msisdn.as_str(), target = ?r.target_api_key, "sandbox: bought");
    shared.changed();
    Ok(success())
}

fn cancel(shared: &Shared, account: &str, params: &Params) -> Result<Response, ApiError> {
    let r = query::number_ref(params)?;
    lock(&shared.state).cancel(account, &r)?;
    tracing::info!(api_key = account, msisdn = r.msisdn.as_str(), target = ?r.target_api_key, "sandbox: cancelled");
    shared.changed();
    Ok(success())
}

/// Replace semantics; `target_api_key` is honoured as for buy and cancel. The webhook
/// pre-check runs without the state lock, then ownership is checked again.
async fn update(shared: &Shared, account: &str, params: &Params) -> Result<Response, ApiError> {
    let r = query::number_ref(params)?;
    let config = query::update_config(params)?;
    let key = {
        let state = lock(&shared.state);
        let key = state.resolve_target(account, r.target_api_key.as_deref())?;
        state.owned_in(&key, &r)?;
        key
    };
    let url = config
        .mo_http_url
        .as_deref()
        .filter(|_| shared.webhook_check);
    if let Some(url) = url
        && let Err(why) = webhook::check(url).await
    {
        tracing::info!(url, reason = %why, "sandbox: moHttpUrl pre-check failed");
        return Err(ApiError::MethodFailed);
    }
    lock(&shared.state).update(&key, &r, config)?;
    tracing::info!(api_key = %key, msisdn = r.msisdn.as_str(), "sandbox: updated");
    shared.changed();
    Ok(success())
}
