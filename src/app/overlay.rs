//! Help and the message log, over any layer, and the scrolling they share with the detail
//! view and the run panel.

use super::layer::Handled;
use super::{App, Cmd};

/// How far a long text is scrolled (lines from its top). The loop says how many lines there
/// are to scroll ([`super::Action::Viewport`]), so the offset never passes the end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: usize,
}

impl Scroll {
    /// Moves for a scrolling command; false when `cmd` does not scroll.
    pub fn command(&mut self, cmd: Cmd, page: usize, max: usize) -> bool {
        let page = page.max(1);
        self.offset = match cmd {
            Cmd::Down => self.offset + 1,
            Cmd::Up => self.offset.saturating_sub(1),
            Cmd::PageDown => self.offset + page,
            Cmd::PageUp => self.offset.saturating_sub(page),
            Cmd::Top => 0,
            Cmd::Bottom => max,
            _ => return false,
        }
        .min(max);
        true
    }
}

/// The help overlay: the keys of the layer under it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Help {
    pub scroll: Scroll,
}

/// The message log: every message of the session, newest first; one opened whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogView {
    /// The selected entry (0: the newest).
    pub selected: usize,
    /// The selected entry is shown whole.
    pub open: bool,
    pub scroll: Scroll,
}

impl App {
    pub(super) fn help_command(&mut self, h: &mut Help, cmd: Cmd) -> Handled {
        if h.scroll.command(cmd, self.page, self.scroll_max) {
            return Handled::stay();
        }
        match cmd {
            Cmd::Back | Cmd::Quit | Cmd::Help => Handled::close(),
            _ => Handled::stay(),
        }
    }

    pub(super) fn log_command(&mut self, l: &mut LogView, cmd: Cmd) -> Handled {
        let last = self.messages.log.len().saturating_sub(1);
        if l.open {
            if l.scroll.command(cmd, self.page, self.scroll_max) {
                return Handled::stay();
            }
            if matches!(cmd, Cmd::Back | Cmd::Open | Cmd::Submit) {
                l.open = false;
                l.scroll = Scroll::default();
                return Handled::stay();
            }
        }
        let page = self.page.max(1);
        match cmd {
            Cmd::Down => l.selected = (l.selected + 1).min(last),
            Cmd::Up => l.selected = l.selected.saturating_sub(1),
            Cmd::PageDown => l.selected = (l.selected + page).min(last),
            Cmd::PageUp => l.selected = l.selected.saturating_sub(page),
            Cmd::Top => l.selected = 0,
            Cmd::Bottom => l.selected = last,
            Cmd::Open | Cmd::Submit if !self.messages.log.is_empty() => l.open = true,
            Cmd::Back | Cmd::Quit | Cmd::Log => return Handled::close(),
            _ => {}
        }
        Handled::stay()
    }
}
