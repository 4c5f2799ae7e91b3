//! Parts 2-4: frames, filter keystrokes and sorts of an App holding 100,000 numbers.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::app::{Action, App, Cmd, Column, Context};
use switchboard::tui::keymap::Keymap;
use switchboard::tui::theme::Theme;
use switchboard::tui::view;
use tui_input::InputRequest;

use super::{HEIGHT, WIDTH, median, ms, percentile, thousands, us};

pub(crate) struct Screen {
    terminal: Terminal<TestBackend>,
    keymap: Keymap,
    theme: Theme,
}

impl Screen {
    pub(crate) fn new() -> Screen {
        Screen {
            terminal: Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal"),
            keymap: Keymap::default(),
            theme: Theme::new(false),
        }
    }

    pub(crate) fn draw(&mut self, app: &App) -> Duration {
        let (keymap, theme) = (&self.keymap, &self.theme);
        let t = Instant::now();
        self.terminal
            .draw(|f| view::draw(app, keymap, theme, f))
            .expect("draw");
        t.elapsed()
    }

    fn text(&self) -> String {
        let buf = self.terminal.backend().buffer();
        buf.content().iter().map(|c| c.symbol()).collect()
    }
}

pub(crate) fn frames(app: &mut App, frames: usize) {
    let mut screen = Screen::new();
    let len = app.owned.shown.len();
    let mut all = Vec::new();
    for (name, pos) in [("top", 0), ("middle", len / 2), ("bottom", len - 1)] {
        app.owned.selected = pos;
        app.owned.scroll_into_view(app.rows);
        for _ in 0..10 {
            screen.draw(app);
        }
        let times: Vec<Duration> = (0..frames).map(|_| screen.draw(app)).collect();
        let want = format!("{} of {}", thousands(pos + 1), thousands(len));
        assert!(screen.text().contains(&want), "{name}: no '{want}' drawn");
        println!("frame_draw_100k_{name}_us_median={:.1}", us(median(&times)));
        println!(
            "frame_draw_100k_{name}_us_p99={:.1}",
            us(percentile(&times, 99.0))
        );
        all.extend(times);
    }
    println!("frame_draw_100k_us_median={:.1}", us(median(&all)));
    println!("frame_draw_100k_us_p99={:.1}", us(percentile(&all, 99.0)));

    // Every frame different: the selection moves one row down before each (from the middle,
    // so the table scrolls once the selection reaches its bottom).
    app.owned.selected = len / 2;
    app.owned.scroll_into_view(app.rows);
    screen.draw(app);
    let times: Vec<Duration> = (0..frames)
        .map(|_| {
            app.update(Action::Cmd(Cmd::Down));
            screen.draw(app)
        })
        .collect();
    println!(
        "frame_draw_100k_scrolling_us_median={:.1}",
        us(median(&times))
    );
    println!(
        "frame_draw_100k_scrolling_us_p99={:.1}",
        us(percentile(&times, 99.0))
    );
    app.update(Action::Cmd(Cmd::Top));
}

// 3. Filter

fn timed(app: &mut App, action: Action) -> Duration {
    let t = Instant::now();
    app.update(action);
    t.elapsed()
}

fn type_char(app: &mut App, c: char) -> Duration {
    timed(app, Action::Edit(InputRequest::InsertChar(c)))
}

fn backspace(app: &mut App) -> Duration {
    timed(app, Action::Edit(InputRequest::DeletePrevChar))
}

/// One keystroke: its label and its times over the repetitions.
type Keystrokes = Vec<(String, Vec<Duration>)>;

fn record(keys: &mut Keystrokes, label: &str, d: Duration) {
    match keys.iter_mut().find(|(l, _)| l == label) {
        Some((_, v)) => v.push(d),
        None => keys.push((label.to_string(), vec![d])),
    }
}

