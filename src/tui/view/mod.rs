//! Drawing: pure functions of the [`App`] state (they change nothing). One file per part of
//! the screen: the header, the panes, the detail view and edit form, the popups, the bottom.
//!
//! Every string that came from the server is passed through [`text::safe`] before it is drawn.

mod bulk;
mod bulk_dialog;
mod detail;
mod dialog;
mod edit;
mod export;
mod filter;
mod form;
mod header;
mod help;
mod log;
mod owned;
mod search;
mod status;
pub mod text;
mod widgets;

#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{App, Pane};

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

/// Draws the whole screen.
pub fn draw(app: &App, keymap: &Keymap, theme: &Theme, frame: &mut Frame) {
    let [top, body, bottom] = split(app, frame.area());
    header::draw(app, theme, frame, top);
    match app.pane {
        Pane::Owned if app.detail.is_some() || app.edit.is_some() => {
            detail::draw(app, theme, frame, body)
        }
        Pane::Owned => owned::draw(app, theme, frame, body),
        Pane::Search => search::draw(app, theme, frame, body),
    }
    if app.pane == Pane::Owned
        && let Some(form) = &app.server_filter
    {
        filter::draw(app, form, theme, frame, body);
    }
    if let Some(bf) = &app.bulk.form {
        bulk::draw_form(app, bf, theme, frame, body);
    }
    if app.bulk.panel {
        bulk::draw_panel(app, theme, frame, body);
    }
    if app.log {
        log::draw(app, theme, frame, body);
    }
    if app.help {
        help::draw(app, keymap, theme, frame, body);
    }
    if let Some(d) = &app.dialog {
        dialog::draw(app, d, theme, frame, body);
    }
    if let Some(c) = &app.bulk.confirm {
        bulk_dialog::draw_confirm(app, c, theme, frame, body);
    }
    if let Some(c) = &app.bulk.undo_confirm {
        bulk_dialog::draw_undo(c, theme, frame, body);
    }
    status::draw(app, keymap, theme, frame, bottom);
}

/// Rows of the Owned table on a screen of `area` (for `Action::Viewport`, so page moves
/// match what is drawn): the body less the borders, the column titles and the filter line.
pub fn table_rows(app: &App, area: Rect) -> usize {
    let [_, body, _] = split(app, area);
    let filter = owned::filter_line(&app.owned) as u16;
    body.height.saturating_sub(3 + filter).max(1) as usize
}
