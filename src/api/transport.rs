//! What a transport failure and a refusal's timing mean: the backoff between tries, a
//! `Retry-After` (capped), and a reqwest error as a typed [`ApiError`].

use std::time::Duration;

use super::client::MAX_RETRY_AFTER;
use super::error::{ApiError, Operation};

pub(super) fn backoff(attempt: u32) -> Duration {
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
    (secs.is_finite() && secs >= 0.0)
        .then(|| Duration::from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64())))
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
