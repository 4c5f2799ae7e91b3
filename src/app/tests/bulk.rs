//! State tests of marks, bulk edits (form, diff, run, progress, stop, results, retry) and
//! undo: actions in, state and effects out. No terminal, no network.

use std::sync::Arc;
use std::time::Duration;

use tui_input::InputRequest;

use super::{cmd, list_request, only_request, type_text};
use crate::api::ApiError;
use crate::api::{Change, NumberType};
use crate::app::*;
use crate::bulk::{ItemError, ItemResult, Outcome, Progress, Report, Target as BulkTarget};
use crate::journal::{Entry, Kind, Plan, Status, Step, UndoAction};

/// Number `i` of a bulk test: every other one linked to an app, two of three with a webhook.
fn number(i: usize) -> OwnedNumber {
    OwnedNumber {
        msisdn: Some(format!("4477009000{i:02}")),
        country: Some("GB".into()),
        number_type: Some(NumberType::MobileLvn),
        app_id: i.is_multiple_of(2).then(|| format!("app-{i}").into()),
        mo_http_url: (!i.is_multiple_of(3))
            .then(|| format!("https://old.example.com/{}", i % 2).into()),
        ..Default::default()
    }
}

fn msisdn(i: usize) -> String {
    format!("4477009000{i:02}")
}

pub(super) fn loaded(n: usize) -> App {
    super::loaded((0..n).map(number).collect())
}

fn marked(a: &App) -> Vec<String> {
    let mut v: Vec<String> = a
        .marked_numbers()
        .iter()
        .filter_map(|n| n.msisdn.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn space_marks_and_moves_down_a_marks_all_shown_capital_a_clears() {
    let mut a = loaded(6);
    cmd(&mut a, Cmd::Mark);
    assert_eq!(a.owned.selected, 1);
    cmd(&mut a, Cmd::Mark);
    assert_eq!(marked(&a), vec![msisdn(0), msisdn(1)]);
    // Space on a marked number unmarks it.
    cmd(&mut a, Cmd::Up);
    cmd(&mut a, Cmd::Mark);
    assert_eq!(marked(&a), vec![msisdn(0)]);
    cmd(&mut a, Cmd::ClearMarks);
    assert!(a.marks.is_empty());
    cmd(&mut a, Cmd::MarkAll);
    assert_eq!(a.marks.len(), 6);
}

#[test]
fn marks_survive_filtering_and_refresh_and_vanish_with_their_number() {
    let mut a = loaded(6);
    // Filter to one number, mark everything shown: only it.
    cmd(&mut a, Cmd::Filter);
    type_text(&mut a, &msisdn(4));
    cmd(&mut a, Cmd::Submit);
    cmd(&mut a, Cmd::MarkAll);
    assert_eq!(marked(&a), vec![msisdn(4)]);
    // Clearing the filter keeps the mark; marking another adds to it.
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.owned.shown.len(), 6);
    cmd(&mut a, Cmd::Top);
    cmd(&mut a, Cmd::Mark);
    assert_eq!(marked(&a), vec![msisdn(0), msisdn(4)]);
    // A refresh without number 4: its mark goes, the other stays.
    let (id, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    let without_4: Vec<_> = (0..6).filter(|i| *i != 4).map(number).collect();
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(without_4)),
    });
    assert_eq!(marked(&a), vec![msisdn(0)]);
    assert_eq!(a.marks.len(), 1);
}

/// Marks every number, opens the bulk form, sets the SMS URL, submits: the confirmation.
pub(super) fn bulk_confirm(a: &mut App, url: &str) {
    cmd(a, Cmd::MarkAll);
    assert!(cmd(a, Cmd::Edit).is_empty());
    assert_eq!(a.context(), Context::BulkForm);
    assert!(a.bulk_form().is_some());
    assert!(
        a.edit_form().is_none(),
        "the single edit form is not opened"
    );
    cmd(a, Cmd::NextField);
    type_text(a, url);
    // The new SMS webhook is sent one GET (as the single edit does), whatever the count.
    let (_, req) = only_request(&cmd(a, Cmd::Submit));
    assert!(
        matches!(&req, Request::CheckWebhook(u) if u == url),
        "{req:?}"
    );
}

