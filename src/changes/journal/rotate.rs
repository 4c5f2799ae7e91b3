//! Keeping the journal small: past a size, the file is rotated to a numbered file next to it
//! (`<journal>.1`, `.2`, …, the highest the newest) and a compacted journal takes its place,
//! holding only what the commands that journal need: each number's latest change that took
//! effect (the values the API does not return, for read-modify-write; and the last change, for
//! undo), every change still at `intent` (for reconcile) and every entry of a run still open
//! (for resume). Older entries stay in the rotated files, read only when asked for
//! (`history --all`, `undo <id>` of an older change or run). Each line is copied as it was
//! (same id, same checksum), so reading every file, oldest first, gives what the journal held.
//!
//! Rotation takes the id file's lock exclusively; appends take it shared and reopen the
//! journal when its file was replaced, so a process journaling meanwhile never writes into
//! the rotated file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::entry::{Entry, Status};
use super::file::{Contents, Journal, ids_path, open_private};
use super::line::{checked, line_of, parse_from};
use super::undo::{Plan, PlanError, plan};

/// The size past which the journal is rotated (overridden by [`ENV_ROTATE_BYTES`]).
pub const ROTATE_BYTES: u64 = 32 << 20;

/// Overrides [`ROTATE_BYTES`] (tests, benches).
pub const ENV_ROTATE_BYTES: &str = "SWITCHBOARD_JOURNAL_ROTATE_BYTES";

fn rotate_bytes() -> u64 {
    std::env::var(ENV_ROTATE_BYTES)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(ROTATE_BYTES)
}

impl Journal {
    /// The rotated files, oldest first.
    pub fn rotated(&self) -> Vec<PathBuf> {
        let path = self.path();
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Vec::new();
        };
        let prefix = format!("{}.", name.to_string_lossy());
        let mut found: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|d| {
                let n = d
                    .file_name()
                    .to_string_lossy()
                    .strip_prefix(&prefix)?
                    .parse()
                    .ok()?;
                Some((n, d.path()))
            })
            .collect();
        found.sort();
        found.into_iter().map(|(_, p)| p).collect()
    }

    /// Every entry, the rotated files' and the journal's (the latest line of an id wins).
    pub fn read_all(&self) -> io::Result<Contents> {
        let mut by_id: BTreeMap<u64, Entry> = BTreeMap::new();
        let (mut skipped, mut damaged) = (0, 0);
        for path in self
            .rotated()
            .iter()
            .map(PathBuf::as_path)
            .chain([self.path()])
        {
            let c = read_file(path)?;
            skipped += c.skipped;
            damaged += c.damaged;
            by_id.extend(c.entries.into_iter().map(|e| (e.id, e)));
        }
        Ok(Contents {
            entries: by_id.into_values().collect(),
            skipped,
            damaged,
        })
    }

    /// The journal holds every entry from this id on (0: it holds them all; rotated files
    /// hold older ones): written at the rotation (`<journal>.floor`); without that file, the
    /// highest id of the rotated files.
    pub fn floor(&self) -> u64 {
        let rotated = self.rotated();
        if rotated.is_empty() {
            return 0;
        }
        let written = std::fs::read_to_string(floor_path(self.path()))
            .ok()
            .and_then(|t| t.trim().parse().ok());
        written
            .or_else(|| {
                let last = rotated.last().and_then(|p| last_id(p).ok().flatten());
                last.map(|id| id.saturating_add(1))
            })
            .unwrap_or(u64::MAX)
    }

    /// The plan of an undo of `id` (`None`: the last change), from the journal alone when
    /// the change or run is at or past the [`Journal::floor`], else from every file.
    pub fn plan_undo(&self, id: Option<u64>) -> io::Result<(Contents, Result<Plan, PlanError>)> {
        let contents = self.read()?;
        let planned = plan(&contents, id);
        let floor = self.floor();
        let recent = match &planned {
            Ok(p) => p.target >= floor,
            Err(PlanError::NotFound(_)) => false,
            Err(_) => id.is_none_or(|id| id >= floor),
        };
        if recent || floor == 0 {
            return Ok((contents, planned));
        }
        let all = self.read_all()?;
        let planned = plan(&all, id);
        Ok((all, planned))
    }

    /// Rotates the journal when it is past the size ([`ROTATE_BYTES`], or
    /// `$SWITCHBOARD_JOURNAL_ROTATE_BYTES`): see the module. Returns whether it did.
    pub fn compact_if_large(&self) -> io::Result<bool> {
        self.compact_past(rotate_bytes())
    }

    /// Rotates the journal when it is larger than `limit` bytes.
    pub fn compact_past(&self, limit: u64) -> io::Result<bool> {
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        if size(self.path()) <= limit {
            return Ok(false);
        }
        let lock = open_private(&ids_path(self.path()), false)?;
        lock.lock()?;
        // Another process may have rotated it meanwhile.
        if size(self.path()) <= limit {
            return Ok(false);
        }
        let open: HashSet<u64> = self
            .runs_cut_short()
            .unwrap_or_default()
            .iter()
            .map(|p| p.batch)
            .collect();
        let floor = last_run(self.path())?;
        let kept = carried(self.path(), &open, floor)?;
        let next = self
            .rotated()
            .last()
            .and_then(|p| p.extension()?.to_str()?.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        let mut rotated = self.path().as_os_str().to_os_string();
        rotated.push(format!(".{next}"));
        let mut tmp = self.path().as_os_str().to_os_string();
        tmp.push(".compacting");
        let tmp = PathBuf::from(tmp);
        {
            let _ = std::fs::remove_file(&tmp);
            let mut f = io::BufWriter::new(open_private(&tmp, true)?);
            for e in kept.values() {
                f.write_all(&line_of(e)?)?;
            }
            f.into_inner().map_err(|e| e.into_error())?.sync_data()?;
        }
        let floor_file = floor_path(self.path());
        {
            // Like every file of the journal: 0600, a symbolic link refused.
            let mut f = open_private(&floor_file, false)?;
            f.set_len(0)?;
            f.write_all(format!("{floor}\n").as_bytes())?;
            f.sync_data()?;
        }
        // The old file keeps its name under the new one; the compacted one replaces it at
        // once (a reader sees one or the other, never none).
        std::fs::hard_link(self.path(), PathBuf::from(&rotated))?;
        std::fs::rename(&tmp, self.path())?;
        self.compact_runs()?;
        tracing::info!(rotated = %PathBuf::from(&rotated).display(), kept = kept.len(), "journal rotated");
        lock.unlock()?;
        Ok(true)
    }
}

