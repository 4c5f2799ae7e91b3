//! Deterministic inventory and owned numbers, generated from the seed with a splitmix64
//! PRNG. The available inventory depends on the seed only (not on how many numbers are
//! owned); owned numbers come from a second stream and never collide with it.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use super::model::{Country, Features, Msisdn, NumberConfig, NumberInfo, NumberType, Owned};

/// splitmix64: tiny, fast, good enough for test data and fault draws.
#[derive(Clone, Debug)]
pub(crate) struct Prng(u64);

impl Prng {
    pub(crate) fn new(seed: u64) -> Prng {
        Prng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub(crate) fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The splitmix64 output function.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// How numbers of one type look in one country: one of `prefixes`, then `rest` random digits.
struct Format {
    kind: NumberType,
    prefixes: &'static [&'static str],
    rest: usize,
    /// Relative frequency in this country's inventory.
    weight: u64,
}

struct CountrySpec {
    code: &'static str,
    /// Size of the available inventory.
    available: usize,
    /// Share of the seeded owned numbers (relative).
    owned_weight: u64,
    formats: &'static [Format],
}

const fn f(
    kind: NumberType,
    prefixes: &'static [&'static str],
    rest: usize,
    weight: u64,
) -> Format {
    Format {
        kind,
        prefixes,
        rest,
        weight,
    }
}

use NumberType::{Landline as L, MobileLvn as M, TollFree as T};

const US_AREAS: &[&str] = &[
    "1201", "1202", "1212", "1213", "1305", "1312", "1415", "1503", "1512", "1617", "1646", "1702",
    "1713", "1718", "1773", "1801", "1917", "1206",
];
const CA_AREAS: &[&str] = &[
    "1204", "1226", "1250", "1289", "1306", "1403", "1416", "1438", "1514", "1519", "1587", "1604",
    "1613", "1647", "1705", "1778", "1780", "1902", "1905",
];

/// The seeded countries. Every msisdn is country code + national number, 10-13 digits.
#[rustfmt::skip]
const COUNTRIES: &[CountrySpec] = &[
    CountrySpec { code: "GB", available: 2000, owned_weight: 30, formats: &[
        f(L, &["4420"], 8, 15), f(L, &["44121", "44161", "44131"], 7, 20), f(M, &["447700", "447520", "447451"], 6, 55), f(T, &["44800"], 7, 10)] },
    CountrySpec { code: "US", available: 2000, owned_weight: 30, formats: &[
        f(L, US_AREAS, 7, 30), f(M, US_AREAS, 7, 60), f(T, &["1800", "1888", "1877"], 7, 10)] },
    CountrySpec { code: "CA", available: 800, owned_weight: 6, formats: &[
        f(L, CA_AREAS, 7, 30), f(M, CA_AREAS, 7, 60), f(T, &["1833", "1844"], 7, 10)] },
    CountrySpec { code: "DE", available: 1200, owned_weight: 6, formats: &[
        f(L, &["4930", "4940", "4989", "4969"], 8, 50), f(M, &["49157", "49152"], 8, 40), f(T, &["49800"], 7, 10)] },
    CountrySpec { code: "FR", available: 1000, owned_weight: 6, formats: &[
        f(L, &["331", "332", "334"], 8, 45), f(M, &["336", "337"], 8, 45), f(T, &["33800"], 6, 10)] },
    CountrySpec { code: "NL", available: 600, owned_weight: 4, formats: &[
        f(L, &["3120", "3110", "3130"], 7, 45), f(M, &["316"], 8, 45), f(T, &["31800"], 7, 10)] },
    CountrySpec { code: "ES", available: 600, owned_weight: 4, formats: &[
        f(L, &["3491", "3493"], 7, 45), f(M, &["346", "347"], 8, 45), f(T, &["34900"], 6, 10)] },
    CountrySpec { code: "IT", available: 500, owned_weight: 2, formats: &[
        f(L, &["3902", "3906"], 8, 50), f(M, &["393"], 9, 40), f(T, &["39800"], 6, 10)] },
    CountrySpec { code: "SE", available: 400, owned_weight: 3, formats: &[
        f(L, &["468", "4631"], 7, 45), f(M, &["4670", "4673"], 7, 45), f(T, &["4620"], 7, 10)] },
    CountrySpec { code: "AU", available: 800, owned_weight: 5, formats: &[
        f(L, &["612", "613", "617"], 8, 45), f(M, &["614"], 8, 45), f(T, &["611800"], 6, 10)] },
    CountrySpec { code: "IE", available: 300, owned_weight: 2, formats: &[
        f(L, &["3531"], 7, 45), f(M, &["35383", "35385", "35387"], 7, 45), f(T, &["3531800"], 6, 10)] },
    CountrySpec { code: "BE", available: 400, owned_weight: 2, formats: &[
        f(L, &["322", "323"], 7, 45), f(M, &["3247"], 7, 45), f(T, &["32800"], 5, 10)] },
];

