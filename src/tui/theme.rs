//! The styles of the TUI, from the terminal's own palette (named colours, never RGB), so it
//! reads on light and dark backgrounds alike. With `NO_COLOR` only modifiers are used.

use ratatui::style::{Color, Modifier, Style};

/// Every style the views use, built once per run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub no_color: bool,
    /// `switchboard` in the header.
    pub title: Style,
    pub badge_live: Style,
    pub badge_sandbox: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub spinner: Style,
    /// Borders of the focused block, and of the others.
    pub border: Style,
    pub border_dim: Style,
    /// Block titles.
    pub heading: Style,
    /// Column titles of a table.
    pub table_header: Style,
    /// The selected row.
    pub selected: Style,
    /// Secondary text: hints, empty values, units.
    pub dim: Style,
    /// A key in the hint bar and the help overlay.
    pub key: Style,
    /// A field label, and the focused one.
    pub label: Style,
    pub label_focused: Style,
    /// A text input, and the focused one.
    pub input: Style,
    pub input_focused: Style,
    pub info: Style,
    pub warn: Style,
    pub error: Style,
    /// A value about to be removed, in a diff.
    pub removed: Style,
    /// A value about to be set, in a diff.
    pub added: Style,
    pub button: Style,
    pub button_focused: Style,
}

impl Theme {
    /// The theme; `no_color` keeps only modifiers (bold, reversed, underlined, dim).
    pub fn new(no_color: bool) -> Theme {
        let plain = Style::new();
        let fg = |c: Color| plain.fg(c);
        let bold = Modifier::BOLD;
        let t = Theme {
            no_color,
            title: fg(Color::Cyan).add_modifier(bold),
            badge_live: fg(Color::Red).add_modifier(bold | Modifier::REVERSED),
            badge_sandbox: fg(Color::Green).add_modifier(bold | Modifier::REVERSED),
            tab: plain,
            tab_active: fg(Color::Cyan).add_modifier(bold | Modifier::REVERSED),
            spinner: fg(Color::Yellow).add_modifier(bold),
            border: fg(Color::Cyan),
            border_dim: plain.add_modifier(Modifier::DIM),
            heading: plain.add_modifier(bold),
            table_header: fg(Color::Yellow).add_modifier(bold),
            selected: plain.add_modifier(Modifier::REVERSED),
            dim: plain.add_modifier(Modifier::DIM),
            key: fg(Color::Cyan).add_modifier(bold),
            label: plain,
            label_focused: fg(Color::Cyan).add_modifier(bold),
            input: plain.add_modifier(Modifier::UNDERLINED),
            input_focused: fg(Color::Yellow).add_modifier(Modifier::UNDERLINED | bold),
            info: fg(Color::Green),
            warn: fg(Color::Yellow).add_modifier(bold),
            error: fg(Color::Red).add_modifier(bold),
            removed: fg(Color::Red).add_modifier(bold),
            added: fg(Color::Green),
            button: plain,
            button_focused: plain.add_modifier(bold | Modifier::REVERSED),
        };
        if no_color { t.without_colors() } else { t }
    }

    /// The theme for this environment: `NO_COLOR` set to anything non-empty turns colours off
    /// (<https://no-color.org>).
    pub fn from_env() -> Theme {
        Theme::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
    }

    fn without_colors(self) -> Theme {
        let s = |style: Style| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..style
        };
        Theme {
            no_color: true,
            title: s(self.title),
            badge_live: s(self.badge_live),
            badge_sandbox: s(self.badge_sandbox),
            tab: s(self.tab),
            tab_active: s(self.tab_active),
            spinner: s(self.spinner),
            border: s(self.border),
            border_dim: s(self.border_dim),
            heading: s(self.heading),
            table_header: s(self.table_header),
            selected: s(self.selected),
            dim: s(self.dim),
            key: s(self.key),
            label: s(self.label),
            label_focused: s(self.label_focused),
            input: s(self.input),
            input_focused: s(self.input_focused),
            info: s(self.info),
            warn: s(self.warn),
            error: s(self.error),
            removed: s(self.removed),
            added: s(self.added),
            button: s(self.button),
            button_focused: s(self.button_focused),
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_keeps_only_modifiers() {
        let t = Theme::new(true);
        for s in [t.title, t.badge_live, t.error, t.warn, t.selected, t.key] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(t.badge_live.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn colours_are_named_never_rgb() {
        let t = Theme::new(false);
        for s in [
            t.title,
            t.badge_live,
            t.badge_sandbox,
            t.error,
            t.warn,
            t.info,
            t.key,
        ] {
            assert!(!matches!(
                s.fg,
                Some(Color::Rgb(..)) | Some(Color::Indexed(_))
            ));
        }
    }
}
