//! The bottom of the screen: the current message, coloured by level, and the hint bar with
//! the most useful keys of the current context, from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{fit, safe, width};
use super::widgets::key_hint;
use crate::app::{App, Cmd, Context, Level};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// The commands the hint bar may show, in the order shown (help lists them in this order
/// too).
pub(super) const SHOWN: [Cmd; 25] = [
    Cmd::Filter,
    Cmd::EditSearch,
    Cmd::Open,
    Cmd::FixOne,
    Cmd::FixAll,
    Cmd::CheckWebhooks,
    Cmd::Submit,
    Cmd::PickApp,
    Cmd::Edit,
    Cmd::Copy,
    Cmd::Export,
    Cmd::Buy,
    Cmd::CancelNumber,
    Cmd::Toggle,
    Cmd::NextField,
    Cmd::NextPage,
    Cmd::PrevPage,
    Cmd::SortNext,
    Cmd::ServerFilter,
    Cmd::Refresh,
    Cmd::NextPane,
    Cmd::Back,
    Cmd::Log,
    Cmd::Help,
    Cmd::Quit,
];

/// The same commands, most useful first: what is kept when the line is short.
const PRIORITY: [Cmd; 25] = [
    Cmd::Help,
    Cmd::Quit,
    Cmd::Submit,
    Cmd::Open,
    Cmd::FixOne,
    Cmd::FixAll,
    Cmd::PickApp,
    Cmd::CheckWebhooks,
    Cmd::Filter,
    Cmd::EditSearch,
    Cmd::Buy,
    Cmd::Edit,
    Cmd::CancelNumber,
    Cmd::Toggle,
    Cmd::Back,
    Cmd::NextField,
    Cmd::NextPage,
    Cmd::PrevPage,
    Cmd::SortNext,
    Cmd::ServerFilter,
    Cmd::Refresh,
    Cmd::NextPane,
    Cmd::Log,
    Cmd::Copy,
    Cmd::Export,
];

/// Lines the bottom takes: the message (when there is one) and the hint bar.
pub fn height(app: &App) -> u16 {
    if app.messages.current().is_some() {
        2
    } else {
        1
    }
}

pub fn draw(app: &App, keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut hints_area = area;
    // A message first; else what a slow request waits for.
    let line = match app.messages.current() {
        Some(toast) => Some((
            match toast.level {
                Level::Info => ("• ", theme.info),
                Level::Warn => ("! ", theme.warn),
                Level::Error => ("✗ ", theme.error),
            },
            toast.text.as_str(),
            true,
        )),
        None => app
            .waiting
            .as_deref()
            .map(|w| (("… ", theme.spinner), w, false)),
    };
    if let Some(((mark, style), text, logged)) = line {
        let room = (area.width as usize).saturating_sub(1);
        let full = format!("{mark}{}", safe(text));
        // Cut: say where it is whole.
        let text = match keymap.keys_of(Cmd::Log).first() {
            Some(k) if logged && width(&full) > room => {
                let more = format!(" ({k}: whole)");
                format!("{}{more}", fit(&full, room.saturating_sub(width(&more))))
            }
            _ => fit(&full, room),
        };
        let at = Rect { height: 1, ..area };
        frame.render_widget(Paragraph::new(Line::styled(format!(" {text}"), style)), at);
        hints_area = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
    }
    if hints_area.height > 0 {
        let line = hints(app, keymap, theme, hints_area.width as usize);
        frame.render_widget(Paragraph::new(line), hints_area);
    }
}

fn hints<'a>(app: &App, keymap: &Keymap, theme: &Theme, w: usize) -> Line<'a> {
    let label = |cmd: Cmd| {
        if app.read_only && cmd.changes_account() {
            return None;
        }
        keymap.key_in(app.context(), cmd)
    };
    // In the export dialog, the button switch is the format switch.
    let describe = |cmd: Cmd| match (app.context(), cmd) {
        (Context::Export, Cmd::Toggle) => "CSV / JSON",
        (Context::Log | Context::Bulk, Cmd::Open) => "read whole",
        (Context::Apps, Cmd::Open) => "its numbers",
        _ => cmd.describe(),
    };
    let cost = |cmd: Cmd, key: &str| width(key) + 1 + width(describe(cmd)) + 2;
    let mut chosen: Vec<Cmd> = Vec::new();
    let mut used = 1;
    for cmd in PRIORITY {
        if let Some(key) = label(cmd)
            && used + cost(cmd, &key) <= w + 2
        {
            used += cost(cmd, &key);
            chosen.push(cmd);
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for cmd in SHOWN.iter().filter(|c| chosen.contains(c)) {
        if spans.len() > 1 {
            spans.push(Span::raw("  "));
        }
        if let Some(key) = label(*cmd) {
            spans.extend(key_hint(&key, describe(*cmd), theme));
        }
    }
    Line::from(spans)
}
