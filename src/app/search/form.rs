//! The Search pane's form as a layer: typing fills the fields, `Enter` searches and gives the
//! keyboard to the results, `Esc` gives it to the results without searching.

use super::super::layer::Handled;
use super::super::{App, Cmd, Effect, Request};

impl App {
    pub(in crate::app) fn search_form_command(&mut self, cmd: Cmd) -> Handled {
        let s = &mut self.search;
        match cmd {
            Cmd::NextField | Cmd::Down => s.form.next(),
            Cmd::PrevField | Cmd::Up => s.form.prev(),
            Cmd::Back => return Handled::close(),
            Cmd::Submit => match s.build_query() {
                Err((at, message)) => {
                    s.form.focus = at;
                    self.warn(format!("{}: {message}", self.search.form.fields[at].label));
                }
                Ok(query) => return Handled::close().with(self.run_search(query)),
            },
            _ => {}
        }
        Handled::stay()
    }

    pub(in crate::app) fn run_search(&mut self, query: crate::api::SearchQuery) -> Vec<Effect> {
        if let Some(old) = self.search.in_flight.take() {
            self.pending.remove(&old);
        }
        let (id, effect) = self.request_id(Request::Search(query.clone()));
        self.search.in_flight = Some(id);
        self.search.query = Some(query);
        vec![effect]
    }
}
