//! Every failure the client can meet, over real HTTP against a sandbox: wrong credentials, each
//! injected fault (429 with and without Retry-After, 500, 503, malformed body, error in a 200
//! body, timeout), a refused connection, and the sandbox's rate limit. Buy is never repeated
//! blindly: the owned list is read before it, and a lost answer (a 503 included) is settled by
//! re-reading it.

use std::time::Duration;

use crate::common::{MAIN_KEY, clearing_faults_when, fast_config, hits};
use switchboard::api::{
    ApiError, Client, ClientConfig, Credentials, NumberRef, OwnedFilter, OwnedQuery, SearchQuery,
};
use switchboard::sandbox::{Faults, Sandbox, SandboxConfig};

const LIST: &str = "/account/numbers";
const BUY: &str = "/number/buy";

fn one_page() -> OwnedQuery {
    OwnedQuery::default()
}

/// A sandbox with 30 owned numbers, and one GB number available to buy.
async fn setup() -> (Sandbox, Client, String) {
    let sb = crate::common::sandbox(30, 41).await;
    let c = crate::common::client(&sb);
    let page = c.search(&SearchQuery::new("GB")).await.expect("search");
    let m = page.numbers[0].msisdn.clone().expect("msisdn");
    (sb, c, m)
}

fn requests(sb: &Sandbox) -> u64 {
    sb.stats().requests
}

#[tokio::test]
async fn a_wrong_secret_is_an_authentication_error_and_is_not_retried() {
    let sb = crate::common::sandbox(5, 42).await;
    let c = Client::new(
        Credentials::new(MAIN_KEY, "not-the-secret"),
        ClientConfig {
            base_url: sb.base_url(),
            ..fast_config()
        },
    )
    .expect("client");
    let err = c.list_owned(&one_page()).await.unwrap_err();
    assert!(matches!(err, ApiError::Authentication { .. }), "{err:?}");
    assert!(err.to_string().contains("authentication failed"), "{err}");
    assert!(!err.to_string().contains("not-the-secret"), "{err}");
    let err = c
        .buy(&NumberRef::new("GB", "447700900123"))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Authentication { .. }), "{err:?}");
    assert_eq!(requests(&sb), 2, "one request each, no retry, no re-check");
}

#[tokio::test]
async fn reads_succeed_after_429s_with_and_without_retry_after() {
    for no_header in [false, true] {
        let sb = crate::common::sandbox(5, 43).await;
        let c = crate::common::client(&sb);
        sb.set_faults(Faults {
            rate_429: 1.0,
            rate_429_no_retry_after: no_header,
            ..Faults::default()
        });
        // The first answer is a 429; then the faults stop.
        let page = clearing_faults_when(&sb, |s| s.throttled >= 1, c.list_owned(&one_page()))
            .await
            .expect("the retry succeeds");
        assert_eq!(page.count, 5);
        assert!(sb.stats().throttled >= 1);
        assert!(
            hits(&sb, LIST) >= 2,
            "retried (no Retry-After: {no_header})"
        );
    }
}

#[tokio::test]
async fn reads_always_throttled_end_rate_limited() {
    for (no_header, expected) in [(false, Some(Duration::from_secs(1))), (true, None)] {
        let sb = crate::common::sandbox(5, 44).await;
        let c = crate::common::client(&sb);
        sb.set_faults(Faults {
            rate_429: 1.0,
            rate_429_no_retry_after: no_header,
            ..Faults::default()
        });
        let err = c.list_owned(&one_page()).await.unwrap_err();
        match err {
            ApiError::RateLimited { retry_after, .. } => assert_eq!(retry_after, expected),
            other => panic!("expected RateLimited, got {other:?}"),
        }
        assert_eq!(
            hits(&sb, LIST),
            11,
            "tried once, then 10 retries: 429s have their own budget, paced by the limiter"
        );
    }
}

#[tokio::test]
async fn a_throttled_buy_is_retried_and_buys_nothing() {
    let (sb, c, m) = setup().await;
    // On the buy itself (the owned list read before it answers).
    sb.set_faults(Faults {
        rate_429: 1.0,
        rate_429_no_retry_after: true,
        path: Some(BUY.into()),
        ..Faults::default()
    });
    let err = c.buy(&NumberRef::new("GB", &m)).await.unwrap_err();
    assert!(matches!(err, ApiError::RateLimited { .. }), "{err:?}");
    assert_eq!(
        hits(&sb, BUY),
        11,
        "a refused buy is safe to repeat (429 budget: 10)"
    );
    assert!(sb.is_available("GB", &m));
    assert_eq!(sb.owned_count(MAIN_KEY), 30);
}

