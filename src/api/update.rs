//! `POST /number/update` replaces a number's whole configuration: a field not sent is cleared.
//! So an update is a [`NumberChange`] applied to the configuration read back from the API
//! ([`NumberConfig::from_number`]), and the result is sent whole.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::model::OwnedNumber;
use super::query::Params;
use super::text::Text;
use super::validate;

/// Everything `/number/update` accepts besides country and msisdn.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(rename = "moHttpUrl", skip_serializing_if = "Option::is_none")]
    pub mo_http_url: Option<String>,
    #[serde(rename = "moSmppSysType", skip_serializing_if = "Option::is_none")]
    pub mo_smpp_sys_type: Option<String>,
    #[serde(rename = "voiceCallbackType", skip_serializing_if = "Option::is_none")]
    pub voice_callback_type: Option<String>,
    #[serde(rename = "voiceCallbackValue", skip_serializing_if = "Option::is_none")]
    pub voice_callback_value: Option<String>,
    #[serde(
        rename = "voiceStatusCallback",
        skip_serializing_if = "Option::is_none"
    )]
    pub voice_status_callback: Option<String>,
    #[serde(
        rename = "messagesCallbackType",
        skip_serializing_if = "Option::is_none"
    )]
    pub messages_callback_type: Option<String>,
    #[serde(
        rename = "messagesCallbackValue",
        skip_serializing_if = "Option::is_none"
    )]
    pub messages_callback_value: Option<String>,
}

/// The fields a user can set or clear. `Voice` and `Messages` are pairs (type + value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    AppId,
    SmsUrl,
    SmppSysType,
    Voice,
    VoiceStatusUrl,
    Messages,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::AppId,
        Field::SmsUrl,
        Field::SmppSysType,
        Field::Voice,
        Field::VoiceStatusUrl,
        Field::Messages,
    ];

    /// The name used on the command line (`--clear sms-url`).
    pub fn name(self) -> &'static str {
        match self {
            Field::AppId => "app-id",
            Field::SmsUrl => "sms-url",
            Field::SmppSysType => "smpp-sys-type",
            Field::Voice => "voice",
            Field::VoiceStatusUrl => "voice-status-url",
            Field::Messages => "messages",
        }
    }
}

impl FromStr for Field {
    type Err = ApiError;
    fn from_str(s: &str) -> Result<Field, ApiError> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Field::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<_> = Field::ALL.iter().map(|f| f.name()).collect();
                ApiError::invalid(
                    "field",
                    format!(
                        "{} is not a field; one of {}",
                        validate::quote(s),
                        names.join(", ")
                    ),
                )
            })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What to do with one field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change<T> {
    #[default]
    Keep,
    Set(T),
    Clear,
}

impl<T: Clone> Change<T> {
    fn apply(&self, current: &mut Option<T>) {
        match self {
            Change::Keep => {}
            Change::Set(v) => *current = Some(v.clone()),
            Change::Clear => *current = None,
        }
    }
}

/// A voice callback: `sip` or `tel` (or the deprecated `app`) and its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceTarget {
    pub kind: String,
    pub value: String,
}

/// A change to a number's configuration; every field not named is kept as it was (kept in
/// the journal's plan of a bulk run, so a run cut short can be resumed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberChange {
    pub app_id: Change<String>,
    pub mo_http_url: Change<String>,
    pub mo_smpp_sys_type: Change<String>,
    pub voice: Change<VoiceTarget>,
    pub voice_status_callback: Change<String>,
    /// The deprecated messages callback pair; only clearing is offered.
    pub clear_messages: bool,
}

impl NumberChange {
    pub fn is_empty(&self) -> bool {
        *self == NumberChange::default()
    }

    /// Marks a field to be cleared.
    pub fn clear(&mut self, field: Field) {
        match field {
            Field::AppId => self.app_id = Change::Clear,
            Field::SmsUrl => self.mo_http_url = Change::Clear,
            Field::SmppSysType => self.mo_smpp_sys_type = Change::Clear,
            Field::Voice => self.voice = Change::Clear,
            Field::VoiceStatusUrl => self.voice_status_callback = Change::Clear,
            Field::Messages => self.clear_messages = true,
        }
    }

