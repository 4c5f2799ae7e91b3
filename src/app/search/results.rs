//! The Search pane's results, when no layer is open over it: move, page, buy, copy, and
//! back to the form.

use super::super::{App, Cmd, Dialog, Effect, Layer};

impl App {
    pub(in crate::app) fn search_results_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let rows = self.rows as isize;
        let s = &mut self.search;
        match cmd {
            Cmd::Up => s.move_by(-1),
            Cmd::Down => s.move_by(1),
            Cmd::PageUp => s.move_by(-rows),
            Cmd::PageDown => s.move_by(rows),
            Cmd::Top => s.selected = 0,
            Cmd::Bottom => s.move_by(isize::MAX),
            Cmd::EditSearch => self.open(Layer::SearchForm),
            Cmd::NextPage | Cmd::PrevPage | Cmd::Refresh => {
                let Some(mut q) = s.query.clone() else {
                    return Vec::new();
                };
                let pages = s.pages() as u32;
                q.index = match cmd {
                    Cmd::NextPage if q.index < pages => q.index + 1,
                    Cmd::PrevPage if q.index > 1 => q.index - 1,
                    Cmd::Refresh => q.index,
                    _ => return Vec::new(),
                };
                return self.run_search(q);
            }
            Cmd::Copy => {
                let m = self.search.selected_number().and_then(|n| n.msisdn.clone());
                return self.copy(m);
            }
            Cmd::Buy => {
                if self.refuse_read_only("buying") {
                    return Vec::new();
                }
                if let Some(n) = self.search.selected_number().cloned() {
                    self.open(Layer::Dialog(Dialog::Buy {
                        number: n,
                        confirm_focused: false,
                    }));
                }
            }
            _ => return self.common(cmd),
        }
        Vec::new()
    }
}
