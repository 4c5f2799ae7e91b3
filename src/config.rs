//! Credentials and settings. Credentials are looked up in this order: flags, then the
//! `VONAGE_API_KEY` / `VONAGE_API_SECRET` environment variables, then switchboard's config file,
//! then the Vonage CLI's files (`./.vonagerc`, `~/.vonage/config.json`). The secret is never
//! printed: [`Credentials`] masks it and [`Resolved::describe`] names only where it came from.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod bounded;
mod credentials;
mod settings;

pub use bounded::{MAX_CONFIG_BYTES, read_bounded};
pub use credentials::{
    Resolved, Source, credential_warnings, credentials_help, loose_permissions, resolve_credentials,
};

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
    let read = read_bounded(path, MAX_CONFIG_BYTES).and_then(|b| {
        String::from_utf8(b)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
    });
    let text = match read {
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
            message: bounded::mask_long_values(&message, &text),
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
