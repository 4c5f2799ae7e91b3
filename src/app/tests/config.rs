//! State tests of the cached start, copy, the search page size and read-only mode (export and
//! the SMS webhook pre-check are in `tests_config_dialogs.rs`, with the helpers here): actions
//! in, state and effects out. No terminal, no network, no files.

use std::time::Duration;

use super::{app, cmd, loaded, many, numbered as number, requests, type_text};
use crate::api::ApiError;
use crate::api::AvailableNumber;
use crate::app::*;

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
    // The fresh list has three more numbers sorted before the selection; they arrive first,
    // as a page of the refresh: the cached list stays as it is.
    let added: Vec<OwnedNumber> = [number(7), number(8), number(9)]
        .map(|mut n| {
            n.msisdn = Some(format!("{}0", n.msisdn.unwrap()));
            n
        })
        .into();
    a.update(Action::Progress {
        id: load,
        progress: crate::api::ListProgress {
            pages_done: 1,
            pages_total: 2,
            numbers_loaded: 3,
            total: 103,
        },
        numbers: added,
    });
    assert_eq!(a.owned.numbers.len(), 100);
    // The load ends with the numbers not sent as pages.
    a.update(Action::Reply {
        id: load,
        reply: Reply::Listed(Ok(many(0..100))),
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
    a.screen.show(Pane::Search);
    a.screen
        .remove_where(|l| matches!(l, crate::app::Layer::SearchForm));
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

#[test]
fn read_only_refuses_every_change_but_browsing_copy_and_export_work() {
    let mut a = loaded(many(0..3));
    a.read_only = true;
    for c in [Cmd::Edit, Cmd::CancelNumber] {
        assert!(cmd(&mut a, c).is_empty());
        assert!(a.edit_form().is_none() && a.dialog().is_none(), "{c:?}");
        let t = a.messages.current().unwrap();
        assert!(t.text.contains("read-only"), "{}", t.text);
    }
    cmd(&mut a, Cmd::Open);
    for c in [Cmd::Edit, Cmd::CancelNumber] {
        assert!(cmd(&mut a, c).is_empty());
        assert!(a.edit_form().is_none() && a.dialog().is_none(), "{c:?}");
    }
    cmd(&mut a, Cmd::Back);
    a.screen.show(Pane::Search);
    a.screen
        .remove_where(|l| matches!(l, crate::app::Layer::SearchForm));
    a.search.results = Some(crate::api::Page {
        count: 1,
        numbers: vec![AvailableNumber {
            msisdn: Some("14155550123".into()),
            country: Some("US".into()),
            ..Default::default()
        }],
    });
    assert!(cmd(&mut a, Cmd::Buy).is_empty());
    assert!(a.dialog().is_none());
    assert!(a.pending.values().all(|r| !r.is_change()));
    a.screen.show(Pane::Owned);
    assert_eq!(cmd(&mut a, Cmd::Copy).len(), 1);
    cmd(&mut a, Cmd::Export);
    assert!(a.export_dialog().is_some());
}

#[test]
fn the_search_page_size_comes_from_the_config() {
    let mut a = loaded(Vec::new());
    a.search.page_size = 50;
    a.screen.show(Pane::Search);
    type_text(&mut a, "GB");
    let reqs = requests(&cmd(&mut a, Cmd::Submit));
    let [(_, Request::Search(q))] = &reqs[..] else {
        panic!("{reqs:?}");
    };
    assert_eq!(q.size, 50);
}

#[test]
fn changes_since_the_last_load_are_tracked() {
    let mut a = loaded(many(0..3));
    assert!(!a.owned.changed);
    assert_eq!(a.owned.loaded_at, Some(a.now));
    a.owned.upsert(number(9));
    assert!(a.owned.changed);
    let (id, _) = requests(&cmd(&mut a, Cmd::Refresh))[0].clone();
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(many(0..4))),
    });
    assert!(!a.owned.changed, "a complete load is the truth again");
    a.owned.remove("447700900001");
    assert!(a.owned.changed);
}

#[test]
fn only_a_complete_unfiltered_load_is_kept_on_disk() {
    let mut a = app();
    let (id, _) = requests(&a.start())[0].clone();
    let effects = a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(vec![number(1), number(2)])),
    });
    assert!(
        matches!(effects.as_slice(), [Effect::SaveCache]),
        "{effects:?}"
    );

    // The same load with an API filter: a part of the account, not kept.
    a.owned.server_filter.country = Some("GB".into());
    let effects = a.load_owned();
    let (id, _) = requests(&effects)[0].clone();
    let effects = a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(vec![number(3)])),
    });
    assert!(effects.is_empty(), "{effects:?}");

    // A failed load: nothing.
    let effects = a.load_owned();
    let (id, _) = requests(&effects)[0].clone();
    a.owned.server_filter = crate::api::OwnedFilter::default();
    let effects = a.update(Action::Reply {
        id,
        reply: Reply::Listed(Err(ApiError::Config("down".into()))),
    });
    assert!(effects.is_empty(), "{effects:?}");
}
