//! The columns of the Owned table: their titles, the text each shows of a number, and how
//! each sorts.

use std::cmp::Ordering;

use crate::api::OwnedNumber;
use crate::api::model::features_label;

/// The columns of the owned table, in order; also the sort keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Column {
    #[default]
    Msisdn,
    Country,
    Type,
    Features,
    App,
    SmsUrl,
    Voice,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Msisdn,
        Column::Country,
        Column::Type,
        Column::Features,
        Column::App,
        Column::SmsUrl,
        Column::Voice,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Msisdn => "MSISDN",
            Column::Country => "CC",
            Column::Type => "TYPE",
            Column::Features => "FEATURES",
            Column::App => "APPLICATION",
            Column::SmsUrl => "SMS WEBHOOK",
            Column::Voice => "VOICE",
        }
    }

    pub fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    /// The text of this column for one number (also what sorting compares).
    pub fn text(self, n: &OwnedNumber) -> String {
        fn s<S: AsRef<str>>(o: &Option<S>) -> String {
            o.as_ref()
                .map(|v| v.as_ref().to_string())
                .unwrap_or_default()
        }
        match self {
            Column::Msisdn => s(&n.msisdn),
            Column::Country => s(&n.country),
            Column::Type => n
                .number_type
                .as_ref()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            Column::Features => features_label(&n.features),
            Column::App => s(&n.app_id),
            Column::SmsUrl => s(&n.mo_http_url),
            Column::Voice => voice_summary(n),
        }
    }

    pub(super) fn compare(self, a: &OwnedNumber, b: &OwnedNumber) -> Ordering {
        let by = |f: fn(&OwnedNumber) -> Option<&str>| f(a).cmp(&f(b));
        match self {
            Column::Msisdn => by(|n| n.msisdn.as_deref()),
            Column::Country => by(|n| n.country.as_deref()),
            Column::Type => by(|n| n.number_type.as_ref().map(|t| t.as_str())),
            Column::App => by(|n| n.app_id.as_deref()),
            Column::SmsUrl => by(|n| n.mo_http_url.as_deref()),
            Column::Features | Column::Voice => self.text(a).cmp(&self.text(b)),
        }
    }
}

/// `tel:447700900000`, `sip:…`, or empty.
pub fn voice_summary(n: &OwnedNumber) -> String {
    match (&n.voice_callback_type, &n.voice_callback_value) {
        // A SIP value is already a URI (sip:user@host): do not prefix it twice.
        (Some(t), Some(v)) if v.to_ascii_lowercase().starts_with(&format!("{t}:")) => v.to_string(),
        (Some(t), Some(v)) => format!("{t}:{v}"),
        (Some(t), None) => t.to_string(),
        (None, Some(v)) => v.to_string(),
        (None, None) => String::new(),
    }
}