#[test]
fn bulk_form_diff_dialog_then_run_progress_results_and_retry_of_the_failed() {
    let mut a = loaded(6);
    let url = "https://new.example.com/sms";
    bulk_confirm(&mut a, url);
    let c = a.bulk_confirm().cloned().expect("the confirmation");
    assert_eq!(a.context(), Context::Dialog);
    // Numbers 0 and 3 have no SMS URL, 1 and 4 one value, 2 and 5 another: all 6 change.
    assert_eq!((c.summary.total, c.summary.changing), (6, 6));
    let f = &c.summary.fields[0];
    assert_eq!((f.field, f.changes), ("moHttpUrl", 6));
    assert_eq!(f.from.len(), 3);
    assert_eq!(f.to, vec![(Some(url.to_string()), 6)]);
    assert_eq!(c.change.mo_http_url, Change::Set(url.into()));
    assert_eq!(c.change.app_id, Change::Keep, "blank fields are unchanged");
    assert!(!c.confirm_focused, "Back is focused");
    // Enter on Back: nothing runs.
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.bulk_confirm().is_none() && a.bulk.run.is_none());

    cmd(&mut a, Cmd::Submit); // the form is still open: review again
    cmd(&mut a, Cmd::Toggle);
    let (id, req) = only_request(&cmd(&mut a, Cmd::Submit));
    let Request::Bulk {
        targets,
        change,
        batch,
        ..
    } = req
    else {
        panic!("not a bulk request: {req:?}");
    };
    assert_eq!(targets.len(), 6);
    assert_eq!(batch, None);
    assert!(a.bulk.running() && a.run_panel_open() && a.bulk_form().is_none());
    assert_eq!(a.context(), Context::Bulk);
    assert_eq!(a.changes_in_flight(), 1, "quitting asks first");

    a.update(Action::BulkProgress {
        id,
        progress: Progress {
            done: 3,
            failed: 1,
            total: 6,
            elapsed: Duration::from_secs(3),
            stopping: false,
            ..Progress::default()
        },
    });
    assert_eq!(a.bulk.run.as_ref().unwrap().progress.done, 3);

    let after = |i: usize| {
        let mut c = NumberConfig::from_number(&number(i), None);
        c.mo_http_url = Some(url.into());
        c
    };
    let items = (0..6)
        .map(|i| ItemResult {
            target: BulkTarget::new("GB", msisdn(i)),
            outcome: match i {
                1 => Outcome::Failed(ItemError::Api(Arc::new(ApiError::Server {
                    op: crate::api::Operation::Update,
                    status: 500,
                    excerpt: "boom".into(),
                }))),
                5 => Outcome::NotStarted,
                i => Outcome::Updated {
                    before: NumberConfig::from_number(&number(i), None),
                    after: after(i),
                    warnings: vec![],
                },
            },
        })
        .collect();
    a.update(Action::Reply {
        id,
        reply: Reply::BulkDone(Report {
            batch: Some(41),
            items,
            stopped: false,
            elapsed: Duration::from_secs(5),
        }),
    });
    assert!(!a.bulk.running());
    // The list shows the new configuration of the updated ones only.
    let url_of = |a: &App, i: usize| {
        a.owned
            .numbers
            .iter()
            .find(|n| n.msisdn.as_deref() == Some(msisdn(i).as_str()))
            .and_then(|n| n.mo_http_url.clone())
    };
    assert_eq!(url_of(&a, 0).as_deref(), Some(url));
    assert_eq!(url_of(&a, 1), number(1).mo_http_url);
    assert_eq!(a.known[&msisdn(2)].mo_http_url.as_deref(), Some(url));
    assert_eq!(change.mo_http_url, Change::Set(url.into()));

    // Retry: the failed and the not started, in the same journal run.
    let (_, req) = only_request(&cmd(&mut a, Cmd::RetryFailed));
    let Request::Bulk { targets, batch, .. } = req else {
        panic!("not a bulk request");
    };
    let retried: Vec<String> = targets.into_iter().map(|t| t.msisdn).collect();
    assert_eq!(retried, vec![msisdn(1), msisdn(5)]);
    assert_eq!(batch, Some(41));
}

