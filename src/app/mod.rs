//! The whole behaviour of the TUI, with no I/O: [`App::update`] takes an [`Action`] (a key's
//! command, a tick, a reply from the network) and returns the [`Effect`]s to run. A test drives
//! it with actions and inspects the state, with no terminal and no network.

mod action;
pub mod apps;
pub mod bulk;
mod cmd;
pub mod cut_short;
pub mod detail;
pub mod dialog;
pub mod doctor;
pub mod edit;
pub mod export;
pub mod form;
mod in_flight;
pub mod layer;
pub mod marks;
pub mod messages;
pub mod overlay;
pub mod owned;
pub mod palette;
mod replies;
pub mod search;
mod server_filter;
pub mod undo;
mod update;
pub mod webhook;

use std::collections::{BTreeMap, HashMap};
use std::time::{Instant, SystemTime};

use crate::api::{NumberConfig, OwnedNumber};

pub use action::{Action, Effect, Hit, Reply, Request};
pub use apps::Apps;
pub use bulk::BulkState;
pub use cmd::{Cmd, Group, KeyNames};
pub use dialog::Dialog;
pub use edit::EditForm;
pub use export::{ExportFailure, ExportFormat};
pub use form::Form;
pub use layer::{Layer, Screen};
pub use marks::Marks;
pub use messages::{Level, Messages};
pub use owned::{Column, OwnedPane};
pub use search::SearchPane;

pub type RequestId = u64;

/// What the app talks to, for the header: LIVE or SANDBOX, where, and the api key (never the
/// secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub live: bool,
    pub base_url: String,
    pub api_key: String,
}

/// A base pane: the bottom of a stack of layers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Pane {
    #[default]
    Owned,
    Search,
    /// The account's applications (`apps::pane`).
    Apps,
}

impl Pane {
    /// Every pane, in tab order.
    pub const ALL: [Pane; 3] = [Pane::Owned, Pane::Search, Pane::Apps];

    /// Where the keyboard is when no layer is open over the pane.
    pub fn context(self) -> Context {
        match self {
            Pane::Owned => Context::Owned,
            Pane::Search => Context::SearchResults,
            Pane::Apps => Context::Apps,
        }
    }

    /// The tab's name in the header.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Owned => "Owned",
            Pane::Search => "Search",
            Pane::Apps => "Apps",
        }
    }

    /// The command that shows this pane.
    pub fn show_cmd(self) -> Cmd {
        match self {
            Pane::Owned => Cmd::ShowOwned,
            Pane::Search => Cmd::ShowSearch,
            Pane::Apps => Cmd::ShowApps,
        }
    }

    /// The pane `step` tabs away.
    pub fn cycle(self, step: isize) -> Pane {
        let n = Pane::ALL.len() as isize;
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0) as isize;
        Pane::ALL[(i + step).rem_euclid(n) as usize]
    }
}

/// Where the keyboard is: decides what a key means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Owned,
    OwnedFilter,
    ServerFilter,
    Detail,
    Edit,
    /// The form of a bulk edit of the marked numbers.
    BulkForm,
    SearchForm,
    SearchResults,
    /// One search result opened whole.
    SearchResult,
    /// A dialog with two buttons.
    Dialog,
    /// A dialog that takes typed text (cancel: the last four digits).
    DialogText,
    Help,
    Log,
    /// The export dialog: the file name takes text.
    Export,
    /// The panel of a bulk or undo run: progress, then results.
    Bulk,
    /// The command palette: its line takes text.
    Palette,
    /// The Applications pane's table.
    Apps,
    /// The owned numbers linked to one application (opened from the Applications pane).
    AppNumbers,
    /// The application picker over an edit form: its line takes text.
    AppPicker,
    /// The routing doctor's findings.
    Doctor,
}

impl Context {
    /// Every context.
    pub const ALL: [Context; 20] = [
        Context::Owned,
        Context::OwnedFilter,
        Context::ServerFilter,
        Context::Detail,
        Context::Edit,
        Context::BulkForm,
        Context::SearchForm,
        Context::SearchResults,
        Context::SearchResult,
        Context::Dialog,
        Context::DialogText,
        Context::Help,
        Context::Log,
        Context::Export,
        Context::Bulk,
        Context::Palette,
        Context::Apps,
        Context::AppNumbers,
        Context::AppPicker,
        Context::Doctor,
    ];

    /// True where printable keys are text, not commands.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Context::OwnedFilter
                | Context::ServerFilter
                | Context::Edit
                | Context::BulkForm
                | Context::SearchForm
                | Context::DialogText
                | Context::Export
                | Context::Palette
                | Context::AppPicker
        )
    }
}

/// The server-side filter form of the Owned pane.
pub const FILTER_COUNTRY: usize = 0;
pub const FILTER_APP: usize = 1;
pub const FILTER_HAS_APP: usize = 2;

