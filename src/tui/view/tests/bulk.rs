//! Bulk edits and undo: the mark column, the bulk form, the diff confirmation, the run's
//! progress panel, its results list, the undo confirmation.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::api::{ApiError, NumberConfig, Operation};
use crate::app::{Reply, Request};
use crate::bulk::{ItemError, ItemResult, Outcome, Progress, Report, Target};
use crate::journal::{Entry, Kind, Plan, Status, Step, UndoAction};

/// Numbers 1, 2, 3 and 5 marked.
fn marked() -> App {
    let mut app = loaded();
    cmd(&mut app, Cmd::Down);
    for _ in 0..3 {
        cmd(&mut app, Cmd::Mark);
    }
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Mark);
    app
}

/// The marked numbers' bulk form with a new SMS URL typed; submitted when `submit`.
fn bulk_form(submit: bool) -> App {
    let mut app = marked();
    cmd(&mut app, Cmd::Edit);
    cmd(&mut app, Cmd::NextField);
    type_text(&mut app, "https://hooks.example.com/sms/new");
    if submit {
        cmd(&mut app, Cmd::Submit);
    }
    app
}

/// A bulk run started from the confirmation; its request id.
fn running() -> (App, u64) {
    let mut app = bulk_form(true);
    cmd(&mut app, Cmd::Toggle);
    let effects = app.update(Action::Cmd(Cmd::Submit));
    let crate::app::Effect::Api { id, request } = &effects[0] else {
        panic!("not a request: {effects:?}");
    };
    assert!(matches!(request, Request::Bulk { .. }));
    (app, *id)
}

#[test]
fn marked_numbers_show_a_mark_column_and_a_count() {
    snap("bulk_marked", &marked());
}

#[test]
fn bulk_edit_form() {
    snap("bulk_form", &bulk_form(false));
}

#[test]
fn bulk_diff_confirmation() {
    snap("bulk_confirm", &bulk_form(true));
}

#[test]
fn the_bulk_confirmation_scrolls_on_a_small_screen() {
    let mut app = bulk_form(true);
    sized(&mut app, 60, 15);
    assert!(app.scroll_max > 0, "{}", render(&app, 60, 15));
    let top = render(&app, 60, 15);
    assert!(
        top.contains("scroll ↓ more") && !top.contains("  …"),
        "{top}"
    );
    cmd(&mut app, Cmd::Bottom);
    let bottom = render(&app, 60, 15);
    assert!(bottom.contains("SMS webhook"), "the last line: {bottom}");
    assert!(top.contains("[ n Back ]") && bottom.contains("[ n Back ]"));
    insta::assert_snapshot!("bulk_confirm_scrolled_60x15", bottom);
}

#[test]
fn bulk_progress_panel() {
    let (mut app, id) = running();
    app.update(Action::BulkProgress {
        id,
        progress: Progress {
            done: 2,
            failed: 1,
            total: 4,
            elapsed: Duration::from_secs(4),
            stopping: false,
            ..Progress::default()
        },
    });
    // Two changes awaited at once: the spinner counts them (the run is one request of the
    // app's).
    app.update(Action::Sent(2));
    snap("bulk_progress", &app);
}

#[test]
fn a_runs_numbers_show_saving_until_each_lands() {
    let (mut app, id) = running();
    let first = app.marked_numbers()[0].clone();
    let after = NumberConfig {
        mo_http_url: Some("https://hooks.example.com/sms/new".into()),
        ..NumberConfig::from_number(&first, None)
    };
    app.update(Action::BulkProgress {
        id,
        progress: Progress {
            done: 1,
            total: 4,
            landed: Some(crate::bulk::Landed {
                target: Target::new(
                    first.country.clone().unwrap(),
                    first.msisdn.clone().unwrap(),
                ),
                now: crate::bulk::Holds::Config(after),
            }),
            ..Progress::default()
        },
    });
    // The panel closed: the list, its landed row changed, the other three saving.
    cmd(&mut app, Cmd::Back);
    let screen = render(&app, 120, 40);
    let saving = screen
        .lines()
        .filter(|l| l.contains(crate::tui::view::owned::SAVING))
        .count();
    assert_eq!(saving, 3, "{screen}");
    snap("bulk_saving", &app);
}

