//! The keymap's tests: defaults, scopes, and every context's keys.

use super::*;
use ratatui::crossterm::event::KeyEvent;

fn press(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

#[test]
fn keys_mean_commands_when_browsing_and_text_when_typing() {
    let km = Keymap::default();
    assert!(matches!(
        km.action(C::Owned, &press(K::Char('j'))),
        Some(Action::Cmd(Down))
    ));
    assert!(matches!(
        km.action(C::OwnedFilter, &press(K::Char('j'))),
        Some(Action::Edit(tui_input::InputRequest::InsertChar('j')))
    ));
    assert!(matches!(
        km.action(C::SearchForm, &press(K::Enter)),
        Some(Action::Cmd(Submit))
    ));
    let ctrl_c = Event::Key(KeyEvent::new(K::Char('c'), KeyModifiers::CONTROL));
    for ctx in [C::Owned, C::Edit, C::Dialog, C::DialogText, C::Help] {
        assert!(matches!(
            km.action(ctx, &ctrl_c),
            Some(Action::Cmd(ForceQuit))
        ));
    }
}

#[test]
fn every_context_has_back_help_the_panes_and_quit_now_by_keys_that_do_not_type() {
    let km = Keymap::default();
    for ctx in C::ALL {
        let is = |k: Key, c: Cmd| assert_eq!(km.command(ctx, k), Some(c), "{ctx:?} {k:?}");
        if ctx != C::SearchResults {
            is(Key::plain(K::Esc), Back);
        }
        is(Key::plain(K::F(1)), Help);
        is(Key::alt('1'), ShowOwned);
        is(Key::alt('2'), ShowSearch);
        is(Key::ctrl('c'), ForceQuit);
        if ctx.takes_text() {
            for c in (' '..='~').chain("éß電".chars()) {
                assert_eq!(km.command(ctx, Key::ch(c)), None, "{ctx:?}: {c:?} types");
            }
            is(Key::plain(K::Enter), Submit);
        }
    }
    // Where nothing is typed, the plain keys shown in help work too.
    for ctx in [C::Owned, C::SearchResults, C::Detail, C::Bulk] {
        assert_eq!(km.command(ctx, Key::ch('?')), Some(Help), "{ctx:?}");
    }
    for ctx in [C::Owned, C::SearchResults, C::Detail] {
        assert_eq!(km.command(ctx, Key::ch('2')), Some(ShowSearch), "{ctx:?}");
    }
}

#[test]
fn help_lists_joined_keys() {
    let b = Keymap::default().bindings(C::Owned);
    assert!(b.iter().any(|(k, c)| k == "j/↓" && *c == Down));
    assert!(b.iter().any(|(k, c)| k == "e" && *c == Edit));
    assert!(!b.iter().any(|(_, c)| *c == Buy));
}
