//! State tests of the export dialog and the SMS webhook pre-check: actions in, state and
//! effects out. No terminal, no network, no files.

use std::time::{Duration, UNIX_EPOCH};

use tui_input::InputRequest;

use super::{cmd, loaded, many, requests, type_text};
use crate::app::dialog::{Dialog, WebhookStatus};
use crate::app::*;

fn export_request(
    effects: &[Effect],
) -> (
    RequestId,
    std::path::PathBuf,
    ExportFormat,
    Vec<String>,
    bool,
) {
    let reqs = requests(effects);
    let [
        (
            id,
            Request::Export {
                path,
                format,
                numbers,
                overwrite,
            },
        ),
    ] = &reqs[..]
    else {
        panic!("not one export: {effects:?}");
    };
    let msisdns = numbers.iter().filter_map(|n| n.msisdn.clone()).collect();
    (*id, path.clone(), *format, msisdns, *overwrite)
}

#[test]
fn x_exports_the_rows_shown_in_their_order() {
    let mut a = loaded(many(0..30));
    a.wall = Some((a.now, UNIX_EPOCH + Duration::from_secs(1_795_749_912)));
    // Filter to the webhooks com/1, com/10 ... com/19, reversed.
    cmd(&mut a, Cmd::Filter);
    type_text(&mut a, "com/1");
    cmd(&mut a, Cmd::Submit);
    cmd(&mut a, Cmd::SortReverse);
    let shown: Vec<String> = a
        .owned
        .shown
        .iter()
        .map(|&i| a.owned.numbers[i as usize].msisdn.clone().unwrap())
        .collect();
    assert_eq!(shown.len(), 11);
    assert_eq!(shown[0], "447700900019");
    cmd(&mut a, Cmd::Export);
    assert_eq!(a.context(), Context::Export);
    let e = a.export_dialog().expect("the export dialog");
    assert_eq!(e.path.value(), "./switchboard-owned-20261127-032512.csv");
    assert_eq!((e.format, e.count), (ExportFormat::Csv, 11));
    cmd(&mut a, Cmd::Toggle);
    let e = a.export_dialog().expect("the export dialog");
    assert_eq!(e.path.value(), "./switchboard-owned-20261127-032512.json");
    assert_eq!(e.format, ExportFormat::Json);
    // The name is edited: typed keys go to it, not to commands (x, q are text here).
    a.update(Action::Edit(InputRequest::DeleteLine));
    type_text(&mut a, "out/xq.json");
    assert_eq!(a.context(), Context::Export);
    let (id, path, format, rows, overwrite) = export_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(path.to_str(), Some("out/xq.json"));
    assert_eq!(format, ExportFormat::Json);
    assert_eq!(rows, shown, "the shown rows, in the order shown");
    assert!(!overwrite);
    assert!(a.dialog().is_none());
    a.update(Action::Reply {
        id,
        reply: Reply::Exported(Ok(11)),
    });
    assert!(
        a.messages
            .current()
            .is_some_and(|t| t.text == "exported 11 numbers to out/xq.json"),
        "{:?}",
        a.messages.current()
    );
}

#[test]
fn an_existing_file_is_replaced_only_when_the_user_says_so() {
    let mut a = loaded(many(0..4));
    cmd(&mut a, Cmd::Export);
    let (id, path, _, rows, _) = export_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(
        path.to_str(),
        Some("./switchboard-owned-list.csv"),
        "no clock given"
    );
    a.update(Action::Reply {
        id,
        reply: Reply::Exported(Err(ExportFailure::Exists)),
    });
    assert!(matches!(
        a.dialog(),
        Some(Dialog::Overwrite {
            confirm_focused: false,
            ..
        })
    ));
    // Enter on the focused Keep: nothing written.
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.dialog().is_none());
    // Again, and this time Replace.
    cmd(&mut a, Cmd::Export);
    let (id, ..) = export_request(&cmd(&mut a, Cmd::Submit));
    a.update(Action::Reply {
        id,
        reply: Reply::Exported(Err(ExportFailure::Exists)),
    });
    cmd(&mut a, Cmd::Toggle);
    let (id, path2, _, rows2, overwrite) = export_request(&cmd(&mut a, Cmd::Submit));
    assert!(overwrite);
    assert_eq!((path2, rows2), (path, rows));
    a.update(Action::Reply {
        id,
        reply: Reply::Exported(Err(ExportFailure::Io("disk full".into()))),
    });
    let t = a.messages.current().unwrap();
    assert_eq!(t.level, Level::Error);
    assert!(t.text.contains("disk full"), "{}", t.text);
}

