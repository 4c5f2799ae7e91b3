//! `switchboard completions SHELL` and `switchboard man`: both from the clap definitions, so
//! they always list the flags the binary has.

use std::io::Write;

use clap::CommandFactory;

use super::args::Cli;
use super::exit::CliError;
use super::numbers::io_error;

pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<(), CliError> {
    // Into memory first: clap_complete panics when its writer fails (a reader that left).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "switchboard", &mut script);
    out.write_all(&script).map_err(io_error)
}

pub fn man(out: &mut dyn Write) -> Result<(), CliError> {
    clap_mangen::Man::new(Cli::command())
        .render(out)
        .map_err(io_error)
}
