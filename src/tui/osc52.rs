//! Copy to the clipboard with OSC 52: the terminal (local, or at the other end of SSH) puts
//! the text on the system clipboard. `ESC ] 52 ; c ; <base64> BEL`.

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 0x3f) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
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
