//! What a bulk change will do, before it runs: how many numbers change, and per field from
//! which values to which. Pure: shown by the CLI and by the TUI's confirmation.

use std::collections::BTreeMap;

use crate::api::NumberConfig;

/// One field's changes over all the numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldDiff {
    /// The wire name (`moHttpUrl`).
    pub field: &'static str,
    /// Numbers whose value of this field changes.
    pub changes: usize,
    /// The values before, with how many numbers hold each (most common first).
    pub from: Vec<(Option<String>, usize)>,
    /// The values after.
    pub to: Vec<(Option<String>, usize)>,
}

fn show(v: &Option<String>) -> String {
    match v {
        Some(s) if !s.is_empty() => s.clone(),
        _ => "(none)".to_string(),
    }
}

fn values(vs: &[(Option<String>, usize)], with_counts: bool) -> String {
    match vs {
        [] => String::new(),
        [(v, _)] if !with_counts => show(v),
        vs if vs.len() <= 3 => vs
            .iter()
            .map(|(v, n)| format!("{} ({n})", show(v)))
            .collect::<Vec<_>>()
            .join(", "),
        vs => format!("{} distinct values", vs.len()),
    }
}

impl FieldDiff {
    /// `moHttpUrl: 12 distinct values -> https://new (250 numbers)`.
    pub fn describe(&self) -> String {
        let removed = matches!(self.to.as_slice(), [(None, _)]);
        format!(
            "{}: {} -> {}{} ({} {})",
            self.field,
            values(&self.from, true),
            values(&self.to, false),
            if removed { " REMOVED" } else { "" },
            self.changes,
            if self.changes == 1 {
                "number"
            } else {
                "numbers"
            }
        )
    }

    /// The values before, most common first, with how many numbers hold each; past three,
    /// how many other values there are (for a dialog).
    pub fn from_text(&self) -> String {
        if self.from.len() <= 3 {
            return values(&self.from, true);
        }
        let top: Vec<String> = self.from[..3]
            .iter()
            .map(|(v, n)| format!("{} ({n})", show(v)))
            .collect();
        let others = self.from.len() - 3;
        let noun = if others == 1 { "value" } else { "values" };
        format!("{} and {others} other {noun}", top.join(", "))
    }

    /// The value(s) after.
    pub fn to_text(&self) -> String {
        values(&self.to, false)
    }

    pub fn removes(&self) -> bool {
        matches!(self.to.as_slice(), [(None, _)])
    }
}

/// The whole change, summarised.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Numbers considered.
    pub total: usize,
    /// Numbers whose configuration changes.
    pub changing: usize,
    pub fields: Vec<FieldDiff>,
    /// Warnings (values that cannot be preserved), with how many numbers each concerns.
    pub warnings: Vec<(String, usize)>,
}

/// Summarises (before, after, warnings) of every number.
pub fn summarize<'a>(
    items: impl IntoIterator<Item = (&'a NumberConfig, &'a NumberConfig, &'a [String])>,
) -> Summary {
    let mut s = Summary::default();
    let mut by_field: BTreeMap<usize, FieldDiff> = BTreeMap::new();
    let mut from: BTreeMap<(usize, Option<String>), usize> = BTreeMap::new();
    let mut to: BTreeMap<(usize, Option<String>), usize> = BTreeMap::new();
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    for (before, after, warns) in items {
        s.total += 1;
        if before == after {
            continue;
        }
        s.changing += 1;
        for w in warns {
            *warnings.entry(w.clone()).or_default() += 1;
        }
        for (i, ((name, b), (_, a))) in before.fields().into_iter().zip(after.fields()).enumerate()
        {
            if b == a {
                continue;
            }
            let d = by_field.entry(i).or_insert_with(|| FieldDiff {
                field: name,
                ..Default::default()
            });
            d.changes += 1;
            *from.entry((i, b.clone())).or_default() += 1;
            *to.entry((i, a.clone())).or_default() += 1;
        }
    }
    let sorted = |i: usize, m: &BTreeMap<(usize, Option<String>), usize>| {
        let mut v: Vec<(Option<String>, usize)> = m
            .iter()
            .filter(|((f, _), _)| *f == i)
            .map(|((_, v), n)| (v.clone(), *n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    s.fields = by_field
        .into_iter()
        .map(|(i, mut d)| {
            d.from = sorted(i, &from);
            d.to = sorted(i, &to);
            d
        })
        .collect();
    s.warnings = warnings.into_iter().collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(url: Option<&str>, app: Option<&str>) -> NumberConfig {
        NumberConfig {
            mo_http_url: url.map(String::from),
            app_id: app.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn counts_changes_per_field_with_values_before_and_after() {
        let before = [
            c(Some("https://a"), Some("x")),
            c(Some("https://b"), None),
            c(None, Some("y")),
            c(Some("https://new"), Some("z")),
        ];
        let after: Vec<NumberConfig> = before
            .iter()
            .map(|b| NumberConfig {
                mo_http_url: Some("https://new".into()),
                ..b.clone()
            })
            .collect();
        let warn = vec!["w".to_string()];
        let s = summarize(
            before
                .iter()
                .zip(&after)
                .map(|(b, a)| (b, a, warn.as_slice())),
        );
        assert_eq!((s.total, s.changing), (4, 3));
        assert_eq!(s.fields.len(), 1);
        let d = &s.fields[0];
        assert_eq!((d.field, d.changes), ("moHttpUrl", 3));
        assert_eq!(
            d.describe(),
            "moHttpUrl: (none) (1), https://a (1), https://b (1) -> https://new (3 numbers)"
        );
        assert_eq!(s.warnings, vec![("w".to_string(), 3)]);
    }

    #[test]
    fn many_values_are_counted_and_removal_is_explicit() {
        let before: Vec<NumberConfig> = (0..12)
            .map(|i| c(Some(&format!("https://h/{i}")), None))
            .collect();
        let after = vec![NumberConfig::default(); 12];
        let s = summarize(before.iter().zip(&after).map(|(b, a)| (b, a, &[][..])));
        assert_eq!(
            s.fields[0].describe(),
            "moHttpUrl: 12 distinct values -> (none) REMOVED (12 numbers)"
        );
        assert_eq!(
            s.fields[0].from_text(),
            "https://h/0 (1), https://h/1 (1), https://h/10 (1) and 9 other values"
        );
    }
}
