//! Confirmations for money and loss: asked on a terminal, refused without one unless `--yes`.

use std::io::{BufRead, IsTerminal, Write};

use super::exit::CliError;

/// Asks `question`; `expected` decides whether the typed answer confirms. Without a terminal
/// on stdin the answer is no, with a message saying to pass `--yes`.
pub fn ask(question: &str, what: &str, expected: &dyn Fn(&str) -> bool) -> Result<(), CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::NotConfirmed(format!(
            "not confirmed: {what} needs a confirmation and stdin is not a terminal; pass --yes to confirm in a script"
        )));
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{question} ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Other(format!("reading the answer: {e}")))?;
    if expected(line.trim()) {
        Ok(())
    } else {
        Err(CliError::NotConfirmed(format!(
            "not confirmed: {what} was not done"
        )))
    }
}

pub fn is_yes(answer: &str) -> bool {
    matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes")
}
