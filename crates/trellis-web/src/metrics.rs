//! Operators' metrics in Prometheus's text format, served on a separate address (`serve
//! --metrics-bind`), never beside the app's pages.
//!
//! What is counted is chosen so that nothing here can name a person or what they wrote:
//! requests by method, **route pattern** (`/journal/{id}`, never the id), and status class, with
//! their latencies; and gauges the binary adds (passphrase-check queue, database pool, memory).
//! Labels come only from the router's fixed patterns and a fixed list of methods, so their
//! number is bounded by the code, not by what clients send.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// One request series: a method and a route pattern.
#[derive(Default)]
struct Series {
    /// Answers by status class: 1xx (index 0) … 5xx (index 4).
    by_class: [AtomicU64; 5],
    /// Cumulative counts per bucket in [`BUCKETS`] (the `+Inf` bucket is the total).
    buckets: [AtomicU64; BUCKETS.len()],
    /// Sum of latencies in microseconds.
    micros: AtomicU64,
}

/// Route pattern → its series, for one method.
type Routes = HashMap<Arc<str>, Arc<Series>>;

/// Request counts and latencies, shared by every request; cheap to update (a read lock and a
/// few atomic adds once a series exists).
#[derive(Default)]
pub struct Metrics {
    /// Method label → route pattern → series.
    series: RwLock<HashMap<&'static str, Routes>>,
    /// Requests that ended before an answer: cut off at the time limit, or the client left.
    unfinished: AtomicU64,
}

/// A number the binary adds at each scrape: `name`, its help text, and its value.
#[derive(Clone, Debug)]
pub struct Gauge {
    /// The metric's name (`trellis_…`).
    pub name: &'static str,
    /// One line saying what it is.
    pub help: &'static str,
    /// `gauge` or `counter`.
    pub kind: &'static str,
    /// The value now.
    pub value: f64,
}

/// The route label of a response: set by [`label`] once routing has matched.
#[derive(Clone)]
struct RouteLabel(MatchedPath);

impl Metrics {
    /// Counts one answer.
    pub fn observe(&self, method: &Method, route: &str, status: u16, took: Duration) {
        let method = method_label(method);
        let series = self.series_for(method, route);
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        series.by_class[class].fetch_add(1, Ordering::Relaxed);
        let secs = took.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(&series.buckets) {
            if secs <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        series.micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn series_for(&self, method: &'static str, route: &str) -> Arc<Series> {
        let read = self
            .series
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = read.get(method).and_then(|routes| routes.get(route)) {
            return Arc::clone(found);
        }
        drop(read);
        let mut write = self
            .series
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(
            write
                .entry(method)
                .or_default()
                .entry(Arc::from(route))
                .or_default(),
        )
    }

    /// The whole text page: request series, then `gauges`.
    pub fn render(&self, gauges: &[Gauge]) -> String {
        let mut out = String::with_capacity(16 * 1024);
        let read = self
            .series
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut series: Vec<_> = read
            .iter()
            .flat_map(|(method, routes)| routes.iter().map(move |(route, s)| ((*method, route), s)))
            .collect();
        series.sort_by(|a, b| a.0.cmp(&b.0));
        out.push_str("# HELP trellis_http_requests_total Answers by method, route pattern and status class.\n");
        out.push_str("# TYPE trellis_http_requests_total counter\n");
        for ((method, route), s) in &series {
            for (i, count) in s.by_class.iter().enumerate() {
                let n = count.load(Ordering::Relaxed);
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "trellis_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{}xx\"}} {n}",
                        escape(route),
                        i + 1
                    );
                }
            }
        }
        out.push_str("# HELP trellis_http_request_duration_seconds Time from a request's headers to its answer, by method and route pattern.\n");
        out.push_str("# TYPE trellis_http_request_duration_seconds histogram\n");
        for ((method, route), s) in &series {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let total: u64 = s.by_class.iter().map(|c| c.load(Ordering::Relaxed)).sum();
            for (bound, count) in BUCKETS.iter().zip(&s.buckets) {
                let _ = writeln!(
                    out,
                    "trellis_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                    count.load(Ordering::Relaxed)
                );
            }
            let _ = writeln!(
                out,
                "trellis_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {total}"
            );
            let _ = writeln!(
                out,
                "trellis_http_request_duration_seconds_sum{{{labels}}} {}",
                s.micros.load(Ordering::Relaxed) as f64 / 1e6
            );
            let _ = writeln!(
                out,
                "trellis_http_request_duration_seconds_count{{{labels}}} {total}"
            );
        }
        out.push_str("# HELP trellis_http_requests_unfinished_total Requests that ended before an answer (the time limit, or the client left).\n");
        out.push_str("# TYPE trellis_http_requests_unfinished_total counter\n");
        let _ = writeln!(
            out,
            "trellis_http_requests_unfinished_total {}",
            self.unfinished.load(Ordering::Relaxed)
        );
        for g in gauges {
            let _ = writeln!(out, "# HELP {} {}", g.name, g.help);
            let _ = writeln!(out, "# TYPE {} {}", g.name, g.kind);
            let _ = writeln!(out, "{} {}", g.name, g.value);
        }
        out
    }
}

