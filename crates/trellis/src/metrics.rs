//! `serve --metrics-bind`: the operators' Prometheus page on its own address, so that it can
//! be kept off the public network. Counts only: never a name, an id or anything written.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use trellis_core::Trellis;
use trellis_store::AnyStore;
use trellis_web::metrics::{Gauge, Metrics};

/// What the page reads at each scrape.
#[derive(Clone)]
struct Sources {
    metrics: Arc<Metrics>,
    trellis: Arc<Trellis>,
    store: AnyStore,
}

/// Binds `addr` now (so a taken address stops the start with a plain message) and returns the
/// server to run beside the app.
pub async fn bind(
    addr: &str,
    metrics: Arc<Metrics>,
    trellis: Arc<Trellis>,
    store: AnyStore,
) -> anyhow::Result<(tokio::net::TcpListener, Router)> {
    let addr: SocketAddr = addr.parse().map_err(|_| {
        anyhow::anyhow!(
            "'{addr}' is not an address and port, like 127.0.0.1:9464 (--metrics-bind)."
        )
    })?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("Cannot listen for metrics on {addr}: {e}."))?;
    let sources = Sources {
        metrics,
        trellis,
        store,
    };
    let app = Router::new()
        .route("/metrics", get(page))
        .with_state(sources);
    Ok((listener, app))
}

async fn page(axum::extract::State(s): axum::extract::State<Sources>) -> impl IntoResponse {
    let kdf = s.trellis.kdf_load();
    let pool = s.store.pool_use();
    let policy = s.trellis.policy();
    let gauges = [
        Gauge {
            name: "trellis_kdf_running",
            help: "Passphrase checks running now (each holds the key-derivation memory).",
            kind: "gauge",
            value: kdf.running as f64,
        },
        Gauge {
            name: "trellis_kdf_waiting",
            help: "Passphrase checks waiting for a turn.",
            kind: "gauge",
            value: kdf.waiting as f64,
        },
        Gauge {
            name: "trellis_kdf_slots",
            help: "Passphrase checks allowed at once (--kdf-concurrency).",
            kind: "gauge",
            value: policy.kdf_concurrency.max(1) as f64,
        },
        Gauge {
            name: "trellis_kdf_refused_total",
            help: "Passphrase checks refused as too busy since start (the person was asked to try again).",
            kind: "counter",
            value: kdf.refused as f64,
        },
        Gauge {
            name: "trellis_connections_turned_away_total",
            help: "Connections answered 'very busy' and closed because the node served its most at once.",
            kind: "counter",
            value: trellis_web::serve::turned_away() as f64,
        },
        Gauge {
            name: "trellis_db_pool_open",
            help: "Database connections open, idle or in use.",
            kind: "gauge",
            value: f64::from(pool.open),
        },
        Gauge {
            name: "trellis_db_pool_in_use",
            help: "Database connections in use now.",
            kind: "gauge",
            value: f64::from(pool.open.saturating_sub(pool.idle)),
        },
        Gauge {
            name: "trellis_db_pool_max",
            help: "The most database connections this node opens.",
            kind: "gauge",
            value: f64::from(pool.max),
        },
        Gauge {
            name: "trellis_process_resident_memory_bytes",
            help: "Memory this node holds now.",
            kind: "gauge",
            value: resident_bytes() as f64,
        },
    ];
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        s.metrics.render(&gauges),
    )
}

/// Resident memory from `/proc/self/statm` (0 where there is none).
fn resident_bytes() -> u64 {
    let pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0);
    pages * rustix::param::page_size() as u64
}
