//! The edit form of one number: app id, SMS webhook, SMPP system type, voice callback type and
//! value, voice status callback. Emptying a field that had a value removes it, and the
//! confirmation lists that removal explicitly.

use crate::api::{Change, NumberChange, NumberConfig, OwnedNumber, VoiceTarget, validate};

use super::dialog::{self, Dialog};
use super::form::{Field, Form, api_check, optional};
use super::layer::Handled;
use super::{App, Cmd, Layer};

pub const APP_ID: usize = 0;
pub const SMS_URL: usize = 1;
pub const SMPP: usize = 2;
pub const VOICE_TYPE: usize = 3;
pub const VOICE_VALUE: usize = 4;
pub const VOICE_STATUS: usize = 5;

fn check_text(v: &str) -> Result<(), String> {
    optional(v, |v| api_check(validate::text("value", v)))
}
fn check_url(v: &str) -> Result<(), String> {
    optional(v, |v| api_check(validate::url("URL", v)))
}
fn check_voice_type(v: &str) -> Result<(), String> {
    optional(v, |v| match v.trim().to_ascii_lowercase().as_str() {
        "sip" | "tel" | "app" => Ok(()),
        _ => Err("sip or tel".to_string()),
    })
}

#[derive(Debug, Clone)]
pub struct EditForm {
    pub country: String,
    pub msisdn: String,
    pub form: Form,
    /// The configuration the form started from.
    pub original: NumberConfig,
    /// The number as read, for the warnings about values the API does not return.
    pub number: OwnedNumber,
    pub known: Option<NumberConfig>,
    /// A problem found on save that no single field shows (voice type without value...).
    pub error: Option<(usize, String)>,
    /// Also clear the deprecated messages callback (the doctor's fix; no field shows it).
    pub clear_messages: bool,
}

impl EditForm {
    pub fn new(number: &OwnedNumber, known: Option<&NumberConfig>) -> EditForm {
        let original = NumberConfig::from_number(number, known);
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        let form = Form::new(vec![
            Field::new(
                "Application id",
                "links the number to an application",
                &v(&original.app_id),
                check_text,
            ),
            Field::new(
                "SMS webhook URL",
                "moHttpUrl: Vonage GETs it, it must answer 200",
                &v(&original.mo_http_url),
                check_url,
            ),
            Field::new(
                "SMPP system type",
                "moSmppSysType",
                &v(&original.mo_smpp_sys_type),
                check_text,
            ),
            Field::new(
                "Voice type",
                "sip or tel (with a value)",
                &v(&original.voice_callback_type),
                check_voice_type,
            ),
            Field::new(
                "Voice value",
                "SIP URI or phone number",
                &v(&original.voice_callback_value),
                check_text,
            ),
            Field::new(
                "Voice status URL",
                "voiceStatusCallback",
                &v(&original.voice_status_callback),
                check_url,
            ),
        ]);
        EditForm {
            country: number.country.as_deref().unwrap_or_default().to_string(),
            msisdn: number.msisdn.clone().unwrap_or_default(),
            form,
            original,
            number: number.clone(),
            known: known.cloned(),
            error: None,
            clear_messages: false,
        }
    }

    /// The change the form describes: a field equal to the original is kept, an emptied one
    /// is cleared, any other is set.
    pub fn change(&self) -> NumberChange {
        let f = &self.form;
        let field = |i: usize, orig: &Option<String>| {
            let v = f.value(i).trim();
            match (v.is_empty(), orig) {
                (true, None) => Change::Keep,
                (true, Some(_)) => Change::Clear,
                (false, Some(o)) if o == v => Change::Keep,
                (false, _) => Change::Set(v.to_string()),
            }
        };
        let o = &self.original;
        let (vt, vv) = (f.value(VOICE_TYPE).trim(), f.value(VOICE_VALUE).trim());
        let voice_same = Some(vt) == o.voice_callback_type.as_deref().or(Some(""))
            && Some(vv) == o.voice_callback_value.as_deref().or(Some(""));
        let voice = if voice_same {
            Change::Keep
        } else if vt.is_empty() && vv.is_empty() {
            Change::Clear
        } else {
            Change::Set(VoiceTarget {
                kind: vt.to_string(),
                value: vv.to_string(),
            })
        };
        NumberChange {
            app_id: field(APP_ID, &o.app_id),
            mo_http_url: field(SMS_URL, &o.mo_http_url),
            mo_smpp_sys_type: field(SMPP, &o.mo_smpp_sys_type),
            voice,
            voice_status_callback: field(VOICE_STATUS, &o.voice_status_callback),
            clear_messages: self.clear_messages && o.messages_callback_type.is_some(),
        }
    }

