//! The Search pane: a form (country, type, features, pattern and how it matches), one page of
//! results with prices, and paging.

use crate::api::{
    AvailableNumber, FeatureSet, MatchMode, Page, Pattern, SearchQuery, parse_number_type, validate,
};

use super::RequestId;
use super::form::{Field, Form, api_check, optional};

mod form;
mod result;
mod results;

pub use result::ResultView;

/// How the page of results is sorted (the API returns them unsorted: the page shown is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResultSort {
    /// As the API returned them.
    #[default]
    Api,
    Number,
    Cost,
    SetupFee,
}

impl ResultSort {
    pub fn next(self) -> ResultSort {
        match self {
            ResultSort::Api => ResultSort::Cost,
            ResultSort::Cost => ResultSort::SetupFee,
            ResultSort::SetupFee => ResultSort::Number,
            ResultSort::Number => ResultSort::Api,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResultSort::Api => "as found",
            ResultSort::Number => "number",
            ResultSort::Cost => "monthly cost",
            ResultSort::SetupFee => "setup fee",
        }
    }
}

/// A price as a number for sorting (cents are enough; missing or unreadable last).
fn price(p: &Option<String>) -> f64 {
    p.as_deref()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(f64::INFINITY)
}

pub const COUNTRY: usize = 0;
pub const TYPE: usize = 1;
pub const FEATURES: usize = 2;
pub const PATTERN: usize = 3;
pub const MATCH: usize = 4;

/// Results per page in the Search pane.
pub const PAGE_SIZE: u32 = 20;

fn check_country(v: &str) -> Result<(), String> {
    api_check(validate::country(v))
}
fn check_type(v: &str) -> Result<(), String> {
    optional(v, |v| api_check(parse_number_type(v)))
}
fn check_features(v: &str) -> Result<(), String> {
    optional(v, |v| api_check(v.parse::<FeatureSet>()))
}
fn check_pattern(v: &str) -> Result<(), String> {
    optional(v, |v| api_check(validate::pattern(v)))
}
fn check_match(v: &str) -> Result<(), String> {
    optional(v, |v| api_check(v.parse::<MatchMode>()))
}

#[derive(Debug)]
pub struct SearchPane {
    pub form: Form,
    pub results: Option<Page<AvailableNumber>>,
    /// The query the results answer.
    pub query: Option<SearchQuery>,
    pub selected: usize,
    pub offset: usize,
    pub in_flight: Option<RequestId>,
    /// Results per page (the config file's `[ui] page_size`).
    pub page_size: u32,
    pub sort: ResultSort,
    pub reverse: bool,
}

impl Default for SearchPane {
    fn default() -> Self {
        SearchPane {
            form: Form::new(vec![
                Field::new("Country", "two letters, e.g. GB", "", check_country),
                Field::new(
                    "Type",
                    "landline, mobile-lvn, landline-toll-free, or empty",
                    "",
                    check_type,
                ),
                Field::new(
                    "Features",
                    "SMS, VOICE, MMS, e.g. sms,voice",
                    "",
                    check_features,
                ),
                Field::new("Pattern", "digits, or empty", "", check_pattern),
                Field::new("Match", "starts, contains or ends", "starts", check_match),
            ]),
            results: None,
            query: None,
            selected: 0,
            offset: 0,
            in_flight: None,
            page_size: PAGE_SIZE,
            sort: ResultSort::default(),
            reverse: false,
        }
    }
}

impl SearchPane {
    /// The query the form describes, page 1; `Err((field, message))` when a field is wrong.
    pub fn build_query(&self) -> Result<SearchQuery, (usize, String)> {
        if let Some(e) = self.form.first_error() {
            return Err(e);
        }
        let f = &self.form;
        let opt = |i: usize| Some(f.value(i).trim()).filter(|v| !v.is_empty());
        let query = SearchQuery {
            country: validate::country(f.value(COUNTRY)).map_err(|e| (COUNTRY, e.to_string()))?,
            number_type: opt(TYPE)
                .map(parse_number_type)
                .transpose()
                .map_err(|e| (TYPE, e.to_string()))?,
            features: opt(FEATURES)
                .map(str::parse::<FeatureSet>)
                .transpose()
                .map_err(|e| (FEATURES, e.to_string()))?,
            pattern: match opt(PATTERN) {
                Some(p) => Some(Pattern {
                    digits: p.to_string(),
                    mode: opt(MATCH)
                        .map(str::parse::<MatchMode>)
                        .transpose()
                        .map_err(|e| (MATCH, e.to_string()))?
                        .unwrap_or_default(),
                }),
                None => None,
            },
            size: self.page_size,
            index: 1,
        };
        query.params().map_err(|e| (COUNTRY, e.to_string()))?;
        Ok(query)
    }

    /// Sorts the page shown by `sort` (the selection stays on its number).
    pub fn set_sort(&mut self, sort: ResultSort, reverse: bool) {
        self.sort = sort;
        self.reverse = reverse;
        let keep = self.selected_number().and_then(|n| n.msisdn.clone());
        self.apply_sort();
        if let Some(page) = &self.results {
            self.selected = page
                .numbers
                .iter()
                .position(|n| n.msisdn.is_some() && n.msisdn == keep)
                .unwrap_or(0);
        }
    }

    /// Sorts the page as asked (after it arrives, and when the order changes).
    pub fn apply_sort(&mut self) {
        let Some(page) = &mut self.results else {
            return;
        };
        let by = |a: &AvailableNumber, b: &AvailableNumber| match self.sort {
            ResultSort::Api => std::cmp::Ordering::Equal,
            ResultSort::Number => a.msisdn.cmp(&b.msisdn),
            ResultSort::Cost => price(&a.cost).total_cmp(&price(&b.cost)),
            ResultSort::SetupFee => price(&a.initial_price).total_cmp(&price(&b.initial_price)),
        };
        if self.sort != ResultSort::Api {
            page.numbers.sort_by(by);
            if self.reverse {
                page.numbers.reverse();
            }
        }
    }

    pub fn selected_number(&self) -> Option<&AvailableNumber> {
        self.results.as_ref()?.numbers.get(self.selected)
    }

    pub fn pages(&self) -> u64 {
        let count = self.results.as_ref().map_or(0, |p| p.count);
        count.div_ceil(u64::from(self.page_size.max(1))).max(1)
    }

    pub fn move_by(&mut self, delta: isize) {
        let len = self.results.as_ref().map_or(0, |p| p.numbers.len());
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(len.saturating_sub(1));
    }

    /// Removes a number from the results (it was just bought).
    pub fn remove(&mut self, msisdn: &str) {
        if let Some(page) = &mut self.results {
            page.numbers.retain(|n| n.msisdn.as_deref() != Some(msisdn));
            page.count = page.count.saturating_sub(1);
            self.selected = self.selected.min(page.numbers.len().saturating_sub(1));
        }
    }
}
