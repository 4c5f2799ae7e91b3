//! The flags of `switchboard sandbox`.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Seed of the generated inventory.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Numbers the main account already owns (default 250; ignored, with a warning, when
    /// --state names a file that exists).
    #[arg(long, value_name = "N")]
    pub owned: Option<usize>,
    /// Account balance in EUR (setup fees are charged from it).
    #[arg(long, default_value_t = 100.0, value_name = "EUR")]
    pub credit: f64,
    /// Requests per second per api key (token bucket); unlimited when omitted.
    #[arg(long, value_name = "RPS")]
    pub rate_limit: Option<f64>,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,
    /// Fraction of requests answered 429.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_429: f64,
    /// Send 429s without a Retry-After header.
    #[arg(long)]
    pub no_retry_after: bool,
    /// Fraction of requests answered 500.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_500: f64,
    /// Fraction of requests answered 503.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_503: f64,
    /// Fraction of requests answered with a truncated JSON body.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_malformed: f64,
    /// Fraction of requests answered HTTP 200 with an error inside the body.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_error_200: f64,
    /// Fraction of requests held before the answer (for --fault-hold-ms).
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_timeout: f64,
    /// How long a timeout fault holds a request, in milliseconds (default 30000).
    #[arg(long, value_name = "MS")]
    pub fault_hold_ms: Option<u64>,
    /// Fraction of requests answered 401 authentication failed.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_401: f64,
    /// Fraction of requests answered 420 method failed.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_420: f64,
    /// Fraction of requests answered 420 with the "needs a local address" label.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_420_address: f64,
    /// Fraction of requests answered 200 with an empty body `{}`.
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub fault_empty: f64,
    /// Inject faults only on this path (e.g. /number/buy).
    #[arg(long, value_name = "PATH")]
    pub fault_path: Option<String>,
    /// Inject at most this many faults, then none.
    #[arg(long, value_name = "N")]
    pub fault_limit: Option<u64>,
    /// Run each request first, then inject the fault in place of its answer (a change whose
    /// answer is lost).
    #[arg(long)]
    pub fault_after_change: bool,
    /// Serve listing pages past the first shifted by N numbers (as if N numbers left the
    /// account mid-listing).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub fault_page_shift: usize,
    /// Add N (may be negative) to the count of every listing.
    #[arg(
        long,
        default_value_t = 0,
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub fault_count_lie: i64,
    /// Serve HTTPS with a self-signed certificate (its PEM path is printed).
    #[arg(long)]
    pub tls: bool,
    /// Keep the sandbox's state in this file across restarts.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Do not GET loopback moHttpUrl webhooks before accepting them.
    #[arg(long)]
    pub no_webhook_check: bool,
}
