//! A run says each number as it lands (issue 11, deliverable 7): every progress report of a bulk
//! update names the number just finished and what the account now holds for it, so the TUI
//! shows each change at once. Against a sandbox over loopback; the sandbox is the oracle.

use crate::common;

use std::collections::HashMap;

use switchboard::api::{Change, NumberChange, OwnedFilter};
use switchboard::bulk::{self, Holds, Landed, StopFlag, Target};

#[tokio::test(flavor = "multi_thread")]
async fn every_progress_report_names_the_number_just_landed_and_what_it_holds() {
    let sb = common::sandbox(150, 211).await;
    let c = common::client(&sb);
    let all = common::all_owned(&c).await;
    // Thirty numbers of the first page (the listing is their read).
    let targets: Vec<Target> = all
        .iter()
        .take(30)
        .map(|n| {
            Target::new(
                n.country.clone().unwrap().to_string(),
                n.msisdn.clone().unwrap(),
            )
        })
        .collect();
    let url = "https://hooks.example.com/landed";
    let change = NumberChange {
        mo_http_url: Change::Set(url.into()),
        ..NumberChange::default()
    };
    let mut landed: Vec<Landed> = Vec::new();
    let report = bulk::update_listed(
        &c,
        None,
        None,
        &OwnedFilter::default(),
        targets.clone(),
        &change,
        &HashMap::new(),
        &StopFlag::new(),
        |p| landed.extend(p.landed),
    )
    .await;
    assert_eq!(report.ok(), targets.len());
    // Each number once, as the report and the sandbox have it.
    let mut named: Vec<&str> = landed.iter().map(|l| l.target.msisdn.as_str()).collect();
    named.sort_unstable();
    let mut wanted: Vec<&str> = targets.iter().map(|t| t.msisdn.as_str()).collect();
    wanted.sort_unstable();
    assert_eq!(named, wanted);
    for l in &landed {
        let record = sb.owned_number("sandbox", &l.target.msisdn).unwrap();
        match &l.now {
            Holds::Config(after) => {
                assert_eq!(after.mo_http_url.as_deref(), Some(url));
                assert_eq!(after.mo_http_url, record.mo_http_url);
                assert_eq!(after.app_id, record.app_id, "{}", l.target.msisdn);
            }
            // Already as wanted: nothing sent, nothing to show.
            Holds::Same => assert_eq!(record.mo_http_url.as_deref(), Some(url)),
            other => panic!("{}: {other:?}", l.target.msisdn),
        }
    }
}
