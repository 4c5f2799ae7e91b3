//! The layer stack: each base pane (Owned, Search) with the modal layers opened over it, the
//! newest on top. Where the keyboard is ([`App::context`]), which handler a command goes to,
//! where typed text goes, what `Esc` does (close the top layer: back to where it was opened
//! from) and the order the view draws in are all read from it; there is no other flag.
//!
//! A handler gets its layer out of the stack, with its own state, and says whether it stays
//! open ([`Handled`]); layers it opens meanwhile go above it.

use super::bulk::{BulkConfirm, BulkForm, RunPanel, UndoConfirm};
use super::detail::Detail;
use super::dialog::Dialog;
use super::edit::EditForm;
use super::export::ExportDialog;
use super::form::Form;
use super::overlay::{Help, LogView};
use super::{App, Context, Effect, Pane};

/// A modal layer, with its state.
#[derive(Debug)]
// Few at a time: boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Layer {
    /// The Owned list's filter line has the keyboard (the text is the pane's: it stays).
    Filter,
    Detail(Detail),
    Edit(EditForm),
    /// The API filters of the Owned list.
    ServerFilter(Form),
    /// The Search pane's form has the keyboard (the form is the pane's: it stays).
    SearchForm,
    BulkForm(BulkForm),
    BulkConfirm(BulkConfirm),
    UndoConfirm(UndoConfirm),
    /// The panel of the current or last bulk or undo run (the run is the app's).
    Run(RunPanel),
    Dialog(Dialog),
    Export(ExportDialog),
    Help(Help),
    Log(LogView),
}

impl Layer {
    /// Where the keyboard is while this layer is on top.
    pub fn context(&self) -> Context {
        match self {
            Layer::Filter => Context::OwnedFilter,
            Layer::Detail(_) => Context::Detail,
            Layer::Edit(_) => Context::Edit,
            Layer::ServerFilter(_) => Context::ServerFilter,
            Layer::SearchForm => Context::SearchForm,
            Layer::BulkForm(_) => Context::BulkForm,
            Layer::BulkConfirm(_) | Layer::UndoConfirm(_) => Context::Dialog,
            Layer::Run(_) => Context::Bulk,
            Layer::Dialog(d) => d.context(),
            Layer::Export(_) => Context::Export,
            Layer::Help(_) => Context::Help,
            Layer::Log(_) => Context::Log,
        }
    }

    /// Help and the log look at the moment: they close when the pane changes.
    fn transient(&self) -> bool {
        matches!(self, Layer::Help(_) | Layer::Log(_))
    }
}

/// What a handler did with its layer.
#[must_use]
pub(super) struct Handled {
    pub close: bool,
    pub effects: Vec<Effect>,
}

impl Handled {
    pub fn stay() -> Handled {
        Handled {
            close: false,
            effects: Vec::new(),
        }
    }
    pub fn close() -> Handled {
        Handled {
            close: true,
            effects: Vec::new(),
        }
    }
    pub fn with(mut self, effects: Vec<Effect>) -> Handled {
        self.effects = effects;
        self
    }
}

/// The base panes and, per pane, its layers (bottom first).
#[derive(Debug)]
pub struct Screen {
    pub pane: Pane,
    stacks: Vec<(Pane, Vec<Layer>)>,
}

impl Default for Screen {
    fn default() -> Self {
        Screen {
            pane: Pane::Owned,
            stacks: Pane::ALL.iter().map(|p| (*p, Vec::new())).collect(),
        }
    }
}

impl Screen {
    fn stack_of(&self, pane: Pane) -> &[Layer] {
        self.stacks
            .iter()
            .find(|(p, _)| *p == pane)
            .map_or(&[][..], |(_, s)| s.as_slice())
    }

    fn stack_mut(&mut self, pane: Pane) -> &mut Vec<Layer> {
        let i = self
            .stacks
            .iter()
            .position(|(p, _)| *p == pane)
            .unwrap_or_else(|| {
                self.stacks.push((pane, Vec::new()));
                self.stacks.len() - 1
            });
        &mut self.stacks[i].1
    }

    /// The layers over the current pane, bottom first: the view draws them in this order.
    pub fn layers(&self) -> &[Layer] {
        self.stack_of(self.pane)
    }

    /// The layers over `pane`, bottom first.
    pub fn layers_of(&self, pane: Pane) -> &[Layer] {
        self.stack_of(pane)
    }

