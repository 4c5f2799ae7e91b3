//! A run cut short (issue 10, case 9): the engine's own bulk run, its future dropped part-way
//! as a quit or a crash leaves it (its plan journaled, some changes done, some maybe at
//! `intent`, the rest never sent); then reconciled and the rest resumed, from the CLI
//! (`history --reconcile --resume`) and from the TUI (offered at start).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::common::tui::Headless;
use crate::common::{self, Auth, Cli, MAIN_KEY, TempDir};
use switchboard::api::{Change, NumberChange, OwnedFilter};
use switchboard::bulk::{Progress, StopFlag, Target};
use switchboard::changes::reconcile;
use switchboard::journal::Journal;
use switchboard::sandbox::{Sandbox, SandboxConfig};
use switchboard::tui::{Io, keymap::Keymap};

pub const URL: &str = "https://hooks.example.com/resumed";

/// A sandbox of `owned` numbers answering each request after 50 ms.
pub async fn slow_sandbox(owned: usize, seed: u64) -> Sandbox {
    common::start(SandboxConfig {
        owned,
        seed,
        latency: Duration::from_millis(50),
        ..SandboxConfig::default()
    })
    .await
}

pub fn journal_of(sb: &Sandbox, data: &Path) -> Arc<Journal> {
    let path = data.join(switchboard::journal::file_name(MAIN_KEY, &sb.base_url()));
    Arc::new(Journal::open(&path).unwrap())
}

pub fn change() -> NumberChange {
    NumberChange {
        mo_http_url: Change::Set(URL.into()),
        ..NumberChange::default()
    }
}

/// Every number the sandbox's main account owns, as targets.
pub async fn targets(sb: &Sandbox) -> Vec<Target> {
    let c = common::client(sb);
    common::all_owned(&c)
        .await
        .into_iter()
        .map(|n| Target::new(n.country.unwrap().to_string(), n.msisdn.unwrap()))
        .collect()
}

/// Starts a bulk update of every number and drops it once `after` numbers are done (its
/// tasks are aborted mid-request, as a quit would leave them). Returns the run's batch.
pub async fn cut_short(sb: &Sandbox, data: &Path, after: usize) -> u64 {
    let journal = journal_of(sb, data);
    let c = common::client(sb);
    let (tx, mut rx) = tokio::sync::watch::channel(Progress::default());
    let targets = targets(sb).await;
    let change = change();
    let known = HashMap::new();
    let stop = StopFlag::pausable();
    let filter = OwnedFilter::default();
    let run = switchboard::bulk::update_listed(
        &c,
        Some(journal.clone()),
        None,
        &filter,
        targets,
        &change,
        &known,
        &stop,
        move |p| {
            let _ = tx.send(p);
        },
    );
    // Cut while changes are in flight, so some are left at `intent`.
    tokio::select! {
        _ = run => panic!("the run ended before it was cut short"),
        _ = rx.wait_for(|p| p.done >= after && p.finishing >= 2) => {}
    }
    // The run's tasks are aborted at their next await; one may be finishing a line meanwhile.
    tokio::time::sleep(Duration::from_millis(200)).await;
    // What the journal holds now is all a crash leaves: the batch of its entries.
    let entries = journal.read().unwrap().entries;
    entries.iter().find_map(|e| e.batch).expect("a batch")
}

fn cli(sb: &Sandbox, data: &Path, args: &[&str]) -> Cli {
    Cli::against(sb, Auth::Env)
        .env("SWITCHBOARD_DATA_DIR", data.to_str().unwrap())
        .args(args)
}

