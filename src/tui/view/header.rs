//! The header line: the title, LIVE or SANDBOX with the base URL, the api key (never the
//! secret) and the account's balance, the pane tabs, and a spinner with the number of requests in flight.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{plural, safe, width};
use crate::app::{App, Pane};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Room kept on the right for the spinner, so nothing jumps when it appears.
const SPINNER_ROOM: usize = 14;
/// Room kept left of the spinner for the balance (` €12345.67`; a larger one is not shown).
const BALANCE_ROOM: usize = 10;

/// ` 1 Owned `: the key that shows the pane (from the keymap), and its name.
fn tab_label(app: &App, pane: Pane, keymap: &Keymap) -> String {
    match keymap.key_in(app.context(), pane.show_cmd()) {
        Some(k) => format!(" {k} {} ", pane.title()),
        None => format!(" {} ", pane.title()),
    }
}

/// What the header holds whatever the width: the title, the badge, `read-only`, the room
/// kept for the spinner.
fn fixed_width(app: &App) -> usize {
    let badge = if app.target.live {
        " LIVE "
    } else {
        " SANDBOX "
    };
    width("switchboard ")
        + width(badge)
        + if app.read_only {
            width(" read-only")
        } else {
            0
        }
        + 1
        + SPINNER_ROOM
}

/// Each pane's tab as drawn on a header `area_width` wide: with the key that shows it, or
/// the names alone when the keys and the api key (which account this is) do not both fit
/// (the help and the hint bar still say the keys).
pub(super) fn tab_labels(app: &App, keymap: &Keymap, area_width: u16) -> Vec<(Pane, String)> {
    let full: Vec<(Pane, String)> = Pane::ALL
        .into_iter()
        .map(|p| (p, tab_label(app, p, keymap)))
        .collect();
    let tabs_w: usize = full.iter().map(|(_, l)| width(l) + 1).sum();
    let api_key = width(&format!(" key {}", safe(&app.target.api_key)));
    if fixed_width(app) + tabs_w + api_key <= area_width as usize {
        full
    } else {
        Pane::ALL
            .into_iter()
            .map(|p| (p, format!(" {} ", p.title())))
            .collect()
    }
}

pub fn draw(app: &App, keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    let t = &app.target;
    let badge = if t.live {
        Span::styled(" LIVE ", theme.badge_live)
    } else {
        Span::styled(" SANDBOX ", theme.badge_sandbox)
    };
    let tabs: Vec<Span> = tab_labels(app, keymap, area.width)
        .into_iter()
        .flat_map(|(pane, label)| {
            let style = if app.pane() == pane {
                theme.tab_active
            } else {
                theme.tab
            };
            [Span::raw(" "), Span::styled(label, style)]
        })
        .collect();
    let key = format!("key {}", safe(&t.api_key));
    let balance = app
        .apps
        .balance
        .map(|b| format!("€{:.2}", b.value))
        .unwrap_or_default();
    let url = safe(&t.base_url);
    let short_url = url
        .split_once("://")
        .map_or(url.as_str(), |(_, rest)| rest)
        .trim_end_matches('/')
        .to_string();

    let read_only = app
        .read_only
        .then(|| Span::styled(" read-only", theme.warn));
    let fixed = fixed_width(app) + tabs.iter().map(Span::width).sum::<usize>();
    let room = (area.width as usize).saturating_sub(fixed);
    // What fits of "url  key", the key first: it says which account this is. Room for the
    // balance is kept on the right (left of the spinner) whether it is known yet or not, so
    // nothing moves when it arrives.
    let mut about: Vec<Span> = Vec::new();
    let key_w = width(&key) + 1;
    let mut balance_room = 0;
    if key_w <= room {
        balance_room = if key_w + BALANCE_ROOM <= room {
            BALANCE_ROOM
        } else {
            0
        };
        let url_room = room - key_w - balance_room;
        if width(&url) < url_room {
            about.push(Span::styled(format!(" {url}"), theme.dim));
        } else if width(&short_url) < url_room {
            about.push(Span::styled(format!(" {short_url}"), theme.dim));
        }
        about.push(Span::raw(format!(" {key}")));
    }

    let mut left = vec![
        Span::styled("switchboard", theme.title),
        Span::raw(" "),
        badge,
    ];
    left.extend(read_only);
    left.extend(about);
    left.extend(tabs);
    frame.render_widget(Paragraph::new(Line::from(left)), area);

    let balance_w = width(&balance);
    if balance_room > 0 && balance_w > 0 && balance_w < balance_room {
        let x = (area.right() as usize).saturating_sub(SPINNER_ROOM + balance_w + 1) as u16;
        let at = Rect {
            x: x.max(area.x),
            width: balance_w as u16,
            ..area
        };
        frame.render_widget(
            Paragraph::new(Span::styled(balance.clone(), theme.heading)),
            at,
        );
    }
    if app.busy() > 0 || app.sent > 0 {
        let frame_glyph = SPINNER[app.spinner % SPINNER.len()];
        // The HTTP requests really in flight (none while they wait for a turn or a retry,
        // or while the work is not the network's: the spinner alone then).
        let count = match app.sent {
            0 => " ".to_string(),
            n => format!(" {} ", plural(n, "request", "requests")),
        };
        let busy = Line::from(vec![
            Span::styled(frame_glyph, theme.spinner),
            Span::raw(count),
        ]);
        let w = (busy.width() as u16).min(area.width);
        let right = Rect {
            x: area.right() - w,
            width: w,
            ..area
        };
        frame.render_widget(Paragraph::new(busy), right);
    }
}
