//! The Owned pane's own commands, when no layer is open over it: move, filter, sort, open,
//! edit, mark, cancel, refresh, copy, export.

use tui_input::Input;

use super::super::detail::Detail;
use super::super::{App, Cmd, Effect, Layer};

impl App {
    pub(in crate::app) fn owned_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let rows = self.rows as isize;
        let o = &mut self.owned;
        match cmd {
            Cmd::Up => o.move_by(-1),
            Cmd::Down => o.move_by(1),
            Cmd::PageUp => o.move_by(-rows),
            Cmd::PageDown => o.move_by(rows),
            Cmd::Top => o.selected = 0,
            Cmd::Bottom => o.select_last(),
            Cmd::Filter => self.open(Layer::Filter),
            Cmd::Back if !o.filter.value().is_empty() => {
                o.filter = Input::default();
                o.filter_changed();
            }
            Cmd::SortNext => {
                let next = o.sort.next();
                o.set_sort(next, false);
            }
            Cmd::SortReverse => {
                let (s, r) = (o.sort, !o.reverse);
                o.set_sort(s, r);
            }
            Cmd::Open => {
                if let Some(m) = o.selected_msisdn() {
                    self.open(Layer::Detail(Detail::new(m)));
                }
            }
            Cmd::Edit if !self.marks.is_empty() => self.open_bulk_edit(),
            Cmd::Edit => {
                if let Some(n) = o.selected_number().cloned() {
                    self.open_edit(&n);
                }
            }
            Cmd::Mark => {
                if !self.refuse_read_only("marking for a bulk edit") {
                    self.toggle_mark();
                }
            }
            Cmd::MarkAll => {
                if !self.refuse_read_only("marking for a bulk edit") {
                    self.mark_shown();
                }
            }
            Cmd::ClearMarks => {
                self.marks.clear();
                self.info("marks cleared");
            }
            Cmd::CancelNumber => {
                if let Some(n) = o.selected_number().cloned() {
                    self.ask_cancel(&n);
                }
            }
            Cmd::Refresh => return self.refresh(),
            Cmd::ServerFilter => self.open_server_filter(),
            Cmd::Doctor => self.open_doctor(),
            Cmd::Copy => {
                let m = o.selected_msisdn();
                return self.copy(m);
            }
            Cmd::Export => self.open_export(),
            _ => return self.common(cmd),
        }
        self.owned.scroll_into_view(self.rows);
        Vec::new()
    }
}
