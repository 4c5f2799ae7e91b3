//! What the Owned pane's filter reads: per number, the ids of its distinct column texts and
//! its msisdn inline ([`Keys`]); per keystroke, which distinct texts hold each term
//! ([`Matcher`]). Also: each msisdn once after a load.

use std::collections::HashMap;

use crate::api::OwnedNumber;
use crate::api::model::features_label;

use super::{Column, voice_summary};
use crate::app::apps::Names;

/// The columns the filter matches through [`Texts`]; the msisdn is matched directly.
pub(super) const KEYED: [Column; 6] = [
    Column::Country,
    Column::Type,
    Column::Features,
    Column::App,
    Column::SmsUrl,
    Column::Voice,
];

/// What the filter reads of one number, 40 bytes in one array: the id in [`Texts`] of each
/// [`KEYED`] column's text, and the msisdn lowercased inline, so a keystroke never visits the
/// numbers themselves nor allocates (a large account repeats a few values on every number).
#[derive(Clone, Copy, Debug)]
pub(super) struct Keys {
    pub(super) ids: [u32; KEYED.len()],
    msisdn: [u8; 15],
    /// Length of `msisdn`; [`NOT_INLINE`] when the msisdn is read from the number instead.
    len: u8,
}

/// An msisdn longer than 15 bytes or not ASCII: matched from the number itself.
const NOT_INLINE: u8 = u8::MAX;

/// The distinct column texts of the list: each once, with its lowercased form for the filter.
/// An application id's text is the name it is shown with (`names`); the filter finds it by
/// that name or by the id.
#[derive(Debug, Default)]
pub(super) struct Texts {
    pub(super) names: Names,
    ids: HashMap<Box<str>, u32>,
    /// The text of each application id.
    app_ids: HashMap<Box<str>, u32>,
    /// By id: the text as drawn (sorting compares it) and lowercased (the filter matches it).
    pub(super) raw: Vec<Box<str>>,
    lower: Vec<Box<str>>,
}

impl Texts {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.raw.len() as u32;
        self.ids.insert(text.into(), id);
        self.raw.push(text.into());
        self.lower.push(text.to_lowercase().into());
        id
    }

    /// Empty, with these application names.
    pub(super) fn with_names(names: Names) -> Texts {
        Texts {
            names,
            ..Texts::default()
        }
    }

    /// The text of an application id: its name as shown, matched by the name and the id. Kept
    /// apart from the other columns' texts (by id, in `app_ids`).
    fn app(&mut self, id: &str) -> u32 {
        if id.is_empty() {
            return self.id("");
        }
        if let Some(&i) = self.app_ids.get(id) {
            return i;
        }
        let shown = self.names.display(id);
        let lower = if shown.contains(id) {
            shown.to_lowercase()
        } else {
            format!("{shown} {id}").to_lowercase()
        };
        let i = self.raw.len() as u32;
        self.app_ids.insert(id.into(), i);
        self.raw.push(shown.into());
        self.lower.push(lower.into());
        i
    }

    pub(super) fn keys(&mut self, n: &OwnedNumber) -> Keys {
        fn opt(o: Option<&str>) -> &str {
            o.unwrap_or_default()
        }
        let ids = [
            self.id(opt(n.country.as_deref())),
            self.id(opt(n.number_type.as_ref().map(|t| t.as_str()))),
            self.id(&features_label(&n.features)),
            self.app(opt(n.app_id.as_deref())),
            self.id(opt(n.mo_http_url.as_deref())),
            self.id(&voice_summary(n)),
        ];
        let mut msisdn = [0u8; 15];
        let m = opt(n.msisdn.as_deref());
        let len = if m.len() <= msisdn.len() && m.is_ascii() {
            msisdn[..m.len()].copy_from_slice(m.as_bytes());
            msisdn.make_ascii_lowercase();
            m.len() as u8
        } else {
            NOT_INLINE
        };
        Keys { ids, msisdn, len }
    }

    /// For each distinct text, a bit per term (of `terms`, at most 64) that it contains.
    fn masks(&self, terms: &[&str]) -> Vec<u64> {
        self.lower
            .iter()
            .map(|text| {
                terms
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| text.contains(*t))
                    .fold(0u64, |m, (i, _)| m | (1 << i))
            })
            .collect()
    }
}

