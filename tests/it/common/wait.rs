//! The one way a test waits for something it cannot be told about: poll a condition every
//! 20 ms for at most some seconds (a guard against a hung test, not a timing assertion), then
//! fail naming what was awaited and what was last seen. (What the headless UI publishes is
//! awaited without polling: [`super::tui::Headless::wait`].)

use std::time::{Duration, Instant};

const EVERY: Duration = Duration::from_millis(20);

/// Blocks until `probe` gives `Ok`; its `Err` says what it saw, for the failure message.
pub fn seen<T>(what: &str, secs: u64, mut probe: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        match probe() {
            Ok(found) => return found,
            Err(last) if Instant::now() >= deadline => {
                panic!("timed out ({secs} s) waiting for {what}; last seen:\n{last}")
            }
            Err(_) => std::thread::sleep(EVERY),
        }
    }
}

/// Blocks until `ok` holds.
pub fn until(what: &str, secs: u64, ok: impl Fn() -> bool) {
    seen(
        what,
        secs,
        || if ok() { Ok(()) } else { Err(String::new()) },
    )
}

/// Like [`until`], from async code: the runtime keeps serving (the sandbox answers) while it
/// waits.
pub async fn until_async(what: &str, secs: u64, ok: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out ({secs} s) waiting for {what}"
        );
        tokio::time::sleep(EVERY).await;
    }
}
