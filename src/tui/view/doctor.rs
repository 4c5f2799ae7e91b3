//! The routing doctor: every finding, broken first, each with what is wrong and its fix; the
//! selected one reversed; the state of the SMS webhook check on top.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::text::{plural, safe, wrap};
use super::widgets::{block, key};
use crate::app::doctor::{DoctorView, fix_of};
use crate::app::{App, Cmd, Context};
use crate::doctor::Finding;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub fn draw(
    app: &App,
    d: &DoctorView,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    frame.render_widget(Clear, area);
    let broken = d.findings.iter().filter(|f| f.broken).count();
    let title = format!(
        " Routing doctor — {}: {broken} broken, {} warnings ",
        plural(app.owned.numbers.len(), "number", "numbers"),
        d.findings.len() - broken
    );
    let b = block(title, theme);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.height < 2 {
        return;
    }
    let w = inner.width as usize;
    let check = key(keymap, Context::Doctor, Cmd::CheckWebhooks);
    let mut top = vec![Line::styled(
        match (&d.checking, &d.webhooks) {
            (Some(_), _) => " SMS webhooks: checking (a GET each)…".to_string(),
            (None, Some(w)) => format!(" SMS webhooks: {} checked", w.len()),
            (None, None) => format!(" SMS webhooks: not checked ({check} sends a GET to each)"),
        },
        theme.dim,
    )];
    if app.apps.for_doctor().is_none() {
        let why = app.apps.unavailable.as_deref().unwrap_or("not loaded yet");
        top.push(Line::styled(
            safe(&format!(" application links are not checked: {why}")),
            theme.warn,
        ));
    }
    let head = top.len() as u16 + 1;
    frame.render_widget(
        Paragraph::new(top),
        Rect {
            height: head.min(inner.height),
            ..inner
        },
    );
    let list = Rect {
        y: inner.y + head,
        height: inner.height.saturating_sub(head),
        ..inner
    };
    if d.findings.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(" nothing wrong found", theme.dim)),
            list,
        );
        return;
    }
    let items: Vec<Vec<Line>> = d
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| item(f, i == d.selected, w, theme))
        .collect();
    // The first item shown: the selected one and those above it that fit.
    let rows = list.height as usize;
    let mut first = d.selected.min(items.len() - 1);
    let mut used = items[first].len();
    while first > 0 && used + items[first - 1].len() <= rows {
        first -= 1;
        used += items[first].len();
    }
    let lines: Vec<Line> = items.into_iter().skip(first).flatten().take(rows).collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// One finding: BROKEN or warning, the number, what is wrong; then its fix.
fn item<'a>(f: &Finding, selected: bool, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let (badge, style) = if f.broken {
        ("BROKEN ", theme.error)
    } else {
        ("warning", theme.warn)
    };
    let indent = 1 + 7 + 1 + 16;
    let room = w.saturating_sub(indent).max(10);
    let mut out = Vec::new();
    for (i, l) in wrap(&safe(&f.detail), room).into_iter().enumerate() {
        let spans = if i == 0 {
            vec![
                Span::raw(" "),
                Span::styled(badge, style),
                Span::raw(format!(" {:<15} ", safe(&f.msisdn))),
                Span::raw(l),
            ]
        } else {
            vec![Span::raw(" ".repeat(indent)), Span::raw(l)]
        };
        out.push(Line::from(spans));
    }
    let fix = match fix_of(f) {
        Some(fix) => format!("fix: {} — {}", fix.describe(), f.fix),
        None => format!("fix on the application: {}", f.fix),
    };
    for l in wrap(&safe(&fix), room) {
        out.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(l, theme.dim),
        ]));
    }
    if selected {
        out = out
            .into_iter()
            .map(|l| l.patch_style(theme.selected))
            .collect();
    }
    out
}
