//! Modal dialogs: money and loss are confirmed, with the safe choice focused.

use tui_input::Input;

use crate::api::{AvailableNumber, NumberChange, NumberConfig};

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
    },
    /// Quit while a change is in flight.
    Quit { confirm_focused: bool },
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
            | Dialog::Quit { confirm_focused } => *confirm_focused = !*confirm_focused,
            Dialog::CancelNumber { .. } => {}
        }
    }

    pub fn takes_text(&self) -> bool {
        matches!(self, Dialog::CancelNumber { .. })
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
