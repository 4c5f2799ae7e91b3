//! The worker's file requests: exports, written off the event loop.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::OwnedNumber;
use crate::app::{ExportFailure, ExportFormat, Reply};

/// Writes `numbers` to `path` (replacing a file only with `overwrite`) on a blocking thread.
pub(super) async fn export(
    path: PathBuf,
    format: ExportFormat,
    numbers: Arc<Vec<OwnedNumber>>,
    overwrite: bool,
) -> Reply {
    Reply::Exported(
        tokio::task::spawn_blocking(move || {
            crate::export::write_file(&path, format, &numbers, overwrite)
        })
        .await
        .unwrap_or_else(|e| Err(ExportFailure::Io(e.to_string()))),
    )
}
