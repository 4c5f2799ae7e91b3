//! The `moHttpUrl` pre-check of `POST /number/update`: Vonage sends the URL a GET and
//! requires 200 OK. The sandbox does so only for loopback hosts (127.0.0.0/8, ::1,
//! localhost), over a plain TCP connection (or TLS without certificate checks for
//! `https`), with a 5 s limit. Other hosts are never contacted and are accepted.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMIT: Duration = Duration::from_secs(5);

/// The parts of an absolute http(s) URL the check needs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) https: bool,
    pub(crate) host: String,
    pub(crate) port: u16,
    /// Path and query, at least "/".
    pub(crate) path: String,
}

pub(crate) fn parse_url(url: &str) -> Option<Target> {
    let (scheme, rest) = url.split_once("://")?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "http" => false,
        "https" => true,
        _ => return None,
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    let authority = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    let port = match port {
        Some(p) => p.parse().ok()?,
        None if https => 443,
        None => 80,
    };
    let path = match path {
        "" => "/".to_string(),
        p if p.starts_with('?') => format!("/{p}"),
        p => p.to_string(),
    };
    Some(Target {
        https,
        host: host.to_string(),
        port,
        path,
    })
}

/// The addresses of a loopback host, or None when the host is not loopback.
fn loopback_addrs(host: &str) -> Option<Vec<IpAddr>> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some(vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]);
    }
    let ip: IpAddr = host.parse().ok()?;
    ip.is_loopback().then(|| vec![ip])
}

/// Ok when the URL may be saved: a loopback URL answered 200, or any other host.
pub(crate) async fn check(url: &str) -> Result<(), String> {
    let target = parse_url(url).ok_or_else(|| "not an absolute http(s) URL".to_string())?;
    let Some(addrs) = loopback_addrs(&target.host) else {
        return Ok(());
    };
    match tokio::time::timeout(LIMIT, get_status(&target, &addrs)).await {
        Ok(Ok(200)) => Ok(()),
        Ok(Ok(status)) => Err(format!("answered {status}")),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer within 5 s".to_string()),
    }
}

async fn get_status(target: &Target, addrs: &[IpAddr]) -> std::io::Result<u16> {
    let mut last_error = std::io::Error::other("no address");
    for ip in addrs {
        match TcpStream::connect(SocketAddr::new(*ip, target.port)).await {
            Ok(tcp) if target.https => {
                let connector = tokio_rustls::TlsConnector::from(Arc::new(insecure_client()?));
                let name = ServerName::try_from(target.host.clone())
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
                let tls = connector.connect(name, tcp).await?;
                return request(tls, target).await;
            }
            Ok(tcp) => return request(tcp, target).await,
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

async fn request<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    target: &Target,
) -> std::io::Result<u16> {
    let host = if target.host.contains(':') {
        format!("[{}]:{}", target.host, target.port)
    } else {
        format!("{}:{}", target.host, target.port)
    };
    let head = format!(
        "GET {} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: switchboard-sandbox\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        target.path
    );
    stream.write_all(head.as_bytes()).await?;
    stream.flush().await?;
    let mut buf = Vec::with_capacity(256);
    let mut chunk = [0u8; 256];
    while !buf.windows(2).any(|w| w == b"\r\n") && buf.len() < 4096 {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    parse_status_line(&buf)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no HTTP status line"))
}

/// 200 from "HTTP/1.1 200 OK\r\n...".
pub(crate) fn parse_status_line(buf: &[u8]) -> Option<u16> {
    let line = buf.split(|b| *b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    parts.next()?.parse().ok()
}

fn insecure_client() -> std::io::Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
        .with_no_client_auth();
    Ok(config)
}

/// Accepts any server certificate (a local webhook has no certificate anyone trusts),
/// but still checks handshake signatures.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
