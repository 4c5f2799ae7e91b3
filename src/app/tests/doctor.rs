//! State tests of the doctor layer: opened by its key and from the palette, its findings for
//! the loaded list and applications, `Enter` to the number, the fix of one number in its edit
//! form, the fix of every number of a kind in the bulk form, the SMS webhook check, and the
//! findings following the replies.

use super::apps::{apps, linked};
use super::{app, cmd, list_request, only_request, requests, type_text};
use crate::api::{Change, NumberConfig, OwnedNumber, UpdateOutcome};
use crate::app::doctor::{Fix, fix_of};
use crate::app::*;
use crate::doctor::Kind;

/// `linked()` (app-c does not exist, app-d has no voice) and: a second number on app-c, a
/// deprecated `app` voice type, a deprecated messages callback.
fn numbers() -> Vec<OwnedNumber> {
    let mut v = linked();
    v.push(super::number("447700900006", "GB", Some("app-c")));
    let mut app_type = super::number("447700900007", "GB", Some("app-a-1111"));
    app_type.voice_callback_type = Some("app".into());
    app_type.voice_callback_value = Some("app-a-1111".into());
    v.push(app_type);
    let mut messages = super::number("447700900008", "GB", Some("app-a-1111"));
    messages.messages_callback_type = Some("app".into());
    messages.messages_callback_value = Some("app-a-1111".into());
    v.push(messages);
    v
}

fn loaded() -> App {
    let mut a = app();
    let effects = a.start();
    for (id, r) in requests(&effects) {
        let reply = match r {
            Request::ListAll(_) => Reply::Listed(Ok(numbers())),
            Request::Applications => Reply::Applications(Ok(apps())),
            _ => continue,
        };
        a.update(Action::Reply { id, reply });
    }
    a
}

fn doctor(a: &App) -> &crate::app::doctor::DoctorView {
    a.screen
        .layers()
        .iter()
        .find_map(|l| match l {
            Layer::Doctor(d) => Some(d),
            _ => None,
        })
        .expect("the doctor is open")
}

/// Opens the doctor and selects the first finding of `kind` for `msisdn`.
fn select(a: &mut App, msisdn: &str, kind: Kind) {
    if !matches!(a.screen.top(), Some(Layer::Doctor(_))) {
        cmd(a, Cmd::Doctor);
    }
    let at = doctor(a)
        .findings
        .iter()
        .position(|f| f.msisdn == msisdn && f.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} for {msisdn}: {:#?}", doctor(a).findings));
    cmd(a, Cmd::Top);
    for _ in 0..at {
        cmd(a, Cmd::Down);
    }
}

fn kinds(a: &App) -> Vec<(String, Kind)> {
    doctor(a)
        .findings
        .iter()
        .map(|f| (f.msisdn.clone(), f.kind))
        .collect()
}

#[test]
fn the_doctor_lists_the_findings_of_the_loaded_list_broken_first() {
    let mut a = loaded();
    cmd(&mut a, Cmd::Doctor);
    assert_eq!(a.context(), Context::Doctor);
    let k = kinds(&a);
    for want in [
        ("447700900003", Kind::VoiceGoesNowhere),
        ("447700900004", Kind::UnknownApp),
        ("447700900006", Kind::UnknownApp),
        ("447700900007", Kind::DeprecatedVoiceApp),
        ("447700900008", Kind::DeprecatedMessagesCallback),
    ] {
        assert!(
            k.contains(&(want.0.to_string(), want.1)),
            "{want:?} in {k:?}"
        );
    }
    let broken: Vec<bool> = doctor(&a).findings.iter().map(|f| f.broken).collect();
    let mut sorted = broken.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(broken, sorted, "broken first");
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::Owned);
}

#[test]
fn the_doctor_is_in_the_palette_of_the_owned_pane() {
    let mut a = loaded();
    cmd(&mut a, Cmd::Palette);
    type_text(&mut a, "doctor");
    let items = a.palette_items("doctor");
    assert_eq!(
        items.first().map(|(_, c)| *c),
        Some(Cmd::Doctor),
        "{items:?}"
    );
    cmd(&mut a, Cmd::Submit);
    assert_eq!(a.context(), Context::Doctor);
}

#[test]
fn enter_opens_the_numbers_detail_and_esc_comes_back_to_the_doctor() {
    let mut a = loaded();
    select(&mut a, "447700900004", Kind::UnknownApp);
    cmd(&mut a, Cmd::Open);
    assert_eq!(a.context(), Context::Detail);
    assert_eq!(
        a.detail_number().unwrap().msisdn.as_deref(),
        Some("447700900004")
    );
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::Doctor);
}

fn review_change(a: &mut App) -> crate::api::NumberChange {
    cmd(a, Cmd::Submit);
    match a.dialog() {
        Some(Dialog::ConfirmUpdate { change, .. }) => change.clone(),
        other => panic!("not the review: {other:?}"),
    }
}

#[test]
fn fixing_an_unknown_app_opens_the_edit_form_unlinked_and_the_save_clears_the_link() {
    let mut a = loaded();
    select(&mut a, "447700900004", Kind::UnknownApp);
    assert_eq!(
        fix_of(&doctor(&a).findings[doctor(&a).selected]),
        Some(Fix::Unlink)
    );
    cmd(&mut a, Cmd::FixOne);
    assert_eq!(a.context(), Context::Edit);
    let change = review_change(&mut a);
    assert_eq!(change.app_id, Change::Clear);
    assert_eq!(change.mo_http_url, Change::Keep, "nothing else changes");
}