#[derive(Debug)]
pub struct App {
    pub target: Target,
    pub read_only: bool,
    /// The panes and the layers open over them.
    pub screen: Screen,
    pub owned: OwnedPane,
    pub search: SearchPane,
    pub messages: Messages,
    /// Requests in flight, by id. A reply whose id is not here is stale and dropped.
    pub pending: BTreeMap<RequestId, Request>,
    /// Values the API does not return (voiceStatusCallback, moSmppSysType), as this session
    /// set them, by msisdn.
    pub known: HashMap<String, NumberConfig>,
    pub now: Instant,
    pub spinner: usize,
    /// Rows of the table area, for page moves.
    pub rows: usize,
    /// Lines the top layer's scrolled text shows at once, and how far it scrolls.
    pub page: usize,
    pub scroll_max: usize,
    pub quit: bool,
    /// The wall clock at `now`, for names with a date (export files); given by the loop.
    pub wall: Option<(Instant, SystemTime)>,
    /// Marked numbers, for bulk edits.
    pub marks: Marks,
    /// Bulk edits, undo, and their run.
    pub bulk: BulkState,
    /// The keys as bound, for messages that name one.
    pub keys: KeyNames,
    /// What a request in flight has waited for 2 s or more (the client's own words: "waiting
    /// 12s for … to answer …"), said in the status line while no message is shown.
    pub waiting: Option<String>,
    /// The account's applications and balance.
    pub apps: Apps,
    /// The Applications pane: its selection, filter and sort.
    pub apps_pane: apps::pane::AppsPane,
    /// HTTP requests in flight, as the client counts them ([`Action::Sent`]).
    pub sent: usize,
    /// How far the dialog on top (a confirmation) is scrolled, on a screen too short for it;
    /// back to its top when a dialog opens.
    pub dialog_scroll: overlay::Scroll,
    next_id: RequestId,
}

impl App {
    pub fn new(target: Target, now: Instant) -> App {
        let mut screen = Screen::default();
        // The Search pane opens on its form.
        screen.push_on(Pane::Search, Layer::SearchForm);
        App {
            target,
            read_only: false,
            screen,
            owned: OwnedPane::default(),
            search: SearchPane::default(),
            messages: Messages::new(now),
            pending: BTreeMap::new(),
            known: HashMap::new(),
            now,
            spinner: 0,
            rows: 20,
            page: 20,
            scroll_max: 0,
            quit: false,
            wall: None,
            marks: Marks::default(),
            bulk: BulkState::default(),
            keys: KeyNames::default(),
            waiting: None,
            apps: Apps::default(),
            apps_pane: Default::default(),
            sent: 0,
            dialog_scroll: overlay::Scroll::default(),
            next_id: 1,
        }
    }

    /// The effects to run at start: load the owned list, the applications and the balance.
    pub fn start(&mut self) -> Vec<Effect> {
        self.refresh()
    }

    /// Loads the owned list, the applications and the balance again.
    fn refresh(&mut self) -> Vec<Effect> {
        let mut effects = self.load_owned();
        effects.extend(self.load_apps());
        effects
    }

    /// Requests in flight.
    pub fn busy(&self) -> usize {
        self.pending.len()
    }

    /// Changes (buy, cancel, update) in flight.
    pub fn changes_in_flight(&self) -> usize {
        self.pending.values().filter(|r| r.is_change()).count()
    }

    /// True while something on screen moves or expires: the loop ticks only then.
    pub fn animating(&self) -> bool {
        self.busy() > 0 || !self.messages.toasts.is_empty()
    }

    /// The owned number with this msisdn.
    pub fn owned_number(&self, msisdn: &str) -> Option<&OwnedNumber> {
        self.owned
            .numbers
            .iter()
            .find(|n| n.msisdn.as_deref() == Some(msisdn))
    }

    /// The number of the detail view or edit form nearest the top of the Owned pane.
    pub fn detail_number(&self) -> Option<&OwnedNumber> {
        let m = self
            .screen
            .layers_of(Pane::Owned)
            .iter()
            .rev()
            .find_map(|l| match l {
                Layer::Detail(d) => Some(d.msisdn.as_str()),
                Layer::Edit(e) => Some(e.msisdn.as_str()),
                _ => None,
            })?;
        self.owned_number(m)
    }

    fn request(&mut self, request: Request) -> Effect {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.insert(id, request.clone());
        Effect::Api { id, request }
    }

    /// A request, and its id.
    fn request_id(&mut self, request: Request) -> (RequestId, Effect) {
        let id = self.next_id;
        (id, self.request(request))
    }

    fn info(&mut self, text: impl Into<String>) {
        self.messages.push(self.now, Level::Info, text);
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.messages.push(self.now, Level::Warn, text);
    }

    fn error(&mut self, text: impl Into<String>) {
        self.messages.push(self.now, Level::Error, text);
    }

    fn load_owned(&mut self) -> Vec<Effect> {
        self.read_owned(1)
    }

    /// Read `read` of the owned list (more than 1: the last read was not whole).
    fn read_owned(&mut self, read: u32) -> Vec<Effect> {
        // A newer load replaces an older one: its reply becomes stale.
        if let Some(old) = self.owned.loading.take() {
            self.pending.remove(&old.id);
        }
        let (id, effect) = self.request_id(Request::ListAll(self.owned.server_filter.clone()));
        self.owned.loading = Some(owned::Loading {
            id,
            progress: None,
            read,
        });
        vec![effect]
    }
}

#[cfg(test)]
mod tests;
