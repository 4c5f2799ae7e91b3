//! The Owned pane: every owned number, filtered as you type, sorted by any column, with the
//! selection kept on the same msisdn across refreshes, filters and sorts.

use tui_input::Input;

use crate::api::text::Interner;
use crate::api::{ListProgress, OwnedFilter, OwnedNumber};

use super::RequestId;

mod columns;
mod commands;
mod filter;
mod keys;
mod load;

pub use columns::{Column, voice_summary};

use keys::{KEYED, Keys, Matcher, Texts};

/// The list on screen came from the cache: how old it was when it was shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CachedAge {
    pub age: std::time::Duration,
    pub at: std::time::Instant,
}

impl CachedAge {
    /// Its age at `now`.
    pub fn age_at(&self, now: std::time::Instant) -> std::time::Duration {
        self.age + now.saturating_duration_since(self.at)
    }
}

/// A loading run of the owned list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loading {
    pub id: RequestId,
    pub progress: Option<ListProgress>,
    /// Which read of the list this is (1 = the first; more after a read that was not whole).
    pub read: u32,
}

/// A load that did not come whole: the distinct numbers that arrived, the server's `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortfall {
    pub arrived: usize,
    pub counted: u64,
}

#[derive(Debug, Default)]
pub struct OwnedPane {
    pub numbers: Vec<OwnedNumber>,
    /// Per number, its column texts' ids in `texts` (what the filter and some sorts read).
    keys: Vec<Keys>,
    texts: Texts,
    /// One copy of each repeated value for the whole list.
    interner: Interner,
    /// Indices into `numbers`: the rows shown, filtered and sorted.
    pub shown: Vec<u32>,
    /// Every index into `numbers`, sorted by the current column: a widening filter scans this
    /// instead of sorting again.
    order: Vec<u32>,
    pub filter: Input,
    /// The filter the `shown` rows were computed for.
    applied_filter: String,
    pub sort: Column,
    pub reverse: bool,
    /// Index into `shown`.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    pub loading: Option<Loading>,
    /// The list has been loaded at least once.
    pub loaded: bool,
    /// The API's own filters, applied by the server on the next load.
    pub server_filter: OwnedFilter,
    /// Pages of a first load not yet in `numbers` (the pane's own pages go straight into
    /// `numbers`, where room for the whole list is reserved: see `receive_page`).
    pub incoming: Vec<OwnedNumber>,
    /// Set while the list shown is the one kept on disk from an earlier run.
    pub cached: Option<CachedAge>,
    /// The last refresh failed: the list shown may be out of date.
    pub stale: bool,
    /// The list shown did not come whole, even read again (cleared by a whole load).
    pub incomplete: Option<Shortfall>,
    /// When the list shown was loaded whole (the app's clock), and whether this session
    /// changed it since (an update, a cancel, a buy): the loop keeps those changes on disk.
    pub loaded_at: Option<std::time::Instant>,
    pub changed: bool,
    /// Numbers were added to `numbers` since the rows shown were computed (merged on a tick).
    unmerged: bool,
    /// Pages of a refresh, kept aside until it completes (with the load's request id).
    refresh_pages: Option<(RequestId, Vec<OwnedNumber>)>,
}

impl OwnedPane {
    pub fn selected_number(&self) -> Option<&OwnedNumber> {
        let i = *self.shown.get(self.selected)?;
        self.numbers.get(i as usize)
    }

    pub fn selected_msisdn(&self) -> Option<String> {
        self.selected_number().and_then(|n| n.msisdn.clone())
    }

    /// Replaces one number in place (after an update), or adds it (after a buy).
    pub fn upsert(&mut self, number: OwnedNumber) {
        self.changed = true;
        let keep = self.selected_msisdn();
        match self
            .numbers
            .iter()
            .position(|n| n.msisdn.is_some() && n.msisdn == number.msisdn)
        {
            Some(i) => {
                self.keys[i] = self.texts.keys(&number);
                self.numbers[i] = number;
            }
            None => {
                self.keys.push(self.texts.keys(&number));
                self.numbers.push(number);
            }
        }
        self.recompute(keep.as_deref(), true);
    }

