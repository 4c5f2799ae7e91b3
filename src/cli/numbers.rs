//! The commands that act on numbers: list, search, buy, cancel (update: `cli::update`).

use std::io::{IsTerminal, Write};

use crate::api::{
    Client, FeatureSet, MatchMode, NumberRef, OwnedFilter, OwnedQuery, Page, Pattern, SearchQuery,
    Settled, parse_number_type,
};

use super::args::{ListArgs, MatchArg, PatternArgs, SearchArgs, SpendArgs};
use super::confirm;
use super::exit::CliError;
use crate::output::{self, safe};

fn pattern(args: &PatternArgs) -> Option<Pattern> {
    args.pattern.as_ref().map(|digits| Pattern {
        digits: digits.clone(),
        mode: match args.match_mode.unwrap_or(MatchArg::Starts) {
            MatchArg::Starts => MatchMode::StartsWith,
            MatchArg::Contains => MatchMode::Contains,
            MatchArg::Ends => MatchMode::EndsWith,
        },
    })
}

pub async fn list(client: &Client, args: &ListArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let filter = OwnedFilter {
        country: args.country.clone(),
        application_id: args.application_id.clone(),
        has_application: args.has_application,
        pattern: pattern(&args.pattern),
    };
    let format = args.output.format();
    let headers = (&output::OWNED_HEADER[..], &output::OWNED_CSV_HEADER[..]);
    if args.size.is_some() || args.index.is_some() {
        let query = OwnedQuery {
            filter,
            size: args.size.unwrap_or(10),
            index: args.index.unwrap_or(1),
        };
        query.params()?;
        let page = client.list_owned(&query).await?;
        let pages = page.count.div_ceil(query.size as u64);
        let summary = if page.numbers.is_empty() {
            // The API answers {} both for no numbers and for a page past the end.
            format!("no numbers on page {}", query.index)
        } else {
            format!(
                "{} on page {} of {} ({} in all)",
                output::plural(page.numbers.len(), "number", "numbers"),
                query.index,
                pages.max(1),
                page.count
            )
        };
        write_page(
            out,
            format,
            &page,
            headers,
            output::owned_row,
            output::owned_csv_row,
            &summary,
        )
        .map_err(io_error)?;
        return Ok(());
    }
    filter.params()?;
    let numbers = list_with_progress(client, &filter).await?;
    let summary = output::plural(numbers.len(), "number", "numbers");
    let page = Page {
        count: numbers.len() as u64,
        numbers,
    };
    write_page(
        out,
        format,
        &page,
        headers,
        output::owned_row,
        output::owned_csv_row,
        &summary,
    )
    .map_err(io_error)
}

pub async fn search(
    client: &Client,
    args: &SearchArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let query = SearchQuery {
        country: args.country.clone(),
        number_type: args
            .number_type
            .as_deref()
            .map(parse_number_type)
            .transpose()?,
        features: args
            .features
            .as_deref()
            .map(str::parse::<FeatureSet>)
            .transpose()?,
        pattern: pattern(&args.pattern),
        size: args.size,
        index: args.index,
    };
    query.params()?;
    let page = client.search(&query).await?;
    let pages = page.count.div_ceil(query.size as u64);
    let summary = if page.count == 0 {
        format!("no numbers available on page {}", query.index)
    } else {
        format!(
            "{} on page {} of {} ({} in all)",
            output::plural(page.numbers.len(), "available number", "available numbers"),
            query.index,
            pages.max(1),
            page.count
        )
    };
    write_page(
        out,
        args.output.format(),
        &page,
        (
            &output::AVAILABLE_HEADER[..],
            &output::AVAILABLE_CSV_HEADER[..],
        ),
        output::available_row,
        output::available_row,
        &summary,
    )
    .map_err(io_error)
}

fn number_ref(args: &SpendArgs) -> Result<NumberRef, CliError> {
    Ok(NumberRef {
        country: args.country.clone(),
        msisdn: args.msisdn.clone(),
        target_api_key: args.target_api_key.clone(),
    }
    .validated()?)
}

pub async fn buy(client: &Client, args: &SpendArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let number = number_ref(args)?;
    if !args.yes {
        let price = price_of(client, &number).await;
        let whom = target_label(&number);
        let question = format!(
            "Buy {} in {}{whom} for {}? [y/N]",
            number.msisdn, number.country, price
        );
        confirm::ask(&question, "buying a number", &confirm::is_yes)?;
    }
    let journal = super::bulk::journal_or_warn(client)?;
    let settled = crate::bulk::ops::buy(client, journal.as_deref(), None, &number, None)
        .await
        .map_err(super::bulk::item_error)?;
    report(out, "bought", &number, &settled, args.json)
}

