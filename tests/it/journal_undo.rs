//! `update --all-matching`, `history` and `undo` through the real binary against a sandbox,
//! with the journal in a temporary `SWITCHBOARD_DATA_DIR`: the JSON report and exit codes,
//! confirmations, `--read-only`, and a run killed with SIGKILL half-way whose journal (torn
//! last line included) lets `undo` restore every number it touched.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{Auth, Cli, MAIN_KEY, TempDir};
use switchboard::sandbox::{NumberRecord, Sandbox};

const URL: &str = "https://hooks.example.com/cli-bulk";

fn cli(sb: &Sandbox, data: &Path, args: &[&str]) -> Cli {
    Cli::against(sb, Auth::Env)
        .env("SWITCHBOARD_DATA_DIR", data.to_str().unwrap())
        .args(args)
}

/// Every GB number's stored record, by msisdn.
async fn gb_records(sb: &Sandbox) -> HashMap<String, NumberRecord> {
    let all = crate::common::all_owned(&crate::common::client(sb)).await;
    crate::common::records(sb, MAIN_KEY, &all)
        .into_iter()
        .filter(|r| r.country == "GB")
        .map(|r| (r.msisdn.clone(), r))
        .collect()
}

/// The record without the values the API does not return (a bulk update cannot carry over
/// what neither the API nor the journal knows; it warns about it).
fn visible(r: &NumberRecord) -> NumberRecord {
    NumberRecord {
        voice_status_callback: None,
        mo_smpp_sys_type: None,
        ..r.clone()
    }
}

