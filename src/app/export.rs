//! Copy (`y`) and export (`x`): the app asks, the loop does. Copy returns an
//! [`Effect::Copy`] with the msisdn; export opens a dialog (format and file name, both
//! editable), then sends the shown rows to be written. An existing file is replaced only after
//! a second, explicit confirmation.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tui_input::{Input, InputRequest};

use super::dialog::Dialog;
use super::layer::Handled;
use super::{App, Cmd, Effect, Layer, Request};
use crate::api::OwnedNumber;
pub use crate::export::{ExportFailure, ExportFormat};
use crate::output::plural;

/// The export dialog: the format (Tab switches it) and the file name (editable); each
/// follows the other (a name ending `.json` is JSON, switching to CSV renames it `.csv`).
#[derive(Clone, Debug)]
pub struct ExportDialog {
    pub format: ExportFormat,
    pub path: Input,
    /// Rows that will be written.
    pub count: usize,
}

impl ExportDialog {
    /// Tab: the other format, and the file name's extension with it.
    pub fn toggle_format(&mut self) {
        self.format = self.format.other();
        let renamed = swap_extension(self.path.value(), self.format);
        if renamed != self.path.value() {
            self.path = Input::new(renamed);
        }
    }

    /// Typing in the file name: an extension of a format picks that format.
    pub fn edit(&mut self, req: InputRequest) {
        self.path.handle(req);
        let name = self.path.value().to_ascii_lowercase();
        for f in [ExportFormat::Csv, ExportFormat::Json] {
            if name.ends_with(&format!(".{}", f.extension())) {
                self.format = f;
            }
        }
    }
}

/// `YYYYMMDD-HHMMSS` (UTC) of a time.
pub fn stamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    crate::output::utc_stamp(secs)
}

/// `name.csv` as `name.json` (and back) when the name ends with the other format's extension.
fn swap_extension(name: &str, to: ExportFormat) -> String {
    let from = to.other().extension();
    match name.strip_suffix(&format!(".{from}")) {
        Some(stem) => format!("{stem}.{}", to.extension()),
        None => name.to_string(),
    }
}

impl App {
    /// The wall-clock time now, when the loop gave one.
    fn wall_now(&self) -> Option<SystemTime> {
        self.wall
            .map(|(at, t)| t + self.now.saturating_duration_since(at))
    }

    /// `y`: the msisdn goes to the clipboard, only when it is one (digits, as validated): a
    /// server's value with a line break and a command in it must not land in a shell.
    pub(super) fn copy(&mut self, msisdn: Option<String>) -> Vec<Effect> {
        match msisdn {
            Some(m) if !m.is_empty() => match crate::api::validate::msisdn(&m) {
                Ok(digits) => {
                    self.info(format!("copied {digits} to the clipboard"));
                    vec![Effect::Copy(digits)]
                }
                Err(_) => {
                    self.warn(format!(
                        "not copied: the server's number {} is not a phone number",
                        crate::api::validate::quote(&m)
                    ));
                    Vec::new()
                }
            },
            _ => {
                self.warn("nothing selected to copy");
                Vec::new()
            }
        }
    }

    /// `x`: the export dialog, with a default file name in the current directory.
    pub(super) fn open_export(&mut self) {
        let count = self.owned.shown.len();
        if count == 0 {
            self.warn("nothing to export: no numbers shown");
            return;
        }
        let format = ExportFormat::Csv;
        let stamp = self.wall_now().map(stamp).unwrap_or_else(|| "list".into());
        let name = format!("./switchboard-owned-{stamp}.{}", format.extension());
        self.open(Layer::Export(ExportDialog {
            format,
            path: Input::new(name),
            count,
        }));
    }

    pub(super) fn export_command(&mut self, e: &mut ExportDialog, cmd: Cmd) -> Handled {
        match cmd {
            Cmd::Back | Cmd::Quit => Handled::close(),
            Cmd::Toggle | Cmd::NextField | Cmd::PrevField => {
                e.toggle_format();
                Handled::stay()
            }
            Cmd::Submit => self.submit_export(e),
            _ => Handled::stay(),
        }
    }

    /// Enter in the export dialog: the shown rows, in their order, are sent to be written.
    fn submit_export(&mut self, e: &ExportDialog) -> Handled {
        let name = e.path.value().trim().to_string();
        if name.is_empty() {
            self.warn("type a file name to export to");
            return Handled::stay();
        }
        let format = e.format;
        let o = &self.owned;
        let rows: Vec<OwnedNumber> = o
            .shown
            .iter()
            .filter_map(|&i| o.numbers.get(i as usize).cloned())
            .collect();
        self.info(format!(
            "exporting {} to {name}…",
            plural(rows.len(), "number", "numbers")
        ));
        Handled::close().with(vec![self.request(Request::Export {
            path: PathBuf::from(name),
            format,
            numbers: Arc::new(rows),
            overwrite: false,
        })])
    }

    /// The export's outcome: a message, or the question whether to replace the file.
    pub(super) fn exported(
        &mut self,
        result: Result<usize, ExportFailure>,
        request: Request,
    ) -> Vec<Effect> {
        let Request::Export {
            path,
            format,
            numbers,
            ..
        } = request
        else {
            return Vec::new();
        };
        match result {
            Ok(n) => self.info(format!(
                "exported {} to {}",
                plural(n, "number", "numbers"),
                path.display()
            )),
            Err(ExportFailure::Exists) => {
                self.open(Layer::Dialog(Dialog::Overwrite {
                    path,
                    format,
                    numbers,
                    confirm_focused: false,
                }));
            }
            Err(ExportFailure::Io(e)) => {
                self.error(format!("export to {} failed: {e}", path.display()))
            }
        }
        Vec::new()
    }

    /// The overwrite question answered yes: the same rows, replacing the file.
    pub(super) fn overwrite_export(
        &mut self,
        path: PathBuf,
        format: ExportFormat,
        numbers: Arc<Vec<OwnedNumber>>,
    ) -> Vec<Effect> {
        self.info(format!("replacing {}…", path.display()));
        vec![self.request(Request::Export {
            path,
            format,
            numbers,
            overwrite: true,
        })]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stamps_are_utc_civil_dates() {
        assert_eq!(stamp(UNIX_EPOCH), "19700101-000000");
        // 2026-11-27 03:25:12 UTC
        let t = UNIX_EPOCH + Duration::from_secs(1_795_749_912);
        assert_eq!(stamp(t), "20261127-032512");
        // A leap day.
        let t = UNIX_EPOCH + Duration::from_secs(1_709_164_800);
        assert_eq!(stamp(t), "20240229-000000");
    }

    #[test]
    fn the_extension_follows_the_format() {
        assert_eq!(swap_extension("a.csv", ExportFormat::Json), "a.json");
        assert_eq!(swap_extension("a.json", ExportFormat::Csv), "a.csv");
        assert_eq!(swap_extension("a.txt", ExportFormat::Json), "a.txt");
    }
}
