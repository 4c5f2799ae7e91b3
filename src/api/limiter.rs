//! A client-side rate limiter that finds the rate the server allows: it paces requests at a
//! current rate, raises that rate while requests succeed, cuts it when the server answers 429,
//! and holds every request back while a `Retry-After` runs.

use std::sync::Mutex;
use std::time::{Duration, Instant};

const MIN_RATE: f64 = 0.2;
const MAX_RATE: f64 = 1000.0;
const START_RATE: f64 = 100.0;

#[derive(Debug)]
struct State {
    rate: f64,
    /// The earliest instant the next request may leave.
    next: Instant,
    /// True until the first 429: grow fast (multiplicatively) while no limit has been seen.
    probing: bool,
    /// A rate fixed by the user: never changed by the server's answers (except Retry-After).
    fixed: bool,
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
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for this request's turn.
    pub async fn acquire(&self) {
        let wait = {
            let mut s = self.lock();
            let now = Instant::now();
            let slot = s.next.max(now);
            s.next = slot + Duration::from_secs_f64(1.0 / s.rate);
            slot - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// A request went through: raise the rate.
    pub fn on_success(&self) {
        let mut s = self.lock();
        if s.fixed {
            return;
        }
        s.rate = if s.probing {
            s.rate * 1.2
        } else {
            // About +1 request/s for every `rate` successes: a gentle probe upwards.
            s.rate + 1.0 / s.rate.max(1.0)
        }
        .min(MAX_RATE);
    }

    /// The server refused a request with 429: slow down, and wait `retry_after` if given.
    pub fn on_throttled(&self, retry_after: Option<Duration>) {
        let mut s = self.lock();
        if !s.fixed {
            s.rate = (s.rate * 0.7).max(MIN_RATE);
            s.probing = false;
        }
        let now = Instant::now();
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
        l.on_throttled(None);
        assert!(l.rate() < r1);
    }

    #[test]
    fn fixed_rate_does_not_move() {
        let l = Limiter::new(Some(2.0));
        l.on_success();
        l.on_throttled(None);
        assert_eq!(l.rate(), 2.0);
    }

    #[tokio::test]
    async fn retry_after_holds_requests() {
        let l = Limiter::new(Some(1000.0));
        l.on_throttled(Some(Duration::from_millis(150)));
        let t = Instant::now();
        l.acquire().await;
        assert!(t.elapsed() >= Duration::from_millis(140));
    }
}
