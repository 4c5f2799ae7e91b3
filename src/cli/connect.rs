//! Builds the API client for a command: against the embedded sandbox (`--sandbox`) or the
//! live API with resolved credentials.

use std::path::PathBuf;
use std::time::Duration;

use crate::api::{Client, ClientConfig, Credentials, LIVE_BASE_URL};
use crate::config::{self, ConfigFile};
use crate::sandbox::{Sandbox, SandboxConfig};

use super::args::Cli;
use super::exit::CliError;

/// A client, and the sandbox it talks to when there is one (kept alive as long as the client).
pub struct Connection {
    pub client: Client,
    pub sandbox: Option<Sandbox>,
    /// "SANDBOX" or "LIVE", with the api key: what the user is talking to.
    pub target: String,
    /// The config file's settings (keys, theme, page size...).
    pub config: ConfigFile,
}

pub fn load_config_file(cli: &Cli) -> Result<(ConfigFile, Option<PathBuf>), CliError> {
    let path = config::config_path(cli.config.as_deref());
    let Some(path) = path else {
        return Ok((ConfigFile::default(), None));
    };
    let (file, warning) = config::load_config(&path).map_err(|e| CliError::Usage(e.to_string()))?;
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
    Ok((file, Some(path)))
}

fn client_config(cli: &Cli, file: &ConfigFile, base_url: String) -> Result<ClientConfig, CliError> {
    let mut cfg = ClientConfig {
        base_url,
        rate: cli.rate.or(file.rate()),
        ..ClientConfig::default()
    };
    if let Some(r) = cfg.rate
        && !(r.is_finite() && r > 0.0)
    {
        return Err(CliError::Usage(format!(
            "--rate must be a positive number of requests per second, not {r}"
        )));
    }
    if let Some(t) = cli.timeout.or(file.timeout_secs()) {
        if t == 0 {
            return Err(CliError::Usage(
                "--timeout must be at least 1 second".into(),
            ));
        }
        cfg.timeout = Duration::from_secs(t);
    }
    if let Some(path) = &cli.ca_cert {
        cfg.root_cert_pem = Some(std::fs::read(path).map_err(|e| {
            CliError::Usage(format!("cannot read --ca-cert {}: {e}", path.display()))
        })?);
    }
    Ok(cfg)
}

/// Where the embedded sandbox keeps its state: `<data dir>/<place>.json` (none without a data
/// directory: it then starts from its seed each time). With `--sandbox-fresh`, that file and
/// the sandbox's journal are removed first.
fn embedded_state(cli: &Cli, api_key: &str, place: &str) -> Result<Option<PathBuf>, CliError> {
    let Some(dir) = crate::journal::data_dir() else {
        tracing::warn!("no data directory: the embedded sandbox starts from its seed");
        return Ok(None);
    };
    let state = dir.join(format!("{place}.json"));
    if cli.sandbox_fresh {
        let journal = dir.join(crate::journal::file_name(api_key, place));
        let mut ids = journal.clone().into_os_string();
        ids.push(".ids");
        for f in [state.clone(), journal, PathBuf::from(ids)] {
            match std::fs::remove_file(&f) {
                Ok(()) => tracing::info!(file = %f.display(), "sandbox: started afresh"),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(CliError::Other(format!(
                        "--sandbox-fresh: cannot remove {}: {e}",
                        f.display()
                    )));
                }
            }
        }
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| CliError::Other(format!("creating {}: {e}", dir.display())))?;
    Ok(Some(state))
}

pub async fn connect(cli: &Cli) -> Result<Connection, CliError> {
    let (file, path) = load_config_file(cli)?;
    if cli.sandbox {
        let defaults = SandboxConfig::default();
        let place = format!("embedded-sandbox-{}-{}", defaults.seed, cli.sandbox_owned);
        let state_file = embedded_state(cli, &defaults.api_key, &place)?;
        let sandbox = Sandbox::start(SandboxConfig {
            owned: cli.sandbox_owned,
            state_file: state_file.clone(),
            ..defaults
        })
        .await
        .map_err(|e| {
            let fresh = match &state_file {
                Some(f) => format!(
                    " (its saved state: {}; --sandbox-fresh starts afresh)",
                    f.display()
                ),
                None => String::new(),
            };
            CliError::Other(format!("starting the sandbox: {e}{fresh}"))
        })?;
        // Its port is new at every start: its journal is named for its seed and size instead,
        // so history and undo carry over like its numbers.
        crate::journal::name_place(&sandbox.base_url(), &place);
        let sc = sandbox.config();
        let credentials = Credentials::new(sc.api_key.clone(), sc.api_secret.clone());
        let cfg = client_config(cli, &file, sandbox.base_url())?;
        let client = Client::new(credentials, cfg)?;
        let target = format!("SANDBOX {} (key {})", sandbox.base_url(), client.api_key());
        return Ok(Connection {
            client,
            sandbox: Some(sandbox),
            target,
            config: file,
        });
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let home = dirs::home_dir();
    let env = |k: &str| std::env::var(k).ok();
    let resolved = config::resolve_credentials(
        cli.api_key.as_deref(),
        cli.api_secret.as_deref(),
        &env,
        (&file, path.as_deref()),
        &cwd,
        home.as_deref(),
    )
    .ok_or_else(|| CliError::NoCredentials(config::credentials_help(path.as_deref())))?;
    tracing::info!(credentials = %resolved.describe(), "credentials resolved");
    // switchboard's own file is checked when it is read; a Vonage CLI file holding the secret
    // deserves the same warning.
    if let config::Source::VonageCli(path) = &resolved.secret_source
        && let Some(w) = config::loose_permissions(path)
    {
        eprintln!("warning: {w}");
    }
    let base = cli
        .base_url
        .clone()
        .or(file.base_url.clone())
        .unwrap_or_else(|| LIVE_BASE_URL.to_string());
    let cfg = client_config(cli, &file, base)?;
    let client = Client::new(resolved.credentials, cfg)?;
    let target = format!("LIVE {} (key {})", client.base_url(), client.api_key());
    Ok(Connection {
        client,
        sandbox: None,
        target,
        config: file,
    })
}
