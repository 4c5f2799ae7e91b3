//! State tests of the applications and the balance: loaded at start and on refresh, the name
//! each id is shown with, and a key the Applications API refuses (said once, ids kept).

use serde_json::json;

use super::{app, cmd, list_request, loaded, requests, three};
use crate::api::OwnedNumber;
use crate::api::apps::{Application, Balance};
use crate::api::{ApiError, Operation};
use crate::app::*;

pub(super) fn application(id: &str, name: &str, caps: &[&str]) -> Application {
    let mut capabilities = serde_json::Map::new();
    for c in caps {
        let hooks = match *c {
            "voice" => json!({
                "answer_url": {"address": format!("https://example.com/{id}/answer"), "http_method": "GET"},
                "event_url": {"address": format!("https://example.com/{id}/event"), "http_method": "POST"},
            }),
            "messages" => json!({
                "inbound_url": {"address": format!("https://example.com/{id}/inbound"), "http_method": "POST"},
                "status_url": {"address": format!("https://example.com/{id}/status"), "http_method": "POST"},
            }),
            _ => json!({}),
        };
        capabilities.insert(c.to_string(), json!({ "webhooks": hooks }));
    }
    Application::from_value(json!({ "id": id, "name": name, "capabilities": capabilities }))
        .expect("an id")
}

/// Applications for `three()`: app-a and app-b share a name; no app has app-c.
pub(super) fn apps() -> Vec<Application> {
    vec![
        application("app-a-1111", "Support line", &["voice", "messages"]),
        application("app-b-2222", "Support line", &["voice"]),
        application("app-d-4444", "Alerts", &["messages"]),
    ]
}

/// The ids of the applications and balance requests among `effects`.
pub(super) fn apps_requests(effects: &[Effect]) -> (Option<RequestId>, Option<RequestId>) {
    let rs = requests(effects);
    let find = |want: fn(&Request) -> bool| rs.iter().find(|(_, r)| want(r)).map(|(id, _)| *id);
    (
        find(|r| matches!(r, Request::Applications)),
        find(|r| matches!(r, Request::Balance)),
    )
}

pub(super) fn refused() -> ApiError {
    ApiError::Authentication {
        op: Operation::ListApplications,
        label: "Unauthorized; this key may not use the Applications API".into(),
    }
}

#[test]
fn the_start_and_every_refresh_load_the_applications_and_the_balance() {
    let mut a = app();
    let effects = a.start();
    let (apps_id, balance_id) = apps_requests(&effects);
    let (apps_id, balance_id) = (apps_id.expect("apps"), balance_id.expect("balance"));
    a.update(Action::Reply {
        id: apps_id,
        reply: Reply::Applications(Ok(apps())),
    });
    a.update(Action::Reply {
        id: balance_id,
        reply: Reply::Balance(Ok(Balance {
            value: 12.5,
            auto_reload: false,
        })),
    });
    assert_eq!(a.apps.list().len(), 3);
    assert_eq!(a.apps.balance.map(|b| b.value), Some(12.5));
    assert!(a.apps.loading.is_none() && a.apps.balance_loading.is_none());

    let effects = cmd(&mut a, Cmd::Refresh);
    let (apps_id, balance_id) = apps_requests(&effects);
    assert!(apps_id.is_some() && balance_id.is_some(), "{effects:?}");
    list_request(&effects);
}

#[test]
fn an_id_is_shown_by_name_with_a_short_suffix_when_names_collide_and_marked_when_unknown() {
    let mut a = loaded(three());
    assert_eq!(
        a.apps.display("app-a-1111"),
        "app-a-1111",
        "the bare id while the applications are not loaded"
    );
    a.apps.set(apps());
    assert_eq!(a.apps.display("app-d-4444"), "Alerts");
    let (one, two) = (a.apps.display("app-a-1111"), a.apps.display("app-b-2222"));
    assert_ne!(one, two, "two apps sharing a name are told apart");
    assert_eq!(one, "Support line (app-a-11)");
    assert_eq!(two, "Support line (app-b-22)");
    assert_eq!(a.apps.display("app-c"), "unknown app-c");
    assert!(a.apps.is_unknown("app-c") && !a.apps.is_unknown("app-a-1111"));
    assert_eq!(a.apps.display(""), "");
}

