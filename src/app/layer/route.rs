//! The stack at work: where the keyboard is, which handler a command goes to, where typed
//! text goes.

use super::super::{App, Context, Effect, Pane};
use super::Layer;

impl App {
    /// Where the keyboard is: the top layer, else the pane.
    pub fn context(&self) -> Context {
        match self.screen.top() {
            Some(l) => l.context(),
            None => self.pane().context(),
        }
    }

    /// The context under the top layer (the help shows its keys).
    pub fn context_below_top(&self) -> Context {
        let layers = self.screen.layers();
        match layers.len() {
            0 | 1 => self.pane().context(),
            n => layers[n - 2].context(),
        }
    }

    /// The Search pane's form is open (it has the keyboard when on top).
    pub fn search_form_open(&self) -> bool {
        self.screen
            .layers_of(Pane::Search)
            .iter()
            .any(|l| matches!(l, Layer::SearchForm))
    }

    /// The pane shown.
    pub fn pane(&self) -> Pane {
        self.screen.pane
    }

    /// Runs the top layer's handler on `cmd`, or the pane's when no layer is open.
    pub(in crate::app) fn route(&mut self, cmd: super::super::Cmd) -> Vec<Effect> {
        let pane = self.screen.pane;
        let Some(layer) = self.screen.pop() else {
            return match pane {
                Pane::Owned => self.owned_command(cmd),
                Pane::Search => self.search_results_command(cmd),
                Pane::Apps => self.apps_command(cmd),
            };
        };
        let at = self.screen.layers().len();
        let mut layer = layer;
        // A dialog too long for the screen scrolls; its buttons do not move.
        if layer.is_dialog()
            && self
                .dialog_scroll
                .command(cmd, self.page.saturating_sub(4), self.scroll_max)
        {
            self.screen.reinsert(pane, at, layer);
            return Vec::new();
        }
        let done = match &mut layer {
            Layer::Filter => self.filter_command(cmd),
            Layer::Detail(d) => self.detail_command(d, cmd),
            Layer::Edit(e) => self.edit_command(e, cmd),
            Layer::ServerFilter(f) => self.server_filter_command(f, cmd),
            Layer::SearchForm => self.search_form_command(cmd),
            Layer::Result(r) => self.result_command(r, cmd),
            Layer::BulkForm(f) => self.bulk_form_command(f, cmd),
            Layer::BulkConfirm(c) => self.bulk_confirm_command(c, cmd),
            Layer::UndoConfirm(c) => self.undo_confirm_command(c, cmd),
            Layer::CutShort(c) => self.cut_short_command(c, cmd),
            Layer::Run(p) => self.run_panel_command(p, cmd),
            Layer::Dialog(d) => self.dialog_command(d, cmd),
            Layer::Export(e) => self.export_command(e, cmd),
            Layer::Help(h) => self.help_command(h, cmd),
            Layer::Log(l) => self.log_command(l, cmd),
            Layer::Palette(p) => self.palette_command(p, cmd),
            Layer::AppsFilter => self.apps_filter_command(cmd),
            Layer::AppNumbers(l) => self.app_numbers_command(l, cmd),
            Layer::AppEdit(e) => self.app_edit_command(e, cmd),
            Layer::AppPicker(p) => self.picker_command(p, cmd),
            Layer::Doctor(d) => self.doctor_command(d, cmd),
        };
        if !done.close {
            self.screen.reinsert(pane, at, layer);
        }
        done.effects
    }

    /// Typed text goes to the top layer's field.
    pub(in crate::app) fn edit_text(&mut self, req: tui_input::InputRequest) {
        let Some(top) = self.screen.top_mut() else {
            return;
        };
        match top {
            Layer::Filter => {
                self.owned.filter.handle(req);
                self.owned.filter_changed();
                self.owned.scroll_into_view(self.rows);
            }
            Layer::ServerFilter(f) => f.edit(req),
            Layer::Edit(e) => {
                e.form.edit(req);
                e.error = None;
            }
            Layer::BulkForm(b) => {
                b.form.edit(req);
                b.error = None;
            }
            Layer::SearchForm => self.search.form.edit(req),
            Layer::Export(e) => e.edit(req),
            Layer::Dialog(d) => d.edit(req),
            Layer::Palette(p) => p.edit(req),
            Layer::AppsFilter => self.apps_filter_edit(req),
            Layer::AppEdit(e) => {
                e.form.edit(req);
                e.error = None;
            }
            Layer::AppPicker(p) => p.edit(req),
            _ => {}
        }
    }

    /// Opens `layer` over the current pane.
    pub(in crate::app) fn open(&mut self, layer: Layer) {
        if layer.is_dialog() {
            self.dialog_scroll = Default::default();
        }
        self.screen.push(layer);
    }
}
