//! Keys to commands, per context. The help overlay and the hint bar are built from this table,
//! so they always show the keys actually bound. In text contexts, keys not bound here edit the
//! focused field.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::{Action, Cmd, Context};

mod custom;
pub mod names;

pub use custom::{KeyError, PRESETS};

/// A key with its modifiers (Shift is folded into the character for printable keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    /// Alt (Meta): never types, so it works in text fields too.
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }
    pub const fn alt(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: false,
            alt: true,
        }
    }

    pub fn from_event(e: &KeyEvent) -> Key {
        Key {
            code: e.code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// True when the key would type a character in a text field.
    pub fn types(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl && !self.alt
    }

    /// How the key is written in help: `j`, `Enter`, `Ctrl-C`, `↓`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else if self.alt {
            format!("Alt-{base}")
        } else {
            base
        }
    }
}

/// Which contexts a binding applies in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere (Ctrl-C).
    Always,
    /// The panes' tables, the detail view and an application's numbers (not while typing).
    Browse,
    One(Context),
    /// Every text context: forms, the filter line, the cancel dialog.
    Text,
    /// The forms with several fields (edit, bulk edit, search, API filters).
    Form,
    /// The texts that scroll: help, the message log, a search result, the dialogs.
    Read,
}

impl Scope {
    fn covers(self, ctx: Context) -> bool {
        match self {
            Scope::Always => true,
            Scope::Browse => matches!(
                ctx,
                Context::Owned
                    | Context::SearchResults
                    | Context::Detail
                    | Context::Apps
                    | Context::AppNumbers
            ),
            Scope::One(c) => c == ctx,
            Scope::Text => ctx.takes_text(),
            Scope::Form => matches!(
                ctx,
                Context::Edit | Context::BulkForm | Context::SearchForm | Context::ServerFilter
            ),
            // Dialogs scroll on a short screen.
            Scope::Read => matches!(
                ctx,
                Context::Help | Context::Log | Context::SearchResult | Context::Dialog
            ),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: Vec<(Scope, Key, Cmd)>,
}

use Cmd::*;
use Context as C;
use KeyCode as K;

const DEFAULTS: &[(Scope, Key, Cmd)] = &[
    (Scope::Always, Key::ctrl('c'), ForceQuit),
    // Moving around.
    (Scope::Browse, Key::ch('j'), Down),
    (Scope::Browse, Key::plain(K::Down), Down),
    (Scope::Browse, Key::ch('k'), Up),
    (Scope::Browse, Key::plain(K::Up), Up),
    (Scope::Browse, Key::plain(K::PageDown), PageDown),
    (Scope::Browse, Key::plain(K::PageUp), PageUp),
    (Scope::Browse, Key::ch('g'), Top),
    (Scope::Browse, Key::plain(K::Home), Top),
    (Scope::Browse, Key::ch('G'), Bottom),
    (Scope::Browse, Key::plain(K::End), Bottom),
    (Scope::Browse, Key::plain(K::Tab), NextPane),
    (Scope::Browse, Key::plain(K::BackTab), PrevPane),
    (Scope::Browse, Key::ch('1'), ShowOwned),
    (Scope::Browse, Key::ch('2'), ShowSearch),
    (Scope::Browse, Key::ch('3'), ShowApps),
    (Scope::Browse, Key::ch('r'), Refresh),
    (Scope::Browse, Key::ch('?'), Help),
    (Scope::Browse, Key::ch('L'), Log),
    (Scope::Browse, Key::ch(':'), Palette),
    (Scope::One(C::Bulk), Key::ch(':'), Palette),
    (Scope::One(C::SearchResult), Key::ch(':'), Palette),
    (Scope::One(C::Palette), Key::plain(K::Down), Down),
    (Scope::One(C::Palette), Key::plain(K::Up), Up),
    (Scope::Browse, Key::ch('q'), Quit),
    // The routing doctor.
    (Scope::One(C::Owned), Key::ch('D'), Doctor),
    (Scope::One(C::Doctor), Key::ch('j'), Down),
    (Scope::One(C::Doctor), Key::plain(K::Down), Down),
    (Scope::One(C::Doctor), Key::ch('k'), Up),
    (Scope::One(C::Doctor), Key::plain(K::Up), Up),
    (Scope::One(C::Doctor), Key::plain(K::PageDown), PageDown),
    (Scope::One(C::Doctor), Key::plain(K::PageUp), PageUp),
    (Scope::One(C::Doctor), Key::ch('g'), Top),
    (Scope::One(C::Doctor), Key::ch('G'), Bottom),
    (Scope::One(C::Doctor), Key::plain(K::Enter), Open),
    (Scope::One(C::Doctor), Key::ch('e'), FixOne),
    (Scope::One(C::Doctor), Key::ch('E'), FixAll),
    (Scope::One(C::Doctor), Key::ch('w'), CheckWebhooks),
    (Scope::One(C::Doctor), Key::ch('r'), Refresh),
    (Scope::One(C::Doctor), Key::plain(K::Esc), Back),
    (Scope::One(C::Doctor), Key::ch('q'), Back),
    (Scope::One(C::Doctor), Key::ch('?'), Help),
    (Scope::One(C::Doctor), Key::ch('L'), Log),
    (Scope::One(C::Doctor), Key::ch(':'), Palette),
    // Esc closes the top layer (and clears the Owned filter); the Search results are a pane's
    // bottom: nothing to close there.
    (Scope::One(C::Owned), Key::plain(K::Esc), Back),
    (Scope::One(C::Detail), Key::plain(K::Esc), Back),
    // The Owned pane.
    (Scope::One(C::Owned), Key::plain(K::Enter), Open),
    (Scope::One(C::Owned), Key::ch('/'), Filter),
    (Scope::One(C::Owned), Key::ch('s'), SortNext),
    (Scope::One(C::Owned), Key::ch('S'), SortReverse),
    (Scope::One(C::Owned), Key::ch('e'), Edit),
    (Scope::One(C::Owned), Key::ch('c'), CancelNumber),
    (Scope::One(C::Owned), Key::ch('f'), ServerFilter),
    (Scope::One(C::Owned), Key::ch(' '), Mark),
    (Scope::One(C::Owned), Key::ch('a'), MarkAll),
    (Scope::One(C::Owned), Key::ch('A'), ClearMarks),
    (Scope::Browse, Key::ch('u'), Undo),
    (Scope::Browse, Key::ch('B'), ShowRun),
    (Scope::One(C::Detail), Key::ch('e'), Edit),
    (Scope::One(C::Detail), Key::ch('c'), CancelNumber),
    // The Applications pane, and an application's numbers.
    (Scope::One(C::Apps), Key::plain(K::Enter), Open),
    (Scope::One(C::Apps), Key::ch('/'), Filter),
    (Scope::One(C::Apps), Key::ch('s'), SortNext),
    (Scope::One(C::Apps), Key::ch('S'), SortReverse),
    (Scope::One(C::Apps), Key::ch('e'), Edit),
    (Scope::One(C::Apps), Key::plain(K::Esc), Back),
    (Scope::One(C::AppNumbers), Key::plain(K::Esc), Back),
    (Scope::One(C::AppNumbers), Key::ch(' '), Mark),
    (Scope::One(C::AppNumbers), Key::ch('l'), Link),
    (Scope::One(C::AppNumbers), Key::ch('d'), Unlink),
    (Scope::One(C::AppNumbers), Key::ch('e'), Edit),
    // The Search pane's results.
    (Scope::One(C::SearchResults), Key::ch('b'), Buy),
    (Scope::One(C::SearchResults), Key::plain(K::Enter), Open),
    (Scope::One(C::SearchResults), Key::ch('s'), SortNext),
    (Scope::One(C::SearchResults), Key::ch('S'), SortReverse),
    (Scope::One(C::SearchResult), Key::ch('b'), Buy),
    (Scope::One(C::SearchResult), Key::ch('y'), Copy),
    (Scope::One(C::SearchResult), Key::plain(K::Esc), Back),
    (Scope::One(C::SearchResult), Key::ch('q'), Back),
    (Scope::One(C::SearchResult), Key::ch('?'), Help),
    (Scope::One(C::SearchResult), Key::ch('L'), Log),
    (Scope::One(C::SearchResults), Key::ch('/'), EditSearch),
    (Scope::One(C::SearchResults), Key::ch('e'), EditSearch),
    (Scope::One(C::SearchResults), Key::ch('n'), NextPage),
    (Scope::One(C::SearchResults), Key::ch(']'), NextPage),
    (Scope::One(C::SearchResults), Key::ch('p'), PrevPage),
    (Scope::One(C::SearchResults), Key::ch('['), PrevPage),
    // Typing.
    (Scope::Text, Key::plain(K::Enter), Submit),
    (Scope::Text, Key::plain(K::Esc), Back),
    (Scope::Form, Key::plain(K::Tab), NextField),
    (Scope::Form, Key::plain(K::BackTab), PrevField),
    (Scope::Form, Key::plain(K::Down), Down),
    (Scope::Form, Key::plain(K::Up), Up),
    (Scope::One(C::Edit), Key::plain(K::F(2)), PickApp),
    (Scope::One(C::BulkForm), Key::plain(K::F(2)), PickApp),
    (Scope::One(C::Edit), Key::alt('a'), PickApp),
    (Scope::One(C::BulkForm), Key::alt('a'), PickApp),
    (Scope::One(C::AppPicker), Key::plain(K::Down), Down),
    (Scope::One(C::AppPicker), Key::plain(K::Up), Up),
    (Scope::One(C::AppPicker), Key::plain(K::Tab), Down),
    (Scope::One(C::AppPicker), Key::plain(K::BackTab), Up),
    (Scope::One(C::OwnedFilter), Key::plain(K::Down), Down),
    (Scope::One(C::OwnedFilter), Key::plain(K::Up), Up),
    // Dialogs with buttons.
    (Scope::One(C::Dialog), Key::plain(K::Enter), Submit),
    (Scope::One(C::Dialog), Key::plain(K::Esc), Back),
    (Scope::One(C::Dialog), Key::plain(K::Tab), Toggle),
    (Scope::One(C::Dialog), Key::plain(K::Left), Toggle),
    (Scope::One(C::Dialog), Key::plain(K::Right), Toggle),
    (Scope::One(C::Dialog), Key::ch('h'), Toggle),
    (Scope::One(C::Dialog), Key::ch('l'), Toggle),
    (Scope::One(C::Dialog), Key::ch('y'), Yes),
    (Scope::One(C::Dialog), Key::ch('n'), No),
    // The cancel dialog scrolls too, by keys that do not type.
    (Scope::One(C::DialogText), Key::plain(K::Down), Down),
    (Scope::One(C::DialogText), Key::plain(K::Up), Up),
    (Scope::One(C::DialogText), Key::plain(K::PageDown), PageDown),
    (Scope::One(C::DialogText), Key::plain(K::PageUp), PageUp),
    // Help and log.
    (Scope::Read, Key::ch('j'), Down),
    (Scope::Read, Key::plain(K::Down), Down),
    (Scope::Read, Key::ch('k'), Up),
    (Scope::Read, Key::plain(K::Up), Up),
    (Scope::Read, Key::plain(K::PageDown), PageDown),
    (Scope::Read, Key::plain(K::PageUp), PageUp),
    (Scope::Read, Key::ch('g'), Top),
    (Scope::Read, Key::plain(K::Home), Top),
    (Scope::Read, Key::ch('G'), Bottom),
    (Scope::Read, Key::plain(K::End), Bottom),
    (Scope::One(C::Log), Key::plain(K::Enter), Open),
    (Scope::One(C::Help), Key::plain(K::Esc), Back),
    (Scope::One(C::Help), Key::ch('?'), Help),
    (Scope::One(C::Help), Key::ch('q'), Back),
    (Scope::One(C::Log), Key::plain(K::Esc), Back),
    (Scope::One(C::Log), Key::ch('L'), Log),
    (Scope::One(C::Log), Key::ch('q'), Back),
    // Copy and export.
    (Scope::Browse, Key::ch('y'), Copy),
    (Scope::One(C::Owned), Key::ch('x'), Export),
    (Scope::One(C::Export), Key::plain(K::Tab), Toggle),
    (Scope::One(C::Export), Key::plain(K::BackTab), Toggle),
    // The panel of a bulk or undo run.
    (Scope::One(C::Bulk), Key::ch('s'), StopRun),
    (Scope::One(C::Bulk), Key::ch('r'), ResumeRun),
    (Scope::One(C::Bulk), Key::ch('R'), RetryFailed),
    (Scope::One(C::Bulk), Key::ch('u'), Undo),
    (Scope::One(C::Bulk), Key::plain(K::Esc), Back),
    (Scope::One(C::Bulk), Key::ch('q'), Back),
    (Scope::One(C::Bulk), Key::ch('B'), ShowRun),
    (Scope::One(C::Bulk), Key::ch('j'), Down),
    (Scope::One(C::Bulk), Key::plain(K::Down), Down),
    (Scope::One(C::Bulk), Key::ch('k'), Up),
    (Scope::One(C::Bulk), Key::plain(K::Up), Up),
    (Scope::One(C::Bulk), Key::plain(K::PageDown), PageDown),
    (Scope::One(C::Bulk), Key::plain(K::PageUp), PageUp),
    (Scope::One(C::Bulk), Key::ch('g'), Top),
    (Scope::One(C::Bulk), Key::ch('G'), Bottom),
    (Scope::One(C::Bulk), Key::ch('?'), Help),
    (Scope::One(C::Bulk), Key::plain(K::Enter), Open),
    (Scope::One(C::Bulk), Key::ch(' '), Mark),
    (Scope::One(C::Bulk), Key::ch('a'), MarkAll),
    // From every layer, text fields included: keys that do not type.
    (Scope::Always, Key::plain(K::F(1)), Help),
    (Scope::Always, Key::alt('1'), ShowOwned),
    (Scope::Always, Key::alt('2'), ShowSearch),
    (Scope::Always, Key::alt('3'), ShowApps),
];

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULTS.to_vec(),
        }
    }
}

