//! The fault matrix's table: the five operations, the twelve faults, and what each cell must
//! end in (success after safe retries, or a failure with its exit code, the words of its
//! message, and the number of requests the operation's path may see). Shared by the client
//! and CLI surfaces (`fault_matrix.rs`) and the TUI surface (`fault_matrix_tui.rs`).

use switchboard::sandbox::{Faults, NumberRecord, Sandbox, Stats};

use super::MAIN_KEY;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    List,
    Search,
    Buy,
    Cancel,
    Update,
}

pub const OPS: [Op; 5] = [Op::List, Op::Search, Op::Buy, Op::Cancel, Op::Update];

impl Op {
    pub fn path(self) -> &'static str {
        match self {
            Op::List => "/account/numbers",
            Op::Search => "/number/search",
            Op::Buy => "/number/buy",
            Op::Cancel => "/number/cancel",
            Op::Update => "/number/update",
        }
    }

    /// The words every message about this operation contains.
    pub fn words(self) -> &'static str {
        match self {
            Op::List => "list owned numbers",
            Op::Search => "search available numbers",
            Op::Buy => "buy",
            Op::Cancel => "cancel",
            Op::Update => "update",
        }
    }

    /// Buy and cancel are never repeated after an answer that may hide a success.
    pub fn spends(self) -> bool {
        matches!(self, Op::Buy | Op::Cancel)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    Unauthorized,
    MethodFailed,
    AddressRequired,
    Throttled,
    ThrottledNoRetryAfter,
    Server500,
    Unavailable503,
    Timeout,
    Refused,
    Malformed,
    ErrorIn200,
    Empty,
}

pub const FAULTS: [Fault; 12] = [
    Fault::Unauthorized,
    Fault::MethodFailed,
    Fault::AddressRequired,
    Fault::Throttled,
    Fault::ThrottledNoRetryAfter,
    Fault::Server500,
    Fault::Unavailable503,
    Fault::Timeout,
    Fault::Refused,
    Fault::Malformed,
    Fault::ErrorIn200,
    Fault::Empty,
];

/// Every cell of the matrix.
pub fn cells() -> Vec<(Op, Fault)> {
    OPS.iter()
        .flat_map(|op| FAULTS.iter().map(move |f| (*op, *f)))
        .collect()
}

/// The sandbox faults for a cell: on the operation's path only (so the reads around it, and
/// the owned-list re-check after a lost buy, are answered); transient faults (429, timeout)
/// only once. `None` for a refused connection (no server at all).
pub fn faults(op: Op, fault: Fault) -> Option<Faults> {
    let mut f = Faults {
        path: Some(op.path().to_string()),
        ..Faults::default()
    };
    match fault {
        Fault::Unauthorized => f.rate_401 = 1.0,
        Fault::MethodFailed => f.rate_420 = 1.0,
        Fault::AddressRequired => f.rate_420_address = 1.0,
        Fault::Throttled => {
            f.rate_429 = 1.0;
            f.limit = Some(1);
        }
        Fault::ThrottledNoRetryAfter => {
            f.rate_429 = 1.0;
            f.rate_429_no_retry_after = true;
            f.limit = Some(1);
        }
        Fault::Server500 => f.rate_500 = 1.0,
        Fault::Unavailable503 => f.rate_503 = 1.0,
        Fault::Timeout => {
            f.rate_timeout = 1.0;
            f.limit = Some(1);
            // Held past the cells' client timeout, then carried out all the same.
            f.hold = Some(HOLD);
        }
        Fault::Refused => return None,
        Fault::Malformed => f.rate_malformed = 1.0,
        Fault::ErrorIn200 => f.rate_error_in_200 = 1.0,
        Fault::Empty => f.rate_empty = 1.0,
    }
    Some(f)
}

/// The client's timeout in every cell (`--timeout` for the CLI): long enough that a request
/// nobody holds is answered in time on a loaded machine (a debug build, with builds running
/// beside it), short enough to keep the timeout cells quick.
pub const TIMEOUT_SECS: u64 = 3;

