//! State tests of every flow: actions in, state and effects out. No terminal, no network.

use std::time::Duration;

use tui_input::InputRequest;

use super::{
    app, clear_field, cmd, list_request, loaded, number, only_request, requests, three, type_text,
};
use crate::api::{ApiError, AvailableNumber, Page, Settled};
use crate::api::{Change, Feature, NumberType, UpdateOutcome};
use crate::app::*;

#[test]
fn start_loads_and_sorts_by_msisdn() {
    let a = loaded(three());
    assert!(a.owned.loaded);
    assert!(a.owned.loading.is_none());
    let shown: Vec<_> = a
        .owned
        .shown
        .iter()
        .map(|&i| a.owned.numbers[i as usize].msisdn.clone().unwrap())
        .collect();
    assert_eq!(shown, ["14155550001", "447700900001", "447700900003"]);
}

#[test]
fn filter_as_you_type_and_escape_clears() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Filter);
    assert_eq!(a.context(), Context::OwnedFilter);
    type_text(&mut a, "gb app-b");
    assert_eq!(a.owned.shown.len(), 1);
    assert_eq!(a.owned.selected_msisdn().as_deref(), Some("447700900001"));
    a.update(Action::Edit(InputRequest::DeletePrevChar));
    assert_eq!(
        a.owned.shown.len(),
        2,
        "widening the filter brings rows back"
    );
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.owned.shown.len(), 3);
    assert_eq!(a.context(), Context::Owned);
}

#[test]
fn sort_cycles_columns_and_reverses_keeping_the_selection() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Down);
    let sel = a.owned.selected_msisdn();
    cmd(&mut a, Cmd::SortNext);
    assert_eq!(a.owned.sort, Column::Country);
    assert_eq!(a.owned.selected_msisdn(), sel);
    cmd(&mut a, Cmd::SortReverse);
    assert!(a.owned.reverse);
    assert_eq!(a.owned.selected_msisdn(), sel);
}

#[test]
fn selection_survives_a_refresh() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Bottom);
    assert_eq!(a.owned.selected_msisdn().as_deref(), Some("447700900003"));
    let (id, req) = list_request(&cmd(&mut a, Cmd::Refresh));
    assert!(matches!(req, Request::ListAll(_)));
    let mut more = three();
    more.push(number("449999999999", "GB", None));
    more.insert(0, number("12025550000", "US", None));
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(more)),
    });
    assert_eq!(a.owned.selected_msisdn().as_deref(), Some("447700900003"));
}

#[test]
fn stale_replies_are_dropped() {
    let mut a = loaded(three());
    let (old, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    let (new, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    a.update(Action::Reply {
        id: old,
        reply: Reply::Listed(Ok(vec![])),
    });
    assert_eq!(
        a.owned.numbers.len(),
        3,
        "the older load's answer is ignored"
    );
    assert!(a.owned.loading.is_some());
    a.update(Action::Reply {
        id: new,
        reply: Reply::Listed(Ok(vec![number("15550000001", "US", None)])),
    });
    assert_eq!(a.owned.numbers.len(), 1);
}

#[test]
fn a_failed_load_keeps_the_list_and_logs_the_error() {
    let mut a = loaded(three());
    let (id, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Err(ApiError::RateLimited {
            op: crate::api::Operation::List,
            retry_after: None,
        })),
    });
    assert_eq!(a.owned.numbers.len(), 3);
    assert_eq!(a.messages.log.len(), 1);
    assert!(a.messages.log[0].text.contains("rate limited"));
}

fn search_to_results(a: &mut App) -> RequestId {
    cmd(a, Cmd::ShowSearch);
    assert_eq!(a.context(), Context::SearchForm);
    type_text(a, "gb");
    let (id, req) = only_request(&cmd(a, Cmd::Submit));
    let Request::Search(q) = req else {
        panic!("not a search")
    };
    assert_eq!(q.country, "GB");
    let page = Page {
        count: 45,
        numbers: vec![AvailableNumber {
            country: Some("GB".into()),
            msisdn: Some("447700911111".into()),
            number_type: Some(NumberType::MobileLvn),
            cost: Some("0.90".into()),
            initial_price: Some("0.50".into()),
            features: vec![Feature::Sms],
            limitations: vec![],
        }],
    };
    a.update(Action::Reply {
        id,
        reply: Reply::Searched(Ok(page)),
    });
    id
}

