//! The Applications pane: every application (from [`super::Apps`]) with its capabilities, its
//! webhooks and how many owned numbers link to it; a filter as you type (`/`), a sort. `Enter`
//! opens its numbers (`numbers.rs`), `e` edits its webhooks (`edit.rs`).

use std::collections::HashMap;

use tui_input::Input;

use crate::api::OwnedNumber;
use crate::api::apps::Application;

use super::super::layer::Handled;
use super::super::{App, Cmd, Effect, Layer};
use super::numbers::AppNumbers;

/// What the pane sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AppSort {
    #[default]
    Name,
    /// How many owned numbers link to it.
    Numbers,
    Capabilities,
    Id,
}

impl AppSort {
    pub const ALL: [AppSort; 4] = [
        AppSort::Name,
        AppSort::Numbers,
        AppSort::Capabilities,
        AppSort::Id,
    ];

    fn next(self) -> AppSort {
        let i = AppSort::ALL.iter().position(|s| *s == self).unwrap_or(0);
        AppSort::ALL[(i + 1) % AppSort::ALL.len()]
    }

    pub fn title(self) -> &'static str {
        match self {
            AppSort::Name => "NAME",
            AppSort::Numbers => "NUMBERS",
            AppSort::Capabilities => "CAPABILITIES",
            AppSort::Id => "ID",
        }
    }
}

/// The pane's own state (the applications are [`App::apps`]).
#[derive(Debug, Default)]
pub struct AppsPane {
    /// Index of the selected row among those shown.
    pub selected: usize,
    pub offset: usize,
    pub filter: Input,
    pub sort: AppSort,
    pub reverse: bool,
}

/// How many of `numbers` link to each application id.
pub fn linked_counts(numbers: &[OwnedNumber]) -> HashMap<&str, usize> {
    let mut out: HashMap<&str, usize> = HashMap::new();
    for n in numbers {
        if let Some(id) = n.app_id.as_deref().filter(|id| !id.is_empty()) {
            *out.entry(id).or_default() += 1;
        }
    }
    out
}

/// True when every term of `filter` is in the application's name, id, capabilities or one of
/// its webhook addresses (any case).
fn matches(a: &Application, shown_name: &str, terms: &[String]) -> bool {
    terms.iter().all(|t| {
        shown_name.to_lowercase().contains(t)
            || a.id.to_lowercase().contains(t)
            || a.capabilities.iter().any(|c| c.to_lowercase().contains(t))
            || a.webhooks
                .iter()
                .any(|w| w.address.to_lowercase().contains(t))
    })
}

impl App {
    /// The rows of the Applications pane: indexes into [`super::Apps::list`], filtered and
    /// sorted, with each application's count of linked numbers.
    pub fn apps_shown(&self) -> Vec<(usize, usize)> {
        let p = &self.apps_pane;
        let counts = linked_counts(&self.owned.numbers);
        let terms: Vec<String> = p
            .filter
            .value()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let names = self.apps.names();
        let mut rows: Vec<(usize, usize)> = self
            .apps
            .list()
            .iter()
            .enumerate()
            .filter(|(i, a)| matches(a, &names[*i], &terms))
            .map(|(i, a)| (i, counts.get(a.id.as_str()).copied().unwrap_or(0)))
            .collect();
        let list = self.apps.list();
        match p.sort {
            // The list is by name already.
            AppSort::Name => {}
            AppSort::Numbers => rows.sort_by_key(|r| std::cmp::Reverse(r.1)),
            AppSort::Capabilities => rows.sort_by(|a, b| {
                list[a.0]
                    .capabilities
                    .join(",")
                    .cmp(&list[b.0].capabilities.join(","))
            }),
            AppSort::Id => rows.sort_by(|a, b| list[a.0].id.cmp(&list[b.0].id)),
        }
        if p.reverse {
            rows.reverse();
        }
        rows
    }

    /// The application under the cursor of the Applications pane.
    pub fn selected_app(&self) -> Option<&Application> {
        let rows = self.apps_shown();
        let (i, _) = rows.get(self.apps_pane.selected.min(rows.len().saturating_sub(1)))?;
        self.apps.list().get(*i)
    }

    /// Moves the pane's selection by `delta` rows (clamped).
    fn apps_move(&mut self, delta: isize) {
        let len = self.apps_shown().len();
        let p = &mut self.apps_pane;
        let at = (p.selected as isize + delta).clamp(0, len.saturating_sub(1) as isize);
        p.selected = at as usize;
    }

    /// The pane's commands (no layer open over it).
    pub(in crate::app) fn apps_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let page = self.rows.max(1) as isize;
        match cmd {
            Cmd::Down => self.apps_move(1),
            Cmd::Up => self.apps_move(-1),
            Cmd::PageDown => self.apps_move(page),
            Cmd::PageUp => self.apps_move(-page),
            Cmd::Top => self.apps_pane.selected = 0,
            Cmd::Bottom => self.apps_move(isize::MAX / 2),
            Cmd::Filter => self.open(Layer::AppsFilter),
            Cmd::Back if !self.apps_pane.filter.value().is_empty() => {
                self.apps_pane.filter = Input::default();
                self.apps_pane.selected = 0;
            }
            Cmd::SortNext => {
                self.apps_pane.sort = self.apps_pane.sort.next();
                self.apps_pane.selected = 0;
            }
            Cmd::SortReverse => {
                self.apps_pane.reverse = !self.apps_pane.reverse;
                self.apps_pane.selected = 0;
            }
            Cmd::Refresh => return self.refresh(),
            Cmd::Open => match self.selected_app() {
                Some(a) => {
                    let id = a.id.clone();
                    self.open(Layer::AppNumbers(AppNumbers::new(id)));
                }
                None => self.apps_none(),
            },
            Cmd::Edit => match self.selected_app().map(|a| a.id.clone()) {
                Some(id) => self.open_app_edit(&id),
                None => self.apps_none(),
            },
            _ => return self.common(cmd),
        }
        Vec::new()
    }

    /// Says why there is no application to act on.
    fn apps_none(&mut self) {
        let why = match &self.apps.unavailable {
            Some(why) => format!("applications unavailable: {why}"),
            None if !self.apps.loaded => "the applications are still loading".to_string(),
            None if self.apps.list().is_empty() => "this account has no applications".to_string(),
            None => "no application matches the filter".to_string(),
        };
        self.warn(why);
    }

    /// The filter line's commands: `Enter` keeps the filter, `Esc` clears it.
    pub(in crate::app) fn apps_filter_command(&mut self, cmd: Cmd) -> Handled {
        match cmd {
            Cmd::Submit => Handled::close(),
            Cmd::Back => {
                self.apps_pane.filter = Input::default();
                self.apps_pane.selected = 0;
                Handled::close()
            }
            Cmd::Down => {
                self.apps_move(1);
                Handled::stay()
            }
            Cmd::Up => {
                self.apps_move(-1);
                Handled::stay()
            }
            _ => Handled::stay(),
        }
    }

    /// Typed text in the filter line.
    pub(in crate::app) fn apps_filter_edit(&mut self, req: tui_input::InputRequest) {
        self.apps_pane.filter.handle(req);
        self.apps_pane.selected = 0;
        self.apps_pane.offset = 0;
    }
}
