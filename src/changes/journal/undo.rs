//! Planning an undo from the journal (no network): which entries to reverse, and how. The
//! runner that carries a plan out is `crate::undo`.

use std::collections::HashMap;

use crate::api::NumberConfig;
use crate::api::apps::AppWebhooks;

use super::entry::{Entry, Kind, Status};
use super::file::Contents;

/// What a step of an undo does to its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UndoAction {
    /// Undo an update: send `config` back (every field, empty where it was empty). `expect` is
    /// what the number should hold now; anything else means it changed since.
    Restore {
        config: NumberConfig,
        expect: NumberConfig,
    },
    /// Undo a buy: cancel the number (it leaves the account; confirmed first).
    Cancel,
    /// Undo a cancel: buy the number again (money; it may have been taken), then give it back
    /// its configuration when one was recorded.
    Buy { config: Option<NumberConfig> },
    /// Undo an application's webhook change: put back, as `hooks` has them, the webhooks the
    /// change changed (every other field of the application as it is then). `expect` is what
    /// its webhooks should be now; anything else means it changed since.
    RestoreApp {
        id: String,
        hooks: AppWebhooks,
        expect: AppWebhooks,
    },
}

impl UndoAction {
    pub fn verb(&self) -> &'static str {
        match self {
            UndoAction::Restore { .. } => "restore",
            UndoAction::Cancel => "cancel",
            UndoAction::Buy { .. } => "buy back",
            UndoAction::RestoreApp { .. } => "restore",
        }
    }
}

/// One number to put back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The entry undone.
    pub entry: Entry,
    pub action: UndoAction,
}

/// An undo, planned: the entries it reverses, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The entry or batch id given (or found as the last change).
    pub target: u64,
    /// True when `target` is a batch (a bulk run or an undo run).
    pub is_batch: bool,
    pub steps: Vec<Step>,
    /// Entries of the batch left out: they failed (nothing changed) or were undone already.
    pub left_out: usize,
}

impl Plan {
    /// "the bulk run #12 (300 numbers)" / "#7: update 447700900001 (GB): ...".
    pub fn label(&self) -> String {
        if self.is_batch {
            let n = self.steps.len();
            let numbers = if n == 1 { "number" } else { "numbers" };
            let what = if self.steps.iter().any(|s| s.entry.undoes.is_some()) {
                "the undo run"
            } else {
                "the bulk run"
            };
            format!("{what} #{} ({n} {numbers})", self.target)
        } else {
            match self.steps.first() {
                Some(s) => format!("#{}: {}", s.entry.id, s.entry.summary()),
                None => format!("#{}", self.target),
            }
        }
    }

    pub fn count(&self, f: fn(&UndoAction) -> bool) -> usize {
        self.steps.iter().filter(|s| f(&s.action)).count()
    }

    /// The numbers this undo cancels (each an undone buy).
    pub fn cancels(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| s.action == UndoAction::Cancel)
            .map(|s| s.entry.msisdn.as_str())
            .collect()
    }

    /// The applications whose webhooks this undo puts back: (id, name).
    pub fn apps(&self) -> Vec<(&str, &str)> {
        self.steps
            .iter()
            .filter_map(|s| match (&s.action, &s.entry.app) {
                (UndoAction::RestoreApp { id, .. }, a) => {
                    Some((id.as_str(), a.as_ref().map_or("", |a| a.name.as_str())))
                }
                _ => None,
            })
            .collect()
    }

    /// The numbers this undo buys again (each an undone cancel).
    pub fn buys(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| matches!(s.action, UndoAction::Buy { .. }))
            .map(|s| s.entry.msisdn.as_str())
            .collect()
    }
}

/// Why there is nothing to undo.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("nothing to undo: the journal holds no change that took effect")]
    Empty,
    #[error("no journal entry or run #{0}")]
    NotFound(u64),
    #[error("#{0} is already undone (by #{1})")]
    AlreadyUndone(u64, u64),
    #[error("#{0} failed: nothing changed, nothing to undo")]
    Failed(u64),
    #[error("every change of run #{0} failed or is already undone: nothing to undo")]
    BatchSpent(u64),
}

/// Which entry undid each entry (only undos that took effect count).
fn undone_by(contents: &Contents) -> HashMap<u64, u64> {
    contents
        .entries
        .iter()
        .filter(|e| e.status == Status::Done)
        .filter_map(|e| e.undoes.map(|u| (u, e.id)))
        .collect()
}

/// Plans the undo of `id` (an entry or a run), or of the last change (the last entry that may
/// have taken effect and is not undone, with its whole run).
pub fn plan(contents: &Contents, id: Option<u64>) -> Result<Plan, PlanError> {
    let undone = undone_by(contents);
    let live = |e: &&Entry| e.status.may_have_happened() && !undone.contains_key(&e.id);
    let (target, is_batch) = match id {
        None => {
            let last = contents
                .entries
                .iter()
                .rev()
                .find(live)
                .ok_or(PlanError::Empty)?;
            match last.batch {
                Some(b) => (b, true),
                None => (last.id, false),
            }
        }
        Some(id) => match contents.get(id) {
            Some(e) => {
                if let Some(by) = undone.get(&id) {
                    return Err(PlanError::AlreadyUndone(id, *by));
                }
                if !e.status.may_have_happened() {
                    return Err(PlanError::Failed(id));
                }
                (id, false)
            }
            None if contents.entries.iter().any(|e| e.batch == Some(id)) => (id, true),
            None => return Err(PlanError::NotFound(id)),
        },
    };
    let members: Vec<&Entry> = if is_batch {
        contents
            .entries
            .iter()
            .filter(|e| e.batch == Some(target))
            .collect()
    } else {
        contents.get(target).into_iter().collect()
    };
    let total = members.len();
    let steps: Vec<Step> = members
        .into_iter()
        .rev()
        .filter(live)
        .filter_map(step)
        .collect();
    if steps.is_empty() {
        return Err(PlanError::BatchSpent(target));
    }
    Ok(Plan {
        target,
        is_batch,
        left_out: total - steps.len(),
        steps,
    })
}

fn step(e: &Entry) -> Option<Step> {
    let action = match e.kind {
        Kind::Update => UndoAction::Restore {
            config: e.before.clone()?,
            expect: e.after.clone()?,
        },
        Kind::Buy => UndoAction::Cancel,
        Kind::Cancel => UndoAction::Buy {
            config: e.before.clone().filter(|c| *c != NumberConfig::default()),
        },
        Kind::App => {
            let a = e.app.as_ref()?;
            UndoAction::RestoreApp {
                id: a.id.clone(),
                hooks: a.before.clone(),
                expect: a.after.clone(),
            }
        }
    };
    Some(Step {
        entry: e.clone(),
        action,
    })
}

/// What the journal knows of each number's configuration: the `after` of its latest change
/// that took effect. Supplies the values the API does not return (voiceStatusCallback,
/// moSmppSysType) to read-modify-write.
pub fn known_configs(contents: &Contents) -> HashMap<String, NumberConfig> {
    let mut out = HashMap::new();
    for e in &contents.entries {
        if e.status != Status::Done {
            continue;
        }
        match (&e.kind, &e.after) {
            (Kind::App, _) => {}
            (Kind::Cancel, _) => {
                out.remove(&e.msisdn);
            }
            (_, Some(after)) => {
                out.insert(e.msisdn.clone(), after.clone());
            }
            _ => {}
        }
    }
    out
}
