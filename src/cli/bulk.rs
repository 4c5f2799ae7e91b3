//! `update --all-matching`: the numbers the `list` filters select, the count and what changes,
//! a confirmation, then the bulk run with a progress line on a terminal (Ctrl-C stops it
//! cleanly) and a report: a table on a terminal, JSON otherwise or with `--json`. Also the
//! pieces `undo` shares: the journal, the progress line, the report, the exit code.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::Arc;

use crate::api::{Client, MatchMode, NumberChange, NumberConfig, OwnedFilter, Pattern};
use crate::bulk::{self, ItemError, Outcome, Progress, Report, StopFlag, Target};
use crate::journal::{self, Journal};

use super::args::{MatchArg, UpdateArgs};
use super::confirm;
use super::exit::{CliError, api_code, code};
use super::numbers::io_error;
use super::output::safe;

/// The journal of this client's account and API.
pub fn open_journal(client: &Client) -> Result<Arc<Journal>, CliError> {
    Journal::open_for(client.api_key(), client.base_url())
        .map(Arc::new)
        .map_err(|e| CliError::Other(format!("cannot open the journal: {e}")))
}

/// The journal, or `None` with a warning: a single change still goes ahead, unjournaled.
/// A journal that is there but unsafe to write (a symbolic link) refuses the change.
pub fn journal_or_warn(client: &Client) -> Result<Option<Arc<Journal>>, CliError> {
    match Journal::open_for(client.api_key(), client.base_url()) {
        Ok(j) => Ok(Some(Arc::new(j))),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Err(CliError::Other(format!(
            "cannot open the journal: {e}; nothing was sent"
        ))),
        Err(e) => {
            eprintln!("warning: cannot open the journal: {e}; this change will not be undoable");
            Ok(None)
        }
    }
}

/// Values the API does not return, as the journal knows them.
pub fn known(journal: Option<&Journal>) -> HashMap<String, NumberConfig> {
    known_where(journal, |_| true)
}

/// [`known`] for one number: only the journal's lines naming it are decoded.
pub fn known_for(journal: Option<&Journal>, msisdn: &str) -> Option<NumberConfig> {
    let needle = format!("\"msisdn\":\"{msisdn}\"");
    let needle = needle.as_bytes();
    known_where(journal, |line| {
        line.windows(needle.len()).any(|w| w == needle)
    })
    .remove(msisdn)
}

fn known_where(
    journal: Option<&Journal>,
    keep: impl Fn(&[u8]) -> bool,
) -> HashMap<String, NumberConfig> {
    let Some(j) = journal else {
        return HashMap::new();
    };
    match j.read_where(keep) {
        Ok(c) => {
            if let Some(w) = c.warning(j.path()) {
                eprintln!("warning: {w}");
            }
            journal::known_configs(&c)
        }
        Err(e) => {
            eprintln!("warning: cannot read the journal: {e}");
            HashMap::new()
        }
    }
}

/// An item error as the command's error (its exit code follows the API error's class).
pub fn item_error(e: ItemError) -> CliError {
    match e {
        ItemError::Api(a) => match Arc::try_unwrap(a) {
            Ok(a) => CliError::Api(a),
            Err(a) => CliError::Code(api_code(&a), a.to_string()),
        },
        ItemError::Journal(_) => CliError::Other(e.to_string()),
    }
}

fn filter_of(args: &UpdateArgs) -> OwnedFilter {
    let b = &args.bulk;
    OwnedFilter {
        country: b.country.clone(),
        application_id: b.application_id.clone(),
        has_application: b.has_application,
        pattern: b.pattern.as_ref().map(|digits| Pattern {
            digits: digits.clone(),
            mode: match b.match_mode.unwrap_or(MatchArg::Starts) {
                MatchArg::Starts => MatchMode::StartsWith,
                MatchArg::Contains => MatchMode::Contains,
                MatchArg::Ends => MatchMode::EndsWith,
            },
        }),
    }
}

/// A progress line on stderr when it is a terminal.
pub struct ProgressLine {
    on: bool,
    verb: &'static str,
}

impl ProgressLine {
    pub fn new(verb: &'static str) -> ProgressLine {
        ProgressLine {
            on: std::io::stderr().is_terminal(),
            verb,
        }
    }

