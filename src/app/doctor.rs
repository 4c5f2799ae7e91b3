//! The routing doctor as a layer over the Owned pane: every finding of
//! [`crate::doctor::diagnose`] for the loaded list and applications (and, when asked, the SMS
//! webhooks that fail the GET check), broken first. `Enter` opens the number; a fix key opens
//! its edit form prefilled with the fix, another starts a bulk edit of every number with the
//! same finding (the bulk form, its review and run panel, as for marked numbers).

use std::collections::HashMap;

use tui_input::Input;

use super::bulk::{BulkForm, REMOVE};
use super::detail::Detail;
use super::edit::{APP_ID, SMS_URL, VOICE_TYPE, VOICE_VALUE};
use super::layer::Handled;
use super::{App, Cmd, EditForm, Layer, Request, RequestId};
use crate::doctor::{Finding, Kind};

/// What fixes a finding on the number itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fix {
    /// Unlink the application (it does not exist).
    Unlink,
    /// Link another application (choose it in the picker).
    Relink,
    /// Clear the voice forwarding or the deprecated `app` voice type.
    ClearVoice,
    /// Clear the deprecated messages callback.
    ClearMessages,
    /// Give another SMS webhook.
    SmsUrl,
}

impl Fix {
    /// What the fix does, for the view.
    pub fn describe(self) -> &'static str {
        match self {
            Fix::Unlink => "unlink the application",
            Fix::Relink => "link an application",
            Fix::ClearVoice => "clear the voice setting",
            Fix::ClearMessages => "clear the messages callback",
            Fix::SmsUrl => "change the SMS webhook",
        }
    }
}

/// The fix of a finding on the number, if there is one (an application's insecure webhook is
/// fixed on the application).
pub fn fix_of(f: &Finding) -> Option<Fix> {
    Some(match f.kind {
        Kind::UnknownApp => Fix::Unlink,
        Kind::VoiceGoesNowhere | Kind::MessagesGoNowhere | Kind::Unrouted => Fix::Relink,
        Kind::ForwardingOverridesApp => Fix::ClearVoice,
        Kind::DeprecatedVoiceApp => Fix::ClearVoice,
        Kind::DeprecatedMessagesCallback => Fix::ClearMessages,
        Kind::SmsWebhookFails => Fix::SmsUrl,
        Kind::InsecureWebhook => return None,
    })
}

/// The doctor layer: its findings (recomputed when a reply changes what they are made of),
/// the selected one, and the SMS webhook GET check once asked.
#[derive(Clone, Debug, Default)]
pub struct DoctorView {
    pub findings: Vec<Finding>,
    pub selected: usize,
    /// What each SMS webhook answered to the GET check, once it was asked for.
    pub webhooks: Option<HashMap<String, Result<u16, String>>>,
    /// The check in flight.
    pub checking: Option<RequestId>,
}

impl App {
    /// The findings for the loaded list and applications, broken first, then by kind and
    /// number.
    pub fn doctor_findings(
        &self,
        webhooks: Option<&HashMap<String, Result<u16, String>>>,
    ) -> Vec<Finding> {
        let numbers = &self.owned.numbers;
        let mut findings = crate::doctor::diagnose(numbers, self.apps.for_doctor());
        if let Some(w) = webhooks {
            findings.extend(crate::doctor::webhook_findings(numbers, w));
        }
        findings.sort_by_cached_key(|f| (!f.broken, format!("{:?}", f.kind), f.msisdn.clone()));
        findings
    }

    pub(super) fn open_doctor(&mut self) {
        let findings = self.doctor_findings(None);
        if findings.is_empty() {
            self.info(format!(
                "the doctor finds nothing wrong with the routing of {} numbers",
                self.owned.numbers.len()
            ));
        }
        self.open(Layer::Doctor(DoctorView {
            findings,
            ..DoctorView::default()
        }));
    }

    /// A reply came: the open doctor's findings follow the list and the applications.
    pub(super) fn recheck_doctor(&mut self) {
        let open = self.screen.any(|l| matches!(l, Layer::Doctor(_)));
        if !open {
            return;
        }
        let mut fresh = Vec::new();
        for l in self.screen.layers_of(super::Pane::Owned) {
            if let Layer::Doctor(d) = l {
                fresh.push(self.doctor_findings(d.webhooks.as_ref()));
            }
        }
        let mut fresh = fresh.into_iter();
        for l in self.screen.all_mut() {
            if let Layer::Doctor(d) = l
                && let Some(f) = fresh.next()
            {
                d.findings = f;
                d.selected = d.selected.min(d.findings.len().saturating_sub(1));
            }
        }
    }

    pub(super) fn doctor_command(&mut self, d: &mut DoctorView, cmd: Cmd) -> Handled {
        let last = d.findings.len().saturating_sub(1);
        let page = self.page.max(1);
        match cmd {
            Cmd::Back | Cmd::Quit => return Handled::close(),
            Cmd::Down => d.selected = (d.selected + 1).min(last),
            Cmd::Up => d.selected = d.selected.saturating_sub(1),
            Cmd::PageDown => d.selected = (d.selected + page).min(last),
            Cmd::PageUp => d.selected = d.selected.saturating_sub(page),
            Cmd::Top => d.selected = 0,
            Cmd::Bottom => d.selected = last,
            Cmd::Open => {
                if let Some(f) = d.findings.get(d.selected)
                    && self.owned_number(&f.msisdn).is_some()
                {
                    self.open(Layer::Detail(Detail::new(f.msisdn.clone())));
                }
            }
            Cmd::FixOne => {
                if let Some(f) = d.findings.get(d.selected).cloned() {
                    self.fix_one(&f);
                }
            }
            Cmd::FixAll => {
                if let Some(f) = d.findings.get(d.selected).cloned() {
                    let all: Vec<Finding> = d.findings.clone();
                    self.fix_all(&f, &all);
                }
            }
            Cmd::CheckWebhooks => return Handled::stay().with(self.check_webhooks(d)),
            Cmd::Refresh => return Handled::stay().with(self.refresh()),
            Cmd::Log | Cmd::Undo | Cmd::ShowRun => return Handled::stay().with(self.common(cmd)),
            _ => {}
        }
        Handled::stay()
    }

