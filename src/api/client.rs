//! The HTTP transport: one shared `reqwest::Client`, Basic auth, the rate limiter, retries
//! within the command's deadline, and what each request waits for (`wait.rs`). Answers are read
//! bounded (`body.rs`) and mapped to a result or a typed [`ApiError`] (`classify.rs`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Method, Url};
use serde_json::Value;

use super::base_url::{check_base_url, endpoint, https_proxy};
use super::classify::classify;
use super::credentials::Credentials;
use super::error::{ApiError, Operation};
use super::limiter::{LearnedPace, Limiter};
use super::query::Params;
use super::transport::{backoff, retry_after, transport_error};
use super::wait::{Board, Stage, Waiting, remaining};

/// Retries of one request refused with 429 (the limiter paces them).
const THROTTLED_RETRIES: u32 = 10;

/// The longest Retry-After honoured: a server asking for more is waited for this long (then
/// asked again), so a `Retry-After: 999999` cannot silence a command for days.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

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
    /// The longest the client works, counted from its creation: past it, no request is sent
    /// and none is waited for (a command's overall deadline). `None`: no deadline (the TUI).
    pub deadline: Option<Duration>,
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
            deadline: None,
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
    pub(super) board: Board,
    pub(super) deadline_at: Option<Instant>,
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

impl Client {
    pub fn new(credentials: Credentials, config: ClientConfig) -> Result<Client, ApiError> {
        install_crypto_provider();
        let base = check_base_url(&config.base_url)?;
        let api_base = match &config.api_host {
            Some(host) => check_base_url(host)?,
            None if super::base_url::is_loopback(&base) => base.clone(),
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
            // No `read_timeout`: reqwest's fires on connections reused from the pool (seen as
            // spurious 1 s timeouts under load); the body's chunks have their own timeout, and
            // headers the per-try timeout and the deadline.
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            // The API never redirects: a redirect is a misconfiguration or an attack, and
            // following it would turn a buy into a GET elsewhere or read another server's
            // `{}` as an empty account. It is reported as an unexpected status instead.
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(config.concurrency.max(1));
        builder = match https_proxy(&base)? {
            Some(proxy) => builder.proxy(proxy),
            None => builder.no_proxy(),
        };
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
                board: Board::default(),
                deadline_at: config.deadline.and_then(|d| Instant::now().checked_add(d)),
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

    /// The longest-standing wait of the requests in flight (for a progress line or status).
    pub fn waiting(&self) -> Option<Waiting> {
        self.inner.board.oldest()
    }

    /// HTTP requests sent and not yet answered whole, by every clone of this client (those
    /// waiting for a turn under the rate limit or for a retry are not counted).
    pub fn in_flight(&self) -> usize {
        self.inner.board.sent()
    }

    /// When the client's deadline passes, if it has one.
    pub fn deadline_at(&self) -> Option<Instant> {
        self.inner.deadline_at
    }

    pub(super) fn deadline_passed(&self, op: Operation, waiting_for: &str) -> ApiError {
        ApiError::Deadline {
            op,
            deadline: self.inner.config.deadline.unwrap_or_default(),
            waiting_for: waiting_for.to_string(),
            sent: false,
        }
    }

    /// A try cut short by the deadline (not by its own timeout) says so; it had been sent.
    pub(super) fn cut_by_deadline(&self, err: ApiError, timeout: Duration, what: &str) -> ApiError {
        let cut = timeout < self.inner.config.timeout
            && remaining(self.inner.deadline_at).is_some_and(|r| r.is_zero());
        match err {
            ApiError::Timeout { op, .. } | ApiError::Network { op, .. } if cut => {
                ApiError::Deadline {
                    op,
                    deadline: self.inner.config.deadline.unwrap_or_default(),
                    waiting_for: what.to_string(),
                    sent: true,
                }
            }
            other => other,
        }
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
        let host = match (self.inner.base.host_str(), self.inner.base.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (h, _) => h.unwrap_or("the API").to_string(),
        };
        let slot = self
            .inner
            .board
            .slot(op, host, self.inner.config.max_retries + 1);
        loop {
            slot.attempt(attempt + 1);
            if remaining(self.inner.deadline_at).is_some_and(|r| r.is_zero()) {
                return Err(self.deadline_passed(op, "the next try"));
            }
            let result = self
                .send_once(op, method.clone(), path, params, &slot)
                .await;
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
                ApiError::RateLimited { retry_after, .. } => {
                    throttled += 1;
                    slot.set(Stage::Throttled {
                        asked: retry_after.unwrap_or_default(),
                    });
                    Duration::ZERO
                }
                _ => {
                    attempt += 1;
                    backoff(attempt - 1)
                }
            };
            // A wait the deadline cannot hold ends the command now, with the reason.
            let pause = match &err {
                ApiError::RateLimited { retry_after, .. } => retry_after.unwrap_or_default(),
                _ => wait,
            };
            if remaining(self.inner.deadline_at).is_some_and(|r| r <= pause) {
                return Err(err);
            }
            tracing::debug!(op = op.name(), attempt, throttled, ?wait, error = %err, "retrying");
            if !wait.is_zero() {
                slot.set(Stage::Backoff);
                tokio::time::sleep(wait).await;
            }
        }
    }

    /// A turn under the rate limit, and how long the try may take: both within the command's
    /// deadline (a turn or a try the deadline cannot hold is its error).
    pub(super) async fn turn(
        &self,
        op: Operation,
    ) -> Result<(super::limiter::Ticket<'_>, Duration), ApiError> {
        let inner = &self.inner;
        let ticket = match remaining(inner.deadline_at) {
            None => inner.limiter.acquire().await,
            Some(left) => tokio::time::timeout(left, inner.limiter.acquire())
                .await
                .map_err(|_| self.deadline_passed(op, "a turn under the rate limit"))?,
        };
        // Each try ends by the deadline, whichever comes first.
        let timeout = remaining(inner.deadline_at)
            .map_or(inner.config.timeout, |left| left.min(inner.config.timeout));
        if timeout.is_zero() {
            return Err(self.deadline_passed(op, "the next try"));
        }
        Ok((ticket, timeout))
    }

    async fn send_once(
        &self,
        op: Operation,
        method: Method,
        path: &str,
        params: &Params,
        slot: &super::wait::WaitSlot<'_>,
    ) -> Result<Value, ApiError> {
        let inner = &self.inner;
        if !slot.is_throttled() {
            slot.set(Stage::Turn);
        }
        let (ticket, timeout) = self.turn(op).await?;
        let url = endpoint(&inner.base, path);
        let mut req = inner.http.request(method.clone(), url).basic_auth(
            &inner.credentials.api_key,
            Some(inner.credentials.expose_secret()),
        );
        req = if method == Method::GET {
            req.query(params)
        } else {
            req.form(params)
        };
        let started = Instant::now();
        slot.set(Stage::Answer);
        let resp = req.timeout(timeout).send().await.map_err(|e| {
            self.cut_by_deadline(transport_error(op, &e, timeout), timeout, "the answer")
        })?;
        let status = resp.status();
        let retry_after = retry_after(resp.headers());
        let chunk_timeout = timeout.min(super::body::CHUNK_TIMEOUT);
        let body = super::body::read_bounded(op, resp, chunk_timeout, slot)
            .await
            .map_err(|e| self.cut_by_deadline(e, timeout, "the rest of the answer"))?;
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

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
