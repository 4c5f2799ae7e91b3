//! The route to the API against recording servers (tests/common/hostile.rs): proxies (a
//! loopback target never proxied, https through HTTPS_PROXY as a tunnel, NO_PROXY honoured) and
//! the base URL (no userinfo, a path prefix kept, the literal scheme://host form).

use crate::common;

use crate::common::hostile::{self, Answer, client_of, one};
use switchboard::api::{ApiError, Client, ClientConfig, Credentials};

// ---- 4. Proxies ---------------------------------------------------------------------------

/// A recording proxy: it answers 502 to everything and keeps what reached it.
async fn recording_proxy() -> hostile::Hostile {
    hostile::start(Answer::Fixed {
        status: "502 Bad Gateway".into(),
        headers: String::new(),
        body: String::new(),
    })
    .await
}

#[tokio::test]
async fn a_loopback_target_is_never_proxied() {
    let sb = common::sandbox(3, 12).await;
    let proxy = recording_proxy().await;
    let mut cli = common::Cli::against(&sb, common::Auth::Env).args(["list", "--json"]);
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
    ] {
        cli = cli.env(var, &proxy.base);
    }
    let run = cli.run().await;
    run.expect_code(0);
    assert_eq!(
        run.json()["numbers"].as_array().map(Vec::len),
        Some(3),
        "{run:#?}"
    );
    assert_eq!(
        proxy.heads(),
        Vec::<String>::new(),
        "nothing (least of all the Authorization header) reaches a proxy"
    );
}

#[tokio::test]
async fn https_goes_through_https_proxy_as_a_tunnel_and_no_proxy_is_honoured() {
    let proxy = recording_proxy().await;
    let base = "https://numbers.example.test";
    let run = common::Cli::new()
        .args([
            "--base-url",
            base,
            "--deadline",
            "20",
            "list",
            "--size",
            "1",
        ])
        .env("VONAGE_API_KEY", "abcd1234")
        .env("VONAGE_API_SECRET", "proxy-test-secret")
        .env("HTTPS_PROXY", &proxy.base)
        .run()
        .await;
    assert_ne!(run.code, 0, "the proxy refuses the tunnel: {run:#?}");
    let heads = proxy.heads();
    assert!(
        !heads.is_empty()
            && heads
                .iter()
                .all(|h| h.starts_with("CONNECT numbers.example.test:443")),
        "a CONNECT tunnel, nothing else: {heads:?}"
    );
    assert!(
        heads
            .iter()
            .all(|h| !h.to_ascii_lowercase().contains("authorization")),
        "the credentials never cross the proxy in clear: {heads:?}"
    );

    let bypassed = recording_proxy().await;
    let _ = common::Cli::new()
        .args([
            "--base-url",
            base,
            "--deadline",
            "20",
            "list",
            "--size",
            "1",
        ])
        .env("VONAGE_API_KEY", "abcd1234")
        .env("VONAGE_API_SECRET", "proxy-test-secret")
        .env("HTTPS_PROXY", &bypassed.base)
        .env("NO_PROXY", "example.test")
        .run()
        .await;
    assert_eq!(
        bypassed.requests(),
        0,
        "NO_PROXY names the host: {:?}",
        bypassed.heads()
    );
}

// ---- 5. Base URL --------------------------------------------------------------------------

#[tokio::test]
async fn a_base_url_with_a_user_or_password_is_refused_without_quoting_it() {
    let server = hostile::start(Answer::Lying {
        count: 1,
        per_page: 1,
        later: 0,
    })
    .await;
    let base = format!("http://ops:hunter2@127.0.0.1:{}", server.port);
    let err = Client::new(
        Credentials::new("hostilekey", "hostile-secret"),
        ClientConfig {
            base_url: base,
            ..ClientConfig::default()
        },
    )
    .expect_err("refused");
    assert!(matches!(err, ApiError::Config(_)), "{err}");
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = hostile::start(Answer::Lying {
        count: 1,
        per_page: 1,
        later: 0,
    })
    .await;
    for base in [
        format!("{}/gateway/numbers/", server.base),
        format!("{}/gateway/numbers", server.base),
    ] {
        let page = client_of(&base, ClientConfig::default())
            .list_owned(&one(1))
            .await
            .expect("listed");
        assert_eq!(page.numbers.len(), 1);
    }
    let heads = server.heads();
    assert_eq!(heads.len(), 2);
    for head in heads {
        assert!(
            head.starts_with("GET /gateway/numbers/account/numbers?"),
            "the request went below the prefix: {head}"
        );
    }
}

#[tokio::test]
async fn a_base_url_must_be_written_scheme_host() {
    for bad in [
        "https:rest.nexmo.com",
        "https:/rest.nexmo.com",
        "https:///account",
    ] {
        let err = Client::new(
            Credentials::new("hostilekey", "hostile-secret"),
            ClientConfig {
                base_url: bad.into(),
                ..ClientConfig::default()
            },
        )
        .expect_err(bad);
        assert!(err.to_string().contains("scheme://host"), "{bad}: {err}");
    }
}
