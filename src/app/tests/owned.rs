//! State tests of the Owned list: pages as they arrive, refreshes, and the filter.

use tui_input::InputRequest;

use super::{app, cmd, list_request, loaded, number, three, type_text};
use crate::api::ListProgress;
use crate::app::*;

#[test]
fn a_first_load_shows_pages_as_they_arrive_a_refresh_does_not() {
    let mut a = app();
    let (id, _) = list_request(&a.start());
    let progress = ListProgress {
        pages_done: 1,
        pages_total: 2,
        numbers_loaded: 2,
        total: 3,
    };
    a.update(Action::Progress {
        id,
        progress,
        numbers: three()[..2].to_vec(),
    });
    a.update(Action::Tick(a.now));
    assert_eq!(
        a.owned.shown.len(),
        2,
        "the first page is shown before the end"
    );
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(three())),
    });
    assert_eq!(
        a.owned.numbers.len(),
        3,
        "the whole list replaces the pages"
    );

    let (id, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    a.update(Action::Progress {
        id,
        progress,
        numbers: vec![number("15550000009", "US", None)],
    });
    a.update(Action::Tick(a.now));
    assert_eq!(
        a.owned.numbers.len(),
        3,
        "a refresh keeps the list until it is complete"
    );
}

#[test]
fn streamed_pages_make_the_list_when_the_final_reply_carries_none() {
    let progress = |done| ListProgress {
        pages_done: done,
        pages_total: 2,
        numbers_loaded: 3,
        total: 3,
    };
    let mut a = app();
    let (id, _) = list_request(&a.start());
    a.update(Action::Progress {
        id,
        progress: progress(1),
        numbers: three()[..2].to_vec(),
    });
    // A page that shifted during the listing brings a number again.
    a.update(Action::Progress {
        id,
        progress: progress(2),
        numbers: three()[1..].to_vec(),
    });
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(Vec::new())),
    });
    assert_eq!(a.owned.numbers.len(), 3, "the pages, each msisdn once");
    assert!(a.owned.loading.is_none() && a.owned.loaded);

    // A refresh: its pages are kept aside, then replace the list when it ends.
    let (id, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    a.update(Action::Progress {
        id,
        progress: progress(1),
        numbers: vec![number("15550000009", "US", None)],
    });
    a.update(Action::Tick(a.now));
    assert_eq!(a.owned.numbers.len(), 3, "unchanged until the refresh ends");
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(vec![number("15550000008", "US", None)])),
    });
    let mut got: Vec<_> = a
        .owned
        .numbers
        .iter()
        .filter_map(|n| n.msisdn.clone())
        .collect();
    got.sort();
    assert_eq!(got, ["15550000008", "15550000009"]);
}

#[test]
fn the_filter_matches_each_column_and_the_msisdn() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Filter);
    let shown = |a: &App| a.owned.shown.len();
    type_text(&mut a, "EXAMPLE.com");
    assert_eq!(shown(&a), 3, "case-insensitive, in the SMS webhook");
    for _ in 0.."EXAMPLE.com".len() {
        a.update(Action::Edit(InputRequest::DeletePrevChar));
    }
    let m = a.owned.numbers[0].msisdn.clone().unwrap();
    let country = a.owned.numbers[0].country.clone().unwrap();
    type_text(
        &mut a,
        &format!("{} {}", &m[m.len() - 4..], country.to_lowercase()),
    );
    assert_eq!(shown(&a), 1, "msisdn digits and the country, both required");
    type_text(&mut a, " nothing-has-this");
    assert_eq!(shown(&a), 0);
}

#[test]
fn a_column_term_matches_in_that_column_only() {
    let mut a = loaded(three());
    cmd(&mut a, Cmd::Filter);
    let shown = |a: &App| a.owned.shown.len();
    // Typed a key at a time: `cc` (plain: no text holds it), then `cc:` (no condition yet: all
    // rows again, not only those `cc` kept), then the country.
    type_text(&mut a, "cc");
    assert_eq!(shown(&a), 0);
    type_text(&mut a, ":");
    assert_eq!(
        shown(&a),
        3,
        "a column term without a value is no condition"
    );
    type_text(&mut a, "us");
    assert_eq!(shown(&a), 1);
    assert_eq!(
        a.owned.selected_number().unwrap().msisdn.as_deref(),
        Some("14155550001")
    );
    a.update(Action::Edit(InputRequest::DeleteLine));
    // `a` alone is in every SMS webhook; in the app column only two numbers hold it.
    type_text(&mut a, "app:a");
    assert_eq!(shown(&a), 2);
    type_text(&mut a, "pp-b");
    assert_eq!(shown(&a), 1);
    a.update(Action::Edit(InputRequest::DeleteLine));
    // The msisdn column, and a URL whose `https:` names no column (plain text).
    type_text(&mut a, "msisdn:4477");
    assert_eq!(shown(&a), 2);
    a.update(Action::Edit(InputRequest::DeleteLine));
    type_text(&mut a, "https://example.com/1415");
    assert_eq!(shown(&a), 1);
}

