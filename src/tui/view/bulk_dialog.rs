//! The confirmations of a bulk edit (the count, and per field how many numbers change from
//! which values to which; Back focused) and of an undo (what is put back; numbers an undone
//! buy cancels named; Cancel focused).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::popup::{Popup, Scrolled, dialog_width};
use super::text::{safe, thousands, wrap};
use super::widgets::answers;
use crate::app::bulk::{BulkConfirm, UndoConfirm};
use crate::app::cut_short::CutShortConfirm;
use crate::app::undo::undo_lines;
use crate::app::{App, Layer};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

const M: &str = "  ";

/// A confirmation, scrolled on a short screen (see [`super::popup::show`]).
fn show(
    app: &App,
    popup: Popup,
    (keymap, theme): (&Keymap, &Theme),
    frame: &mut Frame,
    area: Rect,
) {
    let scroll = Scrolled::of(app, keymap);
    super::popup::show(popup, Some(&scroll), theme, frame, area);
}

/// Lines the confirmation on top scrolls past its popup on `area` (0 when it fits).
pub fn scroll_max(app: &App, keymap: &Keymap, area: Rect) -> usize {
    let theme = Theme::new(true);
    let popup = match app.screen.top() {
        Some(Layer::BulkConfirm(c)) => confirm_popup(app, c, (keymap, &theme), area),
        Some(Layer::UndoConfirm(c)) => undo_popup(c, (keymap, &theme), area),
        Some(Layer::CutShort(c)) => cut_short_popup(c, (keymap, &theme), area),
        _ => return 0,
    };
    popup.overflow(area)
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
    let popup = confirm_popup(app, c, (keymap, theme), area);
    show(app, popup, (keymap, theme), frame, area);
}

fn confirm_popup<'a>(
    app: &App,
    c: &BulkConfirm,
    (keymap, theme): (&Keymap, &Theme),
    area: Rect,
) -> Popup<'a> {
    let w = dialog_width(area, 84);
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
    Popup::new(&title, lines, Some(footer), w)
}

pub fn draw_undo(
    app: &App,
    c: &UndoConfirm,
    (keymap, theme): (&Keymap, &Theme),
    frame: &mut Frame,
    area: Rect,
) {
    let popup = undo_popup(c, (keymap, theme), area);
    show(app, popup, (keymap, theme), frame, area);
}

fn undo_popup<'a>(c: &UndoConfirm, (keymap, theme): (&Keymap, &Theme), area: Rect) -> Popup<'a> {
    let w = dialog_width(area, 76);
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
        // An application's undo is of its webhooks: no number is involved.
        let apps_only = c
            .plan
            .steps
            .iter()
            .all(|s| s.entry.kind == crate::journal::Kind::App);
        let left_alone = if apps_only {
            "An application changed since is left alone and said."
        } else {
            "Numbers changed since are left alone and listed."
        };
        wrapped(left_alone, room, theme.dim, &mut lines);
    }
    let footer = answers(keymap, ("Keep", "Undo"), c.confirm_focused, w - 2, theme);
    Popup::new(" Undo? ", lines, Some(footer), w)
}

/// The offer to reconcile, or resume, a run cut short (at start; "Later" focused).
pub fn draw_cut_short(
    app: &App,
    c: &CutShortConfirm,
    (keymap, theme): (&Keymap, &Theme),
    frame: &mut Frame,
    area: Rect,
) {
    let popup = cut_short_popup(c, (keymap, theme), area);
    show(app, popup, (keymap, theme), frame, area);
}

fn cut_short_popup<'a>(
    c: &CutShortConfirm,
    (keymap, theme): (&Keymap, &Theme),
    area: Rect,
) -> Popup<'a> {
    let w = dialog_width(area, 80);
    let room = (w as usize).saturating_sub(2 + 2 * M.len());
    let mut lines = vec![Line::default()];
    for (i, l) in c.lines().iter().enumerate() {
        let style = if i == 0 { theme.heading } else { Style::new() };
        wrapped(&safe(l), room, style, &mut lines);
    }
    let (title, labels) = c.labels();
    let footer = answers(keymap, labels, c.confirm_focused, w - 2, theme);
    Popup::new(title, lines, Some(footer), w)
}
