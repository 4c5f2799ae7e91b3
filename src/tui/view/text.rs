//! Text helpers for the views: sanitising what the server sent, fitting text into columns,
//! numbers with thousands separators.

use ratatui::text::Span;

/// Every string from the server goes through this before it is drawn: control characters
/// (escape sequences among them) become `?`. Keeps the character count, so cursors stay put.
pub use crate::output::safe;
/// Numbers with thousands separators, and counted nouns: the output module's.
pub use crate::output::{plural, thousands};

/// Display width of a string, in terminal columns.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// The text cut to `w` columns, with `…` when something was cut.
pub fn fit(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw > w - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// The text cut to `w` columns in the middle (`hooks.exa…/sms/12`): for URLs and other
/// values whose end matters as much as their start.
pub fn fit_middle(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w < 8 {
        return fit(s, w);
    }
    let chars: Vec<char> = s.chars().collect();
    let head = (w - 1) / 2;
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for &c in chars.iter().rev() {
        let cw = char_width(c);
        if used + cw > w - 1 - head {
            break;
        }
        tail.push(c);
        used += cw;
    }
    tail.reverse();
    let mut out = fit(s, head + 1);
    out.pop();
    out.push('…');
    out.extend(tail);
    out
}

/// A sanitised optional value; empty when missing.
pub fn opt<S: AsRef<str>>(o: &Option<S>) -> String {
    o.as_ref().map(|s| safe(s.as_ref())).unwrap_or_default()
}

/// Splits a long value into lines of at most `w` columns (no word breaks: URLs and ids).
pub fn chunks(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw > w {
            out.push(String::new());
            used = 0;
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
        used += cw;
    }
    out
}

/// Word-wraps plain text to `w` columns; words longer than a line are cut.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let need = if line.is_empty() {
            width(word)
        } else {
            width(&line) + 1 + width(word)
        };
        if need <= w {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        let mut parts = chunks(word, w);
        line = parts.pop().unwrap_or_default();
        out.extend(parts);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_and_numbers() {
        assert_eq!(fit("https://example.com/hook", 10), "https://e…");
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(
            fit_middle("hooks.example.com/sms/12", 15),
            "hooks.e…/sms/12"
        );
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(chunks("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij x", 4), ["abcd", "efgh", "ij x"]);
        assert_eq!(safe("a\u{1b}[31mb"), "a?[31mb");
    }
}
