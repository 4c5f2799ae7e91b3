//! Where the API key and secret come from: flags, then the environment, then switchboard's
//! config file, then the Vonage CLI's files. Each half is taken from the first layer that has
//! it, and where it came from is kept (never the value) for messages. Files that cannot be read
//! are not used, and said so.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::api::Credentials;

use super::{ConfigFile, ENV_KEY, ENV_SECRET};

/// A warning when `path` (a file holding the API secret) can be read by anyone but its owner.
#[cfg(unix)]
pub fn loose_permissions(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} holds the API secret and is readable by others (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(not(unix))]
pub fn loose_permissions(_path: &Path) -> Option<String> {
    None
}

/// Where a credential came from (never the value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    ConfigFile(PathBuf),
    VonageCli(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("command-line flag"),
            Source::Env => f.write_str("environment"),
            Source::ConfigFile(p) => write!(f, "{}", p.display()),
            Source::VonageCli(p) => write!(f, "Vonage CLI file {}", p.display()),
        }
    }
}

/// Resolved credentials and where each half came from.
#[derive(Debug)]
pub struct Resolved {
    pub credentials: Credentials,
    pub key_source: Source,
    pub secret_source: Source,
}

impl Resolved {
    pub fn describe(&self) -> String {
        format!(
            "api key {} (from {}), secret from {}",
            self.credentials.api_key, self.key_source, self.secret_source
        )
    }
}

/// What a layer offers: (key, secret), each optional.
type Layer = (Source, Option<String>, Option<String>);

/// Resolves the credentials through every layer. `None` when the key or the secret is found
/// nowhere. `home` and `cwd` are parameters so tests can point them elsewhere.
pub fn resolve_credentials(
    flag_key: Option<&str>,
    flag_secret: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    config: (&ConfigFile, Option<&Path>),
    cwd: &Path,
    home: Option<&Path>,
) -> Option<Resolved> {
    let mut layers: Vec<Layer> = vec![
        (
            Source::Flag,
            flag_key.map(String::from),
            flag_secret.map(String::from),
        ),
        (Source::Env, env(ENV_KEY), env(ENV_SECRET)),
    ];
    if let Some(path) = config.1 {
        layers.push((
            Source::ConfigFile(path.to_path_buf()),
            config.0.api_key.clone(),
            config.0.api_secret.clone(),
        ));
    }
    for path in vonage_files(cwd, home) {
        // A file that cannot be used is skipped here; `credential_warnings` says why.
        if let Ok(Some((k, s))) = read_vonage_cli_file(&path) {
            layers.push((Source::VonageCli(path), k, s));
        }
    }
    let clean = |v: &Option<String>| {
        v.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let (key_source, key) = layers
        .iter()
        .find_map(|(src, k, _)| clean(k).map(|k| (src.clone(), k)))?;
    let (secret_source, secret) = layers
        .iter()
        .find_map(|(src, _, s)| clean(s).map(|s| (src.clone(), s)))?;
    Some(Resolved {
        credentials: Credentials::new(key, secret),
        key_source,
        secret_source,
    })
}

/// What a file offers: a key and a secret, each optional.
type KeyAndSecret = (Option<String>, Option<String>);

/// The Vonage CLI's files, in the order they are read.
fn vonage_files(cwd: &Path, home: Option<&Path>) -> Vec<PathBuf> {
    let mut files = vec![cwd.join(".vonagerc")];
    if let Some(home) = home {
        files.push(home.join(".vonage").join("config.json"));
    }
    files
}

/// Reads `api-key` / `api-secret` (also `apiKey`/`apiSecret`, `api_key`/`api_secret`) from a
/// Vonage CLI JSON file: `None` when there is no such file, an error saying why one that exists
/// cannot be used (the message never quotes the file).
fn read_vonage_cli_file(path: &Path) -> Result<Option<KeyAndSecret>, String> {
    let read = super::read_bounded(path, super::MAX_CONFIG_BYTES).and_then(|b| {
        String::from_utf8(b)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
    });
    let text = match read {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}: skipped", path.display())),
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not valid JSON (line {}, column {}): skipped",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if !value.is_object() {
        return Err(format!("{} is not a JSON object: skipped", path.display()));
    }
    let pick = |names: [&str; 3]| {
        names
            .iter()
            .find_map(|n| value.get(*n).and_then(|v| v.as_str()).map(String::from))
    };
    Ok(Some((
        pick(["api-key", "apiKey", "api_key"]),
        pick(["api-secret", "apiSecret", "api_secret"]),
    )))
}

/// What is wrong with the files credentials may come from: a Vonage CLI file that cannot be
/// used, and every file holding a secret that others can read (the config file's own warning
/// is given when it is read; `with_config_file` adds it, for `config show`).
pub fn credential_warnings(
    config: (&ConfigFile, Option<&Path>),
    with_config_file: bool,
    cwd: &Path,
    home: Option<&Path>,
) -> Vec<String> {
    let mut warnings = Vec::new();
    if with_config_file
        && let (file, Some(path)) = config
        && file.api_secret.is_some()
        && let Some(w) = loose_permissions(path)
    {
        warnings.push(w);
    }
    for path in vonage_files(cwd, home) {
        match read_vonage_cli_file(&path) {
            Ok(Some((_, Some(_)))) => warnings.extend(loose_permissions(&path)),
            Ok(_) => {}
            Err(why) => warnings.push(why),
        }
    }
    warnings
}

/// How to provide credentials, for the message shown when none are found.
pub fn credentials_help(config_path: Option<&Path>) -> String {
    let config = config_path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "the config file".into());
    format!(
        "no Vonage API credentials found. Provide them with --api-key and --api-secret, or the \
         {ENV_KEY} and {ENV_SECRET} environment variables, or api_key / api_secret in {config}, \
         or the Vonage CLI's .vonagerc / ~/.vonage/config.json.\n\
         To try switchboard without an account: switchboard --sandbox"
    )
}
