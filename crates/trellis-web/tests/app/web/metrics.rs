//! The operators' metrics (`serve --metrics-bind`): requests are counted by route pattern, so
//! the page never holds an id, a name or anything written, and the counts are the requests made.

use super::harness::{TestApp, PASS};

const WORDS: &str = "CANARY-METRICS-91c2 words for no one else";

#[tokio::test]
async fn counts_by_route_pattern_and_never_an_id_a_name_or_a_word() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    c.post("/settings/name", &[("display_name", "CANARY-NAME-metrics")])
        .await
        .assert_redirect("/settings");
    let saved = c
        .post("/journal", &[("kind", "free"), ("text", WORDS)])
        .await;
    saved.assert_status(303);
    let entry = saved
        .header("location")
        .and_then(|l| l.strip_prefix("/journal/"))
        .and_then(|l| l.split('?').next())
        .expect("the new entry's address")
        .to_owned();
    for _ in 0..3 {
        c.get(&format!("/journal/{entry}")).await.assert_status(200);
    }
    c.get("/no/such/page").await.assert_status(404);
    // Someone else's (or no) entry: the calm 404 page, still counted under its route.
    let other = trellis_core::ids::RecordId::generate();
    c.get(&format!("/journal/{other}")).await.assert_status(404);
    c.lock().await;
    c.unlock(PASS).await;

    let text = app.metrics.render(&[]);
    let value = |line: &str| -> u64 {
        text.lines()
            .find(|l| l.starts_with(line))
            .unwrap_or_else(|| panic!("no {line} in\n{text}"))
            .rsplit(' ')
            .next()
            .and_then(|v| v.parse().ok())
            .expect("a count")
    };
    assert_eq!(
        value("trellis_http_requests_total{method=\"GET\",route=\"/journal/{id}\",status=\"2xx\"}"),
        3,
        "three views of one entry, under its pattern"
    );
    assert_eq!(
        value(
            "trellis_http_request_duration_seconds_count{method=\"GET\",route=\"/journal/{id}\"}"
        ),
        4,
        "the three views and the 404"
    );
    assert_eq!(
        value("trellis_http_requests_total{method=\"GET\",route=\"/journal/{id}\",status=\"4xx\"}"),
        1,
        "an error page drawn by the error layer keeps its route"
    );
    assert!(
        value("trellis_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"4xx\"}")
            >= 1,
        "an unknown address is counted without its path"
    );
    assert!(
        value("trellis_http_requests_total{method=\"POST\",route=\"/journal\",status=\"3xx\"}")
            >= 1
    );
    assert!(
        text.contains("trellis_http_requests_unfinished_total 0"),
        "{text}"
    );
    let other = other.to_string();
    for secret in [entry.as_str(), other.as_str(), "CANARY", "no/such", PASS] {
        assert!(!text.contains(secret), "{secret} in\n{text}");
    }
    app.finish().await;
}
