//! An HTTP server that behaves like the Vonage Numbers API (`/account/numbers`,
//! `/number/search`, `/number/buy`, `/number/cancel`, `/number/update`), for the TUI,
//! the CLI, tests, benchmarks and third-party clients. It is an independent peer of the
//! real service: it shares no code with the project's client.
//!
//! - accounts: a main account and subaccounts, each with its own key/secret and numbers
//!   (HTTP Basic, or `api_key`/`api_secret` parameters); subaccounts spend the main
//!   account's balance; `target_api_key` acts on a subaccount (buy, cancel, update);
//! - a deterministic inventory per country (`seed.rs`), owned numbers in a `BTreeMap` per
//!   account (stable, ordered pages; 100,000+ numbers);
//! - the real service's answers: `{}` for empty pages, 401, 420 `method failed` (also for
//!   bad parameters), 420 with the dashboard label for DE landlines and IT, 429;
//! - fault injection (`faults.rs`), the `moHttpUrl` pre-check (`webhook.rs`), a state file
//!   (`persist.rs`), HTTPS with a self-signed certificate (`tls.rs`).

mod apps;
mod apps_request;
mod faults;
mod model;
mod persist;
mod query;
mod routes;
mod seed;
mod state;
mod tls;
mod webhook;

#[cfg(test)]
mod tests_http;
#[cfg(test)]
mod tests_parse;
#[cfg(test)]
mod tests_props;
#[cfg(test)]
mod tests_serve;
#[cfg(test)]
mod tests_state;

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::Faults;

use faults::{Runtime, lock};
use persist::Persister;
use state::State;

/// How the sandbox runs. `Default` gives a test-friendly configuration.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub bind: IpAddr,
    /// 0 = a random free port.
    pub port: u16,
    pub seed: u64,
    /// Numbers already owned by the main account.
    pub owned: usize,
    pub api_key: String,
    pub api_secret: String,
    /// (key, secret) of the main account's subaccounts.
    pub subaccounts: Vec<(String, String)>,
    /// Main account balance; buy deducts the setup fee (`initialPrice`).
    pub credit_eur: f64,
    /// Requests per second per api key (token bucket, burst `max(1, rate)`).
    pub rate_limit: Option<f64>,
    /// Added to every request.
    pub latency: Duration,
    pub faults: Faults,
    /// GET loopback `moHttpUrl`s before saving them.
    pub webhook_check: bool,
    pub state_file: Option<PathBuf>,
    /// Serve HTTPS with a self-signed certificate.
    pub tls: bool,
    /// Where `cert.pem` goes (default: `temp_dir()/switchboard-sandbox-<port>`).
    pub cert_dir: Option<PathBuf>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            seed: 1,
            owned: 0,
            api_key: "sandbox".to_string(),
            api_secret: "sandbox-secret".to_string(),
            subaccounts: vec![(
                "sandbox-sub1".to_string(),
                "sandbox-sub1-secret".to_string(),
            )],
            credit_eur: 100.0,
            rate_limit: None,
            latency: Duration::ZERO,
            faults: Faults::default(),
            webhook_check: true,
            state_file: None,
            tls: false,
            cert_dir: None,
        }
    }
}

/// Request counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Every HTTP request received, rejected ones included.
    pub requests: u64,
    /// Per known path; anything else counts under `"(other)"`.
    pub by_path: BTreeMap<String, u64>,
    /// 429s sent (rate limit and injected).
    pub throttled: u64,
}

/// The full stored state of an owned number, fields the list response hides included.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NumberRecord {
    pub country: String,
    pub msisdn: String,
    pub number_type: String,
    pub features: Vec<String>,
    pub cost: String,
    pub initial_price: String,
    pub app_id: Option<String>,
    pub mo_http_url: Option<String>,
    pub mo_smpp_sys_type: Option<String>,
    pub voice_callback_type: Option<String>,
    pub voice_callback_value: Option<String>,
    pub voice_status_callback: Option<String>,
    pub messages_callback_type: Option<String>,
    pub messages_callback_value: Option<String>,
}