/// The filter's terms, compiled once per keystroke: a number matches when every term is in
/// one of its column texts (a term never spans two columns). A term `column:value` (see
/// [`scope_of`]) must be in that column: `cc:fr` is France, where `fr` alone also finds
/// `landline-toll-free`.
pub(super) struct Matcher<'a> {
    /// Terms in groups of at most 64, with each group's bits per distinct text.
    groups: Vec<(Vec<&'a str>, Vec<u64>)>,
    /// Terms bound to one column: the [`KEYED`] index (`None`: the msisdn), the value, and
    /// for a keyed column whether each distinct text holds it.
    scoped: Vec<(Option<usize>, &'a str, Vec<bool>)>,
}

/// The column a `name:` prefix names, by the names users type: `None` when it names none (the
/// term is then plain, so `https://…` still matches as text); `Some(None)` for the msisdn.
pub(super) fn scope_of(name: &str) -> Option<Option<usize>> {
    let column = match name {
        "msisdn" | "number" => return Some(None),
        "cc" | "country" => Column::Country,
        "type" => Column::Type,
        "feat" | "features" => Column::Features,
        "app" => Column::App,
        "sms" => Column::SmsUrl,
        "voice" => Column::Voice,
        _ => return None,
    };
    KEYED.iter().position(|&c| c == column).map(Some)
}

impl<'a> Matcher<'a> {
    pub(super) fn new(texts: &Texts, terms: &'a [&'a str]) -> Matcher<'a> {
        let mut plain = Vec::new();
        let mut scoped = Vec::new();
        for &term in terms {
            match term.split_once(':') {
                Some((name, value)) if !value.is_empty() => match scope_of(name) {
                    Some(column) => {
                        let hits = match column {
                            Some(_) => texts.lower.iter().map(|t| t.contains(value)).collect(),
                            None => Vec::new(),
                        };
                        scoped.push((column, value, hits));
                    }
                    None => plain.push(term),
                },
                // `cc:` alone, while it is being typed: no condition yet.
                Some((name, _)) if scope_of(name).is_some() => {}
                _ => plain.push(term),
            }
        }
        Matcher {
            groups: plain
                .chunks(64)
                .map(|g| (g.to_vec(), texts.masks(g)))
                .collect(),
            scoped,
        }
    }

    pub(super) fn matches(&self, n: &OwnedNumber, keys: &Keys) -> bool {
        let lower;
        let msisdn: &[u8] = if keys.len != NOT_INLINE {
            &keys.msisdn[..keys.len as usize]
        } else {
            lower = n.msisdn.as_deref().unwrap_or_default().to_lowercase();
            lower.as_bytes()
        };
        let holds = |t: &str| msisdn.windows(t.len()).any(|w| w == t.as_bytes());
        self.scoped
            .iter()
            .all(|(column, value, hits)| match column {
                Some(c) => hits[keys.ids[*c] as usize],
                None => holds(value),
            })
            && self.groups.iter().all(|(terms, masks)| {
                let all = if terms.len() == 64 {
                    u64::MAX
                } else {
                    (1u64 << terms.len()) - 1
                };
                let found = keys.ids.iter().fold(0, |m, &id| m | masks[id as usize]);
                // The rest must be in the msisdn: a short byte search (a valid UTF-8 term found
                // in valid UTF-8 starts on a character boundary).
                found == all
                    || terms
                        .iter()
                        .enumerate()
                        .all(|(i, t)| found & (1 << i) != 0 || holds(t))
            })
    }
}

/// Which numbers to keep so that each msisdn is there once (the first of it; numbers without
/// one are all kept); `None` when there is nothing to drop. Sorts indices (4 bytes a number)
/// rather than hashing strings.
pub(super) fn first_of_each_msisdn(numbers: &[OwnedNumber]) -> Option<Vec<bool>> {
    let mut by_msisdn: Vec<u32> = (0..numbers.len() as u32)
        .filter(|&i| numbers[i as usize].msisdn.is_some())
        .collect();
    let m = |i: u32| numbers[i as usize].msisdn.as_deref();
    by_msisdn.sort_unstable_by(|&a, &b| m(a).cmp(&m(b)).then(a.cmp(&b)));
    let mut keep: Option<Vec<bool>> = None;
    for w in by_msisdn.windows(2) {
        if m(w[0]) == m(w[1]) {
            keep.get_or_insert_with(|| vec![true; numbers.len()])[w[1] as usize] = false;
        }
    }
    keep
}

pub(super) fn retain_flagged<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    v.retain(|_| flags.next().copied().unwrap_or(true));
}
