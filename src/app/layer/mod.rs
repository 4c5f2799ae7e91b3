//! The layer stack: each base pane (Owned, Search, Applications) with the modal layers opened over it, the
//! newest on top. Where the keyboard is ([`App::context`]), which handler a command goes to,
//! where typed text goes, what `Esc` does (close the top layer: back to where it was opened
//! from) and the order the view draws in are all read from it; there is no other flag.
//!
//! A handler gets its layer out of the stack, with its own state, and says whether it stays
//! open ([`Handled`]); layers it opens meanwhile go above it.

use super::apps::edit::AppEditForm;
use super::apps::numbers::AppNumbers;
use super::bulk::{BulkConfirm, BulkForm, RunPanel, UndoConfirm};
use super::cut_short::CutShortConfirm;
use super::detail::Detail;
use super::dialog::Dialog;
use super::edit::EditForm;
use super::export::ExportDialog;
use super::form::Form;
use super::overlay::{Help, LogView};
use super::palette::Palette;
use super::search::ResultView;
use super::{Context, Effect, Pane};

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
    /// One search result opened whole.
    Result(ResultView),
    BulkForm(BulkForm),
    BulkConfirm(BulkConfirm),
    UndoConfirm(UndoConfirm),
    /// The offer to reconcile, or resume, a run cut short.
    CutShort(CutShortConfirm),
    /// The panel of the current or last bulk or undo run (the run is the app's).
    Run(RunPanel),
    Dialog(Dialog),
    Export(ExportDialog),
    Help(Help),
    Log(LogView),
    Palette(Palette),
    /// The Applications pane's filter line has the keyboard (the text is the pane's).
    AppsFilter,
    /// The owned numbers linked to one application.
    AppNumbers(AppNumbers),
    /// The form of one application's webhooks.
    AppEdit(AppEditForm),
    /// The application picker, over an edit form.
    AppPicker(AppPicker),
    /// The routing doctor's findings.
    Doctor(super::doctor::DoctorView),
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
            Layer::Result(_) => Context::SearchResult,
            Layer::BulkForm(_) => Context::BulkForm,
            Layer::BulkConfirm(_) | Layer::UndoConfirm(_) | Layer::CutShort(_) => Context::Dialog,
            Layer::Run(_) => Context::Bulk,
            Layer::Dialog(d) => d.context(),
            Layer::Export(_) => Context::Export,
            Layer::Help(_) => Context::Help,
            Layer::Log(_) => Context::Log,
            Layer::Palette(_) => Context::Palette,
            // The same keys as the Owned list's filter line and a number's edit form.
            Layer::AppsFilter => Context::OwnedFilter,
            Layer::AppNumbers(_) => Context::AppNumbers,
            Layer::AppEdit(_) => Context::Edit,
            Layer::AppPicker(_) => Context::AppPicker,
            Layer::Doctor(_) => Context::Doctor,
        }
    }

    /// A dialog: its text scrolls on a short screen ([`super::App::dialog_scroll`]).
    pub fn is_dialog(&self) -> bool {
        matches!(
            self,
            Layer::Dialog(_) | Layer::BulkConfirm(_) | Layer::UndoConfirm(_)
        )
    }

    /// Help and the log look at the moment: they close when the pane changes.
    fn transient(&self) -> bool {
        matches!(self, Layer::Help(_) | Layer::Log(_) | Layer::Palette(_))
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

    pub(super) fn stack_mut(&mut self, pane: Pane) -> &mut Vec<Layer> {
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
    pub(super) fn reinsert(&mut self, pane: Pane, at: usize, layer: Layer) {
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

mod find;
pub mod picker;
mod route;

pub use picker::{AppPicker, Pick};
