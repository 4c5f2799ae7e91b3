//! What installing needs: shell completions and a man page from the same clap definitions as
//! the binary, and a release profile that ships a lean binary (no debug info, stripped: about
//! 12 MB, where line tables made 70).

use crate::common::Cli;

#[tokio::test(flavor = "multi_thread")]
async fn completions_for_each_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = Cli::new().args(["completions", shell]).run().await;
        run.expect_code(0);
        for word in ["switchboard", "search", "undo", "--sandbox", "completions"] {
            assert!(run.stdout.contains(word), "{shell}: {word} missing");
        }
        assert_eq!(run.stderr, "", "{shell}");
    }
    let run = Cli::new().args(["completions", "tcsh"]).run().await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("bash"),
        "the choices are named: {run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn man_prints_a_roff_page_of_every_command() {
    let run = Cli::new().args(["man"]).run().await;
    run.expect_code(0);
    let page = &run.stdout;
    assert!(page.contains(".TH switchboard 1"), "{page}");
    for word in [
        "list",
        "search",
        "buy",
        "undo",
        "completions",
        "\\-\\-read\\-only",
    ] {
        assert!(page.contains(word), "{word} missing from the man page");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_into_a_closed_pipe_exit_0() {
    // The Cli (its temporary HOME) outlives the child.
    let cli = Cli::new().args(["completions", "zsh"]);
    let mut child = cli.command().spawn().expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().await.expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_release_profile_strips_the_binary() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let manifest: toml::Table = toml::from_str(&manifest).expect("TOML");
    let release = &manifest["profile"]["release"];
    assert_eq!(release.get("strip"), Some(&toml::Value::Boolean(true)));
    assert_eq!(release.get("debug"), Some(&toml::Value::Boolean(false)));
}