impl Keymap {
    /// The command bound to `key` in `ctx`: the most specific scope wins.
    pub fn command(&self, ctx: Context, key: Key) -> Option<Cmd> {
        let rank = |s: Scope| match s {
            Scope::One(_) => 0,
            Scope::Text | Scope::Form | Scope::Read => 1,
            Scope::Browse => 2,
            Scope::Always => 3,
        };
        self.bindings
            .iter()
            .filter(|(s, k, _)| *k == key && s.covers(ctx))
            .min_by_key(|(s, _, _)| rank(*s))
            .map(|(_, _, c)| *c)
    }

    /// Maps a terminal event to an action in `ctx`.
    pub fn action(&self, ctx: Context, event: &Event) -> Option<Action> {
        let Event::Key(key) = event else {
            return None;
        };
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if let Some(cmd) = self.command(ctx, Key::from_event(key)) {
            return Some(Action::Cmd(cmd));
        }
        if ctx.takes_text() {
            return tui_input::backend::crossterm::to_input_request(event).map(Action::Edit);
        }
        None
    }

    /// The first key that runs `cmd` in `ctx`, as written in help (for hints, tabs, buttons).
    /// Keys without a modifier first: `1` rather than `Alt-1` where both work.
    pub fn key_in(&self, ctx: Context, cmd: Cmd) -> Option<String> {
        let works = |(s, k, c): &&(Scope, Key, Cmd)| {
            *c == cmd && s.covers(ctx) && self.command(ctx, *k) == Some(cmd)
        };
        let plain = |(_, k, _): &&(Scope, Key, Cmd)| !k.ctrl && !k.alt;
        let mut found = self.bindings.iter().filter(works);
        let first = found.clone().find(plain).or_else(|| found.next());
        first.map(|(_, k, _)| k.label())
    }

