//! One change at a time per number: while a buy, cancel, update, bulk run or undo is in flight
//! for a number (for a run: until that number's change has landed), no other change to it is started (a second Save, a second `b`), and the message says
//! what it is waiting for.

use super::{App, Request};

impl App {
    /// What is in flight for `msisdn` ("buying", "saving"…), if anything.
    pub fn change_in_flight(&self, msisdn: &str) -> Option<&'static str> {
        self.pending
            .values()
            .find_map(|r| match r {
                Request::Buy(n) if n.msisdn == msisdn => Some("its buy is in flight"),
                Request::Cancel(n) if n.msisdn == msisdn => Some("its cancel is in flight"),
                Request::Update { msisdn: m, .. } if m == msisdn => Some("it is saving"),
                _ => None,
            })
            .or_else(|| {
                // A run's numbers, until each one's change has landed.
                let run = self.bulk.run.as_ref()?;
                let what = match run.kind {
                    super::bulk::RunKind::Update(_) => "a bulk run is changing it",
                    super::bulk::RunKind::Undo { .. } => "an undo is changing it",
                };
                (self.pending.contains_key(&run.id) && run.left.contains_key(msisdn))
                    .then_some(what)
            })
    }

    /// True (with a warning) when `msisdn` has a change in flight: nothing else is started.
    pub(super) fn refuse_in_flight(&mut self, msisdn: &str) -> bool {
        let Some(what) = self.change_in_flight(msisdn) else {
            return false;
        };
        self.warn(format!(
            "{msisdn}: {what}; wait for its answer before changing it again"
        ));
        true
    }
}