#[test]
fn ids_sharing_their_first_characters_get_a_longer_suffix() {
    let mut a = app();
    a.apps.set(vec![
        application("abcdefgh-1", "Same", &[]),
        application("abcdefgh-2", "Same", &[]),
        application("zzzz", "", &[]),
    ]);
    assert_eq!(a.apps.display("abcdefgh-1"), "Same (abcdefgh-1)");
    assert_eq!(a.apps.display("abcdefgh-2"), "Same (abcdefgh-2)");
    assert_eq!(a.apps.display("zzzz"), "zzzz", "no name: the id");
}

#[test]
fn a_key_refused_by_the_applications_api_keeps_ids_and_says_why_once() {
    let mut a = app();
    let effects = a.start();
    let (list, _) = list_request(&effects);
    let (apps_id, _) = apps_requests(&effects);
    a.update(Action::Reply {
        id: list,
        reply: Reply::Listed(Ok(three())),
    });
    a.update(Action::Reply {
        id: apps_id.unwrap(),
        reply: Reply::Applications(Err(refused())),
    });
    for _ in 0..3 {
        let effects = cmd(&mut a, Cmd::Refresh);
        let (list, _) = list_request(&effects);
        let (apps_id, _) = apps_requests(&effects);
        a.update(Action::Reply {
            id: apps_id.unwrap(),
            reply: Reply::Applications(Err(refused())),
        });
        a.update(Action::Reply {
            id: list,
            reply: Reply::Listed(Ok(three())),
        });
    }
    let said: Vec<_> = a
        .messages
        .log
        .iter()
        .filter(|e| e.text.contains("Applications API"))
        .collect();
    assert_eq!(said.len(), 1, "said once, not on every refresh: {said:?}");
    assert!(said[0].text.contains("app ids"), "{}", said[0].text);
    assert!(a.apps.unavailable.is_some());
    assert_eq!(a.owned.numbers.len(), 3, "the numbers still load");
    assert_eq!(a.apps.display("app-a"), "app-a", "ids, not unknown");
    assert!(!a.apps.is_unknown("app-a"));
    assert!(a.apps.for_doctor().is_none(), "links are not judged");

    // It works again: a later refusal is said again.
    let id = apps_requests(&cmd(&mut a, Cmd::Refresh)).0.unwrap();
    a.update(Action::Reply {
        id,
        reply: Reply::Applications(Ok(apps())),
    });
    assert!(a.apps.unavailable.is_none());
    assert_eq!(a.apps.display("app-d-4444"), "Alerts");
    let id = apps_requests(&cmd(&mut a, Cmd::Refresh)).0.unwrap();
    a.update(Action::Reply {
        id,
        reply: Reply::Applications(Err(refused())),
    });
    let n = a
        .messages
        .log
        .iter()
        .filter(|e| e.text.contains("Applications API"))
        .count();
    assert_eq!(n, 2);
}

#[test]
fn a_newer_load_of_the_applications_makes_the_older_reply_stale() {
    let mut a = app();
    let (old, _) = apps_requests(&a.start());
    let (new, _) = apps_requests(&cmd(&mut a, Cmd::Refresh));
    a.update(Action::Reply {
        id: old.unwrap(),
        reply: Reply::Applications(Ok(vec![application("x", "Old", &[])])),
    });
    assert!(!a.apps.loaded, "the older reply is dropped");
    a.update(Action::Reply {
        id: new.unwrap(),
        reply: Reply::Applications(Ok(apps())),
    });
    assert_eq!(a.apps.list().len(), 3);
}

