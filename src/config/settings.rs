//! The sections of the config file beyond credentials: `[keys]` (a preset, then one line per
//! action), `[theme]`, `[ui]` and `[api]`; checked when the file is read, so a mistake is a
//! clear error at start naming the line and the value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::tui::keymap::Keymap;
use ratatui::style::Color;

use crate::tui::theme::{COLOR_NAMES, Palette, Theme, parse_color};

/// `[keys]`: `preset = "default" | "vim" | "arrows"`, then `action = ["key", ...]` lines that
/// replace the keys of an action (`[]` unbinds it). Keys are written as in help.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct KeysSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    #[serde(flatten)]
    pub bindings: BTreeMap<String, KeyList>,
}

/// One key or a list of them.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(ks) => ks.clone(),
        }
    }
}

impl KeysSection {
    pub fn is_empty(&self) -> bool {
        self.preset.is_none() && self.bindings.is_empty()
    }

    /// The keymap this section describes; the error names the action (the line's key).
    pub fn keymap(&self) -> Result<Keymap, crate::tui::keymap::KeyError> {
        let lines: Vec<(String, Vec<String>)> = self
            .bindings
            .iter()
            .map(|(a, k)| (a.clone(), k.keys()))
            .collect();
        Keymap::configured(self.preset.as_deref(), &lines)
    }
}

/// `[theme]`: `colors = "terminal"` (the terminal's own palette, the default) or `"none"`,
/// and the four colours of the palette by name (`accent`, `highlight`, `danger`, `success`:
/// one of the terminal's sixteen named colours, or `default`). `NO_COLOR` set to anything
/// non-empty turns colours off whatever this says.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeSection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colors: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub danger: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<String>,
}

impl ThemeSection {
    pub fn is_empty(&self) -> bool {
        *self == ThemeSection::default()
    }

