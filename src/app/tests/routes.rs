//! State tests of the routes the detail view shows: where a number's calls and messages go,
//! from the number and its linked application.

use super::app;
use super::apps::{apps_requests, refused, with_apps};
use crate::api::OwnedNumber;
use crate::app::*;

#[test]
fn the_routes_say_where_calls_and_messages_go() {
    let a = with_apps();
    let route = |n: &OwnedNumber| crate::app::apps::routes(n, &a.apps);
    let mut n = super::number("447700900001", "GB", Some("app-a-1111"));
    let r = route(&n);
    assert_eq!(
        r.voice.as_deref(),
        Some(
            "app \"Support line (app-a-11)\" answer_url GET https://example.com/app-a-1111/answer"
        )
    );
    assert_eq!(
        r.messages.as_deref(),
        Some(
            "the number's SMS webhook https://example.com/447700900001 (or app \"Support line (app-a-11)\" inbound_url POST https://example.com/app-a-1111/inbound, when the account's SMS setting is the Messages API)"
        ),
        "the number's own SMS webhook takes inbound SMS, unless the account sends SMS to the Messages API"
    );
    n.mo_http_url = None;
    assert_eq!(
        route(&n).messages.as_deref(),
        Some(
            "app \"Support line (app-a-11)\" inbound_url POST https://example.com/app-a-1111/inbound"
        )
    );
    n.voice_callback_type = Some("tel".into());
    n.voice_callback_value = Some("447700900999".into());
    assert_eq!(
        route(&n).voice.as_deref(),
        Some(
            "forwarded to tel:447700900999 (overrides app \"Support line (app-a-11)\"'s answer_url)"
        )
    );

    // Linked to an app without the capability, to no app, to an app none has.
    let mut voice_only = super::number("447700900002", "GB", Some("app-b-2222"));
    voice_only.mo_http_url = None;
    assert_eq!(
        route(&voice_only).messages.as_deref(),
        Some("nowhere: app \"Support line (app-b-22)\" has no messages capability")
    );
    let mut none = super::number("447700900005", "GB", None);
    none.mo_http_url = None;
    let r = route(&none);
    assert_eq!(
        r.voice.as_deref(),
        Some("nowhere: no application and no forwarding")
    );
    assert_eq!(
        r.messages.as_deref(),
        Some("nowhere: no application and no SMS webhook")
    );
    let gone = super::number("447700900004", "GB", Some("app-c"));
    assert_eq!(
        route(&gone).voice.as_deref(),
        Some("nowhere: the linked application app-c does not exist")
    );
    // A number without SMS has no messages route.
    let mut voice = gone.clone();
    voice.features = vec![crate::api::Feature::Voice].into();
    assert_eq!(route(&voice).messages, None);
}

#[test]
fn while_the_applications_cannot_be_read_the_route_says_why() {
    let mut a = app();
    let (apps_id, _) = apps_requests(&a.start());
    a.update(Action::Reply {
        id: apps_id.unwrap(),
        reply: Reply::Applications(Err(refused())),
    });
    let n = super::number("447700900001", "GB", Some("app-a-1111"));
    let voice = crate::app::apps::routes(&n, &a.apps).voice.unwrap();
    assert!(
        voice.starts_with("app app-a-1111 (its webhooks cannot be read: ")
            && voice.contains("Applications API"),
        "{voice}"
    );
}
