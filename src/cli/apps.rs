//! `apps list|show|update` and `balance`: the account's Vonage Applications and its balance.
//! An application is named by its id or by a name only it has; a name several share is
//! refused (exit 2) with their ids.

use std::io::{self, Write};

use crate::api::apps::{AppWebhookChange, Application, Hook};
use crate::api::{ApiError, Client};

use super::args::{AppShowArgs, AppUpdateArgs, AppsCommand, BalanceArgs, Format, OutputArgs};
use super::exit::CliError;
use super::numbers::io_error;
use super::output;

pub async fn apps(
    client: &Client,
    cmd: &AppsCommand,
    read_only: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        AppsCommand::List(args) => list(client, args, out).await,
        AppsCommand::Show(args) => show(client, args, out).await,
        AppsCommand::Update(_) if read_only => Err(CliError::Usage(
            "--read-only: apps update is turned off".into(),
        )),
        AppsCommand::Update(args) => update(client, args, out).await,
    }
}

/// The application `wanted` names among `apps`: its id (any case), else the one whose name
/// it is (any case). Several with that name, or none: a usage error saying which.
pub fn resolve<'a>(apps: &'a [Application], wanted: &str) -> Result<&'a Application, CliError> {
    let w = wanted.trim();
    if let Some(a) = apps.iter().find(|a| a.id.eq_ignore_ascii_case(w)) {
        return Ok(a);
    }
    let named: Vec<&Application> = apps
        .iter()
        .filter(|a| a.name.trim().eq_ignore_ascii_case(w))
        .collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::Usage(format!(
            "no application has the id or name {}",
            crate::api::validate::quote(w)
        ))),
        several => {
            let list: Vec<String> = several
                .iter()
                .map(|a| format!("  {}  {}", a.id, output::safe(&a.name)))
                .collect();
            Err(CliError::Usage(format!(
                "{} applications are named {}; give the id of one:\n{}",
                several.len(),
                crate::api::validate::quote(w),
                list.join("\n")
            )))
        }
    }
}

const HOOKS: [(&str, &str); 5] = [
    ("voice", "answer_url"),
    ("voice", "fallback_answer_url"),
    ("voice", "event_url"),
    ("messages", "inbound_url"),
    ("messages", "status_url"),
];

fn row(a: &Application) -> Vec<String> {
    let hook = |c, n| output::safe(a.webhook(c, n).unwrap_or("-"));
    vec![
        a.id.clone(),
        output::safe(&a.name),
        output::safe(&a.capabilities.join(",")),
        hook("voice", "answer_url"),
        hook("messages", "inbound_url"),
    ]
}

fn csv_row(a: &Application) -> Vec<String> {
    let mut r = vec![a.id.clone(), a.name.clone(), a.capabilities.join(",")];
    r.extend(
        HOOKS
            .iter()
            .map(|(c, n)| a.webhook(c, n).unwrap_or_default().to_string()),
    );
    r
}

async fn list(client: &Client, args: &OutputArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let apps = client.applications().await?;
    let mut w = io::BufWriter::new(out);
    match args.format() {
        Format::Json => {
            let raw: Vec<&serde_json::Value> = apps.iter().map(|a| &a.raw).collect();
            output::json(&mut w, &raw)
        }
        Format::Csv => output::csv(
            &mut w,
            &[
                "id",
                "name",
                "capabilities",
                "answer_url",
                "fallback_answer_url",
                "event_url",
                "inbound_url",
                "status_url",
            ],
            &apps.iter().map(csv_row).collect::<Vec<_>>(),
        ),
        Format::Table => {
            let rows: Vec<_> = apps.iter().map(row).collect();
            let header = ["ID", "NAME", "CAPABILITIES", "ANSWER URL", "INBOUND URL"];
            (if rows.is_empty() {
                Ok(())
            } else {
                output::table(&mut w, &header, &rows)
            })
            .and_then(|()| writeln!(w, "{} applications", apps.len()))
        }
    }
    .and_then(|()| w.flush())
    .map_err(io_error)
}

/// Every capability and webhook of `a`, one per line.
fn details(out: &mut dyn Write, a: &Application) -> io::Result<()> {
    writeln!(out, "id            {}", a.id)?;
    writeln!(out, "name          {}", output::safe(&a.name))?;
    writeln!(
        out,
        "capabilities  {}",
        output::safe(&a.capabilities.join(", "))
    )?;
    for h in &a.webhooks {
        writeln!(
            out,
            "  {}.{}  {} {}",
            output::safe(&h.capability),
            output::safe(&h.name),
            output::safe(h.http_method.as_deref().unwrap_or("")),
            output::safe(&h.address)
        )?;
    }
    Ok(())
}

async fn find(client: &Client, wanted: &str) -> Result<Application, CliError> {
    // An id is fetched alone; anything else needs the list, to match names.
    if crate::api::apps::app_id(wanted).is_ok()
        && let Some(a) = client.application(wanted).await?
    {
        return Ok(a);
    }
    let apps = client.applications().await?;
    resolve(&apps, wanted).cloned()
}

/// The id `--app NAME|ID` names. A key the Applications API refuses (401/403) cannot match
/// names: an id is then used as it is, with a warning saying why; a name is an error.
pub async fn app_flag(client: &Client, wanted: Option<String>) -> Result<String, CliError> {
    let wanted = wanted.unwrap_or_default();
    match find(client, &wanted).await {
        Ok(app) => Ok(app.id),
        Err(CliError::Api(e @ ApiError::Authentication { .. })) => {
            match crate::api::apps::app_id(&wanted) {
                Ok(id) => {
                    eprintln!("warning: {e}; --app {id} is used as an application id, unchecked");
                    Ok(id.to_string())
                }
                Err(_) => Err(CliError::Api(e)),
            }
        }
        Err(e) => Err(e),
    }
}

