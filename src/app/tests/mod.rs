//! State tests of the app: actions in, state and effects out. No terminal, no network, no
//! files. This file holds what they share: an app, fixtures, and the ways to drive it.

mod apps;
mod apps_pane;
mod bulk;
mod bulk_run;
mod config;
mod config_dialogs;
mod doctor;
mod flows;
mod layers;
mod messages;
mod owned;
mod picker;
mod routes;
mod search;

use std::time::Instant;

use tui_input::InputRequest;

use super::*;
use crate::api::{Feature, NumberType};

pub(super) fn app() -> App {
    let mut a = App::new(
        Target {
            live: false,
            base_url: "http://127.0.0.1:1".into(),
            api_key: "k".into(),
        },
        Instant::now(),
    );
    // The keys messages name, as the loop gives them.
    a.keys = crate::tui::keymap::Keymap::default().names();
    a
}

/// Started, with the first load answered by `numbers`.
pub(super) fn loaded(numbers: Vec<OwnedNumber>) -> App {
    let mut a = app();
    let (id, _) = requests(&a.start())[0].clone();
    a.update(Action::Reply {
        id,
        reply: Reply::Listed(Ok(numbers)),
    });
    a
}

/// A GB or US mobile number with SMS and voice, a webhook, and `app_id`.
pub(super) fn number(msisdn: &str, country: &str, app_id: Option<&str>) -> OwnedNumber {
    OwnedNumber {
        msisdn: Some(msisdn.into()),
        country: Some(country.into()),
        number_type: Some(NumberType::MobileLvn),
        features: vec![Feature::Sms, Feature::Voice].into(),
        app_id: app_id.map(Into::into),
        mo_http_url: Some(format!("https://example.com/{msisdn}").into()),
        ..Default::default()
    }
}

pub(super) fn three() -> Vec<OwnedNumber> {
    vec![
        number("447700900003", "GB", Some("app-a")),
        number("14155550001", "US", None),
        number("447700900001", "GB", Some("app-b")),
    ]
}

/// Number `i` of a long GB list: SMS, a webhook of its own.
pub(super) fn numbered(i: usize) -> OwnedNumber {
    OwnedNumber {
        msisdn: Some(format!("4477009{i:05}")),
        country: Some("GB".into()),
        number_type: Some(NumberType::MobileLvn),
        features: vec![Feature::Sms].into(),
        mo_http_url: Some(format!("https://example.com/{i}").into()),
        ..Default::default()
    }
}

pub(super) fn many(range: std::ops::Range<usize>) -> Vec<OwnedNumber> {
    range.map(numbered).collect()
}

pub(super) fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
    a.update(Action::Cmd(c))
}

pub(super) fn type_text(a: &mut App, text: &str) {
    for c in text.chars() {
        a.update(Action::Edit(InputRequest::InsertChar(c)));
    }
}

pub(super) fn clear_field(a: &mut App) {
    a.update(Action::Edit(InputRequest::DeleteLine));
}

pub(super) fn requests(effects: &[Effect]) -> Vec<(RequestId, Request)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Api { id, request } => Some((*id, request.clone())),
            Effect::Copy(_) | Effect::SaveCache => None,
        })
        .collect()
}

pub(super) fn only_request(effects: &[Effect]) -> (RequestId, Request) {
    assert_eq!(effects.len(), 1, "{effects:?}");
    let Effect::Api { id, request } = &effects[0] else {
        panic!("not a request: {effects:?}");
    };
    (*id, request.clone())
}

/// Shows the Search pane's results (its form closed), as after a search.
pub(super) fn to_search_results(a: &mut App) {
    a.screen.show(Pane::Search);
    a.screen.remove_where(|l| matches!(l, Layer::SearchForm));
}

/// The one request that loads the owned list among `effects` (a start or a refresh also loads
/// the applications and the balance).
pub(super) fn list_request(effects: &[Effect]) -> (RequestId, Request) {
    let lists: Vec<_> = requests(effects)
        .into_iter()
        .filter(|(_, r)| matches!(r, Request::ListAll(_)))
        .collect();
    assert_eq!(lists.len(), 1, "{effects:?}");
    lists[0].clone()
}
