//! One search result opened whole, over the Search pane: every field, all its limitations,
//! long values wrapped, scrolled when it does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::dialog::eur;
use super::text::{chunks, opt, safe};
use super::widgets::{block, key, scrollbar};
use crate::api::AvailableNumber;
use crate::api::model::features_label;
use crate::app::search::ResultView;
use crate::app::{Cmd, Context};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

const LABEL: usize = 14;

fn lines<'a>(n: &AvailableNumber, buy: &str, theme: &Theme, w: usize) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let room = w.saturating_sub(LABEL + 1).max(1);
    let mut row = |label: &str, value: String| {
        for (i, chunk) in chunks(&value, room).into_iter().enumerate() {
            let label = if i == 0 { label } else { "" };
            out.push(Line::from(vec![
                Span::styled(format!("{label:<LABEL$} "), theme.label_focused),
                Span::raw(chunk),
            ]));
        }
    };
    let kind = n.number_type.as_ref().map(|t| t.as_str().to_string());
    row("Country", opt(&n.country));
    row("MSISDN", opt(&n.msisdn));
    row("Type", kind.map(|k| safe(&k)).unwrap_or_else(|| "—".into()));
    row("Features", safe(&features_label(&n.features)));
    row("Monthly cost", eur(&n.cost));
    row("Setup fee", eur(&n.initial_price));
    if n.limitations.is_empty() {
        row("Limitations", "none".into());
    }
    for (i, l) in n.limitations.iter().enumerate() {
        row(
            if i == 0 { "Limitations" } else { "" },
            safe(&l.to_string()),
        );
    }
    out.push(Line::default());
    out.push(Line::styled(format!("{buy} buys this number"), theme.dim));
    out
}

/// Lines the result scrolls past its area (0 when it fits).
pub fn scroll_max(r: &ResultView, area: Rect) -> usize {
    let inner = block("", &Theme::new(true)).inner(area);
    lines(&r.number, "b", &Theme::new(true), inner.width as usize)
        .len()
        .saturating_sub(inner.height as usize)
}

pub fn draw(r: &ResultView, keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let n = &r.number;
    let b = block(
        format!(" {} ({}) — available ", opt(&n.msisdn), opt(&n.country)),
        theme,
    );
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let buy = key(keymap, Context::SearchResult, Cmd::Buy);
    let lines = lines(n, &buy, theme, inner.width as usize);
    let over = lines.len().saturating_sub(inner.height as usize);
    let scroll = r.scroll.offset.min(over);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    scrollbar(frame, area, over, scroll, theme);
}
