//! A client-side rate limiter that finds the rate the server allows.
//!
//! - Until the first 429 nothing is paced: requests are bounded by a window of requests in
//!   flight that starts at 1 (for two requests) and then grows by one per success (a slow
//!   start: it doubles per round trip), so a server with no limit is used at full
//!   concurrency after about 5 round trips, and the round that finds the limit overshoots it
//!   by at most the window (1 request against a bucket of one token, a few against larger).
//! - At the first 429 the allowed rate is estimated from the successes just seen, as a token
//!   bucket of one second's worth: what got through over the time it took, plus the second
//!   the bucket's burst stands for (so a burst is not taken for a rate, and the time before the
//!   first success does not count); the successes that come during its Retry-After (requests
//!   sent before it) raise it. Requests are then paced 5% under it (with no success at all,
//!   50 a second) and creep up as below, so the first 429 (and the requests in flight with
//!   it) is the only one against a server that allows exactly that. Each later 429 cuts
//!   the pace to 5% under the pace refused (multiplicative decrease; to half of it if less
//!   than half of it got through lately), and the
//!   pace then creeps back (0.05% a second: about 100 s to the pace refused, then 1% a
//!   second past it, as the server then allows more), so refusals stay rare.
//! - A `Retry-After` holds every request, those already waiting included.
//! - 429s of requests sent before a cut do not cut again: one burst is one congestion event.
//! - What it learned ([`LearnedPace`]: the limit met, or the window reached without one) can
//!   start the next run ([`Limiter::resume`]): paced 5% under the limit met, or with half the
//!   window reached, instead of the slow start.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

const MIN_RATE: f64 = 0.2;
const MAX_RATE: f64 = 1000.0;
/// The slow start's largest window of requests in flight (callers bound concurrency anyway).
const MAX_WINDOW: usize = 1024;
/// Successes counted to estimate the allowed rate.
const WINDOW: Duration = Duration::from_secs(5);
/// Pace this far under the estimated limit after a 429.
const BACKOFF: f64 = 0.95;
/// Relative growth of the pace per second up to just past the last estimated limit: from
/// `BACKOFF` back to the limit in about 100 s, so a server that allows exactly that rate (a
/// bucket of one token) refuses about one request in 100 s.
const PROBE_PER_SECOND: f64 = 0.0005;
/// The pace when the first 429 comes before any success.
const NOTHING_THROUGH: f64 = 50.0;
/// Relative growth per second once the pace is past the last estimate without a 429: the
/// server allows more than was estimated; find it sooner.
const PROBE_FAST_PER_SECOND: f64 = 0.01;
/// Lateness of a timer wake-up credited to the next slot, so timer jitter does not slow the
/// pace down (at most this, and at most a tenth of the interval).
const SLACK: Duration = Duration::from_millis(5);

#[derive(Debug)]
struct State {
    /// The pace once a limit has been seen (or the fixed rate).
    rate: f64,
    /// The earliest instant the next request may leave (pacing, or a Retry-After hold).
    next: Instant,
    /// True until the first 429: no pacing, a growing window of requests in flight.
    probing: bool,
    /// Requests allowed in flight at once while probing.
    window: usize,
    /// Successes while probing.
    acked: usize,
    in_flight: usize,
    /// A rate fixed by the user: never changed by the server's answers (except Retry-After).
    fixed: bool,
    /// The rate the server was last estimated to allow (at the last cut).
    ceiling: f64,
    /// When the rate was last cut: 429s of requests sent before it are the same event.
    last_cut: Option<Instant>,
    /// When the last hold (Retry-After) ended: the estimate counts successes after it.
    resumed: Instant,
    /// The pace is the slow start's estimate, still held by its Retry-After: the successes
    /// that come meanwhile (requests sent before the 429, whose tokens it did not count) raise it.
    burst_open: bool,
    /// Recent successes, for the estimate.
    successes: VecDeque<Instant>,
    /// The largest window reached while probing.
    max_window: usize,
    /// When a limit was last met (this run, or the run remembered).
    limited_at: Option<SystemTime>,
    /// An answer came (success or 429): there is something to remember.
    answered: bool,
    /// When the last request left.
    last_sent: Option<Instant>,
}

