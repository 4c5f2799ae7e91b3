//! Reading an answer's body with bounds: a byte limit (an endless or oversized answer is
//! refused, never held), a timeout per chunk (a body that stops), and a minimum pace (a body
//! that trickles in byte by byte). Each chunk's progress is reported to the wait board.

use std::time::{Duration, Instant};

use super::error::{ApiError, Operation};
use super::wait::{Stage, WaitSlot};

/// The largest answer read. A page of 100 numbers is tens of KB; an error page a few hundred
/// bytes: 4 MB is generous, and an endless answer costs no more than this.
pub const MAX_BODY: usize = 4 << 20;

/// The longest pause between two chunks of a body.
pub const CHUNK_TIMEOUT: Duration = Duration::from_secs(10);

/// A body slower than [`MIN_PACE`] bytes a second, once [`PACE_GRACE`] has passed, is
/// abandoned: a real answer of the API arrives in well under a second.
pub const MIN_PACE: f64 = 1024.0;
pub const PACE_GRACE: Duration = Duration::from_secs(5);

/// Reads `resp`'s body, at most [`MAX_BODY`] bytes, no chunk later than `chunk_timeout`, at
/// least [`MIN_PACE`] bytes a second after [`PACE_GRACE`]. Invalid UTF-8 is replaced (the
/// decoder then refuses what is not JSON).
pub(super) async fn read_bounded(
    op: Operation,
    mut resp: reqwest::Response,
    chunk_timeout: Duration,
    slot: &WaitSlot<'_>,
) -> Result<String, ApiError> {
    let status = resp.status().as_u16();
    let too_large = |what: String| ApiError::Undecodable {
        op,
        status,
        excerpt: format!(
            "the answer {what} the {} MB an answer of the API can be: refused",
            MAX_BODY >> 20
        ),
    };
    if let Some(len) = resp.content_length()
        && len > MAX_BODY as u64
    {
        return Err(too_large(format!("is {len} bytes long, more than")));
    }
    let started = Instant::now();
    let mut body: Vec<u8> = Vec::new();
    loop {
        slot.set(Stage::Body { bytes: body.len() });
        let chunk = match tokio::time::timeout(chunk_timeout, resp.chunk()).await {
            Err(_) => {
                return Err(ApiError::Network {
                    op,
                    message: format!(
                        "the answer stopped: nothing more came for {}s after {} bytes",
                        chunk_timeout.as_secs(),
                        body.len()
                    ),
                });
            }
            Ok(Err(e)) => return Err(super::transport::transport_error(op, &e, chunk_timeout)),
            Ok(Ok(None)) => break,
            Ok(Ok(Some(chunk))) => chunk,
        };
        if body.len() + chunk.len() > MAX_BODY {
            return Err(too_large("goes on past".to_string()));
        }
        body.extend_from_slice(&chunk);
        let elapsed = started.elapsed();
        if elapsed > PACE_GRACE && (body.len() as f64) < MIN_PACE * elapsed.as_secs_f64() {
            return Err(ApiError::Network {
                op,
                message: format!(
                    "the answer trickles in: {} bytes in {}s (a server or network fault)",
                    body.len(),
                    elapsed.as_secs()
                ),
            });
        }
    }
    Ok(match String::from_utf8(body) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}