pub async fn cancel(
    client: &Client,
    args: &SpendArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let number = number_ref(args)?;
    if !args.yes {
        let digits = crate::app::dialog::last_four(&number.msisdn).to_string();
        let question = format!(
            "Cancel {} in {}{}? It leaves the account and may not come back. Type its last four digits ({}) to confirm:",
            number.msisdn,
            number.country,
            target_label(&number),
            digits
        );
        confirm::ask(&question, "cancelling a number", &|answer| answer == digits)?;
    }
    let journal = super::bulk::journal_or_warn(client)?;
    let known = super::bulk::known_for(journal.as_deref(), &number.msisdn);
    let settled = crate::bulk::ops::cancel(
        client,
        journal.as_deref(),
        None,
        &number,
        known.as_ref(),
        None,
    )
    .await
    .map_err(super::bulk::item_error)?;
    report(out, "cancelled", &number, &settled, args.json)
}

fn target_label(number: &NumberRef) -> String {
    number
        .target_api_key
        .as_ref()
        .map(|k| format!(" for subaccount {}", safe(k)))
        .unwrap_or_default()
}

/// "€0.90/month + €0.50 setup", from a search for the exact number; says so when unknown.
async fn price_of(client: &Client, number: &NumberRef) -> String {
    let query = SearchQuery {
        pattern: Some(Pattern {
            digits: number.msisdn.clone(),
            mode: MatchMode::StartsWith,
        }),
        size: 100,
        ..SearchQuery::new(number.country.clone())
    };
    match client.search(&query).await {
        Ok(page) => match page
            .numbers
            .iter()
            .find(|n| n.msisdn.as_deref() == Some(number.msisdn.as_str()))
        {
            Some(n) => format!(
                "EUR {}/month + EUR {} setup",
                safe(n.cost.as_deref().unwrap_or("?")),
                safe(n.initial_price.as_deref().unwrap_or("?"))
            ),
            None => {
                "a price unknown (the number is not in the search results: it may not be available)"
                    .to_string()
            }
        },
        Err(e) => format!("a price unknown ({e})"),
    }
}

fn report(
    out: &mut dyn Write,
    verb: &str,
    number: &NumberRef,
    settled: &Settled,
    json: bool,
) -> Result<(), CliError> {
    // Already so: nothing was sent (a buy of a number owned, a cancel of one not owned).
    let already = match verb {
        "bought" => "already owned",
        _ => "already not owned",
    };
    let result = if settled.already { already } else { verb };
    if json {
        let value = serde_json::json!({
            "result": result,
            "country": number.country,
            "msisdn": number.msisdn,
            "target_api_key": number.target_api_key,
            "recovered_from": settled.recovered_from,
        });
        return output::json(out, &value).map_err(io_error);
    }
    if settled.already {
        writeln!(
            out,
            "{} ({}) is {already}{}: nothing sent, nothing to undo",
            number.msisdn,
            number.country,
            target_label(number)
        )
        .map_err(io_error)?;
        return Ok(());
    }
    writeln!(out, "{verb} {} ({})", number.msisdn, number.country).map_err(io_error)?;
    if let Some(cause) = &settled.recovered_from {
        writeln!(
            out,
            "note: the answer was lost ({cause}); the owned list confirms the number was {verb}"
        )
        .map_err(io_error)?;
    }
    Ok(())
}

pub fn io_error(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        // `switchboard list | head`: the reader left; not an error worth a message.
        CliError::ReaderGone
    } else {
        CliError::Other(format!("writing the output: {e}"))
    }
}

/// Every owned number `filter` selects, with a progress line on stderr when it is a terminal.
pub(super) async fn list_with_progress(
    client: &Client,
    filter: &OwnedFilter,
) -> Result<Vec<crate::api::OwnedNumber>, crate::api::ApiError> {
    let show_progress = std::io::stderr().is_terminal();
    let numbers = client
        .list_all(filter, |p| {
            if show_progress {
                eprint!(
                    "\r\x1b[2Kfetching page {}/{}: {} of {} numbers",
                    p.pages_done, p.pages_total, p.numbers_loaded, p.total
                );
            }
        })
        .await;
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    numbers
}

/// Writes a page of numbers in the chosen format. `summary` goes under a table, and to stderr
/// for JSON and CSV so the output stays machine-readable.
fn write_page<T: serde::Serialize>(
    out: &mut dyn Write,
    format: super::args::Format,
    page: &Page<T>,
    headers: (&[&str], &[&str]),
    row: fn(&T) -> Vec<String>,
    csv_row: fn(&T) -> Vec<String>,
    summary: &str,
) -> std::io::Result<()> {
    use super::args::Format;
    // stdout is line-buffered: 10,000 numbers of pretty JSON were 150,000 writes (half the
    // time of `list --json`). Buffered here, flushed before the summary goes to stderr.
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    let w: &mut dyn Write = &mut buffered;
    match format {
        Format::Json => output::json(w, page)?,
        Format::Csv => {
            let rows: Vec<_> = page.numbers.iter().map(csv_row).collect();
            output::csv(w, headers.1, &rows)?;
        }
        Format::Table => {
            let rows: Vec<_> = page.numbers.iter().map(row).collect();
            if !rows.is_empty() {
                output::table(w, headers.0, &rows)?;
            }
            writeln!(w, "{summary}")?;
            return buffered.flush();
        }
    }
    buffered.flush()?;
    eprintln!("{summary}");
    Ok(())
}
