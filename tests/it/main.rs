//! Every integration test in one binary (one link step instead of one per file): each file is a
//! module; `common` holds what they share.

mod common;

mod apps;
mod apps_cli;
mod bad_input_cli;
mod bad_input_tui;
mod bulk;
mod bulk_e2e;
mod cache;
mod cache_e2e;
mod cli;
mod cli_buy_update;
mod cli_secret;
mod client_errors;
mod client_list;
mod client_search_buy;
mod client_update;
mod client_validation;
mod config;
mod config_read_only;
mod credentials;
mod doctor;
mod e2e_panic;
mod e2e_session;
mod exit_codes;
mod export;
mod export_e2e;
mod fault_matrix;
mod fault_matrix_tui;
mod flags;
mod hostile;
mod hostile_files;
mod hostile_local;
mod hostile_net;
mod install;
mod journal_undo;
mod pace;
mod sandbox_cli;
mod sandbox_load;
mod script_output;
mod secrets;
mod tui_headless;
mod webhook;
