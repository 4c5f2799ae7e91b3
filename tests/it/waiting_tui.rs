//! The interactive UI says what a slow request waits for (issue 12, case 2: "say on a terminal
//! what is being waited for"): the status line, once a request has waited 2 s, reads the
//! client's own words with the seconds counting up, and the line goes when the answer comes.

use std::time::Duration;

use crate::common::tui::Headless;
use switchboard::api::ClientConfig;
use switchboard::sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_line_says_what_a_slow_request_waits_for() {
    let sb = crate::common::start(SandboxConfig {
        owned: 20,
        seed: 141,
        // Every answer takes 4 s: the first listing waits past the 2 s after which it is said.
        latency: Duration::from_millis(4000),
        ..SandboxConfig::default()
    })
    .await;
    let client = crate::common::client_with(
        &sb,
        ClientConfig {
            timeout: Duration::from_secs(20),
            ..crate::common::fast_config()
        },
    );
    let mut ui = Headless::start(client, 120, 30);
    let seen = ui
        .wait("the waiting line", |s| {
            s.busy > 0 && s.screen_text().contains("waiting 2s for")
        })
        .await;
    let screen = seen.screen_text();
    assert!(
        screen.contains("to answer list"),
        "it names the operation:\n{screen}"
    );
    // The seconds count up while it waits.
    ui.wait("the count going up", |s| {
        s.screen_text().contains("waiting 3s for")
    })
    .await;
    let done = ui.wait("the list", |s| s.loaded && s.busy == 0).await;
    assert!(
        !done.screen_text().contains("waiting"),
        "the line goes with the answer:\n{}",
        done.screen_text()
    );
}