/// A run finished with one failure and one number not started.
fn finished() -> App {
    let (mut app, id) = running();
    let numbers = numbers();
    let t = |i: usize| {
        let n = &numbers[i];
        Target::new(n.country.clone().unwrap(), n.msisdn.clone().unwrap())
    };
    let after = NumberConfig {
        mo_http_url: Some("https://hooks.example.com/sms/new".into()),
        ..Default::default()
    };
    let items = vec![
        ItemResult {
            target: t(1),
            outcome: Outcome::Updated {
                before: NumberConfig::default(),
                after: after.clone(),
                warnings: vec![],
            },
        },
        ItemResult {
            target: t(2),
            outcome: Outcome::Failed(ItemError::Api(Arc::new(ApiError::MethodFailed {
                op: Operation::Update,
                label: "method failed".into(),
                hint: Operation::Update.method_failed_hint(),
            }))),
        },
        ItemResult {
            target: t(3),
            outcome: Outcome::Updated {
                before: NumberConfig::default(),
                after,
                warnings: vec![],
            },
        },
        ItemResult {
            target: t(5),
            outcome: Outcome::NotStarted,
        },
    ];
    app.update(Action::Reply {
        id,
        reply: Reply::BulkDone(Report {
            batch: Some(12),
            items,
            stopped: true,
            elapsed: Duration::from_millis(2500),
        }),
    });
    app
}

#[test]
fn bulk_results_list() {
    let app = finished();
    snap("bulk_results", &app);
}

#[test]
fn a_result_opens_whole_and_the_failed_are_marked_and_retried() {
    let mut app = finished();
    assert_eq!(app.context(), crate::app::Context::Bulk);
    // Problems first: the failure is under the cursor; Enter shows its whole error.
    cmd(&mut app, Cmd::Open);
    let screen = render(&app, 60, 15);
    assert!(screen.contains("method failed"), "{screen}");
    insta::assert_snapshot!("bulk_result_whole_60x15", screen);
    cmd(&mut app, Cmd::Back);
    // a marks the failed and not started; R retries the marked only.
    app.marks.clear();
    cmd(&mut app, Cmd::MarkAll);
    assert_eq!(app.marks.len(), 2);
    cmd(&mut app, Cmd::Top);
    cmd(&mut app, Cmd::Mark);
    assert_eq!(app.marks.len(), 1, "Space unmarks the failed one");
    let effects = app.update(Action::Cmd(Cmd::RetryFailed));
    let crate::app::Effect::Api {
        request: Request::Bulk { targets, .. },
        ..
    } = &effects[0]
    else {
        panic!("{effects:?}");
    };
    assert_eq!(targets.len(), 1, "only the marked one: {targets:?}");
}

#[test]
fn undo_confirmation_names_the_number_a_buy_undo_cancels() {
    let mut app = loaded();
    let effects = app.update(Action::Cmd(Cmd::Undo));
    let crate::app::Effect::Api { id, .. } = &effects[0] else {
        panic!("not a request: {effects:?}");
    };
    let entry = |id: u64, kind: Kind, msisdn: &str| Entry {
        id,
        time: 0,
        batch: Some(30),
        kind,
        app: None,
        account: None,
        country: "GB".into(),
        msisdn: msisdn.into(),
        before: Some(NumberConfig::default()),
        after: Some(NumberConfig::default()),
        status: Status::Done,
        error: None,
        undoes: None,
    };
    let plan = Plan {
        target: 30,
        is_batch: true,
        left_out: 1,
        steps: vec![
            Step {
                entry: entry(33, Kind::Buy, "447700900555"),
                action: UndoAction::Cancel,
            },
            Step {
                entry: entry(32, Kind::Update, "447700900107"),
                action: UndoAction::Restore {
                    config: NumberConfig::default(),
                    expect: NumberConfig::default(),
                },
            },
        ],
    };
    app.update(Action::Reply {
        id: *id,
        reply: Reply::UndoPlanned(Ok(plan)),
    });
    snap("undo_confirm", &app);
}