#[test]
fn a_failed_refresh_marks_the_list_stale_until_one_succeeds() {
    let mut a = loaded(three());
    assert!(!a.owned.stale);
    let (id, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Err(crate::api::ApiError::Timeout {
            op: crate::api::Operation::List,
            timeout: std::time::Duration::from_secs(5),
        })),
    });
    assert!(a.owned.stale, "the list shown may be out of date");
    assert_eq!(a.owned.numbers.len(), 3, "and it is kept");
    let (id, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(three())),
    });
    assert!(!a.owned.stale);
}

/// Load `id` answered by one page of `numbers` with the server counting `total`.
fn answer(
    a: &mut App,
    id: RequestId,
    numbers: Vec<crate::api::OwnedNumber>,
    total: u64,
) -> Vec<Effect> {
    let progress = ListProgress {
        pages_done: 1,
        pages_total: 1,
        numbers_loaded: numbers.len(),
        total,
    };
    a.update(Action::Progress {
        id,
        progress,
        numbers,
    });
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(Vec::new())),
    })
}

fn warnings(a: &App) -> Vec<&str> {
    a.messages
        .log
        .iter()
        .filter(|e| e.level == Level::Warn)
        .map(|e| e.text.as_str())
        .collect()
}

#[test]
fn a_load_that_ends_short_is_read_again_then_marked_not_whole_and_warned() {
    let mut a = app();
    let (mut id, _) = list_request(&a.start());
    // Two of the three numbers the server counts, on each read (a repeat is one number).
    let mut short = three()[..2].to_vec();
    short.push(three()[0].clone());
    for read in 1..crate::api::LIST_READS {
        let effects = answer(&mut a, id, short.clone(), 3);
        assert!(warnings(&a).is_empty(), "read {read}: no word yet");
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::SaveCache)),
            "read {read}: a short list is not cached: {effects:?}"
        );
        let (again, request) = list_request(&effects);
        assert!(matches!(request, Request::ListAll(_)) && again != id);
        id = again;
    }
    let effects = answer(&mut a, id, short, 3);
    assert!(effects.is_empty(), "no fourth read, no cache: {effects:?}");
    assert_eq!(a.owned.numbers.len(), 2, "what arrived is kept, once each");
    assert_eq!(
        a.owned.incomplete,
        Some(owned::Shortfall {
            arrived: 2,
            counted: 3
        })
    );
    assert_eq!(
        warnings(&a),
        [
            "2 of 3 numbers arrived: the list changed while it was read, or the server miscounts; r reads it again"
        ]
    );
    assert!(a.owned.loading.is_none());
    assert!(
        a.owned.loaded_at.is_none(),
        "not a whole load: not kept on disk"
    );

    // A whole load clears the mark.
    let (id, _) = list_request(&cmd(&mut a, Cmd::Refresh));
    let effects = answer(&mut a, id, three(), 3);
    assert!(
        matches!(effects.as_slice(), [Effect::SaveCache]),
        "{effects:?}"
    );
    assert_eq!(a.owned.incomplete, None);
    assert_eq!(a.owned.numbers.len(), 3);
}

#[test]
fn a_load_that_ends_whole_is_not_read_again() {
    let mut a = app();
    let (id, _) = list_request(&a.start());
    let effects = answer(&mut a, id, three(), 3);
    assert!(
        matches!(effects.as_slice(), [Effect::SaveCache]),
        "{effects:?}"
    );
    assert_eq!(a.owned.incomplete, None);
    assert!(warnings(&a).is_empty());
    assert!(a.owned.loading.is_none());
}

#[test]
fn a_short_read_then_a_whole_one_shows_every_number_and_no_warning() {
    let mut a = app();
    let (id, _) = list_request(&a.start());
    let (id, _) = list_request(&answer(&mut a, id, three()[..2].to_vec(), 3));
    let effects = answer(&mut a, id, three(), 3);
    assert!(
        matches!(effects.as_slice(), [Effect::SaveCache]),
        "{effects:?}"
    );
    assert_eq!(a.owned.numbers.len(), 3);
    assert_eq!(a.owned.incomplete, None);
    assert!(warnings(&a).is_empty());
}