#[test]
fn stop_asks_the_worker_once_and_a_second_run_waits_for_the_first() {
    let mut a = loaded(4);
    bulk_confirm(&mut a, "https://new.example.com/x");
    cmd(&mut a, Cmd::Toggle);
    let (run_id, _) = only_request(&cmd(&mut a, Cmd::Submit));
    let (_, req) = only_request(&cmd(&mut a, Cmd::StopRun));
    assert!(matches!(req, Request::StopBulk(id) if id == run_id));
    assert!(a.bulk.run.as_ref().unwrap().stopping);
    assert!(cmd(&mut a, Cmd::StopRun).is_empty(), "asked once");
    // The panel hides; the run goes on; no second bulk edit meanwhile.
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::Owned);
    cmd(&mut a, Cmd::Edit);
    assert!(a.bulk_form().is_none());
    // No retry while it runs.
    cmd(&mut a, Cmd::ShowRun);
    assert!(cmd(&mut a, Cmd::RetryFailed).is_empty());
}

#[test]
fn blank_form_and_bad_values_are_refused_and_nothing_to_change_opens_no_dialog() {
    let mut a = loaded(4);
    cmd(&mut a, Cmd::MarkAll);
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::Submit);
    let err = a.bulk_form().unwrap().error.clone();
    assert!(err.unwrap().1.contains("nothing to change"));
    assert!(a.bulk_confirm().is_none());
    cmd(&mut a, Cmd::NextField);
    type_text(&mut a, "not a url");
    cmd(&mut a, Cmd::Submit);
    assert!(a.bulk_confirm().is_none());
    assert_eq!(a.bulk_form().unwrap().form.focus, 1);
    // `-` removes: numbers 0 and 3 have no SMS URL, so 4 of 6... here 4 numbers: 0..4.
    for _ in 0.."not a url".len() {
        a.update(Action::Edit(InputRequest::DeletePrevChar));
    }
    type_text(&mut a, "-");
    cmd(&mut a, Cmd::Submit);
    let c = a.bulk_confirm().cloned().expect("confirmation");
    assert_eq!(c.change.mo_http_url, Change::Clear);
    assert_eq!((c.summary.total, c.summary.changing), (4, 2));
    assert!(c.summary.fields[0].removes());
    assert_eq!(c.targets.len(), 2);
}

#[test]
fn read_only_refuses_bulk_edit_and_undo() {
    let mut a = loaded(3);
    a.read_only = true;
    cmd(&mut a, Cmd::MarkAll);
    cmd(&mut a, Cmd::Edit);
    assert!(a.bulk_form().is_none());
    assert!(cmd(&mut a, Cmd::Undo).is_empty());
    assert!(a.messages.current().unwrap().text.contains("read-only"));
}

fn plan_of(steps: Vec<(Kind, usize)>) -> Plan {
    Plan {
        target: 7,
        is_batch: true,
        left_out: 0,
        steps: steps
            .into_iter()
            .enumerate()
            .map(|(id, (kind, i))| Step {
                entry: Entry {
                    id: id as u64 + 1,
                    time: 0,
                    batch: Some(7),
                    kind,
                    app: None,
                    account: None,
                    country: "GB".into(),
                    msisdn: msisdn(i),
                    before: Some(NumberConfig::default()),
                    after: Some(NumberConfig::default()),
                    status: Status::Done,
                    error: None,
                    undoes: None,
                },
                action: match kind {
                    Kind::Update => UndoAction::Restore {
                        config: NumberConfig::from_number(&number(i), None),
                        expect: NumberConfig::default(),
                    },
                    Kind::Buy => UndoAction::Cancel,
                    Kind::Cancel => UndoAction::Buy { config: None },
                    Kind::App => unreachable!("numbers only"),
                },
            })
            .collect(),
    }
}

