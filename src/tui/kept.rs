//! The owned list kept on disk between runs: written after each complete load (on a blocking
//! thread, so the loop does not wait for the disk), and with the session's changes when the
//! TUI ends.

use std::time::{Instant, SystemTime};

use crate::app::App;
use crate::cache::Cache;

/// After the session: the owned list with this session's changes (updates, cancels, buys)
/// replaces the one on disk, stamped with the time of its last complete load, so the next
/// start does not show what they replaced. Only a complete list (no API filter) is kept.
/// Returns whether it was written.
pub fn keep_changes(cache: &Cache, app: &App) -> bool {
    let o = &app.owned;
    if !o.changed || o.cached.is_some() || o.server_filter != crate::api::OwnedFilter::default() {
        return false;
    }
    let (Some(loaded_at), Some((at, wall))) = (o.loaded_at, app.wall) else {
        return false;
    };
    let fetched = wall + loaded_at.saturating_duration_since(at);
    match cache.save(&o.numbers, fetched) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(path = %cache.path().display(), error = %e, "cannot keep the session's changes");
            false
        }
    }
}

/// Keeps the owned list on disk: encoded here, where the list is (the app's), streamed into a
/// temporary file through a small buffer rather than into one big string (at 100,000 numbers
/// that string was the process's peak memory); synced and renamed on a blocking thread so the
/// loop does not wait for the disk.
pub(super) fn save_cache(cache: Option<&Cache>, app: &App) {
    let Some(cache) = cache.cloned() else { return };
    let started = Instant::now();
    let staged = match cache.stage(&app.owned.numbers, SystemTime::now()) {
        Ok(staged) => staged,
        Err(e) => {
            tracing::warn!(path = %cache.path().display(), error = %e, "cannot write the cache");
            return;
        }
    };
    let encoded_ms = started.elapsed().as_secs_f64() * 1000.0;
    let numbers = app.owned.numbers.len();
    tokio::task::spawn_blocking(move || match staged.commit() {
        Ok(()) => {
            tracing::info!(path = %cache.path().display(), numbers, encoded_ms, "owned list cached")
        }
        Err(e) => {
            tracing::warn!(path = %cache.path().display(), error = %e, "cannot write the cache")
        }
    });
}
