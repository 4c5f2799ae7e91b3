//! Modal dialogs: money and loss are confirmed, with the safe choice focused.

use std::path::PathBuf;
use std::sync::Arc;

use tui_input::Input;

use super::{Context, ExportFormat, RequestId};
use crate::api::{AvailableNumber, NumberChange, NumberConfig, OwnedNumber};

/// One line of a before/after diff: (field, before, after).
pub type DiffLine = (&'static str, Option<String>, Option<String>);

#[derive(Debug, Clone)]
// One at a time and short-lived: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Dialog {
    /// Buy an available number: country, msisdn and both prices; Cancel is focused.
    Buy {
        number: AvailableNumber,
        confirm_focused: bool,
    },
    /// Cancel an owned number: its last four digits must be typed.
    CancelNumber {
        country: String,
        msisdn: String,
        typed: Input,
    },
    /// Save an edit: the before/after diff and the warnings; Back is focused.
    ConfirmUpdate {
        country: String,
        msisdn: String,
        change: NumberChange,
        known: Option<NumberConfig>,
        diff: Vec<DiffLine>,
        warnings: Vec<String>,
        confirm_focused: bool,
        /// The GET of a new SMS webhook URL, as Vonage will send it before accepting it.
        webhook: Option<WebhookCheck>,
    },
    /// Quit while a change is in flight.
    Quit { confirm_focused: bool },
    /// Export the shown list: the format (Tab switches) and the file name (editable).
    Export {
        format: ExportFormat,
        path: Input,
        /// Rows that will be written.
        count: usize,
    },
    /// The export's file exists: replace it? Keep is focused.
    Overwrite {
        path: PathBuf,
        format: ExportFormat,
        numbers: Arc<Vec<OwnedNumber>>,
        confirm_focused: bool,
    },
}

/// The pre-check of an SMS webhook URL shown in the save dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookCheck {
    pub id: RequestId,
    pub url: String,
    pub status: WebhookStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookStatus {
    Checking,
    /// The HTTP status it answered with.
    Answered(u16),
    /// No answer: why.
    Failed(String),
}

impl WebhookStatus {
    /// True when Vonage would refuse the URL.
    pub fn is_warning(&self) -> bool {
        matches!(self, WebhookStatus::Answered(s) if *s != 200)
            || matches!(self, WebhookStatus::Failed(_))
    }
}

impl Dialog {
    /// For the two-button dialogs: switch the focused button.
    pub fn toggle(&mut self) {
        match self {
            Dialog::Buy {
                confirm_focused, ..
            }
            | Dialog::ConfirmUpdate {
                confirm_focused, ..
            }
            | Dialog::Quit { confirm_focused }
            | Dialog::Overwrite {
                confirm_focused, ..
            } => *confirm_focused = !*confirm_focused,
            Dialog::CancelNumber { .. } | Dialog::Export { .. } => {}
        }
    }

    pub fn takes_text(&self) -> bool {
        matches!(self, Dialog::CancelNumber { .. } | Dialog::Export { .. })
    }

    /// Where the keyboard is while this dialog is open.
    pub fn context(&self) -> Context {
        match self {
            Dialog::Export { .. } => Context::Export,
            d if d.takes_text() => Context::DialogText,
            _ => Context::Dialog,
        }
    }
}

/// The digits a user types to confirm a cancellation.
pub fn last_four(msisdn: &str) -> &str {
    &msisdn[msisdn.len().saturating_sub(4)..]
}

/// Owned copies of a diff, for a dialog.
pub fn owned_diff(before: &NumberConfig, after: &NumberConfig) -> Vec<DiffLine> {
    before
        .diff(after)
        .into_iter()
        .map(|(f, b, a)| (f, b.map(String::from), a.map(String::from)))
        .collect()
}
