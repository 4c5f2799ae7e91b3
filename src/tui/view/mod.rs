//! Drawing (placeholder until the views land).

use ratatui::Frame;

use crate::app::App;

use super::keymap::Keymap;
use super::theme::Theme;

pub fn draw(_app: &App, _keymap: &Keymap, _theme: &Theme, _frame: &mut Frame) {}
