//! Undo from the TUI: `u` asks the worker for the plan of the last change or run (the journal
//! lives on the worker's side), a confirmation says what will be put back (and which numbers
//! an undone buy cancels), then the worker runs it like a bulk run.

use crate::bulk::{Progress, Report};
use crate::journal::{Plan, UndoAction};

use super::bulk::{RunKind, UndoConfirm};
use super::{App, Cmd, Effect, Layer, Request, RequestId};

impl App {
    /// `u`: plan the undo of the last change.
    pub(super) fn ask_undo(&mut self) -> Vec<Effect> {
        if self.refuse_read_only("undo") {
            return Vec::new();
        }
        if self.bulk.running() {
            let (show, stop) = (self.keys.of(Cmd::ShowRun), self.keys.of(Cmd::StopRun));
            self.warn(format!(
                "a run is in progress: wait for it, or stop it ({show}, then {stop})"
            ));
            return Vec::new();
        }
        vec![self.request(Request::PlanUndo(None))]
    }

    /// The worker's answer: the plan, or why there is nothing to undo.
    pub(super) fn undo_planned(&mut self, plan: Result<Plan, String>) {
        match plan {
            Ok(plan) => self.open(Layer::UndoConfirm(UndoConfirm {
                plan,
                force: self.bulk.force_next_undo,
                confirm_focused: false,
            })),
            Err(e) => self.warn(e),
        }
        self.bulk.force_next_undo = false;
    }

    pub(super) fn start_undo(&mut self, plan: Plan, force: bool) -> Vec<Effect> {
        let left = super::bulk::left_of(plan.steps.iter().map(|s| s.entry.msisdn.as_str()));
        let kind = RunKind::Undo {
            target: plan.target,
            label: plan.label(),
        };
        let (id, effect) = self.request_id(Request::Undo { plan, force });
        self.begin_run(id, kind, left);
        vec![effect]
    }

    /// A progress report of the run `id`: the number it names shows its change at once.
    pub(super) fn run_progress(&mut self, id: RequestId, mut progress: Progress) {
        let Some(run) = &mut self.bulk.run else {
            return;
        };
        if run.id != id || run.finished() {
            return;
        }
        let landed = progress.landed.take();
        run.progress = progress;
        if let Some(landed) = landed {
            self.land(landed);
        }
    }

    /// The end of the run `id` (bulk or undo).
    pub(super) fn run_finished(&mut self, id: RequestId, report: Report) -> Vec<Effect> {
        let Some(run) = &mut self.bulk.run else {
            return Vec::new();
        };
        if run.id != id {
            return Vec::new();
        }
        run.progress.done = report.items.len() - report.not_started();
        run.progress.failed = report.failed();
        run.progress.elapsed = report.elapsed;
        run.selected = 0;
        run.left.clear();
        let effects = self.apply_report(&report);
        if let Some(run) = &mut self.bulk.run {
            run.report = Some(report);
        }
        effects
    }
}

/// "restore 3 numbers, cancel 447700900001": what an undo does, for its confirmation.
pub fn undo_lines(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    let restores = plan.count(|a| matches!(a, UndoAction::Restore { .. }));
    if restores > 0 {
        out.push(format!(
            "Restore the previous configuration of {restores} {}",
            if restores == 1 { "number" } else { "numbers" }
        ));
    }
    for (id, name) in plan.apps() {
        let name = if name.is_empty() { id } else { name };
        out.push(format!(
            "Restore the webhooks application {name} had before"
        ));
    }
    for m in plan.cancels() {
        out.push(format!("CANCEL {m}: it was bought; it leaves the account"));
    }
    for m in plan.buys() {
        out.push(format!(
            "BUY BACK {m}: it was cancelled; this may cost money"
        ));
    }
    if plan.left_out > 0 {
        out.push(format!(
            "{} change(s) of this run failed or were undone already: left out",
            plan.left_out
        ));
    }
    out
}
