//! Where a click lands, read from the layout the view draws (and, for the tabs and the
//! buttons, from the frame drawn last): a tab, a row of the table or list on top, a dialog's
//! button. The app decides what that means.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout};

use super::owned::{filter_line, window};
use super::{header, search, split};
use crate::app::{App, Hit, Layer, Pane};
use crate::tui::keymap::Keymap;

/// The text of row `y` of `buffer`, one string per cell (wide characters take two).
fn row(buffer: &Buffer, y: u16) -> Vec<String> {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect()
}

/// The cells `[` .. `]` of the buttons on row `y`, left to right.
fn buttons(buffer: &Buffer, y: u16) -> Vec<(u16, u16)> {
    let cells = row(buffer, y);
    let mut out = Vec::new();
    let mut open = None;
    for (x, c) in cells.iter().enumerate() {
        match c.as_str() {
            "[" => open = Some(x as u16),
            "]" => {
                if let Some(start) = open.take() {
                    out.push((start, x as u16));
                }
            }
            _ => {}
        }
    }
    out
}

/// The row of a table whose first row is drawn at `first_y`, `rows` rows high.
fn table_row(y: u16, first_y: u16, rows: usize, offset: usize, len: usize) -> Option<usize> {
    let i = y.checked_sub(first_y)? as usize;
    (i < rows && offset + i < len).then_some(offset + i)
}

pub fn hit(app: &App, keymap: &Keymap, last: &Buffer, x: u16, y: u16) -> Option<Hit> {
    let screen = last.area;
    if y == 0 {
        // The tabs as drawn: find each label on the header's row.
        let text: String = row(last, 0).concat();
        return header::tab_labels(app, keymap, screen.width)
            .into_iter()
            .find_map(|(p, label)| {
                let from = text.find(&label)?;
                let from = text[..from].chars().count() as u16;
                let to = from + label.chars().count() as u16;
                (from..to).contains(&x).then_some(Hit::Tab(p))
            });
    }
    let [_, body, _] = split(app, screen);
    match app.screen.top() {
        Some(
            Layer::Dialog(_) | Layer::BulkConfirm(_) | Layer::UndoConfirm(_) | Layer::CutShort(_),
        ) => {
            let b = buttons(last, y);
            let at = b.iter().position(|(from, to)| (*from..=*to).contains(&x))?;
            // Two buttons: the safe one on the left, the one that acts on the right.
            (b.len() == 2).then_some(if at == 1 { Hit::Yes } else { Hit::No })
        }
        None if app.pane() == Pane::Owned => {
            let o = &app.owned;
            let table_h = body.height.saturating_sub(filter_line(app) as u16);
            let rows = table_h.saturating_sub(3) as usize;
            let off = window(o.offset, o.selected, rows, o.shown.len());
            table_row(y, body.y + 2, rows, off, o.shown.len()).map(Hit::Row)
        }
        None if app.pane() == Pane::Apps => {
            let (first, rows, off) = super::apps::table_rows(app, body);
            table_row(y, first, rows, off, app.apps_shown().len()).map(Hit::Row)
        }
        None => {
            let s = &app.search;
            let [_, results] = Layout::vertical([
                Constraint::Length(search::form_height(s, body.width)),
                Constraint::Fill(1),
            ])
            .areas(body);
            let len = s.results.as_ref().map_or(0, |p| p.numbers.len());
            let rows = results.height.saturating_sub(3) as usize;
            let off = window(s.offset, s.selected, rows, len);
            table_row(y, results.y + 2, rows, off, len).map(Hit::Row)
        }
        Some(Layer::Log(l)) if !l.open => {
            let len = app.messages.log.len();
            let rows = body.height.saturating_sub(2) as usize;
            let first = window(0, l.selected, rows, len);
            table_row(y, body.y + 1, rows, first, len).map(Hit::Row)
        }
        _ => None,
    }
}
