//! The HTTP transport: one shared `reqwest::Client`, Basic auth, the rate limiter, retries,
//! and the mapping of every answer (status and body) to a result or a typed [`ApiError`].

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use super::credentials::Credentials;
use super::error::{ApiError, Operation};
use super::lenient::{body_status, excerpt};
use super::limiter::{LearnedPace, Limiter};
use super::query::Params;

/// Retries of one request refused with 429 (the limiter paces them).
const THROTTLED_RETRIES: u32 = 10;

/// The live Numbers API.
pub const LIVE_BASE_URL: &str = "https://rest.nexmo.com";

/// The live Applications API.
pub const LIVE_API_HOST: &str = "https://api.nexmo.com";

/// How the client talks to the API.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base_url: String,
    /// Per request, from sending to the end of the body.
    pub timeout: Duration,
    /// Retries of one request after a transient failure (0 = try once).
    pub max_retries: u32,
    /// Requests per second; `None` finds the server's rate adaptively.
    pub rate: Option<f64>,
    /// Requests in flight at once when fetching many pages or numbers.
    pub concurrency: usize,
    /// Extra trusted certificates (PEM), e.g. the sandbox's self-signed one.
    pub root_cert_pem: Option<Vec<u8>>,
    /// What an earlier run's limiter learned of this API's pace (`None`: the slow start).
    pub learned_pace: Option<LearnedPace>,
    /// The Applications API's base URL (`None`: [`LIVE_API_HOST`], or `base_url` itself when
    /// that is on this machine: one sandbox serves both).
    pub api_host: Option<String>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: LIVE_BASE_URL.to_string(),
            timeout: Duration::from_secs(30),
            max_retries: 4,
            rate: None,
            concurrency: 8,
            root_cert_pem: None,
            learned_pace: None,
            api_host: None,
        }
    }
}

/// An async client of the Numbers API. Cheap to clone: clones share one connection pool and
/// one rate limiter.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    base: Url,
    pub(super) api_base: Url,
    pub(super) credentials: Credentials,
    pub(super) limiter: Limiter,
    pub(super) config: ClientConfig,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.as_str())
            .field("credentials", &self.inner.credentials)
            .finish()
    }
}

/// Installs the `ring` crypto provider for rustls once per process (reqwest is built without a
/// provider of its own).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Checks a base URL: https anywhere, plain http only to a loopback host.
pub fn check_base_url(base_url: &str) -> Result<Url, ApiError> {
    let url = Url::parse(base_url.trim()).map_err(|_| {
        ApiError::Config(format!(
            "base URL {} is not a URL",
            super::validate::quote(base_url)
        ))
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(ApiError::Config(format!(
            "refusing plain http:// to {}: the API secret would cross the network unencrypted; use https:// (http:// is allowed only to 127.0.0.1, ::1 or localhost)",
            url.host_str().unwrap_or("?")
        ))),
        other => Err(ApiError::Config(format!(
            "base URL scheme {other}:// is not supported; use https://"
        ))),
    }
}

/// True when the URL's host is this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback_url(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| is_loopback(&u))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl Client {
    pub fn new(credentials: Credentials, config: ClientConfig) -> Result<Client, ApiError> {
        install_crypto_provider();
        let base = check_base_url(&config.base_url)?;
        let api_base = match &config.api_host {
            Some(host) => check_base_url(host)?,
            None if is_loopback(&base) => base.clone(),
            None => check_base_url(LIVE_API_HOST)?,
        };
        if credentials.api_key.trim().is_empty() {
            return Err(ApiError::Config("the API key is empty".into()));
        }
        if credentials
            .api_key
            .chars()
            .any(|c| c.is_whitespace() || super::validate::is_unsafe_char(c))
        {
            return Err(ApiError::Config(
                "the API key contains spaces, control or invisible characters: check how it was pasted".into(),
            ));
        }
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            // The API never redirects: a redirect is a misconfiguration or an attack, and
            // following it would turn a buy into a GET elsewhere or read another server's
            // `{}` as an empty account. It is reported as an unexpected status instead.
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(config.concurrency.max(1));
        if let Some(pem) = &config.root_cert_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| ApiError::Config(format!("certificate: {e}")))?;
            builder = builder.tls_certs_merge([cert]);
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::Config(format!("HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                api_base,
                limiter: Limiter::resume(config.rate, config.learned_pace.as_ref()),
                credentials,
                config,
            }),
        })
    }

    pub fn api_key(&self) -> &str {
        &self.inner.credentials.api_key
    }

    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// Requests in flight at once when acting on many pages or numbers.
    pub fn concurrency(&self) -> usize {
        self.inner.config.concurrency.max(1)
    }

    /// The rate the limiter currently allows, in requests per second.
    pub fn current_rate(&self) -> f64 {
        self.inner.limiter.rate()
    }

    /// What the limiter learned of the server's pace, to start the next run from it
    /// ([`LearnedPace`]); `None` for a fixed rate or when no answer came.
    pub fn learned_pace(&self) -> Option<LearnedPace> {
        self.inner.limiter.learned()
    }

    /// One call with retries: transient failures of idempotent operations are retried with
    /// backoff; buy and cancel are retried only when the server refused them (429) or the
    /// connection was never made, so a request that may have been carried out is never repeated.
    pub(super) async fn call(
        &self,
        op: Operation,
        method: Method,
        path: &str,
        params: &Params,
    ) -> Result<Value, ApiError> {
        // Refusals with 429 have their own, larger budget: the limiter paces the retries, so
        // they make progress, and a throttled request is safe to repeat.
        let throttle_budget = if self.inner.config.max_retries == 0 {
            0
        } else {
            self.inner.config.max_retries.max(THROTTLED_RETRIES)
        };
        let (mut attempt, mut throttled) = (0, 0);
        loop {
            let result = self.send_once(op, method.clone(), path, params).await;
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let safe = op.is_idempotent()
                || matches!(err, ApiError::RateLimited { .. } | ApiError::Connect { .. });
            let budget_left = match err {
                ApiError::RateLimited { .. } => throttled < throttle_budget,
                _ => attempt < self.inner.config.max_retries,
            };
            if !err.is_transient() || !safe || !budget_left {
                return Err(err);
            }
            // After a 429 the limiter holds every request for Retry-After and paces them.
            let wait = match &err {
                ApiError::RateLimited { .. } => {
                    throttled += 1;
                    Duration::ZERO
                }
                _ => {
                    attempt += 1;
                    backoff(attempt - 1)
                }
            };
            tracing::debug!(op = op.name(), attempt, throttled, ?wait, error = %err, "retrying");
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
    }

    async fn send_once(
        &self,
        op: Operation,
        method: Method,
        path: &str,
        params: &Params,
    ) -> Result<Value, ApiError> {
        let inner = &self.inner;
        let ticket = inner.limiter.acquire().await;
        let url = inner
            .base
            .join(path)
            .map_err(|e| ApiError::Config(format!("URL: {e}")))?;
        let mut req = inner.http.request(method.clone(), url).basic_auth(
            &inner.credentials.api_key,
            Some(inner.credentials.expose_secret()),
        );
        req = if method == Method::GET {
            req.query(params)
        } else {
            req.form(params)
        };
        let started = std::time::Instant::now();
        let resp = req
            .send()
            .await
            .map_err(|e| transport_error(op, &e, inner.config.timeout))?;
        let status = resp.status();
        let retry_after = retry_after(resp.headers());
        let body = resp
            .text()
            .await
            .map_err(|e| transport_error(op, &e, inner.config.timeout))?;
        tracing::debug!(
            op = op.name(),
            path,
            status = status.as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "response"
        );
        let result = classify(op, status, retry_after, &body);
        match &result {
            Err(ApiError::RateLimited { retry_after, .. }) => {
                inner.limiter.on_throttled(ticket.sent, *retry_after)
            }
            _ => inner.limiter.on_success(),
        }
        result
    }
}

