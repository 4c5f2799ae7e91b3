//! switchboard: a terminal UI and command line for the phone numbers of a Vonage account, over
//! the Vonage Numbers API, with an embedded sandbox of that API.

pub mod api;
pub mod app;
pub mod cache;
pub mod changes;
pub mod cli;
pub mod config;
pub mod doctor;
pub mod export;
pub mod logfile;
pub mod output;
pub mod sandbox;
pub mod tui;

// The change engine's parts under the names the code has used so far.
pub use changes as bulk;
pub use changes::{journal, undo};