    /// Checks every value that will be set, before anything is read or sent.
    pub fn validate(&self) -> Result<(), ApiError> {
        self.normalized().map(|_| ())
    }

    /// The same change with every value to set as it will be sent: trimmed, a tel number in
    /// digits only, the voice type lowercased. Errors name the field.
    pub fn normalized(&self) -> Result<NumberChange, ApiError> {
        fn map(
            c: &Change<String>,
            check: impl Fn(&str) -> Result<String, ApiError>,
        ) -> Result<Change<String>, ApiError> {
            Ok(match c {
                Change::Set(v) => Change::Set(check(v)?),
                Change::Keep => Change::Keep,
                Change::Clear => Change::Clear,
            })
        }
        Ok(NumberChange {
            app_id: map(&self.app_id, |v| validate::text("app_id", v))?,
            mo_http_url: map(&self.mo_http_url, |v| validate::url("moHttpUrl", v))?,
            mo_smpp_sys_type: map(&self.mo_smpp_sys_type, |v| {
                validate::text("moSmppSysType", v)
            })?,
            voice_status_callback: map(&self.voice_status_callback, |v| {
                validate::url("voiceStatusCallback", v)
            })?,
            voice: match &self.voice {
                Change::Set(v) => Change::Set(validate_voice(v)?),
                Change::Keep => Change::Keep,
                Change::Clear => Change::Clear,
            },
            clear_messages: self.clear_messages,
        })
    }

    /// The configuration after this change. Fields the change does not name keep their value.
    pub fn apply_to(&self, before: &NumberConfig) -> Result<NumberConfig, ApiError> {
        let change = self.normalized()?;
        let mut after = before.clone();
        change.app_id.apply(&mut after.app_id);
        change.mo_http_url.apply(&mut after.mo_http_url);
        change.mo_smpp_sys_type.apply(&mut after.mo_smpp_sys_type);
        change
            .voice_status_callback
            .apply(&mut after.voice_status_callback);
        match &change.voice {
            Change::Keep => {}
            Change::Set(v) => {
                after.voice_callback_type = Some(v.kind.clone());
                after.voice_callback_value = Some(v.value.clone());
            }
            Change::Clear => {
                after.voice_callback_type = None;
                after.voice_callback_value = None;
            }
        }
        if change.clear_messages {
            after.messages_callback_type = None;
            after.messages_callback_value = None;
        }
        if after.voice_callback_type.is_some() != after.voice_callback_value.is_some() {
            return Err(ApiError::invalid(
                "voiceCallbackType",
                "voice callback type and value go together: set both, or clear voice".to_string(),
            ));
        }
        Ok(after)
    }

    /// Warnings about values that may be lost: fields the API does not return, which this
    /// update would clear unless the caller knew them.
    pub fn warnings(&self, number: &OwnedNumber, known: Option<&NumberConfig>) -> Vec<String> {
        let mut out = Vec::new();
        let unreadable = |read: &Option<Text>, known: Option<&Option<String>>| {
            read.is_none() && known.is_none_or(|k| k.is_none())
        };
        if matches!(self.voice_status_callback, Change::Keep)
            && unreadable(
                &number.voice_status_callback,
                known.map(|k| &k.voice_status_callback),
            )
        {
            out.push(
                "voiceStatusCallback cannot be read back from the API: if one was set, this update clears it (set it again to keep it)".to_string(),
            );
        }
        if matches!(self.mo_smpp_sys_type, Change::Keep)
            && unreadable(&number.mo_smpp_sys_type, known.map(|k| &k.mo_smpp_sys_type))
        {
            out.push(
                "moSmppSysType cannot be read back from the API: if one was set, this update clears it (set it again to keep it)".to_string(),
            );
        }
        if let Change::Set(v) = &self.voice
            && v.kind.trim().eq_ignore_ascii_case("app")
        {
            out.push(
                "voice callback type `app` is deprecated: link an application with app_id instead"
                    .to_string(),
            );
        }
        out
    }
}

