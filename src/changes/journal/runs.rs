//! The plans of bulk runs, in a file next to the journal (`<journal>.runs`): when a run
//! starts, its change, the filter its numbers were listed with and every target number; when
//! it ends (finished or stopped), a line saying so. A run started and never ended was cut
//! short (quit, crash, power): the numbers of its plan with no entry in its batch were never
//! sent, and can be resumed with the same change. Same line format as the journal (a
//! checksum per line; a damaged or torn line is skipped), written under a lock.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::api::{NumberChange, OwnedFilter};
use crate::changes::Target;

use super::file::{Contents, Journal, ids_path, now, open_private, refuse_symlink};
use super::line::{checked, line_of};

/// What a bulk run set out to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPlan {
    /// The run's batch id in the journal.
    pub batch: u64,
    /// Unix seconds when it started.
    pub time: u64,
    pub change: NumberChange,
    /// The list the targets were chosen from (its pages are the run's read).
    #[serde(default)]
    pub filter: OwnedFilter,
    pub targets: Vec<Target>,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunEnd {
    Finished,
    Stopped,
    /// Cut short, and the user chose not to resume it.
    Declined,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
enum Line {
    Start(Box<RunPlan>),
    End { batch: u64, time: u64, how: RunEnd },
}

impl Journal {
    /// The file of the runs' plans.
    fn runs_path(&self) -> PathBuf {
        let path = self.path();
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".runs");
        path.with_file_name(name)
    }

    fn append_run_line(&self, line: &Line) -> io::Result<()> {
        let bytes = line_of(line)?;
        // Shared with other appends, exclusive with a rotation (which rewrites this file).
        let lock = open_private(&ids_path(self.path()), false)?;
        lock.lock_shared()?;
        let path = self.runs_path();
        let mut f = open_private(&path, true)?;
        f.lock()?;
        // A torn line left by a crash would swallow this one: start on a fresh line.
        let len = f.metadata()?.len();
        let mut out = Vec::with_capacity(bytes.len() + 1);
        if len > 0 {
            use std::io::{Read, Seek, SeekFrom};
            let mut last = [0u8; 1];
            f.seek(SeekFrom::Start(len - 1))?;
            f.read_exact(&mut last)?;
            if last[0] != b'\n' {
                out.push(b'\n');
            }
        }
        out.extend_from_slice(&bytes);
        f.write_all(&out)?;
        f.sync_data()?;
        f.unlock()?;
        lock.unlock()
    }

    /// Rewrites the runs file with only the runs still open (under the rotation's lock).
    pub(super) fn compact_runs(&self) -> io::Result<()> {
        let path = self.runs_path();
        if !path.exists() {
            return Ok(());
        }
        let open = self.runs_cut_short()?;
        let mut tmp = path.as_os_str().to_os_string();
        tmp.push(".compacting");
        let tmp = PathBuf::from(tmp);
        let _ = std::fs::remove_file(&tmp);
        let mut f = io::BufWriter::new(open_private(&tmp, true)?);
        for plan in open {
            f.write_all(&line_of(&Line::Start(Box::new(plan)))?)?;
        }
        f.into_inner().map_err(|e| e.into_error())?.sync_data()?;
        std::fs::rename(&tmp, &path)
    }

    /// Records the plan of a run as it starts (before its first change is journaled).
    pub fn run_started(&self, plan: &RunPlan) -> io::Result<()> {
        self.append_run_line(&Line::Start(Box::new(plan.clone())))
    }

    /// Records the end of the run `batch`.
    pub fn run_ended(&self, batch: u64, how: RunEnd) -> io::Result<()> {
        self.append_run_line(&Line::End {
            batch,
            time: now(),
            how,
        })
    }

    /// The runs started and never ended, oldest first (a run continued later, by a retry or
    /// a resume, under the same batch: its latest plan).
    pub fn runs_cut_short(&self) -> io::Result<Vec<RunPlan>> {
        let path = self.runs_path();
        refuse_symlink(&path)?;
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut open: BTreeMap<u64, RunPlan> = BTreeMap::new();
        let mut reader = io::BufReader::new(file);
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            let text = line.trim_ascii();
            let Some(body) = (!text.is_empty()).then(|| checked(text)).flatten() else {
                continue;
            };
            match serde_json::from_slice::<Line>(&body) {
                Ok(Line::Start(plan)) => {
                    open.insert(plan.batch, *plan);
                }
                Ok(Line::End { batch, .. }) => {
                    open.remove(&batch);
                }
                Err(_) => {}
            }
        }
        let mut plans: Vec<RunPlan> = open.into_values().collect();
        plans.sort_by_key(|p| (p.time, p.batch));
        Ok(plans)
    }

    /// The entries of the run `batch` (only its lines are decoded).
    pub fn read_batch(&self, batch: u64) -> io::Result<Contents> {
        let needles = [
            format!("\"batch\":{batch},"),
            format!("\"batch\":{batch}}}"),
        ];
        self.read_where(|line| {
            needles.iter().any(|n| {
                let n = n.as_bytes();
                line.windows(n.len()).any(|w| w == n)
            })
        })
    }
}
