//! The Search pane's results, when no layer is open over it: move, page, buy, copy, and
//! back to the form.

use super::super::overlay::Scroll;
use super::super::{App, Cmd, Effect, Layer};
use super::ResultView;

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
                let pages = u32::try_from(s.pages()).unwrap_or(u32::MAX);
                q.index = match cmd {
                    Cmd::NextPage if q.index < pages => q.index + 1,
                    Cmd::PrevPage if q.index > 1 => q.index - 1,
                    Cmd::Refresh => q.index,
                    Cmd::NextPage => {
                        self.info(format!("page {pages} is the last page of this search"));
                        return Vec::new();
                    }
                    _ => {
                        self.info("this is the first page of this search");
                        return Vec::new();
                    }
                };
                return self.run_search(q);
            }
            Cmd::Copy => {
                let m = self.search.selected_number().and_then(|n| n.msisdn.clone());
                return self.copy(m);
            }
            Cmd::Buy => {
                if let Some(n) = self.search.selected_number().cloned() {
                    self.ask_buy(n);
                }
            }
            Cmd::Open => {
                if let Some(n) = self.search.selected_number().cloned() {
                    self.open(Layer::Result(ResultView {
                        number: n,
                        scroll: Scroll::default(),
                    }));
                }
            }
            Cmd::SortNext => {
                let next = self.search.sort.next();
                self.search.set_sort(next, false);
                let label = next.label();
                self.info(format!("results of this page sorted by {label}"));
            }
            Cmd::SortReverse => {
                let (sort, reverse) = (self.search.sort, !self.search.reverse);
                self.search.set_sort(sort, reverse);
            }
            _ => return self.common(cmd),
        }
        Vec::new()
    }
}
