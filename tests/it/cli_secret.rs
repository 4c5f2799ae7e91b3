//! The API secret never leaves where the user put it: not in stdout, stderr or the log file, on
//! success or failure (wrong secret, faulty sandbox, bad input, clap errors), nor in `config
//! show` (masked) or errors about the config file. Also: config-file credentials work, and
//! `switchboard sandbox` honours a secret given to it without printing it.

use std::time::Duration;

use crate::common::{Auth, Cli, MAIN_KEY, Run};
use switchboard::api::{OwnedQuery, SearchQuery};
use switchboard::sandbox::{Faults, Sandbox, SandboxConfig};
use tokio::io::{AsyncBufReadExt, BufReader};

const SECRET: &str = "S3cr3t-DoNotLeak-42";
const WRONG: &str = "Wr0ng-S3cr3t-DoNotLeak-43";

fn assert_no_secret(what: &str, text: &str) {
    for s in [SECRET, WRONG, "DoNotLeak"] {
        assert!(!text.contains(s), "{what} shows the secret {s:?}:\n{text}");
    }
}

/// Runs `cli` with debug logging; checks stdout, stderr and the log file (whatever of it was
/// written: see `the_last_log_lines_are_written_before_exit`).
/// Returns the run and the length of the log read.
async fn run_checked(cli: Cli, expected_code: i32) -> (Run, usize) {
    let cli = cli.env("SWITCHBOARD_LOG", "debug");
    let run = cli.run().await;
    run.expect_code(expected_code);
    assert_no_secret("stdout", &run.stdout);
    assert_no_secret("stderr", &run.stderr);
    let log = std::fs::read_to_string(cli.log_file()).unwrap_or_default();
    assert_no_secret("the log file", &log);
    (run, log.len())
}

async fn secret_sandbox() -> Sandbox {
    crate::common::start(SandboxConfig {
        owned: 20,
        seed: 81,
        api_secret: SECRET.to_string(),
        ..SandboxConfig::default()
    })
    .await
}

fn with_flags(sb: &Sandbox, args: &[&str]) -> Cli {
    Cli::against(sb, Auth::Flags).args(args)
}

