//! Issue 13 in the TUI, against the sandbox over loopback: the APPLICATION column shows the
//! application's name (two seeded apps share one, told apart by an id suffix) and filters by
//! it; the balance is in the header and in the buy confirmation, and is read again after a buy.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use crate::common::tui::{Headless, Seen};
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Client, ClientConfig, OwnedFilter, SearchQuery};
use switchboard::app::Context;
use switchboard::sandbox::{Sandbox, SandboxConfig};

fn client(sb: &Sandbox) -> Client {
    crate::common::client_with(
        sb,
        ClientConfig {
            timeout: Duration::from_secs(5),
            ..ClientConfig::default()
        },
    )
}

/// The header row of the screen.
fn header(s: &Seen) -> &str {
    s.screen.first().map(String::as_str).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_column_shows_names_and_the_filter_finds_numbers_by_them() {
    let sb = crate::common::sandbox(40, 1313).await;
    let c = client(&sb);
    let apps = c.applications().await.expect("applications");
    let numbers = c.list_all(&OwnedFilter::default(), |_| {}).await.unwrap();
    let shared: Vec<&str> = apps
        .iter()
        .filter(|a| a.name == "Support line")
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(shared.len(), 2, "the sandbox seeds two apps sharing a name");
    let on_support: BTreeSet<String> = numbers
        .iter()
        .filter(|n| n.app_id.as_deref().is_some_and(|id| shared.contains(&id)))
        .filter_map(|n| n.msisdn.clone())
        .collect();
    assert!(
        !on_support.is_empty(),
        "some numbers link to a Support line"
    );

    let mut ui = Headless::start(c, 160, 50);
    let seen = ui
        .wait("the names in the table", |s| {
            s.loaded && s.busy == 0 && s.screen_text().contains("Support line (")
        })
        .await;
    let table = seen.screen[1..].join("\n");
    for id in &shared {
        let linked = numbers.iter().any(|n| {
            n.app_id.as_deref() == Some(*id)
                && seen.shown[..20].contains(n.msisdn.as_ref().unwrap())
        });
        if linked {
            assert!(
                table.contains(&format!("Support line ({})", &id[..8])),
                "{id} by its name and an id suffix:\n{table}"
            );
        }
    }
    for a in &apps {
        assert!(
            !table.contains(&a.id),
            "no bare id of a known app:\n{table}"
        );
    }

    ui.ch('/');
    ui.text("support line");
    let seen = ui
        .wait("the filter by name", |s| {
            s.context == Some(Context::OwnedFilter) && s.shown.len() < 40
        })
        .await;
    let shown: BTreeSet<String> = seen.shown.iter().cloned().collect();
    assert_eq!(
        shown, on_support,
        "the filter finds the numbers by their app's name"
    );
    ui.finish().await.unwrap();
}

/// Searches GB and selects the first result with a setup fee (the sandbox charges it with the
/// first month);
/// returns its msisdn, setup fee and monthly cost.
async fn select_one_with_a_fee(ui: &mut Headless, c: &Client) -> (String, f64, f64) {
    let mut q = SearchQuery::new("GB");
    q.size = 100;
    let prices: HashMap<String, (f64, f64)> = c
        .search(&q)
        .await
        .unwrap()
        .numbers
        .into_iter()
        .filter_map(|n| {
            let p = |v: Option<String>| v?.parse::<f64>().ok();
            Some((n.msisdn.clone()?, (p(n.initial_price)?, p(n.cost)?)))
        })
        .collect();
    ui.ch('2');
    ui.text("GB");
    ui.key(KeyCode::Enter);
    let seen = ui
        .wait("the search results", |s| s.results.is_some() && s.busy == 0)
        .await;
    let results = seen.results.unwrap();
    let (at, m) = results
        .iter()
        .enumerate()
        .find(|(_, m)| prices.get(*m).is_some_and(|p| p.0 > 0.0))
        .expect("a result with a setup fee");
    for _ in 0..at {
        ui.ch('j');
    }
    let (setup, monthly) = prices[m];
    (m.clone(), setup, monthly)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_balance_is_in_the_header_and_the_buy_confirmation_and_follows_a_buy() {
    let sb = crate::common::sandbox(5, 4242).await;
    let c = client(&sb);
    let key = sb.config().api_key.clone();
    let before = sb.credit(&key);
    let mut ui = Headless::start(c.clone(), 120, 40);
    ui.wait("the balance in the header", |s| {
        s.busy == 0 && header(s).contains(&format!("€{before:.2}"))
    })
    .await;

    let (m, setup, monthly) = select_one_with_a_fee(&mut ui, &c).await;
    ui.ch('b');
    let seen = ui
        .wait("the buy dialog", |s| s.context == Some(Context::Dialog))
        .await;
    let text = seen.screen_text();
    assert!(text.contains(&m), "{text}");
    assert!(
        text.contains(&format!("Balance now   EUR {before:.2}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("Setup + month EUR {:.2}", setup + monthly)),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Balance after EUR {:.2}",
            before - setup - monthly
        )),
        "{text}"
    );
    assert!(!text.contains("does not cover"), "{text}");

    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("the buy", |s| {
        s.toast
            .as_deref()
            .is_some_and(|t| t.contains(&format!("bought {m}")))
    })
    .await;
    let after = sb.credit(&key);
    assert!(
        after < before,
        "the sandbox charged the buy: {before} -> {after}"
    );
    ui.wait("the new balance in the header", |s| {
        s.busy == 0 && header(s).contains(&format!("€{after:.2}"))
    })
    .await;
    ui.finish().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buy_the_balance_does_not_cover_is_warned_with_the_safe_button_focused() {
    let sb = crate::common::start(SandboxConfig {
        owned: 3,
        seed: 77,
        credit_eur: 0.0,
        ..SandboxConfig::default()
    })
    .await;
    let c = client(&sb);
    let mut ui = Headless::start(c.clone(), 120, 40);
    ui.wait("the balance in the header", |s| {
        s.busy == 0 && header(s).contains("€0.00")
    })
    .await;
    let (m, ..) = select_one_with_a_fee(&mut ui, &c).await;
    ui.ch('b');
    let seen = ui
        .wait("the buy dialog", |s| s.context == Some(Context::Dialog))
        .await;
    let text = seen.screen_text();
    assert!(
        text.contains("The balance does not cover this buy"),
        "{text}"
    );
    // Enter acts on the focused button: the safe one.
    ui.key(KeyCode::Enter);
    ui.wait("the dialog closed", |s| {
        s.context == Some(Context::SearchResults)
    })
    .await;
    let owned = sb.owned_number(&sb.config().api_key, &m);
    assert!(owned.is_none(), "nothing was bought");
    ui.finish().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_edit_form_links_a_number_by_picking_its_application_by_name() {
    let sb = crate::common::sandbox(20, 2626).await;
    let c = client(&sb);
    let apps = c.applications().await.expect("applications");
    let mut ui = Headless::start(c, 160, 40);
    let seen = ui
        .wait("the list and the names", |s| {
            s.loaded && s.busy == 0 && s.screen_text().contains("Support line (")
        })
        .await;
    let m = seen.selected.clone().expect("a selected number");
    let key = sb.config().api_key.clone();
    let before = sb.owned_number(&key, &m).expect("owned");
    // An application with a name of its own, not the one the number links to now.
    let target = apps
        .iter()
        .filter(|a| apps.iter().filter(|b| b.name == a.name).count() == 1)
        .find(|a| before.app_id.as_deref() != Some(a.id.as_str()))
        .expect("an app to link to");

    ui.ch('e');
    ui.wait("the edit form", |s| s.context == Some(Context::Edit))
        .await;
    ui.key(KeyCode::F(2));
    ui.wait("the picker", |s| s.context == Some(Context::AppPicker))
        .await;
    ui.text(&target.name.to_lowercase());
    ui.key(KeyCode::Enter);
    let seen = ui
        .wait("the form again", |s| s.context == Some(Context::Edit))
        .await;
    assert!(
        seen.screen_text().contains(&target.id),
        "the id is in the field"
    );
    ui.key(KeyCode::Enter);
    ui.wait("the review", |s| s.context == Some(Context::Dialog))
        .await;
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    ui.wait("the save", |s| {
        s.busy == 0
            && s.toast
                .as_deref()
                .is_some_and(|t| t.contains(&format!("updated {m}")))
    })
    .await;
    let after = sb.owned_number(&key, &m).expect("owned");
    assert_eq!(
        after.app_id.as_deref(),
        Some(target.id.as_str()),
        "linked by picking"
    );
    assert_eq!(after.mo_http_url, before.mo_http_url, "the rest is kept");
    assert_eq!(after.voice_callback_value, before.voice_callback_value);
    ui.finish().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_the_applications_api_refuses_keeps_ids_and_is_told_once() {
    let sb = crate::common::sandbox(10, 99).await;
    // The Applications API's host refuses this key; the Numbers API (the sandbox) does not.
    let (refusing, hits) = crate::common::raw_server(
        "403 Forbidden",
        "Content-Type: application/problem+json\r\n".into(),
        r#"{"type":"https://developer.nexmo.com/api-errors#forbidden","title":"Forbidden","detail":"This key may not use the Applications API"}"#,
    )
    .await;
    let c = crate::common::client_with(
        &sb,
        ClientConfig {
            timeout: Duration::from_secs(5),
            api_host: Some(refusing),
            ..ClientConfig::default()
        },
    );
    let numbers = c.list_all(&OwnedFilter::default(), |_| {}).await.unwrap();
    let linked = numbers
        .iter()
        .find_map(|n| n.app_id.clone())
        .expect("a linked number");
    let mut ui = Headless::start(c, 160, 40);
    let told = |s: &Seen| {
        s.log
            .iter()
            .filter(|(_, t)| t.starts_with("applications unavailable"))
            .count()
    };
    ui.wait("the list and the refusal", |s| {
        s.loaded && s.busy == 0 && told(s) == 1
    })
    .await;
    for _ in 0..2 {
        let before = hits.load(std::sync::atomic::Ordering::SeqCst);
        ui.ch('r');
        ui.wait("a refresh", |s| {
            s.busy == 0 && hits.load(std::sync::atomic::Ordering::SeqCst) > before
        })
        .await;
    }
    let seen = ui.idle().await;
    assert_eq!(
        told(&seen),
        1,
        "said once, not on every refresh: {:?}",
        seen.log
    );
    let said = seen
        .log
        .iter()
        .find(|(_, t)| t.starts_with("applications unavailable"))
        .unwrap();
    assert!(said.1.contains("Applications API"), "{said:?}");
    assert_eq!(seen.owned.len(), 10, "the numbers work");
    let table = seen.screen[1..].join("\n");
    assert!(table.contains(&linked[..8]), "the id is shown:\n{table}");
    assert!(!table.contains("unknown"), "not marked unknown:\n{table}");
    ui.finish().await.unwrap();
}
