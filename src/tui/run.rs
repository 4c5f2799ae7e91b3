//! The event loop: terminal events, worker replies and a tick (only while something animates)
//! in one `select!`; every ready action is applied before the next frame is drawn.

use std::io;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use ratatui::layout::Rect;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use crate::api::Client;
use crate::app::{Action, App, Effect, Target};
use crate::worker::Worker;

use super::keymap::Keymap;
use super::theme::Theme;
use super::{events, terminal::TerminalGuard, view};

/// Frames per second of the spinner and of message expiry, while they run.
const TICK: Duration = Duration::from_millis(100);

/// Opens the TUI on the real terminal and runs it until the user quits.
pub async fn run(client: Client, target: Target, read_only: bool) -> io::Result<()> {
    let mut app = App::new(target, Instant::now());
    app.read_only = read_only;
    // The journal of changes, for undo: the app knows nothing of files, the worker writes it.
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
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut guard = TerminalGuard::new()?;
    let mut events = events::spawn();
    drive_journaled(
        &mut guard.terminal,
        &mut events,
        &mut app,
        client,
        journal,
        &Keymap::default(),
        &Theme::new(no_color),
        |_| {},
    )
    .await
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
    drive_journaled(terminal, events, app, client, None, keymap, theme, observe).await
}

/// [`drive`], with the journal every change is written to (for undo).
#[allow(clippy::too_many_arguments)]
pub async fn drive_journaled<B: Backend>(
    terminal: &mut Terminal<B>,
    events: &mut UnboundedReceiver<io::Result<Event>>,
    app: &mut App,
    client: Client,
    journal: Option<std::sync::Arc<crate::journal::Journal>>,
    keymap: &Keymap,
    theme: &Theme,
    mut observe: impl FnMut(&App),
) -> io::Result<()>
where
    B::Error: std::fmt::Display,
{
    let (tx, mut replies) = unbounded_channel();
    let worker = Worker::with_journal(client, tx, journal);
    run_effects(&worker, app.start());
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let size = terminal.size().map_err(backend_error)?;
        let rows = view::table_rows(app, Rect::new(0, 0, size.width, size.height));
        if rows != app.rows {
            app.update(Action::Viewport { rows });
        }
        terminal
            .draw(|f| view::draw(app, keymap, theme, f))
            .map_err(backend_error)?;
        observe(app);
        if app.quit {
            return Ok(());
        }
        let first = tokio::select! {
            event = events.recv() => match event {
                Some(Ok(event)) => keymap.action(app.context(), &event),
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
        // Everything else already waiting, in one batch, then one frame.
        while let Ok(action) = replies.try_recv() {
            effects.extend(app.update(action));
        }
        while !app.quit {
            let Ok(event) = events.try_recv() else { break };
            if let Some(action) = keymap.action(app.context(), &event?) {
                effects.extend(app.update(action));
            }
        }
        run_effects(&worker, effects);
    }
}

fn backend_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

fn run_effects(worker: &Worker, effects: Vec<Effect>) {
    for effect in effects {
        worker.run(effect);
    }
}
