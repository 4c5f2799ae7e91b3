//! Rendering results for people (aligned tables) and scripts (JSON, CSV). Every value that came
//! from the server is made safe for a terminal first: no escape sequences reach the screen.

use std::io::{self, Write};

use serde::Serialize;

use crate::api::model::features_label;
use crate::api::{AvailableNumber, OwnedNumber, Page};

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

pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
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
pub const OWNED_CSV_HEADER: [&str; 10] = [
    "msisdn",
    "country",
    "type",
    "features",
    "app_id",
    "moHttpUrl",
    "voiceCallbackType",
    "voiceCallbackValue",
    "messagesCallbackType",
    "messagesCallbackValue",
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
    "initialPrice",
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

/// Writes a page of numbers in the chosen format. `summary` goes under a table, and to stderr
/// for JSON and CSV so the output stays machine-readable.
pub fn page<T: Serialize>(
    out: &mut dyn Write,
    format: super::args::Format,
    page: &Page<T>,
    headers: (&[&str], &[&str]),
    row: fn(&T) -> Vec<String>,
    csv_row: fn(&T) -> Vec<String>,
    summary: &str,
) -> io::Result<()> {
    use super::args::Format;
    // stdout is line-buffered: 10,000 numbers of pretty JSON were 150,000 writes (half the
    // time of `list --json`). Buffered here, flushed before the summary goes to stderr.
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, out);
    let w: &mut dyn Write = &mut buffered;
    match format {
        Format::Json => json(w, page)?,
        Format::Csv => {
            let rows: Vec<_> = page.numbers.iter().map(csv_row).collect();
            csv(w, headers.1, &rows)?;
        }
        Format::Table => {
            let rows: Vec<_> = page.numbers.iter().map(row).collect();
            if !rows.is_empty() {
                table(w, headers.0, &rows)?;
            }
            writeln!(w, "{summary}")?;
            return buffered.flush();
        }
    }
    buffered.flush()?;
    eprintln!("{summary}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
