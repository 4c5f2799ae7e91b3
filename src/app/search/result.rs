//! One search result opened whole, over the Search pane: every field and all its
//! limitations, scrolled when it does not fit; `b` buys it from here.

use super::super::layer::Handled;
use super::super::overlay::Scroll;
use super::super::{App, Cmd, Dialog, Layer};
use crate::api::AvailableNumber;

#[derive(Clone, Debug, PartialEq)]
pub struct ResultView {
    pub number: AvailableNumber,
    pub scroll: Scroll,
}

impl App {
    pub(in crate::app) fn result_command(&mut self, r: &mut ResultView, cmd: Cmd) -> Handled {
        if r.scroll.command(cmd, self.page, self.scroll_max) {
            return Handled::stay();
        }
        match cmd {
            Cmd::Back | Cmd::Quit => Handled::close(),
            Cmd::Buy => {
                self.ask_buy(r.number.clone());
                Handled::stay()
            }
            Cmd::Copy => Handled::stay().with(self.copy(r.number.msisdn.clone())),
            Cmd::Log | Cmd::Undo | Cmd::ShowRun => Handled::stay().with(self.common(cmd)),
            _ => Handled::stay(),
        }
    }

    /// The buy dialog for `n` (read-only refuses it before it gets here).
    pub(in crate::app) fn ask_buy(&mut self, n: AvailableNumber) {
        if self.refuse_read_only("buying") {
            return;
        }
        if n.msisdn
            .as_deref()
            .is_some_and(|m| self.refuse_in_flight(m))
        {
            return;
        }
        self.open(Layer::Dialog(Dialog::Buy {
            number: n,
            confirm_focused: false,
        }));
    }
}
