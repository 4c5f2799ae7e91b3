//! The Search pane: the empty form, a form with errors, a page of results.

use super::*;
use crate::api::{AvailableNumber, FeatureSet, MatchMode, Page, Pattern, SearchQuery};
use crate::app::Pane;
use crate::app::search::{COUNTRY, FEATURES, MATCH, PATTERN, TYPE};

fn search_app() -> App {
    let mut app = loaded();
    cmd(&mut app, Cmd::ShowSearch);
    app
}

fn fill(app: &mut App, values: [(usize, &str); 4]) {
    for (i, v) in values {
        app.search.form.fields[i].input = tui_input::Input::new(v.into());
    }
}

pub fn available(i: usize) -> AvailableNumber {
    let kinds = [NumberType::MobileLvn, NumberType::Landline];
    AvailableNumber {
        country: Some("GB".into()),
        msisdn: Some(format!("447700{:06}", 900_100 + i * 13)),
        number_type: Some(kinds[i % 2].clone()),
        cost: Some(if i.is_multiple_of(2) { "0.90" } else { "1.25" }.into()),
        initial_price: Some(if i.is_multiple_of(3) { "0.50" } else { "0.00" }.into()),
        features: vec![Feature::Sms, Feature::Voice],
        limitations: if i % 4 == 1 {
            vec![Limitation {
                feature: Some("SMS".into()),
                kind: Some("OUTBOUND".into()),
                reach: Some("INTERNATIONAL".into()),
            }]
        } else {
            Vec::new()
        },
    }
}

#[test]
fn search_form_empty() {
    let app = search_app();
    assert_eq!(app.pane(), Pane::Search);
    snap("search_empty", &app);
}

#[test]
fn search_form_with_errors() {
    let mut app = search_app();
    fill(
        &mut app,
        [
            (COUNTRY, "GB"),
            (TYPE, "mobile"),
            (FEATURES, "sms,fax"),
            (PATTERN, "4477"),
        ],
    );
    app.search.form.focus = FEATURES;
    snap("search_form_errors", &app);
}

#[test]
fn search_with_results() {
    let mut app = search_app();
    fill(
        &mut app,
        [
            (COUNTRY, "GB"),
            (TYPE, "mobile-lvn"),
            (FEATURES, "sms,voice"),
            (PATTERN, "447700"),
        ],
    );
    app.search.form.fields[MATCH].input = tui_input::Input::new("starts".into());
    app.search.results = Some(Page {
        count: 331,
        numbers: (0..20).map(available).collect(),
    });
    let mut q = SearchQuery::new("GB");
    q.number_type = Some(NumberType::MobileLvn);
    q.features = Some(FeatureSet {
        sms: true,
        voice: true,
        mms: false,
    });
    q.pattern = Some(Pattern {
        digits: "447700".into(),
        mode: MatchMode::StartsWith,
    });
    q.size = 20;
    q.index = 2;
    app.search.query = Some(q);
    app.screen
        .remove_where(|l| matches!(l, crate::app::Layer::SearchForm));
    app.search.selected = 4;
    snap("search_results", &app);
}

#[test]
fn search_with_no_match() {
    let mut app = search_app();
    fill(
        &mut app,
        [
            (COUNTRY, "GB"),
            (TYPE, ""),
            (FEATURES, "mms"),
            (PATTERN, "999"),
        ],
    );
    app.search.results = Some(Page::default());
    app.search.query = Some(SearchQuery::new("GB"));
    app.screen
        .remove_where(|l| matches!(l, crate::app::Layer::SearchForm));
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn a_result_opened_whole_sorted_page_behind() {
    let mut app = search_app();
    app.search.results = Some(Page {
        count: 20,
        numbers: (0..20).map(available).collect(),
    });
    app.search.query = Some(SearchQuery::new("GB"));
    app.screen
        .remove_where(|l| matches!(l, crate::app::Layer::SearchForm));
    cmd(&mut app, Cmd::SortNext);
    let sorted = render(&app, 120, 40);
    assert!(sorted.contains("by monthly cost ↓"), "{sorted}");
    // Number 1 has a limitation.
    while app
        .search
        .selected_number()
        .is_none_or(|n| n.limitations.is_empty())
    {
        cmd(&mut app, Cmd::Down);
    }
    cmd(&mut app, Cmd::Open);
    snap("search_result", &app);
}
