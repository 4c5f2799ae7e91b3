//! Typed queries and request bodies. Each one validates itself into the exact parameters sent
//! (`params()`); the client never sends anything that did not pass through here.

use std::fmt;
use std::str::FromStr;

use super::error::ApiError;
use super::model::NumberType;
use super::validate;

pub type Params = Vec<(&'static str, String)>;

/// How `pattern` matches a number (`search_pattern` on the wire).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MatchMode {
    #[default]
    StartsWith,
    Contains,
    EndsWith,
}

impl MatchMode {
    pub fn wire(self) -> &'static str {
        match self {
            MatchMode::StartsWith => "0",
            MatchMode::Contains => "1",
            MatchMode::EndsWith => "2",
        }
    }
}

impl FromStr for MatchMode {
    type Err = ApiError;
    fn from_str(s: &str) -> Result<Self, ApiError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "0" | "starts" | "starts-with" | "start" | "prefix" => Ok(MatchMode::StartsWith),
            "1" | "contains" | "any" => Ok(MatchMode::Contains),
            "2" | "ends" | "ends-with" | "end" | "suffix" => Ok(MatchMode::EndsWith),
            _ => Err(ApiError::invalid(
                "search_pattern",
                format!(
                    "{} must be starts-with (0), contains (1) or ends-with (2)",
                    validate::quote(s)
                ),
            )),
        }
    }
}

/// A number pattern and how it matches.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pattern {
    pub digits: String,
    pub mode: MatchMode,
}

impl Pattern {
    fn push(&self, out: &mut Params) -> Result<(), ApiError> {
        out.push(("pattern", validate::pattern(&self.digits)?));
        out.push(("search_pattern", self.mode.wire().to_string()));
        Ok(())
    }
}

/// A set of features, always sent in the API's canonical spelling.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeatureSet {
    pub sms: bool,
    pub voice: bool,
    pub mms: bool,
}

impl FeatureSet {
    /// The canonical value the API accepts: SMS, VOICE, SMS,VOICE, MMS, SMS,MMS, VOICE,MMS,
    /// SMS,MMS,VOICE. None for the empty set.
    pub fn canonical(self) -> Option<&'static str> {
        Some(match (self.sms, self.mms, self.voice) {
            (true, false, false) => "SMS",
            (false, false, true) => "VOICE",
            (true, false, true) => "SMS,VOICE",
            (false, true, false) => "MMS",
            (true, true, false) => "SMS,MMS",
            (false, true, true) => "VOICE,MMS",
            (true, true, true) => "SMS,MMS,VOICE",
            (false, false, false) => return None,
        })
    }
}

impl FromStr for FeatureSet {
    type Err = ApiError;
    /// Any order and case, separated by commas, `+` or spaces: `voice,sms` is `SMS,VOICE`.
    fn from_str(s: &str) -> Result<Self, ApiError> {
        let mut set = FeatureSet::default();
        for part in s.split([',', '+', ' ']).filter(|p| !p.is_empty()) {
            match part.to_ascii_uppercase().as_str() {
                "SMS" => set.sms = true,
                "VOICE" => set.voice = true,
                "MMS" => set.mms = true,
                _ => {
                    return Err(ApiError::invalid(
                        "features",
                        format!(
                            "{} is not a feature: use SMS, VOICE, MMS or a combination such as SMS,VOICE",
                            validate::quote(part)
                        ),
                    ));
                }
            }
        }
        if set.canonical().is_none() {
            return Err(ApiError::invalid(
                "features",
                "is empty: use SMS, VOICE, MMS or a combination".to_string(),
            ));
        }
        Ok(set)
    }
}

impl fmt::Display for FeatureSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.canonical().unwrap_or(""))
    }
}

/// Parses a searchable number type (`landline`, `mobile-lvn`, `landline-toll-free`, or the
/// short forms `mobile` and `toll-free`).
pub fn parse_number_type(s: &str) -> Result<NumberType, ApiError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "landline" => Ok(NumberType::Landline),
        "mobile-lvn" | "mobile" => Ok(NumberType::MobileLvn),
        "landline-toll-free" | "toll-free" | "tollfree" => Ok(NumberType::LandlineTollFree),
        _ => Err(ApiError::invalid(
            "type",
            format!(
                "{} must be landline, mobile-lvn or landline-toll-free",
                validate::quote(s)
            ),
        )),
    }
}

/// Filters of `GET /account/numbers` (without paging); kept in the journal's plan of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OwnedFilter {
    pub country: Option<String>,
    pub application_id: Option<String>,
    /// Some(true): only numbers linked to an application; Some(false): only unlinked ones.
    pub has_application: Option<bool>,
    pub pattern: Option<Pattern>,
}

impl OwnedFilter {
    pub fn params(&self) -> Result<Params, ApiError> {
        let mut out = Params::new();
        if let Some(c) = &self.country {
            out.push(("country", validate::country(c)?));
        }
        if let Some(app) = &self.application_id {
            out.push(("application_id", validate::text("application_id", app)?));
        }
        if let Some(has) = self.has_application {
            out.push(("has_application", has.to_string()));
        }
        if let Some(p) = &self.pattern {
            p.push(&mut out)?;
        }
        Ok(out)
    }
}

