//! Bulk edits of the marked numbers: marks, the form (`form.rs`), the confirmation with
//! the count and the per-field diff, the run (`run.rs`: progress, stop, results, retry).
//! Undo (`../undo.rs`) shares the run and its panel. The form, the two confirmations and the
//! panel are layers of their own.

use crate::api::{NumberChange, OwnedNumber};
use crate::bulk::diff::Summary;
use crate::bulk::{Progress, Report, Target};
use crate::journal::Plan;

mod form;
mod run;

pub use form::{BulkForm, REMOVE};

use super::layer::Handled;
use super::{App, Cmd, Effect, Layer, Request, RequestId};

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
    /// The numbers of the run not finished yet, with how many of their changes are left (an
    /// undo may hold two for one number): their rows show that they are saving.
    pub left: std::collections::HashMap<String, usize>,
}

impl Run {
    pub fn finished(&self) -> bool {
        self.report.is_some()
    }

    /// The results in the order the panel lists them: problems first.
    pub fn rows(&self) -> Vec<&crate::bulk::ItemResult> {
        let mut rows: Vec<_> = self.report.iter().flat_map(|r| r.items.iter()).collect();
        rows.sort_by_key(|i| i.outcome.is_ok());
        rows
    }

    /// The result under the cursor.
    pub fn selected_item(&self) -> Option<&crate::bulk::ItemResult> {
        self.rows().get(self.selected).copied()
    }
}

/// The panel of the current or last run, as a layer (the run itself is [`BulkState::run`]:
/// it goes on when the panel is closed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunPanel {
    /// The result under the cursor is shown whole (its full error, wrapped).
    pub open: bool,
    pub scroll: super::overlay::Scroll,
}

/// Everything bulk and undo hold outside their layers.
#[derive(Clone, Debug, Default)]
pub struct BulkState {
    /// The current or last run.
    pub run: Option<Run>,
    /// The next undo plan comes from a retry that overwrites numbers changed since.
    pub force_next_undo: bool,
}

/// A run's changes by number: how many each of these msisdns has.
pub(super) fn left_of<'a>(
    msisdns: impl Iterator<Item = &'a str>,
) -> std::collections::HashMap<String, usize> {
    let mut left = std::collections::HashMap::new();
    for m in msisdns {
        *left.entry(m.to_string()).or_insert(0) += 1;
    }
    left
}

