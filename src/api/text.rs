//! Compact, shared values for the wire model. A large account repeats a few values on every
//! number (the application id, the webhook URLs, the voice target, the country, the feature
//! set): decoding a page interns them, so 100,000 numbers hold a few hundred strings rather
//! than half a million.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::{Feature, OwnedNumber};

/// An immutable string shared by every number that has the same value: one thin pointer (8
/// bytes inline, `Option<Text>` too; the extra indirection is paid once per distinct value).
/// Reads as a `&str` (`Deref`), so `Option<Text>::as_deref()` gives `Option<&str>`.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(Arc<String>);

/// A key of the interner's set, looked up by `&str` (a `String` hashes as its `str`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Shared(Arc<String>);

impl std::borrow::Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Arc::new(s.to_owned()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Arc::new(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text(Arc::new(s.clone()))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        Arc::unwrap_or_clone(t.0)
    }
}

impl From<&Text> for String {
    fn from(t: &Text) -> String {
        t.0.to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == *other
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(intern(&String::deserialize(d)?))
    }
}

/// A number's capabilities, shared like [`Text`] (8 bytes inline). Reads as a `&[Feature]`.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Features(Option<Arc<Vec<Feature>>>);

impl Deref for Features {
    type Target = [Feature];
    fn deref(&self) -> &[Feature] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl fmt::Debug for Features {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl From<Vec<Feature>> for Features {
    fn from(v: Vec<Feature>) -> Features {
        intern_features(v)
    }
}

impl PartialEq<Vec<Feature>> for Features {
    fn eq(&self, other: &Vec<Feature>) -> bool {
        **self == **other
    }
}

impl PartialEq<[Feature]> for Features {
    fn eq(&self, other: &[Feature]) -> bool {
        **self == *other
    }
}

impl Serialize for Features {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// One shared copy of each distinct value. Decoding uses one per page (a thread-local, see
/// [`interning`]); a holder of a large list keeps one for the whole list ([`Interner::share`]).
#[derive(Debug, Default)]
pub struct Interner {
    texts: HashSet<Shared>,
    features: HashSet<Arc<Vec<Feature>>>,
}

impl Interner {
    fn text(&mut self, t: &Text) -> Text {
        match self.texts.get(t.as_str()) {
            Some(shared) => Text(shared.0.clone()),
            None => {
                self.texts.insert(Shared(t.0.clone()));
                t.clone()
            }
        }
    }

    fn features(&mut self, f: &Features) -> Features {
        match &f.0 {
            None => Features(None),
            Some(a) => match self.features.get(a) {
                Some(shared) => Features(Some(shared.clone())),
                None => {
                    self.features.insert(a.clone());
                    f.clone()
                }
            },
        }
    }

    /// Makes `n` share this interner's copies of its values, and gives its msisdn an
    /// allocation of its own: what a page's decode allocated (on whichever thread) is freed,
    /// so a long-lived list does not keep the decode's memory pages resident.
    pub fn share(&mut self, n: &mut OwnedNumber) {
        for t in [
            &mut n.country,
            &mut n.app_id,
            &mut n.mo_http_url,
            &mut n.mo_smpp_sys_type,
            &mut n.voice_callback_type,
            &mut n.voice_callback_value,
            &mut n.voice_status_callback,
            &mut n.messages_callback_type,
            &mut n.messages_callback_value,
        ]
        .into_iter()
        .flatten()
        {
            *t = self.text(t);
        }
        n.features = self.features(&n.features);
        if let Some(m) = &mut n.msisdn {
            *m = m.as_str().to_owned();
        }
    }
}

thread_local! {
    static INTERNER: RefCell<Option<Interner>> = const { RefCell::new(None) };
}

/// Runs `f` (synchronous: a decode) with an interner: equal values decoded inside share one
/// allocation. Outside, every value gets its own.
pub(crate) fn interning<R>(f: impl FnOnce() -> R) -> R {
    let outer = INTERNER.with(|i| i.borrow_mut().replace(Interner::default()));
    let result = f();
    INTERNER.with(|i| *i.borrow_mut() = outer);
    result
}

/// The shared value equal to `s`.
pub fn intern(s: &str) -> Text {
    INTERNER.with(|i| match i.borrow_mut().as_mut() {
        Some(interner) => match interner.texts.get(s) {
            Some(t) => Text(t.0.clone()),
            None => {
                let t = Arc::new(s.to_owned());
                interner.texts.insert(Shared(t.clone()));
                Text(t)
            }
        },
        None => Text::from(s),
    })
}

fn intern_features(v: Vec<Feature>) -> Features {
    if v.is_empty() {
        return Features(None);
    }
    INTERNER.with(|i| match i.borrow_mut().as_mut() {
        Some(interner) => match interner.features.get(&v) {
            Some(f) => Features(Some(f.clone())),
            None => {
                let f = Arc::new(v);
                interner.features.insert(f.clone());
                Features(Some(f))
            }
        },
        None => Features(Some(Arc::new(v))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_one_allocation_while_interning() {
        let (a, b) = interning(|| {
            (
                intern("https://example.com/sms"),
                intern("https://example.com/sms"),
            )
        });
        assert!(Arc::ptr_eq(&a.0, &b.0));
        let (c, d) = (intern("x"), intern("x"));
        assert_eq!(c, d);
        assert!(!Arc::ptr_eq(&c.0, &d.0), "no interner outside a decode");
        let (f, g) = interning(|| {
            (
                Features::from(vec![Feature::Sms, Feature::Voice]),
                Features::from(vec![Feature::Sms, Feature::Voice]),
            )
        });
        assert_eq!(f, vec![Feature::Sms, Feature::Voice]);
        assert!(Arc::ptr_eq(f.0.as_ref().unwrap(), g.0.as_ref().unwrap()));
    }

    #[test]
    fn a_list_interner_shares_values_across_pages() {
        let page = |m: &str| {
            interning(|| OwnedNumber {
                msisdn: Some(m.to_string()),
                country: Some(intern("GB")),
                app_id: Some(intern("app-1")),
                features: vec![Feature::Sms].into(),
                ..OwnedNumber::default()
            })
        };
        let (mut a, mut b) = (page("447700900001"), page("447700900002"));
        let before = a.clone();
        let app = |n: &OwnedNumber| n.app_id.as_ref().map(|t| t.0.clone()).unwrap();
        assert!(!Arc::ptr_eq(&app(&a), &app(&b)), "two decodes, two copies");
        let mut list = Interner::default();
        list.share(&mut a);
        list.share(&mut b);
        assert!(Arc::ptr_eq(&app(&a), &app(&b)), "one copy for the list");
        assert_eq!(a, before, "the values are unchanged");
        assert_eq!(b.msisdn.as_deref(), Some("447700900002"));
    }

    #[test]
    fn sizes_stay_small() {
        assert_eq!(std::mem::size_of::<Option<Text>>(), 8);
        assert_eq!(std::mem::size_of::<Features>(), 8);
        assert!(std::mem::size_of::<OwnedNumber>() <= 152);
    }
}
