//! Slow and silent connections: each kind is closed after its time, a full house answers
//! "busy" calmly, and Help now keeps answering throughout.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use trellis_web::ServeLimits;

use super::harness::{serve_with, Client, TestApp};

const HEADER_TIME: Duration = Duration::from_millis(800);

async fn start(app: &TestApp, max_connections: usize) -> (String, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address").to_string();
    let limits = ServeLimits {
        max_connections,
        header_read_timeout: HEADER_TIME,
        request_timeout: Duration::from_secs(1),
        ..ServeLimits::default()
    };
    let (base, _server) = serve_with(app.trellis.clone(), listener, limits);
    (base, addr)
}

/// Reads until the server closes the connection; what it sent, or a panic after `limit`.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let mut got = Vec::new();
    let closed = tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the server kept the connection open");
    got
}

#[tokio::test]
async fn silent_trickling_and_idle_connections_are_closed_and_help_still_answers() {
    let app = TestApp::sqlite().await;
    let (base, addr) = start(&app, 1000).await;
    let mut silent = Vec::new();
    for _ in 0..400 {
        silent.push(TcpStream::connect(&addr).await.expect("connect"));
    }
    let started = Instant::now();
    Client::new(&base).get("/help").await.assert_status(200);
    eprintln!(
        "/help answered in {} ms with 400 silent connections open",
        started.elapsed().as_millis()
    );

    // Headers sent one byte at a time, slower than allowed.
    let mut trickle = TcpStream::connect(&addr).await.expect("connect");
    let line = b"GET /help HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    let started = Instant::now();
    let mut closed = false;
    for b in line
        .iter()
        .chain(b"abcdefghijklmnopqrstuvwxyz".iter().cycle())
    {
        if trickle.write_all(&[*b]).await.is_err() {
            closed = true;
            break;
        }
        let mut probe = [0u8; 1];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_millis(100), trickle.read(&mut probe)).await
        {
            closed = true;
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "a trickle was kept open"
        );
    }
    assert!(closed);

    // A whole request, then nothing: the idle keep-alive connection is closed.
    let mut idle = TcpStream::connect(&addr).await.expect("connect");
    idle.write_all(format!("GET /health HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .expect("send");
    let answer = read_until_closed(&mut idle, Duration::from_secs(10)).await;
    assert!(answer.starts_with(b"HTTP/1.1 200"), "it answered first");

    // The silent ones are all closed too.
    for mut s in silent {
        read_until_closed(&mut s, Duration::from_secs(10)).await;
    }
    app.finish().await;
}

#[tokio::test]
async fn a_full_house_answers_busy_and_a_slow_body_gets_a_calm_answer() {
    let app = TestApp::sqlite().await;
    let (base, addr) = start(&app, 20).await;
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(TcpStream::connect(&addr).await.expect("connect"));
    }
    // Wait until the server has taken all twenty: then the next one is turned away calmly
    // (and counted for the operators' metrics; other tests in this process may add to it).
    let turned_away = trellis_web::serve::turned_away();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut extra = TcpStream::connect(&addr).await.expect("connect");
        let _ = extra
            .write_all(format!("GET /help HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .await;
        let answer = read_until_closed(&mut extra, Duration::from_secs(10)).await;
        let text = String::from_utf8_lossy(&answer);
        if text.starts_with("HTTP/1.1 503") {
            assert!(text.contains("Please try again soon"), "{text}");
            assert!(trellis_web::serve::turned_away() > turned_away, "counted");
            break;
        }
        assert!(Instant::now() < deadline, "never turned away: {text}");
        tokio::task::yield_now().await;
    }
    // Once the silent ones are closed, everything works again.
    for mut s in held {
        read_until_closed(&mut s, Duration::from_secs(10)).await;
    }
    Client::new(&base).get("/help").await.assert_status(200);

    // A body that never finishes arriving: stopped after the request time, calmly.
    let mut slow = TcpStream::connect(&addr).await.expect("connect");
    slow.write_all(
        format!(
            "POST /unlock HTTP/1.1\r\nHost: {addr}\r\nSec-Fetch-Site: same-origin\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\npass"
        )
        .as_bytes(),
    )
    .await
    .expect("send");
    let answer = read_until_closed(&mut slow, Duration::from_secs(10)).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("Nothing saved before was lost"), "{text}");
    app.finish().await;
}

/// Only this server's own names are answered (DNS rebinding reaches nothing).
#[tokio::test]
async fn another_host_name_is_not_answered() {
    let app = TestApp::sqlite().await;
    let (_, addr) = start(&app, 100).await;
    let port = addr.rsplit(':').next().expect("port");
    for (host, expected) in [
        ("rebind.example", "HTTP/1.1 421"),
        ("127.0.0.2:80", "HTTP/1.1 421"),
        (&format!("localhost:{port}") as &str, "HTTP/1.1 200"),
        (&addr as &str, "HTTP/1.1 200"),
    ] {
        let mut s = TcpStream::connect(&addr).await.expect("connect");
        s.write_all(
            format!("GET /help HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .expect("send");
        let answer = read_until_closed(&mut s, Duration::from_secs(10)).await;
        assert!(
            answer.starts_with(expected.as_bytes()),
            "{host}: {}",
            String::from_utf8_lossy(&answer[..answer.len().min(80)])
        );
    }
    app.finish().await;
}