#[test]
fn a_failed_read_of_the_applications_does_not_hide_the_lists_error() {
    let mut a = app();
    let effects = a.start();
    let (list, _) = list_request(&effects);
    let (apps_id, balance_id) = apps_requests(&effects);
    let down = || ApiError::Config("connection refused".into());
    a.update(Action::Reply {
        id: list,
        reply: Reply::Listed(Err(down())),
    });
    a.update(Action::Reply {
        id: apps_id.unwrap(),
        reply: Reply::Applications(Err(down())),
    });
    a.update(Action::Reply {
        id: balance_id.unwrap(),
        reply: Reply::Balance(Err(down())),
    });
    let current = a.messages.current().expect("a message");
    assert_eq!(
        current.level,
        Level::Error,
        "{current:?} {:?}",
        a.messages.log
    );
    assert!(!current.text.contains("unavailable"), "{}", current.text);
    assert!(
        a.messages
            .log
            .iter()
            .any(|e| e.text.starts_with("applications unavailable"))
    );
    assert!(
        a.messages
            .log
            .iter()
            .any(|e| e.text.starts_with("balance unavailable"))
    );
    assert!(a.apps.balance_unavailable.is_some());
}

/// Numbers linked to app-a-1111, app-b-2222 (sharing a name), app-d-4444 and app-c (no such
/// application), and one not linked.
pub(super) fn linked() -> Vec<OwnedNumber> {
    use super::number;
    vec![
        number("447700900001", "GB", Some("app-a-1111")),
        number("447700900002", "GB", Some("app-b-2222")),
        number("447700900003", "GB", Some("app-d-4444")),
        number("447700900004", "GB", Some("app-c")),
        number("447700900005", "GB", None),
    ]
}

/// Loaded with `linked()` and the applications answered with `apps()`.
pub(super) fn with_apps() -> App {
    let mut a = app();
    let effects = a.start();
    let (list, _) = list_request(&effects);
    let (apps_id, _) = apps_requests(&effects);
    a.update(Action::Reply {
        id: list,
        reply: Reply::Listed(Ok(linked())),
    });
    a.update(Action::Reply {
        id: apps_id.unwrap(),
        reply: Reply::Applications(Ok(apps())),
    });
    a
}

fn app_column(a: &App) -> Vec<String> {
    a.owned
        .shown
        .iter()
        .map(|&i| a.owned.cell_text(i as usize, Column::App).into_owned())
        .collect()
}

#[test]
fn the_application_column_shows_names_and_filters_and_sorts_by_them() {
    let mut a = app();
    let effects = a.start();
    let (list, _) = list_request(&effects);
    let (apps_id, _) = apps_requests(&effects);
    a.update(Action::Reply {
        id: list,
        reply: Reply::Listed(Ok(linked())),
    });
    assert_eq!(
        app_column(&a),
        ["app-a-1111", "app-b-2222", "app-d-4444", "app-c", ""],
        "ids until the applications arrive"
    );
    a.update(Action::Reply {
        id: apps_id.unwrap(),
        reply: Reply::Applications(Ok(apps())),
    });
    assert_eq!(
        app_column(&a),
        [
            "Support line (app-a-11)",
            "Support line (app-b-22)",
            "Alerts",
            "unknown app-c",
            ""
        ]
    );

    // The filter finds a number by its app's name, or still by the id.
    cmd(&mut a, Cmd::Filter);
    super::type_text(&mut a, "alerts");
    assert_eq!(app_column(&a), ["Alerts"]);
    super::clear_field(&mut a);
    super::type_text(&mut a, "app:support");
    assert_eq!(a.owned.shown.len(), 2);
    super::clear_field(&mut a);
    super::type_text(&mut a, "app-d-44");
    assert_eq!(app_column(&a), ["Alerts"], "by id too");
    super::clear_field(&mut a);
    cmd(&mut a, Cmd::Submit);

    // Sorted by the name shown, not the id.
    a.owned.set_sort(Column::App, false);
    assert_eq!(
        app_column(&a),
        [
            "",
            "Alerts",
            "Support line (app-a-11)",
            "Support line (app-b-22)",
            "unknown app-c"
        ]
    );
}
