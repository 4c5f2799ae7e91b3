//! The commands of the dialogs: only the focused confirm button (or the right digits) acts.

use crate::api::NumberRef;

use super::dialog::{self, Dialog};
use super::{App, Cmd, Effect, Request};

impl App {
    pub(super) fn dialog_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let Some(dialog) = &mut self.dialog else {
            return Vec::new();
        };
        match cmd {
            Cmd::Back | Cmd::Quit => {
                self.dialog = None;
                return Vec::new();
            }
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField
                if matches!(dialog, Dialog::Export { .. }) =>
            {
                self.toggle_export_format();
                return Vec::new();
            }
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField => {
                dialog.toggle();
                return Vec::new();
            }
            Cmd::Submit => {}
            _ => return Vec::new(),
        }
        let Some(dialog) = self.dialog.take() else {
            return Vec::new();
        };
        match dialog {
            Dialog::Buy {
                number,
                confirm_focused: true,
            } => {
                let (Some(country), Some(msisdn)) = (number.country.clone(), number.msisdn.clone())
                else {
                    self.error("this number has no country or msisdn: it cannot be bought");
                    return Vec::new();
                };
                self.info(format!("buying {msisdn}…"));
                vec![self.request(Request::Buy(NumberRef::new(country, msisdn)))]
            }
            Dialog::CancelNumber {
                country,
                msisdn,
                typed,
            } => {
                if typed.value() != dialog::last_four(&msisdn) {
                    self.warn("the digits do not match: nothing was cancelled");
                    self.dialog = Some(Dialog::CancelNumber {
                        country,
                        msisdn,
                        typed,
                    });
                    return Vec::new();
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
            Dialog::Quit {
                confirm_focused: true,
            } => {
                self.quit = true;
                Vec::new()
            }
            Dialog::Export { format, path, .. } => self.submit_export(format, path),
            Dialog::Overwrite {
                path,
                format,
                numbers,
                confirm_focused: true,
            } => self.overwrite_export(path, format, numbers),
            // Enter on the focused safe button: close, nothing done.
            _ => Vec::new(),
        }
    }
}