/// Codes of the seeded countries, in table order.
#[cfg(test)]
pub(crate) fn countries() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|c| c.code)
}

pub(crate) type Inventory = BTreeMap<Country, BTreeMap<Msisdn, NumberInfo>>;

fn weighted<'a, T>(rng: &mut Prng, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
    let total: u64 = items.iter().map(&weight).sum();
    let mut draw = rng.below(total);
    for item in items {
        let w = weight(item);
        if draw < w {
            return item;
        }
        draw -= w;
    }
    &items[items.len() - 1]
}

/// One number of `spec`, unique in `taken` (retries on a collision).
fn number(rng: &mut Prng, spec: &CountrySpec, taken: &mut HashSet<Msisdn>) -> (Msisdn, NumberInfo) {
    let country =
        Country::parse(spec.code).unwrap_or_else(|| unreachable!("table codes are valid"));
    for attempt in 0usize.. {
        let format = weighted(rng, spec.formats, |f| f.weight);
        let mut digits = String::with_capacity(15);
        let prefix: &&str = rng.pick(format.prefixes);
        digits.push_str(prefix);
        // A crowded format grows a digit rather than looping forever.
        for _ in 0..format.rest + attempt / 64 {
            digits.push(char::from(b'0' + rng.below(10) as u8));
        }
        let Some(msisdn) = Msisdn::parse(&digits) else {
            continue;
        };
        if !taken.insert(msisdn) {
            continue;
        }
        return (msisdn, info(rng, spec.code, country, format.kind));
    }
    unreachable!("the attempt counter does not end")
}

fn info(rng: &mut Prng, code: &str, country: Country, kind: NumberType) -> NumberInfo {
    let north_america = matches!(code, "US" | "CA");
    let features = match kind {
        NumberType::Landline if rng.percent(40) => Features::VOICE,
        NumberType::Landline => Features::SMS | Features::VOICE,
        NumberType::MobileLvn if north_america && rng.percent(40) => {
            Features::SMS | Features::MMS | Features::VOICE
        }
        NumberType::MobileLvn if rng.percent(10) => Features::SMS,
        NumberType::MobileLvn => Features::SMS | Features::VOICE,
        NumberType::TollFree if north_america && rng.percent(30) => Features::SMS | Features::VOICE,
        NumberType::TollFree => Features::VOICE,
    };
    // Monthly cost 0.50..=5.00, setup fee 0.00..=2.00 (mostly free).
    let (low, high) = match kind {
        NumberType::Landline => (50, 150),
        NumberType::MobileLvn => (80, 300),
        NumberType::TollFree => (200, 500),
    };
    let cost_cents = (low + rng.below(high - low + 1)) as u32;
    let setup_cents = match rng.below(10) {
        0..=5 => 0,
        6 | 7 => 50,
        _ => rng.below(201) as u32,
    };
    NumberInfo {
        country,
        kind,
        features: Features(features),
        cost_cents,
        setup_cents,
    }
}

