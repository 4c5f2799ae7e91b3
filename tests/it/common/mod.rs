//! Helpers shared by the integration tests: a sandbox on loopback, a client for it, the sandbox's
//! state as the oracle, and the real binary run against a sandbox in a hermetic environment
//! (temporary HOME, nonexistent config file, no inherited environment, stdin null).
//!
//! Each test file uses a part of this module.
#![allow(dead_code)]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use switchboard::api::{Client, ClientConfig, Credentials, OwnedFilter, OwnedNumber};
use switchboard::sandbox::{Faults, NumberRecord, Sandbox, SandboxConfig, Stats};

pub mod hostile;
pub mod matrix;
pub mod pty;
pub mod tui;
pub mod wait;

/// The sandbox's default main account and its subaccount.
pub const MAIN_KEY: &str = "sandbox";
pub const SUB_KEY: &str = "sandbox-sub1";

/// Starts a sandbox with `config` on 127.0.0.1 (random port).
pub async fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("the sandbox starts")
}

/// A sandbox whose main account owns `owned` numbers, generated from `seed`.
pub async fn sandbox(owned: usize, seed: u64) -> Sandbox {
    start(SandboxConfig {
        owned,
        seed,
        ..SandboxConfig::default()
    })
    .await
}

/// The credentials of the sandbox's main account.
pub fn credentials(sb: &Sandbox) -> Credentials {
    let c = sb.config();
    Credentials::new(c.api_key.clone(), c.api_secret.clone())
}

/// A client of the sandbox's main account with `config` (its base URL is replaced).
pub fn client_with(sb: &Sandbox, config: ClientConfig) -> Client {
    Client::new(
        credentials(sb),
        ClientConfig {
            base_url: sb.base_url(),
            ..config
        },
    )
    .expect("client")
}

/// A client with short timeouts and few retries, so tests with faults stay fast.
pub fn fast_config() -> ClientConfig {
    ClientConfig {
        timeout: Duration::from_secs(2),
        max_retries: 2,
        ..ClientConfig::default()
    }
}

/// A client of the sandbox's main account (2 s timeout, 2 retries).
pub fn client(sb: &Sandbox) -> Client {
    client_with(sb, fast_config())
}

/// Every number the main account owns, through the client.
pub async fn all_owned(client: &Client) -> Vec<OwnedNumber> {
    client
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .expect("list_all")
}

/// The sandbox's stored record of every number in `numbers` (all must be owned by `key`).
pub fn records(sb: &Sandbox, key: &str, numbers: &[OwnedNumber]) -> Vec<NumberRecord> {
    numbers
        .iter()
        .map(|n| {
            let m = n
                .msisdn
                .as_deref()
                .expect("every listed number has an msisdn");
            sb.owned_number(key, m).unwrap_or_else(|| {
                panic!("{m} is listed but the sandbox says {key} does not own it")
            })
        })
        .collect()
}

/// A GB number available to buy, and an owned number (country, msisdn).
pub async fn available_and_owned(sb: &Sandbox) -> (String, (String, String)) {
    let c = client(sb);
    let page = c
        .search(&switchboard::api::SearchQuery::new("GB"))
        .await
        .expect("search");
    let available = page.numbers[0].msisdn.clone().expect("msisdn");
    let owned = c
        .list_owned(&switchboard::api::OwnedQuery::default())
        .await
        .expect("list");
    let n = &owned.numbers[0];
    let country = n.country.clone().map(String::from).expect("country");
    (available, (country, n.msisdn.clone().expect("msisdn")))
}

/// The requests the sandbox received on `path`.
pub fn hits(sb: &Sandbox, path: &str) -> u64 {
    sb.stats().by_path.get(path).copied().unwrap_or(0)
}

/// Runs `fut` while watching the sandbox; as soon as `when` holds for its stats, every fault
/// is switched off. So "the first requests fail, the next ones succeed", whatever the timing.
pub async fn clearing_faults_when<T>(
    sb: &Sandbox,
    when: impl Fn(&Stats) -> bool,
    fut: impl Future<Output = T>,
) -> T {
    let watch = async {
        while !when(&sb.stats()) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        sb.set_faults(Faults::default());
    };
    tokio::pin!(fut);
    tokio::select! {
        out = &mut fut => out,
        () = watch => fut.await,
    }
}

/// "1.25" as 125 cents.
pub fn cents(eur: &str) -> i64 {
    let (whole, frac) = eur.split_once('.').unwrap_or((eur, "0"));
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().expect("whole EUR") * 100 + frac[..2].parse::<i64>().expect("cents")
}

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "switchboard-test-{tag}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("create a temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_switchboard")
}

/// How the binary gets the sandbox's credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `--api-key` / `--api-secret`.
    Flags,
    /// `VONAGE_API_KEY` / `VONAGE_API_SECRET`.
    Env,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }

    /// Asserts the exit code, showing the whole run when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "unexpected exit code; run: {self:#?}");
        self
    }
}

