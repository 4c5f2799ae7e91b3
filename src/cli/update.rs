//! `switchboard update`: the change from the flags, the webhook pre-check, and one number's
//! read-modify-write (`--all-matching` hands over to `cli::bulk`).

use std::io::Write;

use crate::api::{Change, Client, Field, NumberChange, VoiceTarget, validate};

use super::args::UpdateArgs;
use super::exit::CliError;
use super::numbers::io_error;
use super::output::{self, safe};

/// Builds the change from the flags; an empty change is a usage error.
pub fn change_from(args: &UpdateArgs) -> Result<NumberChange, CliError> {
    let set = |v: &Option<String>| match v {
        Some(v) => Change::Set(v.clone()),
        None => Change::Keep,
    };
    let mut change = NumberChange {
        app_id: set(&args.app_id),
        mo_http_url: set(&args.sms_url),
        mo_smpp_sys_type: set(&args.smpp_sys_type),
        voice_status_callback: set(&args.voice_status_url),
        ..Default::default()
    };
    if let (Some(kind), Some(value)) = (&args.voice_type, &args.voice_value) {
        change.voice = Change::Set(VoiceTarget {
            kind: kind.clone(),
            value: value.clone(),
        });
    }
    for name in &args.clear {
        let field: Field = name.parse()?;
        let already_set = match field {
            Field::AppId => args.app_id.is_some(),
            Field::SmsUrl => args.sms_url.is_some(),
            Field::SmppSysType => args.smpp_sys_type.is_some(),
            Field::Voice => args.voice_type.is_some(),
            Field::VoiceStatusUrl => args.voice_status_url.is_some(),
            Field::Messages => false,
        };
        if already_set {
            return Err(CliError::Usage(format!(
                "--clear {field} contradicts the value given for it"
            )));
        }
        change.clear(field);
    }
    if change.is_empty() {
        return Err(CliError::Usage(
            "nothing to change: give at least one of --app-id, --sms-url, --smpp-sys-type, --voice-type/--voice-value, --voice-status-url, --clear FIELD".into(),
        ));
    }
    change.validate()?;
    Ok(change)
}

/// Vonage GETs a new SMS webhook and refuses the update unless it answers 200: say so first
/// (a warning; the update still goes). Against the live API, a webhook on this machine or a
/// private network cannot be reached by Vonage, whatever it answers here: said too.
async fn check_webhook(client: &Client, change: &NumberChange, skip: bool) -> Result<(), CliError> {
    if let Change::Set(url) = &change.mo_http_url {
        let url = validate::url("moHttpUrl", url)?;
        let live = !crate::api::is_loopback_url(client.base_url());
        if live && crate::api::webhook::unreachable_from_vonage(&url) {
            eprintln!(
                "warning: the SMS webhook {} is on this machine or a private network: Vonage cannot reach it, whatever it answers here",
                safe(&validate::mask_url_passwords(&url))
            );
        }
        if !skip {
            let result = crate::api::webhook::probe(&url, crate::api::webhook::TIMEOUT).await;
            if result != Ok(200) {
                eprintln!(
                    "warning: the SMS webhook {} {}",
                    safe(&validate::mask_url_passwords(&url)),
                    safe(&crate::api::webhook::verdict(&result))
                );
            }
        }
    }
    Ok(())
}

pub async fn update(
    client: &Client,
    args: &UpdateArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let change = change_from(args)?;
    if args.bulk.all_matching {
        check_webhook(client, &change, args.no_webhook_check).await?;
        return super::bulk::update_all(client, args, &change, out).await;
    }
    let (Some(country), Some(msisdn)) = (&args.country, &args.msisdn) else {
        return Err(CliError::Usage(
            "update needs COUNTRY and MSISDN, or --all-matching".into(),
        ));
    };
    validate::country(country)?;
    let digits = validate::msisdn(msisdn)?;
    check_webhook(client, &change, args.no_webhook_check).await?;
    let journal = super::bulk::journal_or_warn(client)?;
    let known = super::bulk::known_for(journal.as_deref(), &digits);
    let outcome = crate::bulk::ops::update(
        client,
        journal.as_deref(),
        None,
        country,
        msisdn,
        &change,
        known.as_ref(),
    )
    .await
    .map_err(super::bulk::item_error)?;
    // Nothing is sent when the number already holds the change: warnings about what a send
    // would reset do not apply.
    let sent = outcome.before != outcome.after;
    if sent {
        for w in &outcome.warnings {
            eprintln!("warning: {w}");
        }
    }
    let result = if sent { "updated" } else { "unchanged" };
    if args.json {
        #[derive(serde::Serialize)]
        struct Shown<'a> {
            result: &'a str,
            #[serde(flatten)]
            outcome: &'a crate::api::UpdateOutcome,
        }
        let shown = Shown {
            result,
            outcome: &outcome,
        };
        return output::json(out, &shown).map_err(io_error);
    }
    writeln!(out, "{result} {} ({})", outcome.msisdn, outcome.country).map_err(io_error)?;
    if !sent {
        writeln!(
            out,
            "  the number already had this configuration: nothing was sent"
        )
        .map_err(io_error)?;
    }
    let diff = outcome.before.diff(&outcome.after);
    for (field, before, after) in diff {
        writeln!(
            out,
            "  {field}: {} -> {}",
            before.map(safe).unwrap_or_else(|| "(none)".into()),
            after.map(safe).unwrap_or_else(|| "(none)".into())
        )
        .map_err(io_error)?;
    }
    Ok(())
}
