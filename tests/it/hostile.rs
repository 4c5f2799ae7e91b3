//! The client against a hostile or broken server (tests/common/hostile.rs): every answer it
//! reads is bounded in bytes, every wait in seconds, and what it waits for is said. Each test
//! asserts a bound (bytes, memory, seconds) or an outcome, never a timing.

use crate::common;

use std::time::{Duration, Instant};

use crate::common::hostile::{self, Answer, client_of, one};
use switchboard::api::{ApiError, ClientConfig, MAX_BODY, MAX_RETRY_AFTER, OwnedFilter};

// ---- 1. Unbounded bodies ----------------------------------------------------------------

#[tokio::test]
async fn an_endless_answer_is_cut_at_the_byte_limit() {
    let server = hostile::start(Answer::Endless { limit: 256 << 20 }).await;
    let client = client_of(&server.base, ClientConfig::default());
    let err = client.list_owned(&one(1)).await.expect_err("refused");
    assert!(
        matches!(err, ApiError::Undecodable { .. }) && err.to_string().contains("MB"),
        "{err}"
    );
    // The client stopped reading at the limit: what the server could write is the limit plus
    // the sockets' buffers, far below the 256 MB it offered.
    assert!(
        server.body_bytes() < 64 << 20,
        "the server wrote {} bytes before the client hung up (limit {MAX_BODY})",
        server.body_bytes()
    );
    assert_eq!(
        server.requests(),
        1,
        "an oversized answer is not asked for again"
    );
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_reading() {
    let server = hostile::start(Answer::Fixed {
        status: "200 OK".into(),
        headers: String::new(),
        body: format!(r#"{{"count":1,"pad":"{}"}}"#, "x".repeat(MAX_BODY)),
    })
    .await;
    let err = client_of(&server.base, ClientConfig::default())
        .list_owned(&one(1))
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("bytes long"), "{err}");
}

#[tokio::test]
async fn the_cli_lists_an_endless_answer_in_bounded_memory() {
    let server = hostile::start(Answer::Endless { limit: 256 << 20 }).await;
    let cli = common::Cli::new().args([
        "--base-url",
        &server.base,
        "--api-key",
        "hostilekey",
        "--api-secret",
        "hostile-secret",
        "list",
        "--size",
        "1",
    ]);
    let mut child = cli.command().spawn().expect("spawn");
    let pid = child.id().expect("pid");
    let mut peak = 0;
    let status = loop {
        if let Some(kb) = hostile::peak_rss_kb(pid) {
            peak = peak.max(kb);
        }
        match tokio::time::timeout(Duration::from_millis(20), child.wait()).await {
            Ok(status) => break status.expect("wait"),
            Err(_) => continue,
        }
    };
    assert_ne!(status.code(), Some(0), "an endless answer is an error");
    assert!(peak > 0, "the peak memory was read");
    assert!(
        peak < 100 * 1024,
        "peak resident memory {peak} KB, over 100 MB"
    );
}

#[tokio::test]
async fn a_page_longer_than_the_size_asked_is_refused() {
    let server = hostile::start(Answer::Lying {
        count: 1_000_000,
        per_page: 1000,
        later: 1000,
    })
    .await;
    let client = client_of(&server.base, ClientConfig::default());
    let err = client.list_owned(&one(10)).await.expect_err("refused");
    assert!(
        err.to_string().contains("1000 numbers for a page of 10"),
        "{err}"
    );
    let err = client
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("for a page of 100"), "{err}");
    assert_eq!(
        server.requests(),
        2,
        "one request each: the first page is refused"
    );
}

#[tokio::test]
async fn the_listing_stops_at_the_first_empty_page() {
    let server = hostile::start(Answer::Lying {
        count: 1_000_000,
        per_page: 100,
        later: 0,
    })
    .await;
    let client = client_of(&server.base, ClientConfig::default());
    // 100 numbers where 1,000,000 are counted: the list cannot be made whole, and says so
    // (issue 10: never a shorter list in silence) after a few reads, each of which ends at
    // the first empty page instead of asking for all 10,000.
    let err = client
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .expect_err("a list that is not whole is an error");
    assert!(matches!(err, ApiError::Incomplete { .. }), "{err:?}");
    // Per read: the first page, then at most one round of pages in flight.
    let most = u64::from(switchboard::api::LIST_READS) * (1 + client.concurrency() as u64 + 1);
    assert!(
        server.requests() as u64 <= most,
        "{} requests for a list that ended on page 2 (at most {most})",
        server.requests()
    );
}