    /// Changes one number in place (a bulk run's change as it lands), or adds it: the rows
    /// shown stay as they are when its place in the sort and whether the filter shows it did
    /// not change (no sort of the whole list per change), else they are computed again.
    pub fn replace(&mut self, number: OwnedNumber) {
        let at = self
            .numbers
            .iter()
            .position(|n| n.msisdn.is_some() && n.msisdn == number.msisdn);
        let Some(i) = at.filter(|_| !self.unmerged && self.order.len() == self.numbers.len())
        else {
            return self.upsert(number);
        };
        let keys = self.texts.keys(&number);
        let text = self.filter.value().to_lowercase();
        let terms: Vec<&str> = text.split_whitespace().collect();
        let matcher = Matcher::new(&self.texts, &terms);
        let same_place = self.sort.compare(&self.numbers[i], &number).is_eq()
            && text == self.applied_filter
            && matcher.matches(&self.numbers[i], &self.keys[i]) == matcher.matches(&number, &keys);
        if !same_place {
            return self.upsert(number);
        }
        self.changed = true;
        self.keys[i] = keys;
        self.numbers[i] = number;
    }

    /// Replaces several numbers in place (after a bulk run), adding those not there: one pass
    /// over the list, one sort.
    pub fn upsert_many(&mut self, numbers: Vec<OwnedNumber>) {
        self.changed = true;
        let keep = self.selected_msisdn();
        let interner = &mut self.interner;
        let mut incoming: std::collections::HashMap<String, OwnedNumber> = numbers
            .into_iter()
            .filter_map(|mut n| {
                interner.share(&mut n);
                let m = n.msisdn.as_deref()?.to_string();
                Some((m, n))
            })
            .collect();
        for i in 0..self.numbers.len() {
            let Some(m) = self.numbers[i].msisdn.as_deref() else {
                continue;
            };
            if let Some(number) = incoming.remove(m) {
                self.keys[i] = self.texts.keys(&number);
                self.numbers[i] = number;
            }
        }
        for (_, number) in incoming {
            self.keys.push(self.texts.keys(&number));
            self.numbers.push(number);
        }
        self.recompute(keep.as_deref(), true);
    }

    /// Removes a number (after a cancel); the selection moves to its neighbour.
    pub fn remove(&mut self, msisdn: &str) {
        self.changed = true;
        let Some(i) = self
            .numbers
            .iter()
            .position(|n| n.msisdn.as_deref() == Some(msisdn))
        else {
            return;
        };
        let selected = self.selected;
        self.numbers.remove(i);
        self.keys.remove(i);
        self.recompute(None, true);
        self.selected = selected.min(self.shown.len().saturating_sub(1));
    }

    /// The applications' names changed: the APPLICATION column's texts (drawn, filtered,
    /// sorted) follow.
    pub fn set_app_names(&mut self, names: crate::app::apps::Names) {
        if self.texts.names == names {
            return;
        }
        let keep = self.selected_msisdn();
        self.texts = Texts::with_names(names);
        let texts = &mut self.texts;
        self.keys = self.numbers.iter().map(|n| texts.keys(n)).collect();
        self.recompute(keep.as_deref(), true);
    }

