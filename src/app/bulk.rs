//! Bulk edits of the marked numbers: the form (blank = unchanged, `-` = remove), the
//! confirmation with the count and the per-field diff, the run (progress, stop) and its
//! results (retry the failed ones). Undo (`app/undo.rs`) shares the run and its panel.

use crate::api::{Change, NumberChange, NumberConfig, OwnedNumber, VoiceTarget, validate};
use crate::bulk::diff::{self, Summary};
use crate::bulk::{Progress, Report, Target};
use crate::journal::Plan;

use super::form::{Field, Form, api_check, optional};
use super::{App, Cmd, Effect, Request, RequestId};

/// What a field holding only this removes.
pub const REMOVE: &str = "-";

const APP_ID: usize = 0;
const SMS_URL: usize = 1;
const SMPP: usize = 2;
const VOICE_TYPE: usize = 3;
const VOICE_VALUE: usize = 4;
const VOICE_STATUS: usize = 5;

fn or_remove(v: &str, check: impl Fn(&str) -> Result<(), String>) -> Result<(), String> {
    if v.trim() == REMOVE {
        Ok(())
    } else {
        optional(v, check)
    }
}
fn check_text(v: &str) -> Result<(), String> {
    or_remove(v, |v| api_check(validate::text("value", v)))
}
fn check_url(v: &str) -> Result<(), String> {
    or_remove(v, |v| api_check(validate::url("URL", v)))
}
fn check_voice_type(v: &str) -> Result<(), String> {
    or_remove(v, |v| match v.trim().to_ascii_lowercase().as_str() {
        "sip" | "tel" => Ok(()),
        _ => Err("sip or tel".to_string()),
    })
}

/// The form of a bulk edit: every field starts blank (unchanged).
#[derive(Clone, Debug)]
pub struct BulkForm {
    pub form: Form,
    /// A problem found on submit that no single field shows.
    pub error: Option<(usize, String)>,
    /// How many numbers are marked.
    pub count: usize,
}

impl BulkForm {
    pub fn new(count: usize) -> BulkForm {
        let f = |label, hint, check| Field::new(label, hint, "", check);
        BulkForm {
            form: Form::new(vec![
                f("Application id", "blank: unchanged · -: unlink", check_text),
                f("SMS webhook URL", "blank: unchanged · -: remove", check_url),
                f(
                    "SMPP system type",
                    "blank: unchanged · -: remove",
                    check_text,
                ),
                f(
                    "Voice type",
                    "sip or tel (with a value) · -: remove voice",
                    check_voice_type,
                ),
                f("Voice value", "SIP URI or phone number", check_text),
                f(
                    "Voice status URL",
                    "blank: unchanged · -: remove",
                    check_url,
                ),
            ]),
            error: None,
            count,
        }
    }

    /// The change the form describes, checked; errors name the field.
    pub fn change(&self) -> Result<NumberChange, (usize, String)> {
        if let Some(e) = self.form.first_error() {
            return Err(e);
        }
        let field = |i: usize| {
            let v = self.form.value(i).trim();
            match v {
                "" => Change::Keep,
                REMOVE => Change::Clear,
                v => Change::Set(v.to_string()),
            }
        };
        let (vt, vv) = (
            self.form.value(VOICE_TYPE).trim(),
            self.form.value(VOICE_VALUE).trim(),
        );
        let voice = match (vt, vv) {
            ("", "") => Change::Keep,
            (REMOVE, _) | (_, REMOVE) => Change::Clear,
            ("", _) => return Err((VOICE_TYPE, "a voice value needs a type (sip or tel)".into())),
            (_, "") => return Err((VOICE_VALUE, "a voice type needs a value".into())),
            (t, v) => Change::Set(VoiceTarget {
                kind: t.to_string(),
                value: v.to_string(),
            }),
        };
        let change = NumberChange {
            app_id: field(APP_ID),
            mo_http_url: field(SMS_URL),
            mo_smpp_sys_type: field(SMPP),
            voice,
            voice_status_callback: field(VOICE_STATUS),
            clear_messages: false,
        };
        if change.is_empty() {
            return Err((
                0,
                "nothing to change: fill a field, or type - to remove its value".into(),
            ));
        }
        change.normalized().map_err(|e| {
            let at = match &e {
                crate::api::ApiError::InvalidInput { field, .. } => match *field {
                    "app_id" => APP_ID,
                    "moHttpUrl" => SMS_URL,
                    "moSmppSysType" => SMPP,
                    "voiceCallbackType" => VOICE_TYPE,
                    "voiceStatusCallback" => VOICE_STATUS,
                    _ => VOICE_VALUE,
                },
                _ => 0,
            };
            (at, e.to_string())
        })
    }
}

/// The confirmation of a bulk edit: what changes, on how many numbers. Back is focused.
#[derive(Clone, Debug)]
pub struct BulkConfirm {
    pub change: NumberChange,
    /// The numbers that change (the others already are as wanted).
    pub targets: Vec<Target>,
    pub summary: Summary,
    pub confirm_focused: bool,
}