// ---- 2. Silent waits ----------------------------------------------------------------------

#[tokio::test]
async fn a_trickling_body_is_given_up_by_its_pace() {
    let body = hostile::page(1, 1, 1);
    let server = hostile::start(Answer::Trickle {
        body,
        every: Duration::from_secs(1),
    })
    .await;
    let client = client_of(
        &server.base,
        ClientConfig {
            max_retries: 0,
            ..ClientConfig::default()
        },
    );
    let started = Instant::now();
    let err = client.list_owned(&one(1)).await.expect_err("given up");
    let took = started.elapsed();
    assert!(err.to_string().contains("trickles"), "{err}");
    // Its own timeout is 30 s; the pace gives up after its grace of 5 s.
    assert!(
        took < Duration::from_secs(15),
        "a trickle held one try {took:?}"
    );
}

#[tokio::test]
async fn retry_after_is_capped_and_ends_by_the_deadline() {
    let server = hostile::start(Answer::Fixed {
        status: "429 Too Many Requests".into(),
        headers: "retry-after: 999999\r\n".into(),
        body: "{}".into(),
    })
    .await;
    let client = client_of(
        &server.base,
        ClientConfig {
            deadline: Some(Duration::from_secs(5)),
            ..ClientConfig::default()
        },
    );
    let started = Instant::now();
    let err = client.list_owned(&one(1)).await.expect_err("throttled");
    let took = started.elapsed();
    match err {
        ApiError::RateLimited {
            retry_after: Some(d),
            ..
        } => assert!(d <= MAX_RETRY_AFTER, "Retry-After honoured as {d:?}"),
        other => panic!("expected the 429, got {other}"),
    }
    // A wait the deadline cannot hold is not begun.
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn a_command_whose_answer_never_comes_ends_by_its_deadline_and_says_what_it_waits_for() {
    let server = hostile::start(Answer::StallHeaders).await;
    let started = Instant::now();
    let run = common::Cli::new()
        .args([
            "--base-url",
            &server.base,
            "--api-key",
            "hostilekey",
            "--api-secret",
            "hostile-secret",
            "--deadline",
            "4",
            "list",
            "--size",
            "1",
        ])
        .run()
        .await;
    let took = started.elapsed();
    assert_ne!(run.code, 0, "{run:#?}");
    assert!(
        run.stderr.contains("deadline of 4s passed"),
        "the error names the deadline: {run:#?}"
    );
    assert!(
        run.stderr.contains("to answer list owned numbers") && run.stderr.contains("deadline in"),
        "the wait was said, with the time left: {run:#?}"
    );
    assert!(took < Duration::from_secs(10), "the command took {took:?}");
}

#[tokio::test]
async fn the_cli_gives_up_on_retry_after_at_its_deadline() {
    let server = hostile::start(Answer::Fixed {
        status: "429 Too Many Requests".into(),
        headers: "retry-after: 300\r\n".into(),
        body: "{}".into(),
    })
    .await;
    let run = common::Cli::new()
        .args([
            "--base-url",
            &server.base,
            "--api-key",
            "hostilekey",
            "--api-secret",
            "hostile-secret",
            "--deadline",
            "30",
            "list",
            "--size",
            "1",
        ])
        .run()
        .await;
    assert_eq!(run.code, switchboard::cli::code::RATE_LIMITED, "{run:#?}");
    assert!(
        run.stderr.contains("server asks to wait 60s"),
        "Retry-After 300 is capped at 60 s: {run:#?}"
    );
}

#[tokio::test]
async fn the_deadline_flag_is_bounded() {
    for bad in ["0", "86401"] {
        let run = common::Cli::new()
            .args(["--sandbox", "--deadline", bad, "list"])
            .run()
            .await;
        run.expect_code(switchboard::cli::code::USAGE);
        assert!(
            run.stderr
                .contains("--deadline must be between 1 and 86400 seconds"),
            "{run:#?}"
        );
    }
}
