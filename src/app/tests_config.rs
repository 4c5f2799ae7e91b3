//! State tests of the cached start, copy, export, the SMS webhook pre-check and read-only
//! mode: actions in, state and effects out. No terminal, no network, no files.

use std::time::{Duration, Instant, UNIX_EPOCH};

use tui_input::InputRequest;

use super::dialog::{Dialog, WebhookStatus};
use super::*;
use crate::api::{AvailableNumber, Feature, NumberType};

fn app() -> App {
    App::new(
        Target {
            live: false,
            base_url: "http://127.0.0.1:1".into(),
            api_key: "k".into(),
        },
        Instant::now(),
    )
}

fn number(i: usize) -> OwnedNumber {
    OwnedNumber {
        msisdn: Some(format!("4477009{i:05}")),
        country: Some("GB".into()),
        number_type: Some(NumberType::MobileLvn),
        features: vec![Feature::Sms],
        mo_http_url: Some(format!("https://example.com/{i}")),
        ..Default::default()
    }
}

fn many(range: std::ops::Range<usize>) -> Vec<OwnedNumber> {
    range.map(number).collect()
}

fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
    a.update(Action::Cmd(c))
}

fn requests(effects: &[Effect]) -> Vec<(RequestId, Request)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Api { id, request } => Some((*id, request.clone())),
            Effect::Copy(_) => None,
        })
        .collect()
}

/// Started, with the load answered by `numbers`.
fn loaded(numbers: Vec<OwnedNumber>) -> App {
    let mut a = app();
    let (id, _) = requests(&a.start())[0].clone();
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(numbers)),
    });
    a
}

fn type_text(a: &mut App, text: &str) {
    for c in text.chars() {
        a.update(Action::Edit(InputRequest::InsertChar(c)));
    }
}

#[test]
fn a_cached_list_is_shown_at_once_with_its_age_then_replaced() {
    let mut a = app();
    a.update(Action::Viewport { rows: 10 });
    a.update(Action::Cached {
        numbers: many(0..100),
        age: Duration::from_secs(180),
    });
    let (load, _) = requests(&a.start())[0].clone();
    assert_eq!(a.owned.shown.len(), 100, "shown before any answer");
    let cached = a.owned.cached.expect("marked as cached");
    assert_eq!(
        cached.age_at(a.now + Duration::from_secs(60)).as_secs(),
        240
    );
    // The user scrolls to row 50, shown on screen row 6 of 10.
    for _ in 0..50 {
        cmd(&mut a, Cmd::Down);
    }
    a.owned.offset = 44;
    let chosen = a.owned.selected_msisdn().unwrap();
    // A page of the refresh arrives: the cached list stays as it is.
    a.update(Action::Progress {
        id: load,
        progress: crate::api::ListProgress {
            pages_done: 1,
            pages_total: 2,
            numbers_loaded: 3,
            total: 103,
        },
        numbers: many(1000..1003),
    });
    assert_eq!(a.owned.numbers.len(), 100);
    // The fresh list has three more numbers sorted before the selection.
    let mut fresh = many(0..100);
    fresh.extend([number(7), number(8), number(9)].map(|mut n| {
        n.msisdn = Some(format!("{}0", n.msisdn.unwrap()));
        n
    }));
    a.update(Action::Reply {
        id: load,
        reply: Reply::Listed(Ok(fresh)),
    });
    assert_eq!(a.owned.cached, None, "the fresh list is not cached");
    assert_eq!(a.owned.numbers.len(), 103);
    assert_eq!(a.owned.selected_msisdn().as_deref(), Some(chosen.as_str()));
    assert_eq!(a.owned.selected, 53, "three rows were added above it");
    assert_eq!(
        a.owned.selected - a.owned.offset,
        6,
        "the selected row stays on the same screen row"
    );
}

#[test]
fn a_cached_list_never_replaces_a_fresher_one() {
    let mut a = loaded(many(0..5));
    a.update(Action::Cached {
        numbers: many(0..50),
        age: Duration::from_secs(5),
    });
    assert_eq!(a.owned.numbers.len(), 5);
    assert_eq!(a.owned.cached, None);
}

#[test]
fn a_failed_refresh_keeps_the_cached_list_and_its_mark() {
    let mut a = app();
    a.update(Action::Cached {
        numbers: many(0..5),
        age: Duration::from_secs(5),
    });
    let (load, _) = requests(&a.start())[0].clone();
    a.update(Action::Reply {
        id: load,
        reply: Reply::Listed(Err(ApiError::Timeout {
            op: crate::api::Operation::List,
            timeout: Duration::from_secs(5),
        })),
    });
    assert_eq!(a.owned.numbers.len(), 5);
    assert!(a.owned.cached.is_some(), "still marked as cached");
    assert_eq!(a.messages.current().map(|t| t.level), Some(Level::Error));
}