/// Checks a voice callback; returns it as it will be sent.
fn validate_voice(v: &VoiceTarget) -> Result<VoiceTarget, ApiError> {
    let kind = v.kind.trim().to_ascii_lowercase();
    let value = match kind.as_str() {
        "tel" => validate::msisdn(&v.value).map_err(|_| {
            ApiError::invalid(
                "voiceCallbackValue",
                format!(
                    "{} is not a phone number in international format",
                    validate::quote(&v.value)
                ),
            )
        })?,
        "sip" => {
            let value = validate::text("voiceCallbackValue", &v.value)?;
            let lower = value.to_ascii_lowercase();
            if !(lower.starts_with("sip:") || lower.starts_with("sips:")) {
                return Err(ApiError::invalid(
                    "voiceCallbackValue",
                    format!(
                        "{} is not a SIP URI (sip:user@host)",
                        validate::quote(&value)
                    ),
                ));
            }
            value
        }
        "app" => validate::text("voiceCallbackValue", &v.value)?,
        _ => {
            return Err(ApiError::invalid(
                "voiceCallbackType",
                format!("{} must be sip or tel", validate::quote(&v.kind)),
            ));
        }
    };
    Ok(VoiceTarget { kind, value })
}

impl NumberConfig {
    /// The configuration as read from the API, with values it does not return taken from
    /// `known` (what the user or the journal knows).
    pub fn from_number(n: &OwnedNumber, known: Option<&NumberConfig>) -> NumberConfig {
        let s = |read: &Option<Text>| read.as_deref().map(String::from);
        let or_known = |read: &Option<Text>, pick: fn(&NumberConfig) -> &Option<String>| {
            s(read).or_else(|| known.and_then(|k| pick(k).clone()))
        };
        NumberConfig {
            app_id: s(&n.app_id),
            mo_http_url: s(&n.mo_http_url),
            mo_smpp_sys_type: or_known(&n.mo_smpp_sys_type, |k| &k.mo_smpp_sys_type),
            voice_callback_type: s(&n.voice_callback_type),
            voice_callback_value: s(&n.voice_callback_value),
            voice_status_callback: or_known(&n.voice_status_callback, |k| &k.voice_status_callback),
            messages_callback_type: s(&n.messages_callback_type),
            messages_callback_value: s(&n.messages_callback_value),
        }
    }

    /// Each field by its wire name, in a fixed order.
    pub fn fields(&self) -> [(&'static str, &Option<String>); 8] {
        [
            ("app_id", &self.app_id),
            ("moHttpUrl", &self.mo_http_url),
            ("moSmppSysType", &self.mo_smpp_sys_type),
            ("voiceCallbackType", &self.voice_callback_type),
            ("voiceCallbackValue", &self.voice_callback_value),
            ("voiceStatusCallback", &self.voice_status_callback),
            ("messagesCallbackType", &self.messages_callback_type),
            ("messagesCallbackValue", &self.messages_callback_value),
        ]
    }

    /// The fields that differ: (wire name, before, after).
    pub fn diff<'a>(
        &'a self,
        after: &'a NumberConfig,
    ) -> Vec<(&'static str, Option<&'a str>, Option<&'a str>)> {
        self.fields()
            .into_iter()
            .zip(after.fields())
            .filter(|((_, b), (_, a))| b != a)
            .map(|((name, b), (_, a))| (name, b.as_deref(), a.as_deref()))
            .collect()
    }

    /// The form body: country, msisdn and every field, empty where unset, so the replace
    /// semantics of the API leave exactly this configuration.
    pub fn params(&self, country: &str, msisdn: &str) -> Result<Params, ApiError> {
        let mut out = vec![
            ("country", validate::country(country)?),
            ("msisdn", validate::msisdn(msisdn)?),
        ];
        for (name, value) in self.fields() {
            // The deprecated messages pair is only sent when set: an empty
            // messagesCallbackType is not a valid value.
            if name.starts_with("messages") && value.is_none() {
                continue;
            }
            out.push((name, value.clone().unwrap_or_default()));
        }
        Ok(out)
    }
}

/// What an update did: the number as it was read, what was sent, and warnings about values
/// that could not be preserved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UpdateOutcome {
    pub country: String,
    pub msisdn: String,
    pub before: NumberConfig,
    pub after: NumberConfig,
    pub warnings: Vec<String>,
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
