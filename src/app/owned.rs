//! The Owned pane: every owned number, filtered as you type, sorted by any column, with the
//! selection kept on the same msisdn across refreshes, filters and sorts.

use std::cmp::Ordering;

use tui_input::Input;

use crate::api::model::features_label;
use crate::api::{ListProgress, OwnedFilter, OwnedNumber};

use super::RequestId;

/// The columns of the owned table, in order; also the sort keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Column {
    #[default]
    Msisdn,
    Country,
    Type,
    Features,
    App,
    SmsUrl,
    Voice,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Msisdn,
        Column::Country,
        Column::Type,
        Column::Features,
        Column::App,
        Column::SmsUrl,
        Column::Voice,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Msisdn => "MSISDN",
            Column::Country => "CC",
            Column::Type => "TYPE",
            Column::Features => "FEATURES",
            Column::App => "APPLICATION",
            Column::SmsUrl => "SMS WEBHOOK",
            Column::Voice => "VOICE",
        }
    }

    pub fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    /// The text of this column for one number (also what sorting compares).
    pub fn text(self, n: &OwnedNumber) -> String {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        match self {
            Column::Msisdn => s(&n.msisdn),
            Column::Country => s(&n.country),
            Column::Type => n
                .number_type
                .as_ref()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            Column::Features => features_label(&n.features),
            Column::App => s(&n.app_id),
            Column::SmsUrl => s(&n.mo_http_url),
            Column::Voice => voice_summary(n),
        }
    }

    fn compare(self, a: &OwnedNumber, b: &OwnedNumber) -> Ordering {
        let by = |f: fn(&OwnedNumber) -> Option<&str>| f(a).cmp(&f(b));
        match self {
            Column::Msisdn => by(|n| n.msisdn.as_deref()),
            Column::Country => by(|n| n.country.as_deref()),
            Column::Type => by(|n| n.number_type.as_ref().map(|t| t.as_str())),
            Column::App => by(|n| n.app_id.as_deref()),
            Column::SmsUrl => by(|n| n.mo_http_url.as_deref()),
            Column::Features | Column::Voice => self.text(a).cmp(&self.text(b)),
        }
    }
}

/// `tel:447700900000`, `sip:…`, or empty.
pub fn voice_summary(n: &OwnedNumber) -> String {
    match (&n.voice_callback_type, &n.voice_callback_value) {
        // A SIP value is already a URI (sip:user@host): do not prefix it twice.
        (Some(t), Some(v)) if v.to_ascii_lowercase().starts_with(&format!("{t}:")) => v.clone(),
        (Some(t), Some(v)) => format!("{t}:{v}"),
        (Some(t), None) => t.clone(),
        (None, Some(v)) => v.clone(),
        (None, None) => String::new(),
    }
}

/// Everything the filter matches against, lowercased once per number.
fn haystack(n: &OwnedNumber) -> String {
    let mut h = String::with_capacity(96);
    for c in Column::ALL {
        h.push_str(&c.text(n).to_lowercase());
        h.push('\u{1f}');
    }
    h
}

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
}

#[derive(Debug, Default)]
pub struct OwnedPane {
    pub numbers: Vec<OwnedNumber>,
    haystacks: Vec<String>,
    /// Indices into `numbers`: the rows shown, filtered and sorted.
    pub shown: Vec<u32>,
    /// Every index into `numbers`, sorted by the current column: a widening filter scans this
    /// instead of sorting again.
    order: Vec<u32>,
    pub filter: Input,
    /// The filter the `shown` rows were computed for.
    applied_filter: String,
    /// The filter line has the keyboard.
    pub filtering: bool,
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
    /// Pages of a first load that arrived since the last tick.
    pub incoming: Vec<OwnedNumber>,
    /// Set while the list shown is the one kept on disk from an earlier run.
    pub cached: Option<CachedAge>,
    /// When the list shown was loaded whole (the app's clock), and whether this session
    /// changed it since (an update, a cancel, a buy): the loop keeps those changes on disk.
    pub loaded_at: Option<std::time::Instant>,
    pub changed: bool,
}

