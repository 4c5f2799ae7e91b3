//! The change engine through the real binary against a sandbox, with the journal in a temporary
//! `SWITCHBOARD_DATA_DIR`: every change made once, for the account it names, and journaled as
//! it really ended, whatever the server did to its answer (issue 10, cases 2 to 5).

use crate::common;

use std::path::Path;

use crate::common::{Auth, Cli, MAIN_KEY, SUB_KEY, TempDir};
use switchboard::sandbox::{Faults, Sandbox};

fn cli(sb: &Sandbox, data: &Path, args: &[&str]) -> Cli {
    Cli::against(sb, Auth::Env)
        .env("SWITCHBOARD_DATA_DIR", data.to_str().unwrap())
        .args(args)
}

/// The journal's entries, as `history --json` shows them.
async fn history(sb: &Sandbox, data: &Path) -> Vec<serde_json::Value> {
    let run = cli(sb, data, &["history", "--json", "--limit", "1000"])
        .run()
        .await;
    run.expect_code(0);
    run.json().as_array().expect("an array").clone()
}

/// Faults on one path only, at most `limit` of them.
fn on(path: &str, limit: u64, faults: Faults) -> Faults {
    Faults {
        path: Some(path.into()),
        limit: Some(limit),
        ..faults
    }
}

// Case 2: the journal records the account of every change; undo acts on that account only.
#[tokio::test(flavor = "multi_thread")]
async fn undo_acts_on_the_subaccount_the_change_was_made_for() {
    let sb = common::sandbox(20, 101).await;
    let data = TempDir::new("changes-sub");
    let (available, _) = common::available_and_owned(&sb).await;
    let n = available.as_str();
    let sub = ["--target-api-key", SUB_KEY, "--yes"];

    cli(&sb, data.path(), &[&["buy", "GB", n][..], &sub].concat())
        .run()
        .await
        .expect_code(0);
    assert!(sb.owned_number(SUB_KEY, n).is_some(), "bought for the sub");
    // Undo of the subaccount's buy cancels it there (it is not "not owned any more").
    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    run.expect_code(0);
    assert!(sb.owned_number(SUB_KEY, n).is_none(), "{run:#?}");
    assert!(sb.owned_number(MAIN_KEY, n).is_none(), "{run:#?}");

    cli(&sb, data.path(), &[&["buy", "GB", n][..], &sub].concat())
        .run()
        .await
        .expect_code(0);
    cli(&sb, data.path(), &[&["cancel", "GB", n][..], &sub].concat())
        .run()
        .await
        .expect_code(0);
    assert!(sb.owned_number(SUB_KEY, n).is_none());
    // Undo of the cancel buys it back into the subaccount, not into the main account.
    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    run.expect_code(0);
    assert!(sb.owned_number(SUB_KEY, n).is_some(), "{run:#?}");
    assert!(sb.owned_number(MAIN_KEY, n).is_none(), "{run:#?}");

    let entries = history(&sb, data.path()).await;
    assert!(
        entries.iter().all(|e| e["account"] == SUB_KEY),
        "every change names its account: {entries:#?}"
    );
    let run = cli(&sb, data.path(), &["history"]).run().await;
    run.expect_code(0);
    assert!(run.stdout.contains(SUB_KEY), "{run:#?}");
}

// Case 3: a buy of a number owned already, whose answer is lost, is "already so", never undone.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_buy_of_a_number_owned_already_is_already_so_and_never_undone() {
    for fault in [
        Faults {
            rate_500: 1.0,
            ..Faults::default()
        },
        Faults {
            rate_empty: 1.0,
            ..Faults::default()
        },
    ] {
        let sb = common::sandbox(20, 102).await;
        let data = TempDir::new("changes-already-buy");
        let (_, (country, owned)) = common::available_and_owned(&sb).await;
        sb.set_faults(on("/number/buy", 1, fault.clone()));
        let run = cli(&sb, data.path(), &["buy", &country, &owned, "--yes"])
            .run()
            .await;
        run.expect_code(0);
        assert!(run.stdout.contains("already"), "{fault:?}: {run:#?}");
        assert!(!run.stdout.contains("bought "), "{fault:?}: {run:#?}");
        let entries = history(&sb, data.path()).await;
        assert_eq!(entries.len(), 1, "{entries:#?}");
        assert_eq!(entries[0]["status"], "already", "{entries:#?}");
        let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
        run.expect_code(9); // nothing to undo (README: exit codes)
        assert!(run.stderr.contains("nothing to undo"), "{run:#?}");
        assert!(sb.owned_number(MAIN_KEY, &owned).is_some(), "still owned");
        assert_eq!(common::hits(&sb, "/number/cancel"), 0);
    }
}

