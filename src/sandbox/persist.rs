//! The state file: JSON, written to a temporary file then renamed. Credentials are not
//! stored (they always come from the configuration); numbers, balances, the inventory and the
//! applications are (a file written before applications were kept gets the seeded ones). A background writer coalesces bursts of changes: every change is written, at
//! most ~50 ms later, and `Sandbox::shutdown` writes what is left.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::faults::lock;
use super::model::{
    Country, Features, Msisdn, NumberConfig, NumberInfo, NumberType, Owned, cents_str, parse_cents,
};
use super::state::{Account, State};
use super::{NumberRecord, SandboxConfig};

const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    seed: u64,
    accounts: BTreeMap<String, AccountSnapshot>,
    available: Vec<AvailableRecord>,
    /// Every application as the service shows it, by id (`None`: an older file; seeded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applications: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Serialize, Deserialize)]
struct AccountSnapshot {
    parent: Option<String>,
    credit_cents: i64,
    numbers: Vec<NumberRecord>,
}

#[derive(Serialize, Deserialize)]
struct AvailableRecord {
    country: String,
    msisdn: String,
    #[serde(rename = "type")]
    number_type: String,
    features: Vec<String>,
    cost: String,
    initial_price: String,
}

fn invalid(what: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("sandbox state file: {what}"),
    )
}

fn info_from(
    country: &str,
    msisdn: &str,
    kind: &str,
    features: &[String],
    cost: &str,
    setup: &str,
) -> std::io::Result<(Msisdn, NumberInfo)> {
    let m = Msisdn::parse(msisdn).ok_or_else(|| invalid(format!("bad msisdn {msisdn:?}")))?;
    let info = NumberInfo {
        country: Country::parse(country)
            .ok_or_else(|| invalid(format!("bad country {country:?}")))?,
        kind: NumberType::parse(kind).ok_or_else(|| invalid(format!("bad type {kind:?}")))?,
        features: Features::from_names(features),
        cost_cents: parse_cents(cost).ok_or_else(|| invalid(format!("bad cost {cost:?}")))?,
        setup_cents: parse_cents(setup).ok_or_else(|| invalid(format!("bad price {setup:?}")))?,
    };
    Ok((m, info))
}

fn owned_from(r: NumberRecord) -> std::io::Result<(Msisdn, Owned)> {
    let (m, info) = info_from(
        &r.country,
        &r.msisdn,
        &r.number_type,
        &r.features,
        &r.cost,
        &r.initial_price,
    )?;
    let s = |v: Option<String>| v.filter(|v| !v.is_empty()).map(Arc::<str>::from);
    let config = NumberConfig {
        app_id: s(r.app_id),
        mo_http_url: s(r.mo_http_url),
        mo_smpp_sys_type: s(r.mo_smpp_sys_type),
        voice_callback_type: s(r.voice_callback_type),
        voice_callback_value: s(r.voice_callback_value),
        voice_status_callback: s(r.voice_status_callback),
        messages_callback_type: s(r.messages_callback_type),
        messages_callback_value: s(r.messages_callback_value),
    };
    Ok((m, Owned::new(info, config)))
}

fn to_json(state: &State) -> serde_json::Result<Vec<u8>> {
    let accounts = state
        .accounts
        .iter()
        .map(|(key, a)| {
            let numbers = a.owned.iter().map(|(m, o)| o.to_record(m)).collect();
            let snapshot = AccountSnapshot {
                parent: a.parent.clone(),
                credit_cents: a.credit_cents,
                numbers,
            };
            (key.clone(), snapshot)
        })
        .collect();
    let available = state
        .inventory
        .values()
        .flat_map(|m| m.iter())
        .map(|(m, i)| AvailableRecord {
            country: i.country.as_str().to_string(),
            msisdn: m.as_str().to_string(),
            number_type: i.kind.as_str().to_string(),
            features: i.features.names().into_iter().map(String::from).collect(),
            cost: cents_str(i.cost_cents),
            initial_price: cents_str(i.setup_cents),
        })
        .collect();
    let snapshot = Snapshot {
        version: FORMAT_VERSION,
        seed: state.seed,
        accounts,
        available,
        applications: Some(state.apps.0.clone()),
    };
    serde_json::to_vec(&snapshot)
}

