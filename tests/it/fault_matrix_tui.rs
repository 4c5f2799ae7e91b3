//! The fault matrix through the TUI: the real event loop on a TestBackend, driven by keys
//! (load at start, `2` and a search, `b` and confirm, `c` and the last four digits, `e` on the
//! detail view and save), each of the five operations against each fault (table in
//! `common/matrix.rs`), each cell against a sandbox of its own. Each cell checks: the loop did
//! not panic and still answers, the error log holds a message naming the operation and the
//! likely cause, the requests the sandbox saw, the sandbox's state, and that the pane agrees
//! with it (a failed buy is not shown as owned, a failed cancel still is).

use std::time::Duration;

use crate::common::matrix::{self, Expect, Fault, NEW_SMS_URL, Op, Subject};
use crate::common::tui::{Headless, Seen};
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Client, ClientConfig};
use switchboard::app::Context;
use switchboard::sandbox::{Sandbox, SandboxConfig};

const SECRET: &str = "tui-matrix-Secret-77d2";
const RETRIES: u32 = 2;

fn client(base_url: String, sb: &Sandbox) -> Client {
    Client::new(
        crate::common::credentials(sb),
        ClientConfig {
            base_url,
            timeout: Duration::from_secs(matrix::TIMEOUT_SECS),
            max_retries: RETRIES,
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

/// Ends when the operation's answer has been handled: a new error in the log, or `done`.
async fn outcome(ui: &mut Headless, errors_before: usize, done: impl Fn(&Seen) -> bool) -> Seen {
    ui.wait("the operation's outcome", |s| {
        s.busy == 0 && (s.errors().len() > errors_before || done(s))
    })
    .await
}

/// One cell: `lost` = the sandbox runs the change, then loses its answer.
async fn cell(op: Op, fault: Fault, seed: u64, lost: bool) {
    let name = if lost {
        format!("tui {op:?} × lost {fault:?}")
    } else {
        format!("tui {op:?} × {fault:?}")
    };
    let sb = crate::common::start(SandboxConfig {
        owned: 8,
        seed,
        api_secret: SECRET.to_string(),
        ..SandboxConfig::default()
    })
    .await;
    let (available, owned) = crate::common::available_and_owned(&sb).await;
    let s = Subject::of(&sb, available, owned);
    let refused = fault == Fault::Refused;
    let faults = if lost {
        Some(matrix::lost_faults(op, fault))
    } else {
        matrix::faults(op, fault)
    };
    let expected = if lost {
        Expect::Done {
            tries: matrix::lost_expect(op, fault).1,
            empty: false,
        }
    } else {
        matrix::expect(op, fault)
    };

    // The list loads at start: its faults (or a closed port) are in place before.
    let base = if refused && op == Op::List {
        crate::common::closed_port_url()
    } else {
        sb.base_url()
    };
    if op == Op::List
        && let Some(f) = &faults
    {
        sb.set_faults(f.clone());
    }
    let mut ui = Headless::start(client(base, &sb), 100, 30);
    let start = ui.wait("the first load", |s| s.loaded && s.busy == 0).await;

    // Go to where the operation starts, then set the faults (or stop the server).
    let target = match op {
        Op::List => None,
        Op::Search => {
            ui.ch('2');
            ui.wait("the search form", |s| {
                s.context == Some(Context::SearchForm)
            })
            .await;
            None
        }
        Op::Buy => {
            ui.ch('2');
            ui.text("GB");
            ui.key(KeyCode::Enter);
            let seen = ui
                .wait("the search results", |s| s.results.is_some() && s.busy == 0)
                .await;
            let first = seen.results.unwrap_or_default().first().cloned();
            Some(first.unwrap_or_else(|| panic!("{name}: a result to buy")))
        }
        Op::Cancel | Op::Update => {
            let selected = start.selected.clone();
            Some(selected.unwrap_or_else(|| panic!("{name}: a selected number")))
        }
    };
    let mut sb = Some(sb);
    if op != Op::List {
        if refused {
            // The server goes away: the next connection is refused.
            if let Some(sb) = sb.take() {
                sb.shutdown().await;
            }
        } else if let (Some(f), Some(sb)) = (&faults, &sb) {
            sb.set_faults(f.clone());
        }
    }
    // The list's answer came with the first load: count its errors from the start.
    let errors_before = if op == Op::List {
        0
    } else {
        ui.now().errors().len()
    };
    let seen = match op {
        Op::List => start,
        Op::Search => {
            ui.text("GB");
            ui.key(KeyCode::Enter);
            outcome(&mut ui, errors_before, |s| s.results.is_some()).await
        }
        Op::Buy => {
            let m = target.clone().expect("target");
            ui.ch('b');
            ui.wait("the buy dialog", |s| s.context == Some(Context::Dialog))
                .await;
            ui.key(KeyCode::Tab);
            ui.key(KeyCode::Enter);
            outcome(&mut ui, errors_before, |s| {
                s.toast
                    .as_deref()
                    .is_some_and(|t| t.contains(&format!("bought {m}")))
            })
            .await
        }
        Op::Cancel => {
            let m = target.clone().expect("target");
            ui.ch('c');
            ui.wait("the cancel dialog", |s| {
                s.context == Some(Context::DialogText)
            })
            .await;
            ui.text(&m[m.len() - 4..]);
            ui.key(KeyCode::Enter);
            outcome(&mut ui, errors_before, |s| {
                s.toast
                    .as_deref()
                    .is_some_and(|t| t.contains(&format!("cancelled {m}")))
            })
            .await
        }
        Op::Update => {
            let m = target.clone().expect("target");
            ui.key(KeyCode::Enter);
            ui.wait("the detail view", |s| s.context == Some(Context::Detail))
                .await;
            ui.ch('e');
            ui.wait("the edit form", |s| s.context == Some(Context::Edit))
                .await;
            ui.key(KeyCode::Tab);
            ui.ctrl('u');
            ui.text(NEW_SMS_URL);
            ui.key(KeyCode::Enter);
            ui.wait("the review", |s| s.context == Some(Context::Dialog))
                .await;
            ui.key(KeyCode::Tab);
            ui.key(KeyCode::Enter);
            outcome(&mut ui, errors_before, |s| {
                s.toast
                    .as_deref()
                    .is_some_and(|t| t.contains(&format!("updated {m}")))
            })
            .await
        }
    };
    let screen = seen.screen_text();
    assert!(!screen.contains(SECRET), "{name}: the secret is on screen");
    for (_, text) in &seen.log {
        assert!(!text.contains(SECRET), "{name}: the secret is in the log");
    }
    let new_errors: Vec<&str> = seen.errors().into_iter().skip(errors_before).collect();

    // The state: the sandbox's (when it still runs), the requests it saw, and the pane's.
    let (check_subject, check_ctx) = (&s, &name);
    let verify = |sb: &Sandbox, done: bool, tries: Option<matrix::Tries>| {
        if let Some(tries) = tries {
            assert_eq!(
                s.sent(sb, op.path()),
                tries.count(RETRIES),
                "{name}: requests"
            );
        }
        check_subject.check_state(sb, op, done, check_ctx);
    };
    match expected {
        Expect::Done { tries, empty } => {
            if lost && op.spends() {
                let toast = seen.toast.clone().unwrap_or_default();
                for w in matrix::lost_expect(op, fault).0 {
                    assert!(toast.contains(w), "{name}: {w:?} in {toast:?}");
                }
                assert!(toast.contains("the owned list confirms"), "{name}: {toast}");
            }
            assert!(
                new_errors.is_empty(),
                "{name}: no error expected: {new_errors:?}"
            );
            match op {
                Op::List => assert_eq!(seen.owned.is_empty(), empty, "{name}"),
                Op::Search => assert_eq!(
                    seen.results.as_ref().is_some_and(|r| r.is_empty()),
                    empty,
                    "{name}"
                ),
                Op::Buy => assert!(seen.owned.contains(target.as_ref().expect("m")), "{name}"),
                Op::Cancel => assert!(!seen.owned.contains(target.as_ref().expect("m")), "{name}"),
                Op::Update => {}
            }
            verify(sb.as_ref().expect("the sandbox runs"), true, Some(tries));
        }
        Expect::Failed { .. } | Expect::Unknown { .. } => {
            let failure = expected.failure().expect("a failure");
            let message = new_errors
                .last()
                .unwrap_or_else(|| panic!("{name}: an error in the log; seen {seen:#?}"));
            matrix::check_message(&name, op, failure.words, message, SECRET);
            assert!(
                seen.toast.as_deref() == Some(*message),
                "{name}: the error is on screen as the current message"
            );
            match op {
                Op::Buy => assert!(
                    !seen.owned.contains(target.as_ref().expect("m")),
                    "{name}: a failed buy is not shown as owned"
                ),
                Op::Cancel | Op::Update => assert!(
                    seen.owned.contains(target.as_ref().expect("m")),
                    "{name}: a failed change keeps the number in the list"
                ),
                _ => {}
            }
            if let Some(sb) = &sb {
                assert_eq!(
                    s.sent(sb, op.path()),
                    failure.tries.count(RETRIES),
                    "{name}: requests"
                );
                failure.check_state(&s, sb, op, &name).await;
            }
            if failure.later {
                // The server carried it out after all: a refresh shows the real outcome.
                let m = target.clone().expect("m");
                ui.ch('1');
                ui.ch('r');
                let shown = ui
                    .wait("the refreshed list", |s| {
                        s.busy == 0 && s.owned.contains(&m) == (op == Op::Buy)
                    })
                    .await;
                assert_eq!(shown.owned.contains(&m), op == Op::Buy, "{name}");
            }
        }
    }
    // Still alive: the loop answers a key, then ends cleanly.
    let frames = ui.now().frames;
    ui.ch('?');
    ui.wait("a frame after the fault", |s| s.frames > frames)
        .await;
    ui.finish()
        .await
        .unwrap_or_else(|e| panic!("{name}: the loop failed: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_under_every_fault_through_the_tui() {
    matrix::run_cells(matrix::cells(), 12, 2000, |op, fault, seed| {
        cell(op, fault, seed, false)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_whose_answer_was_lost_are_settled_through_the_tui() {
    matrix::run_cells(matrix::lost_cells(), 12, 4000, |op, fault, seed| {
        cell(op, fault, seed, true)
    })
    .await;
}
