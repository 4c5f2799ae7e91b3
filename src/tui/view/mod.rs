//! Drawing: pure functions of the [`App`] state (they change nothing). One file per part of
//! the screen: the header, the panes, the detail view and edit form, the popups, the bottom.
//!
//! Every string that came from the server is passed through [`text::safe`] before it is drawn.

mod apps;
mod bulk;
mod bulk_dialog;
mod columns;
mod detail;
mod dialog;
mod doctor;
mod edit;
mod export;
mod filter;
mod form;
mod header;
mod help;
mod log;
pub mod mouse;
mod owned;
mod palette;
mod picker;
mod popup;
mod search;
mod search_result;
mod status;
pub mod text;
mod widgets;

#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{App, Layer, Pane};

use super::keymap::Keymap;
use super::theme::Theme;

/// Header, body and bottom of a screen of this size.
fn split(app: &App, area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(status::height(app)),
    ])
    .areas(area)
}

/// Draws the whole screen: the header, the pane, then its layers bottom to top (the
/// order of the stack: what is on top is drawn last), then the bottom lines.
pub fn draw(app: &App, keymap: &Keymap, theme: &Theme, frame: &mut Frame) {
    let [top, body, bottom] = split(app, frame.area());
    header::draw(app, keymap, theme, frame, top);
    match app.pane() {
        Pane::Owned => owned::draw(app, theme, frame, body),
        Pane::Search => search::draw(app, theme, frame, body),
        Pane::Apps => apps::draw(app, keymap, theme, frame, body),
    }
    for layer in app.screen.layers() {
        match layer {
            // Drawn by their panes (the filter line, the search form), focused from here.
            Layer::Filter | Layer::SearchForm | Layer::AppsFilter => {}
            Layer::AppNumbers(l) => apps::draw_numbers(app, l, keymap, theme, frame, body),
            Layer::AppEdit(e) => apps::draw_edit(app, e, keymap, theme, frame, body),
            Layer::Detail(d) => detail::draw(app, d, keymap, theme, frame, body),
            Layer::Result(r) => search_result::draw(r, keymap, theme, frame, body),
            Layer::Edit(e) => detail::draw_edit(app, e, keymap, theme, frame, body),
            Layer::ServerFilter(form) => filter::draw(app, form, theme, frame, body),
            Layer::BulkForm(bf) => bulk::draw_form(app, bf, keymap, theme, frame, body),
            Layer::BulkConfirm(c) => {
                bulk_dialog::draw_confirm(app, c, (keymap, theme), frame, body)
            }
            Layer::UndoConfirm(c) => bulk_dialog::draw_undo(app, c, (keymap, theme), frame, body),
            Layer::CutShort(c) => bulk_dialog::draw_cut_short(app, c, (keymap, theme), frame, body),
            Layer::Run(p) => bulk::draw_panel(app, p, keymap, theme, frame, body),
            Layer::Dialog(d) => dialog::draw(app, d, keymap, theme, frame, body),
            Layer::Export(e) => export::export(app, e, keymap, theme, frame, body),
            Layer::Help(h) => help::draw(app, h, keymap, theme, frame, body),
            Layer::Log(l) => log::draw(app, l, theme, frame, body),
            Layer::Palette(p) => palette::draw(app, p, theme, frame, body),
            Layer::AppPicker(p) => picker::draw(app, p, theme, frame, body),
            Layer::Doctor(d) => doctor::draw(app, d, keymap, theme, frame, body),
        }
    }
    status::draw(app, keymap, theme, frame, bottom);
}

/// Rows of the Owned table on a screen of `area` (for `Action::Viewport`, so page moves
/// match what is drawn): the body less the borders, the column titles and the filter line.
pub fn table_rows(app: &App, area: Rect) -> usize {
    let [_, body, _] = split(app, area);
    let filter = owned::filter_line(app) as u16;
    body.height.saturating_sub(3 + filter).max(1) as usize
}

/// How many lines the top layer's text shows at once and how far it scrolls, on a screen of
/// `area` (for `Action::Scrollable`, so scrolling stops at the end of what is drawn).
pub fn scrollable(app: &App, keymap: &Keymap, area: Rect) -> (usize, usize) {
    let [_, body, _] = split(app, area);
    let page = body.height.saturating_sub(2).max(1) as usize;
    let max = match app.screen.top() {
        Some(Layer::Detail(d)) => detail::scroll_max(app, &d.msisdn, body),
        Some(Layer::Help(_)) => help::scroll_max(app, keymap, body),
        Some(Layer::Result(r)) => search_result::scroll_max(r, body),
        Some(Layer::Run(p)) if p.open => bulk::scroll_max(app, body),
        Some(Layer::Log(l)) if l.open => log::scroll_max(app, l, body),
        Some(Layer::Dialog(d)) => dialog::scroll_max(app, d, keymap, body),
        Some(Layer::BulkConfirm(_) | Layer::UndoConfirm(_)) => {
            bulk_dialog::scroll_max(app, keymap, body)
        }
        _ => 0,
    };
    (page, max)
}
