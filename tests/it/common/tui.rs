//! The TUI's real event loop (`tui::drive_with`, with the default `Io` of `tui::drive` or the
//! test's own) on a TestBackend, driven by key events from a test, against a client (a sandbox
//! over loopback, or a closed port): the one headless UI of the tests. After every frame the test
//! sees a [`Seen`]: what the app holds and the screen as drawn, so it can wait for a state,
//! read messages and scan the screen.

use std::io;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use switchboard::api::Client;
use switchboard::app::dialog::{Dialog, WebhookStatus};
use switchboard::app::{App, Context, Level, Target};
use switchboard::tui::{Io, drive_with, keymap::Keymap, theme::Theme, view};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// What the test sees of the app after a frame.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    pub frames: u64,
    pub context: Option<Context>,
    /// Requests in flight.
    pub busy: usize,
    /// The owned list has finished loading at least once (no load in flight).
    pub loaded: bool,
    /// Msisdns of the owned numbers held.
    pub owned: Vec<String>,
    /// Msisdns of the owned rows shown (after the local filter and sort), in their order.
    pub shown: Vec<String>,
    /// Each owned number's SMS webhook as the list holds it, by msisdn, in the list's order.
    pub sms_urls: Vec<(String, Option<String>)>,
    /// A bulk or undo run is going on (started, not ended).
    pub run_going: bool,
    /// The selected owned number.
    pub selected: Option<String>,
    /// The SMS webhook of the number in the detail view.
    pub detail_sms_url: Option<String>,
    /// The number being edited (else the selected search result, else the selected owned
    /// number) has a change in flight.
    pub saving: bool,
    /// Msisdns of the search results shown (None before a search answered).
    pub results: Option<Vec<String>>,
    /// The error log (warnings and errors), oldest first.
    pub log: Vec<(Level, String)>,
    /// The message on screen, if any.
    pub toast: Option<String>,
    /// The level of the message on screen.
    pub toast_level: Option<Level>,
    /// The webhook check of the save dialog, while it is open.
    pub webhook_check: Option<WebhookStatus>,
    /// The inline error of the open form (edit, API filter, search), if any.
    pub form_error: Option<String>,
    /// The screen as drawn, one string per row.
    pub screen: Vec<String>,
    /// Every cell symbol of the screen, for scans for control characters.
    pub cells: Vec<String>,
}

impl Seen {
    pub fn screen_text(&self) -> String {
        self.screen.join("\n")
    }

    /// The owned numbers whose SMS webhook is `url`, as the list holds them.
    pub fn with_sms_url(&self, url: &str) -> Vec<&str> {
        self.sms_urls
            .iter()
            .filter(|(_, u)| u.as_deref() == Some(url))
            .map(|(m, _)| m.as_str())
            .collect()
    }

    /// The screen's rows that show `msisdn`.
    pub fn rows_of(&self, msisdn: &str) -> Vec<&str> {
        self.screen
            .iter()
            .filter(|r| r.contains(msisdn))
            .map(String::as_str)
            .collect()
    }

