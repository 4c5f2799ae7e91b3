//! Listings that would lose numbers (issue 10, case 11), through the real binary: pages that
//! shift while listing and a `count` that lies are detected and read again; a list that cannot
//! be made whole is an error (exit 6), never a shorter list; numbers with no usable country
//! are reported.

use crate::common;

use crate::common::{Auth, Cli, TempDir, clearing_faults_when, hits};
use switchboard::sandbox::{Faults, Sandbox};

const LIST: &str = "/account/numbers";
const URL: &str = "https://hooks.example.com/listing";

fn cli(sb: &Sandbox, data: &TempDir, args: &[&str]) -> Cli {
    Cli::against(sb, Auth::Env)
        .env("SWITCHBOARD_DATA_DIR", data.path().to_str().unwrap())
        .args(args)
}

fn shifted() -> Faults {
    Faults {
        page_shift: 1,
        ..Faults::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_that_shifted_while_listing_is_read_again_and_nothing_is_lost() {
    let sb = common::sandbox(250, 121).await;
    let data = TempDir::new("listing-shift");
    // The first read (3 pages) is shifted: the number at page 1's edge is never served.
    sb.set_faults(shifted());
    let run = clearing_faults_when(
        &sb,
        |s| s.by_path.get(LIST).copied().unwrap_or(0) >= 4,
        cli(&sb, &data, &["list", "--json"]).run(),
    )
    .await;
    run.expect_code(0);
    let listed = run.json();
    let listed = listed["numbers"].as_array().expect("numbers");
    assert_eq!(listed.len(), 250, "every number listed");
    assert!(hits(&sb, LIST) > 3, "read again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_count_that_lies_is_an_error_not_a_short_list() {
    let sb = common::sandbox(250, 122).await;
    let data = TempDir::new("listing-lie");
    sb.set_faults(Faults {
        count_lie: 1,
        ..Faults::default()
    });
    let run = cli(&sb, &data, &["list", "--json"]).run().await;
    run.expect_code(6);
    assert!(run.stderr.contains("could not be read whole"), "{run:#?}");
    assert!(run.stderr.contains("251"), "says what it saw: {run:#?}");
    assert!(run.stdout.is_empty(), "no partial list: {run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_update_over_a_list_that_stays_shifted_changes_nothing() {
    let sb = common::sandbox(250, 123).await;
    let data = TempDir::new("listing-bulk");
    sb.set_faults(shifted());
    let run = cli(
        &sb,
        &data,
        &["update", "--all-matching", "--sms-url", URL, "--yes"],
    )
    .run()
    .await;
    run.expect_code(6);
    assert!(run.stderr.contains("could not be read whole"), "{run:#?}");
    assert_eq!(hits(&sb, "/number/update"), 0, "nothing sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn numbers_without_a_usable_country_are_reported() {
    // A server listing two numbers, one with no country.
    let base = common::fixed_server(
        r#"{"count":2,"numbers":[{"msisdn":"447700900001","country":"GB"},{"msisdn":"447700900002","country":null}]}"#,
    )
    .await;
    let data = TempDir::new("listing-country");
    let run = Cli::new()
        .env("SWITCHBOARD_DATA_DIR", data.path().to_str().unwrap())
        .args([
            "--base-url",
            &base,
            "--api-key",
            "k",
            "--api-secret",
            "s",
            "update",
            "--all-matching",
            "--sms-url",
            URL,
            "--yes",
        ])
        .run()
        .await;
    assert!(
        run.stderr.contains("no usable country") && run.stderr.contains("447700900002"),
        "{run:#?}"
    );
}
