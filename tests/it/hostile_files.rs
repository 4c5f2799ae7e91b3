//! Local files and flags a hostile or broken machine can hand the binary: a cache with an
//! impossible date or a huge size, a device as the config file or the certificate, a pasted
//! secret in the wrong section, absurd sandbox sizes. Each is refused or ignored, bounded, and
//! never panics or echoes a value that may be the secret.

use std::time::SystemTime;

use crate::common::{Cli, TempDir};
use switchboard::cache::{Cache, MAX_CACHE_BYTES};
use switchboard::cli::code;

fn cache_file(bytes: &[u8]) -> (TempDir, Cache) {
    let dir = TempDir::new("hostile-cache");
    let cache = Cache::for_account(dir.path(), "hostilekey", "https://rest.nexmo.com");
    std::fs::create_dir_all(cache.path().parent().unwrap()).unwrap();
    std::fs::write(cache.path(), bytes).unwrap();
    (dir, cache)
}

#[test]
fn a_cache_with_an_impossible_date_is_ignored_not_a_panic() {
    let body = format!(
        r#"{{"version":1,"fetched":{},"numbers":[{{"country":"GB","msisdn":"447700900001"}}]}}"#,
        u64::MAX
    );
    let (_dir, cache) = cache_file(body.as_bytes());
    assert!(cache.load(SystemTime::now()).is_none());
    // The same file with a real date is read: the date alone was the trouble.
    let body = body.replace(&u64::MAX.to_string(), "1700000000");
    let (_dir, cache) = cache_file(body.as_bytes());
    assert_eq!(
        cache.load(SystemTime::now()).expect("read").numbers.len(),
        1
    );
}

#[test]
fn a_cache_larger_than_the_bound_is_not_read() {
    // Valid JSON, a cache by its shape, padded past the bound.
    let pad = "x".repeat(MAX_CACHE_BYTES as usize + 1);
    let body = format!(r#"{{"version":1,"fetched":1700000000,"numbers":[],"pad":"{pad}"}}"#);
    let (_dir, cache) = cache_file(body.as_bytes());
    assert!(cache.load(SystemTime::now()).is_none());
}

#[tokio::test]
async fn devices_as_the_config_file_or_certificate_are_refused() {
    for args in [
        &["--config", "/dev/zero", "--sandbox", "list", "--size", "1"][..],
        &["--ca-cert", "/dev/zero", "--sandbox", "list", "--size", "1"][..],
    ] {
        let run = Cli::new().args(args).run().await;
        run.expect_code(code::USAGE);
        assert!(run.stderr.contains("larger than"), "{args:?}: {run:#?}");
    }
}

#[tokio::test]
async fn a_secret_pasted_under_keys_is_not_echoed() {
    let cli = Cli::new();
    let path = cli.home().join("config.toml");
    let secret = "Zq8Xw2LmPa9sDk3F";
    std::fs::write(&path, format!("[keys]\nrefresh = [\"{secret}\"]\n")).unwrap();
    let run = cli
        .args([
            "--config",
            path.to_str().unwrap(),
            "--sandbox",
            "list",
            "--size",
            "1",
        ])
        .run()
        .await;
    run.expect_code(code::USAGE);
    assert!(run.stderr.contains("line 2"), "the line is named: {run:#?}");
    assert!(
        !run.stderr.contains(secret),
        "the value is not echoed: {run:#?}"
    );
}

#[tokio::test]
async fn absurd_sandbox_sizes_are_refused() {
    for n in ["18446744073709551615", "100000000"] {
        let run = Cli::new()
            .args(["--sandbox", "--sandbox-owned", n, "list", "--size", "1"])
            .run()
            .await;
        run.expect_code(code::USAGE);
        assert!(run.stderr.contains("--sandbox-owned"), "{run:#?}");
        let run = Cli::new().args(["sandbox", "--owned", n]).run().await;
        run.expect_code(code::USAGE);
        assert!(run.stderr.contains("--owned"), "{run:#?}");
    }
}