#[test]
fn the_deprecated_types_are_fixed_by_clearing_them() {
    let mut a = loaded();
    select(&mut a, "447700900007", Kind::DeprecatedVoiceApp);
    cmd(&mut a, Cmd::FixOne);
    assert_eq!(review_change(&mut a).voice, Change::Clear);
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::Back);
    cmd(&mut a, Cmd::Yes);
    assert_eq!(
        a.context(),
        Context::Doctor,
        "the form dropped, the doctor under it"
    );
    select(&mut a, "447700900008", Kind::DeprecatedMessagesCallback);
    cmd(&mut a, Cmd::FixOne);
    let change = review_change(&mut a);
    assert!(change.clear_messages);
    let Some(Dialog::ConfirmUpdate { diff, .. }) = a.dialog() else {
        panic!()
    };
    assert!(
        diff.iter()
            .any(|(f, _, after)| f.starts_with("messages") && after.is_none()),
        "{diff:?}"
    );
}

#[test]
fn a_number_whose_calls_go_nowhere_is_fixed_by_picking_an_application() {
    let mut a = loaded();
    select(&mut a, "447700900003", Kind::VoiceGoesNowhere);
    cmd(&mut a, Cmd::FixOne);
    assert_eq!(
        a.context(),
        Context::AppPicker,
        "the picker opens over the form"
    );
    type_text(&mut a, "a-11");
    cmd(&mut a, Cmd::Submit);
    assert_eq!(
        review_change(&mut a).app_id,
        Change::Set("app-a-1111".into())
    );
}

#[test]
fn fixing_every_number_of_a_kind_starts_a_bulk_edit_of_them() {
    let mut a = loaded();
    cmd(&mut a, Cmd::Mark);
    select(&mut a, "447700900004", Kind::UnknownApp);
    cmd(&mut a, Cmd::FixAll);
    assert_eq!(a.context(), Context::BulkForm);
    let mut marked: Vec<String> = a
        .marked_numbers()
        .iter()
        .filter_map(|n| n.msisdn.clone())
        .collect();
    marked.sort();
    assert_eq!(
        marked,
        ["447700900004", "447700900006"],
        "the numbers of that kind, only"
    );
    cmd(&mut a, Cmd::Submit);
    match a.screen.top() {
        Some(Layer::BulkConfirm(c)) => {
            assert_eq!(c.change.app_id, Change::Clear);
            assert_eq!(c.targets.len(), 2);
        }
        other => panic!("not the bulk review: {other:?}"),
    }
}

#[test]
fn read_only_mode_offers_no_fix() {
    let mut a = loaded();
    a.read_only = true;
    select(&mut a, "447700900004", Kind::UnknownApp);
    cmd(&mut a, Cmd::FixOne);
    cmd(&mut a, Cmd::FixAll);
    assert_eq!(a.context(), Context::Doctor);
    assert!(a.marks.is_empty());
    assert!(a.messages.current().unwrap().text.contains("read-only"));
}

#[test]
fn the_findings_follow_a_saved_fix() {
    let mut a = loaded();
    select(&mut a, "447700900004", Kind::UnknownApp);
    cmd(&mut a, Cmd::FixOne);
    cmd(&mut a, Cmd::Submit);
    cmd(&mut a, Cmd::Toggle);
    let (id, req) = only_request(&cmd(&mut a, Cmd::Submit));
    let Request::Update { change, .. } = req else {
        panic!("{req:?}")
    };
    let before = NumberConfig::from_number(a.owned_number("447700900004").unwrap(), None);
    let after = change.apply_to(&before).unwrap();
    a.update(Action::Reply {
        id,
        reply: Reply::Updated(Ok(UpdateOutcome {
            country: "GB".into(),
            msisdn: "447700900004".into(),
            before,
            after,
            warnings: vec![],
        })),
    });
    assert_eq!(a.context(), Context::Doctor);
    let k = kinds(&a);
    assert!(
        !k.contains(&("447700900004".into(), Kind::UnknownApp)),
        "{k:?}"
    );
    assert!(k.contains(&("447700900006".into(), Kind::UnknownApp)));
}

#[test]
fn the_sms_webhook_check_sends_one_get_per_url_and_its_failures_become_findings() {
    let mut a = loaded();
    cmd(&mut a, Cmd::Doctor);
    let (id, req) = only_request(&cmd(&mut a, Cmd::CheckWebhooks));
    let Request::ProbeWebhooks(urls) = req else {
        panic!("{req:?}")
    };
    assert_eq!(urls.len(), 8, "one per distinct URL: {urls:?}");
    let answers = urls
        .iter()
        .map(|u| {
            let a = if u.ends_with("/447700900002") {
                Ok(404)
            } else if u.ends_with("/447700900005") {
                Err("connection refused".to_string())
            } else {
                Ok(200)
            };
            (u.clone(), a)
        })
        .collect();
    a.update(Action::Reply {
        id,
        reply: Reply::WebhooksProbed(answers),
    });
    let failing: Vec<_> = doctor(&a)
        .findings
        .iter()
        .filter(|f| f.kind == Kind::SmsWebhookFails)
        .map(|f| (f.msisdn.as_str(), f.detail.as_str()))
        .collect();
    assert_eq!(failing.len(), 2, "{failing:?}");
    assert!(
        failing
            .iter()
            .any(|(m, d)| *m == "447700900002" && d.contains("answered 404"))
    );
    assert!(
        failing
            .iter()
            .any(|(m, d)| *m == "447700900005" && d.contains("connection refused"))
    );
    // A refresh keeps the answers: the findings stay until checked again.
    let effects = cmd(&mut a, Cmd::Refresh);
    let (list, _) = list_request(&effects);
    a.update(Action::Reply {
        id: list,
        reply: Reply::Listed(Ok(numbers())),
    });
    assert_eq!(
        doctor(&a)
            .findings
            .iter()
            .filter(|f| f.kind == Kind::SmsWebhookFails)
            .count(),
        2
    );
}
