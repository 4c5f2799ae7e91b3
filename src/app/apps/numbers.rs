//! One application's numbers: the owned numbers linked to it, opened with `Enter` from the
//! Applications pane. From here numbers are linked to it (`l`: the marked numbers) and
//! unlinked (`d`: the marked ones among its numbers, else the selected one), through the bulk
//! confirmation and run the Owned pane's marked numbers use: each number read-modify-write,
//! journaled, undone with `u`.

use crate::api::{Change, NumberChange, OwnedNumber};

use super::super::layer::Handled;
use super::super::{App, Cmd, Effect};

/// The layer: which application, and the cursor in its numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppNumbers {
    pub app_id: String,
    pub selected: usize,
}

impl AppNumbers {
    pub fn new(app_id: String) -> AppNumbers {
        AppNumbers {
            app_id,
            selected: 0,
        }
    }
}

impl App {
    /// The owned numbers linked to application `id`, by msisdn.
    pub fn numbers_of_app(&self, id: &str) -> Vec<&OwnedNumber> {
        let mut out: Vec<&OwnedNumber> = self
            .owned
            .numbers
            .iter()
            .filter(|n| n.app_id.as_deref() == Some(id))
            .collect();
        out.sort_by(|a, b| a.msisdn.cmp(&b.msisdn));
        out
    }

    pub(in crate::app) fn app_numbers_command(&mut self, l: &mut AppNumbers, cmd: Cmd) -> Handled {
        let len = self.numbers_of_app(&l.app_id).len();
        let last = len.saturating_sub(1);
        let page = self.rows.max(1);
        match cmd {
            Cmd::Back | Cmd::Quit => return Handled::close(),
            Cmd::Down => l.selected = (l.selected + 1).min(last),
            Cmd::Up => l.selected = l.selected.saturating_sub(1),
            Cmd::PageDown => l.selected = (l.selected + page).min(last),
            Cmd::PageUp => l.selected = l.selected.saturating_sub(page),
            Cmd::Top => l.selected = 0,
            Cmd::Bottom => l.selected = last,
            Cmd::Mark => {
                let m = self
                    .numbers_of_app(&l.app_id)
                    .get(l.selected)
                    .and_then(|n| n.msisdn.clone());
                if let Some(m) = m {
                    self.marks.toggle(&m);
                    l.selected = (l.selected + 1).min(last);
                }
            }
            Cmd::Link => return Handled::stay().with(self.link_marked(&l.app_id)),
            Cmd::Unlink => return Handled::stay().with(self.unlink_from(l)),
            Cmd::Edit => {
                let id = l.app_id.clone();
                self.open_app_edit(&id);
            }
            Cmd::Refresh => return Handled::stay().with(self.refresh()),
            Cmd::Copy => {
                let m = self
                    .numbers_of_app(&l.app_id)
                    .get(l.selected)
                    .and_then(|n| n.msisdn.clone());
                return Handled::stay().with(self.copy(m));
            }
            _ => return Handled::stay().with(self.common(cmd)),
        }
        l.selected = l.selected.min(last);
        Handled::stay()
    }

    /// A bulk run is going on: said, and true.
    fn refuse_running(&mut self) -> bool {
        if self.bulk.running() {
            let (show, stop) = (self.keys.of(Cmd::ShowRun), self.keys.of(Cmd::StopRun));
            self.warn(format!(
                "a bulk run is in progress: wait for it, or stop it ({show}, then {stop})"
            ));
        }
        self.bulk.running()
    }

    /// `l`: links the marked numbers not linked to `id` yet.
    fn link_marked(&mut self, id: &str) -> Vec<Effect> {
        if self.refuse_read_only("linking numbers") || self.refuse_running() {
            return Vec::new();
        }
        let numbers: Vec<OwnedNumber> = self
            .marked_numbers()
            .into_iter()
            .filter(|n| n.app_id.as_deref() != Some(id))
            .cloned()
            .collect();
        if numbers.is_empty() {
            let (owned, mark) = (self.keys.of(Cmd::ShowOwned), self.keys.of(Cmd::Mark));
            self.info(format!(
                "nothing to link: mark numbers in the Owned pane ({owned}, then {mark}), then come back here"
            ));
            return Vec::new();
        }
        let change = NumberChange {
            app_id: Change::Set(id.to_string()),
            ..NumberChange::default()
        };
        self.bulk_from_apps(&numbers, change)
    }

    /// `d`: unlinks the marked numbers among the application's, else the selected one.
    fn unlink_from(&mut self, l: &AppNumbers) -> Vec<Effect> {
        if self.refuse_read_only("unlinking numbers") || self.refuse_running() {
            return Vec::new();
        }
        let linked = self.numbers_of_app(&l.app_id);
        let marked: Vec<OwnedNumber> = linked
            .iter()
            .filter(|n| n.msisdn.as_deref().is_some_and(|m| self.marks.contains(m)))
            .map(|n| (*n).clone())
            .collect();
        let numbers = if marked.is_empty() {
            linked
                .get(l.selected)
                .map(|n| vec![(*n).clone()])
                .unwrap_or_default()
        } else {
            marked
        };
        if numbers.is_empty() {
            self.info("no number is linked to this application");
            return Vec::new();
        }
        let change = NumberChange {
            app_id: Change::Clear,
            ..NumberChange::default()
        };
        self.bulk_from_apps(&numbers, change)
    }

    /// Opens the bulk confirmation of `change` on `numbers`.
    fn bulk_from_apps(&mut self, numbers: &[OwnedNumber], change: NumberChange) -> Vec<Effect> {
        self.ask_bulk_of(numbers, change).unwrap_or_else(|e| {
            self.warn(e);
            Vec::new()
        })
    }
}
