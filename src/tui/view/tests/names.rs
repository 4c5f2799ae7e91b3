//! Issue 13: the APPLICATION column by name, the balance in the header and the buy dialog.

use serde_json::json;

use super::search::available;
use super::*;
use crate::api::apps::{Application, Balance};
use crate::app::Pane;

pub fn application(id: &str, name: &str, caps: &[&str]) -> Application {
    let mut capabilities = serde_json::Map::new();
    for c in caps {
        let hooks = match *c {
            "voice" => json!({
                "answer_url": {"address": "https://ivr.example.com/answer", "http_method": "GET"},
                "event_url": {"address": "https://ivr.example.com/event", "http_method": "POST"},
                "fallback_answer_url": {"address": "http://10.0.0.5/fallback", "http_method": "GET"},
            }),
            "messages" => json!({
                "inbound_url": {"address": "https://msg.example.com/inbound", "http_method": "POST"},
                "status_url": {"address": "https://msg.example.com/status", "http_method": "POST"},
            }),
            _ => json!({}),
        };
        capabilities.insert(c.to_string(), json!({ "webhooks": hooks }));
    }
    Application::from_value(json!({ "id": id, "name": name, "capabilities": capabilities }))
        .expect("an id")
}

/// Applications for the even numbers of `numbers()`: 0 and 4 share a name, 2 and 6 have one
/// of their own, the others (8, 10...) link to ids no application has.
pub fn apps() -> Vec<Application> {
    let id = |i: usize| format!("aaaa{i:04}-bbbb-4ccc-8ddd-eeeeffff0000");
    vec![
        application(&id(0), "Support line", &["voice", "messages"]),
        application(&id(4), "Support line", &["voice"]),
        application(&id(2), "Voice IVR", &["voice"]),
        application(&id(6), "SMS inbox", &["messages"]),
    ]
}

/// [`loaded`] with the applications and a balance known.
pub fn with_apps() -> App {
    let mut app = loaded();
    app.apps.set(apps());
    app.owned.set_app_names(app.apps.names_by_id());
    app.apps.balance = Some(Balance {
        value: 10.17,
        auto_reload: false,
    });
    app
}

#[test]
fn owned_list_with_application_names_and_the_balance() {
    let app = with_apps();
    snap("owned_app_names", &app);
}

fn buy(app: &mut App) {
    app.screen.show(Pane::Search);
    app.search.results = Some(crate::api::Page {
        count: 1,
        numbers: vec![available(0)],
    });
    app.screen
        .remove_where(|l| matches!(l, crate::app::Layer::SearchForm));
    cmd(app, Cmd::Buy);
}

#[test]
fn buy_dialog_with_the_balance_before_and_after() {
    let mut app = with_apps();
    buy(&mut app);
    snap("dialog_buy_balance", &app);
}

#[test]
fn buy_dialog_the_balance_does_not_cover() {
    let mut app = with_apps();
    app.apps.balance = Some(Balance {
        value: 0.5,
        auto_reload: false,
    });
    buy(&mut app);
    snap("dialog_buy_not_covered", &app);
}

/// The detail view of number `i` of `numbers()`.
fn open(app: &mut App, i: usize) {
    let m = numbers()[i].msisdn.clone().unwrap();
    while app.owned.selected_msisdn().as_deref() != Some(m.as_str()) {
        cmd(app, Cmd::Down);
    }
    cmd(app, Cmd::Open);
}

#[test]
fn detail_with_the_linked_application_and_the_routes() {
    // Number 4: SMS and voice, linked to the voice-only "Support line", its own SMS webhook.
    let mut app = with_apps();
    open(&mut app, 4);
    snap("detail_app_routes", &app);
}

#[test]
fn detail_of_a_number_forwarded_over_its_application() {
    // Number 6: forwarded to tel, linked to "SMS inbox" (no voice).
    let mut app = with_apps();
    open(&mut app, 6);
    insta::assert_snapshot!(render(&app, 120, 40));
}

#[test]
fn edit_form_names_the_linked_application_and_the_picker_key() {
    let mut app = with_apps();
    open(&mut app, 4);
    cmd(&mut app, Cmd::Edit);
    snap("edit_app_named", &app);
}

#[test]
fn app_picker_over_the_edit_form() {
    let mut app = with_apps();
    open(&mut app, 4);
    cmd(&mut app, Cmd::Edit);
    cmd(&mut app, Cmd::PickApp);
    snap("app_picker", &app);
    type_text(&mut app, "sup");
    cmd(&mut app, Cmd::Down);
    snap("app_picker_query", &app);
}

#[test]
fn doctor_view() {
    let mut app = with_apps();
    cmd(&mut app, Cmd::Doctor);
    cmd(&mut app, Cmd::Down);
    snap("doctor", &app);
}
