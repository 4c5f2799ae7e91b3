//! Accounts, the available inventory, owned numbers, and the operations of the API on
//! them. Pure data: no I/O, no async; the caller holds the lock.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::model::{ApiError, Country, Msisdn, NumberConfig, NumberInfo, NumberType, Owned};
use super::query::{NumberRef, OwnedQuery, Paging, PatternMode, SearchQuery};
use super::seed::{self, Inventory};
use super::{NumberRecord, SandboxConfig};

#[derive(Clone, Debug, Default)]
pub(crate) struct Account {
    /// The primary account of a subaccount.
    pub(crate) parent: Option<String>,
    /// Balance in cents of EUR. Subaccounts spend their parent's balance.
    pub(crate) credit_cents: i64,
    pub(crate) owned: BTreeMap<Msisdn, Owned>,
    /// The owned msisdns in order, for unfiltered pages; dropped when a number comes or goes.
    pub(crate) keys: KeyIndex,
}

/// The keys of `Account::owned` in order, built by the first unfiltered page after a change:
/// a page is then a slice (log n + size) instead of a walk from the first number
/// (index × size), so listing 100,000 numbers page by page is linear, not quadratic.
#[derive(Debug, Default)]
pub(crate) struct KeyIndex(Mutex<Option<Arc<Vec<Msisdn>>>>);

impl Clone for KeyIndex {
    /// A copy of the state builds its own index when it needs one.
    fn clone(&self) -> Self {
        KeyIndex::default()
    }
}

impl KeyIndex {
    fn get(&self, owned: &BTreeMap<Msisdn, Owned>) -> Arc<Vec<Msisdn>> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match &*slot {
            // The length guards against a change that forgot to clear the index.
            Some(keys) if keys.len() == owned.len() => keys.clone(),
            _ => slot
                .insert(Arc::new(owned.keys().copied().collect()))
                .clone(),
        }
    }

    pub(crate) fn clear(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    pub(crate) seed: u64,
    pub(crate) accounts: HashMap<String, Account>,
    pub(crate) inventory: Inventory,
    /// Bumped by every change; the persistence writer compares it.
    pub(crate) generation: u64,
    /// The Applications API's applications (not written to the state file: seeded again).
    pub(crate) apps: super::apps::Apps,
}

/// One page and the total number of matches.
pub(crate) struct Page<T> {
    pub(crate) count: usize,
    pub(crate) items: Vec<T>,
}

/// Counts every item while keeping the requested page. With `known_total`, stops at the
/// end of the page instead (no filter: nothing else to count).
fn paginate<T>(
    iter: impl Iterator<Item = T>,
    known_total: Option<usize>,
    paging: Paging,
) -> Page<T> {
    let skip = paging.skip();
    if let Some(count) = known_total {
        let items = iter.skip(skip).take(paging.size).collect();
        return Page { count, items };
    }
    let mut count = 0;
    let mut items = Vec::new();
    for item in iter {
        if count >= skip && items.len() < paging.size {
            items.push(item);
        }
        count += 1;
    }
    Page { count, items }
}

/// Entries of `map` whose key starts with the pattern, when the pattern is a prefix: a
/// range, not a scan. Otherwise every entry.
fn candidates<'a, V>(
    map: &'a BTreeMap<Msisdn, V>,
    prefix: Option<&str>,
) -> Box<dyn Iterator<Item = (&'a Msisdn, &'a V)> + 'a> {
    match prefix {
        Some(p) => match Msisdn::parse(p) {
            Some(start) => {
                let p = p.to_string();
                Box::new(
                    map.range(start..)
                        .take_while(move |(m, _)| m.as_str().starts_with(&p)),
                )
            }
            None => Box::new(std::iter::empty()),
        },
        None => Box::new(map.iter()),
    }
}

fn prefix_of(pattern: Option<&super::query::Pattern>) -> Option<&str> {
    pattern
        .filter(|p| p.mode == PatternMode::StartsWith)
        .map(|p| p.digits.as_str())
}