impl BulkState {
    /// A run is going on.
    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(|r| !r.finished())
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
        let n = crate::output::thousands(self.marks.len() as u64);
        let (edit, clear) = (self.keys.of(Cmd::Edit), self.keys.of(Cmd::ClearMarks));
        self.info(format!(
            "{n} marked: {edit} edits them all, {clear} clears the marks"
        ));
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
            let (show, stop) = (self.keys.of(Cmd::ShowRun), self.keys.of(Cmd::StopRun));
            self.warn(format!(
                "a bulk run is in progress: wait for it, or stop it ({show}, then {stop})"
            ));
            return;
        }
        let count = self.marked_numbers().len();
        self.open(Layer::BulkForm(BulkForm::new(count)));
    }

    /// Works out what `change` does to each marked number and opens the confirmation; the new
    /// SMS webhook (if any) is sent its GET check, answered in the confirmation.
    fn ask_bulk(&mut self, bf: &mut BulkForm, change: NumberChange) -> Vec<Effect> {
        let numbers: Vec<OwnedNumber> = self.marked_numbers().into_iter().cloned().collect();
        match self.ask_bulk_of(&numbers, change) {
            Ok(effects) => effects,
            Err(message) => {
                bf.error = Some((0, message));
                Vec::new()
            }
        }
    }

    /// Works out what `change` does to each of `numbers` and opens the bulk confirmation (as
    /// for the marked numbers; the Applications pane links and unlinks through it). `Err`:
    /// why the change cannot be made to one of them (nothing opened).
    pub(super) fn ask_bulk_of(
        &mut self,
        numbers: &[OwnedNumber],
        change: NumberChange,
    ) -> Result<Vec<Effect>, String> {
        let crate::bulk::BulkPlan {
            todo: targets,
            summary,
            unusable,
            ..
        } = crate::bulk::plan(numbers, &change, &self.known)
            .map_err(|(m, e)| format!("{m}: {e}"))?;
        if !unusable.is_empty() {
            self.warn(format!(
                "{} no usable country: left out ({})",
                crate::output::plural(unusable.len(), "number has", "numbers have"),
                unusable.join(", ")
            ));
        }
        if summary.changing == 0 {
            self.info("nothing to change: these numbers already have this configuration");
            return Ok(Vec::new());
        }
        let (webhook, effects) = match self.start_webhook_check(&change) {
            Some((check, effect)) => (Some(check), vec![effect]),
            None => (None, Vec::new()),
        };
        self.open(Layer::BulkConfirm(BulkConfirm {
            change,
            targets,
            summary,
            confirm_focused: false,
            webhook,
        }));
        Ok(effects)
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
        let left = left_of(targets.iter().map(|t| t.msisdn.as_str()));
        let (id, effect) = self.request_id(Request::Bulk {
            targets,
            change: change.clone(),
            known,
            batch,
        });
        self.begin_run(id, RunKind::Update(change), left);
        self.screen
            .remove_where(|l| matches!(l, Layer::BulkForm(_)));
        vec![effect]
    }

    /// A run of `kind` on the numbers `left` (see [`left_of`]) has started as request `id`.
    pub(super) fn begin_run(
        &mut self,
        id: RequestId,
        kind: RunKind,
        left: std::collections::HashMap<String, usize>,
    ) {
        self.bulk.run = Some(Run {
            id,
            kind,
            progress: Progress {
                total: left.values().sum(),
                ..Progress::default()
            },
            stopping: false,
            report: None,
            selected: 0,
            left,
        });
        if !self.screen.has(|l| matches!(l, Layer::Run(_))) {
            self.open(Layer::Run(RunPanel::default()));
        }
    }

    /// `B`: the panel of the current or last run.
    pub(super) fn show_run(&mut self) {
        if self.refuse_read_only("bulk editing") {
            return;
        }
        if self.bulk.run.is_none() {
            let k = |c: Cmd| self.keys.of(c);
            let text = format!(
                "no bulk run yet: mark numbers ({}, {}), then {}",
                k(Cmd::Mark),
                k(Cmd::MarkAll),
                k(Cmd::Edit)
            );
            self.info(text);
        } else if !self.screen.has(|l| matches!(l, Layer::Run(_))) {
            self.open(Layer::Run(RunPanel::default()));
        }
    }

    /// The commands of the bulk edit's confirmation: back to the form, or run.
    pub(super) fn bulk_confirm_command(&mut self, c: &mut BulkConfirm, cmd: Cmd) -> Handled {
        if cmd == Cmd::Yes {
            c.confirm_focused = true;
        }
        match cmd {
            Cmd::Back | Cmd::Quit | Cmd::No => Handled::close(),
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField => {
                c.confirm_focused = !c.confirm_focused;
                Handled::stay()
            }
            Cmd::Submit | Cmd::Yes if c.confirm_focused => {
                let (change, targets) = (c.change.clone(), std::mem::take(&mut c.targets));
                Handled::close().with(self.start_bulk(change, targets, None))
            }
            Cmd::Submit => Handled::close(),
            _ => Handled::stay(),
        }
    }

    /// The commands of the undo's confirmation.
    pub(super) fn undo_confirm_command(&mut self, c: &mut UndoConfirm, cmd: Cmd) -> Handled {
        if cmd == Cmd::Yes {
            c.confirm_focused = true;
        }
        match cmd {
            Cmd::Back | Cmd::Quit | Cmd::No => Handled::close(),
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField => {
                c.confirm_focused = !c.confirm_focused;
                Handled::stay()
            }
            Cmd::Submit | Cmd::Yes if c.confirm_focused => {
                Handled::close().with(self.start_undo(c.plan.clone(), c.force))
            }
            Cmd::Submit => Handled::close(),
            _ => Handled::stay(),
        }
    }
}
