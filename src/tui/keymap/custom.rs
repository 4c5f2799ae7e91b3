//! A keymap changed by the config file: a preset (default, vim, arrows, shipped as
//! `assets/keys-*.toml`), then the user's own lines, each `action = ["key", ...]`, which
//! replace every key of that action (`[]` unbinds it).
//!
//! Only the browsing keys change: inside forms, the filter line and text dialogs, printable keys
//! type, and Enter, Esc, Tab and the arrows keep their meaning. Ctrl-C always quits.

use super::names::{cmd_name, commands, parse_cmd, parse_key};
use super::{DEFAULTS, Key, Keymap, Scope};
use crate::app::Cmd;

/// The presets shipped, by name, as TOML tables of `action = [keys]`.
pub const PRESETS: [(&str, &str); 3] = [
    ("default", ""),
    ("vim", include_str!("../../../assets/keys-vim.toml")),
    ("arrows", include_str!("../../../assets/keys-arrows.toml")),
];

/// What is wrong with one line of `[keys]`: the action it names, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError {
    /// The action (the left-hand side) the problem is on.
    pub action: String,
    pub message: String,
}

fn is_text(s: Scope) -> bool {
    match s {
        Scope::Text | Scope::Form => true,
        Scope::One(c) => c.takes_text(),
        Scope::Always | Scope::Browse | Scope::Read => false,
    }
}

/// True when some context is covered by both scopes.
fn overlaps(a: Scope, b: Scope) -> bool {
    match (a, b) {
        (Scope::Always, _) | (_, Scope::Always) => true,
        (Scope::One(x), other) | (other, Scope::One(x)) => other.covers(x),
        (Scope::Browse, Scope::Browse) => true,
        (Scope::Text | Scope::Form, Scope::Text | Scope::Form) => true,
        (Scope::Read, Scope::Read) => true,
        // The browsing contexts take no text.
        _ => false,
    }
}

/// A key that types a character where text is edited.
fn printable(k: &Key) -> bool {
    k.types()
}

const CTRL_C: Key = Key::ctrl('c');

impl Keymap {
    /// The keymap of a preset, then `overrides` (action name, keys as written).
    pub fn configured(
        preset: Option<&str>,
        overrides: &[(String, Vec<String>)],
    ) -> Result<Keymap, KeyError> {
        let mut km = Keymap::default();
        let name = preset.unwrap_or("default");
        let Some((_, text)) = PRESETS.iter().find(|(n, _)| *n == name) else {
            let names: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
            return Err(KeyError {
                action: "preset".into(),
                message: format!(
                    "unknown preset \"{name}\"; the presets are {}",
                    names.join(", ")
                ),
            });
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| KeyError {
            action: "preset".into(),
            message: format!("the {name} preset is broken: {e}"),
        })?;
        let mut preset_lines = Vec::new();
        for (action, keys) in &table {
            let keys = keys
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|k| k.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            preset_lines.push((action.clone(), keys));
        }
        km.apply(&preset_lines, false)?;
        km.apply(overrides, true)?;
        Ok(km)
    }