/// DE landlines and every IT number need a local address, given on the dashboard.
fn needs_address(info: &NumberInfo) -> bool {
    match info.country.as_str() {
        "IT" => true,
        "DE" => info.kind == NumberType::Landline,
        _ => false,
    }
}

impl State {
    /// Seeded state for `config`: the inventory, then `config.owned` numbers for the main
    /// account; subaccounts start with none.
    pub(crate) fn seeded(config: &SandboxConfig) -> State {
        let (inventory, mut taken) = seed::inventory(config.seed);
        let owned = seed::owned(config.seed, config.owned, &mut taken);
        let mut state = State {
            seed: config.seed,
            inventory,
            apps: super::apps::Apps::seeded(config.seed),
            ..State::default()
        };
        state.ensure_accounts(config);
        if let Some(main) = state.accounts.get_mut(&config.api_key) {
            main.owned = owned;
            main.keys.clear();
        }
        state
    }

    /// Creates the accounts of `config` that do not exist yet, and links subaccounts.
    pub(crate) fn ensure_accounts(&mut self, config: &SandboxConfig) {
        let credit_cents = (config.credit_eur * 100.0).round() as i64;
        self.accounts
            .entry(config.api_key.clone())
            .or_insert_with(|| Account {
                credit_cents,
                ..Account::default()
            })
            .parent = None;
        for (key, _) in &config.subaccounts {
            if *key == config.api_key {
                continue;
            }
            self.accounts.entry(key.clone()).or_default().parent = Some(config.api_key.clone());
        }
    }

    pub(crate) fn touch(&mut self) {
        self.generation += 1;
    }

    /// The account an operation acts on: the caller's, or a subaccount of it.
    pub(crate) fn resolve_target(
        &self,
        caller: &str,
        target: Option<&str>,
    ) -> Result<String, ApiError> {
        match target {
            None => Ok(caller.to_string()),
            Some(t) if t == caller => Ok(caller.to_string()),
            Some(t) => match self.accounts.get(t) {
                Some(acc) if acc.parent.as_deref() == Some(caller) => Ok(t.to_string()),
                _ => Err(ApiError::MethodFailed),
            },
        }
    }

    /// The account whose balance pays for `key`'s purchases.
    fn billing_key<'a>(&'a self, key: &'a str) -> &'a str {
        self.accounts
            .get(key)
            .and_then(|a| a.parent.as_deref())
            .unwrap_or(key)
    }

    pub(crate) fn credit_cents(&self, key: &str) -> i64 {
        self.accounts
            .get(self.billing_key(key))
            .map_or(0, |a| a.credit_cents)
    }

    pub(crate) fn list_owned(&self, key: &str, q: &OwnedQuery) -> Page<(&Msisdn, &Owned)> {
        let Some(account) = self.accounts.get(key) else {
            return Page {
                count: 0,
                items: Vec::new(),
            };
        };
        let unfiltered = q.application_id.is_none()
            && q.has_application.is_none()
            && q.country.is_none()
            && q.pattern.is_none();
        if unfiltered {
            let keys = account.keys.get(&account.owned);
            let items = keys
                .get(q.paging.skip()..)
                .unwrap_or_default()
                .iter()
                .take(q.paging.size)
                .filter_map(|m| account.owned.get_key_value(m))
                .collect();
            return Page {
                count: account.owned.len(),
                items,
            };
        }
        let iter = candidates(&account.owned, prefix_of(q.pattern.as_ref())).filter(|(m, o)| {
            q.country.is_none_or(|c| o.info.country == c)
                && q.has_application.is_none_or(|h| o.app_id().is_some() == h)
                && q.application_id
                    .as_deref()
                    .is_none_or(|a| o.app_id() == Some(a))
                && q.pattern.as_ref().is_none_or(|p| p.matches(m))
        });
        paginate(iter, unfiltered.then_some(account.owned.len()), q.paging)
    }

