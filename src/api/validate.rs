//! Validation of everything a user can type, done before any request is sent. Each function
//! returns the normalised value, or an error naming the field.

use super::error::ApiError;
use reqwest::Url;

/// The longest value accepted in any free-text field; longer input is a mistake or a paste gone wrong.
pub const MAX_TEXT: usize = 2048;

/// Characters that must never be sent or drawn, decided by Unicode general category (the
/// tables of the `finl_unicode` crate, Unicode 18): control (Cc), format (Cf: the bidi
/// controls, zero-width marks, the soft hyphen, the interlinear annotations, the tags...), line
/// and paragraph separators (Zl, Zp), and unassigned code points (Cn); plus the Hangul fillers,
/// letters by category that draw nothing.
pub fn is_unsafe_char(c: char) -> bool {
    use finl_unicode::categories::CharacterCategories as Category;
    c.is_control()
        || Category::is_format(c)
        || Category::is_separator_line(c)
        || Category::is_separator_paragraph(c)
        || Category::is_unassigned(c)
        || matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

/// Masks the password of every `scheme://user:password@host` in `s`.
pub fn mask_url_passwords(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        // The authority ends at the first '/', '?', '#', space or quote.
        let end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                match userinfo.split_once(':') {
                    Some((user, _password)) => {
                        out.push_str(user);
                        out.push_str(":***");
                    }
                    None => out.push_str(userinfo),
                }
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// True when `s` is written `scheme://host...` literally (the URL parser would repair
/// `https:host`, `https:/host` or `https:///path` into something else than was typed).
pub fn has_literal_authority(s: &str) -> bool {
    s.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.is_empty()
            && !rest.starts_with(['/', '\\', '?', '#', '@'])
    })
}

/// An API key (of the account or a subaccount): 1 to 64 ASCII letters, digits, `-` or `_`
/// (Vonage keys are 8 hex digits). Anything else is a paste gone wrong, refused before sending.
pub fn api_key(field: &'static str, input: &str) -> Result<String, ApiError> {
    let s = input.trim();
    let ok = (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(s.to_string())
    } else {
        Err(ApiError::invalid(
            field,
            format!(
                "{} is not an API key (letters, digits, - and _ only, such as 1a2b3c4d)",
                quote(input)
            ),
        ))
    }
}

/// Two ASCII letters, uppercased.
pub fn country(input: &str) -> Result<String, ApiError> {
    let s = input.trim();
    if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(s.to_ascii_uppercase())
    } else {
        Err(ApiError::invalid(
            "country",
            format!(
                "{} is not a two-letter country code such as GB or US",
                quote(input)
            ),
        ))
    }
}

/// E.164 digits: `+`, spaces, dashes, dots and parentheses stripped, then `^[1-9][0-9]{6,14}$`.
pub fn msisdn(input: &str) -> Result<String, ApiError> {
    let digits: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let ok = (7..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(digits)
    } else {
        Err(ApiError::invalid(
            "msisdn",
            format!(
                "{} is not an international number: 7 to 15 digits with the country code, not starting with 0 (e.g. 447700900000)",
                quote(input)
            ),
        ))
    }
}

/// Page size: 1 to 100.
pub fn size(n: u32) -> Result<u32, ApiError> {
    if (1..=100).contains(&n) {
        Ok(n)
    } else {
        Err(ApiError::invalid(
            "size",
            format!("{n} is out of range: a page holds 1 to 100 numbers"),
        ))
    }
}

/// Page index: 1-based.
pub fn index(n: u32) -> Result<u32, ApiError> {
    if n >= 1 {
        Ok(n)
    } else {
        Err(ApiError::invalid(
            "index",
            "pages are numbered from 1".to_string(),
        ))
    }
}

/// A search pattern: digits only (spaces, dashes and a leading `+` dropped), 1 to 15 of them.
pub fn pattern(input: &str) -> Result<String, ApiError> {
    let digits: String = input
        .trim()
        .trim_start_matches('+')
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if !digits.is_empty() && digits.len() <= 15 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(ApiError::invalid(
            "pattern",
            format!("{} must be 1 to 15 digits", quote(input)),
        ))
    }
}

