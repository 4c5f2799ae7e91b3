//! Writing a list of owned numbers to a file (the TUI's `x`), with the CLI's own CSV and JSON
//! writers (`output`): the same columns as `switchboard list --csv` / `--json`, CSV cells
//! quoted as needed and defused against spreadsheet formulas. An existing file is never
//! replaced unless asked.

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::api::OwnedNumber;
use crate::output;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportFormat {
    #[default]
    Csv,
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Csv => "CSV",
            ExportFormat::Json => "JSON",
        }
    }

    pub fn other(self) -> ExportFormat {
        match self {
            ExportFormat::Csv => ExportFormat::Json,
            ExportFormat::Json => ExportFormat::Csv,
        }
    }
}

/// Why an export wrote nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportFailure {
    /// The file exists and was not to be replaced.
    Exists,
    Io(String),
}

/// Writes `numbers` to `out` in `format`.
pub fn write_to(
    out: &mut dyn Write,
    format: ExportFormat,
    numbers: &[OwnedNumber],
) -> std::io::Result<()> {
    match format {
        ExportFormat::Csv => {
            let rows: Vec<Vec<String>> = numbers.iter().map(output::owned_csv_row).collect();
            output::csv(out, &output::OWNED_CSV_HEADER, &rows)
        }
        ExportFormat::Json => {
            // The shape of `switchboard list --json`.
            #[derive(serde::Serialize)]
            struct Borrowed<'a> {
                count: u64,
                numbers: &'a [OwnedNumber],
            }
            output::json(
                out,
                &Borrowed {
                    count: numbers.len() as u64,
                    numbers,
                },
            )
        }
    }
}

/// Writes `numbers` to the file at `path`; returns how many were written. Without
/// `overwrite`, an existing file is left alone and [`ExportFailure::Exists`] returned.
pub fn write_file(
    path: &Path,
    format: ExportFormat,
    numbers: &[OwnedNumber],
    overwrite: bool,
) -> Result<usize, ExportFailure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => ExportFailure::Exists,
        _ => ExportFailure::Io(e.to_string()),
    })?;
    let mut out = BufWriter::new(file);
    let written = write_to(&mut out, format, numbers)
        .and_then(|()| out.flush())
        .and_then(|()| out.get_ref().sync_all());
    match written {
        Ok(()) => Ok(numbers.len()),
        Err(e) => {
            // Half a file is worse than none.
            let _ = std::fs::remove_file(path);
            Err(ExportFailure::Io(e.to_string()))
        }
    }
}
