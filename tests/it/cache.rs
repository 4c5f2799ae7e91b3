//! The cache through the real event loop (headless, against a sandbox over loopback): each
//! complete owned list is written to disk; a list narrowed by the API's own filters is not; the
//! session's own changes are kept when it ends.

use std::time::Duration;

use crate::common::tui::Headless;
use crate::common::{MAIN_KEY, TempDir, wait};
use ratatui::crossterm::event::KeyCode;
use switchboard::cache::Cache;
use switchboard::tui::{Io, keymap::Keymap, run::keep_changes};

/// The loop with `cache` (and the rest of `Io` as `drive` has it).
fn with_cache(cache: &Cache) -> Io {
    Io {
        cache: Some(cache.clone()),
        ..Io::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complete_lists_are_kept_and_filtered_ones_are_not() {
    let sb = crate::common::sandbox(150, 41).await;
    let client = crate::common::client(&sb);
    let dir = TempDir::new("cache-loop");
    let cache = Cache::for_account(dir.path(), MAIN_KEY, &sb.base_url());
    let mut ui = Headless::start_io(
        client,
        100,
        30,
        Keymap::default(),
        with_cache(&cache),
        |_| {},
    );

    wait::until_async("the cache file", 20, || cache.path().exists()).await;
    let kept = cache
        .load(std::time::SystemTime::now())
        .expect("a readable cache");
    assert_eq!(kept.numbers.len(), 150);
    assert!(kept.age < Duration::from_secs(5));
    let all = crate::common::all_owned(&crate::common::client(&sb)).await;
    let mut expected: Vec<_> = all.iter().map(|n| n.msisdn.clone()).collect();
    let mut got: Vec<_> = kept.numbers.iter().map(|n| n.msisdn.clone()).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "the account's whole list");
    let written = std::fs::metadata(cache.path()).unwrap().modified().unwrap();

    // The API's own filter (country GB): a partial list, never kept as the account's list.
    ui.ch('f');
    ui.text("GB");
    ui.key(KeyCode::Enter);
    ui.wait("the filtered list", |s| {
        !s.owned.is_empty() && s.owned.len() < 150 && s.busy == 0
    })
    .await;
    // The write would follow the reply at once; give it ample time to (not) happen.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        std::fs::metadata(cache.path()).unwrap().modified().unwrap(),
        written
    );
    assert_eq!(
        cache
            .load(std::time::SystemTime::now())
            .unwrap()
            .numbers
            .len(),
        150
    );

    ui.ch('q');
    ui.ends("the loop ends after q").await.result.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sessions_changes_are_kept_when_it_ends() {
    let sb = crate::common::sandbox(40, 43).await;
    let client = crate::common::client(&sb);
    let dir = TempDir::new("cache-changes");
    let cache = Cache::for_account(dir.path(), MAIN_KEY, &sb.base_url());
    let mut ui = Headless::start_io(
        client,
        100,
        30,
        Keymap::default(),
        with_cache(&cache),
        |app| app.wall = Some((std::time::Instant::now(), std::time::SystemTime::now())),
    );
    ui.wait("the list", |s| s.owned.len() == 40 && s.busy == 0)
        .await;
    wait::until_async("the cache file", 20, || cache.path().exists()).await;
    let first = ui.now().selected.expect("a selected number");

    // Change the first number's SMS webhook (the sandbox accepts non-loopback hosts).
    let url = "https://kept.example.com/in";
    ui.ch('e');
    ui.key(KeyCode::Tab);
    ui.ctrl('u');
    ui.text(url);
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Enter);
    // (The webhook check's own message may follow the save's: watch the sandbox.)
    let saved = || {
        sb.owned_number(MAIN_KEY, &first)
            .and_then(|n| n.mo_http_url)
            .as_deref()
            == Some(url)
    };
    wait::until_async("the update in the sandbox", 20, saved).await;
    ui.wait("nothing in flight", |s| s.busy == 0).await;
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Esc);
    ui.ch('q');
    let ended = ui.ends("the loop ends after q").await;
    ended.result.unwrap();
    let app = ended.app;
    let msisdn = first;
    let before = cache.load(std::time::SystemTime::now()).unwrap();
    let old = before
        .numbers
        .iter()
        .find(|n| n.msisdn.as_deref() == Some(&msisdn));
    assert_ne!(old.and_then(|n| n.mo_http_url.as_deref()), Some(url));

    assert!(keep_changes(&cache, &app));
    let after = cache.load(std::time::SystemTime::now()).unwrap();
    let kept = after
        .numbers
        .iter()
        .find(|n| n.msisdn.as_deref() == Some(&msisdn))
        .unwrap();
    assert_eq!(kept.mo_http_url.as_deref(), Some(url));
    assert_eq!(after.numbers.len(), 40);
    assert!(
        after.age <= before.age + Duration::from_secs(1),
        "stamped with the load's time, not now"
    );
}
