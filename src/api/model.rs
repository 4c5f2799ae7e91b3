//! The wire model of the Numbers API, decoded leniently: every field may be missing, null or of
//! an unexpected type, and unknown enum values are kept rather than rejected. An owned number
//! is compact (a large account holds 100,000 of them): its repeated values are shared
//! [`Text`]s and [`Features`] (see `text.rs`), its msisdn a plain string.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use super::lenient::{opt_string, string_list};
use super::text::{Features, Text, intern};

/// A number's type as the API names it; unknown values are kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumberType {
    Landline,
    MobileLvn,
    LandlineTollFree,
    Other(String),
}

impl NumberType {
    pub fn as_str(&self) -> &str {
        match self {
            NumberType::Landline => "landline",
            NumberType::MobileLvn => "mobile-lvn",
            NumberType::LandlineTollFree => "landline-toll-free",
            NumberType::Other(s) => s,
        }
    }

    /// Parses the API spelling; anything else becomes `Other`.
    pub fn from_api(s: &str) -> NumberType {
        match s {
            "landline" => NumberType::Landline,
            "mobile-lvn" => NumberType::MobileLvn,
            "landline-toll-free" => NumberType::LandlineTollFree,
            other => NumberType::Other(other.to_string()),
        }
    }

    /// The three types a search may ask for.
    pub const SEARCHABLE: [NumberType; 3] = [
        NumberType::Landline,
        NumberType::MobileLvn,
        NumberType::LandlineTollFree,
    ];
}

impl fmt::Display for NumberType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One capability of a number; unknown values are kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    Sms,
    Voice,
    Mms,
    Other(String),
}

impl Feature {
    pub fn as_str(&self) -> &str {
        match self {
            Feature::Sms => "SMS",
            Feature::Voice => "VOICE",
            Feature::Mms => "MMS",
            Feature::Other(s) => s,
        }
    }

    pub fn from_api(s: &str) -> Feature {
        match s.trim().to_ascii_uppercase().as_str() {
            "SMS" => Feature::Sms,
            "VOICE" => Feature::Voice,
            "MMS" => Feature::Mms,
            _ => Feature::Other(s.to_string()),
        }
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(<$t>::from_api(&String::deserialize(d)?))
            }
        }
    };
}
string_serde!(NumberType);
string_serde!(Feature);

fn opt_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NumberType>, D::Error> {
    Ok(opt_string(d)?.map(|s| NumberType::from_api(&s)))
}

fn feature_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Feature>, D::Error> {
    Ok(string_list(d)?
        .iter()
        .map(|s| Feature::from_api(s))
        .collect())
}

fn feature_set<'de, D: Deserializer<'de>>(d: D) -> Result<Features, D::Error> {
    feature_list(d).map(Features::from)
}

/// A string field decoded like [`opt_string`], shared with equal values of the same decode.
fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Text>, D::Error> {
    Ok(opt_string(d)?.map(|s| intern(&s)))
}

fn limitation_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Limitation>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(_) => vec![value],
        _ => Vec::new(),
    };
    Ok(items
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// A restriction on one feature of a number, e.g. SMS OUTBOUND INTERNATIONAL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limitation {
    #[serde(default, deserialize_with = "opt_string")]
    pub feature: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub reach: Option<String>,
}

impl fmt::Display for Limitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = |o: &Option<String>| o.clone().unwrap_or_else(|| "?".into());
        write!(
            f,
            "{} {} {}",
            part(&self.feature),
            part(&self.kind),
            part(&self.reach)
        )
    }
}

/// A number the account owns, as `GET /account/numbers` returns it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnedNumber {
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub country: Option<Text>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub msisdn: Option<String>,
    #[serde(
        default,
        rename = "type",
        deserialize_with = "opt_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub number_type: Option<NumberType>,
    #[serde(default, deserialize_with = "feature_set")]
    pub features: Features,
    #[serde(
        default,
        deserialize_with = "limitation_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub limitations: Vec<Limitation>,
    #[serde(
        default,
        rename = "app_id",
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_id: Option<Text>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub mo_http_url: Option<Text>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub mo_smpp_sys_type: Option<Text>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub voice_callback_type: Option<Text>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub voice_callback_value: Option<Text>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub voice_status_callback: Option<Text>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub messages_callback_type: Option<Text>,
    #[serde(
        default,
        deserialize_with = "opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub messages_callback_value: Option<Text>,
}

/// A number that can be bought, as `GET /number/search` returns it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailableNumber {
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub country: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub msisdn: Option<String>,
    #[serde(
        default,
        rename = "type",
        deserialize_with = "opt_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub number_type: Option<NumberType>,
    /// Monthly rental in EUR, a decimal string.
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cost: Option<String>,
    /// Setup fee in EUR, a decimal string.
    #[serde(
        default,
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub initial_price: Option<String>,
    #[serde(default, deserialize_with = "feature_list")]
    pub features: Vec<Feature>,
    #[serde(
        default,
        deserialize_with = "limitation_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub limitations: Vec<Limitation>,
}

/// One page of a listing. `count` is the total over all pages; an empty page (`{}`) has
/// `count == 0` and no numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub count: u64,
    pub numbers: Vec<T>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            count: 0,
            numbers: Vec::new(),
        }
    }
}

/// Joins features for display: `SMS,VOICE`.
pub fn features_label(features: &[Feature]) -> String {
    features
        .iter()
        .map(Feature::as_str)
        .collect::<Vec<_>>()
        .join(",")
}