/// What a limiter learned of the server's pace, to start the next run from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearnedPace {
    /// The rate the server allows, in requests per second, as last estimated; `None` when no
    /// request was ever refused with 429.
    pub limit: Option<f64>,
    /// The largest window of requests in flight reached without a refusal (while no limit
    /// had been met).
    pub window: usize,
    /// When a limit was last met, in seconds since the Unix epoch.
    pub limited_at: Option<u64>,
    /// When this was learned, in seconds since the Unix epoch.
    pub learned_at: u64,
    /// When the last request left, in milliseconds since the Unix epoch: a run that starts
    /// right after waits for its slot (the server's bucket has not refilled yet).
    #[serde(default)]
    pub last_request_ms: Option<u64>,
}

/// The rate a bucket of one second's worth allows, from the successes since `since`: the best,
/// over each of them, of those since it over the time since it plus that second.
fn burst_estimate(successes: &VecDeque<Instant>, since: Instant, now: Instant) -> f64 {
    let counted: Vec<Instant> = successes.iter().filter(|t| **t >= since).copied().collect();
    counted
        .iter()
        .enumerate()
        .map(|(i, t)| {
            (counted.len() - i) as f64 / ((now - *t) + Duration::from_secs(1)).as_secs_f64()
        })
        .fold(0.0, f64::max)
}

fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[derive(Debug)]
pub struct Limiter {
    state: Mutex<State>,
    /// Signalled when a request ends (a slot in the probing window is free).
    freed: Notify,
}

/// One request's turn, from [`Limiter::acquire`]; dropping it ends the request.
#[derive(Debug)]
pub struct Ticket<'a> {
    /// When the request was allowed to leave (pass it to [`Limiter::on_throttled`]).
    pub sent: Instant,
    limiter: &'a Limiter,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        let mut s = self.limiter.lock();
        s.in_flight = s.in_flight.saturating_sub(1);
        drop(s);
        self.limiter.freed.notify_waiters();
    }
}

impl Limiter {
    /// `rate`: a fixed rate in requests per second; `None` finds the rate adaptively.
    pub fn new(rate: Option<f64>) -> Limiter {
        let (rate, fixed) = match rate {
            Some(r) if r > 0.0 => (r.clamp(MIN_RATE, MAX_RATE), true),
            _ => (MAX_RATE, false),
        };
        Limiter {
            state: Mutex::new(State {
                rate,
                next: Instant::now(),
                probing: !fixed,
                window: 1,
                acked: 0,
                in_flight: 0,
                fixed,
                ceiling: MAX_RATE,
                last_cut: None,
                resumed: Instant::now(),
                burst_open: false,
                successes: VecDeque::new(),
                max_window: 1,
                limited_at: None,
                answered: false,
                last_sent: None,
            }),
            freed: Notify::new(),
        }
    }

