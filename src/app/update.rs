//! [`App::update`]: every command in every context, and every reply.

use std::time::Instant;

use tui_input::Input;

use crate::api::{ApiError, NumberRef, OwnedFilter, OwnedNumber, validate};

use super::dialog::{self, Dialog};
use super::edit::EditForm;
use super::form::{Field, Form, api_check, optional};
use super::{
    Action, App, Cmd, Context, Effect, FILTER_APP, FILTER_COUNTRY, FILTER_HAS_APP, Pane, Reply,
    Request, RequestId,
};

fn check_country(v: &str) -> Result<(), String> {
    optional(v, |v| api_check(validate::country(v)))
}
fn check_app(v: &str) -> Result<(), String> {
    optional(v, |v| api_check(validate::text("application id", v)))
}
fn check_has_app(v: &str) -> Result<(), String> {
    optional(v, |v| match v.trim().to_ascii_lowercase().as_str() {
        "yes" | "no" | "true" | "false" => Ok(()),
        _ => Err("yes, no, or empty for any".to_string()),
    })
}

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
            Action::Progress { id, progress } => {
                if let Some(l) = &mut self.owned.loading
                    && l.id == id
                {
                    l.progress = Some(progress);
                }
                Vec::new()
            }
            Action::Reply { id, reply } => self.reply(id, reply),
        }
    }

    fn tick(&mut self, now: Instant) {
        self.now = now;
        if self.busy() > 0 {
            self.spinner = self.spinner.wrapping_add(1);
        }
        self.messages.expire(now);
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
            Context::Edit => {
                if let Some(e) = &mut self.edit {
                    e.form.edit(req);
                    e.error = None;
                }
            }
            Context::SearchForm => self.search.form.edit(req),
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

    fn command(&mut self, cmd: Cmd) -> Vec<Effect> {
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
            Context::Dialog | Context::DialogText => self.dialog_command(cmd),
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
    fn common(&mut self, cmd: Cmd) -> Vec<Effect> {
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

    fn owned_command(&mut self, cmd: Cmd) -> Vec<Effect> {
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
            Cmd::Edit => {
                if let Some(n) = o.selected_number().cloned() {
                    self.detail = n.msisdn.clone();
                    self.open_edit(&n);
                }
            }
            Cmd::CancelNumber => {
                if let Some(n) = o.selected_number().cloned() {
                    self.ask_cancel(&n);
                }
            }
            Cmd::Refresh => return self.load_owned(),
            Cmd::ServerFilter => self.open_server_filter(),
            _ => return self.common(cmd),
        }
        self.owned.scroll_into_view(self.rows);
        Vec::new()
    }

    fn detail_command(&mut self, cmd: Cmd) -> Vec<Effect> {
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
            Cmd::NextPane | Cmd::PrevPane | Cmd::ShowSearch | Cmd::Log => {
                self.detail = None;
                return self.common(cmd);
            }
            _ => {}
        }
        Vec::new()
    }

    fn open_edit(&mut self, n: &OwnedNumber) {
        if self.refuse_read_only("editing") {
            return;
        }
        let known = n.msisdn.as_ref().and_then(|m| self.known.get(m));
        self.edit = Some(EditForm::new(n, known));
    }

    fn ask_cancel(&mut self, n: &OwnedNumber) {
        if self.refuse_read_only("cancelling a number") {
            return;
        }
        let (Some(country), Some(msisdn)) = (n.country.clone(), n.msisdn.clone()) else {
            self.error("this number has no country or msisdn: it cannot be cancelled from here");
            return;
        };
        self.dialog = Some(Dialog::CancelNumber {
            country,
            msisdn,
            typed: Input::default(),
        });
    }

    fn refuse_read_only(&mut self, what: &str) -> bool {
        if self.read_only {
            self.warn(format!("read-only mode: {what} is turned off"));
        }
        self.read_only
    }

    fn edit_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let Some(edit) = &mut self.edit else {
            return Vec::new();
        };
        match cmd {
            Cmd::Back => self.edit = None,
            Cmd::NextField | Cmd::Down => edit.form.next(),
            Cmd::PrevField | Cmd::Up => edit.form.prev(),
            Cmd::Submit => match edit.validated() {
                Err((at, message)) => {
                    edit.form.focus = at;
                    edit.error = Some((at, message));
                }
                Ok((change, after)) => {
                    let diff = dialog::owned_diff(&edit.original, &after);
                    if diff.is_empty() {
                        self.info("nothing to save: the form matches the number");
                        return Vec::new();
                    }
                    let warnings = change.warnings(&edit.number, edit.known.as_ref());
                    self.dialog = Some(Dialog::ConfirmUpdate {
                        country: edit.country.clone(),
                        msisdn: edit.msisdn.clone(),
                        change,
                        known: edit.known.clone(),
                        diff,
                        warnings,
                        confirm_focused: false,
                    });
                }
            },
            _ => {}
        }
        Vec::new()
    }

    fn open_server_filter(&mut self) {
        let f = &self.owned.server_filter;
        let has = match f.has_application {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        self.server_filter = Some(Form::new(vec![
            Field::new(
                "Country",
                "two letters, or empty for all",
                f.country.as_deref().unwrap_or(""),
                check_country,
            ),
            Field::new(
                "Application id",
                "only numbers linked to it",
                f.application_id.as_deref().unwrap_or(""),
                check_app,
            ),
            Field::new(
                "Has application",
                "yes, no, or empty for any",
                has,
                check_has_app,
            ),
        ]));
    }

    fn server_filter_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let Some(form) = &mut self.server_filter else {
            return Vec::new();
        };
        match cmd {
            Cmd::Back => self.server_filter = None,
            Cmd::NextField | Cmd::Down => form.next(),
            Cmd::PrevField | Cmd::Up => form.prev(),
            Cmd::Submit => {
                if let Some((at, _)) = form.first_error() {
                    form.focus = at;
                    return Vec::new();
                }
                let opt =
                    |i: usize| Some(form.value(i).trim().to_string()).filter(|v| !v.is_empty());
                let filter = OwnedFilter {
                    country: opt(FILTER_COUNTRY).map(|c| c.to_ascii_uppercase()),
                    application_id: opt(FILTER_APP),
                    has_application: opt(FILTER_HAS_APP)
                        .map(|v| matches!(v.to_ascii_lowercase().as_str(), "yes" | "true")),
                    pattern: None,
                };
                self.server_filter = None;
                self.owned.server_filter = filter;
                return self.load_owned();
            }
            _ => {}
        }
        Vec::new()
    }

    fn search_form_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let s = &mut self.search;
        match cmd {
            Cmd::NextField | Cmd::Down => s.form.next(),
            Cmd::PrevField | Cmd::Up => s.form.prev(),
            Cmd::Back => {
                if s.results.is_some() {
                    s.editing = false;
                } else {
                    self.pane = Pane::Owned;
                }
            }
            Cmd::Submit => match s.build_query() {
                Err((at, message)) => {
                    s.form.focus = at;
                    self.warn(format!("{}: {message}", self.search.form.fields[at].label));
                }
                Ok(query) => return self.run_search(query),
            },
            _ => {}
        }
        Vec::new()
    }

    fn run_search(&mut self, query: crate::api::SearchQuery) -> Vec<Effect> {
        if let Some(old) = self.search.in_flight.take() {
            self.pending.remove(&old);
        }
        let effect = self.request(Request::Search(query.clone()));
        let Effect::Api { id, .. } = &effect;
        self.search.in_flight = Some(*id);
        self.search.query = Some(query);
        self.search.editing = false;
        vec![effect]
    }

    fn search_results_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let rows = self.rows as isize;
        let s = &mut self.search;
        match cmd {
            Cmd::Up => s.move_by(-1),
            Cmd::Down => s.move_by(1),
            Cmd::PageUp => s.move_by(-rows),
            Cmd::PageDown => s.move_by(rows),
            Cmd::Top => s.selected = 0,
            Cmd::Bottom => s.move_by(isize::MAX),
            Cmd::Filter | Cmd::Back | Cmd::Edit => s.editing = true,
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
            Cmd::Buy => {
                if self.refuse_read_only("buying") {
                    return Vec::new();
                }
                if let Some(n) = self.search.selected_number().cloned() {
                    self.dialog = Some(Dialog::Buy {
                        number: n,
                        confirm_focused: false,
                    });
                }
            }
            _ => return self.common(cmd),
        }
        Vec::new()
    }

    fn dialog_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let Some(dialog) = &mut self.dialog else {
            return Vec::new();
        };
        match cmd {
            Cmd::Back | Cmd::Quit => {
                self.dialog = None;
                return Vec::new();
            }
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField => {
                dialog.toggle();
                return Vec::new();
            }
            Cmd::Submit => {}
            _ => return Vec::new(),
        }
        let Some(dialog) = self.dialog.take() else {
            return Vec::new();
        };
        match dialog {
            Dialog::Buy {
                number,
                confirm_focused: true,
            } => {
                let (Some(country), Some(msisdn)) = (number.country.clone(), number.msisdn.clone())
                else {
                    self.error("this number has no country or msisdn: it cannot be bought");
                    return Vec::new();
                };
                self.info(format!("buying {msisdn}…"));
                vec![self.request(Request::Buy(NumberRef::new(country, msisdn)))]
            }
            Dialog::CancelNumber {
                country,
                msisdn,
                typed,
            } => {
                if typed.value() != dialog::last_four(&msisdn) {
                    self.warn("the digits do not match: nothing was cancelled");
                    self.dialog = Some(Dialog::CancelNumber {
                        country,
                        msisdn,
                        typed,
                    });
                    return Vec::new();
                }
                self.info(format!("cancelling {msisdn}…"));
                vec![self.request(Request::Cancel(NumberRef::new(country, msisdn)))]
            }
            Dialog::ConfirmUpdate {
                country,
                msisdn,
                change,
                known,
                confirm_focused: true,
                ..
            } => {
                // The form stays open until the save succeeds: a refusal can be fixed there.
                self.info(format!("saving {msisdn}…"));
                vec![self.request(Request::Update {
                    country,
                    msisdn,
                    change,
                    known,
                })]
            }
            Dialog::Quit {
                confirm_focused: true,
            } => {
                self.quit = true;
                Vec::new()
            }
            // Enter on the focused safe button: close, nothing done.
            _ => Vec::new(),
        }
    }

    fn reply(&mut self, id: RequestId, reply: Reply) -> Vec<Effect> {
        let Some(request) = self.pending.remove(&id) else {
            tracing::debug!(id, "stale reply dropped");
            return Vec::new();
        };
        match (reply, request) {
            (Reply::Listed(result), _) => {
                self.owned.loading = None;
                match result {
                    Ok(numbers) => {
                        self.owned.set_numbers(numbers);
                        self.owned.scroll_into_view(self.rows);
                    }
                    Err(e) => self.api_error(&e),
                }
            }
            (Reply::Searched(result), _) => {
                self.search.in_flight = None;
                match result {
                    Ok(page) => {
                        if page.numbers.is_empty() {
                            self.info("no numbers match this search");
                        }
                        self.search.results = Some(page);
                        self.search.selected = 0;
                        self.search.offset = 0;
                    }
                    Err(e) => self.api_error(&e),
                }
            }
            (Reply::Bought(result), Request::Buy(number)) => match result {
                Ok(settled) => {
                    let bought = self.bought_number(&number);
                    self.search.remove(&number.msisdn);
                    self.info(format!(
                        "bought {} ({}){}",
                        number.msisdn,
                        number.country,
                        recovered(&settled.recovered_from)
                    ));
                    // Show it at once; the refresh brings the API's own view of it.
                    self.owned.upsert(bought);
                    return self.load_owned();
                }
                Err(e) => self.api_error(&e),
            },
            (Reply::Cancelled(result), Request::Cancel(number)) => match result {
                Ok(settled) => {
                    self.owned.remove(&number.msisdn);
                    if self.detail.as_deref() == Some(number.msisdn.as_str()) {
                        self.detail = None;
                        self.edit = None;
                    }
                    self.info(format!(
                        "cancelled {} ({}){}",
                        number.msisdn,
                        number.country,
                        recovered(&settled.recovered_from)
                    ));
                }
                Err(e) => self.api_error(&e),
            },
            (Reply::Updated(result), Request::Update { msisdn, .. }) => match result {
                Ok(outcome) => {
                    let updated = self
                        .owned
                        .numbers
                        .iter()
                        .find(|n| n.msisdn.as_deref() == Some(msisdn.as_str()))
                        .cloned();
                    if let Some(mut n) = updated {
                        apply_config(&mut n, &outcome.after);
                        self.owned.upsert(n);
                    }
                    self.known.insert(msisdn.clone(), outcome.after.clone());
                    if self.edit.as_ref().is_some_and(|e| e.msisdn == msisdn) {
                        self.edit = None;
                    }
                    match outcome.warnings.first() {
                        Some(w) => self.warn(format!("updated {msisdn}; {w}")),
                        None => self.info(format!("updated {msisdn}")),
                    }
                }
                Err(e) => self.api_error(&e),
            },
            (reply, request) => {
                tracing::warn!(?reply, ?request, "reply does not match its request");
            }
        }
        Vec::new()
    }

    /// The owned number a buy creates, from its search result (type, features) when known.
    fn bought_number(&self, number: &NumberRef) -> OwnedNumber {
        let found = self.search.results.as_ref().and_then(|p| {
            p.numbers
                .iter()
                .find(|n| n.msisdn.as_deref() == Some(number.msisdn.as_str()))
        });
        OwnedNumber {
            country: Some(number.country.clone()),
            msisdn: Some(number.msisdn.clone()),
            number_type: found.and_then(|n| n.number_type.clone()),
            features: found.map(|n| n.features.clone()).unwrap_or_default(),
            limitations: found.map(|n| n.limitations.clone()).unwrap_or_default(),
            ..Default::default()
        }
    }

    fn api_error(&mut self, e: &ApiError) {
        self.error(e.to_string());
    }
}

fn recovered(r: &Option<String>) -> String {
    match r {
        Some(cause) => format!(" (the answer was lost: {cause}; the owned list confirms it)"),
        None => String::new(),
    }
}

/// The number as it is after an update.
fn apply_config(n: &mut OwnedNumber, c: &crate::api::NumberConfig) {
    n.app_id = c.app_id.clone();
    n.mo_http_url = c.mo_http_url.clone();
    n.mo_smpp_sys_type = c.mo_smpp_sys_type.clone();
    n.voice_callback_type = c.voice_callback_type.clone();
    n.voice_callback_value = c.voice_callback_value.clone();
    n.voice_status_callback = c.voice_status_callback.clone();
    n.messages_callback_type = c.messages_callback_type.clone();
    n.messages_callback_value = c.messages_callback_value.clone();
}
