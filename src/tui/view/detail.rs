//! The detail view of one owned number: every field, long values wrapped; the edit form
//! beside it when the screen is wide, instead of it when not.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::text::{chunks, opt, safe};
use super::widgets::{block, key, scrollbar};
use super::{edit, text::width};
use crate::api::model::features_label;
use crate::api::{OwnedNumber, Text};
use crate::app::detail::Detail;
use crate::app::{App, Cmd, Context, EditForm};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Wide enough to show the detail and the edit form side by side.
const SIDE_BY_SIDE: u16 = 110;
const LABEL: usize = 18;

/// The detail view, over the whole body.
pub fn draw(app: &App, d: &Detail, keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let back = key(keymap, Context::Detail, Cmd::Back);
    draw_detail(
        app,
        (&d.msisdn, &back),
        d.scroll.offset,
        theme,
        frame,
        area,
        true,
    );
}

/// The edit form, beside the number's details when the screen is wide, over them when not.
pub fn draw_edit(
    app: &App,
    e: &EditForm,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    frame.render_widget(Clear, area);
    if area.width >= SIDE_BY_SIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(area);
        draw_detail(app, (&e.msisdn, ""), 0, theme, frame, left, false);
        edit::draw(app, e, keymap, theme, frame, right);
    } else {
        edit::draw(app, e, keymap, theme, frame, area);
    }
}

/// Lines the detail view of `msisdn` scrolls past its area (0 when it fits).
pub fn scroll_max(app: &App, msisdn: &str, area: Rect) -> usize {
    let inner = block("", &Theme::new(true)).inner(area);
    match app.owned_number(msisdn) {
        Some(n) => lines(app, n, &Theme::new(true), inner.width as usize)
            .len()
            .saturating_sub(inner.height as usize),
        None => 0,
    }
}

fn draw_detail(
    app: &App,
    (msisdn, back): (&str, &str),
    scroll: usize,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    focused: bool,
) {
    let Some(n) = app.owned_number(msisdn) else {
        let b = block(" Number ", theme);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let m = safe(msisdn);
        let text = format!("{m} is no longer in the owned list ({back} to go back)");
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.dim)).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    };
    let title = format!(" {} ({}) ", opt(&n.msisdn), opt(&n.country));
    let mut b = block(title, theme);
    if !focused {
        b = b.border_style(theme.border_dim);
    }
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let lines = lines(app, n, theme, inner.width as usize);
    let over = lines.len().saturating_sub(inner.height as usize);
    let scroll = scroll.min(over);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    scrollbar(frame, area, over, scroll, theme);
}

/// A value as drawn: the text and its style.
enum Value {
    Text(String),
    Missing,
    /// Not in the API's answer, and not known from this session.
    NotReturned,
    /// Not in the API's answer; known because this session set it.
    Known(String),
}

fn lines<'a>(app: &App, n: &OwnedNumber, theme: &Theme, w: usize) -> Vec<Line<'a>> {
    fn v<S: AsRef<str>>(o: &Option<S>) -> Value {
        match o.as_ref().map(AsRef::as_ref) {
            Some(s) if !s.is_empty() => Value::Text(safe(s)),
            _ => Value::Missing,
        }
    }
    let known = n.msisdn.as_ref().and_then(|m| app.known.get(m));
    let unreadable = |o: &Option<Text>, k: Option<&Option<String>>| match (o.as_deref(), k) {
        (Some(s), _) if !s.is_empty() => Value::Text(safe(s)),
        (_, Some(Some(s))) if !s.is_empty() => Value::Known(safe(s)),
        (_, Some(_)) => Value::Missing,
        _ => Value::NotReturned,
    };
    let kind = n.number_type.as_ref().map(|t| t.as_str().to_string());
    let features = Some(features_label(&n.features)).filter(|f| !f.is_empty());
    let limitations: Vec<String> = n.limitations.iter().map(|l| safe(&l.to_string())).collect();

    let mut out = Vec::new();
    let mut row = |label: &str, value: Value| push(&mut out, label, value, theme, w);
    row("Country", v(&n.country));
    row("MSISDN", v(&n.msisdn));
    row("Type", v(&kind));
    row("Features", v(&features));
    if limitations.is_empty() {
        row("Limitations", Value::Text("none".into()));
    }
    for (i, l) in limitations.into_iter().enumerate() {
        row(if i == 0 { "Limitations" } else { "" }, Value::Text(l));
    }
    row("", Value::Text(String::new()));
    for (label, value) in routing(app, n) {
        row(label, value);
    }
    row("", Value::Text(String::new()));
    row("SMS webhook URL", v(&n.mo_http_url));
    row(
        "SMPP system type",
        unreadable(&n.mo_smpp_sys_type, known.map(|k| &k.mo_smpp_sys_type)),
    );
    row("Voice type", v(&n.voice_callback_type));
    row("Voice value", v(&n.voice_callback_value));
    row(
        "Voice status URL",
        unreadable(
            &n.voice_status_callback,
            known.map(|k| &k.voice_status_callback),
        ),
    );
    row("Messages type", v(&n.messages_callback_type));
    row("Messages value", v(&n.messages_callback_value));
    out
}

