use super::*;

#[test]
fn an_app_entry_round_trips_plans_a_restore_of_its_webhooks_and_knows_no_number() {
    use crate::api::apps::{AppWebhooks, HookSetting};
    let path = temp("app");
    let j = Journal::open(&path).unwrap();
    let number = update(&j, None, "447700900001", Status::Done);
    let hook = |a: &str| {
        Some(HookSetting {
            address: a.into(),
            http_method: Some("POST".into()),
        })
    };
    let before = AppWebhooks {
        answer_url: hook("https://old.example.com/a"),
        ..Default::default()
    };
    let after = AppWebhooks {
        answer_url: hook("https://new.example.com/a"),
        inbound_url: hook("https://new.example.com/in"),
        ..Default::default()
    };
    let app = Entry {
        id: j.next_id(),
        time: now(),
        batch: None,
        kind: Kind::App,
        app: Some(AppChange {
            id: "app-7".into(),
            name: "IVR".into(),
            before: before.clone(),
            after: after.clone(),
        }),
        account: None,
        country: String::new(),
        msisdn: String::new(),
        before: None,
        after: None,
        status: Status::Done,
        error: None,
        undoes: None,
    };
    j.append(&app).unwrap();
    let line = std::fs::read_to_string(&*path).unwrap();
    let last = line.lines().last().unwrap();
    assert!(
        last.contains(r#""kind":"app""#) && !last.contains("msisdn"),
        "{last}"
    );
    let contents = j.read().unwrap();
    assert_eq!(contents.entries, vec![number.clone(), app.clone()]);
    assert_eq!(
        app.summary(),
        "app IVR (app-7): answer_url=POST https://new.example.com/a, inbound_url=POST https://new.example.com/in"
    );
    let plan = plan(&contents, None).unwrap();
    assert_eq!(
        plan.steps[0].action,
        UndoAction::RestoreApp {
            id: "app-7".into(),
            hooks: before,
            expect: after,
        }
    );
    assert_eq!(plan.apps(), vec![("app-7", "IVR")]);
    // The number's known configuration is untouched by the app's entry.
    let known = known_configs(&contents);
    assert_eq!(known.len(), 1);
    assert_eq!(known.get("447700900001"), number.after.as_ref());
}
