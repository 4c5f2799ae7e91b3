//! State tests of the Search pane: paging to the last page whatever the page size, sorting
//! the page, a result opened whole and bought from there.

use crate::api::{AvailableNumber, Feature, Limitation, NumberType, Page, Settled};
use crate::app::*;

use super::{cmd, loaded, only_request, three, type_text};

fn available(i: usize, cost: &str, setup: &str) -> AvailableNumber {
    AvailableNumber {
        country: Some("GB".into()),
        msisdn: Some(format!("4477009{i:05}")),
        number_type: Some(NumberType::MobileLvn),
        cost: Some(cost.into()),
        initial_price: Some(setup.into()),
        features: vec![Feature::Sms],
        limitations: vec![
            Limitation {
                feature: Some("SMS".into()),
                kind: Some("OUTBOUND".into()),
                reach: Some("INTERNATIONAL".into()),
            },
            Limitation {
                feature: Some("VOICE".into()),
                kind: Some("INBOUND".into()),
                reach: Some("NATIONAL".into()),
            },
        ],
    }
}

/// A search answered with `numbers`, of `count` in all.
fn searched(a: &mut App, numbers: Vec<AvailableNumber>, count: u64) {
    cmd(a, Cmd::ShowSearch);
    if !a.search_form_open() {
        cmd(a, Cmd::EditSearch);
    }
    a.search.form.focus = 0;
    a.update(Action::Edit(tui_input::InputRequest::DeleteLine));
    type_text(a, "GB");
    let (id, _) = only_request(&cmd(a, Cmd::Submit));
    a.update(Action::Reply {
        id,
        reply: Reply::Searched(Ok(Page { count, numbers })),
    });
}

fn page_index(effects: &[Effect]) -> u32 {
    let (_, req) = only_request(effects);
    let Request::Search(q) = req else {
        panic!("{req:?}")
    };
    q.index
}

#[test]
fn paging_reaches_the_last_page_whatever_the_page_size() {
    let mut a = loaded(three());
    a.search.page_size = 5;
    searched(&mut a, vec![available(1, "1.00", "0.50")], 2000);
    assert_eq!(a.search.pages(), 400);
    // Jump to page 100: the next is 101 (it stopped there with 20 a page assumed).
    if let Some(q) = &mut a.search.query {
        q.index = 100;
    }
    assert_eq!(page_index(&cmd(&mut a, Cmd::NextPage)), 101);
    if let Some(q) = &mut a.search.query {
        q.index = 400;
    }
    // The last page says so, and sends nothing.
    assert!(cmd(&mut a, Cmd::NextPage).is_empty());
    let said = a.messages.current().unwrap().text.clone();
    assert!(said.contains("page 400 is the last page"), "{said}");
}

#[test]
fn results_sort_by_cost_setup_fee_or_number_keeping_the_selection() {
    let mut a = loaded(three());
    searched(
        &mut a,
        vec![
            available(3, "2.00", "0.10"),
            available(1, "0.50", "3.00"),
            available(2, "1.25", "1.00"),
        ],
        3,
    );
    let order = |a: &App| -> Vec<String> {
        let page = a.search.results.as_ref().unwrap();
        page.numbers
            .iter()
            .filter_map(|n| n.msisdn.clone())
            .collect()
    };
    let m = |i: usize| format!("4477009{i:05}");
    cmd(&mut a, Cmd::SortNext);
    assert_eq!(a.search.sort, search::ResultSort::Cost);
    assert_eq!(order(&a), vec![m(1), m(2), m(3)]);
    cmd(&mut a, Cmd::Top);
    cmd(&mut a, Cmd::Down);
    cmd(&mut a, Cmd::SortNext);
    assert_eq!(a.search.sort, search::ResultSort::SetupFee);
    assert_eq!(order(&a), vec![m(3), m(2), m(1)]);
    assert_eq!(
        a.search.selected_number().unwrap().msisdn,
        Some(m(2)),
        "the selection stays on its number"
    );
    cmd(&mut a, Cmd::SortNext);
    assert_eq!(order(&a), vec![m(1), m(2), m(3)]);
    cmd(&mut a, Cmd::SortReverse);
    assert_eq!(order(&a), vec![m(3), m(2), m(1)]);
}

#[test]
fn enter_opens_a_result_whole_and_b_buys_it_from_there() {
    let mut a = loaded(three());
    searched(&mut a, vec![available(1, "1.00", "0.50")], 1);
    cmd(&mut a, Cmd::Open);
    assert_eq!(a.context(), Context::SearchResult);
    let Some(Layer::Result(r)) = a.screen.top() else {
        panic!("no result layer")
    };
    assert_eq!(r.number.limitations.len(), 2, "all its limitations");
    cmd(&mut a, Cmd::Buy);
    assert!(matches!(a.dialog(), Some(Dialog::Buy { .. })));
    let (id, req) = only_request(&cmd(&mut a, Cmd::Yes));
    assert!(matches!(req, Request::Buy(_)), "{req:?}");
    a.update(Action::Reply {
        id,
        reply: Reply::Bought(Ok(Settled {
            recovered_from: None,
            already: false,
        })),
    });
    assert_eq!(
        a.context(),
        Context::SearchResults,
        "the bought number's view closes: it is no longer available"
    );
    // Esc from a result goes back to the results.
    searched(&mut a, vec![available(2, "1.00", "0.50")], 1);
    cmd(&mut a, Cmd::Open);
    cmd(&mut a, Cmd::Back);
    assert_eq!(a.context(), Context::SearchResults);
}