#[test]
fn help_over_the_run_panel_lists_its_keys() {
    let (mut app, _) = running();
    cmd(&mut app, Cmd::Help);
    let screen = render(&app, 120, 40);
    for key in ["s stop the run", "R retry the failed", "u undo last change"] {
        assert!(screen.contains(key), "{key} missing:\n{screen}");
    }
    assert!(screen.contains("Bulk run"), "{screen}");
}

#[test]
fn a_paused_run_shows_why_and_how_to_resume() {
    let (mut app, id) = running();
    app.update(Action::BulkProgress {
        id,
        progress: Progress {
            done: 3,
            failed: 3,
            total: 4,
            paused: Some("paused after 3 failures in a row: HTTP 503".into()),
            ..Progress::default()
        },
    });
    let screen = super::render(&app, 120, 40);
    assert!(screen.contains("Bulk update — paused"), "{screen}");
    assert!(screen.contains("HTTP 503"), "{screen}");
    assert!(screen.contains("r resume"), "{screen}");
    snap("bulk_paused", &app);
    // The keys it names are the keys bound.
    let lines = vec![("resume_run".to_string(), vec!["F7".to_string()])];
    let km = crate::tui::keymap::Keymap::configured(None, &lines).unwrap();
    let screen = render_with(&app, &km, 120, 40);
    assert!(screen.contains("F7 resume · s stop"), "{screen}");
    assert!(!screen.contains("r resume"), "{screen}");
}

#[test]
fn a_stopping_run_says_how_many_changes_are_still_finishing() {
    let (mut app, id) = running();
    app.update(Action::BulkProgress {
        id,
        progress: Progress {
            done: 1,
            total: 4,
            finishing: 2,
            elapsed: Duration::from_secs(2),
            ..Progress::default()
        },
    });
    cmd(&mut app, Cmd::StopRun);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Bulk update — stopping…"), "{screen}");
    assert!(screen.contains("stopping: 2 still finishing"), "{screen}");
    snap("bulk_stopping", &app);
}

#[test]
fn rebound_keys_are_the_keys_the_panel_the_tabs_and_the_messages_name() {
    let lines: Vec<(String, Vec<String>)> = [
        ("stop_run", vec!["F5"]),
        ("show_search", vec!["S"]),
        ("sort_reverse", vec!["R"]),
        ("retry_failed", vec!["F6"]),
    ]
    .into_iter()
    .map(|(a, k)| (a.to_string(), k.into_iter().map(String::from).collect()))
    .collect();
    let km = crate::tui::keymap::Keymap::configured(None, &lines).unwrap();
    let (mut app, _) = running();
    app.keys = km.names();
    let screen = render_with(&app, &km, 120, 40);
    assert!(
        screen.contains("F5 stop (what was sent finishes)"),
        "{screen}"
    );
    assert!(!screen.contains(" s stop"), "{screen}");
    // The header's tabs: the pane keys where the keyboard is (the panel: no typing).
    cmd(&mut app, Cmd::Back);
    let screen = render_with(&app, &km, 120, 40);
    let header = screen.lines().next().unwrap();
    assert!(header.contains("S Search"), "{header}");
    assert!(!header.contains("2 Search"), "{header}");
    // A message naming keys names them as bound.
    cmd(&mut app, Cmd::Edit);
    let toast = app.messages.current().unwrap().text.clone();
    assert!(toast.contains("(B, then F5)"), "{toast}");
}
