//! Bulk edits of the marked numbers: marks, the form (`bulk_form.rs`), the confirmation with
//! the count and the per-field diff, the run (`bulk_run.rs`: progress, stop, results, retry).
//! Undo (`undo.rs`) shares the run and its panel.

use crate::api::{NumberChange, NumberConfig, OwnedNumber};
use crate::bulk::diff::{self, Summary};
use crate::bulk::{Progress, Report, Target};
use crate::journal::Plan;

pub use super::bulk_form::{BulkForm, REMOVE};
use super::{App, Cmd, Effect, Request, RequestId};

/// The confirmation of a bulk edit: what changes, on how many numbers. Back is focused.
#[derive(Clone, Debug)]
pub struct BulkConfirm {
    pub change: NumberChange,
    /// The numbers that change (the others already are as wanted).
    pub targets: Vec<Target>,
    pub summary: Summary,
    pub confirm_focused: bool,
    /// The GET sent to the new SMS webhook (one: the change sets one URL for every number),
    /// as the single edit sends it; its answer shows before Apply.
    pub webhook: Option<super::dialog::WebhookCheck>,
}

/// The confirmation of an undo: what it puts back. Cancel is focused.
#[derive(Clone, Debug)]
pub struct UndoConfirm {
    pub plan: Plan,
    /// Overwrite numbers changed since (a retry of an undo that left them alone).
    pub force: bool,
    pub confirm_focused: bool,
}

/// What a run does.
#[derive(Clone, Debug)]
pub enum RunKind {
    Update(NumberChange),
    Undo { target: u64, label: String },
}

/// A bulk run or an undo run, from its start to its results.
#[derive(Clone, Debug)]
pub struct Run {
    pub id: RequestId,
    pub kind: RunKind,
    pub progress: Progress,
    /// Asked to stop: in-flight numbers finish.
    pub stopping: bool,
    /// The results, once finished.
    pub report: Option<Report>,
    /// Selected row of the results list.
    pub selected: usize,
}

impl Run {
    pub fn finished(&self) -> bool {
        self.report.is_some()
    }
}

/// Everything bulk and undo hold.
#[derive(Clone, Debug, Default)]
pub struct BulkState {
    pub form: Option<BulkForm>,
    pub confirm: Option<BulkConfirm>,
    pub undo_confirm: Option<UndoConfirm>,
    /// The current or last run.
    pub run: Option<Run>,
    /// The next undo plan comes from a retry that overwrites numbers changed since.
    pub force_next_undo: bool,
    /// The run's panel is shown (it has the keyboard).
    pub panel: bool,
}

impl BulkState {
    /// A run is going on.
    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(|r| !r.finished())
    }

    /// One of the two confirmations is open.
    pub fn dialog_open(&self) -> bool {
        self.confirm.is_some() || self.undo_confirm.is_some()
    }
}

impl App {
    /// The marked numbers that are loaded.
    pub fn marked_numbers(&self) -> Vec<&OwnedNumber> {
        self.owned
            .numbers
            .iter()
            .filter(|n| n.msisdn.as_deref().is_some_and(|m| self.marks.contains(m)))
            .collect()
    }

    /// `Space`: marks or unmarks the selected number, then moves down.
    pub(super) fn toggle_mark(&mut self) {
        if let Some(m) = self.owned.selected_msisdn() {
            self.marks.toggle(&m);
            self.owned.move_by(1);
        }
    }

    /// `a`: marks every number shown (the filter decides which).
    pub(super) fn mark_shown(&mut self) {
        let o = &self.owned;
        let shown = o
            .shown
            .iter()
            .filter_map(|&i| o.numbers[i as usize].msisdn.as_deref());
        self.marks.mark(shown);
        let n = self.marks.len();
        self.info(format!("{n} marked: e edits them all, A clears the marks"));
    }

    /// After the list changed: marks of numbers no longer there go.
    pub(super) fn prune_marks(&mut self) {
        let present = self
            .owned
            .numbers
            .iter()
            .filter_map(|n| n.msisdn.as_deref());
        self.marks.retain_present(present);
    }

    pub(super) fn open_bulk_edit(&mut self) {
        if self.refuse_read_only("bulk editing") {
            return;
        }
        if self.bulk.running() {
            self.warn("a bulk run is in progress: wait for it, or stop it (B, then s)");
            return;
        }
        let count = self.marked_numbers().len();
        self.bulk.form = Some(BulkForm::new(count));
    }

