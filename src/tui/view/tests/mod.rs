//! Snapshots of every pane, form and dialog at 80x24 and 120x40, drawn on a TestBackend.
//! Each snapshot is the screen as text, then where the cursor is and which cells are drawn
//! reversed (the selection, the focused button, the active tab, the badge): the text alone
//! carries no styles.

mod apps;
mod bulk;
mod config;
mod dialogs;
mod names;
mod overlays;
mod owned;
mod search;

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

use crate::api::{Feature, Limitation, NumberType, OwnedNumber};
use crate::app::{Action, App, Cmd, Target};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub fn app() -> App {
    let mut a = App::new(
        Target {
            live: false,
            base_url: "http://127.0.0.1:40123".into(),
            api_key: "1a2b3c4d".into(),
        },
        Instant::now(),
    );
    // The keys messages name, as the loop gives them.
    a.keys = crate::tui::keymap::Keymap::default().names();
    a
}

pub fn cmd(app: &mut App, cmd: Cmd) {
    app.update(Action::Cmd(cmd));
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Edit(tui_input::InputRequest::InsertChar(c)));
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// Thirty owned numbers with varied fields; number 7 has an escape sequence in its webhook.
pub fn numbers() -> Vec<OwnedNumber> {
    let countries = ["GB", "US", "DE", "FR", "NL", "ES"];
    let prefixes = [
        "447700900",
        "1415555",
        "4915112",
        "3361234",
        "3197010",
        "3460012",
    ];
    (0..30)
        .map(|i| {
            let c = i % countries.len();
            let kind = match i % 3 {
                0 => NumberType::MobileLvn,
                1 => NumberType::Landline,
                _ => NumberType::LandlineTollFree,
            };
            let features = match i % 4 {
                0 => vec![Feature::Sms, Feature::Voice],
                1 => vec![Feature::Voice],
                2 => vec![Feature::Sms, Feature::Mms, Feature::Voice],
                _ => vec![Feature::Sms],
            };
            let mut n = OwnedNumber {
                country: Some(countries[c].into()),
                msisdn: Some(format!("{}{:03}", prefixes[c], 100 + i * 7)),
                number_type: Some(kind),
                features: features.into(),
                ..Default::default()
            };
            if i.is_multiple_of(2) {
                n.app_id = Some(format!("aaaa{i:04}-bbbb-4ccc-8ddd-eeeeffff0000").into());
            }
            if i % 3 != 2 {
                n.mo_http_url = Some(format!("https://hooks.example.com/sms/{i}").into());
            }
            if i % 5 == 1 {
                n.voice_callback_type = Some("tel".into());
                n.voice_callback_value = Some(format!("4420796{:05}", i * 11).into());
            }
            if i % 7 == 3 {
                n.voice_callback_type = Some("sip".into());
                n.voice_callback_value = Some("sip:pbx@example.com".into());
            }
            if i == 7 {
                n.mo_http_url =
                    Some("https://evil.example/\u{1b}[31mred\u{1b}[0m/\u{7}hook".into());
                n.limitations = vec![
                    Limitation {
                        feature: s("SMS"),
                        kind: s("OUTBOUND"),
                        reach: s("INTERNATIONAL"),
                    },
                    Limitation {
                        feature: s("VOICE"),
                        kind: s("INBOUND"),
                        reach: s("NATIONAL"),
                    },
                ];
                n.messages_callback_type = Some("app".into());
                n.messages_callback_value = Some("aaaa0007-bbbb-4ccc-8ddd-eeeeffff0000".into());
            }
            if i == 11 {
                n.number_type = Some(NumberType::Other("premium\u{1b}]0;pwned\u{7}".into()));
            }
            n
        })
        .collect()
}

/// The number with the escape sequence in its webhook.
pub fn tricky() -> String {
    numbers()[7].msisdn.clone().unwrap()
}

/// An app on the Owned pane with the thirty numbers loaded.
pub fn loaded() -> App {
    let mut app = app();
    app.owned.set_numbers(numbers());
    app
}