    /// The text number `index` shows in `column` (the APPLICATION column shows the app's
    /// name).
    pub fn cell_text(&self, index: usize, column: Column) -> std::borrow::Cow<'_, str> {
        match (column, self.keys.get(index)) {
            (Column::App, Some(k)) => {
                let at = KEYED.iter().position(|c| *c == Column::App).unwrap_or(0);
                std::borrow::Cow::Borrowed(&self.texts.raw[k.ids[at] as usize])
            }
            _ => match self.numbers.get(index) {
                Some(n) => std::borrow::Cow::Owned(column.text(n)),
                None => std::borrow::Cow::Borrowed(""),
            },
        }
    }

    /// The filter text changed: recompute the rows shown. When the new text only narrows the
    /// old one, only the rows already shown are scanned.
    pub fn filter_changed(&mut self) {
        let keep = self.selected_msisdn();
        self.recompute(keep.as_deref(), false);
    }

    pub fn set_sort(&mut self, column: Column, reverse: bool) {
        self.sort = column;
        self.reverse = reverse;
        let keep = self.selected_msisdn();
        self.recompute(keep.as_deref(), true);
    }

    fn recompute(&mut self, keep: Option<&str>, full: bool) {
        let was = self.shown.get(self.selected).copied();
        let text = self.filter.value().to_lowercase();
        let terms: Vec<&str> = text.split_whitespace().collect();
        let matcher = Matcher::new(&self.texts, &terms);
        let matches = |i: u32| matcher.matches(&self.numbers[i as usize], &self.keys[i as usize]);
        // Rows are visited in the shown order, which is random in memory when sorted by
        // another column than the msisdn: when many are visited, match every number in memory
        // order into a bitmap first (12.5 KB at 100,000), then read the bitmap in row order.
        let in_memory_order = || {
            let mut hit = vec![0u64; self.keys.len().div_ceil(64)];
            for (i, (n, k)) in self.numbers.iter().zip(&self.keys).enumerate() {
                if matcher.matches(n, k) {
                    hit[i / 64] |= 1 << (i % 64);
                }
            }
            hit
        };
        let is_hit = |hit: &[u64], i: u32| hit[i as usize / 64] & (1 << (i % 64)) != 0;
        // More text means fewer rows, except where a `column:` term starts: `cc:` alone is
        // no condition yet, wider than `cc` was.
        let narrowing =
            !full && text.starts_with(&self.applied_filter) && !text.contains(':') && self.loaded;
        if narrowing {
            // Order is kept: filtering a sorted list leaves it sorted.
            let shown = std::mem::take(&mut self.shown);
            self.shown = if shown.len() * 8 > self.numbers.len() {
                let hit = in_memory_order();
                shown.into_iter().filter(|&i| is_hit(&hit, i)).collect()
            } else {
                shown.into_iter().filter(|&i| matches(i)).collect()
            };
        } else {
            if full || self.order.len() != self.numbers.len() {
                let mut order: Vec<u32> = (0..self.numbers.len() as u32).collect();
                let (col, numbers) = (self.sort, &self.numbers);
                match col {
                    // Few distinct values, built text: rank each distinct text once, then
                    // sort by rank (no allocation per comparison).
                    Column::Features | Column::Voice | Column::App => {
                        let k = KEYED.iter().position(|c| *c == col).unwrap_or(0);
                        let raw = &self.texts.raw;
                        let mut by_text: Vec<u32> = (0..raw.len() as u32).collect();
                        by_text.sort_by(|&a, &b| raw[a as usize].cmp(&raw[b as usize]));
                        let mut rank = vec![0u32; raw.len()];
                        for (r, &id) in by_text.iter().enumerate() {
                            rank[id as usize] = r as u32;
                        }
                        let keys = &self.keys;
                        order.sort_by_key(|&i| rank[keys[i as usize].ids[k] as usize]);
                    }
                    _ => order
                        .sort_by(|&a, &b| col.compare(&numbers[a as usize], &numbers[b as usize])),
                }
                if self.reverse {
                    order.reverse();
                }
                self.order = order;
            }
            self.shown = if terms.is_empty() {
                self.order.clone()
            } else {
                let hit = in_memory_order();
                self.order
                    .iter()
                    .copied()
                    .filter(|&i| is_hit(&hit, i))
                    .collect()
            };
        }
        self.applied_filter = text;
        self.reselect(keep, was);
    }

    /// `was`: the index of the number selected before (if the list has not changed under it,
    /// the same number: a filter or a sort finds it without a scan).
    fn reselect(&mut self, keep: Option<&str>, was: Option<u32>) {
        // The number's index first, then its row (a scan of u32s): no jump to a random number
        // per row shown.
        let is_kept = |i: usize| {
            self.numbers
                .get(i)
                .is_some_and(|n| n.msisdn.is_some() && n.msisdn.as_deref() == keep)
        };
        let index = was
            .map(|i| i as usize)
            .filter(|&i| is_kept(i))
            .or_else(|| keep.and_then(|_| (0..self.numbers.len()).find(|&i| is_kept(i))));
        if let Some(index) = index
            && let Some(pos) = self.shown.iter().position(|&i| i as usize == index)
        {
            self.selected = pos;
            return;
        }
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    /// Moves the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        if self.shown.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.shown.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn select_last(&mut self) {
        self.selected = self.shown.len().saturating_sub(1);
    }

    /// Keeps the selected row inside a window of `rows` rows.
    pub fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        let max_offset = self.shown.len().saturating_sub(rows);
        self.offset = self.offset.min(max_offset);
    }
}
