//! `--read-only` on the command line: buy, cancel, update and undo are refused with exit code 2
//! (usage: nothing was sent), before any request reaches the sandbox; browsing still works.

use crate::common::{Auth, MAIN_KEY, run_against};

#[tokio::test(flavor = "multi_thread")]
async fn read_only_refuses_every_change_and_sends_nothing() {
    let sb = crate::common::sandbox(10, 31).await;
    let (available, (country, owned)) = crate::common::available_and_owned(&sb).await;
    let before = sb.stats().requests;
    let url = "https://hooks.example.com/ro";
    let changes: [Vec<&str>; 6] = [
        vec!["buy", "GB", &available, "--yes"],
        vec!["cancel", &country, &owned, "--yes"],
        vec!["update", &country, &owned, "--sms-url", url],
        vec!["update", &country, &owned, "--clear", "sms-url"],
        vec![
            "update",
            "--all-matching",
            "--country",
            &country,
            "--sms-url",
            url,
            "--yes",
        ],
        vec!["undo", "--yes"],
    ];
    for args in &changes {
        let mut all = vec!["--read-only"];
        all.extend(args.iter().copied());
        let run = run_against(&sb, Auth::Flags, &all).await;
        run.expect_code(2);
        assert!(
            run.stderr
                .contains("--read-only: buy, cancel, update and undo are turned off"),
            "{args:?}: {run:#?}"
        );
    }
    assert_eq!(sb.stats().requests, before, "nothing was sent");
    assert!(sb.owned_number(MAIN_KEY, &available).is_none());
    assert!(sb.owned_number(MAIN_KEY, &owned).is_some());
    // Browsing works.
    let run = run_against(&sb, Auth::Flags, &["--read-only", "list", "--json"]).await;
    run.expect_code(0);
    assert_eq!(run.json()["count"], 10);
}
