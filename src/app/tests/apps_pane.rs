//! State tests of the Applications pane: the list with linked counts, filter and sort; an
//! application's numbers, linked and unlinked through the bulk confirmation; its webhooks'
//! form, the diff to confirm, the save request and its answer; read-only mode; an undo of an
//! application's change reading the applications again.

use super::apps::{application, apps};
use super::{clear_field, cmd, loaded, number, requests, type_text};
use crate::api::apps::{AppWebhooks, Hook};
use crate::api::{Change, OwnedNumber};
use crate::app::dialog::Dialog;
use crate::app::*;
use crate::bulk::app_ops::AppOutcome;

/// Two numbers on app-a, one on app-d, one on none.
fn linked() -> Vec<OwnedNumber> {
    vec![
        number("447700900001", "GB", Some("app-a-1111")),
        number("447700900002", "GB", Some("app-a-1111")),
        number("447700900003", "GB", Some("app-d-4444")),
        number("14155550004", "US", None),
    ]
}

/// Loaded with `linked()`, the applications answered, on the Applications pane.
fn on_apps() -> App {
    let mut a = loaded(linked());
    let id = a
        .pending
        .iter()
        .find(|(_, r)| matches!(r, Request::Applications))
        .map(|(id, _)| *id)
        .expect("the applications are asked for at start");
    a.update(Action::Reply {
        id,
        reply: Reply::Applications(Ok(apps())),
    });
    cmd(&mut a, Cmd::ShowApps);
    a
}

fn shown_ids(a: &App) -> Vec<(String, usize)> {
    a.apps_shown()
        .into_iter()
        .map(|(i, n)| (a.apps.list()[i].id.clone(), n))
        .collect()
}