/// The confirmation of an undo: what it puts back. Cancel is focused.
#[derive(Clone, Debug)]
pub struct UndoConfirm {
    pub plan: Plan,
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
                Ok(change) => self.ask_bulk(change),
            },
            _ => {}
        }
        Vec::new()
    }

    /// Works out what `change` does to each marked number and opens the confirmation.
    fn ask_bulk(&mut self, change: NumberChange) {
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
            return;
        }
        let summary = diff::summarize(planned.iter().map(|(_, b, a, w)| (b, a, w.as_slice())));
        if summary.changing == 0 {
            self.info("nothing to change: the marked numbers already have this configuration");
            return;
        }
        let targets = planned
            .into_iter()
            .filter(|(_, b, a, _)| b != a)
            .map(|(t, ..)| t)
            .collect();
        self.bulk.confirm = Some(BulkConfirm {
            change,
            targets,
            summary,
            confirm_focused: false,
        });
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
        let effect = self.request(Request::Bulk {
            targets,
            change: change.clone(),
            known,
            batch,
        });
        let Effect::Api { id, .. } = &effect;
        self.begin_run(*id, RunKind::Update(change), total);
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
                    return self.start_undo(c.plan);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// The commands of the run's panel: stop, retry the failed ones, scroll, close.
    pub(super) fn bulk_panel_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let Some(run) = &mut self.bulk.run else {
            self.bulk.panel = false;
            return Vec::new();
        };
        let len = run.report.as_ref().map_or(0, |r| r.items.len());
        match cmd {
            Cmd::Back | Cmd::Quit | Cmd::ShowRun => self.bulk.panel = false,
            Cmd::Up => run.selected = run.selected.saturating_sub(1),
            Cmd::Down => run.selected = (run.selected + 1).min(len.saturating_sub(1)),
            Cmd::PageUp => run.selected = run.selected.saturating_sub(self.rows),
            Cmd::PageDown => run.selected = (run.selected + self.rows).min(len.saturating_sub(1)),
            Cmd::Top => run.selected = 0,
            Cmd::Bottom => run.selected = len.saturating_sub(1),
            Cmd::StopRun => return self.stop_run(),
            Cmd::RetryFailed => return self.retry_failed(),
            Cmd::Undo if run.finished() => {
                self.bulk.panel = false;
                return self.ask_undo();
            }
            Cmd::ForceQuit => self.quit = true,
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn stop_run(&mut self) -> Vec<Effect> {
        let Some(run) = &mut self.bulk.run else {
            return Vec::new();
        };
        if run.finished() || run.stopping {
            return Vec::new();
        }
        run.stopping = true;
        let id = run.id;
        self.info("stopping: the requests in flight finish, no new one starts");
        vec![self.request(Request::StopBulk(id))]
    }

    fn retry_failed(&mut self) -> Vec<Effect> {
        if self.refuse_read_only("retrying") {
            return Vec::new();
        }
        let Some(run) = &self.bulk.run else {
            return Vec::new();
        };
        let Some(report) = &run.report else {
            self.warn("the run is still going: wait for its end, or stop it (s)");
            return Vec::new();
        };
        let targets = report.retryable();
        let batch = report.batch;
        if targets.is_empty() {
            self.info("nothing to retry: no number failed or was left out");
            return Vec::new();
        }
        match run.kind.clone() {
            RunKind::Update(change) => {
                let n = targets.len();
                self.info(format!("retrying {n} numbers…"));
                self.start_bulk(change, targets, batch)
            }
            // What is left of an undo is planned again from the journal.
            RunKind::Undo { target, .. } => vec![self.request(Request::PlanUndo(Some(target)))],
        }
    }

    /// Applies a finished run to the owned list: new configurations, cancelled numbers gone,
    /// numbers bought back loaded again.
    pub(super) fn apply_report(&mut self, report: &Report) -> Vec<Effect> {
        use crate::bulk::Outcome;
        let mut updated = Vec::new();
        let mut reload = false;
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
                        super::replies::apply_config(&mut n, after);
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
                _ => {}
            }
        }
        if !updated.is_empty() {
            self.owned.upsert_many(updated);
            self.owned.scroll_into_view(self.rows);
        }
        let summary = format!(
            "{} ok, {} failed, {} skipped, {} not started",
            report.ok(),
            report.failed(),
            report.skipped(),
            report.not_started()
        );
        if report.failed() + report.not_started() > 0 {
            self.warn(format!("{summary}: R in the run panel (B) retries them"));
        } else if report.skipped() > 0 {
            self.warn(format!("{summary}: numbers changed since were left alone"));
        } else {
            self.info(summary);
        }
        if reload {
            self.load_owned()
        } else {
            Vec::new()
        }
    }
}
