//! Exit codes a script can rely on, through the real binary: a reader that leaves the pipe
//! early is not an error, an undo of no such entry is bad input (2) and of an entry already
//! undone has its own code (9), a `--ca-cert` that is not a PEM certificate is refused at start
//! (2), and with `--json` every error is JSON on stderr.

use tokio::io::AsyncBufReadExt;

use crate::common::{Auth, Cli, Run, TempDir};

/// stderr's one JSON error: `{"error": {"kind", "message", "exit"}}`.
fn json_error(run: &Run) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(run.stderr.trim())
        .unwrap_or_else(|e| panic!("stderr is not one JSON value ({e}): {run:#?}"));
    let err = &v["error"];
    assert!(err["kind"].is_string(), "{v}");
    assert!(err["message"].is_string(), "{v}");
    assert_eq!(err["exit"], run.code, "{v}");
    err.clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_that_leaves_early_ends_the_list_quietly_with_0() {
    // 2,000 rows are far more than a pipe holds: the writes after `head -1` left fail.
    let cli = Cli::new().args(["--sandbox", "--sandbox-owned", "2000", "list"]);
    let mut child = cli.command().spawn().expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    tokio::io::BufReader::new(stdout)
        .read_line(&mut first)
        .await
        .expect("the first line");
    assert!(first.starts_with("MSISDN"), "{first}");
    // The reader is gone (its end of the pipe closed when dropped).
    let out = child.wait_with_output().await.expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("error"), "quietly: {stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn undo_of_no_such_entry_is_2_and_of_one_already_undone_is_9() {
    let sb = crate::common::sandbox(10, 5).await;
    let data = TempDir::new("exit-undo");
    let cli = |args: &[&str]| {
        Cli::against(&sb, Auth::Env)
            .env("SWITCHBOARD_DATA_DIR", data.path().to_str().unwrap())
            .args(args)
    };
    let run = cli(&["undo", "999", "--yes"]).run().await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("no journal entry or run #999"),
        "{run:#?}"
    );
    let run = cli(&["undo", "999", "--yes", "--json"]).run().await;
    run.expect_code(2);
    assert_eq!(json_error(&run)["kind"], "usage");

    let (_, (country, owned)) = crate::common::available_and_owned(&sb).await;
    cli(&["update", &country, &owned, "--app-id", "exit-codes-app"])
        .run()
        .await
        .expect_code(0);
    let id = cli(&["history", "--json"]).run().await.json()[0]["id"]
        .as_u64()
        .expect("an entry id")
        .to_string();
    cli(&["undo", &id, "--yes"]).run().await.expect_code(0);
    let run = cli(&["undo", &id, "--yes"]).run().await;
    run.expect_code(9);
    assert!(run.stderr.contains("already undone"), "{run:#?}");
    let run = cli(&["undo", &id, "--yes", "--json"]).run().await;
    run.expect_code(9);
    assert_eq!(json_error(&run)["kind"], "nothing_to_undo");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_cert_that_is_not_a_pem_certificate_is_refused_at_start() {
    let dir = TempDir::new("exit-ca");
    // A listener that would answer: the refusal must come before any connection.
    let (url, hits) = crate::common::raw_server("200 OK", String::new(), "{}").await;
    let url = url.replace("http://", "https://");
    let not_pem = dir.path().join("notes.txt");
    std::fs::write(&not_pem, "just some text\n").unwrap();
    let key_only = dir.path().join("key.pem");
    std::fs::write(
        &key_only,
        "-----BEGIN PRIVATE KEY-----\nTUlJQkFBPT0=\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let garbage_cert = dir.path().join("bad.pem");
    std::fs::write(
        &garbage_cert,
        "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    for file in [&not_pem, &key_only, &garbage_cert] {
        let run = Cli::new()
            .args(["--base-url", &url, "--api-key", "k", "--api-secret", "s"])
            .args(["--ca-cert", file.to_str().unwrap(), "list"])
            .run()
            .await;
        run.expect_code(2);
        assert!(
            run.stderr.contains("--ca-cert") && run.stderr.contains("certificate"),
            "{run:#?}"
        );
    }
    assert_eq!(hits.load(std::sync::atomic::Ordering::Relaxed), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_json_errors_are_json_on_stderr() {
    // A server error class: nothing listens.
    let run = Cli::new()
        .args(["--base-url", &crate::common::closed_port_url()])
        .args(["--api-key", "k", "--api-secret", "s", "--timeout", "2"])
        .args(["list", "--json"])
        .run()
        .await;
    run.expect_code(6);
    let e = json_error(&run);
    assert_eq!(e["kind"], "unavailable");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("list owned numbers")
    );
    assert_eq!(run.stdout, "", "nothing on stdout");
    // Bad input found by switchboard, and by the argument parser.
    for args in [
        &["--sandbox", "list", "--json", "--size", "0"][..],
        &["--sandbox", "list", "--json", "--no-such-flag"][..],
        &["--sandbox", "search", "--json"][..],
    ] {
        let run = Cli::new().args(args).run().await;
        run.expect_code(2);
        assert_eq!(json_error(&run)["kind"], "usage", "{args:?}");
    }
    // No credentials.
    let run = Cli::new().args(["list", "--json"]).run().await;
    run.expect_code(3);
    assert_eq!(json_error(&run)["kind"], "auth");
    // Without --json, prose as before.
    let run = Cli::new().args(["list"]).run().await;
    run.expect_code(3);
    assert!(run.stderr.starts_with("error: "), "{run:#?}");
}
