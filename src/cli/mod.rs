//! The command line: argument definitions, the non-interactive commands, and their output.

mod apps;
pub mod args;
mod bulk;
mod confirm;
mod connect;
mod docs;
pub mod exit;
mod history;
mod numbers;
mod resume;
mod serve;
mod update;
mod waiting;

/// The output helpers, at their old path for the commands (`super::output`).
use crate::output;

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
            if text.is_empty() {
                // Nothing to say (the reader of stdout left).
            } else if cli.wants_json() {
                let shown = exit::error_json(e.exit_code(), &output::safe_lines(&text));
                eprintln!("{shown}");
            } else {
                eprintln!("error: {}", output::safe_lines(&text));
            }
            tracing::warn!(error = %text, "command failed");
            e.exit_code()
        }
    }
}

async fn dispatch(cli: &Cli, out: &mut dyn Write) -> Result<(), CliError> {
    cli.check_flags().map_err(CliError::Usage)?;
    match &cli.command {
        Some(Command::Sandbox(args)) => return serve::serve(cli, args).await,
        Some(Command::Config(cmd)) => return config_command(cli, cmd, out),
        Some(Command::Completions { shell }) => return docs::completions(*shell, out),
        Some(Command::Man) => return docs::man(out),
        _ => {}
    }
    let conn = connect::connect(cli).await?;
    tracing::info!(target = %conn.target, "connected");
    // A command says what it waits for (the TUI has its own status line).
    let _reporter = cli
        .command
        .is_some()
        .then(|| waiting::Reporter::start(&conn.client));
    let result = run_command(cli, &conn, out)
        .await
        .map_err(|e| name_the_credentials(e, &conn));
    // Failed or not, what the limiter learned holds for the next run.
    connect::save_pace(&conn);
    result
}

/// An authentication failure says where the key and the secret came from: a key from one
/// place and a secret from another may not belong together.
fn name_the_credentials(e: CliError, conn: &connect::Connection) -> CliError {
    match (&e, &conn.credentials) {
        (CliError::Api(crate::api::ApiError::Authentication { .. }), Some(used)) => {
            CliError::Code(code::AUTH, format!("{e}\ncredentials used: {used}"))
        }
        _ => e,
    }
}

