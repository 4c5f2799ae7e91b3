//! The journal under concurrency and damage, through the real binary against a sandbox
//! (issue 10, case 10): two processes journaling at once never share an id, a symbolic link at
//! the journal path is refused, and a damaged line is skipped with a warning, never acted on.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::common::{Auth, Cli, MAIN_KEY, TempDir};
use switchboard::sandbox::Sandbox;

fn cli(sb: &Sandbox, data: &Path, args: &[&str]) -> Cli {
    Cli::against(sb, Auth::Env)
        .env("SWITCHBOARD_DATA_DIR", data.to_str().unwrap())
        .args(args)
}

fn journal_path(sb: &Sandbox, data: &Path) -> PathBuf {
    data.join(switchboard::journal::file_name(MAIN_KEY, &sb.base_url()))
}

/// Countries of the owned numbers, most numerous first.
async fn countries(sb: &Sandbox) -> Vec<String> {
    let all = common::all_owned(&common::client(sb)).await;
    let mut by: HashMap<String, usize> = HashMap::new();
    for n in &all {
        *by.entry(n.country.clone().map(String::from).unwrap())
            .or_default() += 1;
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by_key(|c| std::cmp::Reverse(c.1));
    v.into_iter().map(|(c, _)| c).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runs_journaling_at_once_never_share_an_id() {
    let sb = common::sandbox(400, 111).await;
    let data = TempDir::new("journal-two");
    let countries = countries(&sb).await;
    let run = |country: &str| {
        cli(
            &sb,
            data.path(),
            &[
                "update",
                "--all-matching",
                "--country",
                country,
                "--sms-url",
                "https://hooks.example.com/two",
                "--yes",
            ],
        )
    };
    let (a, b) = (run(&countries[0]), run(&countries[1]));
    let (ra, rb) = tokio::join!(a.run(), b.run());
    ra.expect_code(0);
    rb.expect_code(0);
    let text = std::fs::read_to_string(journal_path(&sb, data.path())).unwrap();
    // Every id names one change: one number, in one run.
    let mut seen: HashMap<u64, HashSet<(String, u64)>> = HashMap::new();
    let mut batches = HashSet::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_u64().unwrap();
        let batch = v["batch"].as_u64().unwrap();
        batches.insert(batch);
        seen.entry(id)
            .or_default()
            .insert((v["msisdn"].as_str().unwrap().to_string(), batch));
    }
    let shared: Vec<_> = seen.iter().filter(|(_, s)| s.len() > 1).collect();
    assert!(shared.is_empty(), "ids shared by two changes: {shared:?}");
    assert_eq!(batches.len(), 2, "two runs");
    assert!(
        batches.iter().all(|b| !seen.contains_key(b)),
        "a run's id is no change's id"
    );
    // And both runs are undone whole: every number back as it was.
    for batch in &batches {
        cli(&sb, data.path(), &["undo", &batch.to_string(), "--yes"])
            .run()
            .await
            .expect_code(0);
    }
    let all = common::all_owned(&common::client(&sb)).await;
    assert!(
        all.iter()
            .all(|n| n.mo_http_url.as_deref() != Some("https://hooks.example.com/two")),
        "every number restored"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_symbolic_link_at_the_journal_path_is_refused_and_nothing_is_sent() {
    let sb = common::sandbox(10, 112).await;
    let data = TempDir::new("journal-link");
    let (_, (country, owned)) = common::available_and_owned(&sb).await;
    let elsewhere = data.path().join("precious.txt");
    std::fs::write(&elsewhere, "do not append here\n").unwrap();
    std::os::unix::fs::symlink(&elsewhere, journal_path(&sb, data.path())).unwrap();
    let run = cli(
        &sb,
        data.path(),
        &[
            "update",
            &country,
            &owned,
            "--sms-url",
            "https://hooks.example.com/link",
        ],
    )
    .run()
    .await;
    assert_ne!(run.code, 0, "{run:#?}");
    assert!(run.stderr.contains("symbolic link"), "{run:#?}");
    assert_eq!(common::hits(&sb, "/number/update"), 0);
    assert_eq!(
        std::fs::read_to_string(&elsewhere).unwrap(),
        "do not append here\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_line_is_skipped_with_a_warning_and_never_undone() {
    let sb = common::sandbox(40, 113).await;
    let data = TempDir::new("journal-damaged");
    let all = common::all_owned(&common::client(&sb)).await;
    let country = all[0].country.clone().map(String::from).unwrap();
    let same: Vec<String> = all
        .iter()
        .filter(|n| n.country.as_deref() == Some(country.as_str()))
        .map(|n| n.msisdn.clone().unwrap())
        .collect();
    assert!(same.len() >= 2);
    let (changed, other) = (&same[0], &same[1]);
    let other_before = sb.owned_number(MAIN_KEY, other).unwrap();
    cli(
        &sb,
        data.path(),
        &[
            "update",
            &country,
            changed,
            "--sms-url",
            "https://hooks.example.com/damaged",
        ],
    )
    .run()
    .await
    .expect_code(0);
    // The disk flips the msisdn of the change into another owned number's.
    let path = journal_path(&sb, data.path());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace(changed.as_str(), other)).unwrap();
    let run = cli(&sb, data.path(), &["undo", "--yes"]).run().await;
    assert!(run.stderr.contains("checksum"), "{run:#?}");
    assert!(run.stderr.contains("nothing to undo"), "{run:#?}");
    run.expect_code(9); // nothing to undo (README: exit codes)
    assert_eq!(common::hits(&sb, "/number/update"), 1, "only the change");
    assert_eq!(sb.owned_number(MAIN_KEY, other).unwrap(), other_before);
}

// Case 10, the journal's size: past a size the journal is rotated to a numbered file and a
// compacted one (each number's latest change, intents, open runs) takes its place; commands
// read only that; `history --all` and `undo <id>` of an older run still find what was rotated.
#[tokio::test(flavor = "multi_thread")]
async fn a_large_journal_is_rotated_and_older_runs_are_still_found() {
    let sb = common::sandbox(30, 115).await;
    let data = TempDir::new("journal-rotate");
    let limit = 60_000u64;
    let all = common::all_owned(&common::client(&sb)).await;
    let run = |url: &str| {
        cli(
            &sb,
            data.path(),
            &[
                "update",
                "--all-matching",
                "--sms-url",
                url,
                "--yes",
                "--json",
            ],
        )
        .env(switchboard::journal::ENV_ROTATE_BYTES, &limit.to_string())
    };
    let mut batches = Vec::new();
    for i in 0..5 {
        let r = run(&format!("https://hooks.example.com/rotate-{i}"))
            .run()
            .await;
        r.expect_code(0);
        batches.push(r.json()["batch"].as_u64().unwrap());
    }
    let path = journal_path(&sb, data.path());
    let size = std::fs::metadata(&path).unwrap().len();
    let rotated = path.with_file_name(format!("{}.1", path.file_name().unwrap().to_string_lossy()));
    assert!(rotated.exists(), "rotated to {}", rotated.display());
    assert!(size < 2 * limit, "the journal stays small: {size} bytes");

    let entries = |all: bool| {
        let mut args = vec!["history", "--json", "--limit", "100000"];
        if all {
            args.push("--all");
        }
        let c = cli(&sb, data.path(), &args)
            .env(switchboard::journal::ENV_ROTATE_BYTES, &limit.to_string());
        async move {
            let r = c.run().await;
            r.expect_code(0);
            r.json().as_array().unwrap().len()
        }
    };
    let (recent, every) = (entries(false).await, entries(true).await);
    assert_eq!(every, 5 * all.len(), "every change, rotated or not");
    assert!(recent < every, "{recent} of {every}");

    // The first run is in the rotated file only: undo still finds it (and puts back the
    // configurations from before it, over the later runs with --force).
    let r = cli(
        &sb,
        data.path(),
        &["undo", &batches[0].to_string(), "--yes", "--force"],
    )
    .env(switchboard::journal::ENV_ROTATE_BYTES, &limit.to_string())
    .run()
    .await;
    r.expect_code(0);
    for n in &all {
        let m = n.msisdn.as_deref().unwrap();
        assert_eq!(
            sb.owned_number(MAIN_KEY, m).unwrap().mo_http_url,
            n.mo_http_url.as_deref().map(String::from),
            "{m}: {r:#?}"
        );
    }
}
