//! [`App::update`]: the dispatch of every action; the commands that work from every layer
//! (quit now, help, the panes) and those the panes share. Each layer's commands are in its
//! own file (see `layer.rs`); replies in `replies.rs`.

use std::time::Instant;

use super::dialog::Dialog;
use super::overlay::{Help, LogView};
use crate::api::OwnedNumber;

use super::{Action, App, Cmd, Effect, Hit, Layer, Pane};

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
            Action::Waiting(what) => {
                // Nothing in flight waits for anything.
                self.waiting = what.filter(|_| self.busy() > 0);
                Vec::new()
            }
            Action::Sent(n) => {
                self.sent = n;
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
            Action::Scrollable { page, max } => {
                self.page = page.max(1);
                self.scroll_max = max;
                self.clamp_scroll();
                Vec::new()
            }
            Action::Click(hit) => self.click(hit),
            Action::Reply { id, reply } => {
                let effects = self.reply(id, reply);
                self.recheck_doctor();
                effects
            }
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

    pub(super) fn command(&mut self, cmd: Cmd) -> Vec<Effect> {
        // From every layer (the keymap gives them keys that do not type where text is typed).
        match cmd {
            Cmd::ForceQuit => {
                self.quit = true;
                Vec::new()
            }
            Cmd::Help => {
                if matches!(self.screen.top(), Some(Layer::Help(_))) {
                    self.screen.pop();
                } else {
                    self.open(Layer::Help(Help::default()));
                }
                Vec::new()
            }
            Cmd::Palette => {
                self.open_palette();
                Vec::new()
            }
            Cmd::ShowOwned | Cmd::ShowSearch | Cmd::ShowApps | Cmd::NextPane | Cmd::PrevPane => {
                let pane = self.pane();
                self.screen.show(match cmd {
                    Cmd::ShowOwned => Pane::Owned,
                    Cmd::ShowSearch => Pane::Search,
                    Cmd::ShowApps => Pane::Apps,
                    Cmd::NextPane => pane.cycle(1),
                    _ => pane.cycle(-1),
                });
                Vec::new()
            }
            // Refused here, for every layer: exactly what help and the hints leave out.
            _ if self.read_only && cmd.changes_account() => {
                self.warn(format!("read-only mode: {} is turned off", cmd.describe()));
                Vec::new()
            }
            _ => self.route(cmd),
        }
    }

    /// Commands shared by the two panes' normal mode.
    pub(super) fn common(&mut self, cmd: Cmd) -> Vec<Effect> {
        match cmd {
            Cmd::Log => self.open(Layer::Log(LogView::default())),
            Cmd::Undo => return self.ask_undo(),
            Cmd::ShowRun => self.show_run(),
            Cmd::Quit => {
                if self.changes_in_flight() > 0 {
                    self.open(Layer::Dialog(Dialog::Quit {
                        confirm_focused: false,
                    }));
                } else {
                    self.quit = true;
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// A click: a tab shows its pane, a row is selected, a button pressed.
    fn click(&mut self, hit: Hit) -> Vec<Effect> {
        match hit {
            Hit::Tab(p) => self.screen.show(p),
            Hit::Yes => return self.command(Cmd::Yes),
            Hit::No => return self.command(Cmd::No),
            Hit::Row(i) => match (self.screen.pane, self.screen.top_mut()) {
                (_, Some(Layer::Log(l))) => l.selected = i,
                (_, Some(_)) => {}
                (Pane::Owned, None) => {
                    self.owned.selected = i.min(self.owned.shown.len().saturating_sub(1));
                    self.owned.scroll_into_view(self.rows);
                }
                (Pane::Apps, None) => {
                    self.apps_pane.selected = i.min(self.apps_shown().len().saturating_sub(1));
                }
                (_, None) => {
                    let len = self.search.results.as_ref().map_or(0, |p| p.numbers.len());
                    self.search.selected = i.min(len.saturating_sub(1));
                }
            },
        }
        Vec::new()
    }

    /// Keeps the top layer's scroll inside its text (after a resize).
    fn clamp_scroll(&mut self) {
        let max = self.scroll_max;
        let scroll = match self.screen.top_mut() {
            Some(Layer::Detail(d)) => &mut d.scroll,
            Some(Layer::Help(h)) => &mut h.scroll,
            Some(Layer::Log(l)) => &mut l.scroll,
            Some(Layer::Result(r)) => &mut r.scroll,
            Some(Layer::Run(p)) => &mut p.scroll,
            _ => return,
        };
        scroll.offset = scroll.offset.min(max);
    }

    pub(super) fn refuse_read_only(&mut self, what: &str) -> bool {
        if self.read_only {
            self.warn(format!("read-only mode: {what} is turned off"));
        }
        self.read_only
    }
}
