//! Flags that cannot all be honoured are refused (exit 2, naming both) instead of one being
//! silently ignored: `--sandbox` brings its own server and credentials, and `--sandbox-owned`
//! means nothing without `--sandbox`. Nothing is sent.

use crate::common::{Auth, Cli};

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_with_a_server_or_credentials_and_sandbox_owned_alone_are_refused() {
    let sb = crate::common::sandbox(3, 14).await;
    let before = sb.stats().requests;
    let url = sb.base_url();
    let cases: [(&[&str], &str); 5] = [
        (&["--sandbox", "--base-url", &url, "list"], "--base-url"),
        (&["--sandbox", "--api-key", "k", "list"], "--api-key"),
        (&["--api-secret", "s", "--sandbox", "list"], "--api-secret"),
        (&["list", "--sandbox", "--base-url", &url], "--base-url"),
        (
            &["--sandbox-owned", "40", "--base-url", &url, "list"],
            "--sandbox",
        ),
    ];
    for (args, named) in cases {
        let c = sb.config();
        let run = Cli::new()
            .env("VONAGE_API_KEY", &c.api_key)
            .env("VONAGE_API_SECRET", &c.api_secret)
            .args(args)
            .run()
            .await;
        run.expect_code(2);
        assert!(
            run.stderr.contains(named),
            "{args:?}: the message names {named}: {run:#?}"
        );
        assert_eq!(run.stdout, "", "{args:?}");
    }
    assert_eq!(sb.stats().requests, before, "nothing was sent");
    // Each alone is fine.
    Cli::new()
        .args(["--sandbox", "--sandbox-owned", "4", "list"])
        .run()
        .await
        .expect_code(0);
    Cli::against(&sb, Auth::Flags)
        .args(["list"])
        .run()
        .await
        .expect_code(0);
}