#[test]
fn an_undos_cancels_and_buys_back_show_in_the_list_as_each_lands() {
    let mut a = loaded(4);
    let (id, _) = only_request(&cmd(&mut a, Cmd::Undo));
    let plan = plan_of(vec![(Kind::Buy, 3), (Kind::Cancel, 9), (Kind::Update, 0)]);
    a.update(Action::Reply {
        id,
        reply: Reply::UndoPlanned(Ok(plan)),
    });
    cmd(&mut a, Cmd::Toggle);
    let (run, _) = only_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(a.bulk.run.as_ref().unwrap().progress.total, 3);
    let landed = |m: String, now: crate::bulk::Holds| Action::BulkProgress {
        id: run,
        progress: Progress {
            done: 1,
            total: 3,
            landed: Some(crate::bulk::Landed {
                target: BulkTarget::new("GB", m),
                now,
            }),
            ..Progress::default()
        },
    };
    assert!(a.change_in_flight(&msisdn(3)).is_some());
    // The undone buy: cancelled, gone from the list at once.
    a.update(landed(msisdn(3), crate::bulk::Holds::Cancelled));
    assert!(a.owned_number(&msisdn(3)).is_none());
    assert!(a.bulk.running(), "the run goes on");
    // The undone cancel: bought back, in the list at once with what was restored.
    let config = NumberConfig {
        mo_http_url: Some("https://back.example.com".into()),
        ..Default::default()
    };
    a.update(landed(
        msisdn(9),
        crate::bulk::Holds::Bought(Some(config.clone())),
    ));
    let back = a.owned_number(&msisdn(9)).expect("bought back");
    assert_eq!(
        back.mo_http_url.as_deref(),
        Some("https://back.example.com")
    );
    assert_eq!(a.change_in_flight(&msisdn(9)), None);
    // A number left alone (failed, skipped): as it was, and no longer saving.
    let was = a.owned_number(&msisdn(0)).cloned();
    a.update(landed(msisdn(0), crate::bulk::Holds::Same));
    assert_eq!(a.owned_number(&msisdn(0)).cloned(), was);
    assert_eq!(a.change_in_flight(&msisdn(0)), None);
}

#[test]
fn undo_asks_the_worker_then_confirms_then_runs_and_applies_the_results() {
    let mut a = loaded(4);
    let (id, req) = only_request(&cmd(&mut a, Cmd::Undo));
    assert!(matches!(req, Request::PlanUndo(None)));
    // Nothing to undo: a message, no dialog.
    a.update(Action::Reply {
        id,
        reply: Reply::UndoPlanned(Err("nothing to undo".into())),
    });
    assert!(a.undo_confirm().is_none());

    let (id, _) = only_request(&cmd(&mut a, Cmd::Undo));
    let plan = plan_of(vec![(Kind::Update, 0), (Kind::Buy, 3)]);
    a.update(Action::Reply {
        id,
        reply: Reply::UndoPlanned(Ok(plan.clone())),
    });
    let c = a.undo_confirm().cloned().expect("the confirmation");
    assert!(!c.confirm_focused, "Cancel is focused");
    let lines = undo::undo_lines(&c.plan);
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("CANCEL {}", msisdn(3))))
    );
    assert!(lines.iter().any(|l| l.contains("1 number")));
    assert!(
        cmd(&mut a, Cmd::Submit).is_empty(),
        "Cancel: nothing happens"
    );
    assert!(a.undo_confirm().is_none());

    let (id, _) = only_request(&cmd(&mut a, Cmd::Undo));
    a.update(Action::Reply {
        id,
        reply: Reply::UndoPlanned(Ok(plan)),
    });
    cmd(&mut a, Cmd::Toggle);
    let (run, req) = only_request(&cmd(&mut a, Cmd::Submit));
    assert!(matches!(req, Request::Undo { force: false, .. }));
    assert!(a.bulk.running());
    let restored = NumberConfig {
        mo_http_url: Some("https://restored.example.com".into()),
        ..Default::default()
    };
    a.update(Action::Reply {
        id: run,
        reply: Reply::Undone(Report {
            batch: Some(9),
            items: vec![
                ItemResult {
                    target: BulkTarget::new("GB", msisdn(0)),
                    outcome: Outcome::Updated {
                        before: NumberConfig::default(),
                        after: restored.clone(),
                        warnings: vec![],
                    },
                },
                ItemResult {
                    target: BulkTarget::new("GB", msisdn(3)),
                    outcome: Outcome::Cancelled,
                },
            ],
            stopped: false,
            elapsed: Duration::from_secs(1),
        }),
    });
    assert!(!a.bulk.running());
    let n0 = a
        .owned
        .numbers
        .iter()
        .find(|n| n.msisdn.as_deref() == Some(msisdn(0).as_str()))
        .unwrap();
    assert_eq!(n0.mo_http_url.as_deref(), restored.mo_http_url.as_deref());
    assert_eq!(n0.app_id, None, "every field restored, the empty ones too");
    assert!(
        !a.owned
            .numbers
            .iter()
            .any(|n| n.msisdn.as_deref() == Some(msisdn(3).as_str())),
        "the undone buy's number is gone"
    );
}

