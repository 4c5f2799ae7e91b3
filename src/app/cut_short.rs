//! A run cut short (quit, crash, power), offered at start: the worker looks in the journal
//! (changes left at `intent`, a run whose plan was never ended); a confirmation offers to
//! reconcile (read those numbers, record what happened), then another to resume the rest of
//! the run (the numbers it never sent) with the same change, as a bulk run with its panel.
//! Declined, nothing is recorded: the offer comes again at the next start.

use crate::changes::reconcile::{CutShort, Reconciled, Resumable, change_lines};
use crate::journal::Status;

use super::layer::Handled;
use super::{App, Cmd, Effect, Layer, Request};

/// What the confirmation offers.
#[derive(Clone, Debug)]
pub enum CutShortStep {
    /// Reconcile the changes left at `intent` (a run to resume may come after).
    Reconcile { intents: usize },
    /// Resume the rest of a run.
    Resume(Box<Resumable>),
}

/// The confirmation of a reconcile or a resume. The safe answer is focused.
#[derive(Clone, Debug)]
pub struct CutShortConfirm {
    pub step: CutShortStep,
    pub confirm_focused: bool,
}

impl CutShortConfirm {
    /// Its lines, for the view.
    pub fn lines(&self) -> Vec<String> {
        match &self.step {
            CutShortStep::Reconcile { intents } => vec![
                format!(
                    "{} left unsettled (intent) by a run cut short: it may or may not have happened.",
                    crate::output::plural(*intents, "change was", "changes were")
                ),
                "Reconcile reads those numbers and records in the journal what actually happened (done or not done); nothing is changed on the account.".to_string(),
            ],
            CutShortStep::Resume(r) => {
                let mut out = vec![
                    format!(
                        "Run #{} (started {} UTC) was cut short: {} of {} never sent.",
                        r.batch(),
                        crate::output::utc(r.plan.time),
                        crate::output::plural(r.rest().len(), "number", "numbers"),
                        crate::output::thousands(r.total as u64)
                    ),
                    "Resume sends the same change to them, as a bulk run (one undo covers the whole run):".to_string(),
                ];
                out.extend(change_lines(&r.plan.change).into_iter().map(|l| format!("  {l}")));
                out
            }
        }
    }

    /// The title and the two answers (safe, acting).
    pub fn labels(&self) -> (&'static str, (&'static str, &'static str)) {
        match self.step {
            CutShortStep::Reconcile { .. } => (" A run was cut short ", ("Later", "Reconcile")),
            CutShortStep::Resume(_) => (" Resume the run? ", ("Later", "Resume")),
        }
    }
}

impl App {
    /// At start, with a journal: ask the worker what a run cut short left.
    pub fn look_for_cut_short(&mut self) -> Vec<Effect> {
        vec![self.request(Request::FindCutShort)]
    }

    /// The worker's answer: offer to reconcile, else to resume, else nothing.
    pub(super) fn cut_short_found(&mut self, found: Result<CutShort, String>) {
        let found = match found {
            Ok(f) => f,
            Err(e) => return self.warn(format!("cannot look for a run cut short: {e}")),
        };
        let step = if found.intents > 0 {
            CutShortStep::Reconcile {
                intents: found.intents,
            }
        } else if let Some(run) = found.run {
            CutShortStep::Resume(Box::new(run))
        } else {
            return;
        };
        if self.read_only {
            let what = match &step {
                CutShortStep::Reconcile { intents } => {
                    crate::output::plural(*intents, "change was", "changes were")
                }
                CutShortStep::Resume(r) => format!("run #{} was", r.batch()),
            };
            return self.warn(format!(
                "{what} cut short: `switchboard history --reconcile --resume` settles it (read-only here)"
            ));
        }
        self.open(Layer::CutShort(CutShortConfirm {
            step,
            confirm_focused: false,
        }));
    }

    /// The numbers were read and their entries settled: say how; offer the rest of the run.
    pub(super) fn reconciled(
        &mut self,
        result: Result<(Vec<Reconciled>, Option<Resumable>), String>,
    ) {
        let (settled, run) = match result {
            Ok(r) => r,
            Err(e) => return self.warn(format!("cannot reconcile: {e}")),
        };
        let count = |s: Status| settled.iter().filter(|r| r.status == s).count();
        let (done, failed, unknown) = (
            count(Status::Done),
            count(Status::Failed),
            count(Status::Unknown),
        );
        let text = format!(
            "reconciled {}: {done} done, {failed} not done, {unknown} unknown",
            crate::output::plural(settled.len(), "change", "changes")
        );
        if unknown > 0 {
            self.warn(format!(
                "{text} (see the log: `switchboard history` lists them)"
            ));
            for r in settled.iter().filter(|r| r.status == Status::Unknown) {
                self.warn(format!("#{} {}: {}", r.entry.id, r.entry.msisdn, r.why));
            }
        } else {
            self.info(text);
        }
        if let Some(run) = run {
            self.open(Layer::CutShort(CutShortConfirm {
                step: CutShortStep::Resume(Box::new(run)),
                confirm_focused: false,
            }));
        }
    }

    /// The commands of the confirmation: later, or reconcile / resume.
    pub(super) fn cut_short_command(&mut self, c: &mut CutShortConfirm, cmd: Cmd) -> Handled {
        if cmd == Cmd::Yes {
            c.confirm_focused = true;
        }
        match cmd {
            Cmd::Back | Cmd::Quit | Cmd::No => {
                self.info("left as it is: offered again at the next start (or `switchboard history --reconcile --resume`)");
                Handled::close()
            }
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField => {
                c.confirm_focused = !c.confirm_focused;
                Handled::stay()
            }
            Cmd::Submit | Cmd::Yes if c.confirm_focused => match &c.step {
                CutShortStep::Reconcile { .. } => {
                    self.info("reconciling: reading the numbers of the changes left unsettled…");
                    Handled::close().with(vec![self.request(Request::Reconcile)])
                }
                CutShortStep::Resume(r) => {
                    if self.bulk.running() {
                        self.warn("a run is in progress: resume this one when it ends");
                        return Handled::close();
                    }
                    let plan = &r.plan;
                    let effects = self.start_bulk(
                        plan.change.clone(),
                        plan.targets.clone(),
                        Some(plan.batch),
                    );
                    Handled::close().with(effects)
                }
            },
            Cmd::Submit => Handled::close(),
            _ => Handled::stay(),
        }
    }
}
