//! The application picker, over the edit form (single or bulk): every application, found by
//! a few letters of its name or id (the palette's fuzzy match); `Enter` links the number to
//! the one selected, or unlinks it; a typed id is offered as it is (it still works while the
//! applications cannot be read). `Esc` closes it, the form unchanged.

use tui_input::{Input, InputRequest};

use super::super::edit::APP_ID;
use super::super::palette::fuzzy;
use super::super::{App, Cmd, Layer};
use super::Handled;
use crate::app::bulk::REMOVE;

#[derive(Clone, Debug, Default)]
pub struct AppPicker {
    pub query: Input,
    /// Index into [`App::picker_items`].
    pub selected: usize,
}

impl AppPicker {
    pub fn edit(&mut self, req: InputRequest) {
        if let InputRequest::InsertChar(c) = req
            && (c.is_control() || self.query.value().chars().count() >= 100)
        {
            return;
        }
        self.query.handle(req);
        self.selected = 0;
    }
}

/// `8-4-4-4-12` hex digits: the shape of an application id.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// One choice of the picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pick {
    /// No application.
    Unlink,
    /// An application: its id and the name it is shown with.
    App { id: String, shown: String },
    /// The typed text, as an id.
    Typed(String),
}

impl App {
    /// The picker's choices for `query`: with no query, unlink then every application (by
    /// name); else the applications it matches, best first, then the text itself as an id.
    pub fn picker_items(&self, query: &str) -> Vec<Pick> {
        let query = query.trim();
        let mut ranked: Vec<(usize, Pick)> = self
            .apps
            .list()
            .iter()
            .zip(self.apps.names())
            .filter_map(|(a, shown)| {
                let rank = fuzzy(query, &format!("{shown} {}", a.id))?;
                Some((
                    rank,
                    Pick::App {
                        id: a.id.clone(),
                        shown: shown.clone(),
                    },
                ))
            })
            .collect();
        ranked.sort_by_key(|(r, _)| *r);
        let mut items = Vec::with_capacity(ranked.len() + 1);
        if query.is_empty() {
            items.push(Pick::Unlink);
        }
        items.extend(ranked.into_iter().map(|(_, p)| p));
        let exact = items
            .iter()
            .any(|p| matches!(p, Pick::App { id, .. } if id == query));
        // The text itself, as an id: while the applications are not known, anything an id can
        // be; once they are, only what has an id's shape (a few letters are a search).
        let as_id = if self.apps.loaded {
            is_uuid(query)
        } else {
            crate::api::apps::app_id(query).is_ok()
        };
        if as_id && !exact {
            items.push(Pick::Typed(query.to_string()));
        }
        items
    }

    /// Opens the picker over the edit form (single or bulk) whose handler calls this (the
    /// form is out of the stack meanwhile: the picker goes above it).
    pub(in crate::app) fn open_picker(&mut self) {
        self.open(Layer::AppPicker(AppPicker::default()));
    }

    pub(in crate::app) fn picker_command(&mut self, p: &mut AppPicker, cmd: Cmd) -> Handled {
        let items = self.picker_items(p.query.value());
        match cmd {
            Cmd::Back => Handled::close(),
            Cmd::Down | Cmd::NextField => {
                p.selected = (p.selected + 1).min(items.len().saturating_sub(1));
                Handled::stay()
            }
            Cmd::Up | Cmd::PrevField => {
                p.selected = p.selected.saturating_sub(1);
                Handled::stay()
            }
            Cmd::Submit => match items.get(p.selected) {
                Some(pick) => {
                    self.picked(pick);
                    Handled::close()
                }
                None => Handled::stay(),
            },
            _ => Handled::stay(),
        }
    }

    /// Puts the choice in the application field of the form under the picker (it is on top
    /// once the picker is taken out of the stack).
    fn picked(&mut self, pick: &Pick) {
        let (form, error, bulk) = match self.screen.top_mut() {
            Some(Layer::Edit(e)) => (&mut e.form, &mut e.error, false),
            Some(Layer::BulkForm(b)) => (&mut b.form, &mut b.error, true),
            _ => return,
        };
        let value = match pick {
            // The bulk form's blank means "unchanged": unlinking is its `-`.
            Pick::Unlink if bulk => REMOVE.to_string(),
            Pick::Unlink => String::new(),
            Pick::App { id, .. } => id.clone(),
            Pick::Typed(t) => t.clone(),
        };
        if let Some(f) = form.fields.get_mut(APP_ID) {
            f.input = Input::new(value);
        }
        form.focus = APP_ID;
        *error = None;
    }
}
