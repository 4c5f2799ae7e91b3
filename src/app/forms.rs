//! The commands of the forms: the edit form, the API filter form, the search form and the
//! search results.

use crate::api::{OwnedFilter, validate};

use super::dialog::{self, Dialog};
use super::form::{Field, Form, api_check, optional};
use super::{App, Cmd, Effect, FILTER_APP, FILTER_COUNTRY, FILTER_HAS_APP, Pane, Request};

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
    pub(super) fn edit_command(&mut self, cmd: Cmd) -> Vec<Effect> {
        let Some(msisdn) = self.edit.as_ref().map(|e| e.msisdn.clone()) else {
            return Vec::new();
        };
        // A second Save while the first is in flight: refused, the form stays as it is.
        if cmd == Cmd::Submit && self.refuse_in_flight(&msisdn) {
            return Vec::new();
        }
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
                    let mut warnings = change.warnings(&edit.number, edit.known.as_ref());
                    let (country, msisdn, known) = (
                        edit.country.clone(),
                        edit.msisdn.clone(),
                        edit.known.clone(),
                    );
                    warnings.extend(self.local_webhook_warning(&change));
                    let check = self.start_webhook_check(&change);
                    let (webhook, effects) = match check {
                        Some((c, e)) => (Some(c), vec![e]),
                        None => (None, Vec::new()),
                    };
                    self.dialog = Some(Dialog::ConfirmUpdate {
                        country,
                        msisdn,
                        change,
                        known,
                        diff,
                        warnings,
                        confirm_focused: false,
                        webhook,
                    });
                    return effects;
                }
            },
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn open_server_filter(&mut self) {
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

    pub(super) fn server_filter_command(&mut self, cmd: Cmd) -> Vec<Effect> {
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

    pub(super) fn search_form_command(&mut self, cmd: Cmd) -> Vec<Effect> {
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

    pub(super) fn run_search(&mut self, query: crate::api::SearchQuery) -> Vec<Effect> {
        if let Some(old) = self.search.in_flight.take() {
            self.pending.remove(&old);
        }
        let (id, effect) = self.request_id(Request::Search(query.clone()));
        self.search.in_flight = Some(id);
        self.search.query = Some(query);
        self.search.editing = false;
        vec![effect]
    }

    pub(super) fn search_results_command(&mut self, cmd: Cmd) -> Vec<Effect> {
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
            Cmd::Copy => {
                let m = self.search.selected_number().and_then(|n| n.msisdn.clone());
                return self.copy(m);
            }
            Cmd::Buy => {
                if self.refuse_read_only("buying") {
                    return Vec::new();
                }
                if let Some(n) = self.search.selected_number().cloned() {
                    if n.msisdn
                        .as_deref()
                        .is_some_and(|m| self.refuse_in_flight(m))
                    {
                        return Vec::new();
                    }
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
}
