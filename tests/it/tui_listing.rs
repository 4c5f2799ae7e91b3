//! Owned lists that do not come whole in the TUI (issue 10, case 11): pages that shift while
//! listing, a `count` that lies. The app reads the list again, then keeps what arrived, marks
//! it not whole in the title and says so; never a shorter list in silence.

use crate::common::tui::{Headless, Seen};
use crate::common::{self, hits};
use switchboard::api::LIST_READS;
use switchboard::app::Level;
use switchboard::sandbox::Faults;

const LIST: &str = "/account/numbers";

/// The TUI started against 250 numbers listed with `faults`, once every load has ended.
async fn loaded_with(faults: Faults, seed: u64) -> (Seen, u64) {
    let sb = common::sandbox(250, seed).await;
    sb.set_faults(faults);
    let mut ui = Headless::start(common::client(&sb), 140, 30);
    let seen = ui
        .wait("the owned list loaded", |s| {
            s.loaded && s.busy == 0 && !s.owned.is_empty()
        })
        .await;
    let listed = hits(&sb, LIST);
    ui.finish().await.unwrap();
    (seen, listed)
}

fn warnings(seen: &Seen) -> Vec<&str> {
    seen.log
        .iter()
        .filter(|(l, _)| *l == Level::Warn)
        .map(|(_, t)| t.as_str())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tui_a_list_whose_pages_stay_shifted_is_read_again_then_marked_not_whole() {
    // Every read loses the number at page 1's edge: 249 of 250 arrive.
    let (seen, listed) = loaded_with(
        Faults {
            page_shift: 1,
            ..Faults::default()
        },
        131,
    )
    .await;
    assert_eq!(seen.owned.len(), 249, "what arrived is kept");
    assert!(
        listed >= 3 * u64::from(LIST_READS),
        "three pages, read {LIST_READS} times: {listed} requests"
    );
    assert!(
        warnings(&seen).iter().any(|w| w.contains(
            "249 of 250 numbers arrived: the list changed while it was read, or the server miscounts; r reads it again"
        )),
        "{:#?}",
        seen.log
    );
    assert!(
        seen.screen_text().contains("NOT WHOLE: 249 of 250 numbers"),
        "the title says so:\n{}",
        seen.screen_text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tui_a_count_that_lies_is_warned_and_marked_in_the_title() {
    let (seen, _) = loaded_with(
        Faults {
            count_lie: 1,
            ..Faults::default()
        },
        132,
    )
    .await;
    assert_eq!(seen.owned.len(), 250);
    assert!(
        warnings(&seen)
            .iter()
            .any(|w| w.starts_with("250 of 251 numbers arrived")),
        "{:#?}",
        seen.log
    );
    assert!(
        seen.screen_text().contains("NOT WHOLE: 250 of 251 numbers"),
        "{}",
        seen.screen_text()
    );
}
