//! The event loop: terminal events, worker replies and a tick (only while something animates)
//! in one `select!`; every ready action is applied before the next frame is drawn.

use std::io::{self, Write};
use std::time::{Duration, Instant, SystemTime};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use ratatui::layout::Rect;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

pub use super::kept::keep_changes;
use super::kept::save_cache;
use super::worker::Worker;
use crate::api::Client;
use crate::app::{Action, App, Effect, Target};
use crate::cache::{Cache, age_label};

use super::keymap::Keymap;
use super::theme::Theme;
use super::{events, terminal::TerminalGuard, view};

/// Frames per second of the spinner and of message expiry, while they run.
const TICK: Duration = Duration::from_millis(100);

/// What the TUI takes from the command line and the config file.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub read_only: bool,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Results per page in the Search pane.
    pub page_size: Option<u32>,
    /// Where this account's owned list is kept between runs.
    pub cache: Option<Cache>,
}

/// Receives the bytes that put text on the clipboard (OSC 52).
pub type CopySink = Box<dyn FnMut(&[u8]) + Send>;

/// What the loop does besides the network: the cache, and the clipboard.
pub struct Io {
    pub cache: Option<Cache>,
    pub copy: CopySink,
    /// Every change is journaled here (for undo); the app knows nothing of files.
    pub journal: Option<std::sync::Arc<crate::journal::Journal>>,
}

impl Default for Io {
    fn default() -> Self {
        Io {
            cache: None,
            copy: Box::new(|_| {}),
            journal: None,
        }
    }
}

/// Opens the TUI on the real terminal and runs it until the user quits.
pub async fn run(client: Client, target: Target, options: Options) -> io::Result<()> {
    let now = Instant::now();
    let mut app = App::new(target, now);
    app.read_only = options.read_only;
    app.wall = Some((now, SystemTime::now()));
    if let Some(size) = options.page_size {
        app.search.page_size = size;
    }
    // The list kept from the last run, before the first frame.
    if let Some(cache) = &options.cache {
        let started = Instant::now();
        if let Some(cached) = cache.load(SystemTime::now()) {
            tracing::info!(
                numbers = cached.numbers.len(),
                age = %age_label(cached.age),
                took = ?started.elapsed(),
                "cached owned list shown"
            );
            app.update(Action::Cached {
                numbers: cached.numbers,
                age: cached.age,
            });
        }
    }
    // The journal of changes, for undo.
    let journal = match crate::journal::Journal::open_for(client.api_key(), client.base_url()) {
        Ok(j) => Some(std::sync::Arc::new(j)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot open the journal");
            app.messages.push(
                Instant::now(),
                crate::app::Level::Warn,
                format!("cannot open the journal ({e}): changes made now cannot be undone"),
            );
            None
        }
    };
    let mut guard = TerminalGuard::new()?;
    let mut events = events::spawn();
    let forced_panic = test_panic_switch();
    let io = Io {
        journal,
        cache: options.cache.clone(),
        copy: Box::new(|bytes| {
            let mut out = io::stdout();
            let _ = out.write_all(bytes).and_then(|()| out.flush());
        }),
    };
    let result = drive_with(
        &mut guard.terminal,
        &mut events,
        &mut app,
        client,
        (&options.keymap, &options.theme),
        io,
        |_| {
            if forced_panic {
                panic!("SWITCHBOARD_TEST_PANIC: a panic forced inside the running UI");
            }
        },
    )
    .await;
    if let Some(cache) = &options.cache {
        keep_changes(cache, &app);
    }
    result
}

/// A test-only switch: in debug builds, `SWITCHBOARD_TEST_PANIC=1` makes the running UI panic
/// after its first frame, so a test can check that the terminal is restored and the panic
/// reported (`tests/e2e_panic.rs`). Release builds ignore it.
fn test_panic_switch() -> bool {
    cfg!(debug_assertions) && std::env::var_os("SWITCHBOARD_TEST_PANIC").is_some_and(|v| v == "1")
}

/// The loop itself, on any backend and any source of events (a test passes a TestBackend and
/// a channel). `observe` sees the app after each frame (a test watches it). Returns when the
/// app quits or the events end.
pub async fn drive<B: Backend>(
    terminal: &mut Terminal<B>,
    events: &mut UnboundedReceiver<io::Result<Event>>,
    app: &mut App,
    client: Client,
    keymap: &Keymap,
    theme: &Theme,
    observe: impl FnMut(&App),
) -> io::Result<()>
where
    B::Error: std::fmt::Display,
{
    drive_with(
        terminal,
        events,
        app,
        client,
        (keymap, theme),
        Io::default(),
        observe,
    )
    .await
}