#[tokio::test]
async fn server_errors_are_retried_for_reads() {
    for (r500, r503) in [(1.0, 0.0), (0.0, 1.0)] {
        let sb = crate::common::sandbox(5, 45).await;
        let c = crate::common::client(&sb);
        sb.set_faults(Faults {
            rate_500: r500,
            rate_503: r503,
            ..Faults::default()
        });
        let page = clearing_faults_when(&sb, |s| s.requests >= 2, c.list_owned(&one_page()))
            .await
            .expect("the retry succeeds");
        assert_eq!(page.count, 5);
        assert!(
            hits(&sb, LIST) >= 2,
            "retried after a {}",
            if r500 > 0.0 { 500 } else { 503 }
        );
    }
}

#[tokio::test]
async fn reads_always_failing_end_in_a_server_error() {
    for status in [500u16, 503] {
        let sb = crate::common::sandbox(5, 46).await;
        let c = crate::common::client(&sb);
        sb.set_faults(Faults {
            rate_500: f64::from(u8::from(status == 500)),
            rate_503: f64::from(u8::from(status == 503)),
            ..Faults::default()
        });
        let err = c.search(&SearchQuery::new("GB")).await.unwrap_err();
        match &err {
            ApiError::Server { status: s, .. } => assert_eq!(*s, status, "{err}"),
            other => panic!("expected Server, got {other:?}"),
        }
        assert_eq!(hits(&sb, "/number/search"), 3);
    }
}

#[tokio::test]
async fn a_malformed_body_is_undecodable() {
    let sb = crate::common::sandbox(5, 47).await;
    let c = crate::common::client(&sb);
    sb.set_faults(Faults {
        rate_malformed: 1.0,
        ..Faults::default()
    });
    let err = c.list_owned(&one_page()).await.unwrap_err();
    assert!(
        matches!(err, ApiError::Undecodable { status: 200, .. }),
        "{err:?}"
    );
    let err = c.search(&SearchQuery::new("US")).await.unwrap_err();
    assert!(matches!(err, ApiError::Undecodable { .. }), "{err:?}");
}

#[tokio::test]
async fn an_error_in_a_200_body_is_method_failed_and_a_buy_changes_nothing() {
    let (sb, c, m) = setup().await;
    sb.set_faults(Faults {
        rate_error_in_200: 1.0,
        ..Faults::default()
    });
    let err = c.list_owned(&one_page()).await.unwrap_err();
    assert!(matches!(err, ApiError::MethodFailed { .. }), "{err:?}");
    sb.set_faults(Faults {
        rate_error_in_200: 1.0,
        path: Some(BUY.into()),
        ..Faults::default()
    });
    let credit = sb.credit(MAIN_KEY);
    let err = c.buy(&NumberRef::new("GB", &m)).await.unwrap_err();
    assert!(matches!(err, ApiError::MethodFailed { .. }), "{err:?}");
    assert_eq!(hits(&sb, BUY), 1);
    assert!(sb.is_available("GB", &m));
    assert!(sb.owned_number(MAIN_KEY, &m).is_none());
    assert_eq!(sb.credit(MAIN_KEY), credit);
}

fn one_second() -> ClientConfig {
    ClientConfig {
        timeout: Duration::from_secs(1),
        ..fast_config()
    }
}

#[tokio::test]
async fn a_read_without_an_answer_is_a_timeout() {
    let sb = crate::common::sandbox(5, 48).await;
    let c = crate::common::client_with(&sb, one_second());
    sb.set_faults(Faults {
        rate_timeout: 1.0,
        ..Faults::default()
    });
    let err = c.list_owned(&one_page()).await.unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert_eq!(hits(&sb, LIST), 3, "a read is retried after a timeout");
}

#[tokio::test]
async fn a_buy_without_an_answer_is_not_repeated_and_ends_unconfirmed() {
    let (sb, _, m) = setup().await;
    let c = crate::common::client_with(&sb, one_second());
    sb.set_faults(Faults {
        rate_timeout: 1.0,
        path: Some(BUY.into()),
        ..Faults::default()
    });
    let err = c.buy(&NumberRef::new("GB", &m)).await.unwrap_err();
    match &err {
        ApiError::Unconfirmed { msisdn, .. } => assert_eq!(msisdn, &m),
        other => panic!("expected Unconfirmed, got {other:?}"),
    }
    assert_eq!(hits(&sb, BUY), 1, "the buy is never repeated");
    assert!(hits(&sb, LIST) >= 1, "the owned list was re-read");
}

#[tokio::test]
async fn a_buy_answered_503_is_not_repeated_but_rechecked() {
    let (sb, c, m) = setup().await;
    // A gateway's 503 does not prove the service did nothing: it is re-checked like a 500.
    sb.set_faults(Faults {
        rate_503: 1.0,
        path: Some(BUY.into()),
        ..Faults::default()
    });
    let err = c.buy(&NumberRef::new("GB", &m)).await.unwrap_err();
    assert!(matches!(err, ApiError::NotDone { .. }), "{err:?}");
    assert_eq!(
        (hits(&sb, BUY), hits(&sb, LIST)),
        (1, 2),
        "read before, sent once, read after"
    );
    assert!(sb.is_available("GB", &m));
}

