//! Builds the API client for a command: against the embedded sandbox (`--sandbox`) or the
//! live API with resolved credentials.

use std::path::PathBuf;
use std::time::Duration;

use std::time::SystemTime;

use crate::api::{Client, ClientConfig, Credentials, LIVE_BASE_URL, LearnedPace};
use crate::cache::{Cache, PaceFile};
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
    /// Where the key and the secret came from (never the secret), for an authentication error.
    pub credentials: Option<String>,
    /// Where the limiter's learned pace is kept for the next run (with the cache).
    pub pace: Option<PaceFile>,
}

/// What this account's cache and learned pace are keyed by: the API's address, or for the
/// embedded sandbox (a new port at each start, the same seeded numbers) its size.
pub fn place(cli: &Cli, base_url: &str) -> String {
    if cli.sandbox {
        format!("embedded-sandbox-{}", cli.sandbox_owned())
    } else {
        base_url.to_string()
    }
}

/// The pace file of this account at this API, when the cache is on; and what it holds when
/// it is fresh.
fn pace_memory(
    cli: &Cli,
    file: &ConfigFile,
    api_key: &str,
    base_url: &str,
) -> (Option<PaceFile>, Option<LearnedPace>) {
    if !file.ui.cache() {
        return (None, None);
    }
    let Some(root) = Cache::default_root() else {
        return (None, None);
    };
    let pace = PaceFile::for_account(&root, api_key, &place(cli, base_url));
    let learned = pace.load(SystemTime::now());
    (Some(pace), learned)
}

/// Keeps what the limiter learned for the next run (nothing when it learned nothing).
pub fn save_pace(conn: &Connection) {
    let (Some(file), Some(learned)) = (&conn.pace, conn.client.learned_pace()) else {
        return;
    };
    match file.save(&learned) {
        Ok(()) => {
            tracing::info!(path = %file.path().display(), limit = ?learned.limit, window = learned.window, "pace kept")
        }
        Err(e) => tracing::warn!(path = %file.path().display(), error = %e, "cannot keep the pace"),
    }
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
        api_host: cli.api_host.clone().or(file.api_host.clone()),
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
    if cli.command.is_some() {
        cfg.deadline = Some(deadline(cli.deadline)?);
    }
    if let Some(path) = &cli.ca_cert {
        // A certificate is a few KB; a bundle of every public root about 200 KB.
        const MAX_CERT_BYTES: u64 = 1 << 20;
        let pem = config::read_bounded(path, MAX_CERT_BYTES).map_err(|e| {
            CliError::Usage(format!("cannot read --ca-cert {}: {e}", path.display()))
        })?;
        check_certificate(&pem)
            .map_err(|why| CliError::Usage(format!("--ca-cert {}: {why}", path.display())))?;
        cfg.root_cert_pem = Some(pem);
    }
    Ok(cfg)
}

/// At least one PEM `CERTIFICATE` block, each a certificate a trust store accepts: so a wrong
/// file is refused at start, not later as an unknown issuer.
fn check_certificate(pem: &[u8]) -> Result<(), String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut store = rustls::RootCertStore::empty();
    let mut found = 0;
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| format!("not a PEM certificate ({e})"))?;
        store
            .add(cert)
            .map_err(|e| format!("not a valid certificate ({e})"))?;
        found += 1;
    }
    if found == 0 {
        return Err("not a PEM certificate (no BEGIN CERTIFICATE block)".into());
    }
    Ok(())
}

/// The most numbers a sandbox is started with: as many as a listing fetches at once.
pub const MAX_SANDBOX_OWNED: usize = crate::api::MAX_LISTED as usize;

/// A sandbox size the machine can hold, or exit 2.
pub fn check_sandbox_owned(n: usize, flag: &str) -> Result<(), CliError> {
    if n > MAX_SANDBOX_OWNED {
        return Err(CliError::Usage(format!(
            "{flag} {n} is more than the {MAX_SANDBOX_OWNED} numbers a sandbox holds"
        )));
    }
    Ok(())
}

/// A command's overall deadline when `--deadline` does not give one: long enough for a
/// listing of 100,000 numbers at the live API's pace (about one page a second), short enough
/// that a server holding the command is given up on the same hour.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(1800);

/// The most `--deadline` accepts: a day.
const MAX_DEADLINE_SECS: u64 = 86_400;

fn deadline(flag: Option<u64>) -> Result<Duration, CliError> {
    match flag {
        None => Ok(DEFAULT_DEADLINE),
        Some(s) if (1..=MAX_DEADLINE_SECS).contains(&s) => Ok(Duration::from_secs(s)),
        Some(s) => Err(CliError::Usage(format!(
            "--deadline must be between 1 and {MAX_DEADLINE_SECS} seconds, not {s}"
        ))),
    }
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
        check_sandbox_owned(cli.sandbox_owned(), "--sandbox-owned")?;
        let defaults = SandboxConfig::default();
        let place = format!("embedded-sandbox-{}-{}", defaults.seed, cli.sandbox_owned());
        let state_file = embedded_state(cli, &defaults.api_key, &place)?;
        let sandbox = Sandbox::start(SandboxConfig {
            owned: cli.sandbox_owned(),
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
        let mut cfg = client_config(cli, &file, sandbox.base_url())?;
        let (pace, learned) = pace_memory(cli, &file, &sc.api_key, &cfg.base_url);
        cfg.learned_pace = learned;
        let client = Client::new(credentials, cfg)?;
        let target = format!("SANDBOX {} (key {})", sandbox.base_url(), client.api_key());
        return Ok(Connection {
            client,
            sandbox: Some(sandbox),
            target,
            config: file,
            credentials: None,
            pace,
        });
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let home = dirs::home_dir();
    let env = |k: &str| std::env::var(k).ok();
    // switchboard's own file is checked when it is read; the Vonage CLI's files deserve the
    // same warnings, and one that cannot be used is said so rather than skipped silently.
    for w in config::credential_warnings((&file, path.as_deref()), false, &cwd, home.as_deref()) {
        eprintln!("warning: {w}");
    }
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
    let credentials = Some(resolved.describe());
    let base = cli
        .base_url
        .clone()
        .or(file.base_url.clone())
        .unwrap_or_else(|| LIVE_BASE_URL.to_string());
    let mut cfg = client_config(cli, &file, base)?;
    let (pace, learned) = pace_memory(cli, &file, &resolved.credentials.api_key, &cfg.base_url);
    cfg.learned_pace = learned;
    let client = Client::new(resolved.credentials, cfg)?;
    let target = format!("LIVE {} (key {})", client.base_url(), client.api_key());
    Ok(Connection {
        client,
        sandbox: None,
        target,
        config: file,
        credentials,
        pace,
    })
}
