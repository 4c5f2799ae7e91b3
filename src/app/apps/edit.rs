//! Editing an application's webhooks (`e` in the Applications pane): one field per webhook of
//! the capabilities it has (voice: answer, fallback answer, event; messages: inbound, status),
//! each `METHOD URL` (`GET` or `POST`; the method may be left out: it is kept). `Enter` shows
//! the before/after diff to confirm, as a number's edit does; the save goes through the change
//! engine (read-modify-write of only those webhooks, journaled, undone with `u`).

use crate::api::apps::{AppWebhookChange, AppWebhooks, Application, Hook, http_method};
use crate::api::validate;
use crate::bulk::ItemError;
use crate::bulk::app_ops::AppOutcome;

use super::super::dialog::{Dialog, DiffLine};
use super::super::form::{Field, Form, optional};
use super::super::layer::Handled;
use super::super::{App, Cmd, Effect, Layer, Request};

/// The form of one application's webhooks.
#[derive(Clone, Debug)]
pub struct AppEditForm {
    pub id: String,
    /// The name it is shown with.
    pub name: String,
    /// The webhook of each field, in order.
    pub hooks: Vec<Hook>,
    /// The webhooks the form started from.
    pub original: AppWebhooks,
    pub form: Form,
    /// A problem found on save that no field shows as typed.
    pub error: Option<(usize, String)>,
}

/// `POST https://…` or `https://…`: the method (if given) and the address, checked.
pub fn parse_hook(v: &str) -> Result<(Option<String>, String), String> {
    let words: Vec<&str> = v.split_whitespace().collect();
    let (method, url) = match words.as_slice() {
        [url] => (None, *url),
        [method, url] => (
            Some(http_method("method", method).map_err(|e| message(&e))?),
            *url,
        ),
        _ => return Err("METHOD URL: GET or POST, a space, then the URL".into()),
    };
    let url = validate::url("URL", url).map_err(|e| message(&e))?;
    Ok((method, url))
}

/// A validation error's message, without the field name repeated.
fn message(e: &crate::api::ApiError) -> String {
    match e {
        crate::api::ApiError::InvalidInput { message, .. } => message.clone(),
        e => e.to_string(),
    }
}

fn check_hook(v: &str) -> Result<(), String> {
    optional(v, |v| parse_hook(v).map(|_| ()))
}

fn label(h: Hook) -> &'static str {
    match h {
        Hook::Answer => "Answer",
        Hook::FallbackAnswer => "Fallback answer",
        Hook::Event => "Event",
        Hook::Inbound => "Inbound",
        Hook::Status => "Status",
    }
}

fn hint(h: Hook) -> &'static str {
    match h {
        Hook::Answer => "voice: where calls ask what to do (GET or POST, then the URL)",
        Hook::FallbackAnswer => "voice: asked when the answer URL fails",
        Hook::Event => "voice: call events",
        Hook::Inbound => "messages: inbound messages",
        Hook::Status => "messages: delivery statuses",
    }
}

impl AppEditForm {
    pub fn new(app: &Application, name: String) -> AppEditForm {
        let original = AppWebhooks::of(app);
        let hooks: Vec<Hook> = Hook::ALL
            .into_iter()
            .filter(|h| app.has(h.capability()))
            .collect();
        let fields = hooks
            .iter()
            .map(|h| {
                let value = original
                    .get(*h)
                    .map(ToString::to_string)
                    .unwrap_or_default();
                Field::new(label(*h), hint(*h), &value, check_hook)
            })
            .collect();
        AppEditForm {
            id: app.id.clone(),
            name,
            hooks,
            original,
            form: Form::new(fields),
            error: None,
        }
    }

    /// The change the form describes: an address or method that differs from the original is
    /// set; the rest is kept.
    pub fn change(&self) -> AppWebhookChange {
        let mut change = AppWebhookChange::default();
        for (i, h) in self.hooks.iter().enumerate() {
            let Ok((method, address)) = parse_hook(self.form.value(i)) else {
                continue;
            };
            let orig = self.original.get(*h);
            if orig.map(|o| o.address.as_str()) != Some(address.as_str()) {
                let slot = match h {
                    Hook::Answer => &mut change.answer_url,
                    Hook::FallbackAnswer => &mut change.fallback_answer_url,
                    Hook::Event => &mut change.event_url,
                    Hook::Inbound => &mut change.inbound_url,
                    Hook::Status => &mut change.status_url,
                };
                *slot = Some(address);
            }
            if let Some(m) = method
                && orig.and_then(|o| o.http_method.as_deref()) != Some(m.as_str())
            {
                change.methods.insert(*h, m);
            }
        }
        change
    }

