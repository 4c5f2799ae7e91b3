//! The command line, as clap derive definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod apps;
mod sandbox;
pub use apps::{AppShowArgs, AppUpdateArgs, AppsCommand, BalanceArgs, DoctorArgs};
pub use sandbox::SandboxArgs;

/// switchboard: the phone numbers of a Vonage account, in a terminal.
///
/// With no command it opens the interactive UI.
#[derive(Debug, Parser)]
#[command(name = "switchboard", version, about, long_about = None)]
#[command(next_help_heading = "Global options")]
pub struct Cli {
    /// Run against an embedded Numbers API sandbox (no account, no network; its own
    /// credentials, so not with --base-url, --api-key or --api-secret).
    #[arg(long, global = true, conflicts_with_all = ["base_url", "api_key", "api_secret"])]
    pub sandbox: bool,

    /// Numbers the embedded sandbox starts with (only with --sandbox) [default: 250].
    #[arg(long, global = true, value_name = "N", requires = "sandbox")]
    sandbox_owned: Option<usize>,

    /// Start the embedded sandbox afresh: forget its saved numbers and its journal (with
    /// --sandbox; they are kept in the data directory, per seed and size, across runs).
    #[arg(long, global = true)]
    pub sandbox_fresh: bool,

    /// The API's base URL (https; http only to loopback).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Applications API base URL (default https://api.nexmo.com; the --base-url itself when
    /// that is a sandbox on this machine).
    #[arg(long, global = true, value_name = "URL", env = "SWITCHBOARD_API_HOST")]
    pub api_host: Option<String>,

    /// Vonage API key (else VONAGE_API_KEY, the config file, the Vonage CLI's files).
    #[arg(long, global = true, value_name = "KEY")]
    pub api_key: Option<String>,

    /// Vonage API secret (else VONAGE_API_SECRET, ...). Prefer the environment: flags are
    /// visible to other users in the process list.
    #[arg(long, global = true, value_name = "SECRET", hide_default_value = true)]
    pub api_secret: Option<String>,

    /// switchboard's config file (default: <config dir>/switchboard/config.toml, or
    /// SWITCHBOARD_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Trust this PEM certificate too (e.g. a sandbox started with --tls).
    #[arg(long, global = true, value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,

    /// Browse and search only: buy, cancel and update are turned off.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Requests per second (default: found adaptively from the server's answers).
    #[arg(long, global = true, value_name = "RPS")]
    pub rate: Option<f64>,

    /// Seconds to wait for each answer.
    #[arg(long, global = true, value_name = "SECS")]
    pub timeout: Option<u64>,

    /// The longest a command may take, in seconds, every wait and retry included (default
    /// 1800; at most 86400). Past it, nothing more is sent and the command ends with an error.
    #[arg(long, global = true, value_name = "SECS")]
    pub deadline: Option<u64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Numbers the embedded sandbox starts with.
    pub fn sandbox_owned(&self) -> usize {
        self.sandbox_owned.unwrap_or(250)
    }

    /// `--sandbox-owned` without `--sandbox` (clap's `requires` does not see a global flag
    /// given before the subcommand).
    pub fn check_flags(&self) -> Result<(), String> {
        if self.sandbox_owned.is_some() && !self.sandbox {
            return Err("--sandbox-owned is only used with --sandbox".into());
        }
        Ok(())
    }

    /// The command asked for JSON (`--json`): its errors are JSON too.
    pub fn wants_json(&self) -> bool {
        match &self.command {
            Some(Command::List(a)) => a.output.json,
            Some(Command::Search(a)) => a.output.json,
            Some(Command::Buy(a) | Command::Cancel(a)) => a.json,
            Some(Command::Update(a)) => a.json,
            Some(Command::History(a)) => a.json,
            Some(Command::Undo(a)) => a.json,
            _ => false,
        }
    }
}