fn from_json(bytes: &[u8], config: &SandboxConfig) -> std::io::Result<State> {
    let snapshot: Snapshot = serde_json::from_slice(bytes).map_err(invalid)?;
    if snapshot.version != FORMAT_VERSION {
        return Err(invalid(format!("unknown version {}", snapshot.version)));
    }
    let mut state = State {
        seed: snapshot.seed,
        apps: match snapshot.applications {
            Some(apps) => super::apps::Apps(apps),
            None => super::apps::Apps::seeded(snapshot.seed),
        },
        ..State::default()
    };
    for r in snapshot.available {
        let (m, info) = info_from(
            &r.country,
            &r.msisdn,
            &r.number_type,
            &r.features,
            &r.cost,
            &r.initial_price,
        )?;
        state
            .inventory
            .entry(info.country)
            .or_default()
            .insert(m, info);
    }
    for (key, a) in snapshot.accounts {
        let owned = a
            .numbers
            .into_iter()
            .map(owned_from)
            .collect::<std::io::Result<_>>()?;
        let account = Account {
            parent: a.parent,
            credit_cents: a.credit_cents,
            owned,
            ..Account::default()
        };
        state.accounts.insert(key, account);
    }
    if !state.accounts.contains_key(&config.api_key) {
        tracing::warn!(
            api_key = %config.api_key,
            "sandbox: the state file has no numbers for this api key; starting it empty"
        );
    }
    state.ensure_accounts(config);
    Ok(state)
}

/// The state from `path` if it exists; otherwise None (the caller seeds).
pub(crate) fn load(path: &Path, config: &SandboxConfig) -> std::io::Result<Option<State>> {
    match std::fs::read(path) {
        Ok(bytes) => from_json(&bytes, config).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes `state` to `path` atomically (temporary file + rename).
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Writes the state file when the state changed since the last write.
pub(crate) struct Persister {
    path: PathBuf,
    /// Generation last written; also serialises writers so an older snapshot never
    /// replaces a newer one.
    written: Mutex<u64>,
    pub(crate) wake: tokio::sync::Notify,
}

impl Persister {
    pub(crate) fn new(path: PathBuf, written: u64) -> Persister {
        Persister {
            path,
            written: Mutex::new(written),
            wake: tokio::sync::Notify::new(),
        }
    }

    /// Writes now if needed (blocking).
    pub(crate) fn flush(&self, state: &Mutex<State>) -> std::io::Result<()> {
        let mut written = lock(&self.written);
        let (generation, snapshot) = {
            let s = lock(state);
            if s.generation == *written {
                return Ok(());
            }
            (s.generation, s.clone())
        };
        let bytes = to_json(&snapshot).map_err(std::io::Error::other)?;
        write_file(&self.path, &bytes)?;
        *written = generation;
        Ok(())
    }

    /// Writes the file unconditionally (blocking): the first write of a seeded state.
    pub(crate) fn write_initial(&self, state: &State) -> std::io::Result<()> {
        let bytes = to_json(state).map_err(std::io::Error::other)?;
        write_file(&self.path, &bytes)
    }
}

/// The writer task: wakes on every change, waits a little to coalesce, writes.
pub(crate) async fn writer(persister: Arc<Persister>, state: Arc<Mutex<State>>) {
    loop {
        persister.wake.notified().await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        let (p, s) = (persister.clone(), state.clone());
        match tokio::task::spawn_blocking(move || p.flush(&s)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(path = %persister.path.display(), error = %e, "sandbox: writing the state file failed")
            }
            Err(e) => tracing::warn!(error = %e, "sandbox: state writer task failed"),
        }
    }
}