/// What the request handlers share.
pub(crate) struct Shared {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) runtime: Runtime,
    stats: Mutex<Stats>,
    /// Requests received and not answered yet.
    pub(crate) handling: std::sync::atomic::AtomicUsize,
    /// api key -> secret, main account and subaccounts.
    pub(crate) credentials: HashMap<String, String>,
    pub(crate) webhook_check: bool,
    persister: Option<Arc<Persister>>,
}

impl Shared {
    pub(crate) fn record(&self, path: &str) {
        let mut stats = lock(&self.stats);
        stats.requests += 1;
        *stats.by_path.entry(path.to_string()).or_default() += 1;
    }

    /// The state changed: wake the state file writer.
    pub(crate) fn changed(&self) {
        if let Some(p) = &self.persister {
            p.wake.notify_one();
        }
    }
}

/// A running sandbox. Dropping it, or [`Sandbox::shutdown`], stops the server.
pub struct Sandbox {
    config: SandboxConfig,
    addr: SocketAddr,
    cert_path: Option<PathBuf>,
    /// The certificate directory the sandbox made in the temp dir itself: removed when it
    /// stops (a `cert_dir` the caller chose is left alone).
    made_cert_dir: Option<PathBuf>,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    writer: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds, seeds (or loads `state_file`), and spawns the server task.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let loaded = match &config.state_file {
            Some(path) => persist::load(path, &config)?,
            None => None,
        };
        let from_file = loaded.is_some();
        let state = loaded.unwrap_or_else(|| State::seeded(&config));
        let persister = match &config.state_file {
            Some(path) => {
                let p = Persister::new(path.clone(), state.generation);
                if !from_file {
                    p.write_initial(&state)?;
                }
                Some(Arc::new(p))
            }
            None => None,
        };

        let mut credentials = HashMap::new();
        for (key, secret) in &config.subaccounts {
            credentials.insert(key.clone(), secret.clone());
        }
        credentials.insert(config.api_key.clone(), config.api_secret.clone());

        let state = Arc::new(Mutex::new(state));
        let shared = Arc::new(Shared {
            state: state.clone(),
            runtime: Runtime::new(
                config.faults.clone(),
                config.latency,
                config.rate_limit,
                config.seed,
            ),
            stats: Mutex::new(Stats::default()),
            handling: Default::default(),
            credentials,
            webhook_check: config.webhook_check,
            persister: persister.clone(),
        });
        let writer = persister.map(|p| tokio::spawn(persist::writer(p, state)));

