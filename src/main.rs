//! The `switchboard` binary: arguments, logging to a file, then the command.

use clap::Parser;
use clap::error::ErrorKind;
use switchboard::cli::{self, Cli};

fn main() {
    // color-eyre's panic hook gives readable panic reports; nothing in them carries the secret
    // (it lives only in a SecretString and the Authorization header).
    let _ = color_eyre::install();
    let cli = Cli::try_parse().unwrap_or_else(|e| usage_error(e));
    let log_guard = init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(cli::code::OTHER);
        }
    };
    let code = runtime.block_on(cli::run(cli));
    // Tasks still running are not waited for long: a webhook check blocked in a DNS lookup
    // must not hold the quit. (Changes in flight were confirmed before quitting, and the journal
    // tolerates a change whose outcome was not written.)
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    // process::exit runs no destructors: flush the log writer first.
    drop(log_guard);
    std::process::exit(code);
}

/// A bad command line: clap's message, made safe for the terminal (it quotes the value as
/// typed: an escape sequence or a bidi override would reach the screen, a pasted 10,000
/// characters would fill it), then exit 2. Help and version are printed as clap prints them.
fn usage_error(e: clap::Error) -> ! {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let text = e.render().to_string();
    let shown: Vec<String> = switchboard::output::safe_lines(&text)
        .lines()
        .map(|l| {
            if l.chars().count() > 200 {
                let head: String = l.chars().take(200).collect();
                format!("{head}… ({} characters)", l.chars().count())
            } else {
                l.to_string()
            }
        })
        .collect();
    if cli::args::args_want_json(std::env::args_os()) {
        // clap's rendering without its "error: " prefix and usage hint lines.
        let message = shown
            .first()
            .map(|l| l.trim_start_matches("error: ").to_string())
            .unwrap_or_default();
        eprintln!("{}", cli::exit::error_json(cli::code::USAGE, &message));
    } else {
        eprintln!("{}", shown.join("\n"));
    }
    std::process::exit(cli::code::USAGE);
}

/// Logs go to `<state dir>/switchboard/switchboard.log`, never to the terminal: owner-only,
/// rotated by size, every line made safe (see `logfile`). The level comes from
/// `SWITCHBOARD_LOG` (default `info`).
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use switchboard::logfile::{LogFile, MAX_LOG_BYTES};
    let dir = switchboard::config::log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = LogFile::open(&dir, "switchboard.log", MAX_LOG_BYTES).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("SWITCHBOARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