/// The commands that talk to the API, over `conn`.
async fn run_command(
    cli: &Cli,
    conn: &connect::Connection,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match &cli.command {
        None => {
            let target = Target {
                // A sandbox in-process or on this machine is not the live API.
                live: conn.sandbox.is_none()
                    && !crate::api::is_loopback_url(conn.client.base_url()),
                base_url: conn.client.base_url().to_string(),
                api_key: conn.client.api_key().to_string(),
            };
            let options = crate::tui::Options {
                read_only: cli.read_only,
                keymap: conn.config.keymap(),
                theme: conn.config.theme.theme(config::no_color_env()),
                page_size: conn.config.ui.page_size,
                cache: tui_cache(cli, conn),
            };
            crate::tui::run(conn.client.clone(), target, options)
                .await
                .map_err(|e| CliError::Other(format!("terminal: {e}")))
        }
        Some(Command::List(args)) if args.app.is_some() => {
            let mut args = args.clone();
            args.application_id = Some(apps::app_flag(&conn.client, args.app.take()).await?);
            numbers::list(&conn.client, &args, out).await
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
        Some(Command::History(args)) if args.resume && cli.read_only => Err(CliError::Usage(
            "--read-only: history --resume (a change) is turned off".into(),
        )),
        Some(Command::Buy(args)) => numbers::buy(&conn.client, args, out).await,
        Some(Command::Cancel(args)) => numbers::cancel(&conn.client, args, out).await,
        Some(Command::Update(args)) if args.app.is_some() => {
            let mut args = args.clone();
            args.app_id = Some(apps::app_flag(&conn.client, args.app.take()).await?);
            update::update(&conn.client, &args, out).await
        }
        Some(Command::Update(args)) => update::update(&conn.client, args, out).await,
        Some(Command::History(args)) => history::history(&conn.client, args, out).await,
        Some(Command::Undo(args)) => history::undo(&conn.client, args, out).await,
        Some(Command::Apps(cmd)) => apps::apps(&conn.client, cmd, cli.read_only, out).await,
        Some(Command::Balance(args)) => apps::balance(&conn.client, args, out).await,
        Some(Command::Doctor(args)) => apps::doctor(&conn.client, args, out).await,
        Some(
            Command::Sandbox(_) | Command::Config(_) | Command::Completions { .. } | Command::Man,
        ) => unreachable!("handled above"),
    }
}

/// Where the TUI keeps this account's owned list. The embedded sandbox listens on a new port
/// at each start but holds the same seeded numbers: it is keyed by its size, not its address,
/// so a restart shows the cached list too.
fn tui_cache(cli: &Cli, conn: &connect::Connection) -> Option<crate::cache::Cache> {
    if !conn.config.ui.cache() {
        return None;
    }
    let root = crate::cache::Cache::default_root()?;
    Some(crate::cache::Cache::for_account(
        &root,
        conn.client.api_key(),
        &connect::place(cli, conn.client.base_url()),
    ))
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
            writeln!(out, "{}", effective_settings(cli, &file)).map_err(numbers::io_error)?;
            match config::resolve_credentials(
                cli.api_key.as_deref(),
                cli.api_secret.as_deref(),
                &env,
                (&file, path.as_deref()),
                &cwd,
                dirs::home_dir().as_deref(),
            ) {
                Some(r) => writeln!(
                    out,
                    "# credentials in effect: {}",
                    output::safe(&r.describe())
                ),
                None => writeln!(out, "# no credentials found"),
            }
            .map_err(numbers::io_error)?;
            for w in config::credential_warnings(
                (&file, path.as_deref()),
                true,
                &cwd,
                dirs::home_dir().as_deref(),
            ) {
                writeln!(out, "# warning: {}", output::safe(&w)).map_err(numbers::io_error)?;
            }
            Ok(())
        }
    }
}

/// The settings in effect (file, flags and environment applied), as TOML comments.
fn effective_settings(cli: &Cli, file: &config::ConfigFile) -> String {
    let mut lines = vec!["# settings in effect:".to_string()];
    let rate = match cli.rate.or(file.rate()) {
        Some(r) => r.to_string(),
        None => "\"adaptive\"".to_string(),
    };
    let timeout = cli
        .timeout
        .or(file.timeout_secs())
        .unwrap_or(crate::api::ClientConfig::default().timeout.as_secs());
    lines.push(format!("# [api] rate = {rate}, timeout_secs = {timeout}"));
    let cache = match (file.ui.cache(), crate::cache::Cache::default_root()) {
        (true, Some(dir)) => format!("true (in {})", dir.display()),
        (true, None) => "true (no cache directory on this platform)".into(),
        (false, _) => "false".into(),
    };
    lines.push(format!(
        "# [ui] page_size = {}, cache = {cache}",
        file.page_size()
    ));
    let colors = if config::no_color_env() {
        "\"none\" (NO_COLOR is set)".to_string()
    } else {
        format!("\"{}\"", file.theme.colors.as_deref().unwrap_or("terminal"))
    };
    let p = file.theme.palette();
    let name = |c| {
        crate::tui::theme::COLOR_NAMES
            .iter()
            .find(|(_, v)| *v == c)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    };
    lines.push(format!(
        "# [theme] colors = {colors}, accent = \"{}\", highlight = \"{}\", danger = \"{}\", \
         success = \"{}\"",
        name(p.accent),
        name(p.highlight),
        name(p.danger),
        name(p.success)
    ));
    lines.push(format!(
        "# [keys] preset = \"{}\"",
        file.keys.preset.as_deref().unwrap_or("default")
    ));
    for (action, keys) in file.keymap().effective() {
        let keys: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
        lines.push(format!("#   {action} = [{}]", keys.join(", ")));
    }
    lines.join("\n")
}
