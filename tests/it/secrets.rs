//! The API secret never leaves where the user put it. Complements `cli_secret.rs` (stdout,
//! stderr and the debug log of every command, `config show`, config-file errors): here every
//! pane and dialog of the TUI as drawn, errors shown in it, the trace-level log (where HTTP
//! internals log too) searched for the secret and for its Basic-auth form, the Debug of the
//! client, the permission warning for every file that can hold the secret, and plain http://
//! refused for any host that is not loopback, however it is spelled.

use std::os::unix::fs::PermissionsExt;

use crate::common::tui::{Headless, Seen};
use crate::common::{Auth, Cli, MAIN_KEY};
use ratatui::crossterm::event::KeyCode;
use switchboard::api::{Client, ClientConfig, Credentials, check_base_url};
use switchboard::app::Context;
use switchboard::sandbox::{Faults, Sandbox, SandboxConfig};

const SECRET: &str = "Zq7-secret-f00dfeed";

async fn secret_sandbox(owned: usize) -> Sandbox {
    crate::common::start(SandboxConfig {
        owned,
        seed: 77,
        api_secret: SECRET.to_string(),
        ..SandboxConfig::default()
    })
    .await
}

/// Standard base64, for the Basic-auth form of the credentials.
fn base64(input: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The forms the secret could take in a text: itself, and inside a Basic-auth header.
fn secret_forms() -> Vec<String> {
    let basic = base64(format!("{MAIN_KEY}:{SECRET}").as_bytes());
    // Any 12 characters of the encoding, in case it is cut.
    vec![SECRET.to_string(), basic.clone(), basic[4..16].to_string()]
}

fn assert_clean(what: &str, text: &str) {
    for form in secret_forms() {
        assert!(!text.contains(&form), "{what} holds {form:?}:\n{text}");
    }
}

fn check(step: &str, seen: &Seen) {
    assert_clean(&format!("the screen at {step}"), &seen.screen_text());
    assert_clean(&format!("the cells at {step}"), &seen.cells.concat());
    for (_, entry) in &seen.log {
        assert_clean(&format!("the error log at {step}"), entry);
    }
}

#[test]
fn base64_is_standard() {
    assert_eq!(
        base64(b"sandbox:sandbox-secret"),
        "c2FuZGJveDpzYW5kYm94LXNlY3JldA=="
    );
    assert_eq!(base64(b"ab"), "YWI=");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_pane_or_dialog_draws_the_secret() {
    let sb = secret_sandbox(30).await;
    let mut ui = Headless::start(crate::common::client(&sb), 120, 40);
    let at = |c: Context| move |s: &Seen| s.context == Some(c) && s.busy == 0;
    check(
        "the owned list",
        &ui.wait("the list", |s| s.loaded && s.busy == 0).await,
    );
    ui.ch('?');
    check("help", &ui.wait("help", at(Context::Help)).await);
    ui.key(KeyCode::Esc);
    ui.ch('f');
    check(
        "the API filter form",
        &ui.wait("filter form", at(Context::ServerFilter)).await,
    );
    ui.key(KeyCode::Esc);
    ui.ch('/');
    ui.text("1");
    check(
        "the local filter",
        &ui.wait("filter", at(Context::OwnedFilter)).await,
    );
    ui.key(KeyCode::Esc);
    ui.wait("the table", at(Context::Owned)).await;
    ui.key(KeyCode::Enter);
    check(
        "the detail view",
        &ui.wait("detail", at(Context::Detail)).await,
    );
    ui.ch('e');
    ui.key(KeyCode::Tab);
    ui.ctrl('u');
    ui.text("https://secrets.example.com/in");
    check("the edit form", &ui.wait("edit", at(Context::Edit)).await);
    ui.key(KeyCode::Enter);
    check(
        "the review dialog",
        &ui.wait("review", at(Context::Dialog)).await,
    );
    ui.key(KeyCode::Esc);
    ui.wait("the edit form again", at(Context::Edit)).await;
    // The form holds an edit: Esc asks before dropping it; y drops it.
    ui.key(KeyCode::Esc);
    check(
        "the discard question",
        &ui.wait("discard", at(Context::Dialog)).await,
    );
    ui.ch('y');
    ui.wait("the detail view again", at(Context::Detail)).await;
    ui.ch('c');
    check(
        "the cancel dialog",
        &ui.wait("cancel", at(Context::DialogText)).await,
    );
    ui.key(KeyCode::Esc);
    ui.wait("the detail view again", at(Context::Detail)).await;
    ui.key(KeyCode::Esc);
    ui.ch('2');
    check(
        "the search form",
        &ui.wait("search form", at(Context::SearchForm)).await,
    );
    ui.text("GB");
    ui.key(KeyCode::Enter);
    check(
        "the results",
        &ui.wait("results", |s| s.results.is_some() && s.busy == 0)
            .await,
    );
    ui.ch('b');
    check("the buy dialog", &ui.wait("buy", at(Context::Dialog)).await);
    ui.key(KeyCode::Esc);
    // Errors, shown and logged: authentication failed, and a server error.
    sb.set_faults(Faults {
        rate_401: 1.0,
        ..Faults::default()
    });
    ui.ch('r');
    let seen = ui
        .wait("an error", |s| !s.errors().is_empty() && s.busy == 0)
        .await;
    assert!(
        seen.errors()[0].contains("authentication failed"),
        "{seen:?}"
    );
    check("an authentication error", &seen);
    ui.ch('1');
    ui.ch('L');
    check("the error log", &ui.wait("the log", at(Context::Log)).await);
    ui.finish().await.expect("the loop ends");
}

/// Every file below `dir`.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trace_log_holds_neither_the_secret_nor_the_basic_auth_header() {
    let sb = secret_sandbox(12).await;
    let (available, _) = crate::common::available_and_owned(&sb).await;
    for (args, code) in [
        (vec!["list", "--json"], 0),
        (vec!["buy", "GB", available.as_str(), "--yes"], 0),
        (vec!["search", "GB", "--csv"], 0),
    ] {
        let cli = Cli::against(&sb, Auth::Env)
            .env("SWITCHBOARD_LOG", "trace")
            .args(&args);
        let run = cli.run().await;
        run.expect_code(code);
        let log = std::fs::read_to_string(cli.log_file()).expect("the log file");
        assert!(
            log.len() > 1000,
            "trace logging wrote a lot: {} bytes",
            log.len()
        );
        assert_clean(&format!("the trace log of {args:?}"), &log);
        assert_clean("stdout", &run.stdout);
        assert_clean("stderr", &run.stderr);
        // Every file the run left under its HOME: the journal of the buy, the log, ...
        let files = files_under(cli.home());
        for file in &files {
            let bytes = std::fs::read(file).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            assert_clean(&format!("{} after {args:?}", file.display()), &text);
        }
        if args[0] == "buy" {
            assert!(
                files
                    .iter()
                    .any(|f| f.to_string_lossy().contains("journal-")),
                "the buy was journaled, so the journal was checked: {files:?}"
            );
        }
    }
    // And when the server refuses the credentials.
    sb.set_faults(Faults {
        rate_401: 1.0,
        ..Faults::default()
    });
    let cli = Cli::against(&sb, Auth::Flags)
        .env("SWITCHBOARD_LOG", "trace")
        .args(["list"]);
    let run = cli.run().await;
    run.expect_code(3);
    assert_clean("stderr", &run.stderr);
    assert_clean(
        "the log",
        &std::fs::read_to_string(cli.log_file()).expect("log"),
    );
}

#[test]
fn debug_of_the_client_and_the_credentials_masks_the_secret() {
    let creds = Credentials::new(MAIN_KEY, SECRET);
    assert_clean("Credentials Debug", &format!("{creds:?} {creds:#?}"));
    let client = Client::new(
        creds,
        ClientConfig {
            base_url: "http://127.0.0.1:9".into(),
            ..ClientConfig::default()
        },
    )
    .expect("client");
    assert_clean("Client Debug", &format!("{client:?} {client:#?}"));
}

/// Writes `text` to `path` with `mode`.
fn write(path: &std::path::Path, text: &str, mode: u32) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("dir");
    }
    std::fs::write(path, text).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_file_holding_the_secret_is_checked_for_its_permissions() {
    let sb = secret_sandbox(3).await;
    let json = format!(r#"{{"api-key": "{MAIN_KEY}", "api-secret": "{SECRET}"}}"#);
    let toml = format!("api_key = \"{MAIN_KEY}\"\napi_secret = \"{SECRET}\"\n");
    for mode in [0o600, 0o400, 0o640, 0o604, 0o644, 0o666] {
        let loose = mode & 0o077 != 0;
        // switchboard's config file, the Vonage CLI's ./.vonagerc and ~/.vonage/config.json.
        for which in ["config", "vonagerc", "home"] {
            let cli = Cli::new().args(["--base-url", &sb.base_url(), "list", "--size", "1"]);
            let path = match which {
                "config" => {
                    let p = cli.home().join("switchboard.toml");
                    write(&p, &toml, mode);
                    p
                }
                "vonagerc" => {
                    let p = cli.home().join(".vonagerc");
                    write(&p, &json, mode);
                    p
                }
                _ => {
                    let p = cli.home().join(".vonage/config.json");
                    write(&p, &json, mode);
                    p
                }
            };
            let cli = if which == "config" {
                cli.env("SWITCHBOARD_CONFIG", path.to_str().expect("utf-8"))
            } else {
                cli
            };
            let run = cli.run().await;
            run.expect_code(0);
            let warned =
                run.stderr.contains("readable by others") && run.stderr.contains("chmod 600");
            assert_eq!(warned, loose, "{which} with mode {mode:o}: {run:#?}");
            assert_clean("the warning", &run.stderr);
            if loose {
                assert!(
                    run.stderr.contains(path.to_str().expect("utf-8")),
                    "names the file"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_is_refused_unless_loopback_however_the_host_is_spelled() {
    let allowed = [
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://localhost:1",
        "http://LOCALHOST",
        "http://[::1]:80",
        "https://example.com",
        "HTTPS://rest.nexmo.com",
    ];
    let refused = [
        "http://example.com",
        "HTTP://EXAMPLE.COM",
        "http://10.0.0.1",
        "http://192.168.1.1:8080",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://[::ffff:8.8.8.8]",
        "http://0.0.0.0",
        "http://user:pw@example.com",
        "ftp://127.0.0.1",
        "rest.nexmo.com",
        // URL parsing (WHATWG) would repair these into http://127.0.0.1/ and
        // https://rest.nexmo.com/: a base URL must be written scheme://host as it is meant.
        "http:/127.0.0.1",
        "https:rest.nexmo.com",
    ];
    for url in allowed {
        assert!(check_base_url(url).is_ok(), "{url} is allowed");
    }
    for url in refused {
        let err = check_base_url(url).expect_err(url);
        let client = Client::new(
            Credentials::new(MAIN_KEY, SECRET),
            ClientConfig {
                base_url: url.to_string(),
                ..ClientConfig::default()
            },
        );
        assert!(client.is_err(), "{url}: the client refuses it too");
        assert_clean("the refusal", &err.to_string());
    }
    // The CLI: exit 2, before any connection; the secret is not echoed.
    for url in [
        "http://example.com",
        "http://127.0.0.1.nip.io",
        "http://10.0.0.1",
    ] {
        let run = Cli::new()
            .args(["--base-url", url, "--api-key", MAIN_KEY, "list"])
            .env("VONAGE_API_SECRET", SECRET)
            .run()
            .await;
        run.expect_code(2);
        assert!(run.stderr.contains("http://"), "{run:#?}");
        assert_clean("stderr", &run.stderr);
    }
}
