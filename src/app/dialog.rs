//! Modal dialogs and their commands: money and loss are confirmed, with the safe choice
//! focused; only the focused confirm button (or the right digits) acts.

use std::path::PathBuf;
use std::sync::Arc;

use tui_input::{Input, InputRequest};

use super::layer::Handled;
use super::{App, Cmd, Context, ExportFormat, Layer, Request, RequestId};
use crate::api::{AvailableNumber, NumberChange, NumberConfig, NumberRef, OwnedNumber};

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
    /// Save an application's webhooks: the before/after diff; Back is focused.
    ConfirmApp {
        id: String,
        /// The name it is shown with.
        name: String,
        change: crate::api::apps::AppWebhookChange,
        diff: Vec<DiffLine>,
        confirm_focused: bool,
    },
    /// Quit while a change is in flight.
    Quit { confirm_focused: bool },
    /// `Esc` in a form with edits: drop them? Keep editing is focused.
    Discard { confirm_focused: bool },
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
        if let Some(f) = self.confirm_focused() {
            *f = !*f;
        }
    }

    /// The focus on the button that acts, for the dialogs with two buttons.
    fn confirm_focused(&mut self) -> Option<&mut bool> {
        match self {
            Dialog::Buy {
                confirm_focused, ..
            }
            | Dialog::ConfirmUpdate {
                confirm_focused, ..
            }
            | Dialog::ConfirmApp {
                confirm_focused, ..
            }
            | Dialog::Quit { confirm_focused }
            | Dialog::Discard { confirm_focused }
            | Dialog::Overwrite {
                confirm_focused, ..
            } => Some(confirm_focused),
            Dialog::CancelNumber { .. } => None,
        }
    }

    pub fn takes_text(&self) -> bool {
        matches!(self, Dialog::CancelNumber { .. })
    }

    /// Where the keyboard is while this dialog is open.
    pub fn context(&self) -> Context {
        if self.takes_text() {
            Context::DialogText
        } else {
            Context::Dialog
        }
    }

    /// Typed text: the digits of a cancellation (eight at most).
    pub fn edit(&mut self, req: InputRequest) {
        if let Dialog::CancelNumber { typed, .. } = self
            && typed.value().len() < 8
        {
            typed.handle(req);
        }
    }
}

impl App {
    /// `Esc` in a form holding edits: ask before they are dropped.
    pub(super) fn ask_discard(&mut self) {
        self.open(Layer::Dialog(Dialog::Discard {
            confirm_focused: false,
        }));
    }

    pub(super) fn dialog_command(&mut self, dialog: &mut Dialog, cmd: Cmd) -> Handled {
        match cmd {
            Cmd::Back | Cmd::Quit | Cmd::No => return Handled::close(),
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField => {
                dialog.toggle();
                return Handled::stay();
            }
            Cmd::Yes => match dialog.confirm_focused() {
                Some(f) => *f = true,
                None => return Handled::stay(),
            },
            Cmd::Submit => {}
            _ => return Handled::stay(),
        }
        let effects = match dialog.clone() {
            Dialog::Buy {
                number,
                confirm_focused: true,
            } => {
                let (Some(country), Some(msisdn)) = (number.country.clone(), number.msisdn.clone())
                else {
                    self.error("this number has no country or msisdn: it cannot be bought");
                    return Handled::close();
                };
                self.info(format!("buying {msisdn}…"));
                vec![self.request(Request::Buy(NumberRef::new(country, msisdn)))]
            }
            Dialog::CancelNumber {
                country,
                msisdn,
                typed,
            } => {
                if typed.value() != last_four(&msisdn) {
                    self.warn("the digits do not match: nothing was cancelled");
                    return Handled::stay();
                }
                self.info(format!("cancelling {msisdn}…"));
                vec![self.request(Request::Cancel(NumberRef::new(country, msisdn)))]
            }
            Dialog::ConfirmUpdate {
                country,
                msisdn,
                change,
                known,
                confirm_focused: true,
                ..
            } => {
                // The form stays open until the save succeeds: a refusal can be fixed there.
                self.info(format!("saving {msisdn}…"));
                vec![self.request(Request::Update {
                    country,
                    msisdn,
                    change,
                    known,
                })]
            }
            Dialog::ConfirmApp {
                id,
                name,
                change,
                confirm_focused: true,
                ..
            } => self.save_app(id, &name, change),
            Dialog::Quit {
                confirm_focused: true,
            } => {
                self.quit = true;
                Vec::new()
            }
            Dialog::Discard {
                confirm_focused: true,
            } => {
                // The form it was asked over is under it.
                if matches!(
                    self.screen.top(),
                    Some(Layer::Edit(_) | Layer::BulkForm(_) | Layer::AppEdit(_))
                ) {
                    self.screen.pop();
                }
                Vec::new()
            }
            Dialog::Overwrite {
                path,
                format,
                numbers,
                confirm_focused: true,
            } => self.overwrite_export(path, format, numbers),
            // Enter on the focused safe button: close, nothing done.
            _ => Vec::new(),
        };
        Handled::close().with(effects)
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