/// The sandbox's numbers that do not have the run's new SMS webhook.
pub fn not_changed(sb: &Sandbox, targets: &[Target]) -> Vec<String> {
    targets
        .iter()
        .filter(|t| {
            sb.owned_number(MAIN_KEY, &t.msisdn)
                .and_then(|n| n.mo_http_url)
                .as_deref()
                != Some(URL)
        })
        .map(|t| t.msisdn.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn history_reconcile_resume_does_the_rest_of_a_run_cut_short() {
    let sb = slow_sandbox(40, 111).await;
    let data = TempDir::new("changes-resume");
    let all = targets(&sb).await;
    let before: Vec<_> = all
        .iter()
        .map(|t| sb.owned_number(MAIN_KEY, &t.msisdn).unwrap())
        .collect();
    let batch = cut_short(&sb, data.path(), 5).await;
    let left = not_changed(&sb, &all);
    assert!(!left.is_empty(), "the run was cut short before its end");

    // The offer, in plain `history`.
    let run = cli(&sb, data.path(), &["history"]).run().await;
    run.expect_code(0);
    // Without --yes and no terminal to ask on: refused, nothing sent.
    let run = cli(&sb, data.path(), &["history", "--reconcile", "--resume"])
        .run()
        .await;
    assert_ne!(run.code, 0, "{run:#?}");
    assert_eq!(not_changed(&sb, &all), left, "nothing sent unconfirmed");

    let run = cli(
        &sb,
        data.path(),
        &["history", "--reconcile", "--resume", "--yes", "--json"],
    )
    .run()
    .await;
    run.expect_code(0);
    assert!(run.stderr.contains(&format!("run #{batch}")), "{run:#?}");
    let report = run.json();
    assert_eq!(report["batch"], batch, "{run:#?}");
    // Only what was left is sent: numbers changed before the cut are not in the report.
    let resumed: Vec<String> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["msisdn"].as_str().unwrap().to_string())
        .collect();
    assert!(
        resumed.iter().all(|m| left.contains(m)),
        "resumed {resumed:?}, left {left:?}"
    );
    assert_eq!(not_changed(&sb, &all), Vec::<String>::new(), "{run:#?}");

    // The journal: nothing left at intent, every number done once in the one batch.
    let run = cli(&sb, data.path(), &["history", "--json", "--limit", "1000"])
        .run()
        .await;
    run.expect_code(0);
    let entries = run.json();
    let entries = entries.as_array().unwrap();
    assert!(entries.iter().all(|e| e["status"] != "intent"), "{run:#?}");
    for t in &all {
        let done = entries
            .iter()
            .filter(|e| e["msisdn"] == t.msisdn.as_str() && e["status"] == "done")
            .count();
        assert_eq!(done, 1, "{} done once: {run:#?}", t.msisdn);
        assert!(
            entries
                .iter()
                .filter(|e| e["msisdn"] == t.msisdn.as_str())
                .all(|e| e["batch"] == batch)
        );
    }
    // Nothing more to resume.
    let run = cli(
        &sb,
        data.path(),
        &["history", "--reconcile", "--resume", "--yes"],
    )
    .run()
    .await;
    run.expect_code(9);
    // One undo puts the whole run back, both parts.
    cli(&sb, data.path(), &["undo", &batch.to_string(), "--yes"])
        .run()
        .await
        .expect_code(0);
    for (t, b) in all.iter().zip(&before) {
        assert_eq!(
            sb.owned_number(MAIN_KEY, &t.msisdn).unwrap().mo_http_url,
            b.mo_http_url
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tui_offers_to_reconcile_then_resume_a_run_cut_short() {
    let sb = slow_sandbox(40, 112).await;
    let data = TempDir::new("changes-resume-tui");
    let all = targets(&sb).await;
    let batch = cut_short(&sb, data.path(), 5).await;
    let left = not_changed(&sb, &all);
    assert!(!left.is_empty(), "the run was cut short before its end");
    let journal = journal_of(&sb, data.path());
    let intents = reconcile::unsettled(&journal).unwrap().entries.len();
    assert!(intents > 0, "the run was cut with changes in flight");

    let io = Io {
        journal: Some(journal.clone()),
        ..Io::default()
    };
    let client = common::client(&sb);
    let mut ui = Headless::start_io(client, 120, 40, Keymap::default(), io, |_| {});
    // The offer to reconcile, Later focused: Enter leaves it.
    ui.wait("the offer to reconcile", |s| {
        s.screen_text().contains("A run was cut short")
    })
    .await;
    let screen = ui.now().screen_text();
    assert!(
        screen.contains(&format!("{intents} change")) && screen.contains("Reconcile"),
        "{screen}"
    );
    ui.ch('y');
    ui.wait("the offer to resume", |s| {
        s.screen_text().contains("Resume the run?")
    })
    .await;
    // The intents were settled: none left.
    assert_eq!(reconcile::unsettled(&journal).unwrap().entries.len(), 0);
    let screen = ui.now().screen_text();
    assert!(
        screen.contains(&format!("Run #{batch}")) && screen.contains(URL),
        "{screen}"
    );
    ui.ch('y');
    ui.wait("the resumed run's end", |s| {
        s.toast
            .as_deref()
            .is_some_and(|t| t.contains(" ok, 0 failed"))
    })
    .await;
    assert_eq!(not_changed(&sb, &all), Vec::<String>::new());
    // Journaled in the run's batch, nothing at intent, nothing more to resume.
    let contents = journal.read().unwrap();
    assert!(
        contents
            .entries
            .iter()
            .all(|e| e.batch == Some(batch) && e.status != switchboard::journal::Status::Intent),
        "{:#?}",
        contents.entries
    );
    assert_eq!(reconcile::cut_short_run(&journal).unwrap(), None);
    ui.finish().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_cut_short_offered_at_start_and_declined_sends_nothing() {
    let sb = slow_sandbox(30, 113).await;
    let data = TempDir::new("changes-resume-later");
    let all = targets(&sb).await;
    cut_short(&sb, data.path(), 5).await;
    let left = not_changed(&sb, &all);
    let journal = journal_of(&sb, data.path());
    let io = Io {
        journal: Some(journal.clone()),
        ..Io::default()
    };
    let mut ui = Headless::start_io(common::client(&sb), 120, 40, Keymap::default(), io, |_| {});
    ui.wait("the offer to reconcile", |s| {
        s.screen_text().contains("A run was cut short")
    })
    .await;
    // Enter on the focused "Later": closed, nothing read or sent, asked again next time.
    ui.key(ratatui::crossterm::event::KeyCode::Enter);
    ui.wait("the offer closed", |s| {
        !s.screen_text().contains("A run was cut short")
    })
    .await;
    ui.idle().await;
    assert!(!reconcile::unsettled(&journal).unwrap().entries.is_empty());
    assert_eq!(not_changed(&sb, &all), left);
    ui.finish().await.unwrap();
}
