//! A dialog's popup, centred over a cleared background: its lines, the buttons always in view,
//! and on a screen too short for it the text scrolled (the keys said on its border) or, for a
//! dialog that cannot scroll, cut with `…`. Every dialog and confirmation is drawn through it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::dialog::M;
use super::widgets::{block, popup};
use crate::app::{App, Cmd};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub(super) fn dialog_width(area: Rect, w: u16) -> u16 {
    w.min(area.width.saturating_sub(4)).max(20)
}

/// A dialog as built: its title, its lines, its buttons (if any) and its width. Drawn by
/// [`show`]; measured (how far it scrolls) without drawing.
pub(super) struct Popup<'a> {
    pub title: String,
    pub lines: Vec<Line<'a>>,
    pub footer: Option<Line<'a>>,
    pub w: u16,
}

impl<'a> Popup<'a> {
    pub fn new(title: &str, lines: Vec<Line<'a>>, footer: Option<Line<'a>>, w: u16) -> Popup<'a> {
        Popup {
            title: title.to_string(),
            lines,
            footer,
            w,
        }
    }

    /// The popup's height with every line shown: the lines, the buttons after a blank line,
    /// a blank line, the border.
    fn height(&self) -> u16 {
        let foot = if self.footer.is_some() { 2 } else { 0 };
        (self.lines.len() as u16).saturating_add(foot + 3)
    }

    /// Lines that do not fit on `area`: how far the dialog scrolls.
    pub fn overflow(&self, area: Rect) -> usize {
        let inner = Rect::new(0, 0, self.w, self.height().min(area.height)).inner(
            ratatui::layout::Margin {
                horizontal: 1,
                vertical: 1,
            },
        );
        let body = body_of(inner, self.footer.is_some());
        self.lines.len().saturating_sub(body.height as usize)
    }
}

/// Where a dialog's lines go inside its border: above the buttons and the blank line.
pub(super) fn body_of(inner: Rect, footer: bool) -> Rect {
    let foot = if footer { 2 } else { 0 };
    Rect {
        height: inner.height.saturating_sub(foot + 1),
        ..inner
    }
}

/// How the dialog on top is scrolled, and the keys that scroll it (said on its border while
/// it does not fit).
pub(super) struct Scrolled {
    pub offset: usize,
    pub keys: String,
}

impl Scrolled {
    pub fn of(app: &App, keymap: &Keymap) -> Scrolled {
        let ctx = app.context();
        let keys = [Cmd::Down, Cmd::Up, Cmd::PageDown, Cmd::PageUp]
            .into_iter()
            .filter_map(|c| keymap.key_in(ctx, c))
            .collect::<Vec<_>>()
            .join("/");
        Scrolled {
            offset: app.dialog_scroll.offset,
            keys,
        }
    }
}

/// Draws `p` centred on `area`: its lines, then the buttons after a blank line, then a blank
/// line. When the screen is short the lines scroll by `scroll` (a scroll bar and the keys on
/// the border say so), never the buttons; without `scroll` they are cut (`…`). Returns the
/// inner area and the offset applied.
pub(super) fn show(
    p: Popup,
    scroll: Option<&Scrolled>,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> (Rect, usize) {
    let over = p.overflow(area);
    let rect = popup(frame, area, p.w, p.height());
    let mut b = block(p.title, theme);
    let offset = match scroll {
        Some(s) if over > 0 => {
            let more = if s.offset < over { " ↓ more" } else { "" };
            b = b.title_bottom(
                Line::styled(format!(" {} scroll{more} ", s.keys), theme.key).right_aligned(),
            );
            s.offset.min(over)
        }
        _ => 0,
    };
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    let body = body_of(inner, p.footer.is_some());
    let mut lines = p.lines;
    if scroll.is_none() && over > 0 && body.height > 0 {
        lines.truncate(body.height as usize - 1);
        lines.push(Line::styled(format!("{M}…"), theme.dim));
    }
    frame.render_widget(Paragraph::new(lines).scroll((offset as u16, 0)), body);
    if scroll.is_some() {
        super::widgets::scrollbar(frame, rect, over, offset, theme);
    }
    if let Some(footer) = p.footer
        && inner.height >= 2
    {
        let at = Rect::new(inner.x, inner.bottom() - 2, inner.width, 1);
        frame.render_widget(Paragraph::new(footer), at);
    }
    (inner, offset)
}