    /// Validates the whole form; on success the change and the configuration after it.
    pub fn validated(&self) -> Result<(NumberChange, NumberConfig), (usize, String)> {
        if let Some(e) = self.form.first_error() {
            return Err(e);
        }
        let (vt, vv) = (
            self.form.value(VOICE_TYPE).trim(),
            self.form.value(VOICE_VALUE).trim(),
        );
        if vt.is_empty() != vv.is_empty() {
            let at = if vt.is_empty() {
                VOICE_TYPE
            } else {
                VOICE_VALUE
            };
            return Err((
                at,
                "voice type and value go together: fill both, or empty both".to_string(),
            ));
        }
        let change = self.change();
        let after = change
            .apply_to(&self.original)
            .map_err(|e| (field_of(&e), e.to_string()))?;
        Ok((change, after))
    }
}

impl App {
    pub(super) fn edit_command(&mut self, edit: &mut EditForm, cmd: Cmd) -> Handled {
        match cmd {
            Cmd::Back if edit.change().is_empty() => return Handled::close(),
            Cmd::Back => self.ask_discard(),
            Cmd::NextField | Cmd::Down => edit.form.next(),
            Cmd::PrevField | Cmd::Up => edit.form.prev(),
            Cmd::PickApp => self.open_picker(),
            // A second Save while the first is in flight: refused, the form stays as it is.
            Cmd::Submit if self.refuse_in_flight(&edit.msisdn) => {}
            Cmd::Submit => match edit.validated() {
                Err((at, message)) => {
                    edit.form.focus = at;
                    edit.error = Some((at, message));
                }
                Ok((change, after)) => {
                    let diff = dialog::owned_diff(&edit.original, &after);
                    if diff.is_empty() {
                        self.info("nothing to save: the form matches the number");
                        return Handled::stay();
                    }
                    let mut warnings = change.warnings(&edit.number, edit.known.as_ref());
                    let (country, msisdn, known) = (
                        edit.country.clone(),
                        edit.msisdn.clone(),
                        edit.known.clone(),
                    );
                    warnings.extend(self.local_webhook_warning(&change));
                    let check = self.start_webhook_check(&change);
                    let (webhook, effects) = match check {
                        Some((c, e)) => (Some(c), vec![e]),
                        None => (None, Vec::new()),
                    };
                    self.open(Layer::Dialog(Dialog::ConfirmUpdate {
                        country,
                        msisdn,
                        change,
                        known,
                        diff,
                        warnings,
                        confirm_focused: false,
                        webhook,
                    }));
                    return Handled::stay().with(effects);
                }
            },
            _ => {}
        }
        Handled::stay()
    }
}

/// The form field an invalid value belongs to (the first field for other errors).
pub(super) fn field_of(e: &crate::api::ApiError) -> usize {
    match e {
        crate::api::ApiError::InvalidInput { field, .. } => match *field {
            "app_id" => APP_ID,
            "moHttpUrl" => SMS_URL,
            "moSmppSysType" => SMPP,
            "voiceCallbackType" => VOICE_TYPE,
            "voiceStatusCallback" => VOICE_STATUS,
            _ => VOICE_VALUE,
        },
        _ => 0,
    }
}
