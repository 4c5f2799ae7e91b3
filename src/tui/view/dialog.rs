//! The dialogs: buy (prices, the balance, "Don't buy" focused), cancel a number (type its last
//! four digits), save an edit of a number or an application (the diff, the warnings, Back
//! focused), quit while a change is in flight, drop a form's edits. Each is a `popup::Popup`:
//! on a short screen its text scrolls and its buttons always show.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_input::Input;

use super::popup::{Popup, Scrolled, body_of, dialog_width, show};
use super::text::{opt, safe, width, wrap};
use super::widgets::{answers, input, key, wrap_spans};
use crate::api::AvailableNumber;
use crate::api::model::features_label;
use crate::app::dialog::{DiffLine, WebhookCheck, WebhookStatus, last_four};
use crate::app::{App, Cmd, Context, Dialog};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Left margin inside a dialog.
pub(super) const M: &str = "  ";

pub fn draw(
    app: &App,
    dialog: &Dialog,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let (popup, input_row) = build(app, dialog, (keymap, theme), area);
    let scroll = Scrolled::of(app, keymap);
    let (inner, offset) = show(popup, Some(&scroll), theme, frame, area);
    // The cancel dialog's field, where its row is (unless scrolled out of sight).
    if let (Dialog::CancelNumber { typed, .. }, Some(row)) = (dialog, input_row)
        && let Some(y) = row.checked_sub(offset)
    {
        let x = inner.x + width(M) as u16 + 2;
        let at = Rect::new(x, inner.y + y as u16, 9, 1).intersection(body_of(inner, false));
        let typing = app.context() == Context::DialogText;
        input(frame, at, typed, theme.input_focused, typing);
    }
}

/// Lines `dialog` scrolls past its popup on `area` (0 when it fits).
pub fn scroll_max(app: &App, dialog: &Dialog, keymap: &Keymap, area: Rect) -> usize {
    build(app, dialog, (keymap, &Theme::new(true)), area)
        .0
        .overflow(area)
}

/// The dialog's popup, and the row of its text field (the cancel dialog's), if any.
fn build<'a>(
    app: &App,
    dialog: &Dialog,
    (keymap, theme): (&Keymap, &Theme),
    area: Rect,
) -> (Popup<'a>, Option<usize>) {
    let popup = match dialog {
        Dialog::Buy {
            number,
            confirm_focused,
        } => buy(app, number, *confirm_focused, (keymap, theme), area),
        Dialog::CancelNumber {
            country,
            msisdn,
            typed,
        } => return cancel((country, msisdn, typed), keymap, theme, area),
        Dialog::ConfirmUpdate {
            msisdn,
            diff,
            warnings,
            confirm_focused,
            webhook,
            ..
        } => confirm(
            msisdn,
            diff,
            (warnings, webhook.as_ref()),
            *confirm_focused,
            (keymap, theme),
            area,
        ),
        Dialog::ConfirmApp {
            name,
            diff,
            confirm_focused,
            ..
        } => confirm(
            name,
            diff,
            (&[], None),
            *confirm_focused,
            (keymap, theme),
            area,
        ),
        Dialog::Overwrite {
            path,
            numbers,
            confirm_focused,
            ..
        } => super::export::overwrite(path, numbers.len(), *confirm_focused, (keymap, theme), area),
        Dialog::Quit { confirm_focused } => {
            let w = dialog_width(area, 52);
            let lines = vec![
                Line::default(),
                Line::styled(
                    format!("{M}A change is still in flight. Quit anyway?"),
                    theme.warn,
                ),
            ];
            let footer = answers(keymap, ("Stay", "Quit"), *confirm_focused, w - 2, theme);
            Popup::new(" Quit? ", lines, Some(footer), w)
        }
        Dialog::Discard { confirm_focused } => {
            let w = dialog_width(area, 52);
            let lines = vec![
                Line::default(),
                Line::styled(
                    format!("{M}The form holds changes not saved. Drop them?"),
                    theme.warn,
                ),
            ];
            let footer = answers(
                keymap,
                ("Keep editing", "Discard"),
                *confirm_focused,
                w - 2,
                theme,
            );
            Popup::new(" Discard the changes? ", lines, Some(footer), w)
        }
    };
    (popup, None)
}