/// The available inventory of every seeded country, and the set of msisdns it uses.
pub(crate) fn inventory(seed: u64) -> (Inventory, HashSet<Msisdn>) {
    let mut rng = Prng::new(seed ^ 0x1A7E_47D0_0000_0001);
    let total: usize = COUNTRIES.iter().map(|c| c.available).sum();
    let mut taken = HashSet::with_capacity(total);
    let mut inventory = Inventory::new();
    for spec in COUNTRIES {
        let map = inventory
            .entry(Country::parse(spec.code).unwrap_or_else(|| unreachable!()))
            .or_default();
        for _ in 0..spec.available {
            let (msisdn, info) = number(&mut rng, spec, &mut taken);
            map.insert(msisdn, info);
        }
    }
    (inventory, taken)
}

/// A handful of application ids, UUID-looking and deterministic.
pub(crate) fn application_ids(seed: u64) -> Vec<Arc<str>> {
    let mut rng = Prng::new(seed ^ 0xA99_1D5);
    (0..5)
        .map(|_| {
            let (a, b) = (rng.next_u64(), rng.next_u64());
            let id = format!(
                "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xffff,
                a & 0xfff,
                0x8000 | (b >> 48) & 0x3fff,
                b & 0xffff_ffff_ffff
            );
            Arc::from(id)
        })
        .collect()
}

/// `count` owned numbers for one account, spread over countries, types and
/// configurations; none of them is in `taken`, and all are added to it.
pub(crate) fn owned(
    seed: u64,
    count: usize,
    taken: &mut HashSet<Msisdn>,
) -> BTreeMap<Msisdn, Owned> {
    let mut rng = Prng::new(seed ^ 0x0B5E_55ED_0000_0002);
    taken.reserve(count);
    let apps = application_ids(seed);
    let s = |v: &str| Arc::<str>::from(v);
    let sms_urls = [
        s("https://example.com/webhooks/inbound-sms"),
        s("https://example.com/sms/eu"),
        s("https://example.com/sms/us"),
        s("https://hooks.example.com/v1/sms"),
    ];
    let sip = s("sip");
    let tel = s("tel");
    let app = s("app");
    let sip_targets = [
        s("sip:support@sip.example.com"),
        s("sip:sales@sip.example.com"),
    ];
    let tel_targets = [s("447700900123"), s("14155550100")];
    let status_urls = [s("https://example.com/webhooks/voice-status")];
    let smpp_types = [s("inbound"), s("smpp-prod")];

    let mut map = BTreeMap::new();
    for _ in 0..count {
        let spec = weighted(&mut rng, COUNTRIES, |c| c.owned_weight);
        let (msisdn, info) = number(&mut rng, spec, taken);
        let mut c = NumberConfig::default();
        if rng.percent(55) {
            c.app_id = Some(rng.pick(&apps).clone());
        }
        if rng.percent(30) {
            c.mo_http_url = Some(rng.pick(&sms_urls).clone());
        }
        if rng.percent(15) {
            if rng.percent(50) {
                c.voice_callback_type = Some(sip.clone());
                c.voice_callback_value = Some(rng.pick(&sip_targets).clone());
            } else {
                c.voice_callback_type = Some(tel.clone());
                c.voice_callback_value = Some(rng.pick(&tel_targets).clone());
            }
        }
        if rng.percent(10) {
            c.voice_status_callback = Some(rng.pick(&status_urls).clone());
        }
        if rng.percent(5) {
            c.mo_smpp_sys_type = Some(rng.pick(&smpp_types).clone());
        }
        if rng.percent(5) {
            c.messages_callback_type = Some(app.clone());
            c.messages_callback_value = Some(rng.pick(&apps).clone());
        }
        map.insert(msisdn, Owned::new(info, c));
    }
    map
}
