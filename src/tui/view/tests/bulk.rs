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
        },
    });
    snap("bulk_progress", &app);
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
