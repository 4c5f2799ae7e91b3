//! The cache through the real event loop (headless, against a sandbox over loopback): each
//! complete owned list is written to disk; a list narrowed by the API's own filters is not; the
//! session's own changes are kept when it ends.

use std::time::Duration;

use crate::common::{MAIN_KEY, TempDir, wait};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use switchboard::app::App;
use switchboard::cache::Cache;
use switchboard::tui::{Io, drive_with, keymap::Keymap, run::keep_changes, theme::Theme};
use tokio::sync::{mpsc, watch};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complete_lists_are_kept_and_filtered_ones_are_not() {
    let sb = crate::common::sandbox(150, 41).await;
    let client = crate::common::client(&sb);
    let dir = TempDir::new("cache-loop");
    let cache = Cache::for_account(dir.path(), MAIN_KEY, &sb.base_url());
    let mut app = crate::common::app_for(&sb, std::time::Instant::now());
    let (tx, mut events) = mpsc::unbounded_channel();
    let (seen_tx, seen) = watch::channel((0usize, 0usize));
    let io = Io {
        journal: None,
        cache: Some(cache.clone()),
        copy: Box::new(|_| {}),
    };
    let ui = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        drive_with(
            &mut terminal,
            &mut events,
            &mut app,
            client,
            (&Keymap::default(), &Theme::new(true)),
            io,
            |a: &App| {
                let _ = seen_tx.send((a.owned.numbers.len(), a.busy()));
            },
        )
        .await
    });

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
    tx.send(crate::common::key(KeyCode::Char('f'))).unwrap();
    for c in "GB".chars() {
        tx.send(crate::common::key(KeyCode::Char(c))).unwrap();
    }
    tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    let mut seen2 = seen.clone();
    tokio::time::timeout(
        Duration::from_secs(20),
        seen2.wait_for(|(n, busy)| *n > 0 && *n < 150 && *busy == 0),
    )
    .await
    .expect("the filtered list")
    .unwrap();
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

    tx.send(crate::common::key(KeyCode::Char('q'))).unwrap();
    tokio::time::timeout(Duration::from_secs(10), ui)
        .await
        .expect("the loop ends after q")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sessions_changes_are_kept_when_it_ends() {
    let sb = crate::common::sandbox(40, 43).await;
    let client = crate::common::client(&sb);
    let dir = TempDir::new("cache-changes");
    let cache = Cache::for_account(dir.path(), MAIN_KEY, &sb.base_url());
    let now = std::time::Instant::now();
    let mut app = crate::common::app_for(&sb, now);
    app.wall = Some((now, std::time::SystemTime::now()));
    let (tx, mut events) = mpsc::unbounded_channel();
    let (seen_tx, mut seen) = watch::channel((0usize, 0usize, None::<String>, None::<String>));
    let io = Io {
        journal: None,
        cache: Some(cache.clone()),
        copy: Box::new(|_| {}),
    };
    let ui = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let r = drive_with(
            &mut terminal,
            &mut events,
            &mut app,
            client,
            (&Keymap::default(), &Theme::new(true)),
            io,
            |a: &App| {
                let msg = a.messages.current().map(|t| t.text.clone());
                let sel = a.owned.selected_msisdn();
                let _ = seen_tx.send((a.owned.numbers.len(), a.busy(), msg, sel));
            },
        )
        .await;
        (r, app)
    });
    tokio::time::timeout(
        Duration::from_secs(20),
        seen.wait_for(|(n, busy, _, _)| *n == 40 && *busy == 0),
    )
    .await
    .expect("the list")
    .unwrap();
    wait::until_async("the cache file", 20, || cache.path().exists()).await;
    let first = seen.borrow().3.clone().expect("a selected number");

    // Change the first number's SMS webhook (the sandbox accepts non-loopback hosts).
    let url = "https://kept.example.com/in";
    tx.send(crate::common::key(KeyCode::Char('e'))).unwrap();
    tx.send(crate::common::key(KeyCode::Tab)).unwrap();
    tx.send(crate::common::ctrl('u')).unwrap();
    for c in url.chars() {
        tx.send(crate::common::key(KeyCode::Char(c))).unwrap();
    }
    tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    tx.send(crate::common::key(KeyCode::Tab)).unwrap();
    tx.send(crate::common::key(KeyCode::Enter)).unwrap();
    // (The webhook check's own message may follow the save's: watch the sandbox.)
    let saved = || {
        sb.owned_number(MAIN_KEY, &first)
            .and_then(|n| n.mo_http_url)
            .as_deref()
            == Some(url)
    };
    wait::until_async("the update in the sandbox", 20, saved).await;
    tokio::time::timeout(
        Duration::from_secs(20),
        seen.wait_for(|(_, busy, _, _)| *busy == 0),
    )
    .await
    .expect("nothing in flight")
    .unwrap();
    tx.send(crate::common::key(KeyCode::Esc)).unwrap();
    tx.send(crate::common::key(KeyCode::Esc)).unwrap();
    tx.send(crate::common::key(KeyCode::Char('q'))).unwrap();
    let (result, app) = tokio::time::timeout(Duration::from_secs(10), ui)
        .await
        .expect("the loop ends after q")
        .unwrap();
    result.unwrap();
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