    /// A limiter that starts from what an earlier run learned (`None`: the slow start). A
    /// limit met is started 5% under (the pace after a refusal: it then creeps up as usual);
    /// a server with no limit met starts with half the window the earlier run reached. A fixed
    /// `rate` ignores `learned`.
    pub fn resume(rate: Option<f64>, learned: Option<&LearnedPace>) -> Limiter {
        let limiter = Limiter::new(rate);
        let Some(learned) = learned else {
            return limiter;
        };
        let mut s = limiter.lock();
        if s.fixed {
            drop(s);
            return limiter;
        }
        s.limited_at = learned
            .limited_at
            .map(|t| UNIX_EPOCH + Duration::from_secs(t));
        match learned.limit {
            Some(limit) if limit.is_finite() && limit > 0.0 => {
                let limit = limit.clamp(MIN_RATE, MAX_RATE);
                s.probing = false;
                s.ceiling = limit;
                s.rate = (limit * BACKOFF).max(MIN_RATE);
                // The slot after the earlier run's last request (at most one interval away).
                let interval = Duration::from_secs_f64(1.0 / s.rate);
                if let Some(ms) = learned.last_request_ms {
                    let slot = UNIX_EPOCH + Duration::from_millis(ms) + interval;
                    if let Ok(wait) = slot.duration_since(SystemTime::now()) {
                        s.next = Instant::now() + wait.min(interval);
                    }
                }
            }
            _ => {
                s.window = (learned.window / 2).clamp(1, MAX_WINDOW);
                s.max_window = s.window;
                // Past the slow start's two lone requests.
                s.acked = 2;
            }
        }
        drop(s);
        limiter
    }