fn with_env(sb: &Sandbox, args: &[&str]) -> Cli {
    Cli::against(sb, Auth::Env).args(args)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_secret_never_appears_in_any_output() {
    let sb = secret_sandbox().await;
    let c = crate::common::client(&sb);
    let owned = c.list_owned(&OwnedQuery::default()).await.expect("list");
    let (cc, om) = (
        owned.numbers[0].country.clone().expect("c"),
        owned.numbers[0].msisdn.clone().expect("m"),
    );
    let offers = c.search(&SearchQuery::new("GB")).await.expect("search");
    let free = offers.numbers[0].msisdn.clone().expect("m");

    let mut logged = 0;

    // Successes.
    logged += run_checked(with_flags(&sb, &["list"]), 0).await.1;
    logged += run_checked(with_env(&sb, &["list", "--json"]), 0).await.1;
    logged += run_checked(with_flags(&sb, &["search", "GB", "--csv"]), 0)
        .await
        .1;
    let hook = "https://hooks.example.com/in";
    logged += run_checked(
        with_env(
            &sb,
            &[
                "update",
                &cc,
                &om,
                "--sms-url",
                hook,
                "--json",
                "--no-webhook-check",
            ],
        ),
        0,
    )
    .await
    .1;
    logged += run_checked(with_env(&sb, &["config", "show"]), 0).await.1;

    // Refusals, bad input, clap errors, a refused base URL.
    // (A buy of a number owned already is no refusal any more: it is "already owned", sent
    // nothing. An update of a number not owned is refused.)
    logged += run_checked(
        with_flags(&sb, &["update", "GB", &free, "--app-id", "a"]),
        4,
    )
    .await
    .1;
    logged += run_checked(
        with_flags(&sb, &["update", &cc, &om, "--sms-url", "ftp://x"]),
        2,
    )
    .await
    .1;
    logged += run_checked(with_flags(&sb, &["list", "--has-application", "maybe"]), 2)
        .await
        .1;
    logged += run_checked(with_flags(&sb, &["list", "--bogus-flag"]), 2)
        .await
        .1;
    let remote = Cli::new().args(["--base-url", "http://example.com", "--api-key", MAIN_KEY]);
    logged += run_checked(remote.args(["--api-secret", SECRET, "list"]), 2)
        .await
        .1;

    // A wrong secret (it must not be echoed either).
    let wrong = Cli::new().args(["--base-url", &sb.base_url(), "--api-key", MAIN_KEY]);
    let (run, n) = run_checked(wrong.args(["--api-secret", WRONG, "list"]), 3).await;
    logged += n;
    assert!(run.stderr.contains("authentication failed"), "{run:#?}");
    let wrong = with_env(&sb, &["list"]).env("VONAGE_API_SECRET", WRONG);
    logged += run_checked(wrong, 3).await.1;

    // A faulty sandbox: malformed bodies, errors in 200 bodies, lost answers.
    let faults = |f: Faults| sb.set_faults(f);
    faults(Faults {
        rate_malformed: 1.0,
        ..Faults::default()
    });
    logged += run_checked(with_flags(&sb, &["list"]), 6).await.1;
    faults(Faults {
        rate_error_in_200: 1.0,
        ..Faults::default()
    });
    logged += run_checked(with_env(&sb, &["buy", "GB", &free, "--yes"]), 4)
        .await
        .1;
    // The cancel's answer lost, and the re-check of the owned list failing too (the list
    // read before the cancel answers).
    faults(Faults {
        rate_500: 1.0,
        path: Some("/number/cancel".into()),
        limit: Some(1),
        then: Some(Box::new(Faults {
            rate_500: 1.0,
            path: Some("/account/numbers".into()),
            ..Faults::default()
        })),
        ..Faults::default()
    });
    logged += run_checked(with_flags(&sb, &["cancel", &cc, &om, "--yes"]), 7)
        .await
        .1;
    assert!(
        sb.owned_number(MAIN_KEY, &om).is_some(),
        "nothing cancelled"
    );
    assert!(
        logged > 0,
        "the runs logged nothing at all: the log check is vacuous"
    );
}

/// Writes `text` as a config file in `cli`'s HOME with `mode`; returns its path.
fn config_file(cli: &Cli, text: &str, mode: u32) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = cli.home().join("config.toml");
    std::fs::write(&path, text).expect("write config");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    path.to_str().expect("utf-8").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn config_show_masks_the_secret() {
    let text = format!("api_key = \"cfgkey\"\napi_secret = \"{SECRET}\"\ntimeout_secs = 7\n");
    for mode in [0o600, 0o644] {
        let cli = Cli::new();
        let path = config_file(&cli, &text, mode);
        let (run, _) = run_checked(cli.args(["--config", &path, "config", "show"]), 0).await;
        assert!(run.stdout.contains("api_secret = \"********\""), "{run:#?}");
        assert!(run.stdout.contains("api_key = \"cfgkey\""), "{run:#?}");
        assert!(run.stdout.contains("timeout_secs = 7"), "{run:#?}");
        assert!(run.stdout.contains("credentials in effect"), "{run:#?}");
        let warned = run.stderr.contains("chmod 600");
        assert_eq!(
            warned,
            mode == 0o644,
            "permission warning for {mode:o}: {run:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_from_the_config_file_reach_the_sandbox() {
    let sb = secret_sandbox().await;
    let cli = Cli::new();
    let text = format!(
        "api_key = \"{MAIN_KEY}\"\napi_secret = \"{SECRET}\"\nbase_url = \"{}\"\n",
        sb.base_url()
    );
    let path = config_file(&cli, &text, 0o600);
    let cli = cli
        .env("SWITCHBOARD_CONFIG", &path)
        .args(["list", "--size", "2"]);
    let (run, _) = run_checked(cli, 0).await;
    assert!(
        run.stdout.contains("2 numbers on page 1 of 10 (20 in all)"),
        "{run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_are_looked_up_in_the_documented_order() {
    let sb = secret_sandbox().await;
    let url = sb.base_url();
    let list = ["--base-url", url.as_str(), "list", "--size", "1"];
    let good_toml = format!("api_key = \"{MAIN_KEY}\"\napi_secret = \"{SECRET}\"\n");
    let wrong_toml = format!("api_key = \"{MAIN_KEY}\"\napi_secret = \"{WRONG}\"\n");
    let good_json = format!("{{\"api-key\":\"{MAIN_KEY}\",\"api-secret\":\"{SECRET}\"}}");

    // Flags win over the environment.
    let cli = with_flags(&sb, &["list", "--size", "1"]).env("VONAGE_API_SECRET", WRONG);
    run_checked(cli, 0).await;
    // The environment wins over the config file.
    let cli = Cli::new();
    let path = config_file(&cli, &wrong_toml, 0o600);
    let cli = cli
        .env("SWITCHBOARD_CONFIG", &path)
        .env("VONAGE_API_KEY", MAIN_KEY)
        .env("VONAGE_API_SECRET", SECRET);
    run_checked(cli.args(list), 0).await;
    // The config file wins over the Vonage CLI's files.
    let cli = Cli::new();
    let wrong_json = good_json.replace(SECRET, WRONG);
    std::fs::write(cli.home().join(".vonagerc"), wrong_json).expect("write .vonagerc");
    let path = config_file(&cli, &good_toml, 0o600);
    run_checked(cli.env("SWITCHBOARD_CONFIG", &path).args(list), 0).await;
    // ./.vonagerc (the working directory is the temporary HOME) ...
    let cli = Cli::new();
    std::fs::write(cli.home().join(".vonagerc"), &good_json).expect("write .vonagerc");
    run_checked(cli.args(list), 0).await;
    // ... and ~/.vonage/config.json.
    let cli = Cli::new();
    let dir = cli.home().join(".vonage");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("config.json"), &good_json).expect("write config.json");
    run_checked(cli.args(list), 0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_about_the_config_file_do_not_quote_the_secret() {
    let broken = [
        format!("api_secret = \"{SECRET}\"\nbogus = 1\n"),
        format!("api_secret = \"{SECRET}\n"),
        format!("api_secret = {SECRET}\n"),
        format!("api_secret = \"{SECRET}\"\napi_secret = \"{SECRET}\"\n"),
    ];
    for text in broken {
        for command in [&["config", "show"][..], &["list"][..]] {
            let cli = Cli::new();
            let path = config_file(&cli, &text, 0o600);
            let (run, _) = run_checked(cli.args(["--config", &path]).args(command), 2).await;
            assert!(run.stderr.contains("is not valid"), "{run:#?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_of_the_wrong_type_is_not_quoted_in_the_error() {
    let digits = "4242424242424242";
    let cli = Cli::new();
    let path = config_file(
        &cli,
        &format!("api_key = \"k\"\napi_secret = {digits}\n"),
        0o600,
    );
    let run = cli.args(["--config", &path, "list"]).run().await;
    run.expect_code(2);
    assert!(!run.stderr.contains(digits), "{run:#?}");
    assert!(!run.stdout.contains(digits), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_command_uses_the_given_secret_without_printing_it() {
    let cli = Cli::new().args(["--api-secret", SECRET, "sandbox", "--owned", "4"]);
    let mut child = cli.command().spawn().expect("spawn the sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut shown = String::new();
    let read = async {
        while let Some(line) = lines.next_line().await.expect("read") {
            shown.push_str(&line);
            shown.push('\n');
            if line.contains("Ctrl-C stops it") {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("the sandbox starts within 30 s");
    assert_no_secret("the sandbox's banner", &shown);
    let url = shown
        .lines()
        .find_map(|l| l.strip_prefix("Numbers API sandbox listening on "))
        .expect("the URL is printed")
        .trim()
        .to_string();

    // The secret it was given is the one it accepts.
    let ok = Cli::new().args([
        "--base-url",
        &url,
        "--api-key",
        MAIN_KEY,
        "--api-secret",
        SECRET,
    ]);
    let (run, _) = run_checked(ok.args(["list"]), 0).await;
    assert!(run.stdout.contains("4 numbers"), "{run:#?}");
    let bad = Cli::new().args(["--base-url", &url, "--api-key", MAIN_KEY]);
    run_checked(bad.args(["--api-secret", "sandbox-secret", "list"]), 3).await;

    child.start_kill().expect("stop the sandbox");
    let _ = child.wait().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_log_lines_are_written_before_exit() {
    // Sixteen failing runs at once, so the machine is busy when each process exits.
    let mut runs = tokio::task::JoinSet::new();
    for _ in 0..16 {
        runs.spawn(async {
            let cli = Cli::new();
            let path = config_file(&cli, "bogus = 1\n", 0o600);
            let cli = cli.args(["--config", &path, "list"]);
            cli.run().await.expect_code(2);
            std::fs::read_to_string(cli.log_file()).unwrap_or_default()
        });
    }
    let logs = runs.join_all().await;
    let missing = logs
        .iter()
        .filter(|l| !l.contains("command failed"))
        .count();
    assert_eq!(
        missing,
        0,
        "{missing} of {} logs lack the failure",
        logs.len()
    );
}
