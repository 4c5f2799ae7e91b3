//! The fault matrix, through the client and through the CLI: each of the five operations
//! against each fault (401, 420, 420 address-required, 429 with and without Retry-After, 500,
//! 503, a timeout, a refused connection, a malformed body, an error inside a 200 body, `{}`).
//! Each cell runs against a sandbox of its own whose faults hit only the operation's path, and
//! checks: no panic, the message names the operation and the likely cause, the CLI's exit code,
//! the requests the sandbox saw (only safe retries; buy and cancel never repeated), and the
//! sandbox's state (a failed change changed nothing; a lost buy is settled from the owned list).
//! The table is in `common/matrix.rs`; the TUI surface is in `fault_matrix_tui.rs`.

use std::time::Duration;

use crate::common::matrix::{self, Expect, Fault, NEW_SMS_URL, Op, Subject};
use crate::common::{Auth, Cli, MAIN_KEY};
use switchboard::api::{
    ApiError, Change, Client, ClientConfig, NumberChange, NumberRef, OwnedFilter, SearchQuery,
    Settled, UpdateOutcome,
};
use switchboard::sandbox::{Sandbox, SandboxConfig};

/// A distinctive secret, looked for in every message.
const SECRET: &str = "matrix-Secret-5c1f9e";

/// Client retries in the client cells (the CLI uses its default, 4).
const CLIENT_RETRIES: u32 = 2;
const CLI_RETRIES: u32 = 4;

async fn cell_sandbox(seed: u64) -> Sandbox {
    crate::common::start(SandboxConfig {
        owned: 8,
        seed,
        api_secret: SECRET.to_string(),
        ..SandboxConfig::default()
    })
    .await
}

fn cell_config(base_url: String) -> ClientConfig {
    ClientConfig {
        base_url,
        timeout: Duration::from_secs(matrix::TIMEOUT_SECS),
        max_retries: CLIENT_RETRIES,
        ..ClientConfig::default()
    }
}

/// The sandbox and the numbers a cell acts on, with the cell's faults set.
async fn prepare(op: Op, fault: Fault, seed: u64) -> (Sandbox, Subject) {
    let sb = cell_sandbox(seed).await;
    let (available, owned) = crate::common::available_and_owned(&sb).await;
    let subject = Subject::of(&sb, available, owned);
    if let Some(f) = matrix::faults(op, fault) {
        sb.set_faults(f);
    }
    (sb, subject)
}