    /// The edit form of the finding's number, prefilled with the fix (nothing is sent before
    /// the review).
    fn fix_one(&mut self, f: &Finding) {
        let Some(fix) = fix_of(f) else {
            self.warn(format!("this is fixed on the application: {}", f.fix));
            return;
        };
        if self.refuse_read_only("fixing") {
            return;
        }
        let Some(n) = self.owned_number(&f.msisdn).cloned() else {
            return;
        };
        let known = n.msisdn.as_ref().and_then(|m| self.known.get(m));
        let mut e = EditForm::new(&n, known);
        let set = |e: &mut EditForm, i: usize, v: &str| {
            if let Some(field) = e.form.fields.get_mut(i) {
                field.input = Input::new(v.to_string());
            }
        };
        match fix {
            Fix::Unlink => {
                set(&mut e, APP_ID, "");
                e.form.focus = APP_ID;
            }
            Fix::Relink => e.form.focus = APP_ID,
            Fix::ClearVoice => {
                set(&mut e, VOICE_TYPE, "");
                set(&mut e, VOICE_VALUE, "");
                e.form.focus = VOICE_TYPE;
            }
            Fix::ClearMessages => e.clear_messages = true,
            Fix::SmsUrl => e.form.focus = SMS_URL,
        }
        self.open(Layer::Edit(e));
        if fix == Fix::Relink {
            self.open_picker();
        }
    }

    /// A bulk edit of every number with the same finding (and fix): they become the marked
    /// numbers, and the bulk form opens prefilled with the fix.
    fn fix_all(&mut self, f: &Finding, all: &[Finding]) {
        let Some(fix) = fix_of(f) else {
            self.warn(format!("this is fixed on the application: {}", f.fix));
            return;
        };
        if self.refuse_read_only("fixing") {
            return;
        }
        let same: Vec<&str> = all
            .iter()
            .filter(|g| g.kind == f.kind && fix_of(g) == Some(fix))
            .map(|g| g.msisdn.as_str())
            .collect();
        self.marks.clear();
        self.marks.mark(same.iter().copied());
        self.open_bulk_edit();
        let Some(Layer::BulkForm(bf)) = self.screen.top_mut() else {
            return;
        };
        prefill_bulk(bf, fix);
        let count = bf.count;
        self.info(format!(
            "{count} numbers marked: {} on each, after the review",
            fix.describe()
        ));
        if fix == Fix::Relink {
            self.open_picker();
        }
    }

    /// Sends the GET check to every distinct SMS webhook of the list (one request each).
    fn check_webhooks(&mut self, d: &mut DoctorView) -> Vec<super::Effect> {
        let urls = crate::doctor::sms_webhook_urls(&self.owned.numbers);
        if urls.is_empty() {
            self.info("no number has an SMS webhook to check");
            return Vec::new();
        }
        if let Some(old) = d.checking.take() {
            self.pending.remove(&old);
        }
        self.info(format!(
            "checking {} SMS webhooks (a GET each)…",
            urls.len()
        ));
        let (id, effect) = self.request_id(Request::ProbeWebhooks(urls));
        d.checking = Some(id);
        vec![effect]
    }

    /// The GET check answered: its failures become findings.
    pub(super) fn webhooks_probed(
        &mut self,
        id: RequestId,
        answers: Vec<(String, Result<u16, String>)>,
    ) {
        let failed = answers
            .iter()
            .filter(|(_, a)| !matches!(a, Ok(200)))
            .count();
        let total = answers.len();
        let answers: HashMap<_, _> = answers.into_iter().collect();
        let mut found = false;
        for l in self.screen.all_mut() {
            if let Layer::Doctor(d) = l
                && d.checking == Some(id)
            {
                d.checking = None;
                d.webhooks = Some(answers.clone());
                found = true;
            }
        }
        if found {
            self.recheck_doctor();
            let text = format!("{total} SMS webhooks checked: {failed} do not answer 200");
            if failed > 0 {
                self.warn(text);
            } else {
                self.info(text);
            }
        }
    }
}

/// The bulk form with the fix filled in.
fn prefill_bulk(bf: &mut BulkForm, fix: Fix) {
    let mut set = |i: usize, v: &str| {
        if let Some(field) = bf.form.fields.get_mut(i) {
            field.input = Input::new(v.to_string());
        }
    };
    match fix {
        Fix::Unlink => set(APP_ID, REMOVE),
        Fix::ClearVoice => set(VOICE_TYPE, REMOVE),
        Fix::ClearMessages => bf.clear_messages = true,
        Fix::Relink | Fix::SmsUrl => {}
    }
    bf.form.focus = match fix {
        Fix::ClearVoice => VOICE_TYPE,
        Fix::SmsUrl => SMS_URL,
        _ => APP_ID,
    };
}
