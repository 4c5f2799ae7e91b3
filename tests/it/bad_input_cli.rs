//! Hostile and careless input in every flag and argument of list, search, buy, cancel and
//! update: wrong countries, msisdns with letters or too long, relative or non-http URLs, sizes 0
//! and 101, patterns with letters, a pasted 10,000-character string, control and escape
//! characters, right-to-left and wide characters. Each is a usage error (exit 2) that names
//! what is wrong, the sandbox receives no request at all, and stderr carries no control or
//! bidi character (so the user's terminal is not driven by their own typo).

use std::sync::Arc;

use crate::common::{Auth, Cli};
use switchboard::api::validate::is_unsafe_char;
use tokio::sync::Semaphore;

/// What a flag takes.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Country,
    Msisdn,
    Url,
    Size,
    Index,
    Pattern,
    Text,
    Choice,
}

fn long() -> String {
    "4".repeat(10_000)
}

/// Values every flag refuses, whatever it takes.
fn hostile_for_all() -> Vec<String> {
    vec![
        long(),
        "\u{1b}[2J\u{1b}[31mred".to_string(),
        "ab\u{7}\u{8}\r\n".to_string(),
        "\u{202E}44770\u{2066}".to_string(),
    ]
}

fn values(kind: Kind) -> Vec<String> {
    let specific: &[&str] = match kind {
        Kind::Country => &["XX1", "G", "GBR", "電話", "עב", "", "  "],
        Kind::Msisdn => &[
            "44770090000a",
            "4477009000001234567",
            "+44 abc",
            "٤٤٧٧٠٠٩٠٠٠٠٠",
            "電話番号電話番号",
            "0447700900000",
        ],
        Kind::Url => &[
            "/inbound",
            "example.com/in",
            "ftp://files.example.com/x",
            "javascript:alert(1)",
            "https://",
            "https://exa mple.com/in",
            "file:///etc/passwd",
        ],
        Kind::Size => &["0", "101", "-1", "ten", "1e3", "٣"],
        Kind::Index => &["0", "-1", "first"],
        Kind::Pattern => &["44a", "+", "1234567890123456", "٤٤", "4 4 a", "電話"],
        Kind::Text => &[],
        Kind::Choice => &["fax", "電話", "ⓢⓜⓢ", "landline\u{202E}"],
    };
    let mut v: Vec<String> = specific.iter().map(|s| s.to_string()).collect();
    v.extend(hostile_for_all());
    v
}