#[test]
fn search_form_validates_inline_and_sends_nothing_when_wrong() {
    let mut a = app();
    cmd(&mut a, Cmd::ShowSearch);
    type_text(&mut a, "g1");
    assert!(a.search.form.fields[search::COUNTRY].error().is_some());
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert_eq!(a.context(), Context::SearchForm);
    clear_field(&mut a);
    type_text(&mut a, "us");
    cmd(&mut a, Cmd::NextField);
    type_text(&mut a, "fax");
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert_eq!(a.search.form.focus, search::TYPE);
}

#[test]
fn buy_asks_with_cancel_focused_then_buys_and_shows_it_owned() {
    let mut a = loaded(three());
    search_to_results(&mut a);
    assert_eq!(a.context(), Context::SearchResults);
    assert_eq!(a.search.pages(), 3);
    assert!(cmd(&mut a, Cmd::Buy).is_empty());
    assert!(matches!(
        a.dialog(),
        Some(Dialog::Buy {
            confirm_focused: false,
            ..
        })
    ));
    // Enter on the focused Cancel: nothing bought.
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.dialog().is_none());
    cmd(&mut a, Cmd::Buy);
    cmd(&mut a, Cmd::Toggle);
    let (id, req) = only_request(&cmd(&mut a, Cmd::Submit));
    assert!(matches!(&req, Request::Buy(r) if r.msisdn == "447700911111"));
    assert_eq!(a.changes_in_flight(), 1);
    let effects = a.update(Action::Reply {
        id,
        reply: Reply::Bought(Ok(Settled {
            recovered_from: None,
            already: false,
        })),
    });
    assert!(
        matches!(list_request(&effects).1, Request::ListAll(_)),
        "a refresh follows"
    );
    assert!(
        requests(&effects)
            .iter()
            .any(|(_, r)| matches!(r, Request::Balance)),
        "the balance is read again after a buy: {effects:?}"
    );
    assert!(
        a.owned
            .numbers
            .iter()
            .any(|n| n.msisdn.as_deref() == Some("447700911111"))
    );
    assert!(a.search.results.as_ref().unwrap().numbers.is_empty());
}

#[test]
fn search_pages_forward_and_back() {
    let mut a = app();
    search_to_results(&mut a);
    let (_, req) = only_request(&cmd(&mut a, Cmd::NextPage));
    assert!(matches!(req, Request::Search(q) if q.index == 2));
    let mut a = app();
    search_to_results(&mut a);
    assert!(
        cmd(&mut a, Cmd::PrevPage).is_empty(),
        "no page before the first"
    );
}

#[test]
fn cancel_needs_the_last_four_digits() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::CancelNumber);
    assert_eq!(a.context(), Context::DialogText);
    type_text(&mut a, "9999");
    assert!(
        cmd(&mut a, Cmd::Submit).is_empty(),
        "wrong digits cancel nothing"
    );
    assert!(a.dialog().is_some());
    for _ in 0..4 {
        a.update(Action::Edit(InputRequest::DeletePrevChar));
    }
    type_text(&mut a, "0001");
    let (id, req) = only_request(&cmd(&mut a, Cmd::Submit));
    assert!(matches!(&req, Request::Cancel(r) if r.msisdn == "14155550001"));
    a.update(Action::Reply {
        id,
        reply: Reply::Cancelled(Ok(Settled {
            recovered_from: None,
            already: false,
        })),
    });
    assert_eq!(a.owned.numbers.len(), 2);
}

