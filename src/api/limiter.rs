//! A client-side rate limiter that finds the rate the server allows. It paces requests at a
//! current rate; until the first 429 it grows fast (the server may have no limit); on a 429 it
//! re-estimates the allowed rate from the successes it has just seen and paces slightly under
//! it, then probes upwards slowly, so refusals stay rare. A `Retry-After` holds every request.
//! 429s of requests sent before a cut do not cut again: one burst is one congestion event.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MIN_RATE: f64 = 0.2;
const MAX_RATE: f64 = 1000.0;
const START_RATE: f64 = 100.0;
/// Successes counted to estimate the allowed rate.
const WINDOW: Duration = Duration::from_secs(5);
/// Pace this far under the estimated limit after a 429.
const BACKOFF: f64 = 0.95;

#[derive(Debug)]
struct State {
    rate: f64,
    /// The earliest instant the next request may leave.
    next: Instant,
    /// True until the first 429: grow fast while no limit has been seen.
    probing: bool,
    /// A rate fixed by the user: never changed by the server's answers (except Retry-After).
    fixed: bool,
    /// The rate the server was last estimated to allow.
    ceiling: f64,
    /// When the rate was last cut: 429s of requests sent before it are the same event.
    last_cut: Option<Instant>,
    /// Recent successes, for the estimate.
    successes: VecDeque<Instant>,
}

#[derive(Debug)]
pub struct Limiter {
    state: Mutex<State>,
}

impl Limiter {
    /// `rate`: a fixed rate in requests per second; `None` finds the rate adaptively.
    pub fn new(rate: Option<f64>) -> Limiter {
        let (rate, fixed) = match rate {
            Some(r) if r > 0.0 => (r.clamp(MIN_RATE, MAX_RATE), true),
            _ => (START_RATE, false),
        };
        Limiter {
            state: Mutex::new(State {
                rate,
                next: Instant::now(),
                probing: true,
                fixed,
                ceiling: MAX_RATE,
                last_cut: None,
                successes: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for this request's turn; returns when it may leave (pass it to
    /// [`Limiter::on_throttled`]).
    pub async fn acquire(&self) -> Instant {
        let (slot, wait) = {
            let mut s = self.lock();
            let now = Instant::now();
            // No limit seen yet: the concurrency bound alone paces requests.
            if s.probing && !s.fixed {
                return s.next.max(now);
            }
            let slot = s.next.max(now);
            s.next = slot + Duration::from_secs_f64(1.0 / s.rate);
            (slot, slot - now)
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        slot
    }

    /// A request went through: raise the rate (slowly near the last estimated limit).
    pub fn on_success(&self) {
        let mut s = self.lock();
        let now = Instant::now();
        s.successes.push_back(now);
        while s.successes.front().is_some_and(|t| now - *t > WINDOW) {
            s.successes.pop_front();
        }
        if s.fixed {
            return;
        }
        let growth = if s.probing {
            1.2
        } else if s.rate < s.ceiling * BACKOFF {
            1.02
        } else {
            1.003
        };
        s.rate = (s.rate * growth).min(MAX_RATE);
    }

    /// The server refused a request sent at `sent` with 429: re-estimate the allowed rate, and
    /// hold everything for `retry_after` when given.
    pub fn on_throttled(&self, sent: Instant, retry_after: Option<Duration>) {
        let mut s = self.lock();
        let now = Instant::now();
        let new_event = s.last_cut.is_none_or(|cut| sent >= cut);
        if !s.fixed && new_event {
            // What got through lately is what the server allows.
            let span = s
                .successes
                .front()
                .map(|first| (now - *first).max(Duration::from_secs(1)))
                .unwrap_or(WINDOW);
            let observed = s.successes.len() as f64 / span.as_secs_f64();
            let estimate = if observed > 0.0 {
                observed
            } else {
                s.rate * 0.5
            };
            s.ceiling = estimate;
            s.rate = (estimate * BACKOFF).clamp(MIN_RATE, s.rate.max(MIN_RATE));
            s.probing = false;
            s.last_cut = Some(now);
        }
        let pause = retry_after.unwrap_or(Duration::from_secs_f64(1.0 / s.rate));
        s.next = s.next.max(now + pause);
    }

    /// The current rate in requests per second.
    pub fn rate(&self) -> f64 {
        self.lock().rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_on_success_and_shrinks_on_429() {
        let l = Limiter::new(None);
        let r0 = l.rate();
        l.on_success();
        assert!(l.rate() > r0);
        let r1 = l.rate();
        l.on_throttled(Instant::now(), None);
        assert!(l.rate() < r1);
    }

    #[test]
    fn one_burst_of_429s_cuts_once() {
        let l = Limiter::new(None);
        let sent = Instant::now();
        for _ in 0..5 {
            l.on_success();
        }
        l.on_throttled(sent, None);
        let after_first = l.rate();
        for _ in 0..7 {
            l.on_throttled(sent, None);
        }
        assert_eq!(l.rate(), after_first, "the same burst does not cut again");
        assert!(
            after_first >= 4.0 * BACKOFF * 0.9,
            "estimated from 5 successes in ~1 s: {after_first}"
        );
    }

    #[test]
    fn fixed_rate_does_not_move() {
        let l = Limiter::new(Some(2.0));
        l.on_success();
        l.on_throttled(Instant::now(), None);
        assert_eq!(l.rate(), 2.0);
    }

    #[tokio::test]
    async fn retry_after_holds_requests() {
        let l = Limiter::new(Some(1000.0));
        l.on_throttled(Instant::now(), Some(Duration::from_millis(150)));
        let t = Instant::now();
        l.acquire().await;
        assert!(t.elapsed() >= Duration::from_millis(140));
    }
}