    /// The log's errors, newest last.
    pub fn errors(&self) -> Vec<&str> {
        self.log
            .iter()
            .filter(|(l, _)| *l == Level::Error)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

fn seen_of(app: &App, keymap: &Keymap, frames: u64, screen: &mut Terminal<TestBackend>) -> Seen {
    let _ = screen.draw(|f| view::draw(app, keymap, &Theme::new(true), f));
    let buffer = screen.backend().buffer();
    let width = buffer.area.width as usize;
    let cells: Vec<String> = buffer
        .content
        .iter()
        .map(|c| c.symbol().to_string())
        .collect();
    // A row as a terminal shows it: a wide character's second cell is not a character.
    let rows = cells
        .chunks(width.max(1))
        .map(|r| {
            let mut row = String::new();
            let mut skip = 0;
            for sym in r {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                skip = ratatui::text::Span::raw(sym.as_str())
                    .width()
                    .saturating_sub(1);
                row.push_str(sym);
            }
            row
        })
        .collect();
    Seen {
        frames,
        context: Some(app.context()),
        busy: app.busy(),
        loaded: app.owned.loading.is_none() && frames > 0,
        owned: app
            .owned
            .numbers
            .iter()
            .filter_map(|n| n.msisdn.clone())
            .collect(),
        shown: app
            .owned
            .shown
            .iter()
            .filter_map(|&i| app.owned.numbers.get(i as usize)?.msisdn.clone())
            .collect(),
        sms_urls: app
            .owned
            .numbers
            .iter()
            .filter_map(|n| {
                Some((
                    n.msisdn.clone()?,
                    n.mo_http_url.as_deref().map(String::from),
                ))
            })
            .collect(),
        run_going: app.bulk.running(),
        selected: app.owned.selected_msisdn(),
        detail_sms_url: app
            .detail_number()
            .and_then(|n| n.mo_http_url.as_deref().map(String::from)),
        saving: saving(app),
        results: app
            .search
            .results
            .as_ref()
            .map(|p| p.numbers.iter().filter_map(|n| n.msisdn.clone()).collect()),
        log: app
            .messages
            .log
            .iter()
            .map(|e| (e.level, e.text.clone()))
            .collect(),
        toast: app.messages.current().map(|t| t.text.clone()),
        toast_level: app.messages.current().map(|t| t.level),
        webhook_check: match app.dialog() {
            Some(Dialog::ConfirmUpdate { webhook, .. }) => {
                webhook.as_ref().map(|c| c.status.clone())
            }
            _ => None,
        },
        form_error: form_error(app),
        screen: rows,
        cells,
    }
}

fn saving(app: &App) -> bool {
    let edited = app.edit_form().map(|e| e.msisdn.clone());
    let searched = app.search.selected_number().and_then(|n| n.msisdn.clone());
    let watched = edited.or(searched).or_else(|| app.owned.selected_msisdn());
    watched.is_some_and(|m| app.change_in_flight(&m).is_some())
}

fn form_error(app: &App) -> Option<String> {
    // The form with the keyboard, else the edit form under its save dialog.
    let form = app
        .focused_form()
        .or_else(|| app.edit_form().map(|e| &e.form))?;
    form.first_error().map(|(_, e)| e)
}

/// The loop running in a task.
pub struct Headless {
    tx: Option<mpsc::UnboundedSender<io::Result<Event>>>,
    pub seen: watch::Receiver<Seen>,
    task: Option<JoinHandle<(io::Result<()>, App)>>,
}

/// The loop after it returned on its own.
pub struct Ended {
    pub result: io::Result<()>,
    /// The app as the loop left it.
    pub app: App,
    /// What the last frame showed.
    pub last: Seen,
}

impl Headless {
    /// Starts the loop on a `width` x `height` TestBackend with `client`.
    pub fn start(client: Client, width: u16, height: u16) -> Headless {
        Headless::start_with(client, width, height, Keymap::default(), |_| {})
    }

    /// [`Headless::start`] with a keymap and a change to the app before the loop starts
    /// (read-only mode, a page size).
    pub fn start_with(
        client: Client,
        width: u16,
        height: u16,
        keymap: Keymap,
        setup: impl FnOnce(&mut App),
    ) -> Headless {
        Headless::start_io(client, width, height, keymap, Io::default(), setup)
    }

    /// [`Headless::start_with`] with the cache, the clipboard and the journal of `io`
    /// (`drive_with`; the others pass the `Io::default()` that `drive` passes).
    pub fn start_io(
        client: Client,
        width: u16,
        height: u16,
        keymap: Keymap,
        io: Io,
        setup: impl FnOnce(&mut App),
    ) -> Headless {
        let target = Target {
            live: false,
            base_url: client.base_url().to_string(),
            api_key: client.api_key().to_string(),
        };
        let mut app = App::new(target, std::time::Instant::now());
        setup(&mut app);
        let (tx, mut events) = mpsc::unbounded_channel();
        let (seen_tx, seen) = watch::channel(Seen::default());
        let task = tokio::spawn(async move {
            let Ok(mut terminal) = Terminal::new(TestBackend::new(width, height));
            let Ok(mut screen) = Terminal::new(TestBackend::new(width, height));
            let mut frames = 0;
            let result = drive_with(
                &mut terminal,
                &mut events,
                &mut app,
                client,
                (&keymap, &Theme::new(true)),
                io,
                |a: &App| {
                    frames += 1;
                    let _ = seen_tx.send(seen_of(a, &keymap, frames, &mut screen));
                },
            )
            .await;
            (result, app)
        });
        Headless {
            tx: Some(tx),
            seen,
            task: Some(task),
        }
    }

    fn send(&self, code: KeyCode, modifiers: KeyModifiers) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Ok(Event::Key(KeyEvent::new(code, modifiers))));
        }
    }

    pub fn key(&self, code: KeyCode) {
        self.send(code, KeyModifiers::NONE);
    }

    pub fn ch(&self, c: char) {
        self.key(KeyCode::Char(c));
    }

    fn mouse(&self, kind: ratatui::crossterm::event::MouseEventKind, x: u16, y: u16) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Ok(Event::Mouse(ratatui::crossterm::event::MouseEvent {
                kind,
                column: x,
                row: y,
                modifiers: KeyModifiers::NONE,
            })));
        }
    }

    /// A left click on cell (`x`, `y`).
    pub fn click(&self, x: u16, y: u16) {
        use ratatui::crossterm::event::{MouseButton, MouseEventKind};
        self.mouse(MouseEventKind::Down(MouseButton::Left), x, y);
    }

    /// One notch of the wheel, down.
    pub fn wheel_down(&self) {
        self.mouse(
            ratatui::crossterm::event::MouseEventKind::ScrollDown,
            10,
            10,
        );
    }

    pub fn alt(&self, c: char) {
        self.send(KeyCode::Char(c), KeyModifiers::ALT);
    }

    pub fn ctrl(&self, c: char) {
        self.send(KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    /// Types `text`, one key event per character.
    pub fn text(&self, text: &str) {
        for c in text.chars() {
            self.ch(c);
        }
    }

    /// Waits (at most 30 s) until `ok` holds for what the last frame showed.
    pub async fn wait(&mut self, what: &str, ok: impl Fn(&Seen) -> bool) -> Seen {
        let waited = tokio::time::timeout(Duration::from_secs(30), self.seen.wait_for(|s| ok(s)))
            .await
            .map(|r| r.map(|s| s.clone()));
        match waited {
            Ok(Ok(seen)) => seen,
            Ok(Err(_)) => panic!(
                "the UI loop ended (or panicked) while waiting for {what}; last seen {:#?}",
                *self.seen.borrow()
            ),
            Err(_) => panic!(
                "timed out waiting for {what}; last seen {:#?}",
                *self.seen.borrow()
            ),
        }
    }

    /// The last frame seen.
    pub fn now(&self) -> Seen {
        self.seen.borrow().clone()
    }

    /// Waits until nothing is in flight.
    pub async fn idle(&mut self) -> Seen {
        self.wait("no request in flight", |s| s.busy == 0 && s.frames > 0)
            .await
    }

    /// Ends the event stream and waits for the loop to return; panics if it panicked.
    pub async fn finish(mut self) -> io::Result<()> {
        self.tx = None;
        let task = self.task.take().expect("the loop task");
        match tokio::time::timeout(Duration::from_secs(30), task).await {
            Ok(Ok((result, _))) => result,
            Ok(Err(join)) => panic!("the UI loop panicked: {join}"),
            Err(_) => panic!("the UI loop did not end"),
        }
    }

    /// Waits (at most 10 s) for the loop to return on its own, the event stream still open
    /// (after q, Ctrl+C); panics if it panicked or did not end.
    pub async fn ends(mut self, what: &str) -> Ended {
        let task = self.task.take().expect("the loop task");
        match tokio::time::timeout(Duration::from_secs(10), task).await {
            Ok(Ok((result, app))) => Ended {
                result,
                app,
                last: self.now(),
            },
            Ok(Err(join)) => panic!("the UI loop panicked: {join}"),
            Err(_) => panic!("the UI loop did not end: {what}"),
        }
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