    /// The first key of every command, where it means that command (lists and panels first,
    /// then dialogs, then text fields): for the app's messages.
    pub fn names(&self) -> crate::app::KeyNames {
        let order = [
            C::Owned,
            C::SearchResults,
            C::Apps,
            C::AppNumbers,
            C::Detail,
            C::Bulk,
            C::Dialog,
            C::Help,
            C::Log,
            C::Export,
            C::Edit,
            C::BulkForm,
            C::SearchForm,
            C::ServerFilter,
            C::OwnedFilter,
            C::DialogText,
        ];
        crate::app::KeyNames::new(
            names::commands().into_iter().filter_map(|cmd| {
                order
                    .iter()
                    .find_map(|ctx| self.key_in(*ctx, cmd))
                    .map(|k| (cmd, k))
            }),
            C::ALL.into_iter().map(|ctx| (ctx, self.bindings(ctx))),
        )
    }

    /// The bindings that apply in `ctx`, with keys for one command joined: `j/↓`.
    pub fn bindings(&self, ctx: Context) -> Vec<(String, Cmd)> {
        let mut out: Vec<(String, Cmd)> = Vec::new();
        for (scope, key, cmd) in &self.bindings {
            if !scope.covers(ctx) || self.command(ctx, *key) != Some(*cmd) {
                continue;
            }
            match out.iter_mut().find(|(_, c)| c == cmd) {
                Some((label, _)) if label.split('/').any(|k| k == key.label()) => {}
                Some((label, _)) => {
                    label.push('/');
                    label.push_str(&key.label());
                }
                None => out.push((key.label(), *cmd)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
