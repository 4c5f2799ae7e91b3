//! The help overlay: the keys of the context under it and the global ones, from the keymap
//! (so it always shows what is actually bound); two columns when wide or when one is too tall.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::status::SHOWN;
use super::text::{fit, width};
use super::widgets::{block, popup, scrollbar};
use crate::app::overlay::Help;
use crate::app::{App, Cmd, Context, Group};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Width from which help always uses two columns.
const TWO_COLUMNS: u16 = 100;
const GAP: usize = 4;

fn context_name(ctx: Context) -> &'static str {
    match ctx {
        Context::Owned => "Owned numbers",
        Context::OwnedFilter => "Filtering the list",
        Context::ServerFilter => "API filters",
        Context::Detail => "Number details",
        Context::Edit => "Editing a number",
        Context::BulkForm => "Editing the marked numbers",
        Context::SearchForm => "Search form",
        Context::SearchResults => "Search results",
        Context::SearchResult => "A search result",
        Context::Dialog | Context::DialogText => "Dialog",
        Context::Help => "Help",
        Context::Log => "Error log",
        Context::Export => "Export dialog",
        Context::Bulk => "Bulk run",
        Context::Palette => "Command palette",
        Context::Apps => "Applications",
        Context::AppNumbers => "An application's numbers",
        Context::AppPicker => "Choosing an application",
        Context::Doctor => "Routing doctor",
    }
}

type Section = (&'static str, Vec<(String, Cmd)>);

fn sections(app: &App, keymap: &Keymap) -> Vec<Section> {
    let ctx = app.context_below_top();
    let mut all = keymap.bindings(ctx);
    if app.read_only {
        all.retain(|(_, c)| !c.changes_account());
    }
    let pick = |f: &dyn Fn(Cmd) -> bool| -> Vec<(String, Cmd)> {
        all.iter().filter(|(_, c)| f(*c)).cloned().collect()
    };
    let mut own = pick(&|c| c.group() == Group::Own);
    own.sort_by_key(|(_, c)| SHOWN.iter().position(|s| s == c).unwrap_or(SHOWN.len()));
    let mut moves = pick(&|c| c.group() == Group::Moving);
    // The moves in a fixed order, whatever order a config file bound them in.
    let order = [
        Cmd::Down,
        Cmd::Up,
        Cmd::PageDown,
        Cmd::PageUp,
        Cmd::Top,
        Cmd::Bottom,
    ];
    moves.sort_by_key(|(_, c)| order.iter().position(|m| m == c));
    let global = pick(&|c| c.group() == Group::Everywhere);
    [
        (context_name(ctx), own),
        ("Moving", moves),
        ("Everywhere", global),
    ]
    .into_iter()
    .filter(|(_, b)| !b.is_empty())
    .collect()
}

fn section_lines<'a>(s: &Section, key_w: usize, col_w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = vec![Line::styled(s.0, theme.table_header)];
    for (key, cmd) in &s.1 {
        let desc = fit(cmd.describe(), col_w.saturating_sub(key_w + 1));
        out.push(Line::from(vec![
            Span::styled(format!("{key:>key_w$}"), theme.key),
            Span::raw(format!(" {desc}")),
        ]));
    }
    out
}

/// " Help — ? or Esc to close ", with the keys that close it now.
fn title(keymap: &Keymap) -> String {
    let in_help = keymap.bindings(Context::Help);
    let first = |cmd: Cmd| {
        in_help
            .iter()
            .find(|(_, c)| *c == cmd)
            .and_then(|(k, _)| k.split('/').next().map(String::from))
    };
    match (first(Cmd::Help), first(Cmd::Back)) {
        (Some(h), Some(b)) => format!(" Help — {h} or {b} to close "),
        (Some(k), None) | (None, Some(k)) => format!(" Help — {k} to close "),
        (None, None) => " Help ".to_string(),
    }
}

/// The help's columns of lines, the width of one column, and the popup's inner size.
struct Laid<'a> {
    columns: Vec<Vec<Line<'a>>>,
    col_w: usize,
    rect: Rect,
    content: Rect,
}