impl OwnedPane {
    /// Replaces the whole list (after a load), keeping the selection on the same msisdn.
    pub fn set_numbers(&mut self, numbers: Vec<OwnedNumber>) {
        self.incoming.clear();
        let keep = self.selected_msisdn();
        // The selected row stays where it is on screen (the caller clamps the offset).
        let screen_row = self.selected.saturating_sub(self.offset);
        self.haystacks = numbers.iter().map(haystack).collect();
        self.numbers = numbers;
        self.loaded = true;
        self.changed = false;
        self.recompute(keep.as_deref(), true);
        self.offset = self.selected.saturating_sub(screen_row);
    }

    /// Adds the pages that arrived during a first load, keeping the selection.
    pub fn merge_incoming(&mut self) {
        let keep = self.selected_msisdn();
        let incoming = std::mem::take(&mut self.incoming);
        self.haystacks.extend(incoming.iter().map(haystack));
        self.numbers.extend(incoming);
        self.recompute(keep.as_deref(), true);
    }

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
                self.haystacks[i] = haystack(&number);
                self.numbers[i] = number;
            }
            None => {
                self.haystacks.push(haystack(&number));
                self.numbers.push(number);
            }
        }
        self.recompute(keep.as_deref(), true);
    }

    /// Replaces several numbers in place (after a bulk run), adding those not there: one pass
    /// over the list, one sort.
    pub fn upsert_many(&mut self, numbers: Vec<OwnedNumber>) {
        let keep = self.selected_msisdn();
        let mut incoming: std::collections::HashMap<String, OwnedNumber> = numbers
            .into_iter()
            .filter_map(|n| n.msisdn.clone().map(|m| (m, n)))
            .collect();
        for i in 0..self.numbers.len() {
            let Some(m) = self.numbers[i].msisdn.as_deref() else {
                continue;
            };
            if let Some(number) = incoming.remove(m) {
                self.haystacks[i] = haystack(&number);
                self.numbers[i] = number;
            }
        }
        for (_, number) in incoming {
            self.haystacks.push(haystack(&number));
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
        self.haystacks.remove(i);
        self.recompute(None, true);
        self.selected = selected.min(self.shown.len().saturating_sub(1));
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
        let text = self.filter.value().to_lowercase();
        let terms: Vec<&str> = text.split_whitespace().collect();
        let matches = |i: u32| {
            let h = &self.haystacks[i as usize];
            terms.iter().all(|t| h.contains(t))
        };
        let narrowing = !full && text.starts_with(&self.applied_filter) && self.loaded;
        if narrowing {
            // Order is kept: filtering a sorted list leaves it sorted.
            let shown = std::mem::take(&mut self.shown);
            self.shown = shown.into_iter().filter(|&i| matches(i)).collect();
        } else {
            if full || self.order.len() != self.numbers.len() {
                let mut order: Vec<u32> = (0..self.numbers.len() as u32).collect();
                let (col, numbers) = (self.sort, &self.numbers);
                match col {
                    // Few distinct values, built text: rank each distinct text once, then
                    // sort by rank (no allocation per comparison).
                    Column::Features | Column::Voice => {
                        let mut distinct: std::collections::BTreeMap<String, u32> =
                            std::collections::BTreeMap::new();
                        let texts: Vec<String> = numbers.iter().map(|n| col.text(n)).collect();
                        for t in &texts {
                            distinct.entry(t.clone()).or_insert(0);
                        }
                        for (rank, v) in distinct.values_mut().enumerate() {
                            *v = rank as u32;
                        }
                        let ranks: Vec<u32> = texts.iter().map(|t| distinct[t]).collect();
                        order.sort_by_key(|&i| ranks[i as usize]);
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
                self.order.iter().copied().filter(|&i| matches(i)).collect()
            };
        }
        self.applied_filter = text;
        self.reselect(keep);
    }

    fn reselect(&mut self, keep: Option<&str>) {
        // The number's index first (one pass in memory order), then its row (a scan of u32s):
        // no jump to a random number per row shown.
        let index = keep.and_then(|m| {
            self.numbers
                .iter()
                .position(|n| n.msisdn.as_deref() == Some(m))
        });
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
