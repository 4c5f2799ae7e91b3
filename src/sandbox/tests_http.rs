//! The sandbox over real HTTP (and HTTPS) on 127.0.0.1, with reqwest.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde_json::{Value, json};

use super::{Sandbox, SandboxConfig};

/// reqwest built with `rustls-no-provider`: hand it a ring client config, trusting `pem`.
pub(super) fn client(pem: Option<&std::path::Path>) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    if let Some(path) = pem {
        let cert = CertificateDer::from_pem_file(path).expect("cert.pem");
        roots.add(cert).expect("trust the sandbox certificate");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

pub(super) async fn start(config: SandboxConfig) -> (Sandbox, reqwest::Client) {
    let sandbox = Sandbox::start(config).await.expect("sandbox starts");
    let client = client(sandbox.cert_pem_path());
    (sandbox, client)
}

pub(super) async fn get(
    c: &reqwest::Client,
    sb: &Sandbox,
    path: &str,
    auth: (&str, &str),
) -> (StatusCode, Value) {
    let r = c
        .get(format!("{}{path}", sb.base_url()))
        .basic_auth(auth.0, Some(auth.1))
        .send()
        .await
        .expect("response");
    let status = r.status();
    (status, r.json().await.expect("JSON body"))
}

pub(super) async fn post(
    c: &reqwest::Client,
    sb: &Sandbox,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let r = c
        .post(format!("{}{path}", sb.base_url()))
        .basic_auth("sandbox", Some("sandbox-secret"))
        .form(form)
        .send()
        .await
        .expect("response");
    let status = r.status();
    (status, r.json().await.expect("JSON body"))
}

pub(super) const MAIN: (&str, &str) = ("sandbox", "sandbox-secret");

pub(super) fn method_failed() -> Value {
    json!({"error-code": "420", "error-code-label": "method failed"})
}

pub(super) fn success() -> Value {
    json!({"error-code": "200", "error-code-label": "success"})
}

#[tokio::test]
async fn list_search_auth_and_errors() {
    let (sb, c) = start(SandboxConfig {
        owned: 25,
        ..SandboxConfig::default()
    })
    .await;
    let (status, body) = get(&c, &sb, "/account/numbers?size=10&index=3", MAIN).await;
    assert_eq!(status, 200);
    assert_eq!(body["count"], 25);
    assert_eq!(body["numbers"].as_array().map(Vec::len), Some(5));
    let first = &body["numbers"][0];
    assert!(
        first["msisdn"].is_string() && first["country"].is_string() && first["type"].is_string()
    );
    assert!(first["features"].is_array());
    assert!(first.get("voiceStatusCallback").is_none() && first.get("moSmppSysType").is_none());

    assert_eq!(
        get(&c, &sb, "/account/numbers?index=4", MAIN).await,
        (StatusCode::OK, json!({}))
    );
    let sub = get(
        &c,
        &sb,
        "/account/numbers",
        ("sandbox-sub1", "sandbox-sub1-secret"),
    )
    .await;
    assert_eq!(sub, (StatusCode::OK, json!({})));

    // Credentials as query parameters.
    let r = c
        .get(format!(
            "{}/account/numbers?api_key=sandbox&api_secret=sandbox-secret&size=1",
            sb.base_url()
        ))
        .send()
        .await
        .expect("response");
    assert_eq!(r.status(), 200);

    let unauthorized = json!({"error-code": "401", "error-code-label": "authentication failed"});
    assert_eq!(
        get(&c, &sb, "/account/numbers", ("sandbox", "wrong")).await,
        (StatusCode::UNAUTHORIZED, unauthorized.clone())
    );
    let r = c
        .get(format!("{}/number/search?country=GB", sb.base_url()))
        .send()
        .await
        .expect("response");
    assert_eq!(r.status(), 401);

    for bad in [
        "size=0",
        "size=101",
        "index=0",
        "size=x",
        "search_pattern=5",
        "pattern=abc",
        "has_application=maybe",
    ] {
        let (status, body) = get(&c, &sb, &format!("/account/numbers?{bad}"), MAIN).await;
        assert_eq!((status.as_u16(), body), (420, method_failed()), "{bad}");
    }
    let (status, body) = get(&c, &sb, "/number/search?type=mobile-lvn", MAIN).await;
    assert_eq!((status.as_u16(), body), (420, method_failed()));

    let (status, body) = get(
        &c,
        &sb,
        "/number/search?country=GB&features=SMS,VOICE&type=mobile-lvn&size=3",
        MAIN,
    )
    .await;
    assert_eq!(status, 200);
    let n = &body["numbers"][0];
    assert!(body["count"].as_u64().is_some_and(|c| c > 3));
    assert_eq!(n["type"], "mobile-lvn");
    assert!(n["cost"].as_str().is_some_and(|p| p.contains('.')) && n["initialPrice"].is_string());
    assert_eq!(
        get(&c, &sb, "/number/search?country=GB&pattern=999999999", MAIN)
            .await
            .1,
        json!({})
    );

    let (status, body) = get(&c, &sb, "/nope", MAIN).await;
    assert_eq!(
        (status.as_u16(), body["error-code"].clone()),
        (404, json!("404"))
    );
    let r = c
        .delete(format!("{}/number/buy", sb.base_url()))
        .send()
        .await
        .expect("response");
    assert_eq!(r.status(), 405);
    assert_eq!(
        r.headers().get("allow").map(|v| v.as_bytes()),
        Some(&b"POST"[..])
    );
    assert_eq!(r.json::<Value>().await.expect("JSON")["error-code"], "405");

    let stats = sb.stats();
    assert_eq!(stats.requests, 18);
    assert!(stats.by_path["/account/numbers"] >= 10 && stats.by_path["(other)"] == 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn buy_update_cancel_over_http() {
    let (sb, c) = start(SandboxConfig::default()).await;
    let (_, found) = get(&c, &sb, "/number/search?country=US&size=1", MAIN).await;
    let msisdn = found["numbers"][0]["msisdn"]
        .as_str()
        .expect("msisdn")
        .to_string();
    let price = |field: &str| -> f64 {
        found["numbers"][0][field]
            .as_str()
            .and_then(|p| p.parse().ok())
            .expect("price")
    };
    // The setup fee and the first month are charged at once.
    let fee = price("initialPrice") + price("cost");
    let number = [("country", "US"), ("msisdn", msisdn.as_str())];

    assert_eq!(
        post(&c, &sb, "/number/buy", &number).await,
        (StatusCode::OK, success())
    );
    assert!((sb.credit("sandbox") - (100.0 - fee)).abs() < 1e-9);
    assert!(!sb.is_available("US", &msisdn));
    assert_eq!(
        post(&c, &sb, "/number/buy", &number).await.1,
        method_failed()
    );
    assert_eq!(
        post(&c, &sb, "/number/buy", &[("country", "US")]).await.1,
        method_failed()
    );

    let update = [
        ("country", "US"),
        ("msisdn", msisdn.as_str()),
        ("app_id", "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"),
        ("voiceCallbackType", "sip"),
        ("voiceCallbackValue", "sip:a@example.com"),
        ("voiceStatusCallback", "https://example.com/status"),
        ("moSmppSysType", "inbound"),
        ("moHttpUrl", "https://example.com/sms"),
    ];
    assert_eq!(
        post(&c, &sb, "/number/update", &update).await,
        (StatusCode::OK, success())
    );
    let record = sb.owned_number("sandbox", &msisdn).expect("owned");
    assert_eq!(
        record.voice_status_callback.as_deref(),
        Some("https://example.com/status")
    );
    assert_eq!(record.mo_smpp_sys_type.as_deref(), Some("inbound"));
    let (_, listed) = get(&c, &sb, &format!("/account/numbers?pattern={msisdn}"), MAIN).await;
    let shown = &listed["numbers"][0];
    assert_eq!(shown["app_id"], "aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
    assert_eq!(
        (
            shown["voiceCallbackType"].clone(),
            shown["moHttpUrl"].clone()
        ),
        (json!("sip"), json!("https://example.com/sms"))
    );
    assert!(shown.get("voiceStatusCallback").is_none() && shown.get("moSmppSysType").is_none());

    // Replace semantics: only app_id sent, everything else cleared.
    let only_app = [
        ("country", "US"),
        ("msisdn", msisdn.as_str()),
        ("app_id", "x"),
    ];
    assert_eq!(
        post(&c, &sb, "/number/update", &only_app).await.1,
        success()
    );
    let record = sb.owned_number("sandbox", &msisdn).expect("owned");
    assert_eq!(
        (
            record.app_id.as_deref(),
            record.mo_http_url,
            record.voice_status_callback
        ),
        (Some("x"), None, None)
    );
    let half = [
        ("country", "US"),
        ("msisdn", msisdn.as_str()),
        ("voiceCallbackType", "tel"),
    ];
    assert_eq!(
        post(&c, &sb, "/number/update", &half).await,
        (StatusCode::from_u16(420).expect("420"), method_failed())
    );

    // Address required.
    let (_, de) = get(
        &c,
        &sb,
        "/number/search?country=DE&type=landline&size=1",
        MAIN,
    )
    .await;
    let de = de["numbers"][0]["msisdn"]
        .as_str()
        .expect("msisdn")
        .to_string();
    let (status, body) = post(
        &c,
        &sb,
        "/number/buy",
        &[("country", "DE"), ("msisdn", &de)],
    )
    .await;
    assert_eq!(status.as_u16(), 420);
    assert!(
        body["error-code-label"]
            .as_str()
            .is_some_and(|l| l.contains("require a valid local address"))
    );

    // Subaccount, then cancel.
    let (_, gb) = get(&c, &sb, "/number/search?country=GB&size=1", MAIN).await;
    let gb = gb["numbers"][0]["msisdn"]
        .as_str()
        .expect("msisdn")
        .to_string();
    let target = [
        ("country", "GB"),
        ("msisdn", gb.as_str()),
        ("target_api_key", "sandbox-sub1"),
    ];
    assert_eq!(post(&c, &sb, "/number/buy", &target).await.1, success());
    assert_eq!(sb.owned_count("sandbox-sub1"), 1);
    let unknown = [
        ("country", "GB"),
        ("msisdn", gb.as_str()),
        ("target_api_key", "ghost"),
    ];
    assert_eq!(
        post(&c, &sb, "/number/cancel", &unknown).await.1,
        method_failed()
    );
    assert_eq!(post(&c, &sb, "/number/cancel", &target).await.1, success());
    assert_eq!(post(&c, &sb, "/number/cancel", &number).await.1, success());
    assert!(sb.is_available("US", &msisdn) && sb.is_available("GB", &gb));
    sb.shutdown().await;
}

#[test]
fn the_handle_can_be_shared_across_tasks() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Sandbox>();
}