/// Types "447", backspaces to empty, types "example", then Esc; `reps` times. Returns the
/// narrowing and widening keystrokes' times by label.
fn filter_session(app: &mut App, reps: usize, shown: &mut Vec<(String, usize)>) -> Keystrokes {
    let mut keys: Keystrokes = Vec::new();
    for rep in 0..reps {
        app.update(Action::Cmd(Cmd::Filter));
        assert_eq!(app.context(), Context::OwnedFilter);
        let mut typed = String::new();
        for c in "447".chars() {
            typed.push(c);
            let d = type_char(app, c);
            record(&mut keys, &format!("narrow_{typed}"), d);
            if rep == 0 {
                shown.push((typed.clone(), app.owned.shown.len()));
            }
        }
        while !typed.is_empty() {
            typed.pop();
            let d = backspace(app);
            let label = if typed.is_empty() {
                "widen_to_empty".to_string()
            } else {
                format!("widen_{typed}")
            };
            record(&mut keys, &label, d);
        }
        assert_eq!(app.owned.shown.len(), app.owned.numbers.len());
        for c in "example".chars() {
            typed.push(c);
            let d = type_char(app, c);
            record(&mut keys, &format!("narrow_{typed}"), d);
            if rep == 0 {
                shown.push((typed.clone(), app.owned.shown.len()));
            }
        }
        let d = timed(app, Action::Cmd(Cmd::Back));
        record(&mut keys, "esc_clear", d);
        assert_eq!(app.owned.shown.len(), app.owned.numbers.len());
    }
    keys
}

pub(crate) fn filter(app: &mut App, reps: usize) {
    let mut shown = Vec::new();
    let keys = filter_session(app, reps, &mut shown);
    for (text, n) in &shown {
        println!("filter_100k_shown_{text}={n}");
    }
    let mut narrow_worst = Duration::ZERO;
    let mut widen_worst = Duration::ZERO;
    for (label, times) in &keys {
        let m = median(times);
        println!("filter_keystroke_100k_{label}_us={:.1}", us(m));
        if label.starts_with("narrow_") {
            narrow_worst = narrow_worst.max(m);
        } else if label.starts_with("widen_") {
            widen_worst = widen_worst.max(m);
        }
    }
    // The headline figures: the slowest keystroke of each kind (each keystroke's median).
    println!("filter_keystroke_100k_narrow_us={:.1}", us(narrow_worst));
    println!("filter_keystroke_100k_widen_us={:.1}", us(widen_worst));

    // Widening re-sorts what it re-scans, and narrowing walks the rows in the sorted order:
    // the same keystrokes with the list sorted by each other column.
    for col in Column::ALL.into_iter().skip(1) {
        while app.owned.sort != col {
            app.update(Action::Cmd(Cmd::SortNext));
        }
        let keys = filter_session(app, reps.min(3), &mut Vec::new());
        let worst = |prefix: &str| {
            keys.iter()
                .filter(|(l, _)| l.starts_with(prefix))
                .map(|(_, t)| median(t))
                .max()
                .unwrap_or_default()
        };
        let name = column_key(col);
        println!(
            "filter_keystroke_100k_narrow_sorted_by_{name}_us={:.1}",
            us(worst("narrow_"))
        );
        println!(
            "filter_keystroke_100k_widen_sorted_by_{name}_us={:.1}",
            us(worst("widen_"))
        );
    }
    while app.owned.sort != Column::Msisdn {
        app.update(Action::Cmd(Cmd::SortNext));
    }
}

// 4. Sort

fn column_key(c: Column) -> &'static str {
    match c {
        Column::Msisdn => "msisdn",
        Column::Country => "country",
        Column::Type => "type",
        Column::Features => "features",
        Column::App => "app",
        Column::SmsUrl => "sms_url",
        Column::Voice => "voice",
    }
}

pub(crate) fn sort(app: &mut App, reps: usize) {
    assert_eq!(app.owned.sort, Column::Msisdn);
    let mut times: Vec<(Column, Vec<Duration>)> =
        Column::ALL.iter().map(|c| (*c, vec![])).collect();
    for _ in 0..reps {
        // Country, Type, ..., Voice, then back to Msisdn.
        for _ in 0..Column::ALL.len() {
            let d = timed(app, Action::Cmd(Cmd::SortNext));
            let col = app.owned.sort;
            times
                .iter_mut()
                .find(|(c, _)| *c == col)
                .expect("column")
                .1
                .push(d);
        }
    }
    assert_eq!(app.owned.sort, Column::Msisdn);
    for (c, t) in &times {
        println!("sort_100k_ms_{}={:.1}", column_key(*c), ms(median(t)));
    }
    let mut rev = Vec::new();
    for _ in 0..reps {
        rev.push(timed(app, Action::Cmd(Cmd::SortReverse)));
    }
    println!("sort_100k_ms_msisdn_reverse={:.1}", ms(median(&rev)));
    if app.owned.reverse {
        app.update(Action::Cmd(Cmd::SortReverse));
    }
}
