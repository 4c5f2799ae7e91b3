//! Exit codes, and the one error type every command returns.

use crate::api::ApiError;

/// The documented exit codes (README "Exit codes").
pub mod code {
    pub const OK: i32 = 0;
    pub const OTHER: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const AUTH: i32 = 3;
    pub const REFUSED: i32 = 4;
    pub const RATE_LIMITED: i32 = 5;
    pub const UNAVAILABLE: i32 = 6;
    pub const UNKNOWN_OUTCOME: i32 = 7;
    pub const NOT_CONFIRMED: i32 = 8;
    /// `undo` found nothing to do: the entry or run is undone already, it failed (it changed
    /// nothing), or the journal holds no change that took effect.
    pub const NOTHING_TO_UNDO: i32 = 9;
    /// A bulk run or undo stopped with Ctrl-C before every number was done.
    pub const STOPPED: i32 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Bad input on the command line: nothing was sent.
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    NoCredentials(String),
    /// The user declined, or no terminal to ask and no --yes.
    #[error("{0}")]
    NotConfirmed(String),
    #[error("{0}")]
    Other(String),
    /// A run that reported its own results (bulk, undo): this exit code, and this summary.
    #[error("{1}")]
    Code(i32, String),
    /// The reader of stdout left (`switchboard list | head -1`): not an error, exit 0 quietly.
    #[error("")]
    ReaderGone,
}

impl From<crate::journal::PlanError> for CliError {
    fn from(e: crate::journal::PlanError) -> CliError {
        use crate::journal::PlanError;
        let c = match e {
            PlanError::NotFound(_) => code::USAGE,
            PlanError::Empty
            | PlanError::AlreadyUndone(..)
            | PlanError::Failed(_)
            | PlanError::BatchSpent(_) => code::NOTHING_TO_UNDO,
        };
        CliError::Code(c, e.to_string())
    }
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => code::USAGE,
            CliError::NoCredentials(_) => code::AUTH,
            CliError::NotConfirmed(_) => code::NOT_CONFIRMED,
            CliError::Other(_) => code::OTHER,
            CliError::Code(c, _) => *c,
            CliError::Api(e) => api_code(e),
            CliError::ReaderGone => code::OK,
        }
    }

    /// The error as a script reads it (`--json`): `{"error": {"kind", "message", "exit"}}`.
    pub fn to_json(&self) -> serde_json::Value {
        error_json(self.exit_code(), &self.to_string())
    }
}

/// `{"error": {"kind", "message", "exit"}}`, the kind named after the exit code.
pub fn error_json(exit: i32, message: &str) -> serde_json::Value {
    serde_json::json!({ "error": { "kind": kind(exit), "message": message, "exit": exit } })
}

/// The name of an exit code's class, as `--json` errors give it.
pub fn kind(exit: i32) -> &'static str {
    match exit {
        code::OK => "ok",
        code::USAGE => "usage",
        code::AUTH => "auth",
        code::REFUSED => "refused",
        code::RATE_LIMITED => "rate_limited",
        code::UNAVAILABLE => "unavailable",
        code::UNKNOWN_OUTCOME => "unknown_outcome",
        code::NOT_CONFIRMED => "not_confirmed",
        code::NOTHING_TO_UNDO => "nothing_to_undo",
        code::STOPPED => "stopped",
        _ => "other",
    }
}

/// The exit code of an API error's class.
pub fn api_code(e: &ApiError) -> i32 {
    match e {
        ApiError::InvalidInput { .. } | ApiError::Config(_) => code::USAGE,
        ApiError::Authentication { .. } => code::AUTH,
        ApiError::MethodFailed { .. }
        | ApiError::AddressRequired { .. }
        | ApiError::NotOwned { .. } => code::REFUSED,
        ApiError::RateLimited { .. } => code::RATE_LIMITED,
        ApiError::Server { .. }
        | ApiError::UnexpectedStatus { .. }
        | ApiError::Timeout { .. }
        | ApiError::Deadline { .. }
        | ApiError::Connect { .. }
        | ApiError::Network { .. }
        | ApiError::Undecodable { .. }
        | ApiError::Incomplete { .. }
        | ApiError::NotDone { .. } => code::UNAVAILABLE,
        ApiError::Unconfirmed { .. } => code::UNKNOWN_OUTCOME,
    }
}