/// [`drive`], with the cache and the clipboard of `io`.
pub async fn drive_with<B: Backend>(
    terminal: &mut Terminal<B>,
    events: &mut UnboundedReceiver<io::Result<Event>>,
    app: &mut App,
    client: Client,
    (keymap, theme): (&Keymap, &Theme),
    mut io: Io,
    mut observe: impl FnMut(&App),
) -> io::Result<()>
where
    B::Error: std::fmt::Display,
{
    let (tx, mut replies) = unbounded_channel();
    // What a slow request waits for, and how many are in flight, are read from the client's
    // wait board (memory, no I/O).
    let waits = client.clone();
    let journal = io.journal.take();
    // A run cut short is looked for (and offered to reconcile and resume) when there is a
    // journal to look in.
    let look = journal.is_some();
    let worker = Worker::with_journal(client, tx, journal);
    app.keys = keymap.names();
    let mut effects = app.start();
    if look {
        effects.extend(app.look_for_cut_short());
    }
    run_effects(&worker, &mut io, app, effects);
    // The frame drawn last: where a click lands is read from it.
    let mut last = ratatui::buffer::Buffer::empty(Rect::default());
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let size = terminal.size().map_err(backend_error)?;
        let screen = Rect::new(0, 0, size.width, size.height);
        sync_sizes(app, keymap, screen);
        let drawn = terminal
            .draw(|f| view::draw(app, keymap, theme, f))
            .map_err(backend_error)?;
        last.clone_from(drawn.buffer);
        observe(app);
        if app.quit {
            return Ok(());
        }
        let first = tokio::select! {
            event = events.recv() => match event {
                Some(Ok(event)) => action_of(app, keymap, &last, &event),
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(action) = replies.recv() => Some(action),
            _ = ticker.tick(), if app.animating() => Some(Action::Tick(Instant::now())),
        };
        let mut effects: Vec<Effect> = Vec::new();
        if let Some(action) = first {
            effects.extend(app.update(action));
        }
        let waiting = waiting_for(&waits, Instant::now());
        if waiting != app.waiting {
            effects.extend(app.update(Action::Waiting(waiting)));
        }
        if waits.in_flight() != app.sent {
            effects.extend(app.update(Action::Sent(waits.in_flight())));
        }
        // Everything else already waiting, in one batch, then one frame.
        while let Ok(action) = replies.try_recv() {
            effects.extend(app.update(action));
        }
        while !app.quit {
            let Ok(event) = events.try_recv() else { break };
            // A key may scroll a layer the previous key opened: its size first.
            sync_sizes(app, keymap, screen);
            if let Some(action) = action_of(app, keymap, &last, &event?) {
                effects.extend(app.update(action));
            }
        }
        run_effects(&worker, &mut io, app, effects);
    }
}

/// How long a request waits before the status line says what for.
const SAY_WAITING_AFTER: Duration = Duration::from_secs(2);

/// What the oldest request in flight waits for, once it has waited [`SAY_WAITING_AFTER`].
fn waiting_for(client: &Client, now: Instant) -> Option<String> {
    client
        .waiting()
        .filter(|w| now.saturating_duration_since(w.since) >= SAY_WAITING_AFTER)
        .map(|w| w.describe(now))
}

/// What a terminal event means: a key through the keymap; a click where the last frame
/// drew what it lands on; the wheel scrolls (not in text fields, where Down moves fields).
fn action_of(
    app: &App,
    keymap: &Keymap,
    last: &ratatui::buffer::Buffer,
    event: &Event,
) -> Option<Action> {
    use ratatui::crossterm::event::{MouseButton, MouseEventKind};
    let Event::Mouse(m) = event else {
        return keymap.action(app.context(), event);
    };
    match m.kind {
        MouseEventKind::ScrollDown if !app.context().takes_text() => {
            Some(Action::Cmd(crate::app::Cmd::Down))
        }
        MouseEventKind::ScrollUp if !app.context().takes_text() => {
            Some(Action::Cmd(crate::app::Cmd::Up))
        }
        MouseEventKind::Down(MouseButton::Left) => {
            view::mouse::hit(app, keymap, last, m.column, m.row).map(Action::Click)
        }
        _ => None,
    }
}

/// Tells the app the sizes of what the screen shows: the table's rows, the top layer's
/// scrolled text.
fn sync_sizes(app: &mut App, keymap: &Keymap, screen: Rect) {
    let rows = view::table_rows(app, screen);
    if rows != app.rows {
        app.update(Action::Viewport { rows });
    }
    let (page, max) = view::scrollable(app, keymap, screen);
    if (page, max) != (app.page, app.scroll_max) {
        app.update(Action::Scrollable { page, max });
    }
}

fn backend_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

fn run_effects(worker: &Worker, io: &mut Io, app: &App, effects: Vec<Effect>) {
    for effect in effects {
        match effect {
            Effect::Copy(text) => (io.copy)(&super::osc52::sequence(&text)),
            Effect::SaveCache => save_cache(io.cache.as_ref(), app),
            effect @ Effect::Api { .. } => worker.run(effect),
        }
    }
}
