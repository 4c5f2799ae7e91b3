//! Request parameters, parsed by hand so that no extractor rejection (axum's plain-text
//! 400/422) can ever reach a client: every bad parameter is a 420 `method failed`.

use std::sync::Arc;

use super::model::{ApiError, Country, Features, Msisdn, NumberConfig, NumberType};

/// Query-string and form parameters, in arrival order. A later value wins; an empty
/// value counts as absent.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse_urlencoded(input: &[u8]) -> Params {
        let pairs = input
            .split(|b| *b == b'&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let mut it = pair.splitn(2, |b| *b == b'=');
                let key = percent_decode(it.next().unwrap_or_default());
                let value = percent_decode(it.next().unwrap_or_default());
                (key, value)
            })
            .collect();
        Params(pairs)
    }

    /// A JSON object body (some clients send JSON): scalar values become strings.
    pub(crate) fn parse_json(input: &[u8]) -> Params {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(input) else {
            return Params::default();
        };
        let pairs = map
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                serde_json::Value::Number(n) => Some((k, n.to_string())),
                serde_json::Value::Bool(b) => Some((k, b.to_string())),
                _ => None,
            })
            .collect();
        Params(pairs)
    }

    pub(crate) fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

fn percent_decode(input: &[u8]) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < input.len() => match (hex(input[i + 1]), hex(input[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PatternMode {
    StartsWith,
    Contains,
    EndsWith,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub(crate) digits: String,
    pub(crate) mode: PatternMode,
}

impl Pattern {
    pub(crate) fn matches(&self, msisdn: &Msisdn) -> bool {
        let s = msisdn.as_str();
        match self.mode {
            PatternMode::StartsWith => s.starts_with(&self.digits),
            PatternMode::Contains => s.contains(&self.digits),
            PatternMode::EndsWith => s.ends_with(&self.digits),
        }
    }
}

/// `size` (1..=100, default 10) and `index` (1-based page, default 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Paging {
    pub(crate) size: usize,
    pub(crate) index: u64,
}

impl Paging {
    pub(crate) fn skip(&self) -> usize {
        let skip = (self.index - 1).saturating_mul(self.size as u64);
        usize::try_from(skip).unwrap_or(usize::MAX)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct OwnedQuery {
    pub(crate) application_id: Option<String>,
    pub(crate) has_application: Option<bool>,
    pub(crate) country: Option<Country>,
    pub(crate) pattern: Option<Pattern>,
    pub(crate) paging: Paging,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SearchQuery {
    pub(crate) country: Country,
    pub(crate) kind: Option<NumberType>,
    pub(crate) features: Option<Features>,
    pub(crate) pattern: Option<Pattern>,
    pub(crate) paging: Paging,
}

/// `country` + `msisdn` (+ `target_api_key`) of buy, cancel and update.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NumberRef {
    pub(crate) country: Country,
    pub(crate) msisdn: Msisdn,
    pub(crate) target_api_key: Option<String>,
}

const BAD: ApiError = ApiError::MethodFailed;

fn paging(p: &Params) -> Result<Paging, ApiError> {
    let size = match p.get("size") {
        None => 10,
        Some(s) => s.parse::<usize>().map_err(|_| BAD)?,
    };
    let index = match p.get("index") {
        None => 1,
        Some(s) => s.parse::<u64>().map_err(|_| BAD)?,
    };
    if !(1..=100).contains(&size) || index < 1 {
        return Err(BAD);
    }
    Ok(Paging { size, index })
}

fn pattern(p: &Params) -> Result<Option<Pattern>, ApiError> {
    let mode = match p.get("search_pattern") {
        None | Some("0") => PatternMode::StartsWith,
        Some("1") => PatternMode::Contains,
        Some("2") => PatternMode::EndsWith,
        Some(_) => return Err(BAD),
    };
    match p.get("pattern") {
        None => Ok(None),
        Some(d) if d.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(Pattern {
            digits: d.to_string(),
            mode,
        })),
        Some(_) => Err(BAD),
    }
}

fn country(value: Option<&str>) -> Result<Option<Country>, ApiError> {
    value.map(|c| Country::parse(c).ok_or(BAD)).transpose()
}

pub(crate) fn owned_query(p: &Params) -> Result<OwnedQuery, ApiError> {
    let has_application = match p.get("has_application") {
        None => None,
        Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
        Some(_) => return Err(BAD),
    };
    Ok(OwnedQuery {
        application_id: p.get("application_id").map(String::from),
        has_application,
        country: country(p.get("country"))?,
        pattern: pattern(p)?,
        paging: paging(p)?,
    })
}

pub(crate) fn search_query(p: &Params) -> Result<SearchQuery, ApiError> {
    Ok(SearchQuery {
        country: country(p.get("country"))?.ok_or(BAD)?,
        kind: p
            .get("type")
            .map(|t| NumberType::parse(t).ok_or(BAD))
            .transpose()?,
        features: p
            .get("features")
            .map(|f| Features::parse_param(f).ok_or(BAD))
            .transpose()?,
        pattern: pattern(p)?,
        paging: paging(p)?,
    })
}

pub(crate) fn number_ref(p: &Params) -> Result<NumberRef, ApiError> {
    Ok(NumberRef {
        country: country(p.get("country"))?.ok_or(BAD)?,
        msisdn: p.get("msisdn").and_then(Msisdn::parse).ok_or(BAD)?,
        target_api_key: p.get("target_api_key").map(String::from),
    })
}

/// The replacement configuration of `POST /number/update`: every field not sent (or
/// sent empty) is unset. Callback types and values must come in pairs.
pub(crate) fn update_config(p: &Params) -> Result<NumberConfig, ApiError> {
    let field = |name: &str| p.get(name).map(Arc::<str>::from);
    let config = NumberConfig {
        app_id: field("app_id"),
        mo_http_url: field("moHttpUrl"),
        mo_smpp_sys_type: field("moSmppSysType"),
        voice_callback_type: field("voiceCallbackType"),
        voice_callback_value: field("voiceCallbackValue"),
        voice_status_callback: field("voiceStatusCallback"),
        messages_callback_type: field("messagesCallbackType"),
        messages_callback_value: field("messagesCallbackValue"),
    };
    if config.voice_callback_type.is_some() != config.voice_callback_value.is_some()
        || config.messages_callback_type.is_some() != config.messages_callback_value.is_some()
    {
        return Err(BAD);
    }
    let voice_ok = config
        .voice_callback_type
        .as_deref()
        .is_none_or(|t| matches!(t, "sip" | "tel" | "app"));
    let messages_ok = config
        .messages_callback_type
        .as_deref()
        .is_none_or(|t| t == "app");
    if !voice_ok || !messages_ok {
        return Err(BAD);
    }
    Ok(config)
}
