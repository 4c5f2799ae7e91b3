//! The API filters of the Owned pane (country, application, linked or not) as a layer: a form
//! whose values the server applies on the next load.

use crate::api::{OwnedFilter, validate};

use super::form::{Field, Form, api_check, optional};
use super::layer::Handled;
use super::{App, Cmd, FILTER_APP, FILTER_COUNTRY, FILTER_HAS_APP, Layer};

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
    pub(super) fn open_server_filter(&mut self) {
        let f = &self.owned.server_filter;
        let has = match f.has_application {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        self.open(Layer::ServerFilter(Form::new(vec![
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
        ])));
    }

    pub(super) fn server_filter_command(&mut self, form: &mut Form, cmd: Cmd) -> Handled {
        match cmd {
            Cmd::Back => return Handled::close(),
            Cmd::NextField | Cmd::Down => form.next(),
            Cmd::PrevField | Cmd::Up => form.prev(),
            Cmd::Submit => {
                if let Some((at, _)) = form.first_error() {
                    form.focus = at;
                    return Handled::stay();
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
                self.owned.server_filter = filter;
                return Handled::close().with(self.load_owned());
            }
            _ => {}
        }
        Handled::stay()
    }
}