    fn roles(&self) -> [(&'static str, &Option<String>); 4] {
        [
            ("accent", &self.accent),
            ("highlight", &self.highlight),
            ("danger", &self.danger),
            ("success", &self.success),
        ]
    }

    /// The first mistake: (the key it is on, the message).
    fn check(&self) -> Result<(), (&'static str, String)> {
        match self.colors.as_deref() {
            None | Some("terminal") | Some("none") => {}
            Some(other) => {
                return Err((
                    "colors",
                    format!(
                        "colors = \"{other}\": write \"terminal\" (the terminal's palette) or \"none\""
                    ),
                ));
            }
        }
        for (role, value) in self.roles() {
            if let Some(v) = value
                && parse_color(v).is_none()
            {
                let names: Vec<&str> = COLOR_NAMES.iter().map(|(n, _)| *n).collect();
                return Err((
                    role,
                    format!(
                        "{role} = \"{v}\": one of the terminal's colours: {}",
                        names.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The palette, with the file's colours where it names them.
    pub fn palette(&self) -> Palette {
        let mut p = Palette::default();
        let pick = |v: &Option<String>, d: Color| v.as_deref().and_then(parse_color).unwrap_or(d);
        p.accent = pick(&self.accent, p.accent);
        p.highlight = pick(&self.highlight, p.highlight);
        p.danger = pick(&self.danger, p.danger);
        p.success = pick(&self.success, p.success);
        p
    }

    /// The theme: no colours when `colors = "none"` or when `no_color_env` (NO_COLOR) is set.
    pub fn theme(&self, no_color_env: bool) -> Theme {
        Theme::with_palette(
            no_color_env || self.colors.as_deref() == Some("none"),
            self.palette(),
        )
    }
}

/// `[ui]`: `page_size` = results per page in the Search pane (1-100, default 20); `cache` =
/// whether the owned list is kept on disk for the next start (default true).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct UiSection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<bool>,
}

impl UiSection {
    pub fn is_empty(&self) -> bool {
        *self == UiSection::default()
    }

    /// Whether the owned list is kept on disk.
    pub fn cache(&self) -> bool {
        self.cache.unwrap_or(true)
    }
}

/// `[api]`: `rate` (requests per second; `--rate` wins; omitted = found adaptively) and
/// `timeout_secs`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ApiSection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
}

impl ApiSection {
    pub fn is_empty(&self) -> bool {
        self.rate.is_none() && self.timeout_secs.is_none()
    }
}

/// True when `NO_COLOR` is set to something non-empty (<https://no-color.org>).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The line (1-based) of `text` where `name` is given a value inside `[section]`, for error
/// messages. Falls back to the section's header line.
pub fn line_of(text: &str, section: &str, name: &str) -> Option<usize> {
    let header = format!("[{section}]");
    let mut inside = false;
    let mut header_line = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            inside = t.split('#').next().is_some_and(|h| h.trim() == header);
            if inside {
                header_line = Some(i + 1);
            }
            continue;
        }
        if inside
            && let Some((lhs, _)) = t.split_once('=')
            && lhs.trim().trim_matches(['"', '\'']) == name
        {
            return Some(i + 1);
        }
    }
    header_line
}

/// Checks the sections of a parsed file; the message names the line and the value.
pub fn check(
    keys: &KeysSection,
    theme: &ThemeSection,
    ui: &UiSection,
    api: &ApiSection,
    text: &str,
) -> Result<(), String> {
    let at = |section: &str, name: &str| match line_of(text, section, name) {
        Some(n) => format!("line {n}: "),
        None => String::new(),
    };
    if let Err(e) = keys.keymap() {
        return Err(format!("{}[keys] {}", at("keys", &e.action), e.message));
    }
    if let Err((key, e)) = theme.check() {
        return Err(format!("{}[theme] {e}", at("theme", key)));
    }
    if let Some(n) = ui.page_size
        && !(1..=100).contains(&n)
    {
        return Err(format!(
            "{}[ui] page_size = {n}: the API serves 1 to 100 numbers per page",
            at("ui", "page_size")
        ));
    }
    if let Some(r) = api.rate
        && !(r.is_finite() && r > 0.0)
    {
        return Err(format!(
            "{}[api] rate = {r}: a positive number of requests per second",
            at("api", "rate")
        ));
    }
    if api.timeout_secs == Some(0) {
        return Err(format!(
            "{}[api] timeout_secs = 0: at least 1 second",
            at("api", "timeout_secs")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Cmd, Context};
    use crate::tui::keymap::Key;

    fn parse(text: &str) -> Result<crate::config::ConfigFile, String> {
        let file: crate::config::ConfigFile = toml::from_str(text).map_err(|e| e.to_string())?;
        check(&file.keys, &file.theme, &file.ui, &file.api, text)?;
        Ok(file)
    }

    #[test]
    fn a_file_with_every_section_reads() {
        let f = parse(
            "api_key = \"k\"\n[keys]\npreset = \"arrows\"\nquit = \"Q\"\nlog = []\n\
             [theme]\ncolors = \"none\"\n[ui]\npage_size = 40\n[api]\nrate = 3.0\n",
        )
        .unwrap();
        let km = f.keymap();
        assert_eq!(km.command(Context::Owned, Key::ch('Q')), Some(Cmd::Quit));
        assert_eq!(km.command(Context::Owned, Key::ch('q')), None);
        assert_eq!(km.command(Context::Owned, Key::ch('L')), None);
        assert_eq!(
            km.command(Context::Owned, Key::ch('j')),
            None,
            "arrows preset"
        );
        assert_eq!(f.page_size(), 40);
        assert_eq!(f.rate(), Some(3.0));
        assert!(f.theme.theme(false).no_color);
        let plain = parse("").unwrap();
        assert!(!plain.theme.theme(false).no_color);
        assert!(plain.theme.theme(true).no_color, "NO_COLOR wins");
        assert_eq!(plain.page_size(), crate::app::search::PAGE_SIZE);
        // The top-level rate is still read; [api] wins over it.
        assert_eq!(parse("rate = 2.0\n").unwrap().rate(), Some(2.0));
        assert_eq!(
            parse("rate = 2.0\n[api]\nrate = 4.0\n").unwrap().rate(),
            Some(4.0)
        );
    }

    #[test]
    fn errors_name_the_line_and_the_value() {
        let e = parse("# keys\n[keys]\n\nedit = [\"e\"]\nrefersh = [\"r\"]\n").unwrap_err();
        assert!(
            e.starts_with("line 5: [keys] unknown action \"refersh\""),
            "{e}"
        );
        // A key taken from an action the file leaves with no key: refused, naming the line.
        let e = parse("[keys]\nquit = [\"q\"]\nshow_search = [\"S\"]\n").unwrap_err();
        assert!(
            e.starts_with("line 3: [keys] show_search: key \"S\" is sort_reverse's"),
            "{e}"
        );
        assert!(parse("[keys]\nshow_search = [\"S\"]\nsort_reverse = [\"R\"]\n").is_ok());
        let e = parse("[keys]\n\"help\" = [\"Ctrl-?\"]\n").unwrap_err();
        assert!(e.starts_with("line 2:") && e.contains("\"Ctrl-?\""), "{e}");
        let e = parse("[ui]\npage_size = 0\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = parse("[api]\nrate = -1.0\n").unwrap_err();
        assert!(e.contains("rate = -1"), "{e}");
        assert!(parse("[theme]\nbogus = 1\n").is_err(), "unknown theme key");
        let e = parse("[theme]\naccent = \"blue\"\ndanger = \"#ff0000\"\n").unwrap_err();
        assert!(e.starts_with("line 3: [theme] danger = \"#ff0000\""), "{e}");
        let t = parse("[theme]\naccent = \"blue\"\n")
            .unwrap()
            .theme
            .theme(false);
        assert_eq!(t.title.fg, Some(Color::Blue));
        assert_eq!(t.error.fg, Some(Color::Red), "the others keep their colour");
        assert!(parse("[keys]\nrefresh = 5\n").is_err(), "a key is a string");
    }

    #[test]
    fn lines_are_found_in_their_section_only() {
        let text = "[ui]\nedit = 1\n[keys]\n  edit = [\"x\"] # here\n";
        assert_eq!(line_of(text, "keys", "edit"), Some(4));
        assert_eq!(line_of(text, "keys", "missing"), Some(3), "the header");
        assert_eq!(line_of(text, "api", "rate"), None);
    }
}