/// Where calls and messages go, then the linked application: its name, id, capabilities and
/// webhooks (with their methods).
fn routing(app: &App, n: &OwnedNumber) -> Vec<(&'static str, Value)> {
    let text = |s: &str| Value::Text(safe(s));
    let routes = crate::app::apps::routes(n, &app.apps);
    let mut out = Vec::new();
    if let Some(voice) = &routes.voice {
        out.push(("Calls go to", text(voice)));
    }
    if let Some(messages) = &routes.messages {
        out.push(("Messages go to", text(messages)));
    }
    if !out.is_empty() {
        out.push(("", Value::Text(String::new())));
    }
    let Some(id) = n.app_id.as_deref().filter(|a| !a.is_empty()) else {
        out.push(("Application", Value::Missing));
        return out;
    };
    out.push(("Application", text(&app.apps.display(id))));
    out.push(("Application id", text(id)));
    let Some(a) = app.apps.get(id) else {
        return out;
    };
    let caps = if a.capabilities.is_empty() {
        "none".to_string()
    } else {
        a.capabilities.join(", ")
    };
    out.push(("Capabilities", text(&caps)));
    for w in &a.webhooks {
        let label = match (w.capability.as_str(), w.name.as_str()) {
            ("voice", "answer_url") => "Voice answer",
            ("voice", "event_url") => "Voice event",
            ("voice", "fallback_answer_url") => "Voice fallback",
            ("messages", "inbound_url") => "Messages inbound",
            ("messages", "status_url") => "Messages status",
            _ => "Other webhook",
        };
        let value = match (label, &w.http_method) {
            ("Other webhook", m) => format!(
                "{}.{} {}{}",
                w.capability,
                w.name,
                m.as_deref().map(|m| format!("{m} ")).unwrap_or_default(),
                w.address
            ),
            (_, Some(m)) => format!("{m} {}", w.address),
            (_, None) => w.address.clone(),
        };
        out.push((label, text(&value)));
    }
    out
}

fn push<'a>(out: &mut Vec<Line<'a>>, label: &str, value: Value, theme: &Theme, w: usize) {
    let label_w = LABEL.min(w / 2);
    let room = w.saturating_sub(label_w + 1).max(1);
    let pad = |s: &str| format!("{s:<label_w$} ");
    let (text, style, note) = match value {
        Value::Text(t) => (t, ratatui::style::Style::new(), None),
        Value::Missing => ("—".to_string(), theme.dim, None),
        Value::NotReturned => ("(not returned by the API)".to_string(), theme.dim, None),
        Value::Known(t) => (
            t,
            ratatui::style::Style::new(),
            Some(" (set in this session)"),
        ),
    };
    for (i, chunk) in chunks(&text, room).into_iter().enumerate() {
        let mut spans = vec![
            Span::styled(pad(if i == 0 { label } else { "" }), theme.label_focused),
            Span::styled(chunk, style),
        ];
        if let Some(note) = note.filter(|s| i == 0 && width(&text) + s.len() <= room) {
            spans.push(Span::styled(note, theme.dim));
        }
        out.push(Line::from(spans));
    }
}
