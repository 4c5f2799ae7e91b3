//! Lenient decoding helpers: the Numbers API has been seen sending nulls, numbers where strings
//! were documented, and `{}` for empty pages. Nothing here fails on a surprising value.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::model::Page;
use super::text::interning;

/// A string field that may be missing, null, empty, a number or a boolean. Empty is `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_to_string(Value::deserialize(d)?))
}

fn value_to_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of strings that may be an array, a comma-separated string, or null.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.into_iter().filter_map(value_to_string).collect(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    })
}

/// The status carried in a response body: `error-code` (string or number) and its label.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BodyStatus {
    pub code: Option<String>,
    pub label: Option<String>,
}

impl BodyStatus {
    /// True when the body says nothing, or says "200".
    pub fn is_success(&self) -> bool {
        matches!(self.code.as_deref(), None | Some("200"))
    }
}

/// Reads `error-code` / `error-code-label` from any JSON object.
pub fn body_status(v: &Value) -> BodyStatus {
    let get = |k: &str| v.get(k).cloned().and_then(value_to_string);
    BodyStatus {
        code: get("error-code"),
        label: get("error-code-label"),
    }
}

/// Decodes one page: `{}` is an empty page; a missing `count` is the length of `numbers`;
/// a number that cannot be decoded at all is skipped rather than failing the page.
pub fn decode_page<T: for<'de> Deserialize<'de>>(v: Value) -> Option<Page<T>> {
    let Value::Object(mut obj) = v else {
        return None;
    };
    // Equal values within the page (application, webhooks, country...) share one string.
    let numbers: Vec<T> = interning(|| match obj.remove("numbers") {
        Some(Value::Array(items)) => {
            let mut numbers: Vec<T> = items
                .into_iter()
                .filter_map(|item| serde_json::from_value(item).ok())
                .collect();
            numbers.shrink_to_fit();
            numbers
        }
        Some(item @ Value::Object(_)) => serde_json::from_value(item).ok().into_iter().collect(),
        _ => Vec::new(),
    });
    let count = match obj.get("count") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .unwrap_or(numbers.len() as u64);
    Some(Page { count, numbers })
}

/// The first `max` characters of a body, on one line, for error messages.
pub fn excerpt(body: &str, max: usize) -> String {
    let one_line: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    if body.chars().count() > max {
        format!("{one_line}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Feature, NumberType, OwnedNumber};
    use serde_json::json;

    #[test]
    fn empty_object_is_an_empty_page() {
        let page: Page<OwnedNumber> = decode_page(json!({})).unwrap();
        assert_eq!(page.count, 0);
        assert!(page.numbers.is_empty());
    }

    #[test]
    fn nulls_numbers_and_unknown_values_decode() {
        let page: Page<OwnedNumber> = decode_page(json!({
            "count": "2",
            "numbers": [
                {"msisdn": 447700900001u64, "country": "GB", "type": "satellite",
                 "features": null, "limitations": null, "moHttpUrl": null},
                {"msisdn": "447700900002", "features": "SMS,VOICE,FAX", "app_id": ""},
                "garbage"
            ]
        }))
        .unwrap();
        assert_eq!(page.count, 2);
        assert_eq!(page.numbers.len(), 2);
        let first = &page.numbers[0];
        assert_eq!(first.msisdn.as_deref(), Some("447700900001"));
        assert_eq!(
            first.number_type,
            Some(NumberType::Other("satellite".into()))
        );
        assert!(first.features.is_empty());
        let second = &page.numbers[1];
        assert_eq!(
            second.features,
            vec![Feature::Sms, Feature::Voice, Feature::Other("FAX".into())]
        );
        assert_eq!(second.app_id, None);
    }

    #[test]
    fn error_code_as_string_or_number() {
        assert!(body_status(&json!({"error-code": "200"})).is_success());
        assert!(body_status(&json!({})).is_success());
        let s = body_status(&json!({"error-code": 420, "error-code-label": "method failed"}));
        assert!(!s.is_success());
        assert_eq!(s.code.as_deref(), Some("420"));
        assert_eq!(s.label.as_deref(), Some("method failed"));
    }

    #[test]
    fn non_object_is_not_a_page() {
        assert!(decode_page::<OwnedNumber>(json!([1, 2])).is_none());
    }

    #[test]
    fn excerpt_is_bounded_and_single_line() {
        assert_eq!(excerpt("ab\ncd", 10), "ab cd");
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }
}
