//! The change journal: every buy, cancel and update (single or bulk) appended to a local file
//! per account and API, with the number's full configuration before and after, so any change
//! can be undone, even after a crash in the middle of a run. File I/O only: no network, no
//! terminal.
//!
//! The file is `<data dir>/switchboard/journal-<api key>-<hash of base URL>.jsonl` (on Linux
//! `~/.local/share/switchboard/`; `SWITCHBOARD_DATA_DIR` overrides the directory), created
//! 0600. An entry's intent is written before its request leaves, its outcome after; a crash
//! in between leaves the intent, whose `before` an undo can still restore.

mod entry;
mod file;
mod line;
mod rotate;
mod runs;
pub mod undo;

pub use entry::{AppChange, Entry, Kind, Status};
pub use file::{Contents, ENV_DATA_DIR, Journal, data_dir, file_name, name_place, now, parse};
pub use line::encode;
pub use rotate::{ENV_ROTATE_BYTES, ROTATE_BYTES};
pub use runs::{RunEnd, RunPlan};
pub use undo::{Plan, PlanError, Step, UndoAction, known_configs, plan};

#[cfg(test)]
mod tests;