// Case 3: a cancel of a number not owned, answer lost: "already so", and undo buys nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_cancel_of_a_number_not_owned_is_already_so_and_undo_buys_nothing() {
    let sb = common::sandbox(20, 103).await;
    let data = TempDir::new("changes-already-cancel");
    let (available, _) = common::available_and_owned(&sb).await;
    sb.set_faults(on(
        "/number/cancel",
        1,
        Faults {
            rate_empty: 1.0,
            ..Faults::default()
        },
    ));
    let run = cli(&sb, data.path(), &["cancel", "GB", &available, "--yes"])
        .run()
        .await;
    run.expect_code(0);
    assert!(run.stdout.contains("already"), "{run:#?}");
    let entries = history(&sb, data.path()).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["status"], "already", "{entries:#?}");
    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    run.expect_code(9); // nothing to undo (README: exit codes)
    assert_eq!(common::hits(&sb, "/number/buy"), 0, "{run:#?}");
    assert!(sb.is_available("GB", &available));
}

// Case 4: an update that landed, whose answer was lost and whose retry was refused, is read
// back: reported done, journaled done, and undone by undo.
#[tokio::test(flavor = "multi_thread")]
async fn an_update_that_landed_then_had_its_retry_refused_is_read_back() {
    let sb = common::sandbox(20, 104).await;
    let data = TempDir::new("changes-update-lost");
    let (_, (country, owned)) = common::available_and_owned(&sb).await;
    let before = sb.owned_number(MAIN_KEY, &owned).unwrap();
    let url = "https://hooks.example.com/landed";
    // The first update is carried out and its answer replaced by a 500; the retry gets 420.
    sb.set_faults(Faults {
        rate_500: 1.0,
        after_change: true,
        then: Some(Box::new(on(
            "/number/update",
            1,
            Faults {
                rate_420: 1.0,
                ..Faults::default()
            },
        ))),
        ..on("/number/update", 1, Faults::default())
    });
    let run = cli(
        &sb,
        data.path(),
        &["update", &country, &owned, "--sms-url", url, "--json"],
    )
    .run()
    .await;
    assert_eq!(common::hits(&sb, "/number/update"), 2, "sent, then retried");
    assert_eq!(
        sb.owned_number(MAIN_KEY, &owned)
            .unwrap()
            .mo_http_url
            .as_deref(),
        Some(url)
    );
    run.expect_code(0);
    let entries = history(&sb, data.path()).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["status"], "done", "{entries:#?}");
    cli(&sb, data.path(), &["undo", "--yes"])
        .run()
        .await
        .expect_code(0);
    assert_eq!(sb.owned_number(MAIN_KEY, &owned).unwrap(), before);
}

// Case 5: a 503 after a buy or cancel was carried out is re-checked, not taken as "not done".
#[tokio::test(flavor = "multi_thread")]
async fn a_503_after_a_buy_or_cancel_is_rechecked() {
    let sb = common::sandbox(20, 105).await;
    let data = TempDir::new("changes-503");
    let (available, _) = common::available_and_owned(&sb).await;
    let n = available.as_str();
    let after_503 = |path: &str| Faults {
        rate_503: 1.0,
        after_change: true,
        ..on(path, 1, Faults::default())
    };

    sb.set_faults(after_503("/number/buy"));
    let run = cli(&sb, data.path(), &["buy", "GB", n, "--yes"])
        .run()
        .await;
    assert!(sb.owned_number(MAIN_KEY, n).is_some(), "the buy happened");
    run.expect_code(0);
    assert!(run.stdout.contains("bought"), "{run:#?}");

    sb.set_faults(after_503("/number/cancel"));
    let run = cli(&sb, data.path(), &["cancel", "GB", n, "--yes"])
        .run()
        .await;
    assert!(
        sb.owned_number(MAIN_KEY, n).is_none(),
        "the cancel happened"
    );
    run.expect_code(0);
    assert!(run.stdout.contains("cancelled"), "{run:#?}");

    let entries = history(&sb, data.path()).await;
    let statuses: Vec<_> = entries.iter().map(|e| e["status"].clone()).collect();
    assert_eq!(statuses, ["done", "done"], "{entries:#?}");
    // Undo of the cancel buys it back: the journal holds the truth.
    cli(&sb, data.path(), &["undo", "--yes"])
        .run()
        .await
        .expect_code(0);
    assert!(sb.owned_number(MAIN_KEY, n).is_some());
}

