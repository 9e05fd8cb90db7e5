//! trellis-web: the HTTP layer. axum router, thin handlers, askama templates, embedded assets,
//! and the security middleware that runs before routing.
//!
//! Layer order (outermost first): metrics (when asked for) → allowed host → security headers →
//! anonymous cookie → error rendering → CSRF / same-origin / body-size guard → router.

pub mod address;
pub mod assets;
pub mod cookies;
pub mod ctx;
pub mod error;
pub mod form;
pub mod guard;
pub mod handlers;
pub mod metrics;
pub mod pages;
pub mod registry;
pub mod render;
pub mod serve;

pub use serve::{serve, ServeLimits};

use std::sync::Arc;

use axum::Router;
use trellis_core::Trellis;

/// Shared state for every handler: one reference-counted block, so that the copy each layer
/// and extractor takes of it costs one atomic add (a profile showed five, one per field,
/// bouncing between cores on every request).
#[derive(Clone)]
pub struct AppState(Arc<State>);

impl std::ops::Deref for AppState {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0
    }
}

/// What [`AppState`] holds.
#[derive(Clone)]
pub struct State {
    /// The application service.
    pub trellis: Arc<Trellis>,
    /// Where quick exit sends the person.
    pub exit_url: Arc<str>,
    /// The Content-Security-Policy header value (built once from `exit_url`).
    pub csp: axum::http::HeaderValue,
    /// The `Host` values answered (lowercase); any other gets 421. Empty: not checked.
    pub allowed_hosts: Arc<Vec<String>>,
    /// Reverse proxies whose header naming the client is believed (see [`address`]).
    pub trusted_proxies: Arc<Vec<address::Cidr>>,
    /// Which header those proxies name the client in.
    pub proxy_header: address::ProxyHeader,
    /// Request counts and latencies for operators, when asked for (`serve --metrics-bind`).
    pub metrics: Option<Arc<metrics::Metrics>>,
}

impl AppState {
    /// State for the service and quick-exit address.
    pub fn new(trellis: Arc<Trellis>, exit_url: String) -> Self {
        let csp = axum::http::HeaderValue::from_str(&guard::content_security_policy(&exit_url))
            .unwrap_or_else(|_| axum::http::HeaderValue::from_static("default-src 'none'"));
        Self(Arc::new(State {
            trellis,
            exit_url: Arc::from(exit_url),
            csp,
            allowed_hosts: Arc::new(Vec::new()),
            trusted_proxies: Arc::new(Vec::new()),
            proxy_header: address::ProxyHeader::default(),
            metrics: None,
        }))
    }

    /// The state to change while building (before it is shared).
    fn building(&mut self) -> &mut State {
        Arc::make_mut(&mut self.0)
    }

    /// Believes `header` from these proxies (and only from them).
    pub fn trusting_proxies(
        mut self,
        proxies: Vec<address::Cidr>,
        header: address::ProxyHeader,
    ) -> Self {
        let state = self.building();
        state.trusted_proxies = Arc::new(proxies);
        state.proxy_header = header;
        self
    }

    /// Counts every request into `metrics` (by route pattern only).
    pub fn counting(mut self, metrics: Arc<metrics::Metrics>) -> Self {
        self.building().metrics = Some(metrics);
        self
    }

    /// Answers only requests whose `Host` is the listening address (as bound, and as
    /// `localhost`/`127.0.0.1`/`[::1]` with the same port) or one of `extra` (a public name).
    pub fn answering_hosts(mut self, listening: std::net::SocketAddr, extra: &[String]) -> Self {
        let port = listening.port();
        let mut hosts = vec![
            listening.to_string(),
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        hosts.extend(extra.iter().map(|h| h.trim().to_ascii_lowercase()));
        hosts.retain(|h| !h.is_empty());
        self.building().allowed_hosts = Arc::new(hosts);
        self
    }
}

/// The default neutral site for quick exit.
pub const DEFAULT_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

/// Builds the whole application: every area's routes (from [`registry::AREAS`]) behind the
/// security layers.
pub fn router(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    let app = registry::router()
        .fallback(guard::not_found)
        .route_layer(axum::middleware::from_fn(guard::access_log))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::render_errors,
        ))
        .layer(axum::middleware::from_fn(ctx::anon_cookie))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::allowed_host,
        ))
        .with_state(state);
    match metrics {
        Some(m) => app.layer(axum::middleware::from_fn_with_state(m, metrics::track)),
        None => app,
    }
}