/// An absolute http(s) URL with a host, no spaces or control characters.
pub fn url(field: &'static str, input: &str) -> Result<String, ApiError> {
    let s = input.trim();
    let bad = |why: &str| {
        ApiError::invalid(
            field,
            format!("{} {why}", quote(&mask_url_passwords(input))),
        )
    };
    if s.len() > MAX_TEXT {
        return Err(bad("is too long"));
    }
    if s.chars().any(|c| is_unsafe_char(c) || c.is_whitespace()) {
        return Err(bad(
            "contains spaces, control or invisible formatting characters",
        ));
    }
    if !has_literal_authority(s) {
        return Err(bad("is not an absolute URL written scheme://host/path"));
    }
    let parsed = Url::parse(s).map_err(|_| bad("is not an absolute URL (https://host/path)"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    Ok(s.to_string())
}

/// A free-text value (application id, SMPP system type, SIP URI...): printable, bounded.
pub fn text(field: &'static str, input: &str) -> Result<String, ApiError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ApiError::invalid(
            field,
            "is empty; to remove the value, clear the field explicitly".to_string(),
        ));
    }
    if s.chars().count() > 255 {
        return Err(ApiError::invalid(
            field,
            format!("is {} characters long; at most 255", s.chars().count()),
        ));
    }
    if s.chars().any(is_unsafe_char) {
        return Err(ApiError::invalid(
            field,
            "contains control or invisible formatting characters (such as a right-to-left override)"
                .to_string(),
        ));
    }
    Ok(s.to_string())
}

/// A value as it may be shown in an error: bounded, control characters made visible.
pub fn quote(input: &str) -> String {
    let shown: String = input
        .chars()
        .take(40)
        .flat_map(char::escape_debug)
        .collect();
    if input.chars().count() > 40 {
        format!("\"{shown}…\" ({} characters)", input.chars().count())
    } else {
        format!("\"{shown}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries() {
        assert_eq!(country(" gb ").unwrap(), "GB");
        for bad in ["", "G", "GBR", "G1", "ÄB", "\u{1b}[", "🇬🇧"] {
            assert!(country(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn msisdns() {
        assert_eq!(msisdn("+44 7700-900000").unwrap(), "447700900000");
        assert_eq!(msisdn("1415555").unwrap(), "1415555");
        for bad in [
            "",
            "0447700900000",
            "12345",
            "4477009000001234",
            "44770090000a",
            "44\u{202e}7700900000",
            "٤٤٧٧٠٠٩٠٠٠٠٠",
        ] {
            assert!(msisdn(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sizes_indexes_patterns() {
        assert!(size(0).is_err());
        assert!(size(101).is_err());
        assert_eq!(size(100).unwrap(), 100);
        assert!(index(0).is_err());
        assert_eq!(pattern("+44 77").unwrap(), "4477");
        assert!(pattern("12a").is_err());
        assert!(pattern("").is_err());
    }

    #[test]
    fn urls() {
        assert!(url("moHttpUrl", "https://example.com/sms").is_ok());
        assert!(url("moHttpUrl", "http://127.0.0.1:8080/x").is_ok());
        for bad in [
            "/relative",
            "example.com/x",
            "ftp://example.com",
            "https://",
            "https://exa mple.com",
            "javascript:alert(1)",
        ] {
            let err = url("moHttpUrl", bad).unwrap_err();
            assert!(err.to_string().contains("moHttpUrl"), "{err}");
        }
        assert!(
            url(
                "moHttpUrl",
                &format!("https://x.com/{}", "a".repeat(10_000))
            )
            .is_err()
        );
    }

    #[test]
    fn quote_bounds_and_escapes() {
        let q = quote(&"x".repeat(10_000));
        assert!(q.len() < 100);
        assert!(quote("a\u{1b}b").contains("\\u{1b}"));
    }
}