/// The words of a timeout's message with [`TIMEOUT_SECS`].
pub const NO_ANSWER: &str = "no answer within 3s";

/// How long a timeout fault holds a request before the sandbox carries it out: past the
/// client's timeout and its one retry's.
pub const HOLD: std::time::Duration = std::time::Duration::from_secs(2 * TIMEOUT_SECS);

/// How many requests the operation's path may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tries {
    /// Sent once: never repeated.
    Once,
    /// Sent twice: the one retry a transient fault that cleared needs.
    Twice,
    /// Sent 1 + max_retries times: every retry an idempotent read or update may make.
    All,
    /// Nothing reached the server.
    None,
}

impl Tries {
    pub fn count(self, max_retries: u32) -> u64 {
        match self {
            Tries::Once => 1,
            Tries::Twice => 2,
            Tries::All => 1 + u64::from(max_retries),
            Tries::None => 0,
        }
    }
}

/// What a cell must end in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Succeeded (after safe retries); `empty`: the server's `{}` (an empty page).
    Done { tries: Tries, empty: bool },
    /// Failed: the CLI exits `code`, the message holds the operation's words and every one of
    /// `words`, and the state did not change.
    Failed {
        code: i32,
        words: &'static [&'static str],
        tries: Tries,
    },
    /// No answer, and not seen done just after: reported as an unknown outcome (exit `code`,
    /// the message holds `words`), never as not done, for the server carries the request out
    /// later (the sandbox, after `HOLD`): the state ends up changed.
    Unknown {
        code: i32,
        words: &'static [&'static str],
        tries: Tries,
    },
}

/// A failure as the surfaces check it: the exit code, the words of the message, the requests
/// on the operation's path, and whether the change is carried out later (else: never).
#[derive(Clone, Copy, Debug)]
pub struct Failure {
    pub code: i32,
    pub words: &'static [&'static str],
    pub tries: Tries,
    pub later: bool,
}

impl Expect {
    /// The failure to check; None for a success.
    pub fn failure(self) -> Option<Failure> {
        match self {
            Expect::Done { .. } => None,
            Expect::Failed { code, words, tries } => Some(Failure {
                code,
                words,
                tries,
                later: false,
            }),
            Expect::Unknown { code, words, tries } => Some(Failure {
                code,
                words,
                tries,
                later: true,
            }),
        }
    }
}

impl Failure {
    /// Checks the sandbox after the failure: nothing changed, or (a request that got no
    /// answer) the change carried out later, as the server got round to it.
    pub async fn check_state(&self, s: &Subject, sb: &Sandbox, op: Op, cell: &str) {
        if self.later {
            s.wait_done(sb, op, cell).await;
        } else {
            s.check_state(sb, op, false, cell);
        }
    }
}

pub fn expect(op: Op, fault: Fault) -> Expect {
    use Expect::*;
    let failed = |code, words, tries| Failed { code, words, tries };
    match fault {
        Fault::Unauthorized => failed(
            3,
            &["authentication failed", "API key and secret"],
            Tries::Once,
        ),
        Fault::MethodFailed | Fault::ErrorIn200 => {
            failed(4, &["method failed", "likely:"], Tries::Once)
        }
        Fault::AddressRequired => failed(4, &["local address", "dashboard"], Tries::Once),
        Fault::Throttled | Fault::ThrottledNoRetryAfter => Done {
            tries: Tries::Twice,
            empty: false,
        },
        Fault::Server500 if op.spends() => failed(
            6,
            &["did not happen", "HTTP 500", "owned list was checked"],
            Tries::Once,
        ),
        Fault::Server500 => failed(6, &["server error HTTP 500"], Tries::All),
        // A 503 may follow a change carried out: re-checked like a 500.
        Fault::Unavailable503 if op.spends() => failed(
            6,
            &["did not happen", "HTTP 503", "owned list was checked"],
            Tries::Once,
        ),
        Fault::Unavailable503 => failed(6, &["server error HTTP 503"], Tries::All),
        Fault::Timeout if op.spends() => Unknown {
            code: 7,
            words: &[
                "outcome unknown",
                NO_ANSWER,
                "may still carry the request out",
            ],
            tries: Tries::Once,
        },
        Fault::Timeout => Done {
            tries: Tries::Twice,
            empty: false,
        },
        Fault::Refused => failed(6, &["could not connect"], Tries::None),
        Fault::Malformed if op.spends() => failed(
            6,
            &[
                "did not happen",
                "could not be decoded",
                "owned list was checked",
            ],
            Tries::Once,
        ),
        Fault::Malformed => failed(6, &["could not be decoded"], Tries::Once),
        Fault::Empty => match op {
            Op::List | Op::Search => Done {
                tries: Tries::Once,
                empty: true,
            },
            Op::Buy | Op::Cancel => failed(
                6,
                &["did not happen", "not confirmed", "owned list was checked"],
                Tries::Once,
            ),
            Op::Update => failed(6, &["not confirmed"], Tries::Once),
        },
    }
}