/// One page of `GET /account/numbers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedQuery {
    pub filter: OwnedFilter,
    pub size: u32,
    pub index: u32,
}

impl Default for OwnedQuery {
    fn default() -> Self {
        OwnedQuery {
            filter: OwnedFilter::default(),
            size: 10,
            index: 1,
        }
    }
}

impl OwnedQuery {
    pub fn params(&self) -> Result<Params, ApiError> {
        let mut out = self.filter.params()?;
        out.push(("size", validate::size(self.size)?.to_string()));
        out.push(("index", validate::index(self.index)?.to_string()));
        Ok(out)
    }
}

/// One page of `GET /number/search`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    pub country: String,
    pub number_type: Option<NumberType>,
    pub features: Option<FeatureSet>,
    pub pattern: Option<Pattern>,
    pub size: u32,
    pub index: u32,
}

impl SearchQuery {
    pub fn new(country: impl Into<String>) -> SearchQuery {
        SearchQuery {
            country: country.into(),
            number_type: None,
            features: None,
            pattern: None,
            size: 10,
            index: 1,
        }
    }

    pub fn params(&self) -> Result<Params, ApiError> {
        let mut out = vec![("country", validate::country(&self.country)?)];
        if let Some(t) = &self.number_type {
            if !NumberType::SEARCHABLE.contains(t) {
                return Err(parse_number_type(t.as_str()).unwrap_err());
            }
            out.push(("type", t.as_str().to_string()));
        }
        if let Some(f) = self.features.and_then(FeatureSet::canonical) {
            out.push(("features", f.to_string()));
        }
        if let Some(p) = &self.pattern {
            p.push(&mut out)?;
        }
        out.push(("size", validate::size(self.size)?.to_string()));
        out.push(("index", validate::index(self.index)?.to_string()));
        Ok(out)
    }
}

/// The body of buy and cancel: which number, and optionally on which subaccount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberRef {
    pub country: String,
    pub msisdn: String,
    pub target_api_key: Option<String>,
}

impl NumberRef {
    pub fn new(country: impl Into<String>, msisdn: impl Into<String>) -> NumberRef {
        NumberRef {
            country: country.into(),
            msisdn: msisdn.into(),
            target_api_key: None,
        }
    }

    /// The validated, normalised copy (uppercased country, digits-only msisdn).
    pub fn validated(&self) -> Result<NumberRef, ApiError> {
        Ok(NumberRef {
            country: validate::country(&self.country)?,
            msisdn: validate::msisdn(&self.msisdn)?,
            target_api_key: match &self.target_api_key {
                Some(k) => Some(validate::api_key("target_api_key", k)?),
                None => None,
            },
        })
    }

    pub fn params(&self) -> Result<Params, ApiError> {
        let v = self.validated()?;
        let mut out = vec![("country", v.country), ("msisdn", v.msisdn)];
        if let Some(k) = v.target_api_key {
            out.push(("target_api_key", k));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_canonical_whatever_the_order() {
        let f: FeatureSet = "voice,sms".parse().unwrap();
        assert_eq!(f.canonical(), Some("SMS,VOICE"));
        let f: FeatureSet = "voice mms sms".parse().unwrap();
        assert_eq!(f.canonical(), Some("SMS,MMS,VOICE"));
        let f: FeatureSet = "MMS+VOICE".parse().unwrap();
        assert_eq!(f.canonical(), Some("VOICE,MMS"));
        assert!("fax".parse::<FeatureSet>().is_err());
        assert!("".parse::<FeatureSet>().is_err());
    }

    #[test]
    fn search_params_validate_every_field() {
        let mut q = SearchQuery::new("gb");
        q.pattern = Some(Pattern {
            digits: "4477".into(),
            mode: MatchMode::Contains,
        });
        let p = q.params().unwrap();
        assert!(p.contains(&("country", "GB".into())));
        assert!(p.contains(&("search_pattern", "1".into())));
        q.size = 101;
        assert!(q.params().unwrap_err().to_string().contains("size"));
        q.size = 10;
        q.number_type = Some(NumberType::Other("fax".into()));
        assert!(q.params().unwrap_err().to_string().contains("type"));
    }

    #[test]
    fn owned_params() {
        let q = OwnedQuery {
            filter: OwnedFilter {
                has_application: Some(false),
                ..Default::default()
            },
            size: 100,
            index: 3,
        };
        let p = q.params().unwrap();
        assert_eq!(
            p,
            vec![
                ("has_application", "false".to_string()),
                ("size", "100".to_string()),
                ("index", "3".to_string())
            ]
        );
    }

    #[test]
    fn number_ref_normalises() {
        let r = NumberRef::new("us", "+1 415-555-0100");
        assert_eq!(
            r.params().unwrap(),
            vec![
                ("country", "US".to_string()),
                ("msisdn", "14155550100".to_string())
            ]
        );
        assert!(NumberRef::new("us", "call me").params().is_err());
    }
}
