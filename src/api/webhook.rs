//! The SMS webhook pre-check: Vonage sends a GET to a new `moHttpUrl` and refuses the update
//! unless it answers 200. [`probe`] sends the same GET first, so a user hears about it before
//! the save fails: no credentials, no body, redirects not followed, a short timeout.

use std::time::Duration;

use super::client::install_crypto_provider;
use super::validate;

/// How long a webhook has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// True when `url`'s host is one Vonage cannot reach: this machine (loopback, `localhost`), a
/// private network (10/8, 172.16/12, 192.168/16, fc00::/7), link-local, or unspecified.
pub fn unreachable_from_vonage(url: &str) -> bool {
    use std::net::IpAddr;
    let Ok(parsed) = reqwest::Url::parse(url.trim()) else {
        return false;
    };
    let ip = match parsed.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            return d == "localhost" || d.ends_with(".localhost") || d.ends_with(".local");
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(ip),
        },
        None => return false,
    };
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified()
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// GETs `url` and returns the HTTP status it answered with, or why there was no answer.
pub async fn probe(url: &str, timeout: Duration) -> Result<u16, String> {
    validate::url("URL", url).map_err(|e| e.to_string())?;
    install_crypto_provider();
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "switchboard/",
            env!("CARGO_PKG_VERSION"),
            " webhook check"
        ))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    match client.get(url.trim()).send().await {
        Ok(response) => Ok(response.status().as_u16()),
        Err(e) if e.is_timeout() => Err(format!("no answer in {} s", timeout.as_secs())),
        Err(e) if e.is_connect() => Err(format!("could not connect: {}", root_cause(&e))),
        Err(e) => Err(root_cause(&e)),
    }
}

/// The innermost cause of an error: reqwest's own message is generic.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// What a probe's result means for a save, in one line.
pub fn verdict(result: &Result<u16, String>) -> String {
    match result {
        Ok(200) => "answers 200: Vonage will accept it".into(),
        Ok(code) => {
            format!("answered {code}: Vonage will refuse this URL (it must answer a GET with 200)")
        }
        Err(e) => format!("could not be checked ({e}): Vonage will likely refuse this URL"),
    }
}

/// How many [`probe_all`] checks run at once.
const PROBES_AT_ONCE: usize = 8;

/// [`probe`]s every URL (a few at a time), each answer with its URL, in the order given.
pub async fn probe_all(urls: Vec<String>) -> Vec<(String, Result<u16, String>)> {
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(PROBES_AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, url) in urls.iter().cloned().enumerate() {
        let gate = gate.clone();
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await;
            (i, probe(&url, TIMEOUT).await)
        });
    }
    let mut answers: Vec<Option<Result<u16, String>>> = vec![None; urls.len()];
    while let Some(done) = tasks.join_next().await {
        if let Ok((i, answer)) = done {
            answers[i] = Some(answer);
        }
    }
    urls.into_iter()
        .zip(answers)
        .map(|(u, a)| {
            (
                u,
                a.unwrap_or_else(|| Err("the check did not finish".into())),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A one-shot HTTP server on loopback answering `status`; returns its URL.
    async fn answering(status: u16) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                let mut buf = [0u8; 2048];
                let _ = s.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nlocation: http://127.0.0.1:1/\r\nconnection: close\r\n\r\n"
                );
                let _ = s.write_all(head.as_bytes()).await;
            }
        });
        format!("http://{addr}/inbound")
    }

    #[tokio::test]
    async fn the_status_is_reported_and_redirects_are_not_followed() {
        assert_eq!(probe(&answering(200).await, TIMEOUT).await, Ok(200));
        assert_eq!(probe(&answering(404).await, TIMEOUT).await, Ok(404));
        assert_eq!(probe(&answering(302).await, TIMEOUT).await, Ok(302));
    }

    #[tokio::test]
    async fn nothing_listening_is_a_connect_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let e = probe(&format!("http://127.0.0.1:{port}/"), TIMEOUT)
            .await
            .unwrap_err();
        assert!(e.starts_with("could not connect"), "{e}");
        assert!(probe("ftp://x", TIMEOUT).await.is_err());
        assert!(verdict(&Ok(404)).contains("refuse"));
        assert!(!verdict(&Ok(200)).contains("refuse"));
    }
}
