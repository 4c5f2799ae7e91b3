//! `switchboard history` (the journal's entries) and `switchboard undo [ID]` (put a change or
//! a whole run back, after confirmation).

use std::io::{IsTerminal, Write};

use crate::api::Client;
use crate::journal::{self, Entry, UndoAction};

use super::args::{HistoryArgs, UndoArgs};
use super::bulk::{ProgressLine, exit_of, open_journal, print_report, stop_on_ctrl_c};
use super::confirm;
use super::exit::CliError;
use super::numbers::io_error;
use super::output::{self, safe};

/// `2026-11-27 03:41:07` (UTC) from unix seconds.
pub use crate::output::utc;

pub async fn history(
    client: &Client,
    args: &HistoryArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let journal = open_journal(client)?;
    let read = || {
        if args.all {
            journal.read_all()
        } else {
            journal.read()
        }
        .map_err(|e| CliError::Other(format!("cannot read the journal: {e}")))
    };
    let mut contents = read()?;
    if let Some(w) = contents.warning(journal.path()) {
        eprintln!("warning: {w}");
    }
    let cut_short = crate::bulk::reconcile::cut_short(&contents).len();
    let rotated = journal.rotated().len();
    if rotated > 0 && !args.all && !args.json {
        eprintln!(
            "older entries are in {} the journal was rotated to: `switchboard history --all` reads them too",
            output::plural(rotated, "file", "files")
        );
    }
    if args.reconcile && cut_short > 0 {
        for r in crate::bulk::reconcile::reconcile(client, &journal, &contents).await {
            eprintln!(
                "#{} {}: {} ({})",
                r.entry.id,
                safe(&r.entry.summary()),
                r.status.name(),
                safe(&r.why)
            );
        }
        contents = read()?;
    } else if args.reconcile {
        eprintln!("nothing to reconcile: no change was left unsettled");
    } else if cut_short > 0 {
        eprintln!(
            "{} left unsettled (status intent) by a run cut short: `switchboard history --reconcile` reads those numbers and records what happened; `--reconcile --resume` then does the rest of the run",
            output::plural(cut_short, "change was", "changes were")
        );
    }
    if args.resume {
        return super::resume::resume(client, &journal, args.yes, args.json, out).await;
    }
    let undone: std::collections::HashMap<u64, u64> = contents
        .entries
        .iter()
        .filter(|e| e.status == journal::Status::Done)
        .filter_map(|e| e.undoes.map(|u| (u, e.id)))
        .collect();
    let start = contents.entries.len().saturating_sub(args.limit);
    let shown: &[Entry] = &contents.entries[start..];
    if args.json {
        let rows: Vec<serde_json::Value> = shown
            .iter()
            .map(|e| {
                let mut v = serde_json::to_value(e).unwrap_or_default();
                if let Some(by) = undone.get(&e.id) {
                    v["undone_by"] = (*by).into();
                }
                v
            })
            .collect();
        return output::json(out, &rows).map_err(io_error);
    }
    if shown.is_empty() {
        writeln!(out, "the journal is empty ({})", journal.path().display()).map_err(io_error)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|e| {
            let mut status = e.status.name().to_string();
            if let Some(by) = undone.get(&e.id) {
                status = format!("undone by #{by}");
            }
            let mut what = e.summary();
            if let Some(err) = &e.error {
                what.push_str(&format!(" — {err}"));
            }
            vec![
                e.id.to_string(),
                utc(e.time),
                e.batch.map(|b| format!("#{b}")).unwrap_or_default(),
                status,
                safe(&what),
            ]
        })
        .collect();
    output::table(out, &["ID", "TIME (UTC)", "RUN", "STATUS", "CHANGE"], &rows)
        .map_err(io_error)?;
    writeln!(
        out,
        "{} of {}; `switchboard undo ID` undoes an entry or a run",
        output::thousands(shown.len() as u64),
        output::plural(contents.entries.len(), "entry", "entries")
    )
    .map_err(io_error)
}

pub async fn undo(client: &Client, args: &UndoArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let journal = open_journal(client)?;
    let (contents, plan) = journal
        .plan_undo(args.id)
        .map_err(|e| CliError::Other(format!("cannot read the journal: {e}")))?;
    if let Some(w) = contents.warning(journal.path()) {
        eprintln!("warning: {w}");
    }
    let plan = plan?;
    let restores = plan.count(|a| matches!(a, UndoAction::Restore { .. }));
    eprintln!("undo {}:", safe(&plan.label()));
    if restores > 0 {
        eprintln!(
            "  restore the previous configuration of {}",
            output::plural(restores, "number", "numbers")
        );
    }
    for (id, name) in plan.apps() {
        eprintln!(
            "  restore the webhooks application {id} ({}) had before",
            safe(name)
        );
    }
    for m in plan.cancels() {
        eprintln!("  CANCEL {m} (it was bought: it leaves the account)");
    }
    for m in plan.buys() {
        eprintln!("  BUY BACK {m} (it was cancelled: this may cost money, and fail if taken)");
    }
    if plan.left_out > 0 {
        eprintln!(
            "  ({} of this run failed or were undone already: left out)",
            output::plural(plan.left_out, "change", "changes")
        );
    }
    if !args.yes {
        confirm::ask("Undo? [y/N]", "undo", &confirm::is_yes)?;
    }
    let stop = crate::bulk::StopFlag::pausable();
    let ctrl_c = stop_on_ctrl_c(&stop);
    let line = ProgressLine::new("undoing");
    let report = crate::undo::run(client, journal.clone(), &plan, args.force, &stop, |p| {
        line.show(&p);
        super::bulk::stop_when_paused(&stop, &p);
    })
    .await;
    ctrl_c.abort();
    line.clear();
    let json = args.json || !std::io::stdout().is_terminal();
    let hint = format!(
        "`switchboard undo {}` retries what is left of it",
        plan.target
    );
    print_report(out, &report, json, &[], &hint)?;
    if report.skipped() > 0 {
        eprintln!(
            "{} changed since and {} left alone: `switchboard undo {} --force` overwrites them",
            output::plural(
                report.skipped(),
                "number or application",
                "numbers or applications"
            ),
            if report.skipped() == 1 { "was" } else { "were" },
            plan.target
        );
    }
    exit_of(&report)
}
