//! Credentials and settings. Credentials are looked up in this order: flags, then the
//! `VONAGE_API_KEY` / `VONAGE_API_SECRET` environment variables, then switchboard's config file,
//! then the Vonage CLI's files (`./.vonagerc`, `~/.vonage/config.json`). The secret is never
//! printed: [`Credentials`] masks it and [`Resolved::describe`] names only where it came from.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::Credentials;

mod settings;

pub use settings::{
    ApiSection, KeyList, KeysSection, ThemeSection, UiSection, line_of, no_color_env,
};

pub const ENV_KEY: &str = "VONAGE_API_KEY";
pub const ENV_SECRET: &str = "VONAGE_API_SECRET";
pub const ENV_CONFIG: &str = "SWITCHBOARD_CONFIG";

/// switchboard's own config file (TOML).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigFile {
    pub api_key: Option<String>,
    /// Kept out of Debug output by [`ConfigFile::masked`]; never logged.
    pub api_secret: Option<String>,
    /// The API's base URL (default https://rest.nexmo.com).
    pub base_url: Option<String>,
    /// The Applications API's base URL (default https://api.nexmo.com).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_host: Option<String>,
    /// Requests per second; omitted = found adaptively.
    pub rate: Option<f64>,
    /// Per-request timeout in seconds.
    pub timeout_secs: Option<u64>,
    /// Key bindings: a preset, then per-action overrides.
    #[serde(skip_serializing_if = "KeysSection::is_empty")]
    pub keys: KeysSection,
    #[serde(skip_serializing_if = "ThemeSection::is_empty")]
    pub theme: ThemeSection,
    #[serde(skip_serializing_if = "UiSection::is_empty")]
    pub ui: UiSection,
    #[serde(skip_serializing_if = "ApiSection::is_empty")]
    pub api: ApiSection,
}

impl ConfigFile {
    /// The same settings with the secret replaced by a mask, for `config show`.
    pub fn masked(&self) -> ConfigFile {
        ConfigFile {
            api_secret: self.api_secret.as_ref().map(|_| "********".to_string()),
            ..self.clone()
        }
    }

    /// Requests per second: `[api] rate`, else the top-level `rate`.
    pub fn rate(&self) -> Option<f64> {
        self.api.rate.or(self.rate)
    }

    /// Seconds per request: `[api] timeout_secs`, else the top-level `timeout_secs`.
    pub fn timeout_secs(&self) -> Option<u64> {
        self.api.timeout_secs.or(self.timeout_secs)
    }

    /// The keymap of `[keys]` (checked when the file was read).
    pub fn keymap(&self) -> crate::tui::keymap::Keymap {
        self.keys.keymap().unwrap_or_default()
    }

    /// The Search pane's page size.
    pub fn page_size(&self) -> u32 {
        self.ui.page_size.unwrap_or(crate::app::search::PAGE_SIZE)
    }
}

/// The default location of the config file: `<config dir>/switchboard/config.toml`.
pub fn default_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("switchboard").join("config.toml"))
}

/// The config file path: `--config`, else `SWITCHBOARD_CONFIG`, else the default.
pub fn config_path(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| std::env::var_os(ENV_CONFIG).map(PathBuf::from))
        .or_else(default_config_path)
}

/// Where switchboard writes its log file.
pub fn log_dir() -> PathBuf {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("switchboard")
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
}

/// Reads the config file; a missing file is an empty config. Also returns a warning when the
/// file holds a secret and others can read it.
pub fn load_config(path: &Path) -> Result<(ConfigFile, Option<String>), ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((ConfigFile::default(), None));
        }
        Err(e) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                message: e.to_string(),
            });
        }
    };
    let config: ConfigFile = toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: parse_message(&text, &e),
    })?;
    settings::check(&config.keys, &config.theme, &config.ui, &config.api, &text).map_err(
        |message| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        },
    )?;
    let warning = config
        .api_secret
        .as_ref()
        .and_then(|_| loose_permissions(path));
    Ok((config, warning))
}

