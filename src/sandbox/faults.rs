//! Fault injection, applied to every request before routing and authentication (the way a
//! gateway in front of the service would), so bad requests are throttled too:
//!
//! 1. `latency` is slept;
//! 2. the rate limit: a token bucket per api key (from Basic auth, else the `api_key`
//!    parameter, else `"anonymous"`), refilled at `rate` tokens per second, holding at most
//!    `max(1, rate)`; an empty bucket answers 429 with `Retry-After` (whole seconds, >= 1);
//! 3. one uniform draw picks at most one injected fault, by cumulative fraction, in this
//!    order: 429, 500 (JSON body), 503 (HTML body), malformed (200 with truncated JSON),
//!    error-in-200 (200 with a 420 `method failed` body), timeout (held 30 s, then
//!    answered normally).
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
}

/// What the fault layer decided.
pub(crate) enum Verdict {
    /// Answer this instead of running the request.
    Answer(Response),
    /// Run the request.
    Proceed,
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
        }
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
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

    /// Runs the fault layer for one request from `key`.
    pub(crate) async fn apply(&self, key: &str) -> Verdict {
        let latency = *lock(&self.latency);
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let faults = lock(&self.faults).clone();
        if let Err(wait) = self.take_token(key) {
            tracing::debug!(key, wait, "rate limit: 429");
            return Verdict::Answer(self.too_many(wait, faults.rate_429_no_retry_after));
        }
        let u = self.draw();
        let mut edge = 0.0;
        let mut hit = |fraction: f64| {
            edge += fraction.clamp(0.0, 1.0);
            u < edge
        };
        let answer = if hit(faults.rate_429) {
            self.too_many(1, faults.rate_429_no_retry_after)
        } else if hit(faults.rate_500) {
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "500",
                "internal server error",
            )
        } else if hit(faults.rate_503) {
            let html = "<html><head><title>503 Service Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/html")],
                html,
            )
                .into_response()
        } else if hit(faults.rate_malformed) {
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"count": 3, "numbers": [{"msisdn":"#,
            )
                .into_response()
        } else if hit(faults.rate_error_in_200) {
            json_error(StatusCode::OK, "420", "method failed")
        } else {
            if hit(faults.rate_timeout) {
                tracing::debug!(key, "fault: holding the request 30 s");
                tokio::time::sleep(TIMEOUT_HOLD).await;
            }
            return Verdict::Proceed;
        };
        tracing::debug!(key, status = answer.status().as_u16(), "injected fault");
        Verdict::Answer(answer)
    }
}

/// Locks a mutex, recovering from poisoning (a panicked holder leaves plain data).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
