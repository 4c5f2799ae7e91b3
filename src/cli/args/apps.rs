//! The arguments of the Applications and balance commands.

use clap::{Args, Subcommand};

use super::OutputArgs;

#[derive(Debug, Subcommand)]
pub enum AppsCommand {
    /// Every application: id, name, capabilities, webhooks.
    List(OutputArgs),
    /// One application (by id, or by a name only it has), with every webhook.
    Show(AppShowArgs),
    /// Change an application's webhooks (URLs, methods), keeping everything else
    /// (read-modify-write); journaled: `switchboard undo` puts them back.
    Update(Box<AppUpdateArgs>),
}

#[derive(Debug, Args)]
pub struct AppShowArgs {
    /// Application id, or name.
    pub app: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AppUpdateArgs {
    /// Application id, or name.
    pub app: String,
    /// Voice: the answer webhook.
    #[arg(long, value_name = "URL")]
    pub answer_url: Option<String>,
    /// Voice: the fallback answer webhook.
    #[arg(long, value_name = "URL")]
    pub fallback_answer_url: Option<String>,
    /// Voice: the event webhook.
    #[arg(long, value_name = "URL")]
    pub event_url: Option<String>,
    /// Messages: the inbound webhook.
    #[arg(long, value_name = "URL")]
    pub inbound_url: Option<String>,
    /// Messages: the status webhook.
    #[arg(long, value_name = "URL")]
    pub status_url: Option<String>,
    /// The answer webhook's HTTP method (GET or POST).
    #[arg(long, value_name = "METHOD")]
    pub answer_method: Option<String>,
    /// The fallback answer webhook's HTTP method.
    #[arg(long, value_name = "METHOD")]
    pub fallback_answer_method: Option<String>,
    /// The event webhook's HTTP method.
    #[arg(long, value_name = "METHOD")]
    pub event_method: Option<String>,
    /// The inbound webhook's HTTP method.
    #[arg(long, value_name = "METHOD")]
    pub inbound_method: Option<String>,
    /// The status webhook's HTTP method.
    #[arg(long, value_name = "METHOD")]
    pub status_method: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BalanceArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[arg(long)]
    pub json: bool,
    /// Also send each distinct SMS webhook the GET Vonage sends (it must answer 200); a
    /// failure is a finding. Off by default: it sends requests to those servers.
    #[arg(long)]
    pub check_webhooks: bool,
}
