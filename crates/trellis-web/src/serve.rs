//! The connection loop: HTTP/1.1 with a deadline for every slow part, so that silent, trickling
//! or idle connections cannot pile up and keep Help now from answering.
//!
//! - A connection must send a request's headers within `header_read_timeout` of being accepted
//!   or of its previous answer (hyper restarts that timer whenever the connection is idle, so it
//!   is also the idle keep-alive timeout).
//! - A whole request, body and handler included, gets `request_timeout`, then a calm 503.
//! - At most `max_connections` are served at once; beyond that a new connection gets a short
//!   "busy" answer and is closed, and the accept loop carries on (also after EMFILE).
//! - On shutdown: stop accepting, let each connection finish its request, then close.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// What is written to a connection over the cap before closing it.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nConnection: close\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Length: 55\r\n\r\n\
Trellis is very busy just now. Please try again soon.\r\n";

/// Connections turned away with the "busy" answer since the process started (all servers in
/// it together), for the operators' metrics.
static TURNED_AWAY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many connections were turned away as over the cap since start.
pub fn turned_away() -> u64 {
    TURNED_AWAY.load(std::sync::atomic::Ordering::Relaxed)
}

/// Limits for [`serve`].
#[derive(Clone, Copy, Debug)]
pub struct ServeLimits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Time to send a request's headers, from accept or from the previous answer.
    pub header_read_timeout: Duration,
    /// Time for a whole request, from its headers to the answer.
    pub request_timeout: Duration,
    /// Time a shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            header_read_timeout: Duration::from_secs(10),
            // Longer than a passphrase check may wait for its turn (30 s).
            request_timeout: Duration::from_secs(45),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes. Handlers see the peer address as
/// `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // Connections over the cap are told "busy" by at most this many small tasks at once.
    let spill = Arc::new(Semaphore::new(64));
    let (stop_tx, stop_rx) = watch::channel(());
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(64 * 1024);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    if !is_per_connection(&e) {
                        // Out of file descriptors or similar: wait a moment, never stop serving.
                        tracing::warn!(event = "accept_failed", cause = %e.kind());
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            TURNED_AWAY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if let Ok(permit) = Arc::clone(&spill).try_acquire_owned() {
                tokio::spawn(async move {
                    let _permit = permit;
                    let mut stream = stream;
                    let _ = tokio::time::timeout(Duration::from_secs(2), async {
                        stream.write_all(BUSY).await?;
                        stream.shutdown().await
                    })
                    .await;
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let request_timeout = limits.request_timeout;
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let app = app.clone();
            async move {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                let answer = tokio::time::timeout(request_timeout, app.oneshot(request)).await;
                Ok::<_, Infallible>(match answer {
                    Ok(Ok(response)) => response,
                    Ok(Err(never)) => match never {},
                    Err(_) => too_slow(),
                })
            }
        });
        let http = http.clone();
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            let _slot = slot;
            let connection = http.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(());
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.shutdown().await;
    }
}

/// Errors that concern one connection only (the client gave up): just go on.
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

/// A request that took longer than its time: a calm answer (a plain one: the page layout may
/// be what is slow).
fn too_slow() -> Response<Body> {
    let mut response = Response::new(Body::from(
        "That took too long, so we stopped. Nothing saved before was lost. Please try again.",
    ));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    );
    response
}
