//! Compact in-memory representation of numbers (the sandbox holds 100,000+ of them),
//! the error answers of the API, and conversions to the public [`NumberRecord`].

use std::cmp::Ordering;
use std::sync::Arc;

use serde::Serialize;

use super::NumberRecord;

/// An E.164 number without `+`: 1 to 15 ASCII digits, stored inline (no heap).
/// Ordered like its string (lexicographically), so prefix searches are ranges.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Msisdn {
    len: u8,
    digits: [u8; 15],
}

impl Msisdn {
    pub(crate) fn parse(s: &str) -> Option<Msisdn> {
        let bytes = s.as_bytes();
        if bytes.is_empty() || bytes.len() > 15 || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut digits = [0u8; 15];
        digits[..bytes.len()].copy_from_slice(bytes);
        Some(Msisdn {
            len: bytes.len() as u8,
            digits,
        })
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.digits[..self.len as usize]
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this cannot fail.
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl Ord for Msisdn {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl PartialOrd for Msisdn {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Debug for Msisdn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ISO 3166-1 alpha-2 code, uppercase.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub(crate) struct Country([u8; 2]);

impl Country {
    /// Two ASCII letters, any case.
    pub(crate) fn parse(s: &str) -> Option<Country> {
        match s.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Some(Country([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NumberType {
    Landline,
    MobileLvn,
    TollFree,
}

impl NumberType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            NumberType::Landline => "landline",
            NumberType::MobileLvn => "mobile-lvn",
            NumberType::TollFree => "landline-toll-free",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<NumberType> {
        match s {
            "landline" => Some(NumberType::Landline),
            "mobile-lvn" => Some(NumberType::MobileLvn),
            "landline-toll-free" => Some(NumberType::TollFree),
            _ => None,
        }
    }
}

/// Feature bit set: SMS, MMS, VOICE.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Features(pub(crate) u8);

impl Features {
    pub(crate) const SMS: u8 = 1;
    pub(crate) const MMS: u8 = 2;
    pub(crate) const VOICE: u8 = 4;
    const NAMES: [(u8, &'static str); 3] = [
        (Self::SMS, "SMS"),
        (Self::MMS, "MMS"),
        (Self::VOICE, "VOICE"),
    ];

    pub(crate) fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    pub(crate) fn contains(self, other: Features) -> bool {
        self.0 & other.0 == other.0
    }

    /// Names in canonical order (SMS, MMS, VOICE).
    pub(crate) fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(bit, _)| self.has(*bit))
            .map(|(_, name)| *name)
            .collect()
    }

    /// The `features` search parameter: one of the documented values (`SMS`, `VOICE`,
    /// `SMS,VOICE`, `MMS`, `SMS,MMS`, `VOICE,MMS`, `SMS,MMS,VOICE`), in any order (the
    /// official Python SDK sends `SMS,VOICE,MMS`); no repeats, no other names.
    pub(crate) fn parse_param(s: &str) -> Option<Features> {
        let mut bits = 0;
        for name in s.split(',') {
            let (bit, _) = Self::NAMES.iter().find(|(_, n)| *n == name)?;
            if bits & bit != 0 {
                return None;
            }
            bits |= bit;
        }
        Some(Features(bits))
    }

    /// From a list of names (persisted state); unknown names are ignored.
    pub(crate) fn from_names<S: AsRef<str>>(names: &[S]) -> Features {
        let mut bits = 0;
        for name in names {
            if let Some((bit, _)) = Self::NAMES.iter().find(|(_, n)| *n == name.as_ref()) {
                bits |= bit;
            }
        }
        Features(bits)
    }
}

/// What a number is, and what it costs (cents of EUR).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct NumberInfo {
    pub(crate) country: Country,
    pub(crate) kind: NumberType,
    pub(crate) features: Features,
    pub(crate) cost_cents: u32,
    pub(crate) setup_cents: u32,
}

/// The configuration `POST /number/update` replaces. Seeded values share their strings.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct NumberConfig {
    pub(crate) app_id: Option<Arc<str>>,
    pub(crate) mo_http_url: Option<Arc<str>>,
    pub(crate) mo_smpp_sys_type: Option<Arc<str>>,
    pub(crate) voice_callback_type: Option<Arc<str>>,
    pub(crate) voice_callback_value: Option<Arc<str>>,
    pub(crate) voice_status_callback: Option<Arc<str>>,
    pub(crate) messages_callback_type: Option<Arc<str>>,
    pub(crate) messages_callback_value: Option<Arc<str>>,
}

impl NumberConfig {
    pub(crate) fn is_empty(&self) -> bool {
        *self == NumberConfig::default()
    }
}

/// An owned number. `config` is `None` when nothing is configured (most memory saved).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Owned {
    pub(crate) info: NumberInfo,
    pub(crate) config: Option<Box<NumberConfig>>,
}

impl Owned {
    pub(crate) fn new(info: NumberInfo, config: NumberConfig) -> Owned {
        let config = (!config.is_empty()).then(|| Box::new(config));
        Owned { info, config }
    }

    pub(crate) fn app_id(&self) -> Option<&str> {
        self.config.as_ref().and_then(|c| c.app_id.as_deref())
    }

    pub(crate) fn to_record(&self, msisdn: &Msisdn) -> NumberRecord {
        let c = self.config.as_deref().cloned().unwrap_or_default();
        let s = |v: Option<Arc<str>>| v.map(|v| v.to_string());
        NumberRecord {
            country: self.info.country.as_str().to_string(),
            msisdn: msisdn.as_str().to_string(),
            number_type: self.info.kind.as_str().to_string(),
            features: self
                .info
                .features
                .names()
                .into_iter()
                .map(String::from)
                .collect(),
            cost: cents_str(self.info.cost_cents),
            initial_price: cents_str(self.info.setup_cents),
            app_id: s(c.app_id),
            mo_http_url: s(c.mo_http_url),
            mo_smpp_sys_type: s(c.mo_smpp_sys_type),
            voice_callback_type: s(c.voice_callback_type),
            voice_callback_value: s(c.voice_callback_value),
            voice_status_callback: s(c.voice_status_callback),
            messages_callback_type: s(c.messages_callback_type),
            messages_callback_value: s(c.messages_callback_value),
        }
    }
}

/// "1.25" from 125.
pub(crate) fn cents_str(cents: u32) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// 125 from "1.25" (also "1.2", "1", "0.5"); None for anything else.
pub(crate) fn parse_cents(s: &str) -> Option<u32> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || frac.len() > 2 {
        return None;
    }
    let all_digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(frac) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let frac: u32 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u32>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(frac)
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq)]
pub(crate) struct Limitation {
    pub(crate) feature: &'static str,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) reach: &'static str,
}

const SMS_OUT_INTL: Limitation = Limitation {
    feature: "SMS",
    kind: "OUTBOUND",
    reach: "INTERNATIONAL",
};
const VOICE_OUT_DOM: Limitation = Limitation {
    feature: "VOICE",
    kind: "OUTBOUND",
    reach: "DOMESTIC",
};
const MMS_IN_DOM: Limitation = Limitation {
    feature: "MMS",
    kind: "INBOUND",
    reach: "DOMESTIC",
};

/// Limitations are a pure function of the number, so they survive buy, cancel and
/// persistence without being stored. About one number in seven has some.
pub(crate) fn limitations(msisdn: &Msisdn, features: Features) -> Vec<Limitation> {
    // FNV-1a over the digits.
    let hash = msisdn
        .as_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
    let candidates: &[Limitation] = match hash % 14 {
        0 => &[SMS_OUT_INTL],
        1 => &[VOICE_OUT_DOM],
        2 => &[SMS_OUT_INTL, VOICE_OUT_DOM, MMS_IN_DOM],
        _ => &[],
    };
    let bit = |name: &str| match name {
        "SMS" => Features::SMS,
        "MMS" => Features::MMS,
        _ => Features::VOICE,
    };
    candidates
        .iter()
        .filter(|l| features.has(bit(l.feature)))
        .copied()
        .collect()
}

/// Every answer that is not a success body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiError {
    /// 401 authentication failed
    Auth,
    /// 420 method failed
    MethodFailed,
    /// 420 with the dashboard label (DE landline, IT)
    AddressRequired,
    /// 404
    NotFound,
    /// 405, with the allowed method
    MethodNotAllowed(&'static str),
    /// 413
    TooLarge,
}

pub(crate) const ADDRESS_LABEL: &str = "Numbers from this country can be requested from the Dashboard (https://dashboard.nexmo.com/buy-numbers) as they require a valid local address to be provided before being purchased.";

impl ApiError {
    pub(crate) fn status(self) -> u16 {
        match self {
            ApiError::Auth => 401,
            ApiError::MethodFailed | ApiError::AddressRequired => 420,
            ApiError::NotFound => 404,
            ApiError::MethodNotAllowed(_) => 405,
            ApiError::TooLarge => 413,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            ApiError::Auth => "authentication failed",
            ApiError::MethodFailed => "method failed",
            ApiError::AddressRequired => ADDRESS_LABEL,
            ApiError::NotFound => "not found",
            ApiError::MethodNotAllowed(_) => "method not allowed",
            ApiError::TooLarge => "request entity too large",
        }
    }
}
