//! `switchboard history --reconcile --resume`: the rest of a run cut short (the numbers of its
//! plan it never sent), with the same change, after a confirmation, as a bulk run of its own
//! (progress line, Ctrl-C stops, report, exit code) under the run's id.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use crate::api::Client;
use crate::changes::reconcile;
use crate::journal::Journal;

use super::bulk::{ProgressLine, exit_of, known, print_report, stop_on_ctrl_c, stop_when_paused};
use super::confirm;
use super::exit::{CliError, code};
use super::output::{self, safe};

pub async fn resume(
    client: &Client,
    journal: &Arc<Journal>,
    yes: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let run = reconcile::cut_short_run(journal)
        .map_err(|e| CliError::Other(format!("cannot read the journal: {e}")))?;
    let Some(run) = run else {
        return Err(CliError::Code(
            code::NOTHING_TO_UNDO,
            "nothing to resume: no run was cut short with numbers left to change".into(),
        ));
    };
    let plan = &run.plan;
    eprintln!(
        "run #{} (started {} UTC) was cut short: {} of {} never sent; the same change:",
        plan.batch,
        output::utc(plan.time),
        output::plural(plan.targets.len(), "number", "numbers"),
        output::thousands(run.total as u64)
    );
    for l in reconcile::change_lines(&plan.change) {
        eprintln!("  {}", safe(&l));
    }
    if !yes {
        confirm::ask(
            &format!(
                "Resume run #{} on {}? [y/N]",
                plan.batch,
                output::plural(plan.targets.len(), "number", "numbers")
            ),
            "resuming the run",
            &confirm::is_yes,
        )?;
    }
    let known = known(Some(journal));
    let stop = crate::bulk::StopFlag::pausable();
    let ctrl_c = stop_on_ctrl_c(&stop);
    let line = ProgressLine::new("resuming");
    let report = reconcile::resume(client, journal.clone(), &run, &known, &stop, |p| {
        line.show(&p);
        stop_when_paused(&stop, &p);
    })
    .await;
    ctrl_c.abort();
    line.clear();
    let json = json || !std::io::stdout().is_terminal();
    print_report(
        out,
        &report,
        json,
        &[],
        "the numbers that failed or were not started are left as they were: `switchboard update --all-matching` changes them again",
    )?;
    exit_of(&report)
}