    pub fn show(&self, p: &Progress) {
        if !self.on {
            return;
        }
        let width = 24;
        let filled = (p.done * width).checked_div(p.total).unwrap_or(width);
        let eta = p
            .eta()
            .map(|d| format!(" · {}s left", d.as_secs()))
            .unwrap_or_default();
        let stopping = if p.stopping {
            format!(" · stopping: {} still finishing", p.finishing)
        } else {
            String::new()
        };
        eprint!(
            "\r\x1b[2K{} [{}{}] {}/{} · {} failed · {:.1}/s{eta}{stopping}",
            self.verb,
            "#".repeat(filled),
            ".".repeat(width - filled),
            p.done,
            p.total,
            p.failed,
            p.rate()
        );
    }

    pub fn clear(&self) {
        if self.on {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The first Ctrl-C stops `stop` cleanly; a second one exits at once (the journal keeps the
/// intents of the requests cut short, which undo can use). Abort the task when the run ends.
pub fn stop_on_ctrl_c(stop: &StopFlag) -> tokio::task::JoinHandle<()> {
    let stop = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "\nstopping: the requests in flight finish and are journaled; no new one starts (Ctrl-C again to quit now)"
            );
            stop.stop();
        }
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nquitting: `switchboard undo` can restore what was changed");
            std::process::exit(code::STOPPED);
        }
    })
}

/// The CLI's answer to a run that pauses (no one to resume it): it stops, and says why once.
pub fn stop_when_paused(stop: &StopFlag, p: &Progress) {
    if let Some(why) = &p.paused
        && !stop.is_stopped()
    {
        eprintln!(
            "\n{}; stopping (the requests in flight finish and are journaled)",
            safe(why)
        );
        stop.stop();
    }
}

/// The exit code of a report: 0 when every number is ok; 130 when stopped; else the code of
/// the most frequent failure class (4 for numbers skipped because they changed since).
pub fn exit_of(report: &Report) -> Result<(), CliError> {
    let mut classes: HashMap<i32, usize> = HashMap::new();
    for i in &report.items {
        let c = match &i.outcome {
            Outcome::Failed(ItemError::Api(e)) => api_code(e),
            Outcome::Failed(ItemError::Journal(_)) => code::OTHER,
            Outcome::Skipped(_) => code::REFUSED,
            _ => continue,
        };
        *classes.entry(c).or_default() += 1;
    }
    let summary = report.summary();
    if report.stopped {
        return Err(CliError::Code(code::STOPPED, format!("stopped: {summary}")));
    }
    match classes.into_iter().max_by_key(|(c, n)| (*n, -*c)) {
        None => Ok(()),
        Some((c, _)) => Err(CliError::Code(c, summary)),
    }
}

