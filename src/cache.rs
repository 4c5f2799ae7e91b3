//! The owned list kept on disk, one file per account and API, so the TUI shows it at once on
//! the next start while the fresh list loads. No secret is written: the file holds the time the
//! list was fetched and the numbers. A file that cannot be read (missing, corrupt, another
//! format) is ignored with a log line.
//!
//! Files live in `<cache dir>/switchboard/` (`SWITCHBOARD_CACHE_DIR` overrides it), named
//! `owned-<api key>-<hash of the API's address>.json`, so a sandbox and the live API never share
//! one. They are streamed to a temporary file, then renamed over the old one.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::api::OwnedNumber;

pub mod pace;

pub use pace::PaceFile;

pub const ENV_CACHE_DIR: &str = "SWITCHBOARD_CACHE_DIR";

/// The format written; a file of another version is ignored.
const VERSION: u32 = 1;

/// The owned list of one account, on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cache {
    path: PathBuf,
}

/// The largest cache read back (about 400,000 numbers): a larger file is not one switchboard
/// wrote, and would cost several times its size in memory to decode.
pub const MAX_CACHE_BYTES: u64 = 64 << 20;

/// A list read back, and how old it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Cached {
    pub numbers: Vec<OwnedNumber>,
    pub age: Duration,
}

#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    /// Seconds since the Unix epoch.
    fetched: u64,
    numbers: &'a [OwnedNumber],
}

#[derive(Deserialize)]
struct FileIn {
    version: u32,
    fetched: u64,
    numbers: Vec<OwnedNumber>,
}

/// A file written to a temporary name beside `path` (owner read/write only), not yet in place:
/// [`Staged::commit`] syncs it and renames it over `path` (on a blocking thread, if need be).
#[derive(Debug)]
pub struct Staged {
    file: std::fs::File,
    tmp: PathBuf,
    path: PathBuf,
}

impl Staged {
    /// Creates the temporary file and lets `fill` write it (through a buffer); removed again
    /// if that fails.
    fn new(
        path: &Path,
        fill: impl FnOnce(&mut io::BufWriter<&mut std::fs::File>) -> io::Result<()>,
    ) -> io::Result<Staged> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        let written = (|| {
            let mut w = io::BufWriter::with_capacity(64 * 1024, &mut file);
            fill(&mut w)?;
            w.flush()
        })();
        match written {
            Ok(()) => Ok(Staged {
                file,
                tmp,
                path: path.to_path_buf(),
            }),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    /// Syncs the file and renames it over the old one.
    pub fn commit(self) -> io::Result<()> {
        let result = self
            .file
            .sync_all()
            .and_then(|()| std::fs::rename(&self.tmp, &self.path));
        if result.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        result
    }
}

/// Writes a file atomically: `fill` writes a temporary file, which is then synced and renamed
/// over `path`.
fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut io::BufWriter<&mut std::fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    Staged::new(path, fill)?.commit()
}

/// FNV-1a: a short hash that stays the same across Rust versions (std's does not promise it).
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Letters, digits, `-` and `_` only: an api key becomes part of a file name.
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect()
}

impl Cache {
    /// The default directory: `SWITCHBOARD_CACHE_DIR`, else `<cache dir>/switchboard`.
    pub fn default_root() -> Option<PathBuf> {
        match std::env::var_os(ENV_CACHE_DIR) {
            Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
            _ => dirs::cache_dir().map(|d| d.join("switchboard")),
        }
    }

    /// The file of `api_key` at `place` (the API's base URL, or a stable name for the
    /// embedded sandbox, whose port changes at each start).
    pub fn for_account(root: &Path, api_key: &str, place: &str) -> Cache {
        let name = format!(
            "owned-{}-{:08x}.json",
            file_safe(api_key),
            fnv1a(place.trim_end_matches('/')) as u32
        );
        Cache {
            path: root.join(name),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The list as bytes, ready to be written (kept apart so the caller can encode where the
    /// numbers are and write elsewhere).
    pub fn encode(numbers: &[OwnedNumber], fetched: SystemTime) -> Vec<u8> {
        let fetched = fetched
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        serde_json::to_vec(&FileOut {
            version: VERSION,
            fetched,
            numbers,
        })
        .unwrap_or_default()
    }

    /// Writes `bytes` (from [`Cache::encode`]) atomically: a temporary file in the same
    /// directory, then a rename over the old file.
    pub fn write(&self, bytes: &[u8]) -> io::Result<()> {
        write_atomic(&self.path, |f| f.write_all(bytes))
    }

    /// Encodes the list straight into a temporary file (through a small buffer: the list is
    /// never held a second time as text, which at 100,000 numbers would be 16 MB), to be put
    /// in place by [`Staged::commit`].
    pub fn stage(&self, numbers: &[OwnedNumber], fetched: SystemTime) -> io::Result<Staged> {
        let fetched = fetched
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Staged::new(&self.path, |w| {
            serde_json::to_writer(
                w,
                &FileOut {
                    version: VERSION,
                    fetched,
                    numbers,
                },
            )
            .map_err(io::Error::other)
        })
    }

    /// Encodes and writes the list (streamed, as [`Cache::stage`]).
    pub fn save(&self, numbers: &[OwnedNumber], fetched: SystemTime) -> io::Result<()> {
        self.stage(numbers, fetched)?.commit()
    }

    /// The list kept on disk and its age at `now`; `None` (with a log line) when there is none
    /// or it cannot be used.
    pub fn load(&self, now: SystemTime) -> Option<Cached> {
        let bytes = match crate::config::read_bounded(&self.path, MAX_CACHE_BYTES) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "cache unreadable, ignored");
                return None;
            }
        };
        let file: FileIn = match serde_json::from_slice(&bytes) {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "cache corrupt, ignored");
                return None;
            }
        };
        if file.version != VERSION {
            tracing::info!(path = %self.path.display(), version = file.version, "cache of another version, ignored");
            return None;
        }
        let Some(fetched) = UNIX_EPOCH.checked_add(Duration::from_secs(file.fetched)) else {
            tracing::warn!(path = %self.path.display(), fetched = file.fetched, "cache with an impossible date, ignored");
            return None;
        };
        // A clock set back makes the age zero, never negative.
        let age = now.duration_since(fetched).unwrap_or_default();
        Some(Cached {
            numbers: file.numbers,
            age,
        })
    }
}

/// "12 s", "3 min", "2 h", "4 days": how old a cached list is.
pub fn age_label(age: Duration) -> String {
    let s = age.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{} h", s / 3600),
        _ if s < 2 * 86_400 => "1 day".to_string(),
        _ => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests;