fn lay_out<'a>(app: &App, keymap: &Keymap, theme: &Theme, area: Rect) -> Laid<'a> {
    let secs = sections(app, keymap);
    let keys_w = |secs: &[Section]| {
        secs.iter()
            .flat_map(|(_, b)| b.iter().map(|(k, _)| width(k)))
            .max()
            .unwrap_or(1)
    };
    let key_w = keys_w(&secs);
    let desc_w = secs
        .iter()
        .flat_map(|(_, b)| b.iter().map(|(_, c)| width(c.describe())))
        .chain(secs.iter().map(|(t, _)| width(t)))
        .max()
        .unwrap_or(1);
    let col_w = key_w + 1 + desc_w;
    let total: usize = secs
        .iter()
        .map(|(_, b)| b.len() + 2)
        .sum::<usize>()
        .saturating_sub(1);
    // Inside the popup: borders and a margin of one column / one blank line.
    let max_inner_h = area.height.saturating_sub(4) as usize;
    let max_inner_w = area.width.saturating_sub(6) as usize;
    let fits_two = 2 * col_w + GAP <= max_inner_w;
    let two = fits_two && (area.width >= TWO_COLUMNS || total > max_inner_h);

    // Sections split between the columns where the taller one is shortest.
    let heights: Vec<usize> = secs.iter().map(|(_, b)| b.len() + 1).collect();
    let col_h = |r: &[usize]| r.iter().sum::<usize>() + r.len().saturating_sub(1);
    let split = if two {
        (1..secs.len())
            .min_by_key(|&k| col_h(&heights[..k]).max(col_h(&heights[k..])))
            .unwrap_or(secs.len())
    } else {
        secs.len()
    };
    let mut columns: Vec<Vec<Line>> = Vec::new();
    for part in [&secs[..split], &secs[split..]] {
        if part.is_empty() {
            continue;
        }
        let mut col = Vec::new();
        for s in part {
            if !col.is_empty() {
                col.push(Line::default());
            }
            col.extend(section_lines(s, keys_w(part), col_w, theme));
        }
        columns.push(col);
    }
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let inner_w = columns.len() * col_w + columns.len().saturating_sub(1) * GAP;
    let w = (inner_w as u16 + 6).min(area.width);
    let h = (rows as u16 + 4).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    let inner = Rect {
        x: rect.x + 1,
        y: rect.y + 1,
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2),
    };
    let content = Rect {
        x: inner.x + 2,
        y: inner.y + 1,
        width: inner.width.saturating_sub(4),
        height: inner.height.saturating_sub(2),
    };
    Laid {
        columns,
        col_w,
        rect,
        content,
    }
}

/// Lines the help scrolls past its popup on a body of `area` (0 when it fits).
pub fn scroll_max(app: &App, keymap: &Keymap, area: Rect) -> usize {
    let laid = lay_out(app, keymap, &Theme::new(true), area);
    let rows = laid.columns.iter().map(Vec::len).max().unwrap_or(0);
    rows.saturating_sub(laid.content.height as usize)
}

pub fn draw(app: &App, h: &Help, keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    let laid = lay_out(app, keymap, theme, area);
    let rect = popup(frame, area, laid.rect.width, laid.rect.height);
    let b = block(title(keymap), theme);
    frame.render_widget(b, rect);
    let content = laid.content;
    let rows = laid.columns.iter().map(Vec::len).max().unwrap_or(0);
    let over = rows.saturating_sub(content.height as usize);
    let scroll = h.scroll.offset.min(over);
    let mut x = content.x;
    for col in laid.columns {
        let w = (laid.col_w as u16).min(content.right().saturating_sub(x));
        frame.render_widget(
            Paragraph::new(col).scroll((scroll as u16, 0)),
            Rect {
                x,
                width: w,
                ..content
            },
        );
        x += (laid.col_w + GAP) as u16;
    }
    scrollbar(frame, rect, over, scroll, theme);
}