/// The screen as text, the cursor, and the reversed cells.
pub fn render(app: &App, w: u16, h: u16) -> String {
    render_with(app, &Keymap::default(), w, h)
}

/// [`render`] with a keymap of the config file's making.
pub fn render_with(app: &App, keymap: &Keymap, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| super::draw(app, keymap, &Theme::new(false), f))
        .unwrap();
    let backend = terminal.backend();
    let buf = backend.buffer();
    let mut out = String::new();
    let mut reversed: Vec<String> = Vec::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        let mut run: Option<u16> = None;
        for x in 0..w {
            let cell = &buf[(x, y)];
            if skip > 0 {
                skip -= 1;
            } else {
                line.push_str(cell.symbol());
                skip = super::text::width(cell.symbol()).saturating_sub(1);
            }
            let rev = cell.modifier.contains(Modifier::REVERSED);
            match (rev, run) {
                (true, None) => run = Some(x),
                (false, Some(start)) => {
                    reversed.push(format!("row {y}: {start}..{x}"));
                    run = None;
                }
                _ => {}
            }
        }
        if let Some(start) = run {
            reversed.push(format!("row {y}: {start}..{w}"));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("---\n");
    if backend.cursor_visible() {
        let p = backend.cursor_position();
        out.push_str(&format!("cursor: x={} y={}\n", p.x, p.y));
    } else {
        out.push_str("cursor: hidden\n");
    }
    out.push_str(&format!("reversed: {}\n", reversed.join(", ")));
    out
}

/// Snapshots `app` at 80x24 and 120x40.
/// Tells the app what the screen of `w` x `h` shows of its top layer, as the loop does.
pub fn sized(app: &mut App, w: u16, h: u16) {
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    let (page, max) = crate::tui::view::scrollable(app, &Keymap::default(), area);
    app.update(crate::app::Action::Scrollable { page, max });
}

pub fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_120x40"), render(app, 120, 40));
}

/// Every cell of a few busy screens, drawn with `theme`.
fn cells_of_busy_screens(theme: &Theme) -> Vec<ratatui::buffer::Cell> {
    let mut screens = Vec::new();
    let mut a = loaded();
    a.messages.push(
        a.now,
        crate::app::Level::Warn,
        "a warning for the toast line",
    );
    screens.push(a);
    let mut a = loaded();
    cmd(&mut a, Cmd::CancelNumber);
    screens.push(a);
    let mut a = loaded();
    cmd(&mut a, Cmd::Help);
    screens.push(a);
    let mut a = loaded();
    cmd(&mut a, Cmd::Edit);
    screens.push(a);
    let mut out = Vec::new();
    for app in &screens {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|f| super::draw(app, &Keymap::default(), theme, f))
            .unwrap();
        out.extend(terminal.backend().buffer().content.iter().cloned());
    }
    out
}

#[test]
fn no_color_draws_no_colour_at_all() {
    use ratatui::style::Color;
    for cell in cells_of_busy_screens(&Theme::new(true)) {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

#[test]
fn colours_come_from_the_terminal_palette() {
    use ratatui::style::Color;
    for cell in cells_of_busy_screens(&Theme::new(false)) {
        for c in [cell.fg, cell.bg] {
            assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{cell:?}");
        }
    }
}

#[test]
fn a_large_list_draws_only_its_visible_rows() {
    let mut app = app();
    let base = numbers();
    let many: Vec<OwnedNumber> = (0..100_000)
        .map(|i| {
            let mut n = base[i % base.len()].clone();
            n.msisdn = Some(format!("4477{:08}", i));
            n
        })
        .collect();
    app.owned.set_numbers(many);
    app.update(Action::Viewport { rows: 30 });
    cmd(&mut app, Cmd::Bottom);
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Owned — 100,000 shown of 100,000"),
        "{screen}"
    );
    assert!(screen.contains("100,000 of 100,000"), "{screen}");
    assert!(screen.contains("447700099999"), "{screen}");
}
