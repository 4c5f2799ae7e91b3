//! [`App::update`]: the dispatch of every action, and the commands of the two panes' lists
//! and of the detail view. Forms are in `forms.rs`, dialogs in `confirm.rs`, replies in
//! `replies.rs`.

use std::time::Instant;

use tui_input::Input;

use crate::api::OwnedNumber;

use super::dialog::Dialog;
use super::edit::EditForm;
use super::{Action, App, Cmd, Context, Effect, Pane};

impl App {
    /// Applies one action; returns the effects to run.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Cmd(cmd) => self.command(cmd),
            Action::Edit(req) => {
                self.edit_text(req);
                Vec::new()
            }
            Action::Tick(now) => {
                self.tick(now);
                Vec::new()
            }
            Action::Viewport { rows } => {
                self.rows = rows.max(1);
                self.owned.scroll_into_view(self.rows);
                Vec::new()
            }
            Action::Progress {
                id,
                progress,
                numbers,
            } => {
                if let Some(l) = &mut self.owned.loading
                    && l.id == id
                {
                    l.progress = Some(progress);
                    // On the first load, pages are shown as they arrive (merged on the next
                    // tick); a refresh keeps the list it has until the new one is complete.
                    // Nothing on screen yet: show the first page now, not on the next tick.
                    if self.owned.receive_page(id, &progress, numbers) {
                        self.owned.merge_incoming();
                        self.owned.scroll_into_view(self.rows);
                    }
                }
                Vec::new()
            }
            Action::Reply { id, reply } => self.reply(id, reply),
            Action::Cached { numbers, age } => {
                self.cached(numbers, age);
                Vec::new()
            }
            Action::BulkProgress { id, progress } => {
                self.run_progress(id, progress);
                Vec::new()
            }
        }
    }

    /// The list kept from an earlier run: shown at once, marked with its age, when nothing
    /// fresher is on screen; the load in flight replaces it.
    fn cached(&mut self, numbers: Vec<OwnedNumber>, age: std::time::Duration) {
        if self.owned.loaded || !self.owned.numbers.is_empty() {
            return;
        }
        self.owned.set_numbers(numbers);
        self.owned.cached = Some(super::owned::CachedAge { age, at: self.now });
        self.owned.scroll_into_view(self.rows);
    }

    fn tick(&mut self, now: Instant) {
        self.now = now;
        if self.busy() > 0 {
            self.spinner = self.spinner.wrapping_add(1);
        }
        self.messages.expire(now);
        if self.owned.has_unmerged() {
            self.owned.merge_incoming();
            self.owned.scroll_into_view(self.rows);
        }
    }

    fn edit_text(&mut self, req: tui_input::InputRequest) {
        match self.context() {
            Context::OwnedFilter => {
                self.owned.filter.handle(req);
                self.owned.filter_changed();
                self.owned.scroll_into_view(self.rows);
            }
            Context::ServerFilter => {
                if let Some(f) = &mut self.server_filter {
                    f.edit(req);
                }
            }
            Context::Edit if self.bulk.form.is_some() => {
                if let Some(b) = &mut self.bulk.form {
                    b.form.edit(req);
                    b.error = None;
                }
            }
            Context::Edit => {
                if let Some(e) = &mut self.edit {
                    e.form.edit(req);
                    e.error = None;
                }
            }
            Context::SearchForm => self.search.form.edit(req),
            Context::Export => {
                if let Some(Dialog::Export { path, .. }) = &mut self.dialog {
                    path.handle(req);
                }
            }
            Context::DialogText => {
                if let Some(Dialog::CancelNumber { typed, .. }) = &mut self.dialog
                    && typed.value().len() < 8
                {
                    typed.handle(req);
                }
            }
            _ => {}
        }
    }

    pub(super) fn command(&mut self, cmd: Cmd) -> Vec<Effect> {
        // Always available.
        match cmd {
            Cmd::ForceQuit => {
                self.quit = true;
                return Vec::new();
            }
            Cmd::Help if !self.context().takes_text() => {
                self.help = !self.help;
                return Vec::new();
            }
            _ => {}
        }
        match self.context() {
            Context::Dialog if self.bulk.dialog_open() => self.bulk_dialog_command(cmd),
            Context::Edit if self.bulk.form.is_some() => self.bulk_form_command(cmd),
            Context::Bulk => self.bulk_panel_command(cmd),
            Context::Dialog | Context::DialogText | Context::Export => self.dialog_command(cmd),
            Context::Help | Context::Log => {
                if matches!(cmd, Cmd::Back | Cmd::Help | Cmd::Log | Cmd::Quit) {
                    self.help = false;
                    self.log = false;
                }
                Vec::new()
            }
            Context::OwnedFilter => {
                match cmd {
                    Cmd::Back => {
                        self.owned.filter = Input::default();
                        self.owned.filtering = false;
                        self.owned.filter_changed();
                    }
                    Cmd::Submit | Cmd::Down | Cmd::Up => {
                        self.owned.filtering = false;
                        return self.command(cmd);
                    }
                    _ => {}
                }
                Vec::new()
            }
            Context::ServerFilter => self.server_filter_command(cmd),
            Context::Edit => self.edit_command(cmd),
            Context::SearchForm => self.search_form_command(cmd),
            Context::Detail => self.detail_command(cmd),
            Context::Owned => self.owned_command(cmd),
            Context::SearchResults => self.search_results_command(cmd),
        }
    }

    /// Commands shared by the two panes' normal mode.
    pub(super) fn common(&mut self, cmd: Cmd) -> Vec<Effect> {
        match cmd {
            Cmd::NextPane | Cmd::PrevPane => {
                self.pane = match self.pane {
                    Pane::Owned => Pane::Search,
                    Pane::Search => Pane::Owned,
                };
            }
            Cmd::ShowOwned => self.pane = Pane::Owned,
            Cmd::ShowSearch => self.pane = Pane::Search,
            Cmd::Log => self.log = true,
            Cmd::Undo => return self.ask_undo(),
            Cmd::ShowRun if self.bulk.run.is_some() => self.bulk.panel = true,
            Cmd::ShowRun => self.info("no bulk run yet: mark numbers (Space, a), then e"),
            Cmd::Quit => {
                if self.changes_in_flight() > 0 {
                    self.dialog = Some(Dialog::Quit {
                        confirm_focused: false,
                    });
                } else {
                    self.quit = true;
                }
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn owned_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let rows = self.rows as isize;
        let o = &mut self.owned;
        match cmd {
            Cmd::Up => o.move_by(-1),
            Cmd::Down => o.move_by(1),
            Cmd::PageUp => o.move_by(-rows),
            Cmd::PageDown => o.move_by(rows),
            Cmd::Top => o.selected = 0,
            Cmd::Bottom => o.select_last(),
            Cmd::Filter => o.filtering = true,
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
                self.detail = o.selected_msisdn();
            }
            Cmd::Edit if !self.marks.is_empty() => self.open_bulk_edit(),
            Cmd::Edit => {
                if let Some(n) = o.selected_number().cloned() {
                    self.detail = n.msisdn.clone();
                    self.open_edit(&n);
                }
            }
            Cmd::Mark => self.toggle_mark(),
            Cmd::MarkAll => self.mark_shown(),
            Cmd::ClearMarks => {
                self.marks.clear();
                self.info("marks cleared");
            }
            Cmd::CancelNumber => {
                if let Some(n) = o.selected_number().cloned() {
                    self.ask_cancel(&n);
                }
            }
            Cmd::Refresh => return self.load_owned(),
            Cmd::ServerFilter => self.open_server_filter(),
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

    pub(super) fn detail_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        match cmd {
            Cmd::Back | Cmd::Quit => self.detail = None,
            Cmd::Edit => {
                if let Some(n) = self.detail_number().cloned() {
                    self.open_edit(&n);
                }
            }
            Cmd::CancelNumber => {
                if let Some(n) = self.detail_number().cloned() {
                    self.ask_cancel(&n);
                }
            }
            Cmd::Refresh => return self.load_owned(),
            Cmd::Copy => return self.copy(self.detail.clone()),
            Cmd::NextPane | Cmd::PrevPane | Cmd::ShowSearch | Cmd::Log => {
                self.detail = None;
                return self.common(cmd);
            }
            Cmd::Undo | Cmd::ShowRun => return self.common(cmd),
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn open_edit(&mut self, n: &OwnedNumber) {
        if self.refuse_read_only("editing") {
            return;
        }
        let known = n.msisdn.as_ref().and_then(|m| self.known.get(m));
        self.edit = Some(EditForm::new(n, known));
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
        self.dialog = Some(Dialog::CancelNumber {
            country,
            msisdn,
            typed: Input::default(),
        });
    }

    pub(super) fn refuse_read_only(&mut self, what: &str) -> bool {
        if self.read_only {
            self.warn(format!("read-only mode: {what} is turned off"));
        }
        self.read_only
    }
}
