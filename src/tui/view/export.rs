//! The export dialog (rows, format, file name) and the question before a file is replaced.

use std::path::Path;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::dialog::{M, field};
use super::popup::{Popup, dialog_width, show};
use super::text::{safe, thousands, width, wrap};
use super::widgets::{answers, input, key};
use crate::app::export::ExportDialog;
use crate::app::{App, Cmd, Context, ExportFormat};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub fn export(
    app: &App,
    e: &ExportDialog,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let k = |cmd: Cmd| key(keymap, Context::Export, cmd);
    let (format, path, count) = (e.format, &e.path, e.count);
    let w = dialog_width(area, 72);
    let plain = ratatui::style::Style::new();
    let rows = if count == app.owned.numbers.len() {
        format!("{} numbers", thousands(count as u64))
    } else {
        format!(
            "{} numbers shown (of {})",
            thousands(count as u64),
            thousands(app.owned.numbers.len() as u64)
        )
    };
    let mut formats = vec![Span::styled(
        format!("{M}{:<14}", "Format"),
        theme.label_focused,
    )];
    for f in [ExportFormat::Csv, ExportFormat::Json] {
        let style = if f == format {
            theme.button_focused
        } else {
            theme.button
        };
        formats.push(Span::styled(format!(" {} ", f.label()), style));
        formats.push(Span::raw(" "));
    }
    formats.push(Span::styled(
        format!(" {} switches", k(Cmd::Toggle)),
        theme.dim,
    ));
    let room = (w as usize).saturating_sub(2 + 2 * M.len());
    let short = format!("{} to write · {} to cancel", k(Cmd::Submit), k(Cmd::Back));
    let long = format!("{short} · an existing file is never replaced unasked");
    let hint = if width(&long) <= room { long } else { short };
    let lines = vec![
        Line::default(),
        field("Rows", rows, plain, theme),
        Line::from(formats),
        Line::from(Span::styled(
            format!("{M}{:<14}", "File"),
            theme.label_focused,
        )),
        Line::default(),
        Line::styled(format!("{M}{hint}"), theme.dim),
    ];
    let input_row = 3;
    // Short enough for any screen it opens on: cut (never scrolled) where it is not.
    let popup = Popup::new(" Export the shown list ", lines, None, w);
    let (inner, _) = show(popup, None, theme, frame, area);
    let x = inner.x + (M.len() + 14) as u16;
    let at = Rect::new(
        x,
        inner.y + input_row,
        inner.right().saturating_sub(x + 1),
        1,
    )
    .intersection(inner);
    let typing = app.context() == Context::Export;
    input(frame, at, path, theme.input_focused, typing);
}

pub fn overwrite(
    path: &Path,
    count: usize,
    replace: bool,
    (keymap, theme): (&Keymap, &Theme),
    area: Rect,
) -> Popup<'static> {
    let w = dialog_width(area, 64);
    let room = (w as usize).saturating_sub(2 + 2 * M.len());
    let mut lines = vec![Line::default()];
    let text = format!(
        "{} already exists. Replace it with {} numbers?",
        safe(&path.display().to_string()),
        thousands(count as u64)
    );
    for l in wrap(&text, room) {
        lines.push(Line::styled(format!("{M}{l}"), theme.warn));
    }
    let footer = answers(keymap, ("Keep", "Replace"), replace, w - 2, theme);
    Popup::new(" Replace the file? ", lines, Some(footer), w)
}