    pub(crate) fn search(&self, q: &SearchQuery) -> Page<(&Msisdn, &NumberInfo)> {
        let Some(available) = self.inventory.get(&q.country) else {
            return Page {
                count: 0,
                items: Vec::new(),
            };
        };
        let iter = candidates(available, prefix_of(q.pattern.as_ref())).filter(|(m, i)| {
            q.kind.is_none_or(|k| i.kind == k)
                && q.features.is_none_or(|f| i.features.contains(f))
                && q.pattern.as_ref().is_none_or(|p| p.matches(m))
        });
        let unfiltered = q.kind.is_none() && q.features.is_none() && q.pattern.is_none();
        paginate(iter, unfiltered.then_some(available.len()), q.paging)
    }

    pub(crate) fn buy(&mut self, caller: &str, r: &NumberRef) -> Result<(), ApiError> {
        let key = self.resolve_target(caller, r.target_api_key.as_deref())?;
        let info = *self
            .inventory
            .get(&r.country)
            .and_then(|m| m.get(&r.msisdn))
            .ok_or(ApiError::MethodFailed)?;
        if needs_address(&info) {
            return Err(ApiError::AddressRequired);
        }
        let payer = self.billing_key(&key).to_string();
        let balance = self
            .accounts
            .get_mut(&payer)
            .ok_or(ApiError::MethodFailed)?;
        // A buy charges the setup fee and the first month's rental at once.
        let charge = i64::from(info.setup_cents) + i64::from(info.cost_cents);
        if balance.credit_cents < charge {
            return Err(ApiError::MethodFailed);
        }
        balance.credit_cents -= charge;
        if let Some(m) = self.inventory.get_mut(&r.country) {
            m.remove(&r.msisdn);
        }
        let account = self.accounts.entry(key).or_default();
        account
            .owned
            .insert(r.msisdn, Owned::new(info, NumberConfig::default()));
        account.keys.clear();
        self.touch();
        Ok(())
    }

    pub(crate) fn cancel(&mut self, caller: &str, r: &NumberRef) -> Result<(), ApiError> {
        let key = self.resolve_target(caller, r.target_api_key.as_deref())?;
        self.owned_in(&key, r)?;
        let account = self.accounts.get_mut(&key).ok_or(ApiError::MethodFailed)?;
        let owned = account
            .owned
            .remove(&r.msisdn)
            .ok_or(ApiError::MethodFailed)?;
        account.keys.clear();
        self.inventory
            .entry(r.country)
            .or_default()
            .insert(r.msisdn, owned.info);
        self.touch();
        Ok(())
    }

    /// Ok when `key` owns the number of `r` in `r.country`.
    pub(crate) fn owned_in(&self, key: &str, r: &NumberRef) -> Result<&Owned, ApiError> {
        self.accounts
            .get(key)
            .and_then(|a| a.owned.get(&r.msisdn))
            .filter(|o| o.info.country == r.country)
            .ok_or(ApiError::MethodFailed)
    }

    /// Replaces the whole configuration of an owned number.
    pub(crate) fn update(
        &mut self,
        key: &str,
        r: &NumberRef,
        config: NumberConfig,
    ) -> Result<(), ApiError> {
        self.owned_in(key, r)?;
        let owned = self
            .accounts
            .get_mut(key)
            .and_then(|a| a.owned.get_mut(&r.msisdn))
            .ok_or(ApiError::MethodFailed)?;
        *owned = Owned::new(owned.info, config);
        self.touch();
        Ok(())
    }

    pub(crate) fn owned_record(&self, key: &str, msisdn: &str) -> Option<NumberRecord> {
        let m = Msisdn::parse(msisdn)?;
        self.accounts
            .get(key)?
            .owned
            .get(&m)
            .map(|o| o.to_record(&m))
    }

    pub(crate) fn owned_count(&self, key: &str) -> usize {
        self.accounts.get(key).map_or(0, |a| a.owned.len())
    }

    pub(crate) fn is_available(&self, country: &str, msisdn: &str) -> bool {
        match (Country::parse(country), Msisdn::parse(msisdn)) {
            (Some(c), Some(m)) => self.inventory.get(&c).is_some_and(|i| i.contains_key(&m)),
            _ => false,
        }
    }
}