    /// Applies `action = [keys]` lines, in order. Two lines may not claim the same key where
    /// their actions both apply; with `strict` (the user's lines), a line may not take the
    /// last key of an action the lines leave alone either (it would be lost silently).
    fn apply(&mut self, lines: &[(String, Vec<String>)], strict: bool) -> Result<(), KeyError> {
        let mut claimed: Vec<(Scope, Key, Cmd)> = Vec::new();
        // (the line's action, its command, the key, the command it was taken from)
        let mut taken: Vec<(String, Cmd, Key, Cmd)> = Vec::new();
        let mut configured: Vec<Cmd> = Vec::new();
        for (action, keys) in lines {
            let err = |message: String| KeyError {
                action: action.clone(),
                message,
            };
            let Some(cmd) = parse_cmd(action) else {
                let names: Vec<String> = commands().into_iter().map(cmd_name).collect();
                return Err(err(format!(
                    "unknown action \"{action}\"; the actions are: {}",
                    names.join(", ")
                )));
            };
            let mut parsed = Vec::new();
            for k in keys {
                let key = parse_key(k).map_err(|m| err(format!("{action}: {m}")))?;
                if key == CTRL_C && cmd != Cmd::ForceQuit {
                    return Err(err(format!(
                        "{action}: Ctrl-C always quits; it cannot be bound to anything else"
                    )));
                }
                if !parsed.contains(&key) {
                    parsed.push(key);
                }
            }
            // The browsing scopes the action is bound in now, else by default.
            let mut scopes: Vec<Scope> = Vec::new();
            let current = self.bindings.iter().map(|(s, _, c)| (*s, *c));
            let defaults = DEFAULTS.iter().map(|(s, _, c)| (*s, *c));
            for (s, c) in current.chain(defaults) {
                if c == cmd && !is_text(s) && !scopes.contains(&s) {
                    scopes.push(s);
                }
            }
            if scopes.is_empty() {
                // An action of the forms only (next_field, prev_field): its keys must not be
                // ones that type.
                if let Some(k) = parsed.iter().find(|k| printable(k)) {
                    return Err(err(format!(
                        "{action} is used while typing: \"{}\" would be typed; give it Ctrl-<letter>, \
                         F1-F24 or a named key (Tab, Down...)",
                        k.label()
                    )));
                }
                for (s, c) in self
                    .bindings
                    .iter()
                    .map(|(s, _, c)| (*s, *c))
                    .chain(DEFAULTS.iter().map(|(s, _, c)| (*s, *c)))
                {
                    if c == cmd && !scopes.contains(&s) {
                        scopes.push(s);
                    }
                }
            }
            configured.push(cmd);
            // Keys that type cannot work everywhere: the keys that do not type stay there.
            let typing_only = parsed.iter().all(Key::types);
            self.bindings.retain(|(s, k, c)| {
                !(*c == cmd
                    && scopes.contains(s)
                    && *k != CTRL_C
                    && !(typing_only && *s == Scope::Always))
            });
            for key in parsed {
                for &scope in &scopes {
                    // A key that types works where nothing is typed.
                    let scope = if scope == Scope::Always && key.types() {
                        Scope::Browse
                    } else {
                        scope
                    };
                    if let Some((_, _, other)) = claimed
                        .iter()
                        .find(|(s, k, c)| *k == key && *c != cmd && overlaps(*s, scope))
                    {
                        return Err(err(format!(
                            "{action}: key \"{}\" is also given to {}",
                            key.label(),
                            cmd_name(*other)
                        )));
                    }
                    // The key leaves whatever it meant before where this action applies.
                    for (s, k, c) in &self.bindings {
                        if *k == key && *c != cmd && overlaps(*s, scope) {
                            taken.push((action.clone(), cmd, key, *c));
                        }
                    }
                    self.bindings
                        .retain(|(s, k, c)| !(*k == key && *c != cmd && overlaps(*s, scope)));
                    if !self.bindings.contains(&(scope, key, cmd)) {
                        self.bindings.push((scope, key, cmd));
                    }
                    claimed.push((scope, key, cmd));
                }
            }
        }
        // An action the lines leave alone that lost its every key lost it silently.
        let keyless = |c: Cmd| !self.bindings.iter().any(|(_, _, b)| *b == c);
        if strict
            && let Some((action, _, key, from)) = taken
                .into_iter()
                .find(|(_, _, _, from)| !configured.contains(from) && keyless(*from))
        {
            return Err(KeyError {
                message: format!(
                    "{action}: key \"{}\" is {}'s ({}); give {} other keys on a line of its \
                     own ({} = [...]), or choose another key",
                    key.label(),
                    cmd_name(from),
                    from.describe(),
                    cmd_name(from),
                    cmd_name(from),
                ),
                action,
            });
        }
        Ok(())
    }

