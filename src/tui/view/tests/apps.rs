//! The Applications pane: the list with its linked counts and the selected one's webhooks,
//! filtering, an application's numbers, the form of its webhooks, its save review, and the
//! pane when the applications cannot be read; at 80x24, 120x40 and 60x15.

use serde_json::json;

use super::*;
use crate::api::apps::Application;

fn hook(url: &str, method: &str) -> serde_json::Value {
    json!({ "address": url, "http_method": method })
}

/// Applications for the thirty numbers (even ones link to `aaaaNNNN-…`); two share a name, one
/// has an escape sequence in it.
fn applications() -> Vec<Application> {
    let id = |n: u32| format!("aaaa{n:04}-bbbb-4ccc-8ddd-eeeeffff0000");
    let voice = |n: u32| {
        json!({ "webhooks": {
            "answer_url": hook(&format!("https://ivr.example.com/{n}/answer"), "GET"),
            "event_url": hook(&format!("https://ivr.example.com/{n}/event"), "POST"),
        }})
    };
    let messages = |n: u32| {
        json!({ "webhooks": {
            "inbound_url": hook(&format!("https://sms.example.com/{n}/inbound"), "POST"),
            "status_url": hook(&format!("https://sms.example.com/{n}/status"), "POST"),
        }})
    };
    [
        json!({ "id": id(0), "name": "Voice IVR", "capabilities": { "voice": voice(0) } }),
        json!({ "id": id(2), "name": "Support line", "capabilities": { "voice": voice(2), "messages": messages(2), "rtc": {} } }),
        json!({ "id": id(4), "name": "Support line", "capabilities": { "voice": voice(4) } }),
        json!({ "id": id(6), "name": "SMS inbox\u{1b}[2J", "capabilities": { "messages": messages(6) } }),
        json!({ "id": "ffff9999-0000-4000-8000-000000000000", "name": "Alerts", "capabilities": { "messages": messages(9) } }),
    ]
    .into_iter()
    .filter_map(Application::from_value)
    .collect()
}

fn on_apps() -> App {
    let mut app = loaded();
    app.apps.set(applications());
    cmd(&mut app, Cmd::ShowApps);
    app
}

/// Snapshots at 80x24, 120x40 and 60x15.
fn snap3(name: &str, app: &App) {
    snap(name, app);
    insta::assert_snapshot!(format!("{name}_60x15"), render(app, 60, 15));
}

#[test]
fn apps_pane() {
    let mut app = on_apps();
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Down);
    snap3("apps_pane", &app);
}

#[test]
fn apps_pane_filtering_sorted_by_numbers() {
    let mut app = on_apps();
    cmd(&mut app, Cmd::SortNext);
    cmd(&mut app, Cmd::Filter);
    type_text(&mut app, "support");
    snap("apps_filtering", &app);
}

#[test]
fn an_apps_numbers() {
    let mut app = on_apps();
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Open);
    cmd(&mut app, Cmd::Mark);
    snap3("app_numbers", &app);
}

#[test]
fn an_apps_numbers_read_only() {
    let mut app = on_apps();
    app.read_only = true;
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Open);
    insta::assert_snapshot!("app_numbers_read_only_80x24", render(&app, 80, 24));
}

#[test]
fn an_apps_webhooks_form_and_its_review() {
    let mut app = on_apps();
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Edit);
    app.update(Action::Edit(tui_input::InputRequest::DeleteLine));
    type_text(&mut app, "POST https://new.example.org/answer");
    snap3("app_edit", &app);
    cmd(&mut app, Cmd::Submit);
    snap3("app_edit_review", &app);
}

#[test]
fn apps_unavailable() {
    let mut app = loaded();
    app.apps.unavailable =
        Some("authentication failed: this key may not use the Applications API".into());
    cmd(&mut app, Cmd::ShowApps);
    insta::assert_snapshot!("apps_unavailable_80x24", render(&app, 80, 24));
}
