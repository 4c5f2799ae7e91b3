//! Diagnostics about credentials, through the real binary: a Vonage CLI file that cannot be
//! read is named (not skipped silently), an authentication failure with a key and a secret
//! from different places names both places, and `config show` repeats the warnings about
//! files holding the secret that others can read.

use std::os::unix::fs::PermissionsExt;

use crate::common::Cli;

fn write(path: &std::path::Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_vonagerc_is_named_not_skipped_silently() {
    let cli = Cli::new().args(["list"]);
    let rc = cli.home().join(".vonagerc");
    write(&rc, "{\"api-key\": \"k\",,", 0o600);
    let run = cli.run().await;
    run.expect_code(3);
    assert!(
        run.stderr.contains(&rc.display().to_string()) && run.stderr.contains("not valid JSON"),
        "{run:#?}"
    );
    // Also when another source gives the key: the secret was looked for there.
    let cli = Cli::new().env("VONAGE_API_KEY", "from-env").args(["list"]);
    let rc = cli.home().join(".vonagerc");
    write(&rc, "[1, 2]", 0o600);
    let run = cli.run().await;
    run.expect_code(3);
    assert!(
        run.stderr.contains(&rc.display().to_string()) && run.stderr.contains("not a JSON object"),
        "{run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_and_secret_from_two_places_name_both() {
    let sb = crate::common::sandbox(3, 71).await;
    let cli = Cli::new()
        .env("VONAGE_API_KEY", &sb.config().api_key)
        .args(["--base-url", &sb.base_url(), "list"]);
    write(
        &cli.home().join(".vonagerc"),
        "{\"api-secret\": \"not-the-sandbox-secret\"}",
        0o600,
    );
    let run = cli.run().await;
    run.expect_code(3);
    assert!(
        run.stderr.contains("environment") && run.stderr.contains(".vonagerc"),
        "both sources named: {run:#?}"
    );
    assert!(!run.stderr.contains("not-the-sandbox-secret"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn config_show_repeats_the_loose_permission_warnings() {
    let cli = Cli::new();
    let config = cli.home().join("config.toml");
    write(&config, "api_key = \"k\"\napi_secret = \"s\"\n", 0o644);
    let rc = cli.home().join(".vonagerc");
    write(&rc, "{\"api-secret\": \"other\"}", 0o640);
    let run = cli
        .env("SWITCHBOARD_CONFIG", config.to_str().unwrap())
        .args(["config", "show"])
        .run()
        .await;
    run.expect_code(0);
    for file in [&config, &rc] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with("# warning:")
                && l.contains(&file.display().to_string())
                && l.contains("readable by others")),
            "{}: {run:#?}",
            file.display()
        );
    }
}
