//! Local files read with a bound (a device or a huge file is refused, never read whole), and
//! messages about the config file that never quote a value long enough to be a secret.

use std::path::Path;

/// The largest config file read: a real one is a few KB (`--config /dev/zero` would be read
/// for ever).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Reads `path`, refusing (as `InvalidData`) a file longer than `limit` bytes: at most
/// `limit + 1` bytes are ever read, whatever the file is (a device, a pipe, a huge file).
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "larger than {} KB: not a file switchboard reads",
                limit >> 10
            ),
        ));
    }
    Ok(bytes)
}

/// A message about the file with every value of it longer than a key or colour name masked: a
/// secret pasted in the wrong place (under `[keys]`, say) is never echoed.
pub(super) fn mask_long_values(message: &str, text: &str) -> String {
    const SHOWN: usize = 12;
    let mut message = message.to_string();
    for line in text.lines() {
        let Some((_, value)) = line.split_once('=') else {
            continue;
        };
        // The value as a whole, and each quoted string in it (an array of keys).
        let mut values = vec![value.trim().trim_matches(['"', '\'']).trim()];
        values.extend(value.split(['"', '\'']).skip(1).step_by(2));
        for v in values {
            if v.chars().count() > SHOWN && message.contains(v) {
                let hidden = format!("(a value of {} characters, not shown)", v.chars().count());
                message = message.replace(v, &hidden);
            }
        }
    }
    message
}
