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

/// The four colours the theme is drawn with, all from the terminal's palette (the config
/// file's `[theme]` may change them: `accent`, `highlight`, `danger`, `success`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// Titles, borders, keys, the focused label (cyan).
    pub accent: Color,
    /// Column titles, the spinner, the focused input, warnings (yellow).
    pub highlight: Color,
    /// The LIVE badge, errors, removed values (red).
    pub danger: Color,
    /// The SANDBOX badge, information, added values (green).
    pub success: Color,
}

impl Default for Palette {
    fn default() -> Self {
        Palette {
            accent: Color::Cyan,
            highlight: Color::Yellow,
            danger: Color::Red,
            success: Color::Green,
        }
    }
}

/// The terminal's named colours, as the config file writes them.
pub const COLOR_NAMES: [(&str, Color); 17] = [
    ("default", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
];

/// A named colour of the terminal's palette (`blue`, `lightcyan`, `default`...).
pub fn parse_color(name: &str) -> Option<Color> {
    let n = name
        .trim()
        .to_ascii_lowercase()
        .replace(['-', '_', ' '], "");
    COLOR_NAMES.iter().find(|(k, _)| *k == n).map(|(_, c)| *c)
}

impl Theme {
    /// The theme; `no_color` keeps only modifiers (bold, reversed, underlined, dim).
    pub fn new(no_color: bool) -> Theme {
        Theme::with_palette(no_color, Palette::default())
    }

    /// The theme drawn with `p`'s colours.
    pub fn with_palette(no_color: bool, p: Palette) -> Theme {
        let plain = Style::new();
        let fg = |c: Color| plain.fg(c);
        let bold = Modifier::BOLD;
        let t = Theme {
            no_color,
            title: fg(p.accent).add_modifier(bold),
            badge_live: fg(p.danger).add_modifier(bold | Modifier::REVERSED),
            badge_sandbox: fg(p.success).add_modifier(bold | Modifier::REVERSED),
            tab: plain,
            tab_active: fg(p.accent).add_modifier(bold | Modifier::REVERSED),
            spinner: fg(p.highlight).add_modifier(bold),
            border: fg(p.accent),
            border_dim: plain.add_modifier(Modifier::DIM),
            heading: plain.add_modifier(bold),
            table_header: fg(p.highlight).add_modifier(bold),
            selected: plain.add_modifier(Modifier::REVERSED),
            dim: plain.add_modifier(Modifier::DIM),
            key: fg(p.accent).add_modifier(bold),
            label: plain,
            label_focused: fg(p.accent).add_modifier(bold),
            input: plain.add_modifier(Modifier::UNDERLINED),
            input_focused: fg(p.highlight).add_modifier(Modifier::UNDERLINED | bold),
            info: fg(p.success),
            warn: fg(p.highlight).add_modifier(bold),
            error: fg(p.danger).add_modifier(bold),
            removed: fg(p.danger).add_modifier(bold),
            added: fg(p.success),
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
    fn a_palette_recolours_every_role() {
        let p = Palette {
            accent: Color::Blue,
            highlight: Color::Magenta,
            danger: Color::LightRed,
            success: Color::White,
        };
        let t = Theme::with_palette(false, p);
        assert_eq!(t.title.fg, Some(Color::Blue));
        assert_eq!(t.key.fg, Some(Color::Blue));
        assert_eq!(t.table_header.fg, Some(Color::Magenta));
        assert_eq!(t.error.fg, Some(Color::LightRed));
        assert_eq!(t.badge_sandbox.fg, Some(Color::White));
        assert_eq!(
            Theme::with_palette(true, p).title.fg,
            None,
            "NO_COLOR still wins"
        );
        assert_eq!(parse_color("Light-Blue"), Some(Color::LightBlue));
        assert_eq!(parse_color("default"), Some(Color::Reset));
        assert_eq!(parse_color("#ff0000"), None, "the terminal's palette only");
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
