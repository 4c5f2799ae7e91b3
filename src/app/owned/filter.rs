//! The filter line of the Owned pane as a layer: typing narrows the list at once; `Enter` (or
//! a move) keeps the filter and gives the keyboard back to the list, `Esc` clears it.

use tui_input::Input;

use super::super::layer::Handled;
use super::super::{App, Cmd};

impl App {
    pub(in crate::app) fn filter_command(&mut self, cmd: Cmd) -> Handled {
        match cmd {
            Cmd::Back => {
                self.owned.filter = Input::default();
                self.owned.filter_changed();
                self.owned.scroll_into_view(self.rows);
                Handled::close()
            }
            Cmd::Submit => Handled::close(),
            Cmd::Down | Cmd::Up => Handled::close().with(self.owned_command(cmd)),
            _ => Handled::stay(),
        }
    }
}
