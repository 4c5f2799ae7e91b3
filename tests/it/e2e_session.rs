//! End-to-end: the real binary in a pseudo-terminal, typed at and read back as a user would,
//! against a sandbox over loopback: start, filter, open a number, change its SMS webhook,
//! confirm, see it in the table, buy a number from the Search pane, cancel it, quit with the
//! terminal restored.

use crate::common::pty::Pty;
use crate::common::{Auth, Cli, wait};
use switchboard::sandbox::SandboxConfig;

/// The first cell of the row under the header line that contains `header`.
fn first_cell_after(screen: &str, header: &str) -> String {
    screen
        .lines()
        .skip_while(|l| !l.contains(header))
        .nth(1)
        .and_then(|l| l.trim_start_matches('│').split_whitespace().next())
        .filter(|c| c.chars().all(|ch| ch.is_ascii_digit()))
        .map(String::from)
        .unwrap_or_else(|| panic!("no number under {header}:\n{screen}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_session_from_start_to_quit() {
    let sandbox = crate::common::start(SandboxConfig {
        owned: 120,
        webhook_check: false,
        ..SandboxConfig::default()
    })
    .await;
    let cli = Cli::against(&sandbox, Auth::Env);
    let sb = &sandbox;
    tokio::task::block_in_place(|| {
        let mut t = Pty::start(&cli);
        // Start: the owned list, all of it, with the SANDBOX badge.
        t.wait_text("SANDBOX");
        let s = t.wait_text("120 shown of 120");
        assert!(!s.contains("sandbox-secret"));
        assert!(t.alternate_screen(), "the UI runs on the alternate screen");

        // Filter to one number, open it.
        let target = first_cell_after(&s, "MSISDN");
        let before = sb.owned_number("sandbox", &target).unwrap();
        t.keys(&["/"]);
        t.text(&target);
        t.wait_text("1 shown of 120");
        t.keys(&["Enter", "Enter"]);
        t.wait_text("Limitations");

        // Edit the SMS webhook, review, save.
        t.keys(&["e", "Tab", "C-u"]);
        t.text("https://e2e.example.com/inbound");
        t.keys(&["Enter"]);
        t.wait_text("[ y Save ]");
        // The app GETs the new webhook as Vonage will (this host does not resolve here): save
        // once the dialog says what it found, so its message does not replace "updated".
        t.wait_for("the webhook check", 20, |s| {
            s.contains("[ y Save ]") && !s.contains("Checking that the SMS webhook")
        });
        t.keys(&["Tab", "Enter"]);
        wait::until("the update in the sandbox", 20, || {
            sb.owned_number("sandbox", &target)
                .and_then(|n| n.mo_http_url)
                .as_deref()
                == Some("https://e2e.example.com/inbound")
        });
        let after = sb.owned_number("sandbox", &target).unwrap();
        assert_eq!(after.app_id, before.app_id, "untouched fields are kept");
        assert_eq!(after.voice_callback_type, before.voice_callback_type);
        t.wait_text(&format!("updated {target}"));

        // Back to the table: the new webhook is in it.
        // (An Esc sent with a key after it reads as Alt+key: one at a time.)
        t.keys(&["Escape"]);
        t.wait_for("the table with the new webhook", 20, |s| {
            // The table keeps the scheme and cuts the URL in the middle.
            s.contains("1 shown of 120")
                && s.contains("https://e2e.e")
                && s.contains(".com/inbound")
        });
        t.keys(&["Escape"]);
        t.wait_text("120 shown of 120");

        // Search GB, buy the first result ("Don't buy" is focused: Tab to Buy).
        t.keys(&["2"]);
        t.wait_text("Search available numbers");
        t.text("gb");
        t.keys(&["Enter"]);
        let s = t.wait_text("Results — page 1 of");
        let bought = first_cell_after(&s, "MONTHLY");
        t.keys(&["b"]);
        t.wait_text("Buy this number?");
        t.keys(&["Tab", "Enter"]);
        wait::until("the purchase", 20, || {
            sb.owned_number("sandbox", &bought).is_some()
        });
        t.wait_text(&format!("bought {bought}"));

        // It is in the Owned pane; cancel it by typing its last four digits.
        t.keys(&["1", "/"]);
        t.text(&bought);
        t.wait_text("1 shown of 121");
        t.keys(&["Enter", "c"]);
        t.wait_text("last four digits");
        t.text(&bought[bought.len() - 4..]);
        t.keys(&["Enter"]);
        wait::until("the cancellation", 20, || {
            sb.owned_number("sandbox", &bought).is_none()
        });
        t.wait_text(&format!("cancelled {bought}"));

        // Quit: the program ends and the terminal is back to the normal screen.
        t.keys(&["q"]);
        let status = t.wait_exit(20);
        assert!(
            status.success(),
            "the program ended with {status}:\n{}",
            t.screen()
        );
        assert!(!t.alternate_screen(), "the alternate screen was left");
        let s = t.screen();
        assert!(!s.contains("sandbox-secret"));
    });
}

/// The palette and the mouse in a real terminal: `:` finds "export list" by name and runs
/// it; a click (an SGR mouse report, as the terminal sends it) on the Search tab shows that
/// pane, one on a row selects it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_palette_and_the_mouse_in_a_real_terminal() {
    let sandbox = crate::common::start(SandboxConfig {
        owned: 30,
        ..SandboxConfig::default()
    })
    .await;
    let cli = Cli::against(&sandbox, Auth::Env);
    tokio::task::block_in_place(|| {
        let mut t = Pty::start(&cli);
        t.wait_text("30 shown of 30");
        // The palette: a few letters, Enter.
        t.keys(&[":"]);
        t.wait_text("Commands");
        t.text("export");
        t.wait_for("the palette filtered", 20, |s| {
            s.contains("export list") && !s.contains("sort by next column")
        });
        t.keys(&["Enter"]);
        t.wait_text("Export the shown list");
        t.keys(&["Escape"]);
        t.wait_for("the list again", 20, |s| {
            !s.contains("Export the shown list")
        });

        // A click on the fourth row of the table (screen row 7, 1-based in the report: the
        // header, the border and the column titles are above it).
        t.click(20, 7);
        t.wait_text(" 4 of 30 ");
        // A click on the Search tab.
        let s = t.screen();
        let header = s.lines().next().unwrap();
        let col = header.find("2 Search").expect("the tab") + 2;
        t.click(col, 1);
        t.wait_text("Search available numbers");

        // Alt-1 (Esc then 1, in one write) back to the Owned pane, then quit.
        t.keys(&["M-1"]);
        t.wait_text("30 shown of 30");
        t.keys(&["q"]);
        let status = t.wait_exit(20);
        assert!(
            status.success(),
            "the program ended with {status}:\n{}",
            t.screen()
        );
    });
}
