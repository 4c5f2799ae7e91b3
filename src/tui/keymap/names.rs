//! Names for the config file: keys written as the help shows them (`j`, `Enter`, `Ctrl-R`,
//! `PgDn`, `Space`), and one stable snake_case name per command, derived from the command
//! itself (`SortNext` is `sort_next`), so no second table can drift from [`Cmd`].

use ratatui::crossterm::event::KeyCode;

use super::{DEFAULTS, Key};
use crate::app::Cmd;

/// The config-file name of a command: its variant name in snake_case.
pub fn cmd_name(cmd: Cmd) -> String {
    let debug = format!("{cmd:?}");
    let mut out = String::with_capacity(debug.len() + 4);
    for (i, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Every command a key can be bound to (each has a default binding), in table order.
pub fn commands() -> Vec<Cmd> {
    let mut out: Vec<Cmd> = Vec::new();
    for (_, _, cmd) in DEFAULTS {
        if !out.contains(cmd) {
            out.push(*cmd);
        }
    }
    out
}

/// The command named `name` in the config file.
pub fn parse_cmd(name: &str) -> Option<Cmd> {
    commands().into_iter().find(|c| cmd_name(*c) == name)
}

/// Reads a key as written in help and in the config file. Names are case-insensitive; a
/// single character is itself (`G` is shift-g).
pub fn parse_key(text: &str) -> Result<Key, String> {
    let t = text.trim();
    let mut chars = t.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && !"↑↓←→".contains(c)
    {
        return Ok(Key::ch(c));
    }
    let lower = t.to_ascii_lowercase();
    for prefix in ["alt-", "alt+", "m-", "meta-"] {
        if let Some(rest) = t.get(prefix.len()..).filter(|_| lower.starts_with(prefix)) {
            let mut cs = rest.chars();
            return match (cs.next(), cs.next()) {
                (Some(c), None) if !c.is_whitespace() => Ok(Key::alt(c)),
                _ => Err(format!("\"{t}\": Alt- takes one character, e.g. Alt-1")),
            };
        }
    }
    for prefix in ["ctrl-", "ctrl+", "c-"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let mut cs = rest.chars();
            return match (cs.next(), cs.next()) {
                (Some(c), None) if c.is_ascii_alphanumeric() => Ok(Key::ctrl(c)),
                _ => Err(format!(
                    "\"{t}\": Ctrl- takes one letter or digit, e.g. Ctrl-R"
                )),
            };
        }
    }
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "up" | "↑" => KeyCode::Up,
        "down" | "↓" => KeyCode::Down,
        "left" | "←" => KeyCode::Left,
        "right" | "→" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) => {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        _ => {
            return Err(format!(
                "\"{t}\" is not a key: write one character (j, G, /), Ctrl-<letter>, Alt-<character>, or one of \
                 Enter Esc Tab Shift-Tab Space Up Down Left Right PgUp PgDn Home End Backspace \
                 Delete Insert F1-F24"
            ));
        }
    };
    Ok(Key::plain(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_key_reads_back_from_its_label() {
        for (_, key, _) in DEFAULTS {
            assert_eq!(parse_key(&key.label()), Ok(*key), "{}", key.label());
        }
    }

    #[test]
    fn names_are_snake_case_unique_and_parse_back() {
        let cmds = commands();
        for c in &cmds {
            let n = cmd_name(*c);
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{n}");
            assert_eq!(parse_cmd(&n), Some(*c));
        }
        assert_eq!(cmd_name(Cmd::SortNext), "sort_next");
        assert_eq!(cmd_name(Cmd::ForceQuit), "force_quit");
        assert_eq!(parse_cmd("sortnext"), None);
    }

    #[test]
    fn keys_are_read_as_written_in_help() {
        assert_eq!(parse_key("Ctrl-R"), Ok(Key::ctrl('r')));
        assert_eq!(parse_key("PgDn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(parse_key("space"), Ok(Key::ch(' ')));
        assert_eq!(parse_key("G"), Ok(Key::ch('G')));
        assert_eq!(parse_key("F5"), Ok(Key::plain(KeyCode::F(5))));
        for bad in ["Ctrl-", "Ctrl-Enter", "PageDn", "", "F99"] {
            let e = parse_key(bad).unwrap_err();
            assert!(e.contains(&format!("\"{}\"", bad.trim())), "{bad}: {e}");
        }
    }
}
