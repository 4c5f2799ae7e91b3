//! `switchboard sandbox`: serves the Numbers API sandbox until Ctrl-C.

use std::time::Duration;

use crate::sandbox::{Faults, Sandbox, SandboxConfig};

use super::args::{Cli, SandboxArgs};
use super::exit::CliError;

fn fraction(name: &str, v: f64) -> Result<f64, CliError> {
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(CliError::Usage(format!(
            "--{name} is a fraction from 0 to 1, not {v}"
        )))
    }
}

/// Numbers the main account owns when `--owned` is not given.
const DEFAULT_OWNED: usize = 250;

pub fn sandbox_config(cli: &Cli, args: &SandboxArgs) -> Result<SandboxConfig, CliError> {
    let defaults = SandboxConfig::default();
    if let Some(r) = args.rate_limit
        && !(r.is_finite() && r > 0.0)
    {
        return Err(CliError::Usage(format!(
            "--rate-limit must be a positive number of requests per second, not {r}"
        )));
    }
    if !(args.credit.is_finite() && args.credit >= 0.0) {
        return Err(CliError::Usage(format!(
            "--credit must be a positive amount in EUR, not {}",
            args.credit
        )));
    }
    if let Some(owned) = args.owned {
        super::connect::check_sandbox_owned(owned, "--owned")?;
    }
    Ok(SandboxConfig {
        port: args.port,
        seed: args.seed,
        owned: args.owned.unwrap_or(DEFAULT_OWNED),
        api_key: cli.api_key.clone().unwrap_or(defaults.api_key.clone()),
        api_secret: cli
            .api_secret
            .clone()
            .unwrap_or(defaults.api_secret.clone()),
        credit_eur: args.credit,
        rate_limit: args.rate_limit,
        latency: Duration::from_millis(args.latency_ms),
        faults: Faults {
            rate_429: fraction("fault-429", args.fault_429)?,
            rate_429_no_retry_after: args.no_retry_after,
            rate_500: fraction("fault-500", args.fault_500)?,
            rate_503: fraction("fault-503", args.fault_503)?,
            rate_malformed: fraction("fault-malformed", args.fault_malformed)?,
            rate_error_in_200: fraction("fault-error-200", args.fault_error_200)?,
            rate_timeout: fraction("fault-timeout", args.fault_timeout)?,
            rate_401: fraction("fault-401", args.fault_401)?,
            rate_420: fraction("fault-420", args.fault_420)?,
            rate_420_address: fraction("fault-420-address", args.fault_420_address)?,
            rate_empty: fraction("fault-empty", args.fault_empty)?,
            path: args.fault_path.clone(),
            method: None,
            limit: args.fault_limit,
            after_change: args.fault_after_change,
            hold: args.fault_hold_ms.map(Duration::from_millis),
            then: None,
            page_shift: args.fault_page_shift,
            count_lie: args.fault_count_lie,
        },
        webhook_check: !args.no_webhook_check,
        state_file: args.state.clone(),
        tls: args.tls,
        ..defaults
    })
}

pub async fn serve(cli: &Cli, args: &SandboxArgs) -> Result<(), CliError> {
    let config = sandbox_config(cli, args)?;
    if let (Some(n), Some(state)) = (args.owned, &args.state)
        && state.exists()
    {
        eprintln!(
            "warning: --owned {n} is ignored: the numbers are loaded from {} (delete it to start \
             over with {n})",
            state.display()
        );
    }
    // Credentials only ever come from the sandbox's own flags (never from VONAGE_* or a
    // config file), and a secret the user chose is not echoed back.
    let secret_shown = if cli.api_secret.is_some() {
        "(the secret given with --api-secret)".to_string()
    } else {
        config.api_secret.clone()
    };
    // Listening for Ctrl-C before the banner says it stops the sandbox: an interrupt right
    // after start stops it cleanly (its certificate directory removed) instead of killing it.
    let ctrl_c = interrupt_listener()?;
    let sandbox = Sandbox::start(config)
        .await
        .map_err(|e| CliError::Other(format!("starting the sandbox: {e}")))?;
    let c = sandbox.config();
    println!("Numbers API sandbox listening on {}", sandbox.base_url());
    println!("  api key:    {}", c.api_key);
    println!("  api secret: {secret_shown}");
    // A sandbox's own secrets, shown so a `--target-api-key` buy can be checked as the
    // subaccount (`--api-key KEY --api-secret SECRET list`).
    for (key, secret) in &c.subaccounts {
        println!("  subaccount: {key}, secret {secret} (use --target-api-key {key})");
    }
    println!(
        "  owned: {} numbers, credit EUR {:.2}",
        sandbox.owned_count(&c.api_key),
        c.credit_eur
    );
    if let Some(pem) = sandbox.cert_pem_path() {
        println!("  certificate: {}", pem.display());
    }
    let pem_flag = sandbox
        .cert_pem_path()
        .map(|p| format!(" --ca-cert {}", p.display()))
        .unwrap_or_default();
    println!(
        "Try: switchboard --base-url {}{pem_flag} --api-key {} --api-secret ... list",
        sandbox.base_url(),
        c.api_key
    );
    println!("Ctrl-C stops it.");
    ctrl_c.await;
    println!("stopping");
    sandbox.shutdown().await;
    Ok(())
}

/// A future that ends at the next Ctrl-C, listening from now on.
fn interrupt_listener() -> Result<impl std::future::Future<Output = ()>, CliError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut sigint = signal(SignalKind::interrupt())
            .map_err(|e| CliError::Other(format!("listening for Ctrl-C: {e}")))?;
        Ok(async move {
            sigint.recv().await;
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
