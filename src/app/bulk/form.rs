//! The form of a bulk edit: every field starts blank (unchanged); `-` removes a value.

use crate::api::{Change, NumberChange, VoiceTarget, validate};

use super::super::form::{Field, Form, api_check, optional};
use super::super::layer::Handled;
use super::super::{App, Cmd};

/// What a field holding only this removes.
pub const REMOVE: &str = "-";

// The same fields, in the same places, as the single edit form.
use super::super::edit::{APP_ID, SMPP, SMS_URL, VOICE_STATUS, VOICE_TYPE, VOICE_VALUE};

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
    /// Also clear the deprecated messages callback (the doctor's fix; no field shows it).
    pub clear_messages: bool,
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
            clear_messages: false,
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
            clear_messages: self.clear_messages,
        };
        if change.is_empty() {
            return Err((
                0,
                "nothing to change: fill a field, or type - to remove its value".into(),
            ));
        }
        change
            .normalized()
            .map_err(|e| (super::super::edit::field_of(&e), e.to_string()))
    }
}

impl App {
    /// The bulk form's commands.
    pub(in crate::app) fn bulk_form_command(&mut self, bf: &mut BulkForm, cmd: Cmd) -> Handled {
        match cmd {
            Cmd::Back
                if !bf.clear_messages
                    && bf.form.fields.iter().all(|f| f.value().trim().is_empty()) =>
            {
                return Handled::close();
            }
            Cmd::Back => self.ask_discard(),
            Cmd::NextField | Cmd::Down => bf.form.next(),
            Cmd::PrevField | Cmd::Up => bf.form.prev(),
            Cmd::PickApp => self.open_picker(),
            Cmd::Submit => match bf.change() {
                Err((at, message)) => {
                    bf.form.focus = at;
                    bf.error = Some((at, message));
                }
                Ok(change) => return Handled::stay().with(self.ask_bulk(bf, change)),
            },
            _ => {}
        }
        Handled::stay()
    }
}
