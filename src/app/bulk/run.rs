//! A bulk or undo run in the app: its start, the panel's commands (stop, retry the failed,
//! scroll, close), and its results applied to the owned list.

use crate::api::OwnedNumber;
use crate::bulk::{Holds, Landed, Report};

use super::super::layer::Handled;
use super::super::{App, Cmd, Effect, Layer, Request};
use super::{RunKind, RunPanel};

impl App {
    /// The commands of the run's panel: stop, retry the failed ones, scroll, close.
    pub(in crate::app) fn run_panel_command(&mut self, p: &mut RunPanel, cmd: Cmd) -> Handled {
        if p.open {
            if p.scroll.command(cmd, self.page, self.scroll_max) {
                return Handled::stay();
            }
            if matches!(cmd, Cmd::Back | Cmd::Open) {
                *p = RunPanel::default();
                return Handled::stay();
            }
        }
        let Some(run) = &mut self.bulk.run else {
            return Handled::close();
        };
        let selected = run.selected_item().map(|i| i.target.msisdn.clone());
        match cmd {
            Cmd::Open if selected.is_some() => {
                p.open = true;
                return Handled::stay();
            }
            // Marks, on the Owned list's numbers: R retries the marked, e edits them.
            Cmd::Mark => {
                if let Some(m) = selected {
                    self.marks.toggle(&m);
                    let run = self.bulk.run.as_mut().expect("the run");
                    run.selected = (run.selected + 1).min(run.rows().len().saturating_sub(1));
                }
                return Handled::stay();
            }
            Cmd::MarkAll => {
                let failed: Vec<String> = run
                    .report
                    .iter()
                    .flat_map(|r| r.retryable())
                    .map(|t| t.msisdn)
                    .collect();
                self.marks.mark(failed.iter().map(String::as_str));
                let n = crate::output::thousands(failed.len() as u64);
                let retry = self.keys.of(Cmd::RetryFailed);
                self.info(format!(
                    "{n} failed or not started marked: {retry} retries them"
                ));
                return Handled::stay();
            }
            _ => {}
        }
        let Some(run) = &mut self.bulk.run else {
            return Handled::close();
        };
        let len = run.report.as_ref().map_or(0, |r| r.items.len());
        match cmd {
            Cmd::Back | Cmd::Quit | Cmd::ShowRun => return Handled::close(),
            Cmd::Up => run.selected = run.selected.saturating_sub(1),
            Cmd::Down => run.selected = (run.selected + 1).min(len.saturating_sub(1)),
            Cmd::PageUp => run.selected = run.selected.saturating_sub(self.rows),
            Cmd::PageDown => run.selected = (run.selected + self.rows).min(len.saturating_sub(1)),
            Cmd::Top => run.selected = 0,
            Cmd::Bottom => run.selected = len.saturating_sub(1),
            Cmd::StopRun => return Handled::stay().with(self.stop_run()),
            Cmd::ResumeRun => return Handled::stay().with(self.resume_run()),
            Cmd::RetryFailed => {
                let effects = self.retry_failed();
                // A new run opened its own panel: this one gives way.
                let replaced = self.screen.has(|l| matches!(l, Layer::Run(_)));
                return Handled {
                    close: replaced,
                    effects,
                };
            }
            Cmd::Undo if run.finished() => return Handled::close().with(self.ask_undo()),
            _ => {}
        }
        Handled::stay()
    }

    pub(in crate::app) fn stop_run(&mut self) -> Vec<Effect> {
        let Some(run) = &mut self.bulk.run else {
            return Vec::new();
        };
        if run.finished() || run.stopping {
            return Vec::new();
        }
        run.stopping = true;
        let id = run.id;
        let finishing = run.progress.finishing;
        self.info(format!(
            "stopping: nothing new is sent; {finishing} change(s) already sent finish"
        ));
        vec![self.request(Request::StopBulk(id))]
    }

    /// A run paused (the API was away) goes on; the pace is found again as it goes.
    fn resume_run(&mut self) -> Vec<Effect> {
        let Some(run) = &mut self.bulk.run else {
            return Vec::new();
        };
        if run.finished() || run.stopping || run.progress.paused.is_none() {
            return Vec::new();
        }
        run.progress.paused = None;
        let id = run.id;
        self.info("resuming the run");
        vec![self.request(Request::ResumeBulk(id))]
    }