/// The SMS webhook a cell's update sets.
pub const NEW_SMS_URL: &str = "https://matrix.example.com/inbound";

/// The numbers a cell acts on, and the sandbox's state before it.
#[derive(Clone, Debug)]
pub struct Subject {
    /// A GB number available to buy.
    pub available: String,
    /// An owned number: (country, msisdn), and its record before the cell.
    pub owned: (String, String),
    pub owned_before: NumberRecord,
    pub owned_count: usize,
    pub credit: f64,
    /// The sandbox's requests per path before the cell.
    pub stats_before: Stats,
}

impl Subject {
    pub fn of(sb: &Sandbox, available: String, owned: (String, String)) -> Subject {
        let owned_before = sb
            .owned_number(MAIN_KEY, &owned.1)
            .expect("the owned number is owned");
        Subject {
            available,
            owned_before,
            owned_count: sb.owned_count(MAIN_KEY),
            credit: sb.credit(MAIN_KEY),
            stats_before: sb.stats(),
            owned,
        }
    }

    /// Requests the sandbox received on `path` since the subject was taken.
    pub fn sent(&self, sb: &Sandbox, path: &str) -> u64 {
        let before = self.stats_before.by_path.get(path).copied().unwrap_or(0);
        super::hits(sb, path) - before
    }

    /// Waits (at most 10 s) until the change of `op` has been carried out, then checks it.
    pub async fn wait_done(&self, sb: &Sandbox, op: Op, cell: &str) {
        let m = if op == Op::Buy {
            &self.available
        } else {
            &self.owned.1
        };
        let what = format!("{cell}: the change carried out");
        super::wait::until_async(&what, 10, || {
            let owned = sb.owned_number(MAIN_KEY, m).is_some();
            match op {
                Op::Buy => owned,
                Op::Cancel => !owned,
                _ => true,
            }
        })
        .await;
        self.check_state(sb, op, true, &format!("{cell}, carried out later"));
    }

    /// Checks the sandbox's state after a cell of `op` that ended as `done` says.
    pub fn check_state(&self, sb: &Sandbox, op: Op, done: bool, cell: &str) {
        let owned_now = sb.owned_number(MAIN_KEY, &self.owned.1);
        let bought = sb.owned_number(MAIN_KEY, &self.available);
        match (op, done) {
            (Op::Buy, true) => {
                assert!(bought.is_some(), "{cell}: bought, so owned");
                assert!(!sb.is_available("GB", &self.available), "{cell}");
                assert_eq!(
                    sb.owned_count(MAIN_KEY),
                    self.owned_count + 1,
                    "{cell}: once"
                );
            }
            (Op::Cancel, true) => {
                assert!(owned_now.is_none(), "{cell}: cancelled, so not owned");
                assert_eq!(sb.owned_count(MAIN_KEY), self.owned_count - 1, "{cell}");
            }
            (Op::Update, true) => {
                let now = owned_now.unwrap_or_else(|| panic!("{cell}: still owned"));
                assert_eq!(now.mo_http_url.as_deref(), Some(NEW_SMS_URL), "{cell}");
                assert_eq!(now.app_id, self.owned_before.app_id, "{cell}: app kept");
                assert_eq!(
                    now.voice_callback_value, self.owned_before.voice_callback_value,
                    "{cell}: voice kept"
                );
            }
            _ => {
                // Failed, or a read: nothing changed.
                assert!(bought.is_none(), "{cell}: nothing bought");
                assert!(sb.is_available("GB", &self.available), "{cell}");
                assert_eq!(
                    owned_now.as_ref(),
                    Some(&self.owned_before),
                    "{cell}: the owned number is untouched"
                );
                assert_eq!(sb.owned_count(MAIN_KEY), self.owned_count, "{cell}");
                assert_eq!(sb.credit(MAIN_KEY), self.credit, "{cell}: no money spent");
            }
        }
    }
}

