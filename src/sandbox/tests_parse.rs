//! Parameter, price and URL parsing tests.

use super::model::{ApiError, Features, Msisdn, parse_cents};
use super::query::{self, Params};

fn params(q: &str) -> Params {
    Params::parse_urlencoded(q.as_bytes())
}

#[test]
fn bad_parameters_are_method_failed() {
    for q in [
        "size=0",
        "size=101",
        "size=ten",
        "index=0",
        "index=-1",
        "search_pattern=3",
        "pattern=44a",
        "has_application=yes",
        "country=GBR",
        "country=1",
    ] {
        assert_eq!(
            query::owned_query(&params(q)),
            Err(ApiError::MethodFailed),
            "{q}"
        );
    }
    for q in [
        "",
        "type=mobile",
        "country=GB&type=fax",
        "country=GB&features=SMS,SMS",
        "country=GB&features=SMS,",
        "country=GB&features=FAX",
        "country=GB&features=sms",
    ] {
        assert_eq!(
            query::search_query(&params(q)).err(),
            Some(ApiError::MethodFailed),
            "{q}"
        );
    }
    for q in [
        "msisdn=447700900000",
        "country=GB",
        "country=GB&msisdn=+447700900000",
        "country=GB&msisdn=4477009000001234",
    ] {
        assert_eq!(
            query::number_ref(&params(q)).err(),
            Some(ApiError::MethodFailed),
            "{q}"
        );
    }
    let sdk = query::search_query(&params("country=GB&features=SMS,VOICE,MMS")).expect("ok");
    assert_eq!(sdk.features, Features::parse_param("SMS,MMS,VOICE"));
    let ok = query::owned_query(&params(
        "size=100&index=7&search_pattern=1&pattern=123&has_application=",
    ))
    .expect("ok");
    assert_eq!(
        (ok.paging.size, ok.paging.index, ok.has_application),
        (100, 7, None)
    );
}

#[test]
fn urlencoded_parameters_decode() {
    let p = params("a=1&moHttpUrl=https%3A%2F%2Fexample.com%2Fx%3Fy%3D1&b=two+words&a=3&bad=%zz&%");
    assert_eq!(p.get("a"), Some("3"));
    assert_eq!(p.get("moHttpUrl"), Some("https://example.com/x?y=1"));
    assert_eq!(p.get("b"), Some("two words"));
    assert_eq!(p.get("bad"), Some("%zz"));
    let j = Params::parse_json(br#"{"country":"GB","size":5,"x":null}"#);
    assert_eq!(
        (j.get("country"), j.get("size"), j.get("x")),
        (Some("GB"), Some("5"), None)
    );
}

#[test]
fn prices_and_msisdns_parse() {
    assert_eq!(parse_cents("1.25"), Some(125));
    assert_eq!(parse_cents("0.5"), Some(50));
    assert_eq!(parse_cents("3"), Some(300));
    assert_eq!(parse_cents("1.234"), None);
    assert_eq!(parse_cents("-1"), None);
    assert!(Msisdn::parse("447700900000").is_some());
    assert!(Msisdn::parse("").is_none() && Msisdn::parse("44 77").is_none());
    let (a, b) = (
        Msisdn::parse("4412").expect("a"),
        Msisdn::parse("44119999").expect("b"),
    );
    assert!(b < a, "string order");
}

#[test]
fn webhook_urls_parse() {
    use super::webhook::{Target, parse_status_line, parse_url};
    assert_eq!(
        parse_url("http://127.0.0.1:8080/hook?x=1#f"),
        Some(Target {
            https: false,
            host: "127.0.0.1".into(),
            port: 8080,
            path: "/hook?x=1".into()
        })
    );
    assert_eq!(
        parse_url("https://user:pw@[::1]/").map(|t| (t.host, t.port)),
        Some(("::1".into(), 443))
    );
    assert_eq!(
        parse_url("http://localhost?a").map(|t| t.path),
        Some("/?a".into())
    );
    assert_eq!(parse_url("ftp://example.com/"), None);
    assert_eq!(parse_url("example.com/x"), None);
    assert_eq!(parse_url("http://host:notaport/"), None);
    assert_eq!(parse_status_line(b"HTTP/1.1 200 OK\r\n"), Some(200));
    assert_eq!(parse_status_line(b"HTTP/1.0 404\r\n"), Some(404));
    assert_eq!(parse_status_line(b"garbage"), None);
}