/// A fixed set of method labels: a client's invented method cannot add a series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        _ => "other",
    }
}

/// Label values are route patterns from our own code; escaped anyway, as the format asks.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Marks a response with the route pattern that answered it (called by the access log, which
/// runs once routing has matched), for [`track`].
pub(crate) fn label(response: &mut Response, route: MatchedPath) {
    response.extensions_mut().insert(RouteLabel(route));
}

/// Keeps the route label when a layer draws a new response in place of the one routing gave
/// (the error pages).
pub(crate) fn carry_label(from: &Response, to: &mut Response) {
    if let Some(label) = from.extensions().get::<RouteLabel>() {
        to.extensions_mut().insert(label.clone());
    }
}

/// Counts a request as unfinished if it is dropped before its answer.
struct Unfinished<'a> {
    metrics: &'a Metrics,
    answered: bool,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if !self.answered {
            self.metrics.unfinished.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Outermost layer: times every request, the security layers included. Requests answered
/// before routing (a refused host, a failed CSRF check, an unknown address) count under
/// `unmatched`; requests dropped before their answer (the time limit, a client that left)
/// count as unfinished.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let mut pending = Unfinished {
        metrics: &metrics,
        answered: false,
    };
    let response = next.run(request).await;
    pending.answered = true;
    let route = response
        .extensions()
        .get::<RouteLabel>()
        .map_or("unmatched", |r| r.0.as_str());
    metrics.observe(
        &method,
        route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_the_total_is_the_count() {
        let m = Metrics::default();
        m.observe(&Method::GET, "/journal/{id}", 200, Duration::from_millis(3));
        m.observe(
            &Method::GET,
            "/journal/{id}",
            404,
            Duration::from_millis(30),
        );
        m.observe(
            &Method::from_bytes(b"BREW").unwrap(),
            "/",
            405,
            Duration::from_micros(10),
        );
        let text = m.render(&[]);
        let line = |needle: &str| {
            text.lines()
                .find(|l| l.starts_with(needle))
                .unwrap_or_else(|| panic!("no line {needle} in\n{text}"))
                .rsplit(' ')
                .next()
                .unwrap()
                .to_owned()
        };
        let labels = "method=\"GET\",route=\"/journal/{id}\"";
        assert_eq!(
            line(&format!(
                "trellis_http_request_duration_seconds_bucket{{{labels},le=\"0.001\"}}"
            )),
            "0"
        );
        assert_eq!(
            line(&format!(
                "trellis_http_request_duration_seconds_bucket{{{labels},le=\"0.005\"}}"
            )),
            "1"
        );
        assert_eq!(
            line(&format!(
                "trellis_http_request_duration_seconds_bucket{{{labels},le=\"0.05\"}}"
            )),
            "2"
        );
        assert_eq!(
            line(&format!(
                "trellis_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}}"
            )),
            "2"
        );
        assert_eq!(
            line(&format!(
                "trellis_http_request_duration_seconds_count{{{labels}}}"
            )),
            "2"
        );
        assert_eq!(
            line(&format!(
                "trellis_http_request_duration_seconds_sum{{{labels}}}"
            )),
            "0.033"
        );
        assert_eq!(
            line(&format!(
                "trellis_http_requests_total{{{labels},status=\"2xx\"}}"
            )),
            "1"
        );
        assert_eq!(
            line(&format!(
                "trellis_http_requests_total{{{labels},status=\"4xx\"}}"
            )),
            "1"
        );
        // An invented method is "other", never its own label.
        assert!(text.contains("method=\"other\",route=\"/\""), "{text}");
        assert!(!text.contains("BREW"), "{text}");
    }

    #[test]
    fn gauges_follow_the_requests_with_their_type() {
        let m = Metrics::default();
        let text = m.render(&[Gauge {
            name: "trellis_kdf_waiting",
            help: "Passphrase checks waiting.",
            kind: "gauge",
            value: 3.0,
        }]);
        assert!(
            text.contains("# TYPE trellis_kdf_waiting gauge\ntrellis_kdf_waiting 3\n"),
            "{text}"
        );
    }

    /// A request dropped before its answer (the time limit, a client that left) is counted.
    #[tokio::test]
    async fn a_request_dropped_before_its_answer_counts_as_unfinished() {
        use tower::ServiceExt;
        let metrics = Arc::new(Metrics::default());
        let app = axum::Router::new()
            .route(
                "/slow",
                axum::routing::get(std::future::pending::<&'static str>),
            )
            .route("/quick", axum::routing::get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(metrics.clone(), track));
        let request = |path: &str| {
            axum::http::Request::builder()
                .uri(path)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let cut = tokio::time::timeout(
            Duration::from_millis(20),
            app.clone().oneshot(request("/slow")),
        )
        .await;
        assert!(cut.is_err(), "the slow request was cut off");
        app.oneshot(request("/quick")).await.unwrap();
        let text = metrics.render(&[]);
        assert!(
            text.contains("trellis_http_requests_unfinished_total 1\n"),
            "{text}"
        );
    }
}
