//! The terminal guard: raw mode and the alternate screen on start, restored on every exit path
//! (normal return, error, panic: ratatui's init installs a panic hook that restores first).

use ratatui::DefaultTerminal;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn new() -> std::io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
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
            ratatui::restore();
        }
    }
}
