//! The error log: warnings and errors of this session, newest first, with the time since
//! start (`+MM:SS`) and the level; long messages wrapped.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::owned::window;
use super::text::{fit, safe, thousands, wrap};
use super::widgets::{block, popup, scrollbar};
use crate::app::messages::LogEntry;
use crate::app::overlay::LogView;
use crate::app::{App, Level};
use crate::tui::theme::Theme;

/// `+MM:SS` (minutes keep counting past an hour).
pub fn elapsed(d: std::time::Duration) -> String {
    let s = d.as_secs();
    format!("+{:02}:{:02}", s / 60, s % 60)
}

/// When an entry was logged: the wall-clock time (UTC, `HH:MM:SS`) when the loop gave the
/// clock, else the time since start.
fn when(app: &App, at: std::time::Duration) -> String {
    let Some((clock_at, wall)) = app.wall else {
        return elapsed(at);
    };
    let logged = app.messages.started + at;
    let t = match logged.checked_duration_since(clock_at) {
        Some(d) => wall + d,
        None => wall - clock_at.saturating_duration_since(logged),
    };
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        % 86_400;
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn level(level: Level, theme: &Theme) -> (&'static str, ratatui::style::Style) {
    match level {
        Level::Error => ("ERROR", theme.error),
        Level::Warn => ("WARN ", theme.warn),
        Level::Info => ("INFO ", theme.info),
    }
}

/// "HH:MM:SS  ERROR  ": the width before the text.
const LEAD: usize = 17;

/// The lines of one entry shown whole, wrapped to `w` columns.
fn whole<'a>(app: &App, entry: &LogEntry, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let (label, style) = level(entry.level, theme);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(when(app, entry.at), theme.dim),
            Span::raw("  "),
            Span::styled(label, style),
        ]),
        Line::default(),
    ];
    lines.extend(
        wrap(&safe(&entry.text), w.max(10))
            .into_iter()
            .map(Line::raw),
    );
    lines
}

fn inner_of(area: Rect) -> Rect {
    let inner = block("", &Theme::new(true)).inner(area);
    Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// Lines the open entry scrolls past the popup on a body of `area` (0 when it fits).
pub fn scroll_max(app: &App, l: &LogView, area: Rect) -> usize {
    let content = inner_of(area);
    let Some(entry) = app.messages.log.iter().rev().nth(l.selected) else {
        return 0;
    };
    whole(app, entry, content.width as usize, &Theme::new(true))
        .len()
        .saturating_sub(content.height as usize)
}

pub fn draw(app: &App, l: &LogView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = popup(frame, area, area.width, area.height);
    let log = &app.messages.log;
    let title = if l.open {
        format!(
            " Message {} of {} ",
            l.selected + 1,
            thousands(log.len() as u64)
        )
    } else {
        let utc = if app.wall.is_some() {
            ", times UTC"
        } else {
            ""
        };
        format!(" Messages — {}{utc} ", thousands(log.len() as u64))
    };
    let b = block(title, theme);
    frame.render_widget(b, rect);
    let content = inner_of(rect);
    if log.is_empty() {
        let line = Line::styled("No message in this session yet.", theme.dim).centered();
        let at = Rect {
            y: content.y + content.height / 2,
            height: 1,
            ..content
        };
        frame.render_widget(Paragraph::new(line), at);
        return;
    }
    if l.open {
        if let Some(entry) = log.iter().rev().nth(l.selected) {
            let lines = whole(app, entry, content.width as usize, theme);
            let over = lines.len().saturating_sub(content.height as usize);
            let scroll = l.scroll.offset.min(over);
            frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), content);
            scrollbar(frame, rect, over, scroll, theme);
        }
        return;
    }
    let h = content.height as usize;
    let first = window(0, l.selected, h, log.len());
    let room = (content.width as usize).saturating_sub(LEAD).max(10);
    let lines: Vec<Line> = log
        .iter()
        .rev()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, entry)| {
            let (label, style) = level(entry.level, theme);
            let text = fit(&safe(&entry.text), room);
            let line = Line::from(vec![
                Span::styled(when(app, entry.at), theme.dim),
                Span::raw("  "),
                Span::styled(label, style),
                Span::raw("  "),
                Span::raw(text),
            ]);
            if i == l.selected {
                line.style(theme.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), content);
    scrollbar(frame, rect, log.len().saturating_sub(h), first, theme);
}
