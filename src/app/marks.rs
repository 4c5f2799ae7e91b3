//! Marked numbers, for bulk changes: a set of msisdns. Marks survive filtering, sorting and
//! refreshes; a number that leaves the list is unmarked.

use std::collections::HashSet;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    set: HashSet<String>,
}

impl Marks {
    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    pub fn contains(&self, msisdn: &str) -> bool {
        self.set.contains(msisdn)
    }

    /// Marks or unmarks one number; returns whether it is marked now.
    pub fn toggle(&mut self, msisdn: &str) -> bool {
        if self.set.remove(msisdn) {
            false
        } else {
            self.set.insert(msisdn.to_string());
            true
        }
    }

    pub fn mark<'a>(&mut self, msisdns: impl IntoIterator<Item = &'a str>) {
        self.set.extend(msisdns.into_iter().map(String::from));
    }

    pub fn remove(&mut self, msisdn: &str) {
        self.set.remove(msisdn);
    }

    pub fn clear(&mut self) {
        self.set.clear();
    }

    /// Keeps only the marks of numbers still present.
    pub fn retain_present<'a>(&mut self, present: impl IntoIterator<Item = &'a str>) {
        if self.set.is_empty() {
            return;
        }
        let present: HashSet<&str> = present.into_iter().collect();
        self.set.retain(|m| present.contains(m.as_str()));
    }
}
