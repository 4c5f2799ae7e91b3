//! End-to-end, the real binary in a pseudo-terminal against a sandbox with latency: filter, mark every
//! number shown, bulk-edit their SMS webhook, confirm the diff, stop the run half-way, retry
//! the rest, check every number in the sandbox, quit, start again, undo the whole run with `u`,
//! check every number is back, quit.

use std::collections::HashMap;
use std::time::Duration;

use crate::common::pty::Pty;
use crate::common::{Auth, Cli, MAIN_KEY, wait};
use switchboard::sandbox::SandboxConfig;

const URL: &str = "https://e2e.example.com/bulk";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mark_bulk_edit_stop_retry_undo_in_the_tui() {
    let sandbox = crate::common::start(SandboxConfig {
        owned: 300,
        seed: 91,
        // Slow enough that the run is still going when the test stops it, even on a busy
        // machine: about 60 numbers, two requests each, 8 at a time.
        latency: Duration::from_millis(250),
        ..SandboxConfig::default()
    })
    .await;
    let sb = &sandbox;
    let gb: HashMap<String, switchboard::sandbox::NumberRecord> = {
        let all = crate::common::all_owned(&crate::common::client(sb)).await;
        crate::common::records(sb, MAIN_KEY, &all)
            .into_iter()
            .filter(|r| r.country == "GB")
            .map(|r| (r.msisdn.clone(), r))
            .collect()
    };
    assert!(gb.len() > 40, "{}", gb.len());
    // The journal outlives the session: the second run is the same home.
    let cli = Cli::against(sb, Auth::Env);
    tokio::task::block_in_place(|| {
        let mut t = Pty::start(&cli);
        t.wait_text("300 shown of 300");
        // Filter by country (the GB numbers start with 44 and say GB), mark all shown.
        t.keys(&["/"]);
        t.text(" gb ");
        t.keys(&["Enter"]);
        t.wait_text("shown of 300");
        t.keys(&["a"]);
        t.wait_text("marked");
        // Bulk edit: the SMS webhook for all of them.
        t.keys(&["e"]);
        t.wait_text("marked numbers");
        t.keys(&["Tab"]);
        t.text(URL);
        t.keys(&["Enter"]);
        let s = t.wait_text("Apply to");
        assert!(s.contains("moHttpUrl"), "{s}");
        // Apply, then stop it while it runs.
        t.keys(&["Tab", "Enter"]);
        t.wait_text("Bulk update —");
        let changed = || {
            gb.keys()
                .filter(|m| {
                    sb.owned_number("sandbox", m)
                        .unwrap()
                        .mo_http_url
                        .as_deref()
                        == Some(URL)
                })
                .count()
        };
        // Stopped once some numbers are done (a stop takes effect at once: pressed before the
        // first change lands, nothing would change).
        wait::until("a first number updated", 60, || changed() > 0);
        t.keys(&["s"]);
        let s = t.wait_for("the stopped run", 60, |s| {
            s.contains("Bulk update — stopped") || s.contains("Bulk update — finished")
        });
        assert!(s.contains("stopped"), "the run ended before the stop:\n{s}");
        let half = changed();
        assert!(half > 0 && half < gb.len(), "{half} of {}", gb.len());
        // Retry the rest.
        t.keys(&["R"]);
        t.wait_text("Bulk update — finished");
        wait::until("every GB number updated", 60, || changed() == gb.len());
        for (m, r) in &gb {
            let now = sb.owned_number("sandbox", m).unwrap();
            assert_eq!(now.app_id, r.app_id, "{m}: untouched fields kept");
            assert_eq!(now.voice_callback_value, r.voice_callback_value);
        }
        // Quit and start again: the journal outlives the session.
        t.keys(&["Escape"]);
        t.wait_text("bulk done");
        t.quit();
        drop(t);
        let mut t = Pty::start(&cli);
        t.wait_text("300 shown of 300");
        // Undo the whole run (the retry belongs to it).
        t.keys(&["u"]);
        t.wait_text("Undo?");
        t.keys(&["Tab", "Enter"]);
        t.wait_text("— finished");
        wait::until("every GB number restored", 60, || changed() == 0);
        for (m, r) in &gb {
            let now = sb.owned_number("sandbox", m).unwrap();
            assert_eq!(now.mo_http_url, r.mo_http_url, "{m} restored");
            assert_eq!(now.app_id, r.app_id);
        }
        // (An Esc followed at once by a key reads as Alt+key: wait for the Esc to act.)
        t.keys(&["Escape"]);
        t.wait_text("undo done");
        t.quit();
    });
}

// Issue 10, case 8, in a real terminal: a bulk run against an API that starts failing pauses
// and says why; once the API is back, `r` resumes it (more numbers change), `s` stops it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_run_pauses_resumes_and_stops_in_a_real_terminal() {
    const PAUSE_URL: &str = "https://e2e.example.com/pause";
    let sandbox = crate::common::start(SandboxConfig {
        owned: 200,
        seed: 92,
        latency: Duration::from_millis(250),
        ..SandboxConfig::default()
    })
    .await;
    let sb = &sandbox;
    let all = crate::common::all_owned(&crate::common::client(sb)).await;
    let numbers: Vec<String> = all.iter().filter_map(|n| n.msisdn.clone()).collect();
    let cli = Cli::against(sb, Auth::Env);
    tokio::task::block_in_place(|| {
        let changed = || {
            numbers
                .iter()
                .filter(|m| {
                    sb.owned_number("sandbox", m)
                        .unwrap()
                        .mo_http_url
                        .as_deref()
                        == Some(PAUSE_URL)
                })
                .count()
        };
        let mut t = Pty::start(&cli);
        t.wait_text("200 shown of 200");
        t.keys(&["a"]);
        t.wait_text("marked");
        t.keys(&["e"]);
        t.wait_text("marked numbers");
        t.keys(&["Tab"]);
        t.text(PAUSE_URL);
        t.keys(&["Enter"]);
        t.wait_text("Apply to");
        t.keys(&["Tab", "Enter"]);
        t.wait_text("Bulk update —");
        wait::until("a first number updated", 60, || changed() > 0);
        // The API fails: the run pauses and says why.
        sb.set_faults(switchboard::sandbox::Faults {
            rate_500: 1.0,
            ..Default::default()
        });
        let s = t.wait_for("the paused run", 90, |s| s.contains("Bulk update — paused"));
        assert!(s.contains("failures in a row"), "{s}");
        let at_pause = changed();
        assert!(at_pause < numbers.len(), "{at_pause}");
        // The API is back: resumed, numbers change again.
        sb.set_faults(switchboard::sandbox::Faults::default());
        t.keys(&["r"]);
        t.wait_text("Bulk update — running");
        wait::until("more numbers updated after the resume", 60, || {
            changed() > at_pause
        });
        // Stopped: nothing new is sent after it.
        t.keys(&["s"]);
        t.wait_for("the stopped run", 60, |s| {
            s.contains("Bulk update — stopped") || s.contains("Bulk update — finished")
        });
        let at_stop = changed();
        std::thread::sleep(Duration::from_secs(1));
        assert_eq!(changed(), at_stop, "nothing changes after the stop");
        // (An Esc followed at once by a key reads as Alt+key: wait for the Esc to act.)
        t.keys(&["Escape"]);
        t.wait_for("the panel closed", 20, |s| !s.contains("Bulk update —"));
        t.quit();
    });
}
