//! Fault injection, applied to every request before routing and authentication (the way a
//! gateway in front of the service would), so bad requests are throttled too:
//!
//! 1. `latency` is slept;
//! 2. the rate limit: a token bucket per api key (from Basic auth, else the `api_key`
//!    parameter, else `"anonymous"`), refilled at `rate` tokens per second, holding at most
//!    `max(1, rate)`; an empty bucket answers 429 with `Retry-After` (whole seconds, >= 1);
//! 3. one uniform draw picks at most one injected fault, by cumulative fraction, in this
//!    order: 429, 500 (JSON body), 503 (HTML body), malformed (200 with truncated JSON),
//!    error-in-200 (200 with a 420 `method failed` body), 401, 420 `method failed`, 420 with
//!    the address-required label, empty (200 `{}`), timeout (held 30 s, or `hold`, then
//!    run and answered normally; the request runs even if the client has given up waiting,
//!    as a real server would carry it out).
//!
//! Two distortions of the owned listing are not drawn but hold while set: `page_shift` (pages
//! past the first shifted, as if numbers left mid-listing) and `count_lie` (a wrong `count`).
//!
//! With `after_change`, the request runs first and the fault replaces its answer (a change
//! whose answer is lost). Two knobs make faults deterministic for tests: `path` limits the injected faults (not the
//! rate limit) to one route, and `limit` stops injecting after that many faults (so "the
//! first buy times out, everything after it works"), and `then` chains another set of
//! faults once `limit` is spent.
//!
//! Injected faults answer before any state change, so a faulted buy, cancel or update
//! changes nothing (a timeout is the exception: it is only a delay, then the request runs).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::routes::json_error;
use super::seed::mix;

/// Fractions (0.0..=1.0) of requests that get each injected fault.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    pub rate_429: f64,
    /// Omit the `Retry-After` header on injected and rate-limit 429s.
    pub rate_429_no_retry_after: bool,
    pub rate_500: f64,
    pub rate_503: f64,
    pub rate_malformed: f64,
    pub rate_error_in_200: f64,
    /// Hold the request 30 s before answering.
    pub rate_timeout: f64,
    /// HTTP 401 `authentication failed`.
    pub rate_401: f64,
    /// HTTP 420 `method failed`.
    pub rate_420: f64,
    /// HTTP 420 with the "needs a local address" dashboard label.
    pub rate_420_address: f64,
    /// HTTP 200 with the body `{}`.
    pub rate_empty: f64,
    /// Inject faults only on this path (e.g. `/number/buy`); `None` = every path.
    pub path: Option<String>,
    /// Inject faults only on requests of this method (e.g. `PUT`: an application's change,
    /// not its reads, which share its path); `None` = every method.
    pub method: Option<String>,
    /// Inject at most this many faults (counted from the last `set_faults`), then none.
    pub limit: Option<u64>,
    /// Run the request first, then inject the fault in place of its answer: the change
    /// happened but its answer is lost (a timeout holds the answer 30 s).
    pub after_change: bool,
    /// How long a timeout fault holds a request (default 30 s).
    pub hold: Option<Duration>,
    /// The faults that take over once `limit` is spent (with a budget of their own): a
    /// sequence, such as "the first update is carried out and answered 500, its retry is
    /// refused with 420".
    pub then: Option<Box<Faults>>,
    /// Listing pages past the first come as if the first `page_shift` numbers had left the
    /// account after the first page was served (a number cancelled elsewhere mid-listing):
    /// the numbers at each page's edge are never listed. Not drawn: every listing while set.
    pub page_shift: usize,
    /// Added to the `count` of every listing (a count that lies). Not drawn.
    pub count_lie: i64,
}

impl Faults {
    /// True when some fault can be injected.
    pub fn any(&self) -> bool {
        [
            self.rate_429,
            self.rate_500,
            self.rate_503,
            self.rate_malformed,
            self.rate_error_in_200,
            self.rate_timeout,
            self.rate_401,
            self.rate_420,
            self.rate_420_address,
            self.rate_empty,
        ]
        .iter()
        .any(|r| *r > 0.0)
    }
}

/// Buckets kept before idle ones are dropped.
const MAX_BUCKETS: usize = 10_000;

/// How long a `rate_timeout` fault holds a request.
pub(crate) const TIMEOUT_HOLD: Duration = Duration::from_secs(30);

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The knobs that can change while the server runs.
pub(crate) struct Runtime {
    faults: Mutex<Faults>,
    latency: Mutex<Duration>,
    rate: Mutex<Option<f64>>,
    buckets: Mutex<HashMap<String, Bucket>>,
    rng: AtomicU64,
    throttled: AtomicU64,
    /// Faults injected since the last `set_faults` (for `Faults::limit`).
    injected: AtomicU64,
}

/// What the fault layer decided.
pub(crate) enum Verdict {
    /// Answer this instead of running the request.
    Answer(Response),
    /// Run the request.
    Proceed,
    /// Hold the request this long, then run it (whether or not the client still waits).
    Hold(Duration),
}

impl Runtime {
    pub(crate) fn new(faults: Faults, latency: Duration, rate: Option<f64>, seed: u64) -> Runtime {
        Runtime {
            faults: Mutex::new(faults),
            latency: Mutex::new(latency),
            rate: Mutex::new(rate.filter(|r| *r > 0.0)),
            buckets: Mutex::new(HashMap::new()),
            rng: AtomicU64::new(seed ^ 0xFA17_5EED),
            throttled: AtomicU64::new(0),
            injected: AtomicU64::new(0),
        }
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        let mut current = lock(&self.faults);
        *current = faults;
        self.injected.store(0, Ordering::Relaxed);
    }