#[test]
fn edit_shows_a_diff_then_saves_read_modify_write() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Down); // 447700900001, app-b
    cmd(&mut a, Cmd::Open);
    assert_eq!(a.context(), Context::Detail);
    cmd(&mut a, Cmd::Edit);
    assert_eq!(a.context(), Context::Edit);
    cmd(&mut a, Cmd::NextField); // SMS URL
    clear_field(&mut a);
    type_text(&mut a, "not a url");
    assert!(
        a.edit_form().unwrap().form.fields[edit::SMS_URL]
            .error()
            .is_some()
    );
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.dialog().is_none());
    clear_field(&mut a);
    type_text(&mut a, "https://new.example.com/sms");
    // The new SMS webhook is checked (a GET, as Vonage will) while the dialog is open.
    let (_, check) = only_request(&cmd(&mut a, Cmd::Submit));
    assert!(
        matches!(&check, Request::CheckWebhook(u) if u == "https://new.example.com/sms"),
        "{check:?}"
    );
    let Some(Dialog::ConfirmUpdate { diff, warnings, .. }) = a.dialog() else {
        panic!("no confirmation: {:?}", a.dialog());
    };
    assert_eq!(diff.len(), 1);
    assert_eq!(diff[0].0, "moHttpUrl");
    assert_eq!(
        warnings.len(),
        2,
        "voiceStatusCallback and moSmppSysType cannot be read"
    );
    cmd(&mut a, Cmd::Toggle);
    let (id, req) = only_request(&cmd(&mut a, Cmd::Submit));
    let Request::Update { change, .. } = &req else {
        panic!()
    };
    assert_eq!(change.app_id, Change::Keep);
    let before = NumberConfig::from_number(a.detail_number().unwrap(), None);
    let after = change.apply_to(&before).unwrap();
    a.update(Action::Reply {
        id,
        reply: Reply::Updated(Ok(UpdateOutcome {
            country: "GB".into(),
            msisdn: "447700900001".into(),
            before,
            after,
            warnings: vec![],
        })),
    });
    let n = a.detail_number().unwrap();
    assert_eq!(
        n.mo_http_url.as_deref(),
        Some("https://new.example.com/sms")
    );
    assert_eq!(n.app_id.as_deref(), Some("app-b"));
    assert!(a.edit_form().is_none());
}

#[test]
fn emptying_a_field_is_a_listed_removal() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Down); // 447700900001, app-b
    cmd(&mut a, Cmd::Edit);
    clear_field(&mut a); // its application id
    cmd(&mut a, Cmd::Submit);
    let Some(Dialog::ConfirmUpdate { diff, change, .. }) = a.dialog() else {
        panic!("no confirmation: {:?}", a.dialog())
    };
    assert_eq!(diff, &vec![("app_id", Some("app-b".to_string()), None)]);
    assert_eq!(change.app_id, Change::Clear);
}

#[test]
fn an_unchanged_form_saves_nothing() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Edit);
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.dialog().is_none());
}

#[test]
fn read_only_turns_off_buy_cancel_and_edit() {
    let mut a = loaded(three());
    a.read_only = true;
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::CancelNumber);
    assert!(a.edit_form().is_none() && a.dialog().is_none());
    search_to_results(&mut a);
    cmd(&mut a, Cmd::Buy);
    assert!(a.dialog().is_none());
    assert!(a.messages.current().unwrap().text.contains("read-only"));
}

#[test]
fn quit_asks_while_a_change_is_in_flight() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Quit);
    assert!(a.quit, "nothing pending: quits at once");
    let mut a = loaded(three());
    cmd(&mut a, Cmd::CancelNumber);
    type_text(&mut a, "0001");
    cmd(&mut a, Cmd::Submit);
    cmd(&mut a, Cmd::Quit);
    assert!(!a.quit);
    assert!(matches!(a.dialog(), Some(Dialog::Quit { .. })));
    cmd(&mut a, Cmd::ForceQuit);
    assert!(a.quit, "Ctrl-C always quits");
}

#[test]
fn messages_expire_with_ticks() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Edit);
    cmd(&mut a, Cmd::Submit); // nothing to save: an info toast
    assert!(a.messages.current().is_some());
    assert!(a.animating());
    let later = a.now + Duration::from_secs(60);
    a.update(Action::Tick(later));
    assert!(a.messages.current().is_none());
}

#[test]
fn server_filters_reload_with_the_api_filter() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::ServerFilter);
    assert_eq!(a.context(), Context::ServerFilter);
    type_text(&mut a, "gb");
    cmd(&mut a, Cmd::NextField);
    cmd(&mut a, Cmd::NextField);
    type_text(&mut a, "maybe");
    assert!(cmd(&mut a, Cmd::Submit).is_empty(), "invalid: nothing sent");
    clear_field(&mut a);
    type_text(&mut a, "no");
    let (_, req) = only_request(&cmd(&mut a, Cmd::Submit));
    let Request::ListAll(f) = req else { panic!() };
    assert_eq!(f.country.as_deref(), Some("GB"));
    assert_eq!(f.has_application, Some(false));
}

#[test]
fn hostile_text_is_bounded() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::ShowSearch);
    type_text(&mut a, &"9".repeat(10_000));
    assert!(a.search.form.value(search::COUNTRY).len() <= form::MAX_FIELD);
    a.update(Action::Edit(InputRequest::InsertChar('\u{1b}')));
    assert!(!a.search.form.value(search::COUNTRY).contains('\u{1b}'));
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
}
