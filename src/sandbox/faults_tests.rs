//! The fault injector's own tests: each knob, the limits, the rate limit.

use super::*;

fn runtime(faults: Faults) -> Runtime {
    Runtime::new(faults, Duration::ZERO, None, 7)
}

async fn status(rt: &Runtime, path: &str) -> Option<u16> {
    match rt.apply("k", path).await {
        Verdict::Answer(r) => Some(r.status().as_u16()),
        Verdict::Proceed => None,
        Verdict::Hold(d) => Some(d.as_millis() as u16),
    }
}

#[tokio::test]
async fn each_new_kind_answers_its_status() {
    for (faults, expected) in [
        (
            Faults {
                rate_401: 1.0,
                ..Faults::default()
            },
            401,
        ),
        (
            Faults {
                rate_420: 1.0,
                ..Faults::default()
            },
            420,
        ),
        (
            Faults {
                rate_420_address: 1.0,
                ..Faults::default()
            },
            420,
        ),
        (
            Faults {
                rate_empty: 1.0,
                ..Faults::default()
            },
            200,
        ),
    ] {
        let rt = runtime(faults.clone());
        assert_eq!(
            status(&rt, "/number/buy").await,
            Some(expected),
            "{faults:?}"
        );
    }
    let rt = runtime(Faults {
        rate_420_address: 1.0,
        ..Faults::default()
    });
    let Verdict::Answer(r) = rt.apply("k", "/x").await else {
        panic!("a fault was expected");
    };
    let body = axum::body::to_bytes(r.into_body(), 4096).await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("local address"));
}

#[tokio::test]
async fn path_scopes_the_faults_and_limit_counts_them() {
    let rt = runtime(Faults {
        rate_500: 1.0,
        path: Some("/number/buy".into()),
        limit: Some(2),
        ..Faults::default()
    });
    assert_eq!(status(&rt, "/account/numbers").await, None, "other path");
    assert_eq!(status(&rt, "/number/buy").await, Some(500));
    assert_eq!(status(&rt, "/account/numbers").await, None);
    assert_eq!(status(&rt, "/number/buy").await, Some(500));
    assert_eq!(status(&rt, "/number/buy").await, None, "limit spent");
    // set_faults starts a new budget.
    rt.set_faults(Faults {
        rate_429: 1.0,
        limit: Some(1),
        ..Faults::default()
    });
    assert_eq!(status(&rt, "/number/search").await, Some(429));
    assert_eq!(rt.throttled(), 1);
    assert_eq!(status(&rt, "/number/search").await, None);
    assert_eq!(rt.throttled(), 1, "a fault not injected is not counted");
}

#[tokio::test]
async fn a_timeout_holds_for_its_hold() {
    let rt = runtime(Faults {
        rate_timeout: 1.0,
        hold: Some(Duration::from_millis(250)),
        limit: Some(1),
        ..Faults::default()
    });
    assert_eq!(status(&rt, "/number/buy").await, Some(250));
    assert_eq!(status(&rt, "/number/buy").await, None);
}

#[tokio::test]
async fn then_takes_over_once_the_limit_is_spent() {
    let rt = runtime(Faults {
        rate_500: 1.0,
        after_change: true,
        limit: Some(1),
        then: Some(Box::new(Faults {
            rate_420: 1.0,
            limit: Some(1),
            ..Faults::default()
        })),
        ..Faults::default()
    });
    assert!(rt.after_change());
    assert_eq!(status(&rt, "/number/update").await, Some(500));
    assert!(
        !rt.after_change(),
        "the next faults hit before the request runs"
    );
    assert_eq!(status(&rt, "/number/update").await, Some(420));
    assert_eq!(status(&rt, "/number/update").await, None, "both spent");
}

#[tokio::test]
async fn no_fault_without_a_fraction() {
    let rt = runtime(Faults {
        path: Some("/number/buy".into()),
        limit: Some(5),
        ..Faults::default()
    });
    for _ in 0..20 {
        assert_eq!(status(&rt, "/number/buy").await, None);
    }
}
