//! The terminal UI: the terminal guard, the event loop, the keymap, the theme and the views.

pub mod events;
mod kept;
pub mod keymap;
pub mod osc52;
pub mod run;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod worker;

pub use run::{Io, Options, drive, drive_with, run};