    /// Every action with its keys now (the browsing keys; for the actions of the forms
    /// only, theirs): `config show` prints these.
    pub fn effective(&self) -> Vec<(String, Vec<String>)> {
        commands()
            .into_iter()
            .map(|c| {
                let browse = DEFAULTS.iter().any(|(s, _, d)| *d == c && !is_text(*s));
                let mut keys: Vec<String> = Vec::new();
                for (s, k, d) in &self.bindings {
                    if *d == c && (!browse || !is_text(*s)) && !keys.contains(&k.label()) {
                        keys.push(k.label());
                    }
                }
                (cmd_name(c), keys)
            })
            .collect()
    }

    /// The keys of `cmd` in any browsing scope, as written in help.
    pub fn keys_of(&self, cmd: Cmd) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (s, k, c) in &self.bindings {
            if *c == cmd && !is_text(*s) && !out.contains(&k.label()) {
                out.push(k.label());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Context as C;
    use ratatui::crossterm::event::KeyCode as K;

    fn line(action: &str, keys: &[&str]) -> (String, Vec<String>) {
        (
            action.to_string(),
            keys.iter().map(|k| k.to_string()).collect(),
        )
    }

    #[test]
    fn presets_parse_and_change_what_they_say() {
        for (name, _) in PRESETS {
            Keymap::configured(Some(name), &[]).unwrap();
        }
        let vim = Keymap::configured(Some("vim"), &[]).unwrap();
        assert_eq!(vim.command(C::Owned, Key::ctrl('d')), Some(Cmd::PageDown));
        assert_eq!(vim.command(C::Owned, Key::ctrl('u')), Some(Cmd::PageUp));
        // While typing, Ctrl-U still edits the text.
        assert_eq!(vim.command(C::OwnedFilter, Key::ctrl('u')), None);
        let arrows = Keymap::configured(Some("arrows"), &[]).unwrap();
        assert_eq!(arrows.command(C::Owned, Key::ch('j')), None);
        assert_eq!(arrows.command(C::Owned, Key::ch('g')), None);
        assert_eq!(arrows.command(C::Dialog, Key::ch('h')), None);
        assert_eq!(
            arrows.command(C::Owned, Key::plain(K::Down)),
            Some(Cmd::Down)
        );
        assert_eq!(arrows.command(C::Owned, Key::ch('e')), Some(Cmd::Edit));
        let e = Keymap::configured(Some("emacs"), &[]).unwrap_err();
        assert!(e.message.contains("\"emacs\""), "{e:?}");
    }

    #[test]
    fn an_override_replaces_the_keys_of_its_action_everywhere_it_applies() {
        let km = Keymap::configured(None, &[line("help", &["F1"])]).unwrap();
        assert_eq!(km.command(C::Owned, Key::plain(K::F(1))), Some(Cmd::Help));
        assert_eq!(km.command(C::Help, Key::plain(K::F(1))), Some(Cmd::Help));
        assert_eq!(km.command(C::Owned, Key::ch('?')), None);
        // Typing a ? in the filter is still typing.
        assert_eq!(km.command(C::OwnedFilter, Key::ch('?')), None);
    }

    #[test]
    fn an_empty_list_unbinds_and_a_taken_key_moves() {
        let km = Keymap::configured(None, &[line("refresh", &[])]).unwrap();
        assert_eq!(km.command(C::Owned, Key::ch('r')), None);
        assert!(km.keys_of(Cmd::Refresh).is_empty());
        // `c` is cancel's only key: taking it is refused, naming the line and the loser...
        let e = Keymap::configured(None, &[line("refresh", &["c"])]).unwrap_err();
        assert_eq!(e.action, "refresh");
        assert!(e.message.contains("\"c\" is cancel_number's"), "{e:?}");
        // ... unless the file gives cancel other keys, before or after.
        for lines in [
            [line("refresh", &["c"]), line("cancel_number", &["C"])],
            [line("cancel_number", &["C"]), line("refresh", &["c"])],
        ] {
            let km = Keymap::configured(None, &lines).unwrap();
            assert_eq!(km.command(C::Owned, Key::ch('c')), Some(Cmd::Refresh));
            assert_eq!(km.command(C::Detail, Key::ch('c')), Some(Cmd::Refresh));
            assert_eq!(km.keys_of(Cmd::CancelNumber), vec!["C".to_string()]);
        }
    }

    #[test]
    fn a_rebound_pane_key_takes_no_key_silently() {
        // S is sort_reverse's only key.
        let e = Keymap::configured(None, &[line("show_search", &["S"])]).unwrap_err();
        assert_eq!(e.action, "show_search");
        assert!(e.message.contains("sort_reverse"), "{e:?}");
        let km = Keymap::configured(
            None,
            &[line("show_search", &["S"]), line("sort_reverse", &["R"])],
        )
        .unwrap();
        assert_eq!(km.command(C::Owned, Key::ch('S')), Some(Cmd::ShowSearch));
        // Alt-2 still switches from text fields: S types there.
        assert_eq!(km.command(C::SearchForm, Key::ch('S')), None);
        assert_eq!(
            km.command(C::SearchForm, Key::alt('2')),
            Some(Cmd::ShowSearch)
        );
    }

    #[test]
    fn bad_lines_name_the_action_and_the_value() {
        let e = Keymap::configured(None, &[line("refesh", &["r"])]).unwrap_err();
        assert_eq!(e.action, "refesh");
        assert!(e.message.contains("unknown action \"refesh\""), "{e:?}");
        assert!(e.message.contains("refresh"), "lists the real names: {e:?}");
        let e = Keymap::configured(None, &[line("refresh", &["Ctrl-"])]).unwrap_err();
        assert!(e.message.contains("\"Ctrl-\""), "{e:?}");
        let e = Keymap::configured(None, &[line("next_field", &["n"])]).unwrap_err();
        assert!(e.message.contains("\"n\" would be typed"), "{e:?}");
        let e =
            Keymap::configured(None, &[line("refresh", &["x"]), line("edit", &["x"])]).unwrap_err();
        assert_eq!(e.action, "edit");
        assert!(e.message.contains("refresh"), "{e:?}");
    }

    #[test]
    fn ctrl_c_always_quits() {
        let e = Keymap::configured(None, &[line("quit", &["Ctrl-C"])]).unwrap_err();
        assert!(e.message.contains("Ctrl-C always quits"), "{e:?}");
        let km = Keymap::configured(None, &[line("force_quit", &[])]).unwrap();
        for ctx in [C::Owned, C::Edit, C::Dialog, C::Help] {
            assert_eq!(km.command(ctx, CTRL_C), Some(Cmd::ForceQuit));
        }
        let km = Keymap::configured(None, &[line("force_quit", &["Ctrl-Q"])]).unwrap();
        assert_eq!(km.command(C::Owned, CTRL_C), Some(Cmd::ForceQuit));
        assert_eq!(km.command(C::Owned, Key::ctrl('q')), Some(Cmd::ForceQuit));
    }

    #[test]
    fn form_only_actions_take_keys_that_do_not_type() {
        let km = Keymap::configured(None, &[line("next_field", &["Ctrl-N", "Down"])]).unwrap();
        assert_eq!(km.command(C::Edit, Key::ctrl('n')), Some(Cmd::NextField));
        assert_eq!(
            km.command(C::SearchForm, Key::ctrl('n')),
            Some(Cmd::NextField)
        );
        assert_eq!(
            km.command(C::Edit, Key::plain(K::Tab)),
            None,
            "Tab no longer moves"
        );
        // Down meant "down" in forms: it now moves to the next field there.
        assert_eq!(
            km.command(C::Edit, Key::plain(K::Down)),
            Some(Cmd::NextField)
        );
        // Browsing is untouched.
        assert_eq!(km.command(C::Owned, Key::plain(K::Down)), Some(Cmd::Down));
        assert_eq!(
            km.command(C::Owned, Key::plain(K::Tab)),
            Some(Cmd::NextPane)
        );
    }
}
