//! The run panel's pause, resume and stop, and the bulk confirmation's webhook check.

use super::bulk::{bulk_confirm, loaded};
use super::{cmd, only_request, type_text};
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

/// The run `id` reports that `msisdn` now has the SMS webhook `url`.
fn landed(a: &App, id: RequestId, msisdn: &str, url: &str) -> Action {
    let n = a.owned_number(msisdn).expect("the number");
    Action::BulkProgress {
        id,
        progress: Progress {
            done: 1,
            total: 6,
            landed: Some(crate::bulk::Landed {
                target: crate::bulk::Target::new("GB", msisdn),
                now: crate::bulk::Holds::Config(crate::api::NumberConfig {
                    mo_http_url: Some(url.into()),
                    ..crate::api::NumberConfig::from_number(n, None)
                }),
            }),
            ..Progress::default()
        },
    }
}

fn shown(a: &App) -> Vec<String> {
    a.owned
        .shown
        .iter()
        .filter_map(|&i| a.owned.numbers[i as usize].msisdn.clone())
        .collect()
}

#[test]
fn each_change_of_a_run_shows_at_once_in_its_place_and_the_selection_stays() {
    let mut a = loaded(6);
    bulk_confirm(&mut a, "https://new.example.com/x");
    cmd(&mut a, Cmd::Toggle);
    let (run, _) = only_request(&cmd(&mut a, Cmd::Submit));
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::Down);
    let selected = a.owned.selected_msisdn().unwrap();
    let before = shown(&a);
    // Every number is saving until its change lands.
    assert!(before.iter().all(|m| a.change_in_flight(m).is_some()));
    // Sorted by msisdn: the row changes in place.
    let third = before[2].clone();
    a.update(landed(&a, run, &third, "https://zzz.example.com/a"));
    assert_eq!(
        a.owned_number(&third).unwrap().mo_http_url.as_deref(),
        Some("https://zzz.example.com/a")
    );
    assert_eq!(shown(&a), before);
    assert_eq!(a.change_in_flight(&third), None, "landed");
    assert!(a.change_in_flight(&before[3]).is_some(), "not yet");
    // Sorted by webhook: a change moves its row to its new place; the selection stays.
    a.owned.set_sort(Column::SmsUrl, false);
    let first = shown(&a)[0].clone();
    a.update(landed(&a, run, &first, "https://zzzz.example.com/b"));
    assert_eq!(shown(&a).last(), Some(&first), "{:?}", shown(&a));
    assert_eq!(
        a.owned.selected_msisdn().as_deref(),
        Some(selected.as_str())
    );
    // Filtered: a change the filter no longer shows leaves the rows shown.
    cmd(&mut a, Cmd::Filter);
    type_text(&mut a, "zzz");
    cmd(&mut a, Cmd::Submit);
    assert_eq!(shown(&a).len(), 2, "{:?}", shown(&a));
    a.update(landed(&a, run, &third, "https://new.example.com/x"));
    assert_eq!(shown(&a), vec![first.clone()]);
}
