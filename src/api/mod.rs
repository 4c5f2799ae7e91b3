//! A plain async client of the Vonage Numbers API, usable without the TUI.
//!
//! Everything a user types is validated before a request leaves ([`validate`], [`query`]);
//! answers are decoded leniently ([`model`]); failures are typed ([`ApiError`]); updates are
//! read-modify-write ([`update`]).

mod app_hooks;
pub mod apps;
mod base_url;
mod body;
mod classify;
mod client;
mod credentials;
mod error;
mod lenient;
mod limiter;
pub mod model;
mod ops;
mod ops_list;
mod ops_update;
pub mod query;
pub mod text;
mod transport;
pub mod update;
pub mod validate;
mod wait;
pub mod webhook;

#[cfg(test)]
mod props_tests;

pub use base_url::{check_base_url, is_loopback_url};
pub use body::MAX_BODY;
pub use client::{
    Client, ClientConfig, LIVE_API_HOST, LIVE_BASE_URL, MAX_RETRY_AFTER, install_crypto_provider,
};
pub use credentials::Credentials;
pub use error::{ApiError, Operation};
pub use lenient::excerpt;
pub use limiter::{LearnedPace, Limiter};
pub use model::{AvailableNumber, Feature, Limitation, NumberType, OwnedNumber, Page};
pub use ops::{Before, MAX_PAGE, Settled};
pub use ops_list::{LIST_READS, ListProgress, MAX_LISTED};
pub use query::{
    FeatureSet, MatchMode, NumberRef, OwnedFilter, OwnedQuery, Pattern, SearchQuery,
    parse_number_type,
};
pub use text::{Features, Text};
pub use update::{Change, Field, NumberChange, NumberConfig, UpdateOutcome, VoiceTarget};
pub use wait::{Stage, Waiting};