    /// What this run learned, to start the next one from it; `None` for a fixed rate or when
    /// no answer came.
    pub fn learned(&self) -> Option<LearnedPace> {
        let s = self.lock();
        if s.fixed || !s.answered {
            return None;
        }
        Some(LearnedPace {
            // Past the last estimate without a refusal: the server allows at least the pace.
            limit: (!s.probing).then(|| s.ceiling.max(s.rate)),
            window: s.max_window,
            limited_at: s.limited_at.map(unix_secs),
            learned_at: unix_secs(SystemTime::now()),
            last_request_ms: s.last_sent.and_then(|t| {
                let ago = Instant::now().saturating_duration_since(t);
                let at = SystemTime::now().checked_sub(ago)?;
                at.duration_since(UNIX_EPOCH)
                    .ok()
                    .map(|d| d.as_millis() as u64)
            }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for this request's turn. Keep the ticket until the answer has been handled.
    pub async fn acquire(&self) -> Ticket<'_> {
        loop {
            // Registered before the check, so a request ending in between is not missed.
            let freed = self.freed.notified();
            let wait = {
                let mut s = self.lock();
                let now = Instant::now();
                if s.next > now {
                    // Paced, or held by a Retry-After.
                    Some(s.next - now)
                } else if s.probing {
                    if s.in_flight < s.window {
                        s.in_flight += 1;
                        s.last_sent = Some(now);
                        return Ticket {
                            sent: now,
                            limiter: self,
                        };
                    }
                    None
                } else {
                    let interval = Duration::from_secs_f64(1.0 / s.rate);
                    let late = now - s.next;
                    let base = if late <= SLACK.min(interval / 10) {
                        s.next
                    } else {
                        now
                    };
                    s.next = base + interval;
                    s.in_flight += 1;
                    s.last_sent = Some(now);
                    return Ticket {
                        sent: now,
                        limiter: self,
                    };
                }
            };
            match wait {
                Some(d) => tokio::time::sleep(d).await,
                None => freed.await,
            }
        }
    }

    /// A request went through: widen the window (by one per window of successes while
    /// probing) or raise the pace slowly.
    pub fn on_success(&self) {
        let mut s = self.lock();
        let now = Instant::now();
        s.answered = true;
        s.successes.push_back(now);
        while s.successes.front().is_some_and(|t| now - *t > WINDOW) {
            s.successes.pop_front();
        }
        if s.fixed {
            return;
        }
        if s.burst_open && !s.probing && now < s.resumed {
            let since = s.last_cut.map_or(now, |cut| cut - WINDOW);
            let estimate = burst_estimate(&s.successes, since, now);
            if estimate > s.ceiling {
                s.ceiling = estimate;
                s.rate = (estimate * BACKOFF).clamp(MIN_RATE, MAX_RATE);
            }
            return;
        }
        if s.probing {
            // One more in flight per success (the window doubles per round trip), except
            // that the second request also goes alone: against a bucket of one token it is
            // the only one refused.
            s.acked += 1;
            if s.window > 1 || s.acked >= 2 {
                s.window = (s.window + 1).min(MAX_WINDOW);
                s.max_window = s.max_window.max(s.window);
            }
            return;
        }
        // Per success, so that the growth per second does not depend on the rate.
        let per_second = if s.rate < s.ceiling * BACKOFF * 0.9 {
            // Well under the last estimate (e.g. after a cut from a short sample): recover.
            0.02 * s.rate
        } else if s.rate < s.ceiling * 1.02 {
            PROBE_PER_SECOND
        } else {
            PROBE_FAST_PER_SECOND
        };
        s.rate = (s.rate * (1.0 + per_second / s.rate.max(1.0))).min(MAX_RATE);
    }

    /// The server refused a request sent at `sent` with 429: re-estimate the allowed rate, and
    /// hold everything for `retry_after` when given.
    pub fn on_throttled(&self, sent: Instant, retry_after: Option<Duration>) {
        let mut s = self.lock();
        let now = Instant::now();
        s.answered = true;
        s.limited_at = Some(SystemTime::now());
        let new_event = s.last_cut.is_none_or(|cut| sent >= cut);
        if !s.fixed && new_event {
            // What got through since the last hold ended (at most `WINDOW` back) is what the
            // server allows; a hold's idle second would make it look lower than it is.
            let since = s.resumed.max(now.checked_sub(WINDOW).unwrap_or(now));
            let through = s.successes.iter().filter(|t| **t >= since).count();
            let span = (now - since).max(Duration::from_secs(1));
            let observed = through as f64 / span.as_secs_f64();
            if s.probing {
                // The first limit seen: a bucket of one second's worth (the usual meaning of
                // "R a second") let through R at once plus R a second since, so what got
                // through, over the time since a success plus that second, is R. A
                // burst over the bare second would count the refill twice (above R: a later
                // 429), and the time before the first success would dilute it.
                // Nothing got through at all: no rate to go by; start at a moderate pace and
                // halve it at each refusal.
                // A pause (the bucket full again) lowers that: the best over every success
                // since which it was counted is the one since the bucket was last full.
                let estimate = burst_estimate(&s.successes, since, now);
                s.burst_open = true;
                let estimate = if estimate > 0.0 {
                    estimate
                } else {
                    NOTHING_THROUGH
                };
                s.ceiling = estimate;
                s.rate = (estimate * BACKOFF).clamp(MIN_RATE, MAX_RATE);
            } else {
                // Paced at `rate` and refused: the limit is about `rate` (what got through is
                // no better: a hold or a short window make it look lower), unless what got
                // through is far below it (the pace overshot a lot).
                let limit = if observed < s.rate * 0.5 {
                    // Halved at most per refusal: a server that refuses everything is
                    // backed off from exponentially, not dropped to the slowest pace at once.
                    (s.rate * 0.5).max(MIN_RATE)
                } else {
                    s.rate
                };
                s.ceiling = limit;
                s.rate = (limit * BACKOFF).max(MIN_RATE);
                s.burst_open = false;
            }
            s.probing = false;
            s.last_cut = Some(now);
        }
        let pause = retry_after.unwrap_or(Duration::from_secs_f64(1.0 / s.rate));
        s.next = s.next.max(now + pause);
        s.resumed = s.resumed.max(now + pause);
    }

    /// The pace in requests per second; [`MAX_RATE`] while no limit has been seen.
    pub fn rate(&self) -> f64 {
        self.lock().rate
    }

    /// Requests that may be in flight at once with no pacing: the slow start's window, or 0
    /// once requests are paced.
    pub fn open_window(&self) -> usize {
        let s = self.lock();
        if s.probing { s.window } else { 0 }
    }

    /// True once a 429 has been seen (or the rate is fixed): requests are paced.
    pub fn pacing(&self) -> bool {
        !self.lock().probing
    }
}

#[cfg(test)]
#[path = "limiter_tests.rs"]
mod tests;
