//! The confirmations of a bulk edit (the count, and per field how many numbers change from
//! which values to which; Back focused) and of an undo (what is put back; numbers an undone
//! buy cancels named; Cancel focused).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{safe, thousands, wrap};
use super::widgets::{answers, block, popup};
use crate::app::App;
use crate::app::bulk::{BulkConfirm, UndoConfirm};
use crate::app::cut_short::CutShortConfirm;
use crate::app::undo::undo_lines;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

const M: &str = "  ";

fn show(
    title: String,
    lines: Vec<Line>,
    footer: Line,
    w: u16,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let w = w.min(area.width.saturating_sub(4)).max(20);
    let rect = popup(frame, area, w, lines.len() as u16 + 5);
    let b = block(title, theme);
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    let body_h = inner.height.saturating_sub(3) as usize;
    let mut lines = lines;
    if lines.len() > body_h && body_h > 0 {
        lines.truncate(body_h - 1);
        lines.push(Line::styled(format!("{M}…"), theme.dim));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: body_h as u16,
            ..inner
        },
    );
    if inner.height >= 2 {
        let at = Rect::new(inner.x, inner.bottom() - 2, inner.width, 1);
        frame.render_widget(Paragraph::new(footer), at);
    }
}

fn wrapped<'a>(text: &str, room: usize, style: Style, out: &mut Vec<Line<'a>>) {
    // Continuation lines are indented by two more: wrap two narrower.
    for (i, l) in wrap(text, room.saturating_sub(2)).into_iter().enumerate() {
        let lead = if i == 0 { M } else { "    " };
        out.push(Line::styled(format!("{lead}{l}"), style));
    }
}

pub fn draw_confirm(
    app: &App,
    c: &BulkConfirm,
    (keymap, theme): (&Keymap, &Theme),
    frame: &mut Frame,
    area: Rect,
) {
    let w = 84u16.min(area.width.saturating_sub(4));
    let room = (w as usize).saturating_sub(2 + 2 * M.len());
    let marked = app.marks.len();
    let s = &c.summary;
    let mut lines = vec![Line::default()];
    lines.push(Line::from(vec![
        Span::raw(M),
        Span::styled(
            format!("{} numbers change", thousands(s.changing as u64)),
            theme.heading,
        ),
        Span::raw(format!(
            " ({} marked, {} already as wanted)",
            thousands(marked as u64),
            thousands((s.total - s.changing) as u64)
        )),
    ]));
    lines.push(Line::default());
    for f in &s.fields {
        lines.push(Line::from(vec![
            Span::raw(M),
            Span::styled(format!("{}: ", f.field), theme.heading),
            Span::raw(format!("{} numbers", f.changes)),
        ]));
        wrapped(
            &format!("from {}", safe(&f.from_text())),
            room,
            theme.dim,
            &mut lines,
        );
        let to = if f.removes() {
            ("to (none) REMOVED".to_string(), theme.removed)
        } else {
            (format!("to {}", safe(&f.to_text())), theme.added)
        };
        wrapped(&to.0, room, to.1, &mut lines);
    }
    if !s.warnings.is_empty() {
        lines.push(Line::default());
    }
    for (warning, n) in &s.warnings {
        wrapped(
            &format!("! {n} numbers: {}", safe(warning)),
            room,
            theme.warn,
            &mut lines,
        );
    }
    if let Some(check) = &c.webhook {
        // The single edit's check, once for the URL every number gets.
        let (text, style) = match crate::app::webhook::describe(&check.status) {
            None => (
                "… checking that the SMS webhook answers a GET with 200, as Vonage will"
                    .to_string(),
                theme.dim,
            ),
            Some(v) if check.status.is_warning() => (format!("! the SMS webhook {v}"), theme.warn),
            Some(v) => (format!("✓ the SMS webhook {v}"), theme.info),
        };
        lines.push(Line::default());
        wrapped(&safe(&text), room, style, &mut lines);
    }
    let footer = answers(keymap, ("Back", "Apply"), c.confirm_focused, w - 2, theme);
    let title = format!(" Apply to {} numbers? ", thousands(s.changing as u64));
    show(title, lines, footer, w, theme, frame, area);
}

pub fn draw_undo(
    c: &UndoConfirm,
    (keymap, theme): (&Keymap, &Theme),
    frame: &mut Frame,
    area: Rect,
) {
    let w = 76u16.min(area.width.saturating_sub(4));
    let room = (w as usize).saturating_sub(2 + 2 * M.len());
    let mut lines = vec![Line::default()];
    wrapped(&safe(&c.plan.label()), room, theme.heading, &mut lines);
    lines.push(Line::default());
    for l in undo_lines(&c.plan) {
        let style = if l.starts_with("CANCEL") || l.starts_with("BUY") {
            theme.warn
        } else {
            Style::new()
        };
        wrapped(&safe(&l), room, style, &mut lines);
    }
    if c.force {
        wrapped(
            "Numbers changed since the change are OVERWRITTEN with the configuration before it.",
            room,
            theme.warn,
            &mut lines,
        );
    } else {
        wrapped(
            "Numbers changed since are left alone and listed.",
            room,
            theme.dim,
            &mut lines,
        );
    }
    let footer = answers(keymap, ("Keep", "Undo"), c.confirm_focused, w - 2, theme);
    show(" Undo? ".to_string(), lines, footer, w, theme, frame, area);
}

/// The offer to reconcile, or resume, a run cut short (at start; "Later" focused).
pub fn draw_cut_short(
    c: &CutShortConfirm,
    (keymap, theme): (&Keymap, &Theme),
    frame: &mut Frame,
    area: Rect,
) {
    let w = 80u16.min(area.width.saturating_sub(4));
    let room = (w as usize).saturating_sub(2 + 2 * M.len());
    let mut lines = vec![Line::default()];
    for (i, l) in c.lines().iter().enumerate() {
        let style = if i == 0 { theme.heading } else { Style::new() };
        wrapped(&safe(l), room, style, &mut lines);
    }
    let (title, labels) = c.labels();
    let footer = answers(keymap, labels, c.confirm_focused, w - 2, theme);
    show(title.to_string(), lines, footer, w, theme, frame, area);
}
