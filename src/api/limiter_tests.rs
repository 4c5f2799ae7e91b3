use super::*;

#[tokio::test]
async fn probing_widens_the_window_on_success() {
    let l = Limiter::new(None);
    let first = l.acquire().await;
    assert!(!l.pacing());
    // The window is 1: a second request waits until the first ends.
    let blocked = tokio::time::timeout(Duration::from_millis(20), l.acquire()).await;
    assert!(
        blocked.is_err(),
        "a second request waits while the window is full"
    );
    l.on_success();
    drop(first);
    // Alone again: the window grows after two successes.
    let second = l.acquire().await;
    l.on_success();
    drop(second);
    // Now two requests may be in flight at once.
    let a = l.acquire().await;
    let b = tokio::time::timeout(Duration::from_millis(200), l.acquire()).await;
    assert!(b.is_ok(), "the window grew to 2");
    drop((a, b));
}

#[test]
fn a_429_starts_pacing_under_the_estimate() {
    let l = Limiter::new(None);
    for _ in 0..5 {
        l.on_success();
    }
    l.on_throttled(Instant::now(), None);
    assert!(l.pacing());
    let r1 = l.rate();
    assert!(
        (4.0 * BACKOFF * 0.9..=5.0 * BACKOFF * 1.1).contains(&r1),
        "5 successes in ~1 s: {r1}"
    );
    l.on_success();
    assert!(l.rate() > r1, "the pace creeps upwards");
    l.on_throttled(Instant::now(), None);
    assert!(l.rate() < r1 * 1.01, "a later 429 cuts again");
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
    let _ticket = l.acquire().await;
    assert!(t.elapsed() >= Duration::from_millis(140));
}

#[tokio::test]
async fn retry_after_holds_requests_already_waiting() {
    let l = std::sync::Arc::new(Limiter::new(Some(10.0)));
    drop(l.acquire().await);
    // The next slot is 100 ms away; a Retry-After arriving meanwhile moves it.
    let waiting = {
        let l = l.clone();
        tokio::spawn(async move {
            let t = Instant::now();
            drop(l.acquire().await);
            t.elapsed()
        })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    l.on_throttled(Instant::now(), Some(Duration::from_millis(300)));
    let waited = waiting.await.unwrap();
    assert!(waited >= Duration::from_millis(290), "{waited:?}");
}

fn learned(limit: Option<f64>, window: usize) -> LearnedPace {
    LearnedPace {
        limit,
        window,
        limited_at: None,
        learned_at: unix_secs(SystemTime::now()),
        last_request_ms: None,
    }
}

#[tokio::test]
async fn resumed_with_no_limit_met_it_starts_at_full_concurrency() {
    let l = Limiter::resume(None, Some(&learned(None, 40)));
    assert!(!l.pacing());
    let mut tickets = Vec::new();
    for i in 0..8 {
        let t = tokio::time::timeout(Duration::from_millis(200), l.acquire()).await;
        tickets.push(t.unwrap_or_else(|_| panic!("request {i} waited: the window is 20")));
    }
}

#[test]
fn resumed_with_a_limit_it_paces_under_it_at_once() {
    let l = Limiter::resume(None, Some(&learned(Some(10.0), 1)));
    assert!(l.pacing(), "no slow start");
    assert!((l.rate() - 10.0 * BACKOFF).abs() < 1e-9, "{}", l.rate());
    // A success does not lose what was learned.
    l.on_success();
    let kept = l.learned().expect("learned");
    assert!(
        kept.limit.is_some_and(|r| (r - 10.0).abs() < 0.01),
        "{kept:?}"
    );
}

#[test]
fn resumed_a_fixed_rate_ignores_what_was_learned() {
    let l = Limiter::resume(Some(2.0), Some(&learned(Some(10.0), 1)));
    assert_eq!(l.rate(), 2.0);
    l.on_success();
    assert_eq!(l.learned(), None, "a fixed rate teaches nothing");
}

#[test]
fn nothing_is_learned_without_an_answer_and_a_429_is_remembered() {
    let l = Limiter::new(None);
    assert_eq!(l.learned(), None);
    for _ in 0..5 {
        l.on_success();
    }
    let unlimited = l.learned().expect("learned");
    assert_eq!((unlimited.limit, unlimited.window), (None, 5));
    l.on_throttled(Instant::now(), None);
    let limited = l.learned().expect("learned");
    assert!(
        limited.limit.is_some() && limited.limited_at.is_some(),
        "{limited:?}"
    );
}

#[tokio::test]
async fn resumed_right_after_a_run_it_waits_for_the_slot_after_its_last_request() {
    let l = Limiter::new(None);
    drop(l.acquire().await);
    l.on_success();
    l.on_throttled(Instant::now(), Some(Duration::ZERO));
    let mut kept = l.learned().expect("learned");
    kept.limit = Some(5.0);
    let next = Limiter::resume(None, Some(&kept));
    let t = Instant::now();
    drop(next.acquire().await);
    // 200 ms a request at 5 a second (less what has passed since the last request).
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t.elapsed()
    );
}

/// A server's token bucket of `rate` tokens refilled at `rate` a second, on a simulated clock.
struct Bucket {
    rate: f64,
    tokens: f64,
    at: f64,
}

impl Bucket {
    fn new(rate: f64) -> Bucket {
        Bucket {
            rate,
            tokens: rate.max(1.0),
            at: 0.0,
        }
    }

    /// A request at `t` seconds: true when it gets a token (else 429).
    fn take(&mut self, t: f64) -> bool {
        self.tokens = (self.tokens + (t - self.at) * self.rate).min(self.rate.max(1.0));
        self.at = t;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[test]
fn against_a_full_bucket_only_the_first_429_is_met() {
    for rate in [1.0, 5.0, 20.0] {
        let l = Limiter::new(None);
        let mut bucket = Bucket::new(rate);
        // The slow start spends the bucket at once; the first 429 ends it (held 1 s).
        let mut t = 0.0;
        while bucket.take(t) {
            l.on_success();
        }
        // The simulated clock holds for the Retry-After: the limiter is not made to wait.
        l.on_throttled(Instant::now(), Some(Duration::ZERO));
        t += 1.0;
        // Then a minute of requests at the limiter's pace.
        let (mut refused, mut sent) = (0, 0);
        while t < 61.0 {
            sent += 1;
            if bucket.take(t) {
                l.on_success();
                t += 1.0 / l.rate();
            } else {
                refused += 1;
                l.on_throttled(Instant::now(), Some(Duration::ZERO));
                t += 1.0;
            }
        }
        assert_eq!(refused, 0, "{rate} a second: {refused} of {sent} refused");
        assert!(sent as f64 >= 0.9 * rate * 60.0, "{rate} a second: {sent}");
    }
}