fn backoff(attempt: u32) -> Duration {
    let base = 200u64.saturating_mul(1 << attempt.min(6));
    // A little jitter from the clock, so parallel retries do not march in step.
    let jitter = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
        % 100) as u64;
    Duration::from_millis((base + jitter).min(10_000))
}

pub(super) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = v.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(300.0)))
}

pub(super) fn transport_error(op: Operation, e: &reqwest::Error, timeout: Duration) -> ApiError {
    if e.is_timeout() {
        ApiError::Timeout { op, timeout }
    } else if e.is_connect() {
        ApiError::Connect {
            op,
            message: error_chain(e),
        }
    } else {
        ApiError::Network {
            op,
            message: error_chain(e),
        }
    }
}

/// The error and its causes on one line. reqwest errors carry the URL, which never holds the
/// secret (it travels in the Authorization header only).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Maps an HTTP answer to the decoded body or a typed error. Success is a 2xx status AND a
/// body whose `error-code` is absent or "200".
pub(super) fn classify(
    op: Operation,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &str,
) -> Result<Value, ApiError> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let label = parsed
        .as_ref()
        .and_then(|v| body_status(v).label)
        .unwrap_or_default();
    let short = || excerpt(body, 160);
    match status.as_u16() {
        200..=299 => {
            let Some(value) = parsed else {
                return Err(ApiError::Undecodable {
                    op,
                    status: status.as_u16(),
                    excerpt: short(),
                });
            };
            let st = body_status(&value);
            if st.is_success() {
                return Ok(value);
            }
            let code: u16 = st
                .code
                .as_deref()
                .and_then(|c| c.trim().parse().ok())
                .unwrap_or(0);
            Err(error_for_code(
                op,
                code,
                st.label.unwrap_or_default(),
                retry_after,
                body,
            ))
        }
        code => Err(error_for_code(op, code, label, retry_after, body)),
    }
}

fn error_for_code(
    op: Operation,
    code: u16,
    label: String,
    retry_after: Option<Duration>,
    body: &str,
) -> ApiError {
    let or = |label: String, default: &str| {
        if label.is_empty() {
            default.to_string()
        } else {
            label
        }
    };
    match code {
        401 | 403 => ApiError::Authentication {
            op,
            label: or(label, "authentication failed"),
        },
        420 if is_address_label(&label) => ApiError::AddressRequired { op, label },
        420 => ApiError::MethodFailed {
            op,
            label: or(label, "method failed"),
            hint: op.method_failed_hint(),
        },
        429 => ApiError::RateLimited { op, retry_after },
        500..=599 => ApiError::Server {
            op,
            status: code,
            excerpt: or(label, &excerpt(body, 160)),
        },
        _ => ApiError::UnexpectedStatus {
            op,
            status: code,
            excerpt: or(label, &excerpt(body, 160)),
        },
    }
}

fn is_address_label(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.contains("address") || l.contains("dashboard")
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