/// The report: JSON (every number, totals) or a table of what did not go well and totals.
pub fn print_report(
    out: &mut dyn Write,
    report: &Report,
    json: bool,
    extra: &[(Target, Outcome)],
    retry_hint: &str,
) -> Result<(), CliError> {
    let items = report
        .items
        .iter()
        .map(|i| (&i.target, &i.outcome))
        .chain(extra.iter().map(|(t, o)| (t, o)));
    if json {
        let rows: Vec<serde_json::Value> = items
            .map(|(t, o)| {
                let mut v = if t.is_app() {
                    serde_json::json!({ "application": t.msisdn, "result": o.name() })
                } else {
                    serde_json::json!({
                        "country": t.country,
                        "msisdn": t.msisdn,
                        "result": o.name(),
                    })
                };
                if let Some(r) = o.reason() {
                    v["error"] = r.into();
                }
                if let Outcome::Updated { before, after, .. } = o {
                    v["before"] = serde_json::to_value(before).unwrap_or_default();
                    v["after"] = serde_json::to_value(after).unwrap_or_default();
                }
                if let Outcome::AppUpdated { before, after, .. } = o {
                    v["before"] = serde_json::to_value(before).unwrap_or_default();
                    v["after"] = serde_json::to_value(after).unwrap_or_default();
                }
                v
            })
            .collect();
        let count = |name: &str| rows.iter().filter(|r| r["result"] == name).count();
        let value = serde_json::json!({
            "batch": report.batch,
            "total": rows.len(),
            "updated": count("updated"),
            "unchanged": count("unchanged"),
            "cancelled": count("cancelled"),
            "bought": count("bought"),
            "failed": count("failed"),
            "skipped": count("skipped"),
            "not_started": count("not started"),
            "stopped": report.stopped,
            "elapsed_secs": report.elapsed.as_secs_f64(),
            "items": rows,
        });
        return super::output::json(out, &value).map_err(io_error);
    }
    let mut rows = Vec::new();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for (t, o) in items {
        *counts.entry(o.name()).or_default() += 1;
        if matches!(o, Outcome::Failed(_) | Outcome::Skipped(_)) {
            rows.push(vec![
                if t.is_app() {
                    "(app)".to_string()
                } else {
                    t.country.clone()
                },
                t.msisdn.clone(),
                o.name().to_string(),
                safe(&o.reason().unwrap_or_default()),
            ]);
        }
    }
    if !rows.is_empty() {
        super::output::table(out, &["COUNTRY", "MSISDN", "RESULT", "REASON"], &rows)
            .map_err(io_error)?;
    }
    let totals: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let run = report
        .batch
        .map(|b| format!(" (run #{b}; `switchboard undo {b}` undoes it)"))
        .unwrap_or_default();
    writeln!(out, "{}{run}", totals.join(", ")).map_err(io_error)?;
    if report.failed() + report.not_started() > 0 {
        writeln!(out, "{retry_hint}").map_err(io_error)?;
    }
    Ok(())
}

/// `switchboard update --all-matching [filters] [field flags]`.
pub async fn update_all(
    client: &Client,
    args: &UpdateArgs,
    change: &NumberChange,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let filter = filter_of(args);
    filter.params()?;
    let journal = open_journal(client)?;
    let known = known(Some(&journal));
    let numbers = super::numbers::list_with_progress(client, &filter).await?;
    // What each number will become, from the list just read.
    let bulk::BulkPlan {
        todo,
        already,
        unusable,
        summary,
    } = bulk::plan(&numbers, change, &known).map_err(|(_, e)| CliError::Api(e))?;
    // Listed without a usable country (or msisdn): an update cannot name them. Reported.
    if !unusable.is_empty() {
        eprintln!(
            "warning: {} no usable country and {} left out: {}",
            super::output::plural(unusable.len(), "listed number has", "listed numbers have"),
            if unusable.len() == 1 { "is" } else { "are" },
            safe(&unusable.join(", "))
        );
    }
    eprintln!(
        "{} match; {} will change, {} already as wanted",
        super::output::plural(summary.total, "number", "numbers"),
        summary.changing,
        summary.total - summary.changing
    );
    for f in &summary.fields {
        eprintln!("  {}", safe(&f.describe()));
    }
    for (w, n) in &summary.warnings {
        eprintln!(
            "warning ({}): {w}",
            super::output::plural(*n, "number", "numbers")
        );
    }
    let unchanged: Vec<(Target, Outcome)> = already
        .into_iter()
        .map(|t| (t, Outcome::Unchanged))
        .collect();
    let json = args.json || !std::io::stdout().is_terminal();
    if todo.is_empty() {
        let report = Report::default();
        return print_report(out, &report, json, &unchanged, "");
    }
    if !args.bulk.yes {
        confirm::ask(
            &format!(
                "Apply this change to {}? [y/N]",
                super::output::plural(todo.len(), "number", "numbers")
            ),
            "a bulk update",
            &confirm::is_yes,
        )?;
    }
    let stop = StopFlag::pausable();
    let ctrl_c = stop_on_ctrl_c(&stop);
    let line = ProgressLine::new("updating");
    let targets = todo;
    // The listing is the read: its pages are read again as the run goes.
    let report = bulk::update_listed(
        client,
        Some(journal.clone()),
        None,
        &filter,
        targets,
        change,
        &known,
        &stop,
        |p| {
            line.show(&p);
            stop_when_paused(&stop, &p);
        },
    )
    .await;
    ctrl_c.abort();
    line.clear();
    print_report(
        out,
        &report,
        json,
        &unchanged,
        "running the same command again retries the rest (numbers already changed are left alone)",
    )?;
    exit_of(&report)
}
