//! Unit tests of `client.rs`.

use super::*;
use reqwest::StatusCode;

#[test]
fn http_only_to_loopback() {
    assert!(check_base_url("https://rest.nexmo.com").is_ok());
    assert!(check_base_url("http://127.0.0.1:8080").is_ok());
    assert!(check_base_url("http://localhost:1").is_ok());
    assert!(check_base_url("http://[::1]:1").is_ok());
    assert!(check_base_url("http://rest.nexmo.com").is_err());
    assert!(check_base_url("http://127.0.0.1.evil.com").is_err());
    assert!(check_base_url("ftp://x").is_err());
}

#[test]
fn error_in_a_200_body() {
    let e = classify(
        Operation::Buy,
        StatusCode::OK,
        None,
        r#"{"error-code":420,"error-code-label":"method failed"}"#,
    )
    .unwrap_err();
    assert!(matches!(e, ApiError::MethodFailed { .. }), "{e:?}");
    assert!(e.to_string().contains("buy"));
}

#[test]
fn statuses_map_to_kinds() {
    let c = |s: u16, body: &str| {
        classify(
            Operation::Update,
            StatusCode::from_u16(s).unwrap(),
            None,
            body,
        )
    };
    assert!(matches!(c(401, "{}"), Err(ApiError::Authentication { .. })));
    assert!(matches!(
        c(
            420,
            r#"{"error-code":"420","error-code-label":"Numbers from this country can be requested from the Dashboard"}"#
        ),
        Err(ApiError::AddressRequired { .. })
    ));
    assert!(matches!(c(429, ""), Err(ApiError::RateLimited { .. })));
    assert!(matches!(
        c(503, "<html>"),
        Err(ApiError::Server { status: 503, .. })
    ));
    assert!(matches!(
        c(200, "{\"count\":"),
        Err(ApiError::Undecodable { .. })
    ));
    assert!(matches!(
        c(404, "nope"),
        Err(ApiError::UnexpectedStatus { .. })
    ));
    assert!(c(200, r#"{"error-code":"200"}"#).is_ok());
}