    /// Validates the whole form; on success the change and the webhooks after it.
    pub fn validated(&self) -> Result<(AppWebhookChange, AppWebhooks), (usize, String)> {
        if let Some(e) = self.form.first_error() {
            return Err(e);
        }
        for (i, h) in self.hooks.iter().enumerate() {
            if self.form.value(i).trim().is_empty() && self.original.get(*h).is_some() {
                return Err((
                    i,
                    "a webhook is not removed here: give its URL (the dashboard removes it)".into(),
                ));
            }
        }
        let change = self.change();
        let after = change.applied(&self.original).map_err(|e| {
            let at = match &e {
                crate::api::ApiError::InvalidInput { field, .. } => self
                    .hooks
                    .iter()
                    .position(|h| h.name() == *field)
                    .unwrap_or(0),
                _ => 0,
            };
            (at, message(&e))
        })?;
        Ok((change, after))
    }

    /// The diff of the save: each webhook that changes, before and after.
    pub fn diff(&self, after: &AppWebhooks) -> Vec<DiffLine> {
        self.original
            .changed(after)
            .into_iter()
            .map(|h| {
                let s = |w: &AppWebhooks| w.get(h).map(ToString::to_string);
                (h.name(), s(&self.original), s(after))
            })
            .collect()
    }
}

impl App {
    /// `e` on an application: its webhooks' form.
    pub(in crate::app) fn open_app_edit(&mut self, id: &str) {
        if self.refuse_read_only("editing an application") {
            return;
        }
        let Some(app) = self.apps.get(id) else {
            self.warn(format!("no application {id} is known: refresh"));
            return;
        };
        if !(app.has("voice") || app.has("messages")) {
            self.warn("this application has neither voice nor messages: no webhook to edit here");
            return;
        }
        let form = AppEditForm::new(app, self.apps.display(id));
        self.open(Layer::AppEdit(form));
    }

    /// The change to application `id` in flight, if any.
    pub fn app_change_in_flight(&self, id: &str) -> bool {
        self.pending
            .values()
            .any(|r| matches!(r, Request::UpdateApp { id: i, .. } if i == id))
    }

    pub(in crate::app) fn app_edit_command(&mut self, e: &mut AppEditForm, cmd: Cmd) -> Handled {
        match cmd {
            Cmd::Back if e.change().is_empty() => return Handled::close(),
            Cmd::Back => self.ask_discard(),
            Cmd::NextField | Cmd::Down => e.form.next(),
            Cmd::PrevField | Cmd::Up => e.form.prev(),
            Cmd::Submit if self.app_change_in_flight(&e.id) => {
                self.warn("this application's change is still being saved: wait for it");
            }
            Cmd::Submit => match e.validated() {
                Err((at, message)) => {
                    e.form.focus = at;
                    e.error = Some((at, message));
                }
                Ok((change, after)) => {
                    let diff = e.diff(&after);
                    if diff.is_empty() {
                        self.info("nothing to save: the form matches the application");
                        return Handled::stay();
                    }
                    self.open(Layer::Dialog(Dialog::ConfirmApp {
                        id: e.id.clone(),
                        name: e.name.clone(),
                        change,
                        diff,
                        confirm_focused: false,
                    }));
                }
            },
            _ => {}
        }
        Handled::stay()
    }

    /// The save confirmed: sent through the change engine.
    pub(in crate::app) fn save_app(
        &mut self,
        id: String,
        name: &str,
        change: AppWebhookChange,
    ) -> Vec<Effect> {
        // The form stays open until the save succeeds: a refusal can be fixed there.
        self.info(format!("saving application {name}…"));
        vec![self.request(Request::UpdateApp { id, change })]
    }

    /// The save's answer: the application as it is now replaces the one held; its form
    /// closes; a refusal is said and the form stays.
    pub(in crate::app) fn app_updated(
        &mut self,
        id: &str,
        result: Result<AppOutcome, ItemError>,
    ) -> Vec<Effect> {
        let name = self.apps.display(id);
        match result {
            Ok(outcome) => {
                let mut list = self.apps.list().to_vec();
                match list.iter_mut().find(|a| a.id == outcome.after.id) {
                    Some(a) => *a = outcome.after.clone(),
                    None => list.push(outcome.after.clone()),
                }
                self.apps.set(list);
                self.screen
                    .remove_where(|l| matches!(l, Layer::AppEdit(f) if f.id == id));
                for w in &outcome.warnings {
                    self.warn(w.clone());
                }
                if outcome.changed() {
                    let what: Vec<&str> = outcome
                        .hooks_before
                        .changed(&outcome.hooks_after)
                        .into_iter()
                        .map(Hook::name)
                        .collect();
                    let undo = self.keys.of(Cmd::Undo);
                    self.info(format!(
                        "saved application {name}: {} changed ({undo} undoes it)",
                        what.join(", ")
                    ));
                } else {
                    self.info(format!("application {name} already had these webhooks"));
                }
            }
            Err(e) => self.error(format!("application {name} not saved: {e}")),
        }
        Vec::new()
    }
}
