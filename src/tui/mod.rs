//! The terminal UI: the terminal guard, the event loop, the keymap, the theme and the views.

pub mod events;
pub mod keymap;
pub mod run;
pub mod terminal;
pub mod theme;
pub mod view;

pub use run::{drive, run};