/// Checks a failure message: the operation's words, every expected word, no secret.
pub fn check_message(cell: &str, op: Op, words: &[&str], message: &str, secret: &str) {
    assert!(
        message.contains(op.words()),
        "{cell}: the message names the operation ({:?}): {message}",
        op.words()
    );
    for w in words {
        assert!(
            message.contains(w),
            "{cell}: the message says {w:?}: {message}"
        );
    }
    assert!(
        !message.contains(secret),
        "{cell}: the secret leaked: {message}"
    );
}

/// The faults that can hide a change that happened: the sandbox runs the request, then loses
/// its answer (`after_change`), once.
pub const LOST: [Fault; 4] = [
    Fault::Timeout,
    Fault::Server500,
    Fault::Malformed,
    Fault::Empty,
];

/// The changes whose lost answers are settled.
pub const CHANGES: [Op; 3] = [Op::Buy, Op::Cancel, Op::Update];

/// Every lost-answer cell.
pub fn lost_cells() -> Vec<(Op, Fault)> {
    CHANGES
        .iter()
        .flat_map(|op| LOST.iter().map(move |f| (*op, *f)))
        .collect()
}

/// The sandbox faults of a lost-answer cell.
pub fn lost_faults(op: Op, fault: Fault) -> Faults {
    Faults {
        after_change: true,
        limit: Some(1),
        ..faults(op, fault).expect("a fault the sandbox injects")
    }
}

/// A lost answer of a change that happened: the change is reported done, with the words that
/// say how it was established; the operation's path saw `tries` requests (an update is retried
/// after a timeout or a 500, and the retry is answered; buy and cancel never are).
pub fn lost_expect(op: Op, fault: Fault) -> (&'static [&'static str], Tries) {
    match (op, fault) {
        (Op::Update, Fault::Timeout | Fault::Server500) => (&[], Tries::Twice),
        (Op::Update, _) => (&["answer was lost", "change was made"], Tries::Once),
        (_, Fault::Timeout) => (&[NO_ANSWER], Tries::Once),
        (_, Fault::Server500) => (&["HTTP 500"], Tries::Once),
        (_, Fault::Malformed) => (&["could not be decoded"], Tries::Once),
        _ => (&["not confirmed"], Tries::Once),
    }
}

/// Runs `run(op, fault, seed)` for each cell as its own task, at most `parallel` at a time
/// (seeds from `first_seed`), then panics listing every cell that failed, with its message.
pub async fn run_cells<F, Fut>(cells: Vec<(Op, Fault)>, parallel: usize, first_seed: u64, run: F)
where
    F: Fn(Op, Fault, u64) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(parallel));
    let mut tasks = Vec::new();
    for (i, (op, fault)) in cells.into_iter().enumerate() {
        let gate = gate.clone();
        let fut = run(op, fault, first_seed + i as u64);
        tasks.push((
            format!("{op:?} × {fault:?}"),
            tokio::spawn(async move {
                let _permit = gate.acquire().await.expect("semaphore");
                fut.await
            }),
        ));
    }
    super::join_named(tasks, "cells").await;
}
