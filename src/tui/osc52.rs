//! Copy to the clipboard with OSC 52: the terminal (local, or at the other end of SSH) puts
//! the text on the system clipboard. `ESC ] 52 ; c ; <base64> BEL`.

use base64::Engine;

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The bytes that ask the terminal to put `text` on the clipboard, without its control and
/// invisible characters (a line break would run what follows it when pasted in a shell).
pub fn sequence(text: &str) -> Vec<u8> {
    let text: String = text
        .chars()
        .filter(|c| !crate::api::validate::is_unsafe_char(*c))
        .collect();
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes())).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn no_line_break_or_escape_reaches_the_clipboard() {
        assert_eq!(
            sequence("44770\n0900123\u{1b}[2J"),
            sequence("447700900123[2J")
        );
    }

    #[test]
    fn the_sequence_is_osc_52_to_the_clipboard() {
        assert_eq!(
            sequence("447700900123"),
            b"\x1b]52;c;NDQ3NzAwOTAwMTIz\x07".to_vec()
        );
    }
}