/// One invocation of the binary. The environment is cleared; HOME (and the XDG dirs, where the
/// log file goes) point into a fresh temporary directory, which is also the working directory
/// (no `.vonagerc` there); SWITCHBOARD_CONFIG names a file that does not exist; stdin is null.
pub struct Cli {
    home: TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl Cli {
    pub fn new() -> Cli {
        let home = TempDir::new("home");
        let config = home.path().join("no-such-dir").join("config.toml");
        let mut cli = Cli {
            args: Vec::new(),
            env: Vec::new(),
            home,
        };
        let h = cli.home.path().to_path_buf();
        cli = cli
            .env("HOME", h.to_str().expect("utf-8 temp path"))
            .env("SWITCHBOARD_CONFIG", config.to_str().expect("utf-8 path"));
        for (var, sub) in [
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_STATE_HOME", ".local/state"),
            ("XDG_DATA_HOME", ".local/share"),
        ] {
            let dir = h.join(sub);
            cli = cli.env(var, dir.to_str().expect("utf-8 path"));
        }
        cli
    }

    /// Pointed at `sb` (`--base-url`), with its main account's credentials given by `auth`.
    pub fn against(sb: &Sandbox, auth: Auth) -> Cli {
        let c = sb.config();
        let cli = Cli::new().args(["--base-url", &sb.base_url()]);
        match auth {
            Auth::Flags => cli.args(["--api-key", &c.api_key, "--api-secret", &c.api_secret]),
            Auth::Env => cli
                .env("VONAGE_API_KEY", &c.api_key)
                .env("VONAGE_API_SECRET", &c.api_secret),
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Cli
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Cli {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The temporary HOME (also the working directory).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The log file the binary writes under the temporary HOME.
    pub fn log_file(&self) -> PathBuf {
        self.home
            .path()
            .join(".local/state/switchboard/switchboard.log")
    }

    /// The command, ready to spawn: hermetic environment, stdin null, stdout and stderr piped,
    /// killed if dropped.
    pub fn command(&self) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(bin());
        cmd.args(&self.args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(self.home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }

    /// The same command for the standard library (the pseudo-terminal sets its stdio).
    pub fn std_command(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(bin());
        cmd.args(&self.args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(self.home.path());
        cmd
    }

    /// Runs the binary to completion (at most 60 s, a guard against a hung test, not a
    /// timing assertion). The sandbox keeps serving: the child is awaited asynchronously.
    pub async fn run(&self) -> Run {
        let mut cmd = self.command();
        let output = tokio::time::timeout(Duration::from_secs(60), cmd.output())
            .await
            .unwrap_or_else(|_| panic!("switchboard {:?} did not finish in 60 s", self.args))
            .expect("run the binary");
        Run {
            code: output
                .status
                .code()
                .expect("exited, not killed by a signal"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Default for Cli {
    fn default() -> Self {
        Cli::new()
    }
}

/// Runs `switchboard ARGS` against `sb` with its credentials given by `auth`.
pub async fn run_against(sb: &Sandbox, auth: Auth, args: &[&str]) -> Run {
    Cli::against(sb, auth).args(args).run().await
}

/// A webhook on 127.0.0.1 that answers every request with `status`; counts the requests.
pub async fn webhook(status: u16) -> (String, std::sync::Arc<AtomicU64>) {
    let status: &'static str = Box::leak(format!("{status} X").into_boxed_str());
    let (base, count) = raw_server(status, String::new(), "").await;
    (format!("{base}/hooks/inbound-sms"), count)
}

/// A loopback URL where nothing listens: connections are refused. Its port stays bound (never
/// listened on) for the whole test process, so no other server, of this process or another,
/// can take it meanwhile (a port bound then released was once reused by a sandbox of a bench
/// running beside the tests: "refused" got an answer).
pub fn closed_port_url() -> String {
    static HELD: std::sync::OnceLock<tokio::net::TcpSocket> = std::sync::OnceLock::new();
    let held = HELD.get_or_init(|| {
        let s = tokio::net::TcpSocket::new_v4().expect("socket");
        s.bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
            .expect("bind");
        s
    });
    format!(
        "http://127.0.0.1:{}",
        held.local_addr().expect("addr").port()
    )
}

/// A loopback port free a moment ago (bound, then released), for a server a test starts.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// A server on 127.0.0.1 that answers every request with HTTP 200 and `body` (JSON): a
/// misbehaving API the sandbox will not imitate. Returns its base URL.
pub async fn fixed_server(body: &'static str) -> String {
    raw_server("200 OK", String::new(), body).await.0
}

/// A server on 127.0.0.1 answering every request with `status` (e.g. "302 Found"), the extra
/// `headers` (each ending in CRLF) and `body`. Returns its base URL and a count of requests.
pub async fn raw_server(
    status: &'static str,
    headers: String,
    body: &'static str,
) -> (String, std::sync::Arc<AtomicU64>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let count = std::sync::Arc::new(AtomicU64::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (seen, headers) = (seen.clone(), headers.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                // One answer per request read (requests here are small and not pipelined).
                while let Ok(n) = socket.read(&mut buf).await {
                    if n == 0 {
                        return;
                    }
                    seen.fetch_add(1, Ordering::Relaxed);
                    let answer = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://127.0.0.1:{port}"), count)
}

/// Awaits every named task, then panics listing each one that failed, with its panic message
/// (so one run reports every failing case, not only the first).
pub async fn join_named(tasks: Vec<(String, tokio::task::JoinHandle<()>)>, what: &str) {
    let total = tasks.len();
    let mut failed = Vec::new();
    for (name, task) in tasks {
        if let Err(e) = task.await {
            let why = e
                .try_into_panic()
                .ok()
                .and_then(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                })
                .unwrap_or_default();
            failed.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {total} {what} failed:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}
