//! The sandbox's serving features over real HTTP: webhook pre-check, rate limit and
//! faults, state file, HTTPS.

use std::time::Duration;

use serde_json::{Value, json};

use super::tests_http::{MAIN, client, get, method_failed, post, start, success};
use super::{Faults, SandboxConfig};

/// A one-route webhook server: 200 on /ok, 404 elsewhere.
async fn webhook_server() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let app = axum::Router::new().route("/ok", axum::routing::get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, task)
}

#[tokio::test]
async fn mo_http_url_pre_check() {
    let (sb, c) = start(SandboxConfig {
        owned: 3,
        ..SandboxConfig::default()
    })
    .await;
    let (addr, hook) = webhook_server().await;
    let (_, listed) = get(&c, &sb, "/account/numbers?size=1", MAIN).await;
    let n = &listed["numbers"][0];
    let (country, msisdn) = (
        n["country"].as_str().expect("c").to_string(),
        n["msisdn"].as_str().expect("m").to_string(),
    );
    let before = sb.owned_number("sandbox", &msisdn);
    let with = |url: String| {
        vec![
            ("country", country.clone()),
            ("msisdn", msisdn.clone()),
            ("moHttpUrl", url),
        ]
    };
    let send = |form: Vec<(&'static str, String)>| {
        let c = c.clone();
        let url = format!("{}/number/update", sb.base_url());
        async move {
            let r = c
                .post(url)
                .basic_auth("sandbox", Some("sandbox-secret"))
                .form(&form)
                .send()
                .await
                .expect("response");
            (r.status().as_u16(), r.json::<Value>().await.expect("JSON"))
        }
    };
    assert_eq!(
        send(with(format!("http://{addr}/missing"))).await,
        (420, method_failed())
    );
    assert_eq!(sb.owned_number("sandbox", &msisdn), before, "no change");
    assert_eq!(
        send(with(format!("http://localhost:{}/ok", addr.port()))).await,
        (200, success())
    );
    assert_eq!(send(with("http://127.0.0.1:1/refused".into())).await.0, 420);
    // Other hosts are not contacted, and accepted.
    assert_eq!(
        send(with("https://unreachable.invalid/sms".into())).await.0,
        200
    );
    hook.abort();
    sb.shutdown().await;
}

#[tokio::test]
async fn rate_limit_and_injected_faults() {
    let (sb, c) = start(SandboxConfig {
        rate_limit: Some(2.0),
        ..SandboxConfig::default()
    })
    .await;
    let url = format!("{}/account/numbers", sb.base_url());
    let send = || {
        c.get(&url)
            .basic_auth("sandbox", Some("sandbox-secret"))
            .send()
    };
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(send().await.expect("response"));
    }
    assert_eq!(
        statuses
            .iter()
            .map(|r| r.status().as_u16())
            .collect::<Vec<_>>()[..2],
        [200, 200]
    );
    let throttled = statuses.pop().expect("last");
    assert_eq!(throttled.status(), 429);
    assert!(
        throttled
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|s| s >= 1)
    );
    assert_eq!(
        throttled.json::<Value>().await.expect("JSON"),
        json!({"error-code": "429", "error-code-label": "too many requests"})
    );
    // Another key has its own bucket.
    let r = c
        .get(&url)
        .basic_auth("sandbox-sub1", Some("sandbox-sub1-secret"))
        .send()
        .await
        .expect("response");
    assert_eq!(r.status(), 200);
    assert!(sb.stats().throttled >= 2);

    sb.set_rate_limit(None);
    sb.set_faults(Faults {
        rate_429: 1.0,
        rate_429_no_retry_after: true,
        ..Faults::default()
    });
    let r = send().await.expect("response");
    assert_eq!(
        (r.status().as_u16(), r.headers().contains_key("retry-after")),
        (429, false)
    );
    sb.set_faults(Faults {
        rate_500: 1.0,
        ..Faults::default()
    });
    assert_eq!(send().await.expect("response").status(), 500);
    sb.set_faults(Faults {
        rate_503: 1.0,
        ..Faults::default()
    });
    assert_eq!(send().await.expect("response").status(), 503);
    sb.set_faults(Faults {
        rate_malformed: 1.0,
        ..Faults::default()
    });
    let r = send().await.expect("response");
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_slice::<Value>(&r.bytes().await.expect("body")).is_err());
    sb.set_faults(Faults {
        rate_error_in_200: 1.0,
        ..Faults::default()
    });
    let r = c
        .post(format!("{}/number/buy", sb.base_url()))
        .basic_auth("sandbox", Some("sandbox-secret"))
        .form(&[("country", "GB"), ("msisdn", "447700900000")])
        .send()
        .await
        .expect("response");
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.expect("JSON"), method_failed());
    // Faults hit bad requests too (before authentication).
    sb.set_faults(Faults {
        rate_500: 1.0,
        ..Faults::default()
    });
    assert_eq!(c.get(&url).send().await.expect("response").status(), 500);

    sb.set_faults(Faults::default());
    sb.set_latency(Duration::from_millis(150));
    let t = std::time::Instant::now();
    assert_eq!(send().await.expect("response").status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
    sb.shutdown().await;
}

