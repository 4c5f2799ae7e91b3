//! The open layers' state, found in the stack: for the view and for tests.

use super::super::bulk::{BulkConfirm, BulkForm, UndoConfirm};
use super::super::dialog::Dialog;
use super::super::edit::EditForm;
use super::super::export::ExportDialog;
use super::super::form::Form;
use super::super::{App, Pane};
use super::Layer;

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
