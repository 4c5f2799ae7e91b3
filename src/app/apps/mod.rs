//! The account's applications and balance as the TUI knows them: every application by id, the
//! name each id is shown with, and why they are unavailable when they are (a key that may not
//! use the Applications API keeps working with ids, and is told why once).

mod balance;
pub mod edit;
pub mod numbers;
pub mod pane;
mod routing;

use std::collections::HashMap;
use std::sync::Arc;

use crate::api::ApiError;
use crate::api::apps::{Application, Balance};

use super::{App, Effect, Request, RequestId};

pub use balance::{BuySums, buy_sums, price};
pub use routing::{Routes, routes};

/// The applications, their display names, and the balance.
#[derive(Debug, Default)]
pub struct Apps {
    /// Every application, by name then id; empty until loaded.
    list: Vec<Application>,
    /// The index in `list` of each id.
    index: HashMap<String, usize>,
    /// The name each application is shown with, parallel to `list`: its name, with a short id
    /// suffix when another application has the same name.
    names: Vec<String>,
    /// The same by id, with whether the list is known.
    by_id: Names,
    /// True once a list has arrived (an account may have none).
    pub loaded: bool,
    /// Why the applications cannot be read, while they cannot.
    pub unavailable: Option<String>,
    /// The load in flight.
    pub loading: Option<RequestId>,
    /// The account's balance, once read.
    pub balance: Option<Balance>,
    /// Why the balance cannot be read, while it cannot.
    pub balance_unavailable: Option<String>,
    pub balance_loading: Option<RequestId>,
    /// The reason last said for the applications, and for the balance: a failure is said once,
    /// not on every refresh, until a read succeeds again.
    said_apps: Option<String>,
    said_balance: Option<String>,
}

/// The name each application id is shown with, as a value the Owned pane keeps (cheap to
/// clone): what [`Apps::display`] says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    by_id: Arc<HashMap<String, String>>,
    /// The applications are known: an id none has is marked unknown.
    known: bool,
}

impl Names {
    /// The name `id` is shown with (see [`Apps::display`]).
    pub fn display(&self, id: &str) -> String {
        if id.is_empty() {
            return String::new();
        }
        match self.by_id.get(id) {
            Some(name) => name.clone(),
            None if self.known => format!("unknown {id}"),
            None => id.to_string(),
        }
    }

    /// True when `id` is known not to be any application's.
    pub fn is_unknown(&self, id: &str) -> bool {
        !id.is_empty() && self.known && !self.by_id.contains_key(id)
    }
}

/// An id shown short: its first 8 characters.
pub fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

impl Apps {
    /// Replaces the applications with `apps`.
    pub fn set(&mut self, mut apps: Vec<Application>) {
        apps.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        apps.dedup_by(|a, b| a.id == b.id);
        self.index = apps
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        self.names = display_names(&apps);
        self.list = apps;
        self.loaded = true;
        self.unavailable = None;
        self.by_id = Names {
            by_id: Arc::new(
                self.list
                    .iter()
                    .zip(&self.names)
                    .map(|(a, n)| (a.id.clone(), n.clone()))
                    .collect(),
            ),
            known: true,
        };
    }

    /// The applications are not known (a refused key): ids are shown as they are.
    fn forget(&mut self) {
        self.set(Vec::new());
        self.loaded = false;
        self.by_id.known = false;
    }

    /// The names by id, for the Owned pane.
    pub fn names_by_id(&self) -> Names {
        self.by_id.clone()
    }

    /// Every application, by name then id.
    pub fn list(&self) -> &[Application] {
        &self.list
    }

    /// The application with this id.
    pub fn get(&self, id: &str) -> Option<&Application> {
        self.index.get(id).map(|&i| &self.list[i])
    }

    /// The name application `id` is shown with: its name (a short id suffix when two share
    /// it), `unknown id` when no application has it, the bare id while the applications are
    /// not known.
    pub fn display(&self, id: &str) -> String {
        self.by_id.display(id)
    }

    /// The display name of each application, parallel to [`Apps::list`].
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// True when `id` is known not to be any application's.
    pub fn is_unknown(&self, id: &str) -> bool {
        self.by_id.is_unknown(id)
    }