    /// The bulk form's commands.
    pub(super) fn bulk_form_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let Some(bf) = &mut self.bulk.form else {
            return Vec::new();
        };
        match cmd {
            Cmd::Back => self.bulk.form = None,
            Cmd::NextField | Cmd::Down => bf.form.next(),
            Cmd::PrevField | Cmd::Up => bf.form.prev(),
            Cmd::Submit => match bf.change() {
                Err((at, message)) => {
                    bf.form.focus = at;
                    bf.error = Some((at, message));
                }
                Ok(change) => return self.ask_bulk(change),
            },
            _ => {}
        }
        Vec::new()
    }

    /// Works out what `change` does to each marked number and opens the confirmation.
    fn ask_bulk(&mut self, change: NumberChange) -> Vec<Effect> {
        let mut planned: Vec<(Target, NumberConfig, NumberConfig, Vec<String>)> = Vec::new();
        let mut failure = None;
        for n in self.marked_numbers() {
            let (Some(c), Some(m)) = (&n.country, &n.msisdn) else {
                continue;
            };
            let known = self.known.get(m);
            let before = NumberConfig::from_number(n, known);
            match change.apply_to(&before) {
                Ok(after) => {
                    let warnings = change.warnings(n, known);
                    planned.push((Target::new(c.clone(), m.clone()), before, after, warnings));
                }
                Err(e) => {
                    failure = Some(format!("{m}: {e}"));
                    break;
                }
            }
        }
        if let Some(message) = failure {
            if let Some(bf) = &mut self.bulk.form {
                bf.error = Some((0, message));
            }
            return Vec::new();
        }
        let summary = diff::summarize(planned.iter().map(|(_, b, a, w)| (b, a, w.as_slice())));
        if summary.changing == 0 {
            self.info("nothing to change: the marked numbers already have this configuration");
            return Vec::new();
        }
        let targets = planned
            .into_iter()
            .filter(|(_, b, a, _)| b != a)
            .map(|(t, ..)| t)
            .collect();
        let (webhook, effects) = match self.start_webhook_check(&change) {
            Some((check, effect)) => (Some(check), vec![effect]),
            None => (None, Vec::new()),
        };
        self.bulk.confirm = Some(BulkConfirm {
            change,
            targets,
            summary,
            confirm_focused: false,
            webhook,
        });
        effects
    }

    /// Starts a bulk update of `targets` (after the confirmation, or a retry).
    pub(super) fn start_bulk(
        &mut self,
        change: NumberChange,
        targets: Vec<Target>,
        batch: Option<u64>,
    ) -> Vec<Effect> {
        let known = targets
            .iter()
            .filter_map(|t| {
                self.known
                    .get(&t.msisdn)
                    .map(|k| (t.msisdn.clone(), k.clone()))
            })
            .collect();
        let total = targets.len();
        let (id, effect) = self.request_id(Request::Bulk {
            targets,
            change: change.clone(),
            known,
            batch,
        });
        self.begin_run(id, RunKind::Update(change), total);
        self.bulk.form = None;
        vec![effect]
    }

    pub(super) fn begin_run(&mut self, id: RequestId, kind: RunKind, total: usize) {
        self.bulk.run = Some(Run {
            id,
            kind,
            progress: Progress {
                total,
                ..Progress::default()
            },
            stopping: false,
            report: None,
            selected: 0,
        });
        self.bulk.panel = true;
    }

    /// The commands of the two confirmations.
    pub(super) fn bulk_dialog_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        match cmd {
            Cmd::Back | Cmd::Quit => {
                self.bulk.confirm = None;
                self.bulk.undo_confirm = None;
            }
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField => {
                if let Some(c) = &mut self.bulk.confirm {
                    c.confirm_focused = !c.confirm_focused;
                }
                if let Some(c) = &mut self.bulk.undo_confirm {
                    c.confirm_focused = !c.confirm_focused;
                }
            }
            Cmd::Submit => {
                if let Some(c) = self.bulk.confirm.take() {
                    if c.confirm_focused {
                        return self.start_bulk(c.change, c.targets, None);
                    }
                } else if let Some(c) = self.bulk.undo_confirm.take()
                    && c.confirm_focused
                {
                    return self.start_undo(c.plan, c.force);
                }
            }
            _ => {}
        }
        Vec::new()
    }
}