#[test]
fn a_stale_progress_or_result_of_another_run_is_ignored() {
    let mut a = loaded(2);
    bulk_confirm(&mut a, "https://new.example.com/y");
    cmd(&mut a, Cmd::Toggle);
    let (id, _) = only_request(&cmd(&mut a, Cmd::Submit));
    a.update(Action::BulkProgress {
        id: id + 100,
        progress: Progress {
            done: 9,
            total: 9,
            ..Default::default()
        },
    });
    assert_eq!(a.bulk.run.as_ref().unwrap().progress.done, 0);
    assert_eq!(a.bulk.run.as_ref().unwrap().progress.total, 2);
}

#[test]
fn retrying_an_undo_that_left_changed_numbers_alone_asks_to_overwrite_them() {
    let mut a = loaded(2);
    let (id, _) = only_request(&cmd(&mut a, Cmd::Undo));
    let plan = plan_of(vec![(Kind::Update, 0), (Kind::Update, 1)]);
    a.update(Action::Reply {
        id,
        reply: Reply::UndoPlanned(Ok(plan.clone())),
    });
    assert!(!a.undo_confirm().unwrap().force);
    cmd(&mut a, Cmd::Toggle);
    let (run, _) = only_request(&cmd(&mut a, Cmd::Submit));
    a.update(Action::Reply {
        id: run,
        reply: Reply::Undone(Report {
            batch: Some(9),
            items: vec![ItemResult {
                target: BulkTarget::new("GB", msisdn(1)),
                outcome: Outcome::Skipped("changed since #2".into()),
            }],
            stopped: false,
            elapsed: Duration::from_secs(1),
        }),
    });
    let (id, req) = only_request(&cmd(&mut a, Cmd::RetryFailed));
    assert!(matches!(req, Request::PlanUndo(Some(7))));
    a.update(Action::Reply {
        id,
        reply: Reply::UndoPlanned(Ok(plan)),
    });
    assert!(a.undo_confirm().unwrap().force, "said in the dialog");
    cmd(&mut a, Cmd::Toggle);
    let (run, req) = only_request(&cmd(&mut a, Cmd::Submit));
    assert!(matches!(req, Request::Undo { force: true, .. }));
    // No other undo while it runs.
    assert!(cmd(&mut a, Cmd::Undo).is_empty());
    a.update(Action::Reply {
        id: run,
        reply: Reply::Undone(Report::default()),
    });
    // A plain `u` later is not forced.
    let (id, _) = only_request(&cmd(&mut a, Cmd::Undo));
    a.update(Action::Reply {
        id,
        reply: Reply::UndoPlanned(Ok(plan_of(vec![(Kind::Update, 0)]))),
    });
    assert!(!a.undo_confirm().unwrap().force);
}
