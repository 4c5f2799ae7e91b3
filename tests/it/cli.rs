//! The real binary against a sandbox running in this test process (multi-thread runtime, the
//! child awaited asynchronously so the sandbox keeps serving): list and search output formats,
//! terminal safety, and the documented exit codes. Buy, cancel and update are in
//! `cli_buy_update.rs`; the secret and `config` in `cli_secret.rs`.

use crate::common::{Auth, Cli, MAIN_KEY, run_against};
use switchboard::api::{OwnedQuery, SearchQuery};
use switchboard::sandbox::Faults;

const SUMMARY_250: &str = "250 numbers";

fn first_column(line: &str) -> &str {
    line.split([' ', ',']).next().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_a_table_with_a_header_and_the_count() {
    let sb = crate::common::sandbox(250, 61).await;
    let run = run_against(&sb, Auth::Flags, &["list"]).await;
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    for column in [
        "MSISDN",
        "COUNTRY",
        "TYPE",
        "FEATURES",
        "APP",
        "SMS WEBHOOK",
        "VOICE",
    ] {
        assert!(lines[0].contains(column), "header {:?}", lines[0]);
    }
    assert_eq!(lines.len(), 1 + 250 + 1, "{}", run.stdout);
    assert_eq!(lines[251], SUMMARY_250);
    for row in &lines[1..251] {
        let m = first_column(row);
        assert!(sb.owned_number(MAIN_KEY, m).is_some(), "{row}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_json_holds_every_owned_number() {
    let sb = crate::common::sandbox(250, 62).await;
    let run = run_against(&sb, Auth::Env, &["list", "--json"]).await;
    run.expect_code(0);
    let v = run.json();
    assert_eq!(v["count"].as_u64(), Some(sb.owned_count(MAIN_KEY) as u64));
    let numbers = v["numbers"].as_array().expect("numbers");
    assert_eq!(numbers.len(), 250);
    for n in numbers {
        let m = n["msisdn"].as_str().expect("msisdn");
        let rec = sb.owned_number(MAIN_KEY, m).expect("owned");
        assert_eq!(n["country"].as_str(), Some(rec.country.as_str()));
        assert_eq!(n["app_id"].as_str(), rec.app_id.as_deref());
    }
    assert!(
        run.stderr.contains(SUMMARY_250),
        "summary on stderr: {run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_csv_has_a_header_and_one_line_per_number() {
    let sb = crate::common::sandbox(250, 63).await;
    let run = run_against(&sb, Auth::Flags, &["list", "--csv"]).await;
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "msisdn,country,type,features,app_id,mo_http_url,voice_callback_type,voice_callback_value,messages_callback_type,messages_callback_value"
    );
    assert_eq!(lines.len(), 1 + 250);
    for line in &lines[1..] {
        assert!(
            sb.owned_number(MAIN_KEY, first_column(line)).is_some(),
            "{line}"
        );
    }
    assert!(run.stderr.contains(SUMMARY_250));
}

#[tokio::test(flavor = "multi_thread")]
async fn list_one_page_with_size_and_index() {
    let sb = crate::common::sandbox(250, 64).await;
    let run = run_against(&sb, Auth::Flags, &["list", "--size", "5", "--index", "2"]).await;
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 5 + 1, "{}", run.stdout);
    assert_eq!(lines[6], "5 numbers on page 2 of 50 (250 in all)");
    let page = crate::common::client(&sb)
        .list_owned(&OwnedQuery {
            size: 5,
            index: 2,
            ..OwnedQuery::default()
        })
        .await
        .expect("page 2");
    let expected: Vec<String> = page
        .numbers
        .iter()
        .map(|n| n.msisdn.clone().expect("m"))
        .collect();
    let shown: Vec<&str> = lines[1..6].iter().map(|l| first_column(l)).collect();
    assert_eq!(shown, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn search_json_gives_one_page_of_priced_numbers() {
    let sb = crate::common::sandbox(0, 65).await;
    let run = run_against(&sb, Auth::Flags, &["search", "GB", "--size", "3", "--json"]).await;
    run.expect_code(0);
    let v = run.json();
    let numbers = v["numbers"].as_array().expect("numbers");
    assert_eq!(numbers.len(), 3);
    assert!(v["count"].as_u64().expect("count") > 3);
    for n in numbers {
        assert_eq!(n["country"], "GB");
        assert!(sb.is_available("GB", n["msisdn"].as_str().expect("msisdn")));
        assert!(
            n["cost"].is_string() && n["initialPrice"].is_string(),
            "{n}"
        );
    }
    assert!(
        run.stderr.contains("3 available numbers on page 1 of"),
        "{run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn list_and_search_filters_reach_the_api() {
    let sb = crate::common::sandbox(250, 75).await;
    let filter = switchboard::api::OwnedFilter {
        country: Some("GB".into()),
        has_application: Some(false),
        pattern: Some(switchboard::api::Pattern {
            digits: "7".into(),
            mode: switchboard::api::MatchMode::Contains,
        }),
        ..Default::default()
    };
    let expected = crate::common::client(&sb)
        .list_all(&filter, |_| {})
        .await
        .expect("list_all");
    assert!(!expected.is_empty() && expected.len() < 250);
    let args = ["list", "--country", "gb", "--has-application", "false"];
    let run = run_against(
        &sb,
        Auth::Flags,
        &[
            &args[..],
            &["--pattern", "7", "--match", "contains", "--json"],
        ]
        .concat(),
    )
    .await;
    run.expect_code(0);
    let listed = run.json();
    let shown: Vec<&str> = listed["numbers"]
        .as_array()
        .expect("numbers")
        .iter()
        .map(|n| n["msisdn"].as_str().expect("msisdn"))
        .collect();
    let wanted: Vec<&str> = expected
        .iter()
        .map(|n| n.msisdn.as_deref().expect("m"))
        .collect();
    assert_eq!(shown, wanted);

    let search = [
        "search",
        "GB",
        "--type",
        "mobile-lvn",
        "--features",
        "voice,sms",
        "--json",
    ];
    let run = run_against(&sb, Auth::Flags, &search).await;
    run.expect_code(0);
    let v = run.json();
    let numbers = v["numbers"].as_array().expect("numbers");
    assert!(!numbers.is_empty());
    for n in numbers {
        assert_eq!(n["type"], "mobile-lvn", "{n}");
        let features = n["features"].as_array().expect("features");
        assert!(
            features.contains(&"SMS".into()) && features.contains(&"VOICE".into()),
            "{n}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_exit_2_and_sends_nothing() {
    let sb = crate::common::sandbox(10, 70).await;
    let cases: [(&[&str], &str); 9] = [
        (&["list", "--country", "G1"], "country"),
        (&["search", "G1"], "country"),
        (&["buy", "G1", "447700900123", "--yes"], "country"),
        (&["cancel", "GB", "12ab", "--yes"], "msisdn"),
        (
            &["update", "GB", "447700900123", "--sms-url", "ftp://x"],
            "moHttpUrl",
        ),
        (
            &["update", "G1", "447700900123", "--app-id", "a"],
            "country",
        ),
        (&["search", "GB", "--features", "fax"], "features"),
        (&["list", "--size", "101"], "size"),
        (&["search", "GB", "--pattern", "12a"], "pattern"),
    ];
    for (args, field) in cases {
        let run = run_against(&sb, Auth::Flags, args).await;
        run.expect_code(2);
        assert!(
            run.stderr.contains(field),
            "{args:?} should name {field}: {run:#?}"
        );
        assert_eq!(sb.stats().requests, 0, "{args:?} sent a request");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_by_the_api_have_their_exit_codes() {
    let sb = crate::common::sandbox(10, 71).await;
    let (_, (country, owned)) = crate::common::available_and_owned(&sb).await;

    let run = Cli::new()
        .args([
            "--base-url",
            &sb.base_url(),
            "--api-key",
            MAIN_KEY,
            "--api-secret",
            "wrong",
        ])
        .args(["list"])
        .run()
        .await;
    run.expect_code(3);
    assert!(run.stderr.contains("authentication failed"), "{run:#?}");

    // A number owned already is not bought again: the owned list, read first, says so, and
    // nothing is sent (it is its own outcome, not a refusal).
    let run = run_against(&sb, Auth::Flags, &["buy", &country, &owned, "--yes"]).await;
    run.expect_code(0);
    assert!(run.stdout.contains("already owned"), "{run:#?}");
    assert_eq!(crate::common::hits(&sb, "/number/buy"), 0);

    let c = crate::common::client(&sb);
    let it = c.search(&SearchQuery::new("IT")).await.expect("search IT");
    let m = it.numbers[0].msisdn.clone().expect("msisdn");
    let run = run_against(&sb, Auth::Flags, &["buy", "IT", &m, "--yes"]).await;
    run.expect_code(4);
    assert!(
        run.stderr
            .contains("Numbers from this country can be requested from the Dashboard"),
        "the label verbatim: {run:#?}"
    );
    assert!(sb.is_available("IT", &m));

    let (free, _) = crate::common::available_and_owned(&sb).await;
    let run = run_against(&sb, Auth::Flags, &["update", "GB", &free, "--app-id", "a"]).await;
    run.expect_code(4);
    assert!(
        run.stderr.contains("not a number this account owns"),
        "{run:#?}"
    );
    assert_eq!(crate::common::hits(&sb, "/number/update"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn server_trouble_has_its_exit_codes() {
    let sb = crate::common::sandbox(10, 72).await;
    sb.set_faults(Faults {
        rate_malformed: 1.0,
        ..Faults::default()
    });
    run_against(&sb, Auth::Flags, &["list"])
        .await
        .expect_code(6);
    sb.set_faults(Faults {
        rate_429: 1.0,
        rate_429_no_retry_after: true,
        ..Faults::default()
    });
    let run = run_against(&sb, Auth::Flags, &["search", "GB"]).await;
    run.expect_code(5);
    assert!(run.stderr.contains("rate limited"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_credentials_at_all_is_exit_3_and_points_to_the_sandbox() {
    let run = Cli::new().args(["list"]).run().await;
    run.expect_code(3);
    assert!(run.stderr.contains("--sandbox"), "{run:#?}");
    assert!(run.stderr.contains("VONAGE_API_KEY"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_a_remote_host_is_refused() {
    let run = Cli::new()
        .args([
            "--base-url",
            "http://rest.nexmo.com",
            "--api-key",
            "k",
            "--api-secret",
            "s",
        ])
        .args(["list"])
        .run()
        .await;
    run.expect_code(2);
    assert!(run.stderr.contains("http://"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ca_cert_trusts_a_sandbox_served_over_https() {
    let dir = crate::common::TempDir::new("tls");
    let sb = crate::common::start(switchboard::sandbox::SandboxConfig {
        owned: 12,
        tls: true,
        cert_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .await;
    let pem = sb.cert_pem_path().expect("cert").to_str().expect("utf-8");
    let run = run_against(&sb, Auth::Flags, &["--ca-cert", pem, "list", "--size", "2"]).await;
    run.expect_code(0);
    assert!(
        run.stdout.contains("2 numbers on page 1 of 6 (12 in all)"),
        "{run:#?}"
    );
    let run = run_against(&sb, Auth::Flags, &["--timeout", "2", "list"]).await;
    run.expect_code(6);
    assert!(run.stderr.contains("certificate"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_embedded_sandbox_needs_no_credentials() {
    let run = Cli::new()
        .args(["--sandbox", "list", "--size", "3"])
        .run()
        .await;
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 3 + 1, "{run:#?}");
    assert!(lines[0].starts_with("MSISDN"));
    assert_eq!(lines[4], "3 numbers on page 1 of 84 (250 in all)");
}

#[tokio::test(flavor = "multi_thread")]
async fn values_from_the_server_cannot_drive_the_terminal() {
    let sb = crate::common::sandbox(3, 74).await;
    let (_, (country, m)) = crate::common::available_and_owned(&sb).await;
    // Store an app id holding an escape sequence, straight through the API.
    switchboard::api::install_crypto_provider();
    let status = reqwest::Client::new()
        .post(format!("{}/number/update", sb.base_url()))
        .basic_auth(MAIN_KEY, Some("sandbox-secret"))
        .form(&[
            ("country", country.as_str()),
            ("msisdn", &m),
            ("app_id", "app\u{1b}]0;pwned\u{7}\u{1b}[2J"),
        ])
        .send()
        .await
        .expect("raw update")
        .status();
    assert!(status.is_success());
    for format in [&["list"][..], &["list", "--csv"][..]] {
        let run = run_against(&sb, Auth::Flags, format).await;
        run.expect_code(0);
        assert!(run.stdout.contains("app?]0;pwned??[2J"), "{run:#?}");
        assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'));
    }
    let run = run_against(&sb, Auth::Flags, &["list", "--json"]).await;
    assert!(
        !run.stdout.contains('\u{1b}'),
        "JSON escapes control characters"
    );
    assert_eq!(
        run.json()["numbers"][0]["app_id"],
        "app\u{1b}]0;pwned\u{7}\u{1b}[2J"
    );
}
