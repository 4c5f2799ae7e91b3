//! One line of the journal file: an entry's JSON ending with its checksum, and the reader of
//! a whole file (the latest line of an id wins; unreadable and damaged lines are counted).

use std::collections::BTreeMap;
use std::io;

use super::entry::Entry;
use super::file::Contents;

/// Every readable line; the latest line of an id wins. Unreadable lines, and lines whose
/// checksum fails, are counted, never fatal.
pub fn parse(bytes: &[u8]) -> Contents {
    parse_from(bytes, |_| true).unwrap_or_default()
}

pub(super) fn parse_from(
    mut reader: impl io::BufRead,
    keep: impl Fn(&[u8]) -> bool,
) -> io::Result<Contents> {
    let mut by_id: BTreeMap<u64, Entry> = BTreeMap::new();
    let (mut skipped, mut damaged) = (0, 0);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let text = line.trim_ascii();
        if text.is_empty() || !keep(text) {
            continue;
        }
        let Some(body) = checked(text) else {
            damaged += 1;
            continue;
        };
        match serde_json::from_slice::<Entry>(&body) {
            Ok(e) => {
                by_id.insert(e.id, e);
            }
            Err(_) => skipped += 1,
        }
    }
    Ok(Contents {
        entries: by_id.into_values().collect(),
        skipped,
        damaged,
    })
}

/// One entry as the journal writes it (its line, checksum and newline): for tools that build
/// a journal (benches).
pub fn encode(entry: &Entry) -> io::Result<Vec<u8>> {
    line_of(entry)
}

/// The checksum's field, the last of every line: `,"crc":"1a2b3c4d"}`.
const CRC_FIELD: &[u8] = b",\"crc\":\"";

/// The entry as one line: its JSON with a last field, `crc`, the CRC-32 of the JSON without
/// it, so a damaged line (a flipped digit in an msisdn) is found and skipped, not acted on.
pub(super) fn line_of(entry: &impl serde::Serialize) -> io::Result<Vec<u8>> {
    let mut json = serde_json::to_vec(entry).map_err(io::Error::other)?;
    let crc = crc32(&json);
    json.pop(); // the closing brace
    json.extend_from_slice(CRC_FIELD);
    json.extend_from_slice(format!("{crc:08x}\"}}\n").as_bytes());
    Ok(json)
}

/// The JSON of a line without its checksum field, if the checksum holds (a line written
/// before checksums has none, and is taken as it is). `None`: damaged.
pub(super) fn checked(line: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    let Some(at) = line.windows(CRC_FIELD.len()).rposition(|w| w == CRC_FIELD) else {
        return Some(line.into());
    };
    let tail = &line[at + CRC_FIELD.len()..];
    let hex = tail.strip_suffix(b"\"}")?;
    let want = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    let mut body = line[..at].to_vec();
    body.push(b'}');
    (crc32(&body) == want).then_some(body.into())
}

/// CRC-32 (IEEE), table-driven.
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |c, b| {
        TABLE[((c ^ u32::from(*b)) & 0xFF) as usize] ^ (c >> 8)
    })
}
