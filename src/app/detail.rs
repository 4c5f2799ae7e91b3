//! The detail view of one owned number, over the Owned pane: every field, scrolled when it
//! does not fit; from it, edit and cancel.

use super::layer::Handled;
use super::overlay::Scroll;
use super::{App, Cmd, Dialog, EditForm, Layer};
use crate::api::OwnedNumber;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    pub msisdn: String,
    pub scroll: Scroll,
}

impl Detail {
    pub fn new(msisdn: String) -> Detail {
        Detail {
            msisdn,
            scroll: Scroll::default(),
        }
    }
}

impl App {
    pub(super) fn detail_command(&mut self, d: &mut Detail, cmd: Cmd) -> Handled {
        if d.scroll.command(cmd, self.page, self.scroll_max) {
            return Handled::stay();
        }
        let number = self.owned_number(&d.msisdn).cloned();
        match cmd {
            Cmd::Back | Cmd::Quit => return Handled::close(),
            Cmd::Edit => {
                if let Some(n) = number {
                    self.open_edit(&n);
                }
            }
            Cmd::CancelNumber => {
                if let Some(n) = number {
                    self.ask_cancel(&n);
                }
            }
            Cmd::Refresh => return Handled::stay().with(self.refresh()),
            Cmd::Copy => return Handled::stay().with(self.copy(Some(d.msisdn.clone()))),
            Cmd::Log | Cmd::Undo | Cmd::ShowRun => return Handled::stay().with(self.common(cmd)),
            _ => {}
        }
        Handled::stay()
    }

    pub(super) fn open_edit(&mut self, n: &OwnedNumber) {
        if self.refuse_read_only("editing") {
            return;
        }
        let known = n.msisdn.as_ref().and_then(|m| self.known.get(m));
        self.open(Layer::Edit(EditForm::new(n, known)));
    }

    pub(super) fn ask_cancel(&mut self, n: &OwnedNumber) {
        if self.refuse_read_only("cancelling a number") {
            return;
        }
        let (Some(country), Some(msisdn)) =
            (n.country.as_deref().map(String::from), n.msisdn.clone())
        else {
            self.error("this number has no country or msisdn: it cannot be cancelled from here");
            return;
        };
        if self.refuse_in_flight(&msisdn) {
            return;
        }
        self.open(Layer::Dialog(Dialog::CancelNumber {
            country,
            msisdn,
            typed: tui_input::Input::default(),
        }));
    }
}
