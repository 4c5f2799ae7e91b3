//! Planning a bulk change, before it runs, the same for the TUI's bulk edit and the CLI's
//! `update --all-matching`: what each listed number becomes (read-modify-write from the list
//! just read, with the values the journal knows), the numbers already as wanted, the numbers
//! the list gives no usable country for, and the summary the confirmation shows.

use std::collections::HashMap;

use crate::api::{ApiError, NumberChange, NumberConfig, OwnedNumber};

use super::Target;
use super::diff::{self, Summary};

/// A bulk change, planned.
#[derive(Clone, Debug, Default)]
pub struct BulkPlan {
    /// The numbers that change, in the order listed.
    pub todo: Vec<Target>,
    /// The numbers already as wanted: nothing is sent to them.
    pub already: Vec<Target>,
    /// Listed without a usable country or msisdn (an update cannot name them): their msisdn
    /// (or "(no msisdn)").
    pub unusable: Vec<String>,
    /// Per field, from which values to which; the warnings and their counts.
    pub summary: Summary,
}

/// Plans `change` on `numbers`. `known` holds values the API does not return, by msisdn. A
/// change that cannot apply to a number (a value it refuses) is that number's error.
pub fn plan<'a>(
    numbers: impl IntoIterator<Item = &'a OwnedNumber>,
    change: &NumberChange,
    known: &HashMap<String, NumberConfig>,
) -> Result<BulkPlan, (String, ApiError)> {
    let mut planned = Vec::new();
    let mut unusable = Vec::new();
    for n in numbers {
        let country = n
            .country
            .as_deref()
            .and_then(|c| crate::api::validate::country(c).ok());
        let (Some(country), Some(msisdn)) = (country, n.msisdn.clone()) else {
            unusable.push(n.msisdn.as_deref().unwrap_or("(no msisdn)").to_string());
            continue;
        };
        let k = known.get(&msisdn);
        let before = NumberConfig::from_number(n, k);
        let after = change.apply_to(&before).map_err(|e| (msisdn.clone(), e))?;
        let warnings = change.warnings(n, k);
        planned.push((Target::new(country, msisdn), before, after, warnings));
    }
    let summary = diff::summarize(planned.iter().map(|(_, b, a, w)| (b, a, w.as_slice())));
    let (todo, already): (Vec<_>, Vec<_>) = planned.into_iter().partition(|(_, b, a, _)| b != a);
    Ok(BulkPlan {
        todo: todo.into_iter().map(|(t, ..)| t).collect(),
        already: already.into_iter().map(|(t, ..)| t).collect(),
        unusable,
        summary,
    })
}

impl super::Report {
    /// `12 ok, 1 failed, 0 skipped, 3 not started`: the one line a run ends with.
    pub fn summary(&self) -> String {
        let n = |count: usize| crate::output::thousands(count as u64);
        format!(
            "{} ok, {} failed, {} skipped, {} not started",
            n(self.ok()),
            n(self.failed()),
            n(self.skipped()),
            n(self.not_started())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Change;

    fn number(country: Option<&str>, msisdn: &str, url: Option<&str>) -> OwnedNumber {
        OwnedNumber {
            country: country.map(Into::into),
            msisdn: Some(msisdn.into()),
            mo_http_url: url.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn a_plan_splits_what_changes_what_is_already_so_and_what_cannot_be_named() {
        let change = NumberChange {
            mo_http_url: Change::Set("https://new.example.com".into()),
            ..NumberChange::default()
        };
        let numbers = [
            number(Some("GB"), "447700900001", Some("https://old.example.com")),
            number(Some("GB"), "447700900002", Some("https://new.example.com")),
            number(None, "447700900003", None),
            number(Some("not a country"), "447700900004", None),
        ];
        let p = plan(&numbers, &change, &HashMap::new()).unwrap();
        assert_eq!(p.todo, vec![Target::new("GB", "447700900001")]);
        assert_eq!(p.already, vec![Target::new("GB", "447700900002")]);
        assert_eq!(p.unusable, vec!["447700900003", "447700900004"]);
        assert_eq!((p.summary.total, p.summary.changing), (2, 1));
        let bad = NumberChange {
            mo_http_url: Change::Set("not a url".into()),
            ..NumberChange::default()
        };
        let (m, _) = plan(&numbers, &bad, &HashMap::new()).unwrap_err();
        assert_eq!(m, "447700900001");
    }

    #[test]
    fn a_run_ends_with_one_summary_line() {
        let r = super::super::Report::default();
        assert_eq!(r.summary(), "0 ok, 0 failed, 0 skipped, 0 not started");
    }
}