#[tokio::test]
async fn a_buy_lost_to_a_500_is_rechecked_and_found_not_done() {
    let (sb, c, m) = setup().await;
    // The buy gets a 500 (the sandbox changed nothing); the owned list, read before and
    // after it, answers.
    sb.set_faults(Faults {
        rate_500: 1.0,
        path: Some(BUY.into()),
        ..Faults::default()
    });
    let err = c.buy(&NumberRef::new("GB", &m)).await.unwrap_err();
    match &err {
        ApiError::NotDone { msisdn, .. } => assert_eq!(msisdn, &m),
        other => panic!("expected NotDone, got {other:?}"),
    }
    assert_eq!(hits(&sb, BUY), 1, "the buy is never repeated");
    assert!(sb.is_available("GB", &m));

    // The re-check fails too (every read after the buy's 500): the outcome is unknown.
    sb.set_faults(Faults {
        rate_500: 1.0,
        path: Some(BUY.into()),
        limit: Some(1),
        then: Some(Box::new(Faults {
            rate_500: 1.0,
            path: Some(LIST.into()),
            ..Faults::default()
        })),
        ..Faults::default()
    });
    let err = c.buy(&NumberRef::new("GB", &m)).await.unwrap_err();
    assert!(matches!(err, ApiError::Unconfirmed { .. }), "{err:?}");
    assert_eq!(hits(&sb, BUY), 2);
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let c = Client::new(
        Credentials::new("k", "s"),
        ClientConfig {
            base_url: format!("http://127.0.0.1:{port}"),
            max_retries: 1,
            ..fast_config()
        },
    )
    .expect("client");
    let err = c.list_owned(&one_page()).await.unwrap_err();
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
    let err = c
        .buy(&NumberRef::new("GB", "447700900123"))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn https_works_when_the_sandbox_certificate_is_trusted() {
    let dir = crate::common::TempDir::new("tls");
    let sb = crate::common::start(SandboxConfig {
        owned: 12,
        tls: true,
        cert_dir: Some(dir.path().to_path_buf()),
        ..SandboxConfig::default()
    })
    .await;
    assert!(sb.base_url().starts_with("https://"));
    let pem = std::fs::read(sb.cert_pem_path().expect("cert")).expect("read the PEM");
    let trusting = ClientConfig {
        root_cert_pem: Some(pem),
        ..fast_config()
    };
    let page = crate::common::client_with(&sb, trusting)
        .list_owned(&one_page())
        .await
        .expect("list over HTTPS");
    assert_eq!(page.count, 12);

    let untrusting = crate::common::client_with(&sb, fast_config());
    let err = untrusting.list_owned(&one_page()).await.unwrap_err();
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains("certificate"), "{err}");
}

#[tokio::test]
async fn list_all_succeeds_under_the_sandbox_rate_limit() {
    let sb = crate::common::start(SandboxConfig {
        owned: 900,
        seed: 49,
        ..SandboxConfig::default()
    })
    .await;
    sb.set_rate_limit(Some(5.0));
    // Found adaptively (the default) ...
    let adaptive = crate::common::client_with(
        &sb,
        ClientConfig {
            timeout: Duration::from_secs(5),
            ..ClientConfig::default()
        },
    );
    let all = adaptive
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .expect("list_all within the rate limit");
    assert_eq!(all.len(), 900);

    // ... and with a fixed rate far above the limit: refused requests wait and are retried.
    let eager = crate::common::client_with(
        &sb,
        ClientConfig {
            timeout: Duration::from_secs(5),
            rate: Some(100.0),
            ..ClientConfig::default()
        },
    );
    let throttled = sb.stats().throttled;
    let all = eager
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .expect("list_all retried after 429s");
    assert_eq!(all.len(), 900);
    assert!(sb.stats().throttled > throttled, "the limit was hit");
}

#[tokio::test]
async fn list_all_succeeds_at_one_request_per_second() {
    let sb = crate::common::sandbox(800, 5).await;
    sb.set_rate_limit(Some(1.0));
    let c = crate::common::client_with(
        &sb,
        ClientConfig {
            timeout: Duration::from_secs(5),
            ..ClientConfig::default()
        },
    );
    let all = c
        .list_all(&OwnedFilter::default(), |_| {})
        .await
        .expect("every page, paced to the server's rate");
    assert_eq!(all.len(), 800);
    // The slow start finds the limit: the first two pages go one after the other, the second
    // is refused (the bucket holds one token); after that the client paces itself under the
    // limit (a second refusal is allowed for timer jitter).
    let stats = sb.stats();
    assert!(
        stats.throttled <= 2,
        "only the slow start's second request is refused: {} of {} requests got 429",
        stats.throttled,
        stats.requests
    );
}