async fn show(client: &Client, args: &AppShowArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let app = find(client, &args.app).await?;
    if args.json {
        output::json(out, &app.raw)
    } else {
        details(out, &app)
    }
    .map_err(io_error)
}

/// `apps update`: the webhooks given, by read-modify-write, journaled (so `undo` puts them
/// back) through the change engine.
async fn update(
    client: &Client,
    args: &AppUpdateArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let methods = [
        (Hook::Answer, &args.answer_method),
        (Hook::FallbackAnswer, &args.fallback_answer_method),
        (Hook::Event, &args.event_method),
        (Hook::Inbound, &args.inbound_method),
        (Hook::Status, &args.status_method),
    ]
    .into_iter()
    .filter_map(|(h, m)| m.clone().map(|m| (h, m)))
    .collect();
    let change = AppWebhookChange {
        answer_url: args.answer_url.clone(),
        fallback_answer_url: args.fallback_answer_url.clone(),
        event_url: args.event_url.clone(),
        inbound_url: args.inbound_url.clone(),
        status_url: args.status_url.clone(),
        methods,
    };
    if change.is_empty() {
        return Err(CliError::Usage(
            "nothing to change: give --answer-url, --fallback-answer-url, --event-url, --inbound-url or --status-url (or a --...-method)".into(),
        ));
    }
    change.validate()?;
    let app = find(client, &args.app).await?;
    let journal = super::bulk::journal_or_warn(client)?;
    let outcome = crate::bulk::app_ops::update_app(client, journal.as_deref(), &app.id, &change)
        .await
        .map_err(super::bulk::item_error)?;
    for w in &outcome.warnings {
        eprintln!("warning: {}", output::safe(w));
    }
    if args.json {
        return output::json(out, &outcome.after.raw).map_err(io_error);
    }
    if !outcome.changed() {
        return writeln!(
            out,
            "application {} ({}) already has these webhooks: nothing sent",
            outcome.after.id,
            output::safe(&outcome.after.name)
        )
        .map_err(io_error);
    }
    for h in outcome.hooks_before.changed(&outcome.hooks_after) {
        writeln!(
            out,
            "{}.{}: {} -> {}",
            h.capability(),
            h.name(),
            output::safe(&outcome.hooks_before.show(h)),
            output::safe(&outcome.hooks_after.show(h))
        )
        .map_err(io_error)?;
    }
    let undo = match outcome.entry {
        Some(id) => format!("; journal #{id}: `switchboard undo {id}` puts it back"),
        None => String::new(),
    };
    writeln!(
        out,
        "updated application {} ({}){undo}",
        outcome.after.id,
        output::safe(&outcome.after.name)
    )
    .map_err(io_error)
}

pub async fn balance(
    client: &Client,
    args: &BalanceArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let b = client.balance().await?;
    if args.json {
        output::json(
            out,
            &serde_json::json!({ "value": b.value, "autoReload": b.auto_reload }),
        )
    } else {
        writeln!(
            out,
            "EUR {:.2}{}",
            b.value,
            if b.auto_reload {
                " (auto reload on)"
            } else {
                ""
            }
        )
    }
    .map_err(io_error)
}

/// `switchboard doctor`: every finding of [`crate::doctor::diagnose`], a table or `--json`;
/// exit 1 when one is broken. A key the Applications API refuses: links are not checked, and
/// that is said once.
pub async fn doctor(
    client: &Client,
    args: &crate::cli::args::DoctorArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let json = args.json;
    let numbers =
        super::numbers::list_with_progress(client, &crate::api::OwnedFilter::default()).await?;
    let apps = match client.applications().await {
        Ok(apps) => Some(apps),
        Err(e @ ApiError::Authentication { .. }) => {
            eprintln!("warning: {e}; application links are not checked");
            None
        }
        Err(e) => return Err(e.into()),
    };
    let mut findings = crate::doctor::diagnose(&numbers, apps.as_deref());
    if args.check_webhooks {
        let urls = crate::doctor::sms_webhook_urls(&numbers);
        eprintln!("checking {} SMS webhooks (a GET each)…", urls.len());
        let answers = crate::api::webhook::probe_all(urls)
            .await
            .into_iter()
            .collect();
        findings.extend(crate::doctor::webhook_findings(&numbers, &answers));
    }
    let broken = findings.iter().filter(|f| f.broken).count();
    let mut w = io::BufWriter::new(out);
    if json {
        output::json(&mut w, &findings)
    } else {
        let rows: Vec<Vec<String>> = findings
            .iter()
            .map(|f| {
                vec![
                    f.msisdn.clone(),
                    if f.broken { "BROKEN" } else { "warning" }.into(),
                    output::safe(&f.detail),
                    output::safe(&f.fix),
                ]
            })
            .collect();
        if rows.is_empty() {
            Ok(())
        } else {
            output::table(&mut w, &["MSISDN", "", "FINDING", "FIX"], &rows)
        }
    }
    .and_then(|()| w.flush())
    .map_err(io_error)?;
    let summary = format!(
        "{} numbers checked: {broken} broken, {} warnings",
        numbers.len(),
        findings.len() - broken
    );
    if broken > 0 {
        return Err(CliError::Code(super::exit::code::OTHER, summary));
    }
    eprintln!("{summary}");
    Ok(())
}
