//! Terminal events, read on a thread of their own (crossterm's read blocks) and handed to the
//! async loop through a channel. The thread polls so it notices when the loop is gone.

use std::time::Duration;

use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

pub fn spawn() -> UnboundedReceiver<std::io::Result<Event>> {
    let (tx, rx) = unbounded_channel();
    std::thread::Builder::new()
        .name("terminal-events".into())
        .spawn(move || {
            loop {
                match event::poll(Duration::from_millis(200)) {
                    Ok(true) => {
                        if tx.send(event::read()).is_err() {
                            return;
                        }
                    }
                    Ok(false) => {
                        if tx.is_closed() {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        })
        .ok();
    rx
}
