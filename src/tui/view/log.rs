//! The error log: warnings and errors of this session, newest first, with the time since
//! start (`+MM:SS`) and the level; long messages wrapped.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{safe, thousands, wrap};
use super::widgets::{block, popup};
use crate::app::{App, Level};
use crate::tui::theme::Theme;

/// `+MM:SS` (minutes keep counting past an hour).
pub fn elapsed(d: std::time::Duration) -> String {
    let s = d.as_secs();
    format!("+{:02}:{:02}", s / 60, s % 60)
}

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = popup(frame, area, area.width, area.height);
    let log = &app.messages.log;
    let title = format!(
        " Error log — {} — Esc to close ",
        thousands(log.len() as u64)
    );
    let b = block(title, theme);
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    if log.is_empty() {
        let line = Line::styled("Nothing has gone wrong in this session.", theme.dim).centered();
        let at = Rect {
            y: inner.y + inner.height / 2,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(line), at);
        return;
    }
    let content = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    let lead = 15; // "+MM:SS  ERROR  "
    let room = (content.width as usize).saturating_sub(lead).max(10);
    let mut lines: Vec<Line> = Vec::new();
    for entry in log.iter().rev() {
        if lines.len() >= content.height as usize {
            break;
        }
        let (label, style) = match entry.level {
            Level::Error => ("ERROR", theme.error),
            Level::Warn => ("WARN ", theme.warn),
            Level::Info => ("INFO ", theme.info),
        };
        for (i, part) in wrap(&safe(&entry.text), room).into_iter().enumerate() {
            let head = if i == 0 {
                vec![
                    Span::styled(elapsed(entry.at), theme.dim),
                    Span::raw("  "),
                    Span::styled(label, style),
                    Span::raw("  "),
                ]
            } else {
                vec![Span::raw(" ".repeat(lead))]
            };
            let mut spans = head;
            spans.push(Span::raw(part));
            lines.push(Line::from(spans));
        }
    }
    frame.render_widget(Paragraph::new(lines), content);
}
