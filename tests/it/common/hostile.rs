//! A hostile or broken server on 127.0.0.1, for the client's bounds: answers that never end,
//! that trickle, that are too large, that lie about their count, that hold the client with
//! Retry-After, or that carry escape sequences. It records every request head that reaches it
//! (so it doubles as a proxy that records what a client sent it) and counts the body bytes it
//! managed to write.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard::api::{Client, ClientConfig, Credentials, OwnedQuery};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How the server answers every request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// HTTP 200, chunked, a page whose first msisdn never ends: `limit` bytes of it, then the
    /// connection is closed (a bound for the test itself, far beyond any sane answer).
    Endless { limit: u64 },
    /// HTTP 200 with `body`, one byte every `every`.
    Trickle { body: String, every: Duration },
    /// A status line, then nothing: headers that never finish.
    StallHeaders,
    /// A page of the owned list claiming `count` numbers, `per_page` of them on page 1 and
    /// `later` on every other page (0: `{}`).
    Lying {
        count: u64,
        per_page: usize,
        later: usize,
    },
    /// `status` (e.g. "429 Too Many Requests") with the extra `headers` (each ending in CRLF)
    /// and `body`.
    Fixed {
        status: String,
        headers: String,
        body: String,
    },
}

/// A running hostile server.
#[derive(Clone)]
pub struct Hostile {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub port: u16,
    heads: Arc<Mutex<Vec<String>>>,
    body_bytes: Arc<AtomicU64>,
}

impl Hostile {
    /// The head (request line and headers) of every request received, in order.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    pub fn requests(&self) -> usize {
        self.heads.lock().unwrap().len()
    }

    /// Body bytes written to clients (those a client stopped reading are not counted).
    pub fn body_bytes(&self) -> u64 {
        self.body_bytes.load(Ordering::Relaxed)
    }
}

/// A client of `base` with made-up credentials.
pub fn client_of(base: &str, config: ClientConfig) -> Client {
    Client::new(
        Credentials::new("hostilekey", "hostile-secret"),
        ClientConfig {
            base_url: base.to_string(),
            ..config
        },
    )
    .expect("client")
}

/// One page of `size` owned numbers.
pub fn one(size: u32) -> OwnedQuery {
    OwnedQuery {
        size,
        ..OwnedQuery::default()
    }
}

/// Starts a server answering every request with `answer`.
pub async fn start(answer: Answer) -> Hostile {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = Hostile {
        base: format!("http://127.0.0.1:{port}"),
        port,
        heads: Arc::default(),
        body_bytes: Arc::default(),
    };
    let s = server.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (s, answer) = (s.clone(), answer.clone());
            tokio::spawn(async move { serve(socket, s, answer).await });
        }
    });
    server
}

/// A page of `n` owned numbers (distinct per page index), claiming `count`.
pub fn page(count: u64, index: u64, n: usize) -> String {
    if n == 0 {
        return "{}".to_string();
    }
    let numbers: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"country":"GB","msisdn":"447{:09}","type":"mobile-lvn","features":["SMS"]}}"#,
                index * 1000 + i as u64
            )
        })
        .collect();
    format!(r#"{{"count":{count},"numbers":[{}]}}"#, numbers.join(","))
}

async fn serve(mut socket: TcpStream, s: Hostile, answer: Answer) {
    loop {
        let Some(head) = read_head(&mut socket).await else {
            return;
        };
        let index = query_value(&head, "index")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1u64);
        s.heads.lock().unwrap().push(head);
        let ok = match &answer {
            Answer::Endless { limit } => endless(&mut socket, &s, *limit).await,
            Answer::Trickle { body, every } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for b in body.bytes() {
                    tokio::time::sleep(*every).await;
                    if socket.write_all(&[b]).await.is_err() {
                        return;
                    }
                    s.body_bytes.fetch_add(1, Ordering::Relaxed);
                }
                true
            }
            Answer::StallHeaders => {
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\n").await;
                // Hold the connection until the client gives up.
                let mut buf = [0u8; 64];
                while let Ok(n) = socket.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                }
                return;
            }
            Answer::Lying {
                count,
                per_page,
                later,
            } => {
                let n = if index == 1 { *per_page } else { *later };
                respond(&mut socket, &s, "200 OK", "", &page(*count, index, n)).await
            }
            Answer::Fixed {
                status,
                headers,
                body,
            } => respond(&mut socket, &s, status, headers, body).await,
        };
        if !ok {
            return;
        }
    }
}

async fn respond(
    socket: &mut TcpStream,
    s: &Hostile,
    status: &str,
    headers: &str,
    body: &str,
) -> bool {
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\n\r\n{body}",
        body.len()
    );
    let ok = socket.write_all(answer.as_bytes()).await.is_ok();
    if ok {
        s.body_bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
    }
    ok
}

async fn endless(socket: &mut TcpStream, s: &Hostile, limit: u64) -> bool {
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    if socket.write_all(head.as_bytes()).await.is_err() {
        return false;
    }
    let start = r#"{"count":1,"numbers":[{"msisdn":""#;
    let filler = vec![b'7'; 64 * 1024];
    let chunk = |data: &[u8]| {
        let mut c = format!("{:x}\r\n", data.len()).into_bytes();
        c.extend_from_slice(data);
        c.extend_from_slice(b"\r\n");
        c
    };
    if socket.write_all(&chunk(start.as_bytes())).await.is_err() {
        return false;
    }
    while s.body_bytes() < limit {
        if socket.write_all(&chunk(&filler)).await.is_err() {
            return false;
        }
        s.body_bytes
            .fetch_add(filler.len() as u64, Ordering::Relaxed);
    }
    false
}

/// Reads one request head (and its body, by content-length). `None` at the end.
async fn read_head(socket: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.ok()? == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; len.min(1 << 20)];
    socket.read_exact(&mut body).await.ok()?;
    Some(head + &String::from_utf8_lossy(&body))
}

fn query_value(head: &str, key: &str) -> Option<String> {
    let target = head.split_whitespace().nth(1)?;
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.to_string())
    })
}

/// The peak resident memory (VmHWM, in KB) of process `pid`, read from /proc while it runs.
pub fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
