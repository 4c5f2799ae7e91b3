//! The base URL and the route to it: what a base URL may be (literal `scheme://host`, https or
//! loopback http, no userinfo, a path prefix kept), where a request goes below it, what counts as
//! loopback, and the proxy (https only, never for loopback).

use std::net::IpAddr;

use reqwest::Url;

use super::error::ApiError;

/// Checks a base URL: https anywhere, plain http only to a loopback host; written
/// `scheme://host[:port][/prefix/]` literally, with no user or password in it (the credentials
/// travel in the Authorization header, and a second one would be sent) and no query. A path
/// prefix is kept: requests go below it (a gateway in front of the API).
pub fn check_base_url(base_url: &str) -> Result<Url, ApiError> {
    let raw = base_url.trim();
    let shown = || super::validate::quote(&super::validate::mask_url_passwords(raw));
    if !super::validate::has_literal_authority(raw) {
        return Err(ApiError::Config(format!(
            "base URL {} is not written scheme://host (such as https://rest.nexmo.com)",
            shown()
        )));
    }
    let url = Url::parse(raw)
        .map_err(|_| ApiError::Config(format!("base URL {} is not a URL", shown())))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::Config(
            "the base URL holds a user name or password (user:password@host): give the credentials with --api-key / --api-secret or the environment, not in the URL".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::Config(format!(
            "base URL {} has a query or fragment: give scheme://host[:port][/prefix/]",
            shown()
        )));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(ApiError::Config(format!(
            "refusing plain http:// to {}: the API secret would cross the network unencrypted; use https:// (http:// is allowed only to 127.0.0.1, ::1 or a localhost that resolves to them)",
            url.host_str().unwrap_or("?")
        ))),
        other => Err(ApiError::Config(format!(
            "base URL scheme {other}:// is not supported; use https://"
        ))),
    }
}

/// The proxy for the API, from `HTTPS_PROXY` (else `ALL_PROXY`), honouring `NO_PROXY`: for an
/// https base URL only (a CONNECT tunnel keeps TLS end to end, so the proxy never sees the
/// credentials), and never for a loopback one. `HTTP_PROXY` is never used: over plain http
/// the proxy would read the Basic-auth secret.
pub(super) fn https_proxy(base: &Url) -> Result<Option<reqwest::Proxy>, ApiError> {
    if base.scheme() != "https" || is_loopback(base) {
        return Ok(None);
    }
    let var = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .find_map(|k| {
            std::env::var(k)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| (k, v))
        });
    let Some((name, value)) = var else {
        return Ok(None);
    };
    // The value may hold the proxy's own password: it is never quoted.
    let proxy = reqwest::Proxy::https(value.trim())
        .map_err(|_| ApiError::Config(format!("{name} is not a proxy URL (http://host:port)")))?;
    Ok(Some(proxy.no_proxy(reqwest::NoProxy::from_env())))
}

/// The URL of `path` (absolute, e.g. `/account/numbers`) below the base URL's path prefix.
pub(super) fn endpoint(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}/{}", path.trim_start_matches('/')));
    url
}

/// True when the URL's host is this machine (127.0.0.0/8, ::1, or `localhost` when it resolves
/// to loopback addresses only).
pub fn is_loopback_url(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| is_loopback(&u))
}

pub(super) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") && resolves_to_loopback(d)
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `localhost` is trusted by what it resolves to, not by its name: every address loopback.
fn resolves_to_loopback(host: &str) -> bool {
    use std::net::ToSocketAddrs;
    all_loopback(
        (host, 0)
            .to_socket_addrs()
            .map(|a| a.map(|s| s.ip()).collect::<Vec<_>>()),
    )
}

pub(super) fn all_loopback(addrs: std::io::Result<Vec<IpAddr>>) -> bool {
    addrs.is_ok_and(|a| !a.is_empty() && a.iter().all(IpAddr::is_loopback))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_counts_only_when_every_address_is_loopback() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(all_loopback(Ok(vec![ip("127.0.0.1"), ip("::1")])));
        assert!(!all_loopback(Ok(vec![ip("127.0.0.1"), ip("203.0.113.7")])));
        assert!(!all_loopback(Ok(vec![])));
        assert!(!all_loopback(Err(std::io::Error::other("no such host"))));
    }

    #[test]
    fn requests_go_below_the_prefix() {
        let base = check_base_url("https://gw.example/vonage/").unwrap();
        assert_eq!(
            endpoint(&base, "/account/numbers").as_str(),
            "https://gw.example/vonage/account/numbers"
        );
        let base = check_base_url("https://rest.nexmo.com").unwrap();
        assert_eq!(
            endpoint(&base, "/number/buy").as_str(),
            "https://rest.nexmo.com/number/buy"
        );
    }
}
