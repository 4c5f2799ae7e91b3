//! The journal file: JSON Lines, append-only, one line per write, each write followed by
//! `sync_data`, so a crash leaves at most a torn last line, which the reader skips. Each line
//! ends with a checksum; ids come from an id file next to it, under a lock, so processes
//! writing at once never share an id.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::entry::{Entry, Status};
pub use super::line::parse;
use super::line::{line_of, parse_from};

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

/// Base URLs journaled under another name (see [`name_place`]).
static PLACES: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Journals changes made against `base_url` under the name `place` instead: the embedded
/// sandbox listens on a new port at every start, but it is the same sandbox (seed and size).
pub fn name_place(base_url: &str, place: &str) {
    let base_url = normal_url(base_url);
    let mut places = PLACES.lock().unwrap_or_else(|e| e.into_inner());
    places.retain(|(b, _)| *b != base_url);
    places.push((base_url, place.to_string()));
}

fn normal_url(base_url: &str) -> String {
    base_url.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// The journal's file name for an account on an API: `journal-<api key>-<hash of base URL>`,
/// so the sandbox and the live API never share a file.
pub fn file_name(api_key: &str, base_url: &str) -> String {
    let url = normal_url(base_url);
    let named = PLACES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(b, _)| *b == url)
        .map(|(_, p)| p.clone());
    let base_url = named.as_deref().unwrap_or(base_url);
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
/// lines could not be read (a torn last line after a crash) or failed their checksum.
#[derive(Clone, Debug, Default)]
pub struct Contents {
    pub entries: Vec<Entry>,
    /// Lines that are not an entry (a write cut short by a crash).
    pub skipped: usize,
    /// Lines whose checksum fails (damaged on disk or edited): never acted on.
    pub damaged: usize,
}

impl Contents {
    /// The warning to show when lines were left out, if any.
    pub fn warning(&self, path: &Path) -> Option<String> {
        let mut why = Vec::new();
        if self.skipped > 0 {
            why.push(format!(
                "{} (a write cut short by a crash)",
                crate::output::plural(self.skipped, "unreadable line", "unreadable lines")
            ));
        }
        if self.damaged > 0 {
            why.push(format!(
                "{} their checksum (damaged: not acted on)",
                crate::output::plural(self.damaged, "line failing", "lines failing")
            ));
        }
        (!why.is_empty())
            .then(|| format!("journal {}: skipped {}", path.display(), why.join(" and ")))
    }

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
    /// Past every id this process handed out or wrote.
    next_id: u64,
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
        let journal = Journal::open(&dir.join(file_name(api_key, base_url)))?;
        // Past its size, the journal is rotated and compacted (once; see `rotate.rs`).
        if let Err(e) = journal.compact_if_large() {
            tracing::warn!(error = %e, path = %journal.path.display(), "journal: cannot rotate");
        }
        Ok(journal)
    }

    /// Opens the journal at `path`; the file (mode 0600) and its directory are created on
    /// the first append. Nothing is read: ids come from the id file next to it (see
    /// [`Journal::next_id`]). A symbolic link at either path is refused.
    pub fn open(path: &Path) -> io::Result<Journal> {
        refuse_symlink(path)?;
        refuse_symlink(&ids_path(path))?;
        Ok(Journal {
            path: path.to_path_buf(),
            state: Mutex::new(State {
                file: None,
                next_id: 1,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A fresh id, for an entry or a batch (they share one sequence, so never collide),
    /// unique across processes: the last id handed out is kept in `<journal>.ids`, read and
    /// written under an exclusive lock on that file (the TUI and a command, or two commands,
    /// journaling at once). Without it (the file cannot be written), ids continue from the
    /// journal's own entries, with a warning in the log.
    pub fn next_id(&self) -> u64 {
        let mut s = self.lock();
        let id = match self.reserve(s.next_id) {
            Ok(id) => id,
            Err(e) => {
                tracing::warn!(error = %e, path = %self.path.display(), "journal: the id file cannot be used");
                let scanned = self.read().map(|c| next_after(&c)).unwrap_or(1);
                s.next_id.max(scanned)
            }
        };
        s.next_id = id + 1;
        id
    }

    /// Takes the next id from the id file (at least `floor`), under its lock.
    fn reserve(&self, floor: u64) -> io::Result<u64> {
        let path = ids_path(&self.path);
        let mut f = open_private(&path, false)?;
        f.lock()?;
        let mut text = String::new();
        f.read_to_string(&mut text)?;
        let next = match text.trim().parse::<u64>() {
            Ok(last) => last + 1,
            // First use (or a damaged id file): past everything the journal holds.
            Err(_) => next_after(&self.read()?),
        };
        let id = next.max(floor);
        {
            use std::io::{Seek, SeekFrom};
            f.set_len(0)?;
            f.seek(SeekFrom::Start(0))?;
            f.write_all(format!("{id}\n").as_bytes())?;
            f.sync_data()?;
        }
        f.unlock()?;
        Ok(id)
    }

    /// Appends one entry as one line (with its checksum), written with a single write and
    /// synced to disk before this returns.
    pub fn append(&self, entry: &Entry) -> io::Result<()> {
        let mut line = line_of(entry)?;
        let mut s = self.lock();
        s.next_id = s.next_id.max(entry.id + 1);
        // Shared with other appends, exclusive with a rotation (see `rotate.rs`).
        let lock = open_private(&ids_path(&self.path), false)?;
        lock.lock_shared()?;
        if s.file.as_ref().is_some_and(|f| replaced(f, &self.path)) {
            s.file = None;
        }
        if s.file.is_none() {
            let mut file = open_private(&self.path, true)?;
            // A torn line left by a crash would swallow this one: start on a fresh line. Looked
            // at once, when the file is opened: before each append, another process's line
            // being written at that moment could read as torn (and leave an empty line).
            let len = file.metadata()?.len();
            if len > 0 && !ends_with_newline(&mut file, len)? {
                line.insert(0, b'\n');
            }
            s.file = Some(file);
        }
        let Some(file) = s.file.as_mut() else {
            return Err(io::Error::other("journal file not open"));
        };
        file.write_all(&line)?;
        file.sync_data()?;
        lock.unlock()
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

    /// Reads the whole file (empty when nothing was written yet), a line at a time.
    pub fn read(&self) -> io::Result<Contents> {
        self.read_where(|_| true)
    }

    /// Reads the lines `keep` accepts (given the raw line; e.g. those naming one msisdn),
    /// without decoding the others.
    pub fn read_where(&self, keep: impl Fn(&[u8]) -> bool) -> io::Result<Contents> {
        refuse_symlink(&self.path)?;
        match File::open(&self.path) {
            Ok(f) => parse_from(io::BufReader::new(f), keep),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Contents::default()),
            Err(e) => Err(e),
        }
    }
}

/// The journal was rotated since `file` was opened: its path names another file now.
fn replaced(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.ino() != b.ino() || a.dev() != b.dev(),
            _ => true,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        false
    }
}

/// The id file of the journal at `path`.
pub(super) fn ids_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".ids");
    path.with_file_name(name)
}

/// A symbolic link where the journal (or its id file) goes is refused, not followed: the
/// journal would be written wherever it points.
pub(super) fn refuse_symlink(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is a symbolic link: refused (the journal is only written to a plain file; remove the link)",
                path.display()
            ),
        )),
        _ => Ok(()),
    }
}

/// Opens (creating it, mode 0600, and its directory) a file of the journal, for appending
/// or for reading and writing. A symbolic link is refused.
pub(super) fn open_private(path: &Path, append: bool) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    refuse_symlink(path)?;
    let mut options = OpenOptions::new();
    options.read(true).create(true);
    if append {
        options.append(true);
    } else {
        options.write(true);
    }
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

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
