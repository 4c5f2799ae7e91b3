//! The terminal guard: raw mode, the alternate screen and mouse reports on start, restored on
//! every exit path (normal return, error, panic: ratatui's init installs a panic hook that
//! restores first; mouse reports are turned off before it).

use std::io::stdout;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn new() -> std::io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        let restore = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableMouseCapture);
            restore(info);
        }));
        execute!(stdout(), EnableMouseCapture)?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // While unwinding from a panic, ratatui's panic hook has already restored the terminal
        // (before the report was printed). Restoring twice would leave the alternate screen a
        // second time, which moves the cursor back to where it was at start-up, so the shell's
        // next lines would overwrite the panic report.
        if !std::thread::panicking() {
            let _ = execute!(stdout(), DisableMouseCapture);
            ratatui::restore();
        }
    }
}
