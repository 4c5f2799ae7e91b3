//! What a buy costs against the balance: balance now, setup fee and first month, balance after.

use crate::api::AvailableNumber;
use crate::api::apps::Balance;

/// The sums of a buy's confirmation, in EUR.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BuySums {
    pub now: f64,
    pub setup: f64,
    pub monthly: f64,
    pub after: f64,
}

impl BuySums {
    /// False when the balance does not cover the setup fee and the first month (the API
    /// refuses such a buy).
    pub fn covered(&self) -> bool {
        // Half a cent of slack for decimal prices read as floats.
        self.after >= -0.005
    }
}

/// A price as the API writes it (a decimal string); `None` when it is missing or not a number.
pub fn price(text: Option<&str>) -> Option<f64> {
    text?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// The sums of buying `n` with `balance`: `None` while the balance or a price is unknown.
pub fn buy_sums(balance: Option<Balance>, n: &AvailableNumber) -> Option<BuySums> {
    let now = balance?.value;
    let setup = price(n.initial_price.as_deref())?;
    let monthly = price(n.cost.as_deref())?;
    Some(BuySums {
        now,
        setup,
        monthly,
        after: now - setup - monthly,
    })
}