pub(super) fn field<'a>(label: &str, value: String, style: Style, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{M}{label:<14}"), theme.label_focused),
        Span::styled(value, style),
    ])
}

pub(super) fn eur(o: &Option<String>) -> String {
    match o {
        Some(v) if !v.trim().is_empty() => format!("EUR {}", safe(v)),
        _ => "unknown".to_string(),
    }
}

fn buy<'a>(
    app: &App,
    n: &AvailableNumber,
    confirm: bool,
    (keymap, theme): (&Keymap, &Theme),
    area: Rect,
) -> Popup<'a> {
    let w = dialog_width(area, 56);
    let mut kind = n
        .number_type
        .as_ref()
        .map(|t| safe(t.as_str()))
        .unwrap_or_default();
    let features = safe(&features_label(&n.features));
    if !features.is_empty() {
        kind = if kind.is_empty() {
            features
        } else {
            format!("{kind} · {features}")
        };
    }
    let plain = Style::new();
    let money = theme.heading;
    let mut lines = vec![
        Line::default(),
        field("Country", opt(&n.country), plain, theme),
        field("Number", opt(&n.msisdn), money, theme),
    ];
    if !kind.is_empty() {
        lines.push(field("Type", kind, plain, theme));
    }
    lines.push(field("Monthly cost", eur(&n.cost), money, theme));
    lines.push(field("Setup fee", eur(&n.initial_price), money, theme));
    lines.extend(balance_lines(app, n, w, theme));
    lines.push(Line::default());
    lines.push(if app.target.live {
        Line::styled(format!("{M}Charged to your Vonage account."), theme.warn)
    } else {
        Line::styled(format!("{M}Sandbox: no real money is spent."), theme.dim)
    });
    let footer = answers(keymap, ("Don't buy", "Buy"), confirm, w - 2, theme);
    Popup::new(" Buy this number? ", lines, Some(footer), w)
}

/// Balance now, setup fee and first month, balance after; a warning when it does not cover
/// the buy. Nothing while the balance is unknown.
fn balance_lines<'a>(app: &App, n: &AvailableNumber, w: u16, theme: &Theme) -> Vec<Line<'a>> {
    let Some(b) = app.apps.balance else {
        return Vec::new();
    };
    let plain = Style::new();
    let mut lines = vec![field(
        "Balance now",
        format!("EUR {:.2}", b.value),
        plain,
        theme,
    )];
    let Some(sums) = app.apps.buy_sums(n) else {
        return lines;
    };
    lines.push(field(
        "Setup + month",
        format!("EUR {:.2}", sums.setup + sums.monthly),
        plain,
        theme,
    ));
    let style = if sums.covered() {
        theme.heading
    } else {
        theme.error
    };
    lines.push(field(
        "Balance after",
        format!("EUR {:.2}", sums.after),
        style,
        theme,
    ));
    if !sums.covered() {
        let room = (w as usize).saturating_sub(2 + 2 * M.len());
        let text = "The balance does not cover this buy: the API will refuse it. Top up first.";
        lines.extend(
            wrap(text, room)
                .into_iter()
                .map(|l| Line::styled(format!("{M}{l}"), theme.error)),
        );
    }
    lines
}

