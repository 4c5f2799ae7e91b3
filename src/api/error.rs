//! Typed errors of the Numbers API client. No variant ever holds the API secret.

use std::fmt;
use std::time::Duration;

/// The operation a request belongs to, named in every error message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    List,
    Search,
    Buy,
    Cancel,
    Update,
    /// The Applications API (`api.nexmo.com`): every application, one, a replace.
    ListApplications,
    GetApplication,
    UpdateApplication,
    Balance,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::List => "list owned numbers",
            Operation::Search => "search available numbers",
            Operation::Buy => "buy",
            Operation::Cancel => "cancel",
            Operation::Update => "update",
            Operation::ListApplications => "list applications",
            Operation::GetApplication => "get application",
            Operation::UpdateApplication => "update application",
            Operation::Balance => "get balance",
        }
    }

    /// The likely causes of a 420 "method failed" for this operation.
    pub fn method_failed_hint(self) -> &'static str {
        match self {
            Operation::List => "a filter value may be invalid (country, application id, pattern)",
            Operation::Search => {
                "the country may not be supported, or a parameter (type, features, pattern) is invalid"
            }
            Operation::Buy => {
                "the number may be taken or already yours, the country may not match the number, or the account may lack credit"
            }
            Operation::Cancel => {
                "the number may not be owned by this account (or the target subaccount), or the country does not match"
            }
            Operation::Update => {
                "the number may not be yours or the country may not match; if an SMS webhook URL was set, Vonage sends it a GET and it must answer 200 OK"
            }
            Operation::ListApplications
            | Operation::GetApplication
            | Operation::UpdateApplication
            | Operation::Balance => "the request was refused",
        }
    }

    /// Buy and cancel spend money or lose a number: they are never retried blindly.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Operation::Buy | Operation::Cancel)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Bad input caught before anything was sent.
    #[error("invalid {field}: {message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },

    #[error(
        "{op} failed: the server refused the credentials ({label}); check the API key and secret"
    )]
    Authentication { op: Operation, label: String },

    #[error("{op} failed: {label} (likely: {hint})")]
    MethodFailed {
        op: Operation,
        label: String,
        hint: &'static str,
    },

    #[error(
        "{op} failed: {label} (this country needs a local address, registered on the Vonage dashboard)"
    )]
    AddressRequired { op: Operation, label: String },

    #[error("{op} failed: rate limited by the server{}", retry_hint(*retry_after))]
    RateLimited {
        op: Operation,
        retry_after: Option<Duration>,
    },

    #[error("{op} failed: server error HTTP {status}: {excerpt}")]
    Server {
        op: Operation,
        status: u16,
        excerpt: String,
    },

    #[error("{op} failed: unexpected HTTP {status}: {excerpt}")]
    UnexpectedStatus {
        op: Operation,
        status: u16,
        excerpt: String,
    },

    #[error("{op} failed: no answer within {}s", timeout.as_secs())]
    Timeout { op: Operation, timeout: Duration },

    /// The connection could not be made: the request never left.
    #[error("{op} failed: could not connect to the API: {message}")]
    Connect { op: Operation, message: String },

    /// The connection broke after the request may have been sent.
    #[error("{op} failed: network error: {message}")]
    Network { op: Operation, message: String },

    #[error("{op} failed: the response could not be decoded (HTTP {status}): {excerpt}")]
    Undecodable {
        op: Operation,
        status: u16,
        excerpt: String,
    },

    /// The number is not in the owned list (read-modify-write could not read it).
    #[error("{op} failed: {msisdn} is not a number this account owns in {country}")]
    NotOwned {
        op: Operation,
        country: String,
        msisdn: String,
    },

    /// A buy or cancel whose answer was lost, and a re-check that could not settle it
    /// (`recheck` says why, as a clause).
    #[error(
        "{op} of {msisdn}: outcome unknown ({cause}); {recheck}. Check the owned list before trying again"
    )]
    Unconfirmed {
        op: Operation,
        msisdn: String,
        cause: String,
        recheck: String,
    },

    /// A buy or cancel whose answer was lost, and a re-check proved it did not happen.
    #[error("{op} of {msisdn} did not happen ({cause}); the owned list was checked afterwards")]
    NotDone {
        op: Operation,
        msisdn: String,
        cause: String,
    },

    /// The command's overall deadline passed (`--deadline`): nothing more is sent or awaited.
    /// `sent`: it passed while a request was in flight, which may have been carried out.
    #[error(
        "{op} stopped: the command's deadline of {}s passed while waiting for {waiting_for} (--deadline sets it)",
        deadline.as_secs()
    )]
    Deadline {
        op: Operation,
        deadline: Duration,
        waiting_for: String,
        sent: bool,
    },

    /// A listing that could not be made whole: numbers missing or repeated against the
    /// server's `count`, on every read.
    #[error(
        "{op} failed: the list could not be read whole ({detail}); nothing was left out silently: try again, or narrow the list with a filter"
    )]
    Incomplete { op: Operation, detail: String },

    #[error("configuration: {0}")]
    Config(String),
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(" (server asks to wait {}s)", d.as_secs().max(1)),
        None => String::new(),
    }
}

impl ApiError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::InvalidInput {
            field,
            message: message.into(),
        }
    }

    /// The same error, reported as part of `op` (e.g. the read that starts an update): the
    /// message names what the user asked for, with that operation's hint.
    pub fn during(self, op: Operation) -> ApiError {
        use ApiError::*;
        match self {
            Authentication { label, .. } => Authentication { op, label },
            MethodFailed { label, .. } => MethodFailed {
                op,
                label,
                hint: op.method_failed_hint(),
            },
            AddressRequired { label, .. } => AddressRequired { op, label },
            RateLimited { retry_after, .. } => RateLimited { op, retry_after },
            Server {
                status, excerpt, ..
            } => Server {
                op,
                status,
                excerpt,
            },
            UnexpectedStatus {
                status, excerpt, ..
            } => UnexpectedStatus {
                op,
                status,
                excerpt,
            },
            Timeout { timeout, .. } => Timeout { op, timeout },
            Deadline {
                deadline,
                waiting_for,
                sent,
                ..
            } => Deadline {
                op,
                deadline,
                waiting_for,
                sent,
            },
            Connect { message, .. } => Connect { op, message },
            Network { message, .. } => Network { op, message },
            Undecodable {
                status, excerpt, ..
            } => Undecodable {
                op,
                status,
                excerpt,
            },
            NotOwned {
                country, msisdn, ..
            } => NotOwned {
                op,
                country,
                msisdn,
            },
            other => other,
        }
    }

    /// Worth retrying for an idempotent operation: throttled, server trouble, lost answer.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Server { .. }
                | ApiError::Timeout { .. }
                | ApiError::Network { .. }
                | ApiError::Connect { .. }
        )
    }

    /// The request may have been carried out although no success was seen.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            ApiError::Timeout { .. } | ApiError::Network { .. } => true,
            ApiError::Deadline { sent, .. } => *sent,

            // A 503 too: a gateway may answer it after the service carried the request out.
            ApiError::Server { .. } => true,
            ApiError::Undecodable { .. } => true,
            _ => false,
        }
    }
}