    /// What buying `n` does to the balance (`None` while the balance or a price is unknown).
    pub fn buy_sums(&self, n: &crate::api::AvailableNumber) -> Option<BuySums> {
        buy_sums(self.balance, n)
    }

    /// The applications as the doctor takes them: `None` while they are not known.
    pub fn for_doctor(&self) -> Option<&[Application]> {
        self.by_id.known.then_some(self.list.as_slice())
    }
}

/// Each application's name, made distinct: a name two applications share gets the shortest id
/// prefix (8 characters at least) that tells them apart; an empty name is the id.
fn display_names(apps: &[Application]) -> Vec<String> {
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for a in apps {
        by_name.entry(a.name.trim()).or_default().push(&a.id);
    }
    apps.iter()
        .map(|a| {
            let name = a.name.trim();
            if name.is_empty() {
                return a.id.clone();
            }
            let same = &by_name[name];
            if same.len() < 2 {
                return name.to_string();
            }
            let mut n = 8;
            while n < a.id.len()
                && same
                    .iter()
                    .any(|o| *o != a.id && o.get(..n).is_some_and(|p| a.id.starts_with(p)))
            {
                n += 1;
            }
            format!("{name} ({})", a.id.get(..n).unwrap_or(&a.id))
        })
        .collect()
}

/// True when the failure `e` is not the one `said` holds (and now it does). A refusal of the
/// key is one failure whatever its words; others are told apart by their message.
fn first_time(said: &mut Option<String>, e: &ApiError) -> bool {
    let key = match e {
        ApiError::Authentication { .. } => "refused".to_string(),
        e => e.to_string(),
    };
    if said.as_deref() == Some(key.as_str()) {
        return false;
    }
    *said = Some(key);
    true
}

impl App {
    /// Loads the applications and the balance (at start and on refresh).
    pub(super) fn load_apps(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(old) = self.apps.loading.take() {
            self.pending.remove(&old);
        }
        let (id, e) = self.request_id(Request::Applications);
        self.apps.loading = Some(id);
        effects.push(e);
        effects.extend(self.load_balance());
        effects
    }

    /// Reads the balance again (after a buy).
    pub(super) fn load_balance(&mut self) -> Vec<Effect> {
        if let Some(old) = self.apps.balance_loading.take() {
            self.pending.remove(&old);
        }
        let (id, e) = self.request_id(Request::Balance);
        self.apps.balance_loading = Some(id);
        vec![e]
    }

    pub(super) fn applications_read(&mut self, result: Result<Vec<Application>, ApiError>) {
        self.apps.loading = None;
        match result {
            Ok(apps) => {
                self.apps.set(apps);
                self.apps.said_apps = None;
            }
            Err(e) => {
                let why = e.to_string();
                if matches!(e, ApiError::Authentication { .. }) {
                    // Ids it is, until a refresh succeeds.
                    self.apps.forget();
                }
                self.apps.unavailable = Some(why.clone());
                if first_time(&mut self.apps.said_apps, &e) {
                    tracing::warn!(reason = %why, "applications unavailable");
                    // A side note: it does not hide an error on screen (the list's, when the
                    // server is down for both).
                    self.messages.push_behind_errors(
                        self.now,
                        super::Level::Warn,
                        format!("applications unavailable (numbers show app ids): {why}"),
                    );
                }
            }
        }
        // The APPLICATION column shows the names (or the ids).
        self.owned.set_app_names(self.apps.names_by_id());
    }

    pub(super) fn balance_read(&mut self, result: Result<Balance, ApiError>) {
        self.apps.balance_loading = None;
        match result {
            Ok(b) => {
                self.apps.balance = Some(b);
                self.apps.balance_unavailable = None;
                self.apps.said_balance = None;
            }
            Err(e) => {
                let why = e.to_string();
                self.apps.balance_unavailable = Some(why.clone());
                if first_time(&mut self.apps.said_balance, &e) {
                    tracing::warn!(reason = %why, "balance unavailable");
                    self.messages.push_behind_errors(
                        self.now,
                        super::Level::Warn,
                        format!("balance unavailable: {why}"),
                    );
                }
            }
        }
    }
}