/// toml's message for a bad file, made safe: it may quote the offending value, which may be
/// the secret. The message names the line; a problem on the `api_secret` line is described
/// without its value, and the secret's text is masked wherever else it appears.
fn parse_message(text: &str, e: &toml::de::Error) -> String {
    let first = e
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_string();
    let line_no = e
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let secret_line = |l: &str| l.trim_start().starts_with("api_secret");
    let mut message = match line_no {
        Some(n) if text.lines().nth(n - 1).is_some_and(secret_line) => format!(
            "line {n}: api_secret must be a string in double quotes (its value is not shown)"
        ),
        Some(n) => format!("line {n}: {first}"),
        None => first,
    };
    for line in text.lines().filter(|l| secret_line(l)) {
        let value = line
            .split_once('=')
            .map(|(_, v)| v.trim().trim_matches(['"', '\'']).trim())
            .unwrap_or("");
        if !value.is_empty() {
            message = message.replace(value, "********");
        }
    }
    message
}

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
    let mut vonage_files = vec![cwd.join(".vonagerc")];
    if let Some(home) = home {
        vonage_files.push(home.join(".vonage").join("config.json"));
    }
    for path in vonage_files {
        if let Some((k, s)) = read_vonage_cli_file(&path) {
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

/// Reads `api-key` / `api-secret` (also `apiKey`/`apiSecret`, `api_key`/`api_secret`) from a
/// Vonage CLI JSON file. Unreadable or unparsable files are skipped.
fn read_vonage_cli_file(path: &Path) -> Option<(Option<String>, Option<String>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let pick = |names: [&str; 3]| {
        names
            .iter()
            .find_map(|n| value.get(*n).and_then(|v| v.as_str()).map(String::from))
    };
    Some((
        pick(["api-key", "apiKey", "api_key"]),
        pick(["api-secret", "apiSecret", "api_secret"]),
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn flags_win_then_env_then_file_then_vonage_cli() {
        let dir = std::env::temp_dir().join(format!("sb-config-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".vonage")).unwrap();
        std::fs::write(
            dir.join(".vonage/config.json"),
            r#"{"api-key":"clikey","api-secret":"clisecret"}"#,
        )
        .unwrap();
        let file = ConfigFile {
            api_key: Some("filekey".into()),
            ..Default::default()
        };
        let path = dir.join("config.toml");
        let env = |k: &str| (k == ENV_SECRET).then(|| "envsecret".to_string());

        let r =
            resolve_credentials(None, None, &env, (&file, Some(&path)), &dir, Some(&dir)).unwrap();
        assert_eq!(r.credentials.api_key, "filekey");
        assert_eq!(r.credentials.expose_secret(), "envsecret");
        assert_eq!(r.secret_source, Source::Env);
        assert!(!r.describe().contains("envsecret"));

        let r = resolve_credentials(
            Some("flagkey"),
            None,
            &no_env,
            (&ConfigFile::default(), None),
            &dir,
            Some(&dir),
        )
        .unwrap();
        assert_eq!(r.credentials.api_key, "flagkey");
        assert_eq!(r.credentials.expose_secret(), "clisecret");
        assert!(matches!(r.secret_source, Source::VonageCli(_)));

        assert!(
            resolve_credentials(
                None,
                None,
                &no_env,
                (&ConfigFile::default(), None),
                &dir,
                None
            )
            .is_none()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn parse_errors_do_not_quote_the_secret() {
        let dir = std::env::temp_dir().join(format!("sb-config-parse-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, "api_secret = \"topsecret\"\nbogus = 1\n").unwrap();
        let err = load_config(&path).unwrap_err().to_string();
        assert!(!err.contains("topsecret"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn warns_about_a_readable_secret() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("sb-config-perm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, "api_key = \"k\"\napi_secret = \"s\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(load_config(&path).unwrap().1.is_some());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load_config(&path).unwrap().1.is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