/// Through the client: one call of the operation; Ok(true) = done, Ok(false) = an empty
/// page, Err = the error.
async fn call(c: &Client, op: Op, s: &Subject) -> Result<bool, ApiError> {
    match op {
        Op::List => c
            .list_all(&OwnedFilter::default(), |_| {})
            .await
            .map(|all| !all.is_empty()),
        Op::Search => c
            .search(&SearchQuery::new("GB"))
            .await
            .map(|p| !p.numbers.is_empty()),
        Op::Buy => c
            .buy(&NumberRef::new("GB", &s.available))
            .await
            .map(|_| true),
        Op::Cancel => c
            .cancel(&NumberRef::new(&s.owned.0, &s.owned.1))
            .await
            .map(|_| true),
        Op::Update => {
            let change = NumberChange {
                mo_http_url: Change::Set(NEW_SMS_URL.to_string()),
                ..NumberChange::default()
            };
            c.update(&s.owned.0, &s.owned.1, &change, None)
                .await
                .map(|_| true)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_under_every_fault_through_the_client() {
    matrix::run_cells(matrix::cells(), 16, 1000, |op, fault, seed| async move {
        let cell = format!("client {op:?} × {fault:?}");
        let (sb, s) = prepare(op, fault, seed).await;
        let base = if fault == Fault::Refused {
            crate::common::closed_port_url()
        } else {
            sb.base_url()
        };
        let c = Client::new(crate::common::credentials(&sb), cell_config(base)).expect("client");
        let result = call(&c, op, &s).await;
        let expected = matrix::expect(op, fault);
        match (expected, expected.failure(), result) {
            (Expect::Done { tries, empty }, _, Ok(found)) => {
                assert_eq!(found, !empty, "{cell}: the answer's content");
                assert_eq!(
                    s.sent(&sb, op.path()),
                    tries.count(CLIENT_RETRIES),
                    "{cell}"
                );
                s.check_state(&sb, op, true, &cell);
            }
            (_, Some(failure), Err(e)) => {
                let message = e.to_string();
                matrix::check_message(&cell, op, failure.words, &message, SECRET);
                let debug = format!("{e:?}");
                assert!(!debug.contains(SECRET), "{cell}: secret in Debug");
                assert_eq!(
                    switchboard::cli::CliError::Api(e).exit_code(),
                    failure.code,
                    "{cell}: exit code of {debug}"
                );
                assert_eq!(
                    s.sent(&sb, op.path()),
                    failure.tries.count(CLIENT_RETRIES),
                    "{cell}"
                );
                if op.spends() {
                    // The owned list is read before (when the server can be reached), and
                    // again only when the answer left the outcome open.
                    let rechecked =
                        failure.later || failure.words.contains(&"owned list was checked");
                    // (A read slower than the cells' timeout on a loaded machine is read
                    // again: counts are bounds, not exact.)
                    let before = u64::from(fault != Fault::Refused);
                    let reads = s.sent(&sb, Op::List.path());
                    assert!(
                        reads >= before + u64::from(rechecked),
                        "{cell}: {reads} reads: read before, and re-checked when the outcome was open"
                    );
                    if !rechecked {
                        assert!(
                            reads <= before * (1 + u64::from(CLIENT_RETRIES)),
                            "{cell}: {reads} reads: no re-check when the outcome was not open"
                        );
                    }
                }
                failure.check_state(&s, &sb, op, &cell).await;
            }
            (expected, _, got) => panic!("{cell}: expected {expected:?}, got {got:?}"),
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_under_every_fault_through_the_cli() {
    matrix::run_cells(matrix::cells(), 8, 1000, |op, fault, seed| async move {
        let cell = format!("cli {op:?} × {fault:?}");
        let (sb, s) = prepare(op, fault, seed).await;
        let cli = if fault == Fault::Refused {
            Cli::new()
                .args([
                    "--base-url",
                    &crate::common::closed_port_url(),
                    "--api-key",
                    MAIN_KEY,
                ])
                .env("VONAGE_API_SECRET", SECRET)
        } else {
            Cli::against(&sb, Auth::Env)
        }
        .env("SWITCHBOARD_LOG", "debug")
        .args(["--timeout", &matrix::TIMEOUT_SECS.to_string()]);
        let cli = match op {
            Op::List => cli.args(["list", "--json"]),
            Op::Search => cli.args(["search", "GB", "--json"]),
            Op::Buy => cli.args(["buy", "GB", &s.available, "--yes"]),
            Op::Cancel => cli.args(["cancel", &s.owned.0, &s.owned.1, "--yes"]),
            Op::Update => cli.args([
                "update",
                &s.owned.0,
                &s.owned.1,
                "--sms-url",
                NEW_SMS_URL,
                "--no-webhook-check",
            ]),
        };
        let run = cli.run().await;
        let log = std::fs::read_to_string(cli.log_file()).unwrap_or_default();
        for (what, text) in [
            ("stdout", &run.stdout),
            ("stderr", &run.stderr),
            ("log", &log),
        ] {
            assert!(
                !text.contains(SECRET),
                "{cell}: the secret is in the {what}"
            );
            assert!(
                !text.contains("panicked"),
                "{cell}: a panic in the {what}: {text}"
            );
        }
        match matrix::expect(op, fault) {
            Expect::Done { tries, empty } => {
                run.expect_code(0);
                if op == Op::List || op == Op::Search {
                    let v = run.json();
                    let numbers = v
                        .get("numbers")
                        .or(Some(&v))
                        .and_then(|n| n.as_array())
                        .map_or(0, Vec::len);
                    assert_eq!(numbers == 0, empty, "{cell}: {}", run.stdout);
                }
                assert_eq!(s.sent(&sb, op.path()), tries.count(CLI_RETRIES), "{cell}");
                s.check_state(&sb, op, true, &cell);
            }
            Expect::Failed { .. } | Expect::Unknown { .. } => {
                let failure = matrix::expect(op, fault).failure().expect("a failure");
                assert_eq!(run.code, failure.code, "{cell}: exit code; {run:#?}");
                // A wait of more than two seconds (the timeout cells' hold) is said on
                // stderr, one "waiting …" line each, before the error.
                let error: String = run
                    .stderr
                    .lines()
                    .skip_while(|l| l.starts_with("waiting "))
                    .collect::<Vec<_>>()
                    .join("\n");
                let message = if matches!(op, Op::List | Op::Search) {
                    // --json: the error is JSON on stderr, with the same exit code.
                    let v: serde_json::Value = serde_json::from_str(error.trim())
                        .unwrap_or_else(|e| panic!("{cell}: not JSON ({e}): {}", run.stderr));
                    assert_eq!(v["error"]["exit"], failure.code, "{cell}: {v}");
                    v["error"]["message"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                } else {
                    assert!(error.starts_with("error: "), "{cell}: {}", run.stderr);
                    error.clone()
                };
                matrix::check_message(&cell, op, failure.words, &message, SECRET);
                assert_eq!(
                    s.sent(&sb, op.path()),
                    failure.tries.count(CLI_RETRIES),
                    "{cell}"
                );
                failure.check_state(&s, &sb, op, &cell).await;
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_whose_answer_was_lost_are_settled_through_the_client() {
    matrix::run_cells(
        matrix::lost_cells(),
        12,
        3000,
        |op, fault, seed| async move {
            let cell = format!("client {op:?} × lost {fault:?}");
            let (sb, s) = prepare(op, fault, seed).await;
            sb.set_faults(matrix::lost_faults(op, fault));
            let c = Client::new(crate::common::credentials(&sb), cell_config(sb.base_url()))
                .expect("client");
            // What the client says about how the change was established.
            let recovered = |settled: Settled| {
                settled
                    .recovered_from
                    .unwrap_or_else(|| panic!("the recovery is reported"))
            };
            let told = match op {
                Op::Buy => c
                    .buy(&NumberRef::new("GB", &s.available))
                    .await
                    .map(recovered),
                Op::Cancel => c
                    .cancel(&NumberRef::new(&s.owned.0, &s.owned.1))
                    .await
                    .map(recovered),
                _ => {
                    let change = NumberChange {
                        mo_http_url: Change::Set(NEW_SMS_URL.to_string()),
                        ..NumberChange::default()
                    };
                    c.update(&s.owned.0, &s.owned.1, &change, None)
                        .await
                        .map(|outcome: UpdateOutcome| outcome.warnings.join("; "))
                }
            };
            let (words, tries) = matrix::lost_expect(op, fault);
            let said = told.unwrap_or_else(|e| panic!("{cell}: the change happened, yet: {e}"));
            for w in words {
                assert!(said.contains(w), "{cell}: {w:?} in {said:?}");
            }
            assert_eq!(
                s.sent(&sb, op.path()),
                tries.count(CLIENT_RETRIES),
                "{cell}: requests"
            );
            s.check_state(&sb, op, true, &cell);
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_whose_answer_was_lost_are_settled_through_the_cli() {
    matrix::run_cells(
        matrix::lost_cells(),
        12,
        3000,
        |op, fault, seed| async move {
            let cell = format!("cli {op:?} × lost {fault:?}");
            let (sb, s) = prepare(op, fault, seed).await;
            sb.set_faults(matrix::lost_faults(op, fault));
            let cli =
                Cli::against(&sb, Auth::Env).args(["--timeout", &matrix::TIMEOUT_SECS.to_string()]);
            let cli = match op {
                Op::Buy => cli.args(["buy", "GB", &s.available, "--yes"]),
                Op::Cancel => cli.args(["cancel", &s.owned.0, &s.owned.1, "--yes"]),
                _ => cli.args([
                    "update",
                    &s.owned.0,
                    &s.owned.1,
                    "--sms-url",
                    NEW_SMS_URL,
                    "--no-webhook-check",
                ]),
            };
            let run = cli.run().await;
            assert_eq!(run.code, 0, "{cell}: {run:#?}");
            let (words, tries) = matrix::lost_expect(op, fault);
            let said = format!("{}{}", run.stdout, run.stderr);
            for w in words {
                assert!(said.contains(w), "{cell}: {w:?} in {said}");
            }
            if op.spends() {
                assert!(said.contains("the owned list confirms"), "{cell}: {said}");
            }
            assert_eq!(s.sent(&sb, op.path()), tries.count(4), "{cell}: requests");
            s.check_state(&sb, op, true, &cell);
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_claiming_a_huge_count_is_refused_not_obeyed() {
    // Before the cap, this count made list_all allocate 100 GB and abort the process.
    let url = crate::common::fixed_server(
        r#"{"count": 1000000000000, "numbers": [{"msisdn": "447700900001", "country": "GB"}]}"#,
    )
    .await;
    let c = Client::new(
        switchboard::api::Credentials::new(MAIN_KEY, SECRET),
        cell_config(url.clone()),
    )
    .expect("client");
    let err = c
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .expect_err("an implausible count is an error");
    assert!(err.to_string().contains("list owned numbers"), "{err}");
    assert!(err.to_string().contains("1000000000000 numbers"), "{err}");
    // The CLI says so and exits 6; one page is still readable.
    let run = Cli::new()
        .args(["--base-url", &url, "--api-key", MAIN_KEY, "list"])
        .env("VONAGE_API_SECRET", SECRET)
        .run()
        .await;
    assert_eq!(run.code, 6, "{run:#?}");
    assert!(run.stderr.contains("narrow the list"), "{run:#?}");
    let run = Cli::new()
        .args([
            "--base-url",
            &url,
            "--api-key",
            MAIN_KEY,
            "list",
            "--size",
            "10",
        ])
        .env("VONAGE_API_SECRET", SECRET)
        .run()
        .await;
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("447700900001"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_not_followed() {
    // The Numbers API never redirects: a redirect is a misconfiguration or an attack, and
    // following it would send a buy (as a GET) or the credentials somewhere else.
    let (elsewhere, reached) = crate::common::raw_server("200 OK", String::new(), "{}").await;
    let (url, _) = crate::common::raw_server(
        "302 Found",
        format!("location: {elsewhere}/number/buy\r\n"),
        "",
    )
    .await;
    let c = Client::new(
        switchboard::api::Credentials::new(MAIN_KEY, SECRET),
        cell_config(url),
    )
    .expect("client");
    let err = c
        .list_owned(&switchboard::api::OwnedQuery::default())
        .await
        .expect_err("a redirect is an error");
    assert!(err.to_string().contains("HTTP 302"), "{err}");
    let err = c
        .buy(&NumberRef::new("GB", "447700900123"))
        .await
        .expect_err("a redirect is an error");
    assert!(err.to_string().contains("buy"), "{err}");
    assert_eq!(
        reached.load(std::sync::atomic::Ordering::Relaxed),
        0,
        "nothing was sent where the redirect pointed"
    );
}
