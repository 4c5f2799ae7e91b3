//! The command line: argument definitions, the non-interactive commands, and their output.

pub mod args;
mod bulk;
mod confirm;
mod connect;
pub mod exit;
mod history;
mod numbers;
pub mod output;
mod serve;

use std::io::Write;

pub use args::Cli;
use args::{Command, ConfigCommand};
pub use exit::{CliError, code};

use crate::app::Target;
use crate::config;

/// Runs one invocation and returns its exit code. Errors are printed to stderr here.
pub async fn run(cli: Cli) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = dispatch(&cli, &mut out).await;
    let _ = out.flush();
    match result {
        Ok(()) => code::OK,
        Err(e) => {
            let text = e.to_string();
            if !text.is_empty() {
                eprintln!("error: {}", output::safe_lines(&text));
            }
            tracing::warn!(error = %text, "command failed");
            e.exit_code()
        }
    }
}

async fn dispatch(cli: &Cli, out: &mut dyn Write) -> Result<(), CliError> {
    match &cli.command {
        Some(Command::Sandbox(args)) => return serve::serve(cli, args).await,
        Some(Command::Config(cmd)) => return config_command(cli, cmd, out),
        _ => {}
    }
    let conn = connect::connect(cli).await?;
    tracing::info!(target = %conn.target, "connected");
    match &cli.command {
        None => {
            let target = Target {
                // A sandbox in-process or on this machine is not the live API.
                live: conn.sandbox.is_none()
                    && !crate::api::is_loopback_url(conn.client.base_url()),
                base_url: conn.client.base_url().to_string(),
                api_key: conn.client.api_key().to_string(),
            };
            crate::tui::run(conn.client.clone(), target, cli.read_only)
                .await
                .map_err(|e| CliError::Other(format!("terminal: {e}")))
        }
        Some(Command::List(args)) => numbers::list(&conn.client, args, out).await,
        Some(Command::Search(args)) => numbers::search(&conn.client, args, out).await,
        Some(Command::Buy(_) | Command::Cancel(_) | Command::Update(_) | Command::Undo(_))
            if cli.read_only =>
        {
            Err(CliError::Usage(
                "--read-only: buy, cancel, update and undo are turned off".into(),
            ))
        }
        Some(Command::Buy(args)) => numbers::buy(&conn.client, args, out).await,
        Some(Command::Cancel(args)) => numbers::cancel(&conn.client, args, out).await,
        Some(Command::Update(args)) => numbers::update(&conn.client, args, out).await,
        Some(Command::History(args)) => history::history(&conn.client, args, out),
        Some(Command::Undo(args)) => history::undo(&conn.client, args, out).await,
        Some(Command::Sandbox(_)) | Some(Command::Config(_)) => unreachable!("handled above"),
    }
}

fn config_command(cli: &Cli, cmd: &ConfigCommand, out: &mut dyn Write) -> Result<(), CliError> {
    let (file, path) = connect::load_config_file(cli)?;
    match cmd {
        ConfigCommand::Path => {
            let path =
                path.ok_or_else(|| CliError::Other("no config directory on this platform".into()))?;
            writeln!(out, "{}", path.display()).map_err(numbers::io_error)
        }
        ConfigCommand::Show => {
            let shown = toml::to_string(&file.masked())
                .map_err(|e| CliError::Other(format!("config: {e}")))?;
            let where_ = path
                .as_ref()
                .map(|p| {
                    let exists = if p.exists() { "" } else { " (does not exist)" };
                    format!("{}{exists}", p.display())
                })
                .unwrap_or_else(|| "(none)".into());
            writeln!(out, "# {where_}\n{shown}").map_err(numbers::io_error)?;
            let cwd = std::env::current_dir().unwrap_or_default();
            let env = |k: &str| std::env::var(k).ok();
            match config::resolve_credentials(
                cli.api_key.as_deref(),
                cli.api_secret.as_deref(),
                &env,
                (&file, path.as_deref()),
                &cwd,
                dirs::home_dir().as_deref(),
            ) {
                Some(r) => writeln!(out, "# credentials in effect: {}", r.describe()),
                None => writeln!(out, "# no credentials found"),
            }
            .map_err(numbers::io_error)
        }
    }
}
