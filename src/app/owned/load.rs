//! How the Owned list arrives: a whole list, the pages of a first load shown as they come,
//! a refresh kept aside until it completes; each msisdn once.

use super::keys::{first_of_each_msisdn, retain_flagged};
use super::*;

impl OwnedPane {
    /// Replaces the whole list (after a load), keeping the selection on the same msisdn.
    pub fn set_numbers(&mut self, mut numbers: Vec<OwnedNumber>) {
        self.interner = Interner::default();
        for n in &mut numbers {
            self.interner.share(n);
        }
        self.install(numbers);
    }

    /// [`OwnedPane::set_numbers`] of numbers already shared with `interner`.
    fn install(&mut self, numbers: Vec<OwnedNumber>) {
        self.incoming.clear();
        self.unmerged = false;
        let keep = self.selected_msisdn();
        // The selected row stays where it is on screen (the caller clamps the offset).
        let screen_row = self.selected.saturating_sub(self.offset);
        self.texts = Texts::with_names(std::mem::take(&mut self.texts.names));
        let texts = &mut self.texts;
        self.keys = numbers.iter().map(|n| texts.keys(n)).collect();
        self.numbers = numbers;
        self.loaded = true;
        self.changed = false;
        self.recompute(keep.as_deref(), true);
        self.offset = self.selected.saturating_sub(screen_row);
    }

    /// Adds the pages that arrived during a first load, keeping the selection.
    pub fn merge_incoming(&mut self) {
        let keep = self.selected_msisdn();
        self.append_incoming();
        self.recompute(keep.as_deref(), true);
    }

    fn append_incoming(&mut self) {
        let incoming = std::mem::take(&mut self.incoming);
        self.append(incoming);
        self.unmerged = false;
    }

    /// Adds numbers (and their keys) without recomputing the rows shown.
    fn append(&mut self, numbers: Vec<OwnedNumber>) {
        let texts = &mut self.texts;
        self.keys.extend(numbers.iter().map(|n| texts.keys(n)));
        self.numbers.extend(numbers);
    }

    /// Pages arrived that the rows shown do not include yet (merge them on the next tick).
    pub fn has_unmerged(&self) -> bool {
        self.unmerged || !self.incoming.is_empty()
    }

    /// A page of load `id` arrived (moved here: the list is never held twice). A first load
    /// shows pages as they come (added at once, the rows shown recomputed on ticks); a refresh keeps them aside
    /// until it completes. True when nothing is on screen yet (merge now).
    pub fn receive_page(
        &mut self,
        id: RequestId,
        progress: &ListProgress,
        mut numbers: Vec<OwnedNumber>,
    ) -> bool {
        let total = usize::try_from(progress.total).unwrap_or(0);
        for n in &mut numbers {
            self.interner.share(n);
        }
        if !self.loaded {
            if self.numbers.is_empty() && self.incoming.is_empty() {
                // Room for the whole list at once: no doubling, no copy while it grows.
                self.numbers.reserve_exact(total.min(1 << 22));
                self.keys.reserve_exact(total.min(1 << 22));
            }
            // Straight into the list (the rows shown are recomputed on the next tick): no
            // buffer of pages that grows between ticks.
            let first = self.numbers.is_empty();
            self.append(numbers);
            self.unmerged = true;
            return first;
        }
        let pages = match &mut self.refresh_pages {
            Some((load, pages)) if *load == id => pages,
            _ => {
                let pages = Vec::with_capacity(total.min(1 << 22));
                &mut self.refresh_pages.insert((id, pages)).1
            }
        };
        pages.extend(numbers);
        false
    }

    /// Load `id` ended with `rest`, the numbers not sent as pages: the list is the pages
    /// received plus `rest`, each msisdn once.
    pub fn finish_load(&mut self, id: RequestId, mut rest: Vec<OwnedNumber>) {
        for n in &mut rest {
            self.interner.share(n);
        }
        let pages = self.refresh_pages.take();
        if self.loaded {
            // A refresh: its pages (if any) and the rest replace the list.
            let mut all = match pages {
                Some((load, mut pages)) if load == id => {
                    pages.append(&mut rest);
                    pages
                }
                _ => rest,
            };
            if let Some(keep) = first_of_each_msisdn(&all) {
                retain_flagged(&mut all, &keep);
            }
            self.install(all);
            return;
        }
        // The first load: its pages are shown already; add the rest, drop repeats.
        let keep = self.selected_msisdn();
        self.incoming.append(&mut rest);
        self.append_incoming();
        if let Some(flags) = first_of_each_msisdn(&self.numbers) {
            retain_flagged(&mut self.numbers, &flags);
            retain_flagged(&mut self.keys, &flags);
        }
        self.loaded = true;
        self.recompute(keep.as_deref(), true);
    }

    /// A load failed: pages kept aside for it are dropped.
    pub fn abandon_load(&mut self) {
        self.refresh_pages = None;
    }
}
