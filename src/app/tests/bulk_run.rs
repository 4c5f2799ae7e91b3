//! The run panel's pause, resume and stop, and the bulk confirmation's webhook check.

use super::bulk::{bulk_confirm, loaded};
use super::{cmd, only_request};
use crate::app::*;
use crate::bulk::Progress;

#[test]
fn a_paused_run_says_why_and_resumes_on_request() {
    let mut a = loaded(4);
    bulk_confirm(&mut a, "https://new.example.com/x");
    cmd(&mut a, Cmd::Toggle);
    let (run_id, _) = only_request(&cmd(&mut a, Cmd::Submit));
    // Not paused: resume does nothing.
    assert!(cmd(&mut a, Cmd::ResumeRun).is_empty());
    a.update(Action::BulkProgress {
        id: run_id,
        progress: Progress {
            done: 3,
            failed: 3,
            total: 4,
            paused: Some("paused after 3 failures in a row: HTTP 503".into()),
            ..Progress::default()
        },
    });
    let (_, req) = only_request(&cmd(&mut a, Cmd::ResumeRun));
    assert!(matches!(req, Request::ResumeBulk(id) if id == run_id));
    assert!(a.bulk.run.as_ref().unwrap().progress.paused.is_none());
    assert!(cmd(&mut a, Cmd::ResumeRun).is_empty(), "asked once");
}

#[test]
fn a_stop_says_how_many_changes_are_still_finishing() {
    let mut a = loaded(4);
    bulk_confirm(&mut a, "https://new.example.com/x");
    cmd(&mut a, Cmd::Toggle);
    let (run_id, _) = only_request(&cmd(&mut a, Cmd::Submit));
    a.update(Action::BulkProgress {
        id: run_id,
        progress: Progress {
            done: 1,
            total: 4,
            finishing: 2,
            ..Progress::default()
        },
    });
    cmd(&mut a, Cmd::StopRun);
    let toast = a.messages.toasts.last().unwrap();
    assert!(
        toast.text.contains("2 change(s) already sent finish"),
        "{toast:?}"
    );
}

#[test]
fn the_bulk_confirmation_shows_the_sms_webhook_check_before_apply() {
    let mut a = loaded(6);
    bulk_confirm(&mut a, "https://new.example.com/sms");
    let check = a.bulk_confirm().unwrap().webhook.clone().unwrap();
    assert_eq!(check.status, crate::app::dialog::WebhookStatus::Checking);
    a.update(Action::Reply {
        id: check.id,
        reply: Reply::WebhookChecked(Ok(404)),
    });
    let c = a.bulk_confirm().unwrap();
    assert_eq!(
        c.webhook.as_ref().unwrap().status,
        crate::app::dialog::WebhookStatus::Answered(404)
    );
    // Back focused still: Apply is the user's choice, with the answer in view.
    assert!(!c.confirm_focused);
}