    fn retry_failed(&mut self) -> Vec<Effect> {
        if self.refuse_read_only("retrying") {
            return Vec::new();
        }
        let Some(run) = &self.bulk.run else {
            return Vec::new();
        };
        let Some(report) = &run.report else {
            let stop = self.keys.of(Cmd::StopRun);
            self.warn(format!(
                "the run is still going: wait for its end, or stop it ({stop})"
            ));
            return Vec::new();
        };
        let mut targets = report.retryable();
        // Some of them marked: only those.
        if targets.iter().any(|t| self.marks.contains(&t.msisdn)) {
            targets.retain(|t| self.marks.contains(&t.msisdn));
        }
        let batch = report.batch;
        let skipped = report.skipped();
        if targets.is_empty() && skipped == 0 {
            self.info("nothing to retry: no number failed or was left out");
            return Vec::new();
        }
        match run.kind.clone() {
            RunKind::Update(_) if targets.is_empty() => Vec::new(),
            RunKind::Update(change) => {
                let n = crate::output::thousands(targets.len() as u64);
                self.info(format!("retrying {n} numbers…"));
                self.start_bulk(change, targets, batch)
            }
            // What is left of an undo is planned again from the journal.
            // Numbers it left alone because they changed since are overwritten this time,
            // which the confirmation says.
            RunKind::Undo { target, .. } => {
                self.bulk.force_next_undo = skipped > 0;
                vec![self.request(Request::PlanUndo(Some(target)))]
            }
        }
    }

    /// One number of the run finished: its row shows what the account now holds for it (a
    /// new configuration, gone when cancelled, back when bought back) at once. The row is
    /// changed in place; the list is sorted and filtered again only when that row's place
    /// in it changed.
    pub(in crate::app) fn land(&mut self, landed: Landed) {
        let m = landed.target.msisdn;
        if let Some(run) = &mut self.bulk.run
            && let Some(n) = run.left.get_mut(&m)
        {
            *n -= 1;
            if *n == 0 {
                run.left.remove(&m);
            }
        }
        match landed.now {
            Holds::Config(after) => {
                if let Some(mut n) = self.owned_number(&m).cloned() {
                    super::super::replies::apply_config(&mut n, &after);
                    self.owned.replace(n);
                }
                self.known.insert(m, after);
            }
            Holds::Cancelled => {
                self.owned.remove(&m);
                self.marks.remove(&m);
                self.known.remove(&m);
            }
            Holds::Bought(config) => {
                // Shown at once; the reload at the end of the run brings the rest of it.
                let mut n = self.owned_number(&m).cloned().unwrap_or(OwnedNumber {
                    country: Some(landed.target.country.as_str().into()),
                    msisdn: Some(m.clone()),
                    ..OwnedNumber::default()
                });
                if let Some(c) = &config {
                    super::super::replies::apply_config(&mut n, c);
                }
                self.owned.replace(n);
            }
            Holds::Same => {}
        }
    }

    /// Applies a finished run to the owned list: new configurations, cancelled numbers gone,
    /// numbers bought back loaded again.
    pub(in crate::app) fn apply_report(&mut self, report: &Report) -> Vec<Effect> {
        use crate::bulk::Outcome;
        let mut updated = Vec::new();
        let mut reload = false;
        let mut reload_apps = false;
        for item in &report.items {
            let m = &item.target.msisdn;
            match &item.outcome {
                Outcome::Updated { after, .. } => {
                    if let Some(n) = self
                        .owned
                        .numbers
                        .iter()
                        .find(|n| n.msisdn.as_deref() == Some(m.as_str()))
                    {
                        let mut n = n.clone();
                        super::super::replies::apply_config(&mut n, after);
                        updated.push(n);
                    }
                    self.known.insert(m.clone(), after.clone());
                }
                Outcome::Cancelled => {
                    self.owned.remove(m);
                    self.marks.remove(m);
                    self.known.remove(m);
                }
                Outcome::Bought { .. } => reload = true,
                // An application's webhooks put back: the applications are read again.
                Outcome::AppUpdated { .. } => reload_apps = true,
                _ => {}
            }
        }
        if !updated.is_empty() {
            self.owned.upsert_many(updated);
            self.owned.scroll_into_view(self.rows);
        }
        let summary = report.summary();
        if report.failed() + report.not_started() > 0 {
            let (retry, show) = (self.keys.of(Cmd::RetryFailed), self.keys.of(Cmd::ShowRun));
            self.warn(format!(
                "{summary}: {retry} in the run panel ({show}) retries them"
            ));
        } else if report.skipped() > 0 {
            self.warn(format!("{summary}: numbers changed since were left alone"));
        } else {
            self.info(summary);
        }
        let mut effects = if reload {
            self.load_owned()
        } else {
            Vec::new()
        };
        if reload_apps {
            effects.extend(self.load_apps());
        }
        effects
    }
}