fn last_text(a: &App) -> String {
    a.messages
        .log
        .last()
        .map(|l| l.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_pane_lists_every_application_with_its_linked_numbers_filters_and_sorts() {
    let mut a = on_apps();
    assert_eq!((a.pane(), a.context()), (Pane::Apps, Context::Apps));
    // By name (the two "Support line" by id).
    assert_eq!(
        shown_ids(&a),
        vec![
            ("app-d-4444".to_string(), 1),
            ("app-a-1111".to_string(), 2),
            ("app-b-2222".to_string(), 0)
        ]
    );
    cmd(&mut a, Cmd::SortNext);
    assert_eq!(
        shown_ids(&a)[0],
        ("app-a-1111".to_string(), 2),
        "most numbers first"
    );
    cmd(&mut a, Cmd::SortReverse);
    assert_eq!(shown_ids(&a)[0].1, 0);
    // The filter matches names, ids, capabilities and webhook addresses.
    cmd(&mut a, Cmd::Filter);
    assert_eq!(a.context(), Context::OwnedFilter);
    type_text(&mut a, "messages");
    assert_eq!(shown_ids(&a).len(), 2);
    clear_field(&mut a);
    type_text(&mut a, "b-2222/answer");
    assert_eq!(shown_ids(&a), vec![("app-b-2222".to_string(), 0)]);
    cmd(&mut a, Cmd::Submit);
    assert_eq!(a.context(), Context::Apps);
    assert_eq!(a.selected_app().map(|x| x.id.as_str()), Some("app-b-2222"));
    cmd(&mut a, Cmd::Back);
    assert_eq!(shown_ids(&a).len(), 3, "Esc clears the filter");
    // Tab order: Owned, Search, Applications.
    cmd(&mut a, Cmd::NextPane);
    assert_eq!(a.pane(), Pane::Owned);
    cmd(&mut a, Cmd::PrevPane);
    assert_eq!(a.pane(), Pane::Apps);
}

#[test]
fn an_apps_numbers_are_unlinked_and_linked_through_the_bulk_confirmation() {
    let mut a = on_apps();
    cmd(&mut a, Cmd::Down); // app-a, "Support line"
    cmd(&mut a, Cmd::Open);
    assert_eq!(a.context(), Context::AppNumbers);
    let listed: Vec<_> = a
        .numbers_of_app("app-a-1111")
        .iter()
        .map(|n| n.msisdn.clone().unwrap())
        .collect();
    assert_eq!(listed, ["447700900001", "447700900002"]);
    // `d` on the selected one: the bulk confirmation, for it alone.
    cmd(&mut a, Cmd::Down);
    cmd(&mut a, Cmd::Unlink);
    let Some(Layer::BulkConfirm(c)) = a.screen.top() else {
        panic!("the bulk confirmation: {:?}", a.screen.top());
    };
    assert_eq!(c.change.app_id, Change::Clear);
    assert_eq!(
        c.targets,
        vec![crate::bulk::Target::new("GB", "447700900002")]
    );
    // `y` presses the button that acts.
    let effects = cmd(&mut a, Cmd::Yes);
    let bulk = requests(&effects)
        .into_iter()
        .find(|(_, r)| matches!(r, Request::Bulk { .. }))
        .expect("a bulk run");
    let (
        bulk_id,
        Request::Bulk {
            targets, change, ..
        },
    ) = bulk
    else {
        unreachable!()
    };
    assert_eq!((targets.len(), change.app_id), (1, Change::Clear));
    a.update(Action::Reply {
        id: bulk_id,
        reply: Reply::BulkDone(crate::bulk::Report::default()),
    });
    // Back to the list (the run panel closed); nothing marked: `l` says how.
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::AppNumbers);
    cmd(&mut a, Cmd::Link);
    assert!(
        last_text(&a).contains("mark numbers in the Owned pane"),
        "{}",
        last_text(&a)
    );
    // Marked in the Owned pane: the unlinked one and one of app-d; one of app-a's own too.
    for m in ["14155550004", "447700900003", "447700900001"] {
        a.marks.toggle(m);
    }
    cmd(&mut a, Cmd::Link);
    let Some(Layer::BulkConfirm(c)) = a.screen.top() else {
        panic!("the bulk confirmation: {:?}", a.screen.top());
    };
    assert_eq!(c.change.app_id, Change::Set("app-a-1111".into()));
    let mut targets: Vec<_> = c.targets.iter().map(|t| t.msisdn.as_str()).collect();
    targets.sort();
    assert_eq!(
        targets,
        ["14155550004", "447700900003"],
        "not those linked already"
    );
}

#[test]
fn editing_an_apps_webhooks_reviews_the_diff_then_saves_through_the_app_change() {
    let mut a = on_apps();
    cmd(&mut a, Cmd::Down); // app-a: voice and messages
    cmd(&mut a, Cmd::Edit);
    assert_eq!(a.context(), Context::Edit);
    let Some(Layer::AppEdit(f)) = a.screen.top() else {
        panic!("the form: {:?}", a.screen.top());
    };
    assert_eq!(f.hooks, Hook::ALL.to_vec(), "both capabilities' webhooks");
    assert_eq!(f.form.value(0), "GET https://example.com/app-a-1111/answer");
    // A bad method: an inline error, nothing asked.
    clear_field(&mut a);
    type_text(&mut a, "PUT https://new.example.org/answer");
    cmd(&mut a, Cmd::Submit);
    assert_eq!(a.context(), Context::Edit, "refused on the form");
    // Emptying a webhook the app has: refused (it is not removed here).
    clear_field(&mut a);
    cmd(&mut a, Cmd::Submit);
    let Some(Layer::AppEdit(f)) = a.screen.top() else {
        unreachable!()
    };
    assert!(
        f.error
            .as_ref()
            .is_some_and(|(at, e)| *at == 0 && e.contains("not removed"))
    );
    type_text(&mut a, "POST https://new.example.org/answer");
    // The inbound webhook: its address only (the method is kept).
    for _ in 0..3 {
        cmd(&mut a, Cmd::NextField);
    }
    clear_field(&mut a);
    type_text(&mut a, "https://new.example.org/in");
    assert!(
        cmd(&mut a, Cmd::Submit).is_empty(),
        "nothing sent before Save"
    );
    let Some(Layer::Dialog(Dialog::ConfirmApp {
        id, diff, change, ..
    })) = a.screen.top()
    else {
        panic!("the review: {:?}", a.screen.top());
    };
    assert_eq!(id, "app-a-1111");
    assert_eq!(
        diff,
        &vec![
            (
                "answer_url",
                Some("GET https://example.com/app-a-1111/answer".to_string()),
                Some("POST https://new.example.org/answer".to_string())
            ),
            (
                "inbound_url",
                Some("POST https://example.com/app-a-1111/inbound".to_string()),
                Some("POST https://new.example.org/in".to_string())
            ),
        ]
    );
    assert_eq!(
        change.methods.get(&Hook::Answer).map(String::as_str),
        Some("POST")
    );
    assert!(!change.methods.contains_key(&Hook::Inbound));
    let effects = cmd(&mut a, Cmd::Yes);
    let (rid, request) = requests(&effects).remove(0);
    let Request::UpdateApp { id, change } = request else {
        panic!("the save: {request:?}");
    };
    assert_eq!(id, "app-a-1111");
    assert_eq!(
        change.inbound_url.as_deref(),
        Some("https://new.example.org/in")
    );
    assert!(a.app_change_in_flight("app-a-1111"));
    // A second Save while it is in flight: refused.
    assert!(cmd(&mut a, Cmd::Submit).is_empty());

    // The answer: the application as saved replaces the one held, the form closes.
    let before = a.apps.get("app-a-1111").unwrap().clone();
    let mut raw = before.raw.clone();
    raw["capabilities"]["voice"]["webhooks"]["answer_url"] =
        serde_json::json!({"address": "https://new.example.org/answer", "http_method": "POST"});
    let after = crate::api::apps::Application::from_value(raw).unwrap();
    let outcome = AppOutcome {
        hooks_before: AppWebhooks::of(&before),
        hooks_after: AppWebhooks::of(&after),
        before,
        after,
        entry: Some(7),
        warnings: Vec::new(),
    };
    a.update(Action::Reply {
        id: rid,
        reply: Reply::AppUpdated(Ok(outcome)),
    });
    assert_eq!(a.context(), Context::Apps, "the form closed");
    assert_eq!(
        a.apps
            .get("app-a-1111")
            .unwrap()
            .webhook("voice", "answer_url"),
        Some("https://new.example.org/answer")
    );
    assert!(last_text(&a).contains("u undoes it"), "{}", last_text(&a));
}

#[test]
fn a_refused_save_keeps_the_form_and_says_why() {
    let mut a = on_apps();
    cmd(&mut a, Cmd::Edit); // app-d: messages only
    let Some(Layer::AppEdit(f)) = a.screen.top() else {
        panic!("the form: {:?}", a.screen.top());
    };
    assert_eq!(f.hooks, vec![Hook::Inbound, Hook::Status]);
    clear_field(&mut a);
    type_text(&mut a, "https://x.example.org/in");
    cmd(&mut a, Cmd::Submit);
    let (rid, _) = requests(&cmd(&mut a, Cmd::Yes)).remove(0);
    let refused = crate::api::ApiError::MethodFailed {
        op: crate::api::Operation::UpdateApplication,
        label: "Bad Request".into(),
        hint: "the server refused the application's fields",
    };
    a.update(Action::Reply {
        id: rid,
        reply: Reply::AppUpdated(Err(refused.into())),
    });
    assert_eq!(a.context(), Context::Edit, "the form stays to fix it");
    assert!(last_text(&a).contains("not saved"), "{}", last_text(&a));
}

#[test]
fn read_only_mode_refuses_every_app_change() {
    let mut a = on_apps();
    a.read_only = true;
    cmd(&mut a, Cmd::Edit);
    assert_eq!(a.context(), Context::Apps);
    assert!(last_text(&a).contains("read-only"));
    cmd(&mut a, Cmd::Open);
    assert_eq!(a.context(), Context::AppNumbers, "looking is fine");
    for c in [Cmd::Link, Cmd::Unlink, Cmd::Edit] {
        assert!(c.changes_account(), "{c:?} is hidden from help and hints");
        cmd(&mut a, c);
        assert_eq!(a.context(), Context::AppNumbers, "{c:?} refused");
    }
}

#[test]
fn an_undone_app_change_reads_the_applications_again() {
    let mut a = on_apps();
    let app = application("app-a-1111", "Support line", &["voice"]);
    let hooks = AppWebhooks::of(&app);
    let report = crate::bulk::Report {
        batch: Some(3),
        items: vec![crate::bulk::ItemResult {
            target: crate::bulk::Target::app("app-a-1111"),
            outcome: crate::bulk::Outcome::AppUpdated {
                before: hooks.clone(),
                after: hooks,
                warnings: Vec::new(),
            },
        }],
        stopped: false,
        elapsed: std::time::Duration::ZERO,
    };
    a.bulk.run = Some(crate::app::bulk::Run {
        id: 99,
        kind: crate::app::bulk::RunKind::Undo {
            target: 3,
            label: "#3".into(),
        },
        progress: Default::default(),
        stopping: false,
        report: None,
        selected: 0,
        left: Default::default(),
    });
    a.pending.insert(
        99,
        Request::Undo {
            plan: crate::journal::Plan {
                target: 3,
                is_batch: false,
                steps: Vec::new(),
                left_out: 0,
            },
            force: false,
        },
    );
    let effects = a.update(Action::Reply {
        id: 99,
        reply: Reply::Undone(report),
    });
    assert!(
        requests(&effects)
            .iter()
            .any(|(_, r)| matches!(r, Request::Applications)),
        "{effects:?}"
    );
}

#[test]
fn esc_on_the_webhooks_form_asks_before_dropping_edits() {
    let mut a = on_apps();
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::Apps, "nothing typed: closed at once");
    cmd(&mut a, Cmd::Edit);
    type_text(&mut a, "x");
    cmd(&mut a, Cmd::Back);
    assert!(matches!(
        a.screen.top(),
        Some(Layer::Dialog(Dialog::Discard { .. }))
    ));
    cmd(&mut a, Cmd::Yes);
    assert_eq!(
        a.context(),
        Context::Apps,
        "the form dropped with the dialog"
    );
}