#[test]
fn y_copies_the_msisdn_everywhere_a_number_is_selected() {
    let mut a = loaded(many(0..3));
    cmd(&mut a, Cmd::Down);
    let effects = cmd(&mut a, Cmd::Copy);
    assert!(
        matches!(&effects[..], [Effect::Copy(m)] if m == "447700900001"),
        "{effects:?}"
    );
    assert!(
        a.messages
            .current()
            .is_some_and(|t| t.text.contains("copied 447700900001"))
    );
    cmd(&mut a, Cmd::Open);
    let effects = cmd(&mut a, Cmd::Copy);
    assert!(matches!(&effects[..], [Effect::Copy(m)] if m == "447700900001"));
    // Search results.
    let mut a = loaded(Vec::new());
    assert!(cmd(&mut a, Cmd::Copy).is_empty(), "nothing selected");
    a.pane = Pane::Search;
    a.search.editing = false;
    a.search.results = Some(crate::api::Page {
        count: 1,
        numbers: vec![AvailableNumber {
            msisdn: Some("14155550123".into()),
            country: Some("US".into()),
            ..Default::default()
        }],
    });
    let effects = cmd(&mut a, Cmd::Copy);
    assert!(matches!(&effects[..], [Effect::Copy(m)] if m == "14155550123"));
}

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
    let Some(Dialog::Export {
        path,
        format,
        count,
    }) = &a.dialog
    else {
        panic!("{:?}", a.dialog)
    };
    assert_eq!(path.value(), "./switchboard-owned-20261127-032512.csv");
    assert_eq!((*format, *count), (ExportFormat::Csv, 11));
    cmd(&mut a, Cmd::Toggle);
    let Some(Dialog::Export { path, format, .. }) = &a.dialog else {
        panic!()
    };
    assert_eq!(path.value(), "./switchboard-owned-20261127-032512.json");
    assert_eq!(*format, ExportFormat::Json);
    // The name is edited: typed keys go to it, not to commands (x, q are text here).
    a.update(Action::Edit(InputRequest::DeleteLine));
    type_text(&mut a, "out/xq.json");
    assert_eq!(a.context(), Context::Export);
    let (id, path, format, rows, overwrite) = export_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(path.to_str(), Some("out/xq.json"));
    assert_eq!(format, ExportFormat::Json);
    assert_eq!(rows, shown, "the shown rows, in the order shown");
    assert!(!overwrite);
    assert!(a.dialog.is_none());
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
        a.dialog,
        Some(Dialog::Overwrite {
            confirm_focused: false,
            ..
        })
    ));
    // Enter on the focused Keep: nothing written.
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.dialog.is_none());
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
    assert!(a.dialog.is_none());
    let mut a = loaded(many(0..2));
    cmd(&mut a, Cmd::Export);
    a.update(Action::Edit(InputRequest::DeleteLine));
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(
        matches!(a.dialog, Some(Dialog::Export { .. })),
        "still open"
    );
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
    match &a.dialog {
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
        a.dialog,
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
fn read_only_refuses_every_change_but_browsing_copy_and_export_work() {
    let mut a = loaded(many(0..3));
    a.read_only = true;
    for c in [Cmd::Edit, Cmd::CancelNumber] {
        assert!(cmd(&mut a, c).is_empty());
        assert!(a.edit.is_none() && a.dialog.is_none(), "{c:?}");
        let t = a.messages.current().unwrap();
        assert!(t.text.contains("read-only"), "{}", t.text);
    }
    cmd(&mut a, Cmd::Open);
    for c in [Cmd::Edit, Cmd::CancelNumber] {
        assert!(cmd(&mut a, c).is_empty());
        assert!(a.edit.is_none() && a.dialog.is_none(), "{c:?}");
    }
    cmd(&mut a, Cmd::Back);
    a.pane = Pane::Search;
    a.search.editing = false;
    a.search.results = Some(crate::api::Page {
        count: 1,
        numbers: vec![AvailableNumber {
            msisdn: Some("14155550123".into()),
            country: Some("US".into()),
            ..Default::default()
        }],
    });
    assert!(cmd(&mut a, Cmd::Buy).is_empty());
    assert!(a.dialog.is_none());
    assert!(a.pending.values().all(|r| !r.is_change()));
    a.pane = Pane::Owned;
    assert_eq!(cmd(&mut a, Cmd::Copy).len(), 1);
    cmd(&mut a, Cmd::Export);
    assert!(matches!(a.dialog, Some(Dialog::Export { .. })));
}

#[test]
fn a_local_webhook_is_flagged_against_the_live_api() {
    let warnings = |live: bool, url: &str| {
        let mut a = loaded(many(0..3));
        a.target.live = live;
        save_dialog_with_url(&mut a, url);
        match &a.dialog {
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

#[test]
fn the_search_page_size_comes_from_the_config() {
    let mut a = loaded(Vec::new());
    a.search.page_size = 50;
    a.pane = Pane::Search;
    type_text(&mut a, "GB");
    let reqs = requests(&cmd(&mut a, Cmd::Submit));
    let [(_, Request::Search(q))] = &reqs[..] else {
        panic!("{reqs:?}");
    };
    assert_eq!(q.size, 50);
}