fn journal_file(data: &Path) -> PathBuf {
    let files: Vec<_> = std::fs::read_dir(data)
        .expect("the data dir exists")
        .map(|e| e.unwrap().path())
        // Next to it, its id file (`.jsonl.ids`).
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    assert_eq!(files.len(), 1, "one journal: {files:?}");
    files[0].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_update_reports_json_then_history_lists_it_and_undo_restores_it() {
    let sb = crate::common::sandbox(300, 81).await;
    let data = TempDir::new("cli-journal");
    let before = gb_records(&sb).await;
    assert!(before.len() > 20);

    // No terminal and no --yes: refused, nothing sent.
    let run = cli(
        &sb,
        data.path(),
        &[
            "update",
            "--all-matching",
            "--country",
            "GB",
            "--sms-url",
            URL,
        ],
    )
    .run()
    .await;
    run.expect_code(8);
    assert!(run.stderr.contains("numbers match"), "{run:#?}");
    assert_eq!(crate::common::hits(&sb, "/number/update"), 0);

    let run = cli(
        &sb,
        data.path(),
        &[
            "update",
            "--all-matching",
            "--country",
            "GB",
            "--sms-url",
            URL,
            "--yes",
        ],
    )
    .run()
    .await;
    run.expect_code(0);
    let v = run.json();
    let changing = before
        .values()
        .filter(|r| r.mo_http_url.as_deref() != Some(URL))
        .count();
    assert_eq!(v["total"], before.len());
    assert_eq!(v["updated"], changing);
    assert_eq!(v["failed"], 0);
    assert_eq!(v["stopped"], false);
    let batch = v["batch"].as_u64().expect("a run id");
    assert_eq!(v["items"].as_array().unwrap().len(), before.len());
    for (m, r) in &before {
        let now = sb.owned_number(MAIN_KEY, m).unwrap();
        assert_eq!(now.mo_http_url.as_deref(), Some(URL));
        assert_eq!(now.app_id, r.app_id, "{m}: other fields kept");
        assert_eq!(now.voice_callback_value, r.voice_callback_value);
    }
    // Only GB numbers were touched.
    assert_eq!(
        crate::common::hits(&sb, "/number/update") as usize,
        changing
    );
    let path = journal_file(data.path());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains(&sb.config().api_secret),
        "no secret in the journal"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    let run = cli(&sb, data.path(), &["history", "--json", "--limit", "1000"])
        .run()
        .await;
    run.expect_code(0);
    let entries = run.json();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), changing);
    assert!(
        entries
            .iter()
            .all(|e| e["batch"] == batch && e["status"] == "done")
    );
    let run = cli(&sb, data.path(), &["history"]).run().await;
    run.expect_code(0);
    assert!(run.stdout.contains(&format!("#{batch}")), "{run:#?}");

    // --read-only refuses undo; no --yes refuses too.
    cli(&sb, data.path(), &["--read-only", "undo", "--yes"])
        .run()
        .await
        .expect_code(2);
    cli(&sb, data.path(), &["undo"]).run().await.expect_code(8);

    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    run.expect_code(0);
    assert_eq!(run.json()["updated"], changing, "{run:#?}");
    for (m, r) in &before {
        let now = sb.owned_number(MAIN_KEY, m).unwrap();
        assert_eq!(now.mo_http_url, r.mo_http_url, "{m} restored");
        assert_eq!(now.app_id, r.app_id);
    }
    // The run is undone: undoing it again is refused with a message.
    let run = cli(&sb, data.path(), &["undo", &batch.to_string(), "--yes"])
        .run()
        .await;
    run.expect_code(9);
    assert!(run.stderr.contains("already undone"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_updates_are_reported_per_number_with_the_refusal_exit_code() {
    let sb = crate::common::sandbox(120, 82).await;
    let data = TempDir::new("cli-refused");
    let before = gb_records(&sb).await;
    // Nothing listens there: the sandbox's webhook check fails, every update is refused (420).
    let bad = "http://127.0.0.1:1/sms";
    let run = cli(
        &sb,
        data.path(),
        &[
            "update",
            "--all-matching",
            "--country",
            "GB",
            "--sms-url",
            bad,
            "--yes",
            "--json",
        ],
    )
    .run()
    .await;
    run.expect_code(4);
    let v = run.json();
    assert_eq!(v["failed"], before.len());
    let item = &v["items"][0];
    assert_eq!(item["result"], "failed");
    assert!(
        item["error"].as_str().unwrap().contains("method failed"),
        "{item}"
    );
    for (m, r) in &before {
        assert_eq!(&sb.owned_number(MAIN_KEY, m).unwrap(), r);
    }
    // Refused changes did nothing: nothing to undo.
    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    run.expect_code(9);
    assert!(run.stderr.contains("nothing to undo"), "{run:#?}");
    // Usage errors send nothing.
    cli(
        &sb,
        data.path(),
        &["update", "--country", "GB", "--sms-url", URL],
    )
    .run()
    .await
    .expect_code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_run_killed_half_way_leaves_a_journal_undo_can_use() {
    let sb = crate::common::sandbox(600, 83).await;
    let data = TempDir::new("cli-crash");
    let before = gb_records(&sb).await;
    assert!(before.len() > 60, "{}", before.len());
    sb.set_latency(Duration::from_millis(60));
    // The Cli (its temporary HOME) outlives the child.
    let killed = cli(
        &sb,
        data.path(),
        &[
            "update",
            "--all-matching",
            "--country",
            "GB",
            "--sms-url",
            URL,
            "--yes",
        ],
    );
    let mut child = killed.command().spawn().expect("spawn");
    // Wait until a good part of the run is journaled, then SIGKILL it.
    crate::common::wait::until_async("40 lines of the run journaled", 60, || {
        std::fs::read_dir(data.path()).ok().is_some_and(|dir| {
            dir.flatten()
                .find(|f| f.path().extension().is_some_and(|x| x == "jsonl"))
                .and_then(|f| std::fs::read_to_string(f.path()).ok())
                .is_some_and(|t| t.lines().count() >= 40)
        })
    })
    .await;
    child.start_kill().expect("kill");
    let status = child.wait().await.unwrap();
    assert!(!status.success());
    // Requests the killed process had sent land within the sandbox's latency.
    tokio::time::sleep(Duration::from_millis(500)).await;
    sb.set_latency(Duration::ZERO);

    let touched: Vec<&String> = before
        .keys()
        .filter(|m| sb.owned_number(MAIN_KEY, m).unwrap().mo_http_url.as_deref() == Some(URL))
        .filter(|m| before[*m].mo_http_url.as_deref() != Some(URL))
        .collect();
    assert!(
        !touched.is_empty(),
        "the run changed some numbers before it died"
    );
    assert!(
        touched.len() < before.len(),
        "and was killed before the end"
    );

    // A write cut short by the kill leaves a torn last line; make sure there is one.
    let path = journal_file(data.path());
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(r#"{"id":99999,"time":1,"kind":"upd"#);
    std::fs::write(&path, text).unwrap();

    let run = cli(&sb, data.path(), &["history", "--limit", "3"])
        .run()
        .await;
    run.expect_code(0);
    assert!(run.stderr.contains("1 unreadable line"), "{run:#?}");

    let run = cli(&sb, data.path(), &["undo", "--yes", "--json"])
        .run()
        .await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["failed"], 0, "{run:#?}");
    assert!(v["updated"].as_u64().unwrap() as usize >= touched.len());
    for (m, r) in &before {
        let now = sb.owned_number(MAIN_KEY, m).unwrap();
        if touched.contains(&m) {
            assert_eq!(visible(&now), visible(r), "{m} as before");
        } else {
            assert_eq!(&now, r, "{m} untouched");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn single_buy_and_update_are_journaled_and_undone_one_by_one() {
    let sb = crate::common::sandbox(20, 84).await;
    let data = TempDir::new("cli-single");
    let (available, (country, owned)) = crate::common::available_and_owned(&sb).await;
    let before = sb.owned_number(MAIN_KEY, &owned).unwrap();

    cli(&sb, data.path(), &["buy", "GB", &available, "--yes"])
        .run()
        .await
        .expect_code(0);
    cli(
        &sb,
        data.path(),
        &["update", &country, &owned, "--app-id", "journaled-app"],
    )
    .run()
    .await
    .expect_code(0);
    assert_eq!(
        sb.owned_number(MAIN_KEY, &owned).unwrap().app_id.as_deref(),
        Some("journaled-app")
    );
    let run = cli(&sb, data.path(), &["history", "--json"]).run().await;
    let entries = run.json();
    let kinds: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["buy", "update"]);

    // The last change first: the update.
    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    run.expect_code(0);
    assert_eq!(
        sb.owned_number(MAIN_KEY, &owned).unwrap().app_id,
        before.app_id
    );
    // Then the buy, by its id: the number is cancelled, after the confirmation.
    let buy_id = entries[0]["id"].as_u64().unwrap().to_string();
    let run = cli(&sb, data.path(), &["undo", &buy_id]).run().await;
    run.expect_code(8);
    assert!(
        run.stderr.contains(&format!("CANCEL {available}")),
        "{run:#?}"
    );
    assert!(sb.owned_number(MAIN_KEY, &available).is_some());
    let run = cli(&sb, data.path(), &["undo", &buy_id, "--yes"])
        .run()
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["cancelled"], 1);
    assert!(sb.owned_number(MAIN_KEY, &available).is_none());
}