// Case 12: the embedded sandbox keeps its numbers and its journal across runs (per seed and
// size) in the data directory, and `--sandbox-fresh` starts it afresh.
#[tokio::test(flavor = "multi_thread")]
async fn the_embedded_sandbox_keeps_its_numbers_and_journal_across_runs() {
    let data = TempDir::new("changes-embedded");
    let url = "https://hooks.example.com/embedded";
    let sb = |args: &[&str]| {
        Cli::new()
            .env("SWITCHBOARD_DATA_DIR", data.path().to_str().unwrap())
            .args(["--sandbox", "--sandbox-owned", "30"])
            .args(args)
    };
    let listed = sb(&["list", "--json"]).run().await;
    listed.expect_code(0);
    let first = listed.json()["numbers"][0].clone();
    let (country, msisdn) = (
        first["country"].as_str().unwrap().to_string(),
        first["msisdn"].as_str().unwrap().to_string(),
    );
    let sms = |listing: &serde_json::Value| {
        listing["numbers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["msisdn"] == msisdn.as_str())
            .map(|n| n["moHttpUrl"].clone())
    };
    let before = sms(&listed.json());
    sb(&["update", &country, &msisdn, "--sms-url", url])
        .run()
        .await
        .expect_code(0);

    // A new process, a new port: the same numbers, the same journal.
    let listed = sb(&["list", "--json"]).run().await;
    assert_eq!(sms(&listed.json()), Some(url.into()), "{listed:#?}");
    let history = sb(&["history", "--json"]).run().await;
    history.expect_code(0);
    assert_eq!(history.json().as_array().unwrap().len(), 1, "{history:#?}");
    sb(&["undo", "--yes"]).run().await.expect_code(0);
    let listed = sb(&["list", "--json"]).run().await;
    assert_eq!(sms(&listed.json()), before, "undone");

    // Afresh: the seeded numbers, an empty journal.
    sb(&["update", &country, &msisdn, "--sms-url", url])
        .run()
        .await
        .expect_code(0);
    let history = sb(&["--sandbox-fresh", "history", "--json"]).run().await;
    history.expect_code(0);
    assert_eq!(history.json().as_array().unwrap().len(), 0, "{history:#?}");
    let listed = sb(&["list", "--json"]).run().await;
    assert_eq!(sms(&listed.json()), before, "seeded again");
}

// Case 9: a run cut short leaves intents; `history` says so, `history --reconcile` reads the
// numbers and records what happened, and undo then acts on what really changed.
#[tokio::test(flavor = "multi_thread")]
async fn history_reconciles_the_intents_a_run_cut_short_left() {
    use switchboard::api::{NumberConfig, OwnedFilter};
    use switchboard::journal::{Entry, Journal, Kind, Status};
    let sb = common::sandbox(20, 106).await;
    let data = TempDir::new("changes-reconcile");
    let c = common::client(&sb);
    let owned = c.list_all(&OwnedFilter::default(), |_| {}).await.unwrap();
    let path = data
        .path()
        .join(switchboard::journal::file_name(MAIN_KEY, &sb.base_url()));
    let journal = Journal::open(&path).unwrap();
    let batch = journal.next_id();
    let mut numbers = Vec::new();
    for n in &owned[..2] {
        let before = NumberConfig::from_number(n, None);
        let after = NumberConfig {
            mo_http_url: Some("https://hooks.example.com/cut-short".into()),
            ..before.clone()
        };
        let (country, msisdn) = (
            n.country.clone().unwrap().to_string(),
            n.msisdn.clone().unwrap(),
        );
        journal
            .append(&Entry {
                id: journal.next_id(),
                time: 1,
                batch: Some(batch),
                kind: Kind::Update,
                app: None,
                account: None,
                country: country.clone(),
                msisdn: msisdn.clone(),
                before: Some(before.clone()),
                after: Some(after.clone()),
                status: Status::Intent,
                error: None,
                undoes: None,
            })
            .unwrap();
        numbers.push((country, msisdn, before, after));
    }
    // The first change landed before the crash, the second never left.
    let (country, msisdn, _, after) = &numbers[0];
    c.send_config(country, msisdn, after).await.unwrap();
    let landed = sb.owned_number(MAIN_KEY, msisdn).unwrap();

    let run = cli(&sb, data.path(), &["history"]).run().await;
    run.expect_code(0);
    assert!(run.stderr.contains("--reconcile"), "offered: {run:#?}");

    let run = cli(&sb, data.path(), &["history", "--reconcile", "--json"])
        .run()
        .await;
    run.expect_code(0);
    let entries = run.json();
    let status: Vec<_> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["msisdn"].as_str().unwrap().to_string(),
                e["status"].clone(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            (numbers[0].1.clone(), "done".into()),
            (numbers[1].1.clone(), "failed".into())
        ],
        "{run:#?}"
    );
    // Undo puts back the one that changed, and only it.
    let untouched = sb.owned_number(MAIN_KEY, &numbers[1].1).unwrap();
    cli(&sb, data.path(), &["undo", "--yes"])
        .run()
        .await
        .expect_code(0);
    let restored = sb.owned_number(MAIN_KEY, msisdn).unwrap();
    assert_ne!(restored.mo_http_url, landed.mo_http_url);
    assert_eq!(
        NumberConfig::from_number(&c.find_owned(country, msisdn).await.unwrap().unwrap(), None),
        numbers[0].2
    );
    assert_eq!(sb.owned_number(MAIN_KEY, &numbers[1].1).unwrap(), untouched);
}
