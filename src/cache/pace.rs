//! What the rate limiter learned of an API's pace ([`LearnedPace`]), kept beside the owned
//! list's cache, one file per account and API (`pace-<api key>-<hash of the API's address>.json`),
//! so the next run starts at the server's pace instead of finding it again. A file that is
//! missing, unreadable, of another format or older than [`MAX_AGE`] is ignored (the limiter
//! then starts slowly, as with nothing known); it holds no secret.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::api::LearnedPace;

/// The format written; a file of another version is ignored.
const VERSION: u32 = 1;

/// A pace learned longer ago than this is not trusted: the server's limit may have changed.
pub const MAX_AGE: Duration = Duration::from_secs(24 * 3600);

/// A file dated this far in the future (a clock set back since) is not trusted either.
const FUTURE_SLACK: Duration = Duration::from_secs(300);

/// The learned pace of one account at one API, on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaceFile {
    path: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    #[serde(flatten)]
    pace: LearnedPace,
}

impl PaceFile {
    /// The file of `api_key` at `place` (as [`super::Cache::for_account`]).
    pub fn for_account(root: &Path, api_key: &str, place: &str) -> PaceFile {
        let name = format!(
            "pace-{}-{:08x}.json",
            super::file_safe(api_key),
            super::fnv1a(place.trim_end_matches('/')) as u32
        );
        PaceFile {
            path: root.join(name),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The pace kept on disk, if it can be used at `now`; `None` (with a log line) when there
    /// is none, it cannot be read, or it is too old.
    pub fn load(&self, now: SystemTime) -> Option<LearnedPace> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "pace file unreadable, ignored");
                return None;
            }
        };
        let file: File = match serde_json::from_slice(&bytes) {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "pace file corrupt, ignored");
                return None;
            }
        };
        if file.version != VERSION {
            tracing::info!(path = %self.path.display(), version = file.version, "pace file of another version, ignored");
            return None;
        }
        let learned = UNIX_EPOCH + Duration::from_secs(file.pace.learned_at);
        let fresh = match now.duration_since(learned) {
            Ok(age) => age <= MAX_AGE,
            Err(ahead) => ahead.duration() <= FUTURE_SLACK,
        };
        if !fresh {
            tracing::info!(path = %self.path.display(), learned_at = file.pace.learned_at, "pace file too old, ignored");
            return None;
        }
        tracing::info!(path = %self.path.display(), limit = ?file.pace.limit, window = file.pace.window, "starting from the pace learned earlier");
        Some(file.pace)
    }

    /// Writes `pace` atomically (a temporary file, then a rename).
    pub fn save(&self, pace: &LearnedPace) -> io::Result<()> {
        let bytes = serde_json::to_vec(&File {
            version: VERSION,
            pace: pace.clone(),
        })
        .map_err(io::Error::other)?;
        super::write_atomic(&self.path, |f| io::Write::write_all(f, &bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "sb-pace-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn pace(learned_at: SystemTime) -> LearnedPace {
        LearnedPace {
            limit: Some(0.98),
            window: 1,
            limited_at: Some(1_700_000_000),
            learned_at: learned_at.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            last_request_ms: None,
        }
    }

    #[test]
    fn a_pace_reads_back_while_fresh_and_not_once_old() {
        let dir = root("fresh");
        let file = PaceFile::for_account(&dir, "abc", "http://127.0.0.1:1");
        let now = SystemTime::now();
        file.save(&pace(now)).unwrap();
        assert_eq!(file.load(now), Some(pace(now)));
        assert_eq!(file.load(now + MAX_AGE + Duration::from_secs(1)), None);
        assert_eq!(file.load(now - FUTURE_SLACK - Duration::from_secs(1)), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn accounts_and_apis_have_files_of_their_own() {
        let dir = root("names");
        let a = PaceFile::for_account(&dir, "abc", "https://rest.nexmo.com");
        assert_eq!(
            a,
            PaceFile::for_account(&dir, "abc", "https://rest.nexmo.com/")
        );
        assert_ne!(
            a,
            PaceFile::for_account(&dir, "abd", "https://rest.nexmo.com")
        );
        assert_ne!(a, PaceFile::for_account(&dir, "abc", "http://127.0.0.1:9"));
        let cache = super::super::Cache::for_account(&dir, "abc", "https://rest.nexmo.com");
        assert_ne!(a.path(), cache.path(), "not the owned list's file");
    }

    #[test]
    fn garbage_or_another_version_is_ignored() {
        let dir = root("garbage");
        let file = PaceFile::for_account(&dir, "abc", "x");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(file.path(), b"{not json").unwrap();
        assert_eq!(file.load(SystemTime::now()), None);
        std::fs::write(
            file.path(),
            br#"{"version":9,"limit":1.0,"window":1,"learned_at":0}"#,
        )
        .unwrap();
        assert_eq!(file.load(SystemTime::now()), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
