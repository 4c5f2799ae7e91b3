//! Rendering results for people (aligned tables) and scripts (JSON, CSV), shared by the command
//! line (`cli/`) and the TUI's views and export. Every value that came from the server is made
//! safe for a terminal first: no escape sequences reach the screen.

use std::io::{self, Write};

use serde::Serialize;

use crate::api::model::features_label;
use crate::api::{AvailableNumber, OwnedNumber};

/// Replaces control characters (escape sequences included) and invisible formatting ones
/// (bidi overrides) with `?`, so a value from the server cannot move the cursor, recolour the
/// terminal or reorder what is shown.
pub fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if crate::api::validate::is_unsafe_char(c) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Like [`safe`], but keeps line breaks: for messages of several lines.
pub fn safe_lines(s: &str) -> String {
    s.lines().map(safe).collect::<Vec<_>>().join("\n")
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 number`, `1,234 numbers`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(n as u64),
        if n == 1 { one } else { many }
    )
}

/// A time as people read it: `2026-11-27 03:41:07` (UTC), from unix seconds.
pub fn utc(secs: u64) -> String {
    let t = utc_time(secs);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A time for a file name: `20261127-034107` (UTC), from unix seconds.
pub fn utc_stamp(secs: u64) -> String {
    let t = utc_time(secs);
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Seconds past the last representable time are shown as that time.
fn utc_time(secs: u64) -> time::OffsetDateTime {
    let secs = i64::try_from(secs).unwrap_or(i64::MAX);
    time::OffsetDateTime::from_unix_timestamp(secs)
        .unwrap_or_else(|_| time::PrimitiveDateTime::MAX.assume_utc())
}

fn opt<S: AsRef<str>>(s: &Option<S>) -> String {
    s.as_ref().map(|v| safe(v.as_ref())).unwrap_or_default()
}

/// Writes rows as aligned columns under a header.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &mut dyn Iterator<Item = &str>| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            let pad = w.saturating_sub(cell.chars().count());
            text.extend(std::iter::repeat_n(' ', pad));
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, &mut header.iter().copied())?;
    for row in rows {
        line(out, &mut row.iter().map(String::as_str))?;
    }
    Ok(())
}

/// One CSV cell: quoted when needed; a leading `= + - @` is defused for spreadsheets.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn csv(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    writeln!(out, "{}", header.join(","))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// Pretty JSON in which every unsafe character (a C1 control such as U+009B, a bidi override,
/// a line separator...) is written as a `\u` escape, never raw: the output, or an export, can
/// be printed on a terminal as safely as the screen. The values are unchanged for a parser.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, SafeJson::default());
    value.serialize(&mut ser)?;
    writeln!(out)
}

/// serde_json's pretty formatter, escaping unsafe characters in strings.
#[derive(Default)]
struct SafeJson<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for SafeJson<'_> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, s: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in s.char_indices() {
            if crate::api::validate::is_unsafe_char(c) {
                w.write_all(&s.as_bytes()[start..i])?;
                for unit in c.encode_utf16(&mut [0u16; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&s.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

pub const OWNED_HEADER: [&str; 7] = [
    "MSISDN",
    "COUNTRY",
    "TYPE",
    "FEATURES",
    "APP",
    "SMS WEBHOOK",
    "VOICE",
];
/// CSV headers are snake_case, every one (the API itself mixes `app_id` and `moHttpUrl`; JSON
/// output keeps the API's names).
pub const OWNED_CSV_HEADER: [&str; 10] = [
    "msisdn",
    "country",
    "type",
    "features",
    "app_id",
    "mo_http_url",
    "voice_callback_type",
    "voice_callback_value",
    "messages_callback_type",
    "messages_callback_value",
];

pub fn owned_row(n: &OwnedNumber) -> Vec<String> {
    let voice = match (&n.voice_callback_type, &n.voice_callback_value) {
        (Some(t), Some(v)) => format!("{}:{}", safe(t), safe(v)),
        (Some(t), None) => safe(t),
        (None, Some(v)) => safe(v),
        (None, None) => String::new(),
    };
    vec![
        opt(&n.msisdn),
        opt(&n.country),
        n.number_type
            .as_ref()
            .map(|t| safe(t.as_str()))
            .unwrap_or_default(),
        safe(&features_label(&n.features)),
        opt(&n.app_id),
        opt(&n.mo_http_url),
        voice,
    ]
}

pub fn owned_csv_row(n: &OwnedNumber) -> Vec<String> {
    vec![
        opt(&n.msisdn),
        opt(&n.country),
        n.number_type
            .as_ref()
            .map(|t| safe(t.as_str()))
            .unwrap_or_default(),
        safe(&features_label(&n.features)),
        opt(&n.app_id),
        opt(&n.mo_http_url),
        opt(&n.voice_callback_type),
        opt(&n.voice_callback_value),
        opt(&n.messages_callback_type),
        opt(&n.messages_callback_value),
    ]
}

pub const AVAILABLE_HEADER: [&str; 6] = [
    "MSISDN",
    "COUNTRY",
    "TYPE",
    "FEATURES",
    "MONTHLY EUR",
    "SETUP EUR",
];
pub const AVAILABLE_CSV_HEADER: [&str; 6] = [
    "msisdn",
    "country",
    "type",
    "features",
    "cost",
    "initial_price",
];

pub fn available_row(n: &AvailableNumber) -> Vec<String> {
    vec![
        opt(&n.msisdn),
        opt(&n.country),
        n.number_type
            .as_ref()
            .map(|t| safe(t.as_str()))
            .unwrap_or_default(),
        safe(&features_label(&n.features)),
        opt(&n.cost),
        opt(&n.initial_price),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_times_for_people() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(plural(1, "number", "numbers"), "1 number");
        assert_eq!(plural(0, "number", "numbers"), "0 numbers");
        assert_eq!(plural(2000, "number", "numbers"), "2,000 numbers");
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_795_750_867), "2026-11-27 03:41:07");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(utc_stamp(1_795_750_867), "20261127-034107");
        assert_eq!(utc(u64::MAX), "9999-12-31 23:59:59");
    }

    #[test]
    fn escapes_never_reach_the_terminal() {
        assert_eq!(safe("a\u{1b}[31mb\n"), "a?[31mb?");
    }

    #[test]
    fn csv_quotes_and_defuses() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=cmd()"), "'=cmd()");
    }

    #[test]
    fn table_aligns() {
        let mut out = Vec::new();
        table(
            &mut out,
            &["A", "B"],
            &[
                vec!["long".into(), "x".into()],
                vec!["s".into(), "y".into()],
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "A     B\nlong  x\ns     y\n"
        );
    }
}