/// Every flag and argument: (the command with `{}` where the value goes, what it takes).
fn flags(owned: &str, available: &str) -> Vec<(Vec<String>, Kind)> {
    let t = |s: &str| -> Vec<String> {
        s.split(' ')
            .map(|w| {
                w.replace("OWNED", owned)
                    .replace("AVAIL", available)
                    .to_string()
            })
            .collect()
    };
    vec![
        (t("list --country {}"), Kind::Country),
        (t("list --application-id {}"), Kind::Text),
        (t("list --has-application {}"), Kind::Choice),
        (t("list --pattern {}"), Kind::Pattern),
        (t("list --pattern 44 --match {}"), Kind::Choice),
        (t("list --size {}"), Kind::Size),
        (t("list --index {}"), Kind::Index),
        (t("search {}"), Kind::Country),
        (t("search GB --type {}"), Kind::Choice),
        (t("search GB --features {}"), Kind::Choice),
        (t("search GB --pattern {}"), Kind::Pattern),
        (t("search GB --pattern 44 --match {}"), Kind::Choice),
        (t("search GB --size {}"), Kind::Size),
        (t("search GB --index {}"), Kind::Index),
        (t("buy {} AVAIL --yes"), Kind::Country),
        (t("buy GB {} --yes"), Kind::Msisdn),
        (t("buy GB AVAIL --yes --target-api-key {}"), Kind::Text),
        (t("cancel {} OWNED --yes"), Kind::Country),
        (t("cancel US {} --yes"), Kind::Msisdn),
        (t("cancel US OWNED --yes --target-api-key {}"), Kind::Text),
        (t("update {} OWNED --app-id x"), Kind::Country),
        (t("update US {} --app-id x"), Kind::Msisdn),
        (t("update US OWNED --app-id {}"), Kind::Text),
        (t("update US OWNED --sms-url {}"), Kind::Url),
        (t("update US OWNED --smpp-sys-type {}"), Kind::Text),
        (
            t("update US OWNED --voice-type {} --voice-value sip:a@b.example"),
            Kind::Choice,
        ),
        (
            t("update US OWNED --voice-type sip --voice-value {}"),
            Kind::Text,
        ),
        (t("update US OWNED --voice-status-url {}"), Kind::Url),
        (t("update US OWNED --clear {}"), Kind::Choice),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_flag_refuses_hostile_input_sends_nothing_and_prints_no_control_character() {
    let sb = Arc::new(crate::common::sandbox(6, 91).await);
    let (available, (country, owned)) = crate::common::available_and_owned(&sb).await;
    assert_eq!(country, "US", "the template's owned number is in the US");
    let before = sb.stats().requests;
    let gate = Arc::new(Semaphore::new(8));
    let mut tasks = Vec::new();
    for (template, kind) in flags(&owned, &available) {
        for value in values(kind) {
            let args: Vec<String> = template
                .iter()
                .map(|a| if a == "{}" { value.clone() } else { a.clone() })
                .collect();
            let (sb, gate) = (sb.clone(), gate.clone());
            tasks.push(tokio::spawn(async move {
                let _permit = gate.acquire().await.expect("semaphore");
                let run = Cli::against(&sb, Auth::Env).args(&args).run().await;
                let shown: Vec<String> = args
                    .iter()
                    .map(|a| a.chars().take(30).collect::<String>())
                    .collect();
                let mut problems = Vec::new();
                if run.code != 2 {
                    problems.push(format!("exit {} (expected 2)", run.code));
                }
                if run.stderr.trim().is_empty() {
                    problems.push("no message".to_string());
                }
                if let Some(c) = run
                    .stderr
                    .chars()
                    .chain(run.stdout.chars())
                    .find(|c| *c != '\n' && is_unsafe_char(*c))
                {
                    problems.push(format!("prints {c:?}"));
                }
                if run.stderr.len() > 2_000 {
                    problems.push(format!("a {}-byte message", run.stderr.len()));
                }
                if problems.is_empty() {
                    None
                } else {
                    Some(format!(
                        "{shown:?}: {}\n  stderr: {}",
                        problems.join(", "),
                        run.stderr
                            .chars()
                            .take(300)
                            .collect::<String>()
                            .escape_debug()
                    ))
                }
            }));
        }
    }
    let count = tasks.len();
    let mut failures = Vec::new();
    for task in tasks {
        if let Some(f) = task.await.expect("case task") {
            failures.push(f);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        sb.stats().requests,
        before,
        "no hostile input reached the API"
    );
}

/// The global flags and the sandbox's: (arguments, with credentials for the sandbox).
fn global_cases() -> Vec<Vec<String>> {
    let long = long();
    let esc = "\u{1b}[2J\u{1b}[31m".to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["--timeout", "0", "list"],
        vec!["--timeout", "-1", "list"],
        vec!["--timeout", "soon", "list"],
        vec!["--rate", "0", "list"],
        vec!["--rate", "-5", "list"],
        vec!["--rate", "NaN", "list"],
        vec!["--rate", "inf", "list"],
        vec!["--base-url", "ftp://127.0.0.1", "list"],
        vec!["--base-url", "http://example.com", "list"],
        vec!["--base-url", "/relative", "list"],
        vec!["--base-url", &esc, "list"],
        vec!["--base-url", &long, "list"],
        vec!["--ca-cert", "/nonexistent/ca.pem", "list"],
        vec!["--api-key", &esc, "list"],
        vec!["--api-key", "two words", "list"],
        vec!["--api-key", "key\u{202E}", "list"],
        vec!["--sandbox-owned", "-1", "list"],
        vec!["sandbox", "--fault-429", "2"],
        vec!["sandbox", "--fault-timeout", "-0.5"],
        vec!["sandbox", "--fault-hold-ms", "soon"],
        vec!["sandbox", "--fault-limit", "-1"],
        vec!["sandbox", "--rate-limit", "0"],
        vec!["sandbox", "--credit", "-1"],
        vec!["sandbox", "--credit", "NaN"],
        vec!["sandbox", "--port", "99999"],
        vec!["sandbox", "--owned", &long],
    ];
    cases
        .into_iter()
        .map(|c| c.into_iter().map(String::from).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn global_and_sandbox_flags_refuse_hostile_input_and_send_nothing() {
    let sb = crate::common::sandbox(3, 92).await;
    let before = sb.stats().requests;
    let mut failures = Vec::new();
    for args in global_cases() {
        // Credentials from the environment, the sandbox's URL unless the case gives one (a
        // flag given twice would be refused by clap for that reason alone).
        let c = sb.config();
        let mut cli = Cli::new()
            .env("VONAGE_API_KEY", &c.api_key)
            .env("VONAGE_API_SECRET", &c.api_secret);
        if !args.iter().any(|a| a == "--base-url") {
            cli = cli.args(["--base-url", &sb.base_url()]);
        }
        let cli = cli.args(&args);
        let run = tokio::time::timeout(std::time::Duration::from_secs(20), cli.run())
            .await
            .unwrap_or_else(|_| panic!("{args:?} did not end (a sandbox started?)"));
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(20).collect()).collect();
        if run.code != 2 || run.stderr.contains("cannot be used multiple times") {
            failures.push(format!(
                "{shown:?}: exit {} ({})",
                run.code,
                run.stderr.trim()
            ));
        }
        eprintln!(
            "{shown:?}: {}",
            run.stderr.lines().next().unwrap_or_default()
        );
        if let Some(c) = run
            .stderr
            .chars()
            .find(|c| *c != '\n' && is_unsafe_char(*c))
        {
            failures.push(format!("{shown:?}: prints {c:?}"));
        }
        if run.stderr.len() > 2_000 {
            failures.push(format!("{shown:?}: a {}-byte message", run.stderr.len()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(sb.stats().requests, before, "nothing reached the API");
}