    pub fn top(&self) -> Option<&Layer> {
        self.layers().last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Layer> {
        self.stack_mut(self.pane).last_mut()
    }

    pub fn push(&mut self, layer: Layer) {
        self.stack_mut(self.pane).push(layer);
    }

    /// Pushes onto `pane`'s stack, whichever pane is shown.
    pub fn push_on(&mut self, pane: Pane, layer: Layer) {
        self.stack_mut(pane).push(layer);
    }

    pub fn pop(&mut self) -> Option<Layer> {
        self.stack_mut(self.pane).pop()
    }

    /// Puts a layer back where it was taken from (layers opened meanwhile stay above it).
    fn reinsert(&mut self, pane: Pane, at: usize, layer: Layer) {
        let stack = self.stack_mut(pane);
        let at = at.min(stack.len());
        stack.insert(at, layer);
    }

    /// Shows `pane`: help and the log close, every other layer stays with its pane.
    pub fn show(&mut self, pane: Pane) {
        let stack = self.stack_mut(self.pane);
        while stack.last().is_some_and(Layer::transient) {
            stack.pop();
        }
        self.pane = pane;
    }

    /// Every layer of every pane, for replies that find theirs wherever it is.
    pub fn all_mut(&mut self) -> impl Iterator<Item = &mut Layer> {
        self.stacks.iter_mut().flat_map(|(_, s)| s.iter_mut())
    }

    /// Removes every layer, on any pane, that `drop` picks.
    pub fn remove_where(&mut self, drop: impl Fn(&Layer) -> bool) {
        for (_, s) in &mut self.stacks {
            s.retain(|l| !drop(l));
        }
    }

    pub fn any(&self, f: impl Fn(&Layer) -> bool) -> bool {
        self.stacks.iter().any(|(_, s)| s.iter().any(&f))
    }

    /// True when a layer `f` picks is over the current pane.
    pub fn has(&self, f: impl Fn(&Layer) -> bool) -> bool {
        self.layers().iter().any(f)
    }
}

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
    pub(super) fn route(&mut self, cmd: super::Cmd) -> Vec<Effect> {
        let pane = self.screen.pane;
        let Some(layer) = self.screen.pop() else {
            return match pane {
                Pane::Owned => self.owned_command(cmd),
                Pane::Search => self.search_results_command(cmd),
            };
        };
        let at = self.screen.layers().len();
        let mut layer = layer;
        let done = match &mut layer {
            Layer::Filter => self.filter_command(cmd),
            Layer::Detail(d) => self.detail_command(d, cmd),
            Layer::Edit(e) => self.edit_command(e, cmd),
            Layer::ServerFilter(f) => self.server_filter_command(f, cmd),
            Layer::SearchForm => self.search_form_command(cmd),
            Layer::BulkForm(f) => self.bulk_form_command(f, cmd),
            Layer::BulkConfirm(c) => self.bulk_confirm_command(c, cmd),
            Layer::UndoConfirm(c) => self.undo_confirm_command(c, cmd),
            Layer::Run(p) => self.run_panel_command(p, cmd),
            Layer::Dialog(d) => self.dialog_command(d, cmd),
            Layer::Export(e) => self.export_command(e, cmd),
            Layer::Help(h) => self.help_command(h, cmd),
            Layer::Log(l) => self.log_command(l, cmd),
        };
        if !done.close {
            self.screen.reinsert(pane, at, layer);
        }
        done.effects
    }

    /// Typed text goes to the top layer's field.
    pub(super) fn edit_text(&mut self, req: tui_input::InputRequest) {
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
            _ => {}
        }
    }

    /// Opens `layer` over the current pane.
    pub(super) fn open(&mut self, layer: Layer) {
        self.screen.push(layer);
    }
}

/// The open layers' state, for the view and for tests: the one nearest the top of the
/// current pane.
impl App {
    fn nearest<'a, T>(&'a self, f: impl Fn(&'a Layer) -> Option<&'a T>) -> Option<&'a T> {
        self.screen.layers().iter().rev().find_map(f)
    }

    fn nearest_mut<T>(&mut self, f: impl Fn(&mut Layer) -> Option<&mut T>) -> Option<&mut T> {
        let pane = self.screen.pane;
        self.screen.stack_mut(pane).iter_mut().rev().find_map(f)
    }

    pub fn dialog(&self) -> Option<&Dialog> {
        self.nearest(|l| match l {
            Layer::Dialog(d) => Some(d),
            _ => None,
        })
    }

    pub fn dialog_mut(&mut self) -> Option<&mut Dialog> {
        self.nearest_mut(|l| match l {
            Layer::Dialog(d) => Some(d),
            _ => None,
        })
    }

    pub fn edit_form(&self) -> Option<&EditForm> {
        self.nearest(|l| match l {
            Layer::Edit(e) => Some(e),
            _ => None,
        })
    }

    pub fn edit_form_mut(&mut self) -> Option<&mut EditForm> {
        self.nearest_mut(|l| match l {
            Layer::Edit(e) => Some(e),
            _ => None,
        })
    }

    pub fn bulk_form(&self) -> Option<&BulkForm> {
        self.nearest(|l| match l {
            Layer::BulkForm(b) => Some(b),
            _ => None,
        })
    }

    pub fn bulk_confirm(&self) -> Option<&BulkConfirm> {
        self.nearest(|l| match l {
            Layer::BulkConfirm(c) => Some(c),
            _ => None,
        })
    }

    pub fn undo_confirm(&self) -> Option<&UndoConfirm> {
        self.nearest(|l| match l {
            Layer::UndoConfirm(c) => Some(c),
            _ => None,
        })
    }

    pub fn export_dialog(&self) -> Option<&ExportDialog> {
        self.nearest(|l| match l {
            Layer::Export(e) => Some(e),
            _ => None,
        })
    }

    pub fn export_dialog_mut(&mut self) -> Option<&mut ExportDialog> {
        self.nearest_mut(|l| match l {
            Layer::Export(e) => Some(e),
            _ => None,
        })
    }

    /// The msisdn of the detail view open over the Owned pane.
    pub fn detail_msisdn(&self) -> Option<&str> {
        self.screen
            .layers_of(Pane::Owned)
            .iter()
            .rev()
            .find_map(|l| match l {
                Layer::Detail(d) => Some(d.msisdn.as_str()),
                _ => None,
            })
    }

    /// The form that has the keyboard (edit, bulk edit, API filters, search), if any.
    pub fn focused_form(&self) -> Option<&Form> {
        match self.screen.top()? {
            Layer::Edit(e) => Some(&e.form),
            Layer::BulkForm(b) => Some(&b.form),
            Layer::ServerFilter(f) => Some(f),
            Layer::SearchForm => Some(&self.search.form),
            _ => None,
        }
    }

    /// True when the panel of the bulk run is open over the current pane.
    pub fn run_panel_open(&self) -> bool {
        self.screen.has(|l| matches!(l, Layer::Run(_)))
    }
}