/// Whether raw arguments ask for JSON (before `--`): for errors found while parsing them.
pub fn args_want_json<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> bool {
    args.into_iter()
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the numbers you own (every page, unless --size or --index ask for one).
    List(ListArgs),
    /// Search the numbers available to buy in a country (one page).
    Search(SearchArgs),
    /// Buy a number (asks for confirmation; --yes to skip).
    Buy(SpendArgs),
    /// Cancel a number you own: it leaves your account (asks for confirmation; --yes to skip).
    Cancel(SpendArgs),
    /// Change a number's webhooks and links, keeping every field you do not name (or every
    /// number matching filters, with --all-matching).
    Update(UpdateArgs),
    /// Serve the Numbers API sandbox on 127.0.0.1 until Ctrl-C.
    Sandbox(SandboxArgs),
    /// The journal of changes made with switchboard (buy, cancel, update, bulk runs, undos).
    History(HistoryArgs),
    /// Undo a change or a bulk run from the journal (default: the last one).
    Undo(UndoArgs),
    /// Show switchboard's configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script (e.g. `switchboard completions bash > ~/.local/share/bash-completion/completions/switchboard`).
    Completions {
        /// The shell: bash, zsh, fish, powershell (or elvish).
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `switchboard man | man -l -`.
    Man,
    /// The account's Vonage Applications (where linked numbers' calls and messages go).
    #[command(subcommand)]
    Apps(AppsCommand),
    /// The account's balance, in EUR.
    Balance(BalanceArgs),
    /// Where every number's calls and messages go, and what is broken (exit 1 if anything).
    Doctor(DoctorArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path.
    Path,
    /// Print the configuration in effect, with the secret masked.
    Show,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns.
    #[default]
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args, Clone, Default)]
pub struct OutputArgs {
    /// JSON for scripts.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV for spreadsheets and scripts.
    #[arg(long)]
    pub csv: bool,
}

impl OutputArgs {
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else if self.csv {
            Format::Csv
        } else {
            Format::Table
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MatchArg {
    /// The number starts with the pattern (country code included).
    Starts,
    /// The number contains the pattern.
    Contains,
    /// The number ends with the pattern.
    Ends,
}

#[derive(Debug, Args, Clone, Default)]
pub struct PatternArgs {
    /// Digits to match in the number (E.164, country code included for `starts`).
    #[arg(long, value_name = "DIGITS")]
    pub pattern: Option<String>,
    /// How --pattern matches.
    #[arg(
        long = "match",
        value_enum,
        default_value = "starts",
        requires = "pattern"
    )]
    pub match_mode: Option<MatchArg>,
}

#[derive(Debug, Args, Clone)]
pub struct ListArgs {
    /// Only numbers in this country (two letters).
    #[arg(long)]
    pub country: Option<String>,
    /// Only numbers linked to this application.
    #[arg(long, value_name = "ID")]
    pub application_id: Option<String>,
    /// Only numbers linked to this application, by name (or id).
    #[arg(long, value_name = "NAME|ID", conflicts_with = "application_id")]
    pub app: Option<String>,
    /// Only numbers linked (true) or not linked (false) to any application.
    #[arg(long, value_name = "BOOL")]
    pub has_application: Option<bool>,
    #[command(flatten)]
    pub pattern: PatternArgs,
    /// One page of this size (1-100) instead of every page.
    #[arg(long)]
    pub size: Option<u32>,
    /// One page, by its 1-based index, instead of every page.
    #[arg(long)]
    pub index: Option<u32>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Country to search (two letters, e.g. GB).
    pub country: String,
    /// landline, mobile-lvn or landline-toll-free.
    #[arg(long = "type", value_name = "TYPE")]
    pub number_type: Option<String>,
    /// Required features, any order: SMS, VOICE, MMS, e.g. sms,voice.
    #[arg(long)]
    pub features: Option<String>,
    #[command(flatten)]
    pub pattern: PatternArgs,
    /// Page size (1-100).
    #[arg(long, default_value_t = 10)]
    pub size: u32,
    /// Page index, from 1.
    #[arg(long, default_value_t = 1)]
    pub index: u32,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SpendArgs {
    /// Country of the number (two letters).
    pub country: String,
    /// The number, in international format (e.g. 447700900000).
    pub msisdn: String,
    /// Act on this subaccount.
    #[arg(long, value_name = "KEY")]
    pub target_api_key: Option<String>,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args, Clone)]
pub struct UpdateArgs {
    /// Country of the number (two letters).
    #[arg(required_unless_present = "all_matching")]
    pub country: Option<String>,
    /// The number, in international format.
    #[arg(required_unless_present = "all_matching")]
    pub msisdn: Option<String>,
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// Link the number to this application.
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,
    /// Link the number to this application, by id or by a name only it has.
    #[arg(long, value_name = "NAME|ID", conflicts_with = "app_id")]
    pub app: Option<String>,
    /// Inbound SMS webhook URL (moHttpUrl); Vonage checks it answers a GET with 200.
    #[arg(long, value_name = "URL")]
    pub sms_url: Option<String>,
    /// SMPP system type (moSmppSysType).
    #[arg(long, value_name = "TYPE")]
    pub smpp_sys_type: Option<String>,
    /// Forward voice calls: sip or tel (with --voice-value).
    #[arg(long, value_name = "sip|tel", requires = "voice_value")]
    pub voice_type: Option<String>,
    /// The SIP URI or phone number voice calls go to (with --voice-type).
    #[arg(long, value_name = "VALUE", requires = "voice_type")]
    pub voice_value: Option<String>,
    /// Voice status webhook URL (voiceStatusCallback).
    #[arg(long, value_name = "URL")]
    pub voice_status_url: Option<String>,
    /// Remove a field: app-id, sms-url, smpp-sys-type, voice, voice-status-url, messages.
    #[arg(long, value_name = "FIELD")]
    pub clear: Vec<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Do not GET the new --sms-url first to warn when it would not answer 200.
    #[arg(long)]
    pub no_webhook_check: bool,
}

/// `update --all-matching`: the same change on every number the `list` filters select.
#[derive(Debug, Args, Clone, Default)]
pub struct BulkArgs {
    /// Update every owned number matching the filters below (all of them without filters),
    /// after showing the count and what changes.
    #[arg(long, conflicts_with_all = ["country", "msisdn"])]
    pub all_matching: bool,
    /// With --all-matching: only numbers in this country.
    #[arg(
        long = "country",
        id = "filter_country",
        value_name = "CC",
        requires = "all_matching"
    )]
    pub country: Option<String>,
    /// With --all-matching: only numbers linked to this application.
    #[arg(long, value_name = "ID", requires = "all_matching")]
    pub application_id: Option<String>,
    /// With --all-matching: only numbers linked (true) or not linked (false) to an application.
    #[arg(long, value_name = "BOOL", requires = "all_matching")]
    pub has_application: Option<bool>,
    /// With --all-matching: digits to match in the number.
    #[arg(long, value_name = "DIGITS", requires = "all_matching")]
    pub pattern: Option<String>,
    /// How --pattern matches.
    #[arg(long = "match", value_enum, requires = "pattern")]
    pub match_mode: Option<MatchArg>,
    /// With --all-matching: do not ask for confirmation.
    #[arg(long, short = 'y', requires = "all_matching")]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Entries to show, newest last.
    #[arg(long, default_value_t = 30, value_name = "N")]
    pub limit: usize,
    /// Every entry as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also read the older entries the journal was rotated to (`<journal>.1`, …).
    #[arg(long)]
    pub all: bool,
    /// Read the numbers of changes a run cut short left unsettled (`intent`), and record what
    /// actually happened.
    #[arg(long)]
    pub reconcile: bool,
    /// After reconciling, resume the rest of the run cut short: the same change on the numbers
    /// it never sent (asks first), under the same run id (one undo covers both).
    #[arg(long, requires = "reconcile")]
    pub resume: bool,
    /// Resume without asking.
    #[arg(long, short = 'y', requires = "resume")]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// The journal entry or run to undo (see `history`); default: the last change or run.
    pub id: Option<u64>,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Restore numbers even when they changed since (overwriting that change).
    #[arg(long)]
    pub force: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}