#[test]
fn export_refuses_an_empty_list_and_an_empty_name() {
    let mut a = loaded(Vec::new());
    cmd(&mut a, Cmd::Export);
    assert!(a.dialog().is_none());
    let mut a = loaded(many(0..2));
    cmd(&mut a, Cmd::Export);
    a.update(Action::Edit(InputRequest::DeleteLine));
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.export_dialog().is_some(), "still open");
}

/// Opens the save dialog for a new SMS webhook URL; returns the check's id.
fn save_dialog_with_url(a: &mut App, url: &str) -> RequestId {
    cmd(a, Cmd::Edit);
    cmd(a, Cmd::NextField);
    a.update(Action::Edit(InputRequest::DeleteLine));
    type_text(a, url);
    let reqs = requests(&cmd(a, Cmd::Submit));
    let [(id, Request::CheckWebhook(checked))] = &reqs[..] else {
        panic!("no check: {reqs:?}");
    };
    assert_eq!(checked, url);
    *id
}

fn check_status(a: &App) -> Option<WebhookStatus> {
    match a.dialog() {
        Some(Dialog::ConfirmUpdate { webhook, .. }) => webhook.as_ref().map(|c| c.status.clone()),
        _ => None,
    }
}

#[test]
fn a_new_sms_webhook_is_checked_before_it_is_saved() {
    let mut a = loaded(many(0..3));
    let id = save_dialog_with_url(&mut a, "https://hooks.example.com/in");
    assert_eq!(check_status(&a), Some(WebhookStatus::Checking));
    // An answer for another id changes nothing.
    a.update(Action::Reply {
        id: id + 100,
        reply: Reply::WebhookChecked(Ok(200)),
    });
    assert_eq!(check_status(&a), Some(WebhookStatus::Checking));
    a.update(Action::Reply {
        id,
        reply: Reply::WebhookChecked(Ok(404)),
    });
    assert_eq!(check_status(&a), Some(WebhookStatus::Answered(404)));
    // The user may still save.
    cmd(&mut a, Cmd::Toggle);
    let reqs = requests(&cmd(&mut a, Cmd::Submit));
    assert!(
        matches!(&reqs[..], [(_, Request::Update { .. })]),
        "{reqs:?}"
    );
}

#[test]
fn removing_or_keeping_the_webhook_sends_no_check() {
    let mut a = loaded(many(0..3));
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::NextField);
    a.update(Action::Edit(InputRequest::DeleteLine));
    assert!(
        requests(&cmd(&mut a, Cmd::Submit)).is_empty(),
        "cleared: nothing to GET"
    );
    assert!(matches!(
        a.dialog(),
        Some(Dialog::ConfirmUpdate { webhook: None, .. })
    ));
}

#[test]
fn a_failed_check_after_the_dialog_closed_is_still_told() {
    let mut a = loaded(many(0..3));
    let id = save_dialog_with_url(&mut a, "https://hooks.example.com/in");
    cmd(&mut a, Cmd::Back);
    a.update(Action::Reply {
        id,
        reply: Reply::WebhookChecked(Err("could not connect: refused".into())),
    });
    let t = a.messages.current().unwrap();
    assert_eq!(t.level, Level::Warn);
    assert!(t.text.contains("could not connect"), "{}", t.text);
}

#[test]
fn a_local_webhook_is_flagged_against_the_live_api() {
    let warnings = |live: bool, url: &str| {
        let mut a = loaded(many(0..3));
        a.target.live = live;
        save_dialog_with_url(&mut a, url);
        match a.dialog() {
            Some(Dialog::ConfirmUpdate { warnings, .. }) => warnings.clone(),
            other => panic!("{other:?}"),
        }
    };
    let local = |w: &Vec<String>| w.iter().any(|w| w.contains("Vonage cannot reach it"));
    assert!(local(&warnings(true, "http://127.0.0.1:8080/in")));
    assert!(local(&warnings(true, "http://localhost/in")));
    assert!(!local(&warnings(true, "https://hooks.example.com/in")));
    assert!(
        !local(&warnings(false, "http://127.0.0.1:8080/in")),
        "the sandbox reaches it"
    );
}
