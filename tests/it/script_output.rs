//! Output a script can rely on: counted nouns agree with their count, the CSV headers use one
//! naming style (snake_case), an update that changes nothing says so (text and JSON `result`)
//! and warns about nothing, and help texts say what the flags do.

use crate::common::{Auth, Cli, MAIN_KEY, TempDir, hits, run_against};

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn counts_agree_with_their_nouns() {
    let one = crate::common::sandbox(1, 3).await;
    let run = run_against(&one, Auth::Env, &["list"]).await;
    assert_eq!(last_line(&run.expect_code(0).stdout), "1 number");
    let three = crate::common::sandbox(3, 3).await;
    let run = run_against(&three, Auth::Env, &["list", "--size", "1"]).await;
    assert_eq!(
        last_line(&run.expect_code(0).stdout),
        "1 number on page 1 of 3 (3 in all)"
    );
    let run = run_against(&three, Auth::Env, &["search", "GB", "--size", "1"]).await;
    let summary = last_line(&run.expect_code(0).stdout);
    assert!(
        summary.starts_with("1 available number on page 1 of "),
        "{summary}"
    );
    // An undo of one number says "1 number", with no "(s)" anywhere.
    let data = TempDir::new("plural-undo");
    let cli = |args: &[&str]| {
        Cli::against(&three, Auth::Env)
            .env("SWITCHBOARD_DATA_DIR", data.path().to_str().unwrap())
            .args(args)
    };
    let (_, (country, owned)) = crate::common::available_and_owned(&three).await;
    cli(&["update", &country, &owned, "--app-id", "plural-app"])
        .run()
        .await
        .expect_code(0);
    let run = cli(&["undo", "--yes"]).run().await;
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("restore the previous configuration of 1 number\n"),
        "{run:#?}"
    );
    assert!(!run.stderr.contains("(s)"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_headers_are_snake_case() {
    let sb = crate::common::sandbox(2, 4).await;
    let header =
        |run: crate::common::Run| run.expect_code(0).stdout.lines().next().map(String::from);
    assert_eq!(
        header(run_against(&sb, Auth::Env, &["list", "--csv"]).await).as_deref(),
        Some(
            "msisdn,country,type,features,app_id,mo_http_url,voice_callback_type,\
             voice_callback_value,messages_callback_type,messages_callback_value"
        )
    );
    assert_eq!(
        header(run_against(&sb, Auth::Env, &["search", "GB", "--csv"]).await).as_deref(),
        Some("msisdn,country,type,features,cost,initial_price")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_that_changes_nothing_says_so_and_sends_nothing() {
    let sb = crate::common::sandbox(5, 6).await;
    let (_, (country, owned)) = crate::common::available_and_owned(&sb).await;
    let app = sb
        .owned_number(MAIN_KEY, &owned)
        .and_then(|r| r.app_id)
        .unwrap_or_else(|| "noop-app".into());
    run_against(
        &sb,
        Auth::Env,
        &["update", &country, &owned, "--app-id", &app],
    )
    .await
    .expect_code(0);
    let sent = hits(&sb, "/number/update");
    let run = run_against(
        &sb,
        Auth::Env,
        &["update", &country, &owned, "--app-id", &app],
    )
    .await;
    run.expect_code(0);
    assert!(
        run.stdout.starts_with(&format!("unchanged {owned}")) && !run.stdout.contains("updated"),
        "{run:#?}"
    );
    assert_eq!(run.stderr, "", "no warning when nothing is sent");
    let run = run_against(
        &sb,
        Auth::Env,
        &["update", &country, &owned, "--app-id", &app, "--json"],
    )
    .await;
    assert_eq!(run.expect_code(0).json()["result"], "unchanged");
    assert_eq!(run.stderr, "", "{run:#?}");
    assert_eq!(hits(&sb, "/number/update"), sent, "nothing was sent");
    // A change that is sent says "updated".
    let run = run_against(
        &sb,
        Auth::Env,
        &[
            "update",
            &country,
            &owned,
            "--app-id",
            "another-app",
            "--json",
        ],
    )
    .await;
    assert_eq!(run.expect_code(0).json()["result"], "updated");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fault_timeout_help_follows_fault_hold_ms() {
    let run = Cli::new().args(["sandbox", "--help"]).run().await;
    let help = run.expect_code(0).stdout.clone();
    let at = help.find("--fault-timeout").expect("the flag in the help");
    let text = help[at..].lines().next().unwrap_or_default();
    assert!(!text.contains("30 s"), "{text}");
    assert!(text.contains("--fault-hold-ms"), "{text}");
}
