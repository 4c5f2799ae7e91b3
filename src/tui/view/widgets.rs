//! Small shared pieces: popups, text inputs with their cursor, buttons, key hints.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use tui_input::Input;

use super::text::{safe, width};
use crate::tui::theme::Theme;

/// A rectangle of at most `w` x `h`, centred in `area`, with the background cleared.
pub fn popup(frame: &mut Frame, area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    rect
}

/// A bordered block with a title, for popups and panes.
pub fn block<'a>(title: impl Into<Line<'a>>, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_style(theme.border)
        .title(title.into().style(theme.heading))
}

/// Draws a one-line text input scrolled so the cursor stays visible; places the terminal
/// cursor there when `cursor` is true.
pub fn input(frame: &mut Frame, area: Rect, input: &Input, style: Style, cursor: bool) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let area = Rect { height: 1, ..area };
    // One column is kept for the cursor after the last character.
    let room = area.width.saturating_sub(1).max(1) as usize;
    let scroll = input.visual_scroll(room);
    let text = safe(input.value());
    frame.render_widget(
        Paragraph::new(text)
            .style(style)
            .scroll((0, scroll.min(u16::MAX as usize) as u16)),
        area,
    );
    if cursor {
        let x = input.visual_cursor().saturating_sub(scroll).min(room) as u16;
        frame.set_cursor_position(Position::new(area.x + x, area.y));
    }
}

/// A button's label with the key that presses it from anywhere in the dialog (`y Buy`), when
/// one is bound.
pub fn answer(keymap: &crate::tui::keymap::Keymap, cmd: crate::app::Cmd, label: &str) -> String {
    match keymap.key_in(crate::app::Context::Dialog, cmd) {
        Some(k) => format!("{k} {label}"),
        None => label.to_string(),
    }
}

/// The two buttons of a dialog, `[ n Keep ]   [ y Undo ]`: the safe one (`No`) on the left,
/// the one that acts (`Yes`) on the right, each with its key; the focused one reversed.
pub fn answers<'a>(
    keymap: &crate::tui::keymap::Keymap,
    (no, yes): (&str, &str),
    yes_focused: bool,
    w: u16,
    theme: &Theme,
) -> Line<'a> {
    use crate::app::Cmd;
    let (no, yes) = (answer(keymap, Cmd::No, no), answer(keymap, Cmd::Yes, yes));
    buttons(&no, &yes, yes_focused, w, theme)
}

/// Two buttons, `[ left ]   [ right ]`, the focused one drawn reversed; centred in `w`.
pub fn buttons<'a>(
    left: &str,
    right: &str,
    right_focused: bool,
    w: u16,
    theme: &Theme,
) -> Line<'a> {
    let style = |focused: bool| {
        if focused {
            theme.button_focused
        } else {
            theme.button
        }
    };
    let (l, r) = (format!("[ {left} ]"), format!("[ {right} ]"));
    let used = width(&l) + width(&r) + 4;
    let pad = (w as usize).saturating_sub(used) / 2;
    Line::from(vec![
        Span::raw(" ".repeat(pad)),
        Span::styled(l, style(!right_focused)),
        Span::raw("    "),
        Span::styled(r, style(right_focused)),
    ])
}

/// `key desc` pairs for the hint bar and help: the key styled, the description plain.
pub fn key_hint<'a>(key: &str, desc: &str, theme: &Theme) -> Vec<Span<'a>> {
    vec![
        Span::styled(key.to_string(), theme.key),
        Span::raw(" "),
        Span::raw(desc.to_string()),
    ]
}

/// Styled pieces laid out on lines of `w` columns, cut anywhere (for values such as URLs);
/// continuation lines start with `indent` spaces.
pub fn wrap_spans<'a>(pieces: Vec<(String, Style)>, w: usize, indent: usize) -> Vec<Line<'a>> {
    let w = w.max(indent + 1);
    let mut lines: Vec<Line<'a>> = Vec::new();
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut used = 0;
    for (text, style) in pieces {
        let mut cur = String::new();
        for c in text.chars() {
            let cw = width(c.encode_utf8(&mut [0u8; 4]));
            if used + cw > w {
                if !cur.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut cur), style));
                }
                lines.push(Line::from(std::mem::take(&mut spans)));
                spans.push(Span::raw(" ".repeat(indent)));
                used = indent;
            }
            cur.push(c);
            used += cw;
        }
        if !cur.is_empty() {
            spans.push(Span::styled(cur, style));
        }
    }
    lines.push(Line::from(spans));
    lines
}

/// A scrollbar on the right border of the bordered `area`, when its text is `over` lines
/// longer than the space inside and scrolled `pos` lines down; nothing when it fits.
pub fn scrollbar(frame: &mut Frame, area: Rect, over: usize, pos: usize, theme: &Theme) {
    use ratatui::symbols::scrollbar::VERTICAL;
    use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};
    let h = area.height.saturating_sub(2);
    if over == 0 || h == 0 || area.width < 2 {
        return;
    }
    let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .symbols(VERTICAL)
        .begin_symbol(None)
        .end_symbol(None)
        .track_style(theme.border)
        .thumb_style(theme.heading);
    let mut st = ScrollbarState::new(over + 1)
        .position(pos)
        .viewport_content_length(h as usize);
    let at = Rect {
        x: area.right() - 1,
        y: area.y + 1,
        width: 1,
        height: h,
    };
    frame.render_stateful_widget(bar, at, &mut st);
}

/// The key of `cmd` in `ctx` as bound now (for a note that names a key), or the command in
/// words when nothing is bound to it.
pub fn key(
    keymap: &crate::tui::keymap::Keymap,
    ctx: crate::app::Context,
    cmd: crate::app::Cmd,
) -> String {
    keymap
        .key_in(ctx, cmd)
        .unwrap_or_else(|| format!("({})", cmd.describe()))
}

/// A form's dim note on its first line (what saving means, the keys), and the form below it:
/// `inner` moves down past the note and a blank line.
pub fn form_note(frame: &mut Frame, inner: &mut Rect, note: &str, theme: &Theme) {
    frame.render_widget(
        Paragraph::new(Line::styled(
            super::text::fit(note, (inner.width as usize).saturating_sub(1)),
            theme.dim,
        )),
        Rect {
            x: inner.x + 1,
            height: 1,
            ..*inner
        },
    );
    inner.y += 2;
    inner.height = inner.height.saturating_sub(2);
}

/// The query line of a list to search (the palette, the picker): `prompt` then the field, on
/// the first line of `inner`.
pub fn query_line(
    frame: &mut Frame,
    inner: Rect,
    prompt: &str,
    query: &Input,
    typing: bool,
    theme: &Theme,
) {
    let line = Rect { height: 1, ..inner };
    frame.render_widget(
        Paragraph::new(Span::styled(prompt.to_string(), theme.key)),
        line,
    );
    let field = Rect {
        x: inner.x + 2,
        width: inner.width.saturating_sub(2),
        ..line
    };
    input(frame, field, query, theme.input_focused, typing);
}