#[tokio::test]
async fn state_file_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("switchboard-sandbox-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("state.json");
    let config = SandboxConfig {
        owned: 50,
        state_file: Some(file.clone()),
        ..SandboxConfig::default()
    };
    let (sb, c) = start(config.clone()).await;
    assert!(file.exists(), "written at start");
    let (_, found) = get(&c, &sb, "/number/search?country=FR&size=1", MAIN).await;
    let msisdn = found["numbers"][0]["msisdn"]
        .as_str()
        .expect("msisdn")
        .to_string();
    assert_eq!(
        post(
            &c,
            &sb,
            "/number/buy",
            &[("country", "FR"), ("msisdn", &msisdn)]
        )
        .await
        .1,
        success()
    );
    let form = [
        ("country", "FR"),
        ("msisdn", msisdn.as_str()),
        ("voiceStatusCallback", "https://example.com/s"),
    ];
    assert_eq!(post(&c, &sb, "/number/update", &form).await.1, success());
    let credit = sb.credit("sandbox");
    sb.shutdown().await;

    // A different seed and count: the file wins.
    let (sb, _) = start(SandboxConfig {
        seed: 9,
        owned: 0,
        ..config
    })
    .await;
    assert_eq!(sb.owned_count("sandbox"), 51);
    let record = sb.owned_number("sandbox", &msisdn).expect("still owned");
    assert_eq!(
        record.voice_status_callback.as_deref(),
        Some("https://example.com/s")
    );
    assert!(!sb.is_available("FR", &msisdn));
    assert!((sb.credit("sandbox") - credit).abs() < 1e-9);
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn https_with_a_self_signed_certificate() {
    let cert_dir = std::env::temp_dir().join(format!(
        "switchboard-sandbox-tls-test-{}",
        std::process::id()
    ));
    let config = SandboxConfig {
        tls: true,
        owned: 2,
        cert_dir: Some(cert_dir.clone()),
        ..SandboxConfig::default()
    };
    let (sb, c) = start(config).await;
    assert!(sb.base_url().starts_with("https://localhost:"));
    assert_eq!(
        sb.cert_pem_path(),
        Some(cert_dir.join("cert.pem").as_path())
    );
    let (status, body) = get(&c, &sb, "/account/numbers", MAIN).await;
    assert_eq!((status.as_u16(), body["count"].clone()), (200, json!(2)));
    // Also by IP (the certificate names 127.0.0.1).
    let r = c
        .get(format!(
            "https://127.0.0.1:{}/account/numbers",
            sb.addr().port()
        ))
        .basic_auth("sandbox", Some("sandbox-secret"))
        .send()
        .await
        .expect("response");
    assert_eq!(r.status(), 200);
    // A client that does not trust the certificate fails its handshake; the server goes on.
    assert!(
        client(None)
            .get(format!("{}/account/numbers", sb.base_url()))
            .send()
            .await
            .is_err()
    );
    let plain = client(None)
        .get(format!(
            "http://127.0.0.1:{}/account/numbers",
            sb.addr().port()
        ))
        .send()
        .await;
    assert!(plain.is_err() || plain.is_ok_and(|r| r.status() != 200));
    assert_eq!(get(&c, &sb, "/account/numbers", MAIN).await.0, 200);
    // An idle pooled connection does not hold the shutdown.
    let t = std::time::Instant::now();
    sb.shutdown().await;
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    let _ = std::fs::remove_dir_all(&cert_dir);
}