fn read_file(path: &Path) -> io::Result<Contents> {
    match std::fs::File::open(path) {
        Ok(f) => parse_from(io::BufReader::new(f), |_| true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Contents::default()),
        Err(e) => Err(e),
    }
}

/// `<journal>.floor`.
fn floor_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".floor");
    PathBuf::from(name)
}

/// Each line's entry (checksum checked), in file order.
fn each_entry(path: &Path, mut f: impl FnMut(Entry)) -> io::Result<()> {
    let mut reader = io::BufReader::new(std::fs::File::open(path)?);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = line.trim_ascii();
        let Some(body) = (!text.is_empty()).then(|| checked(text)).flatten() else {
            continue;
        };
        if let Ok(e) = serde_json::from_slice::<Entry>(&body) {
            f(e);
        }
    }
}

/// Where the last change that may have happened starts: its run's id (or its own). From
/// there on every entry is kept whole, so an undo of the last change or run reads the
/// compacted journal alone.
fn last_run(path: &Path) -> io::Result<u64> {
    let mut latest: HashMap<u64, (Status, Option<u64>)> = HashMap::new();
    each_entry(path, |e| {
        latest.insert(e.id, (e.status, e.batch));
    })?;
    Ok(latest
        .into_iter()
        .filter(|(_, (s, _))| s.may_have_happened())
        .max_by_key(|(id, _)| *id)
        .map_or(u64::MAX, |(id, (_, batch))| batch.unwrap_or(id)))
}

/// The entries a compacted journal keeps, by id, read a line at a time (only what is kept is
/// held in memory): each number's latest change that took effect, intents, the entries of
/// runs still open, and every entry from `floor` on.
fn carried(path: &Path, open_runs: &HashSet<u64>, floor: u64) -> io::Result<BTreeMap<u64, Entry>> {
    // Each number's latest change that took effect, by id.
    let mut latest: HashMap<String, Entry> = HashMap::new();
    // Entries whose latest line is an intent, or that belong to a run still open.
    let mut pending: BTreeMap<u64, Entry> = BTreeMap::new();
    each_entry(path, |e| {
        let in_open_run = e.batch.is_some_and(|b| open_runs.contains(&b));
        if e.status == Status::Intent || in_open_run || e.id >= floor {
            pending.insert(e.id, e.clone());
        } else {
            pending.remove(&e.id);
        }
        if e.status == Status::Done {
            let newer = latest.get(&e.msisdn).is_none_or(|l| l.id <= e.id);
            if newer {
                latest.insert(e.msisdn.clone(), e);
            }
        }
    })?;
    let mut kept: BTreeMap<u64, Entry> = latest.into_values().map(|e| (e.id, e)).collect();
    kept.extend(pending);
    Ok(kept)
}

/// The id of the last entry of a file, read from its end.
fn last_id(path: &Path) -> io::Result<Option<u64>> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let from = len.saturating_sub(64 << 10);
    f.seek(SeekFrom::Start(from))?;
    let mut tail = Vec::new();
    f.read_to_end(&mut tail)?;
    let max = tail
        .split(|b| *b == b'\n')
        .filter_map(|l| checked(l.trim_ascii()))
        .filter_map(|b| serde_json::from_slice::<Entry>(&b).ok())
        .map(|e| e.id.max(e.batch.unwrap_or(0)))
        .max();
    Ok(max)
}