/// The cancel dialog, and the row of its field.
fn cancel<'a>(
    (country, msisdn, typed): (&str, &str, &Input),
    keymap: &Keymap,
    theme: &Theme,
    area: Rect,
) -> (Popup<'a>, Option<usize>) {
    let w = dialog_width(area, 60);
    let room = (w as usize).saturating_sub(2 + 2 * M.len());
    let (msisdn, country) = (safe(msisdn), safe(country));
    let four = last_four(&msisdn).to_string();
    let mut lines = vec![Line::default()];
    let warning = format!("Cancel {msisdn} ({country})? It leaves your account.");
    for l in wrap(&warning, room) {
        lines.push(Line::styled(format!("{M}{l}"), theme.warn));
    }
    lines.push(Line::default());
    for l in wrap(
        &format!("Type the last four digits ({four}) to confirm:"),
        room,
    ) {
        lines.push(Line::raw(format!("{M}{l}")));
    }
    let input_row = lines.len();
    lines.push(Line::from(Span::styled(
        format!("{M}▸ "),
        theme.label_focused,
    )));
    let v = typed.value();
    let (note, style) = if v.len() >= 4 && v != four {
        ("✗ the digits do not match".to_string(), theme.error)
    } else {
        let text = format!(
            "{} to cancel the number · {} to keep it",
            key(keymap, Context::DialogText, Cmd::Submit),
            key(keymap, Context::DialogText, Cmd::Back)
        );
        (text, theme.dim)
    };
    for l in wrap(&note, room.saturating_sub(2)) {
        lines.push(Line::styled(format!("{M}  {l}"), style));
    }
    (
        Popup::new(" Cancel this number? ", lines, None, w),
        Some(input_row),
    )
}

fn confirm<'a>(
    msisdn: &str,
    diff: &[DiffLine],
    (warnings, webhook): (&[String], Option<&WebhookCheck>),
    save: bool,
    (keymap, theme): (&Keymap, &Theme),
    area: Rect,
) -> Popup<'a> {
    let w = dialog_width(area, 76);
    let room = (w as usize).saturating_sub(2 + M.len());
    let mut lines = vec![Line::default()];
    for (field, before, after) in diff {
        let value = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(safe);
        let before = (value(before).unwrap_or_else(|| "(none)".into()), theme.dim);
        let after = match value(after) {
            Some(a) => vec![(a, theme.added)],
            None => vec![
                ("(none)".to_string(), theme.removed),
                (" REMOVED".to_string(), theme.removed),
            ],
        };
        let name = (format!("{field}: "), theme.heading);
        let arrow = (" → ".to_string(), Style::new());
        let one: usize = [&name, &before, &arrow]
            .into_iter()
            .chain(after.iter())
            .map(|(t, _)| width(t))
            .sum();
        if M.len() + one <= room {
            let mut pieces = vec![(M.to_string(), Style::new()), name, before, arrow];
            pieces.extend(after);
            lines.extend(wrap_spans(pieces, room, 0));
        } else {
            // Too long for one line: the field, then before and after under it.
            let ind = format!("{M}  ");
            lines.push(Line::from(vec![Span::raw(M), Span::styled(name.0, name.1)]));
            lines.extend(wrap_spans(
                vec![(ind.clone(), Style::new()), before],
                room,
                ind.len(),
            ));
            let mut pieces = vec![(format!("{M}→ "), Style::new())];
            pieces.extend(after);
            lines.extend(wrap_spans(pieces, room, ind.len()));
        }
    }
    if !warnings.is_empty() {
        lines.push(Line::default());
    }
    for warning in warnings {
        for (i, l) in wrap(&safe(warning), room.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "! " } else { "  " };
            lines.push(Line::styled(format!("{M}{lead}{l}"), theme.warn));
        }
    }
    if let Some(check) = webhook {
        let (full, style) = match crate::app::webhook::describe(&check.status) {
            None => (
                "Checking that the SMS webhook answers a GET with 200, as Vonage will…".to_string(),
                theme.dim,
            ),
            Some(v) if check.status.is_warning() => (format!("The SMS webhook {v}"), theme.warn),
            Some(v) => (format!("The SMS webhook {v}"), theme.info),
        };
        let mark = match check.status {
            WebhookStatus::Checking => "… ",
            WebhookStatus::Answered(200) => "✓ ",
            _ => "! ",
        };
        lines.push(Line::default());
        for (i, l) in wrap(&full, room.saturating_sub(2)).into_iter().enumerate() {
            let lead = if i == 0 { mark } else { "  " };
            lines.push(Line::styled(format!("{M}{lead}{l}"), style));
        }
    }
    let footer = answers(keymap, ("Back", "Save"), save, w - 2, theme);
    let title = format!(" Save changes to {}? ", safe(msisdn));
    Popup::new(&title, lines, Some(footer), w)
}