    /// The listing distortions in force: (`page_shift`, `count_lie`).
    pub(crate) fn listing(&self) -> (usize, i64) {
        let f = lock(&self.faults);
        (f.page_shift, f.count_lie)
    }

    /// True when faults replace answers after the request has run.
    pub(crate) fn after_change(&self) -> bool {
        lock(&self.faults).after_change
    }

    /// Takes one from the `limit` budget; false when it is spent.
    fn take_fault(&self, limit: Option<u64>) -> bool {
        let Some(limit) = limit else { return true };
        self.injected
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                (n < limit).then_some(n + 1)
            })
            .is_ok()
    }

    /// Once the last fault of `limit` is taken, the faults of `then` take over at once (so
    /// the next request sees them, `after_change` included).
    fn chain_when_spent(&self, taken: &Faults) {
        let (Some(limit), Some(then)) = (taken.limit, taken.then.as_deref()) else {
            return;
        };
        if self.injected.load(Ordering::Relaxed) >= limit {
            self.set_faults(then.clone());
        }
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        *lock(&self.latency) = latency;
    }

    /// A new rate (or none) starts every bucket full.
    pub(crate) fn set_rate_limit(&self, rate: Option<f64>) {
        *lock(&self.rate) = rate.filter(|r| *r > 0.0);
        lock(&self.buckets).clear();
    }

    /// Number of 429s sent so far.
    pub(crate) fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Uniform in [0, 1): splitmix64 over an atomic counter, so no lock is needed.
    fn draw(&self) -> f64 {
        let state = self.rng.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        (mix(state.wrapping_add(0x9E37_79B9_7F4A_7C15)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Takes a token from `key`'s bucket; `Err(seconds until one is there)` when empty.
    fn take_token(&self, key: &str) -> Result<(), u64> {
        let Some(rate) = *lock(&self.rate) else {
            return Ok(());
        };
        let burst = rate.max(1.0);
        let now = Instant::now();
        let mut buckets = lock(&self.buckets);
        if buckets.len() > MAX_BUCKETS {
            // Many distinct keys (a client inventing them): forget the idle ones, which
            // would be full again anyway.
            let idle = Duration::from_secs_f64(burst / rate);
            buckets.retain(|_, b| now.duration_since(b.last) < idle);
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: burst,
            last: now,
        });
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / rate).ceil();
            Err((wait as u64).max(1))
        }
    }

    fn too_many(&self, retry_after: u64, omit_header: bool) -> Response {
        self.throttled.fetch_add(1, Ordering::Relaxed);
        let mut response = json_error(StatusCode::TOO_MANY_REQUESTS, "429", "too many requests");
        if !omit_header {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }

    /// Runs the fault layer for one request from `key` on `path`.
    pub(crate) async fn apply(&self, key: &str, path: &str) -> Verdict {
        self.apply_to(key, "", path).await
    }

    /// Runs the fault layer for one `method` request (`""`: any) from `key` on `path`.
    pub(crate) async fn apply_to(&self, key: &str, method: &str, path: &str) -> Verdict {
        let latency = *lock(&self.latency);
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let faults = lock(&self.faults).clone();
        if let Err(wait) = self.take_token(key) {
            tracing::debug!(key, wait, "rate limit: 429");
            return Verdict::Answer(self.too_many(wait, faults.rate_429_no_retry_after));
        }
        if !faults.any()
            || faults.path.as_deref().is_some_and(|p| p != path)
            || faults
                .method
                .as_deref()
                .is_some_and(|m| !m.eq_ignore_ascii_case(method))
        {
            return Verdict::Proceed;
        }
        let u = self.draw();
        let fractions = [
            faults.rate_429,
            faults.rate_500,
            faults.rate_503,
            faults.rate_malformed,
            faults.rate_error_in_200,
            faults.rate_401,
            faults.rate_420,
            faults.rate_420_address,
            faults.rate_empty,
            faults.rate_timeout,
        ];
        let mut edge = 0.0;
        let Some(kind) = fractions.iter().position(|f| {
            edge += f.clamp(0.0, 1.0);
            u < edge
        }) else {
            return Verdict::Proceed;
        };
        if !self.take_fault(faults.limit) {
            return Verdict::Proceed;
        }
        self.chain_when_spent(&faults);
        let json = |body: &'static str| {
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response()
        };
        let answer = match kind {
            0 => self.too_many(1, faults.rate_429_no_retry_after),
            1 => json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "500",
                "internal server error",
            ),
            2 => {
                let html = "<html><head><title>503 Service Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::CONTENT_TYPE, "text/html")],
                    html,
                )
                    .into_response()
            }
            3 => json(r#"{"count": 3, "numbers": [{"msisdn":"#),
            4 => json_error(StatusCode::OK, "420", "method failed"),
            5 => json_error(StatusCode::UNAUTHORIZED, "401", "authentication failed"),
            6 => json_error(method_failed_status(), "420", "method failed"),
            7 => json_error(method_failed_status(), "420", super::model::ADDRESS_LABEL),
            8 => json("{}"),
            _ => {
                let hold = faults.hold.unwrap_or(TIMEOUT_HOLD);
                tracing::debug!(key, ?hold, "fault: holding the request");
                return Verdict::Hold(hold);
            }
        };
        tracing::debug!(key, status = answer.status().as_u16(), "injected fault");
        Verdict::Answer(answer)
    }
}

/// HTTP 420, which the Numbers API uses for business failures.
fn method_failed_status() -> StatusCode {
    StatusCode::from_u16(420).unwrap_or(StatusCode::BAD_REQUEST)
}

/// Locks a mutex, recovering from poisoning (a panicked holder leaves plain data).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
#[path = "faults_tests.rs"]
mod tests;
