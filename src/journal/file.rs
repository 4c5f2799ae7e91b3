//! The journal file: JSON Lines, append-only, one line per write, each write followed by
//! `sync_data`, so a crash leaves at most a torn last line, which the reader skips.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::entry::{Entry, Status};

/// Overrides the directory the journal lives in (tests, hermetic runs).
pub const ENV_DATA_DIR: &str = "SWITCHBOARD_DATA_DIR";

/// `<data dir>/switchboard` (or `$SWITCHBOARD_DATA_DIR`).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(ENV_DATA_DIR).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    dirs::data_dir().map(|d| d.join("switchboard"))
}

/// FNV-1a: a stable short hash (the standard library's is not stable across releases).
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The journal's file name for an account on an API: `journal-<api key>-<hash of base URL>`,
/// so the sandbox and the live API never share a file.
pub fn file_name(api_key: &str, base_url: &str) -> String {
    let key: String = api_key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let url = base_url.trim().trim_end_matches('/').to_ascii_lowercase();
    format!("journal-{key}-{:08x}.jsonl", fnv1a(&url) as u32)
}

/// Everything the file holds: each entry at its latest status, in id order, and how many
/// lines could not be read (a torn last line after a crash).
#[derive(Clone, Debug, Default)]
pub struct Contents {
    pub entries: Vec<Entry>,
    pub skipped: usize,
}

impl Contents {
    pub fn get(&self, id: u64) -> Option<&Entry> {
        self.entries
            .binary_search_by_key(&id, |e| e.id)
            .ok()
            .map(|i| &self.entries[i])
    }
}

/// An open journal. Shared between tasks (`Arc<Journal>`): appends are serialised.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Opened (and created) on the first append: looking does not leave files behind.
    file: Option<File>,
    next_id: u64,
    /// The file's length after our last read or write: when it differs, another process
    /// (the TUI and a command at once) wrote, and ids are taken past its entries.
    seen_len: u64,
}

impl Journal {
    /// The journal of `api_key` on `base_url`, in [`data_dir`].
    pub fn open_for(api_key: &str, base_url: &str) -> io::Result<Journal> {
        let dir = data_dir().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "no data directory on this platform (set SWITCHBOARD_DATA_DIR)",
            )
        })?;
        Journal::open(&dir.join(file_name(api_key, base_url)))
    }

    /// Opens the journal at `path`; the file (mode 0600) and its directory are created on
    /// the first append.
    pub fn open(path: &Path) -> io::Result<Journal> {
        let (contents, seen_len) = match File::open(path) {
            Ok(mut f) => {
                let bytes = read_all(&mut f)?;
                (parse(&bytes), bytes.len() as u64)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Contents::default(), 0),
            Err(e) => return Err(e),
        };
        let file = if path.exists() {
            Some(open_append(path)?)
        } else {
            None
        };
        let next_id = next_after(&contents);
        Ok(Journal {
            path: path.to_path_buf(),
            state: Mutex::new(State {
                file,
                next_id,
                seen_len,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A fresh id, for an entry or a batch (they share one sequence, so never collide).
    pub fn next_id(&self) -> u64 {
        let mut s = self.lock();
        let len = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
        if len != s.seen_len
            && let Ok(mut f) = File::open(&self.path)
            && let Ok(bytes) = read_all(&mut f)
        {
            s.next_id = s.next_id.max(next_after(&parse(&bytes)));
            s.seen_len = bytes.len() as u64;
        }
        let id = s.next_id;
        s.next_id += 1;
        id
    }

    /// Appends one entry as one line, written with a single write and synced to disk before
    /// this returns.
    pub fn append(&self, entry: &Entry) -> io::Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
        line.push(b'\n');
        let mut s = self.lock();
        s.next_id = s.next_id.max(entry.id + 1);
        if s.file.is_none() {
            s.file = Some(open_append(&self.path)?);
        }
        let Some(file) = s.file.as_mut() else {
            return Err(io::Error::other("journal file not open"));
        };
        // A torn line left by a crash would swallow this one: start on a fresh line.
        let len = file.metadata()?.len();
        if len > 0 && !ends_with_newline(file, len)? {
            line.insert(0, b'\n');
        }
        file.write_all(&line)?;
        file.sync_data()?;
        // Only our own line was added since the last look: nothing new from others.
        if s.seen_len == len {
            s.seen_len = len + line.len() as u64;
        }
        Ok(())
    }

    /// Writes the new status of an entry (a new line with the same id).
    pub fn settle(
        &self,
        entry: &mut Entry,
        status: Status,
        error: Option<String>,
    ) -> io::Result<()> {
        entry.status = status;
        entry.error = error;
        self.append(entry)
    }

    /// Reads the whole file (empty when nothing was written yet).
    pub fn read(&self) -> io::Result<Contents> {
        match File::open(&self.path) {
            Ok(mut f) => Ok(parse(&read_all(&mut f)?)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Contents::default()),
            Err(e) => Err(e),
        }
    }
}

/// Opens (creating it, mode 0600, and its directory) the file for appending.
fn open_append(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn ends_with_newline(file: &mut File, len: u64) -> io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    // Appends go to the end whatever the position.
    Ok(last[0] == b'\n')
}

fn read_all(file: &mut File) -> io::Result<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(0))?;
    let mut buf = Vec::new();
    file.read_to_end(&mut buf)?;
    Ok(buf)
}

/// The first id past every entry and batch of `contents`.
fn next_after(contents: &Contents) -> u64 {
    contents
        .entries
        .iter()
        .map(|e| e.id.max(e.batch.unwrap_or(0)))
        .max()
        .unwrap_or(0)
        + 1
}

/// Every readable line; the latest line of an id wins. Unreadable lines are counted, never
/// fatal.
pub fn parse(bytes: &[u8]) -> Contents {
    let mut by_id: BTreeMap<u64, Entry> = BTreeMap::new();
    let mut skipped = 0;
    for line in bytes.split(|b| *b == b'\n') {
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(e) => {
                by_id.insert(e.id, e);
            }
            Err(_) => skipped += 1,
        }
    }
    Contents {
        entries: by_id.into_values().collect(),
        skipped,
    }
}

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
