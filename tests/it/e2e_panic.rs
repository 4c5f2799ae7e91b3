//! A panic inside the running UI, in a real pseudo-terminal: the binary is started with
//! the test-only switch `SWITCHBOARD_TEST_PANIC=1` (honoured in debug builds only), which panics
//! after the first frame. Afterwards the alternate screen has been left, raw mode is off (the
//! shell's `stty -a` shows `icanon` and `echo`), the panic is reported in a readable form, and
//! neither the report nor the log file holds the API secret.

use crate::common::pty::Pty;
use crate::common::{Auth, Cli};
use switchboard::sandbox::SandboxConfig;

const SECRET: &str = "panic-Secret-3e9a41";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_the_ui_restores_the_terminal_and_reports_without_the_secret() {
    let sandbox = crate::common::start(SandboxConfig {
        owned: 20,
        api_secret: SECRET.to_string(),
        ..SandboxConfig::default()
    })
    .await;
    let cli = Cli::against(&sandbox, Auth::Env)
        .env("SWITCHBOARD_LOG", "debug")
        .env("SWITCHBOARD_TEST_PANIC", "1")
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0");
    let stty = cli.home().join("stty.txt");
    // The shell runs the binary, then records the terminal's modes and says it is done.
    let script = format!(
        "\"$@\"; echo \"exit=$?\"; stty -a > {}; echo shell-is-back",
        stty.display()
    );
    let (screen, alternate, modes) = tokio::task::block_in_place(|| {
        let mut t = Pty::shell(&cli, &script);
        t.wait_exit(60);
        let modes = std::fs::read_to_string(&stty).expect("stty -a output");
        (t.screen(), t.alternate_screen(), modes)
    });
    assert!(!alternate, "the alternate screen was left:\n{screen}");
    let flags: Vec<&str> = modes.split([' ', ';', '\n']).collect();
    for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(
            flags.contains(&mode) && !flags.contains(&format!("-{mode}").as_str()),
            "raw mode is off: {mode} expected in stty -a:\n{modes}"
        );
    }
    // The report stays readable: the shell's next lines come after it, on lines of their own
    // (a second "leave the alternate screen" would move the cursor back up over it).
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    let at = |text: &str| {
        lines
            .iter()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("{text:?} on screen:\n{screen}"))
    };
    let (report, exit, back) = (
        at("The application panicked"),
        at("exit=101"),
        at("shell-is-back"),
    );
    assert!(report < exit && exit < back, "in order:\n{screen}");
    assert_eq!(
        lines[exit], "exit=101",
        "the panic ended the program:\n{screen}"
    );
    assert_eq!(lines[back], "shell-is-back", "{screen}");
    assert!(
        screen.contains("The application panicked") && screen.contains("SWITCHBOARD_TEST_PANIC"),
        "a readable panic report:\n{screen}"
    );
    assert!(
        screen.contains("src/tui/run.rs"),
        "the report says where:\n{screen}"
    );
    assert!(
        !screen.contains(SECRET),
        "the secret is not in the report:\n{screen}"
    );
    let log = std::fs::read_to_string(cli.log_file()).unwrap_or_default();
    assert!(log.contains("connected"), "the log was written:\n{log}");
    assert!(!log.contains(SECRET), "the secret is not in the log");
}