        let tcp = tokio::net::TcpListener::bind(SocketAddr::new(config.bind, config.port)).await?;
        let addr = tcp.local_addr()?;
        let app = routes::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let signal = async move {
            let _ = stopped.await;
        };
        let mut cert_path = None;
        let mut made_cert_dir = None;
        let server = if config.tls {
            let (pem, server_config) = tls::self_signed()?;
            let dir = match &config.cert_dir {
                Some(dir) => dir.clone(),
                None => {
                    let dir =
                        std::env::temp_dir().join(format!("switchboard-sandbox-{}", addr.port()));
                    made_cert_dir = Some(dir.clone());
                    dir
                }
            };
            cert_path = Some(tls::write_cert(&dir, &pem)?);
            let listener = tls::TlsListener::new(tcp, server_config)?;
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(signal)
                    .await
                {
                    tracing::error!(error = %e, "sandbox server stopped");
                }
            })
        } else {
            tokio::spawn(async move {
                if let Err(e) = axum::serve(tcp, app).with_graceful_shutdown(signal).await {
                    tracing::error!(error = %e, "sandbox server stopped");
                }
            })
        };
        let sandbox = Sandbox {
            config,
            addr,
            cert_path,
            made_cert_dir,
            shared,
            stop: Some(stop),
            server: Some(server),
            writer,
        };
        tracing::info!(
            url = %sandbox.base_url(),
            api_key = %sandbox.config.api_key,
            owned = sandbox.owned_count(&sandbox.config.api_key),
            from_state_file = from_file,
            "sandbox started"
        );
        Ok(sandbox)
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS.
    pub fn base_url(&self) -> String {
        if self.config.tls {
            return format!("https://localhost:{}", self.addr.port());
        }
        let ip = if self.addr.ip().is_unspecified() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            self.addr.ip()
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The PEM certificate written when serving HTTPS.
    pub fn cert_pem_path(&self) -> Option<&Path> {
        self.cert_path.as_deref()
    }

    pub fn config(&self) -> &SandboxConfig {
        &self.config
    }

    pub fn set_faults(&self, faults: Faults) {
        self.shared.runtime.set_faults(faults);
    }

    pub fn set_rate_limit(&self, rps: Option<f64>) {
        self.shared.runtime.set_rate_limit(rps);
    }

    pub fn set_latency(&self, latency: Duration) {
        self.shared.runtime.set_latency(latency);
    }

    pub fn stats(&self) -> Stats {
        let mut stats = lock(&self.shared.stats).clone();
        stats.throttled = self.shared.runtime.throttled();
        stats
    }

    /// Requests received and not answered yet (a test's count of what is in flight).
    pub fn in_flight(&self) -> usize {
        self.shared
            .handling
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn owned_number(&self, api_key: &str, msisdn: &str) -> Option<NumberRecord> {
        lock(&self.shared.state).owned_record(api_key, msisdn)
    }

    pub fn owned_count(&self, api_key: &str) -> usize {
        lock(&self.shared.state).owned_count(api_key)
    }

    pub fn is_available(&self, country: &str, msisdn: &str) -> bool {
        lock(&self.shared.state).is_available(country, msisdn)
    }

    /// Balance in EUR (a subaccount shows its main account's balance; unknown key: 0).
    pub fn credit(&self, api_key: &str) -> f64 {
        lock(&self.shared.state).credit_cents(api_key) as f64 / 100.0
    }

    /// An application as the sandbox holds it (the JSON `GET /v2/applications/{id}` shows).
    pub fn application(&self, id: &str) -> Option<serde_json::Value> {
        lock(&self.shared.state).apps.get(id).cloned()
    }

    /// The ids of every application, in order.
    pub fn application_ids(&self) -> Vec<String> {
        lock(&self.shared.state).apps.0.keys().cloned().collect()
    }

    /// Stops accepting, lets requests in flight finish (at most 5 s), writes the state file.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut server) = self.server.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut server)
                .await
                .is_err()
        {
            server.abort();
        }
        if let Some(writer) = self.writer.take() {
            writer.abort();
        }
        self.flush_state().await;
        tracing::info!(url = %self.base_url(), "sandbox stopped");
    }

    async fn flush_state(&self) {
        if let Some(p) = self.shared.persister.clone() {
            let state = self.shared.state.clone();
            match tokio::task::spawn_blocking(move || p.flush(&state)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "sandbox: writing the state file failed"),
                Err(e) => tracing::warn!(error = %e, "sandbox: state writer failed"),
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(writer) = self.writer.take() {
            writer.abort();
        }
        // Not shut down with `shutdown()`: write what is left, synchronously.
        if let Some(p) = &self.shared.persister
            && let Err(e) = p.flush(&self.shared.state)
        {
            tracing::warn!(error = %e, "sandbox: writing the state file failed");
        }
        if let Some(dir) = self.made_cert_dir.take()
            && let Err(e) = std::fs::remove_dir_all(&dir)
        {
            tracing::warn!(error = %e, dir = %dir.display(), "sandbox: removing the certificate");
        }
    }
}
