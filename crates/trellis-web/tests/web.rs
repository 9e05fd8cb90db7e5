//! End-to-end tests of the web layer: the real router served on 127.0.0.1 over a real store,
//! driven with a small HTTP client that behaves like a careful browser (its own cookie jar,
//! `Sec-Fetch-Site: same-origin`, the hidden `csrf` field, no automatic redirects).
//!
//! Tests marked "both databases" run on SQLite (a temporary file) and, when
//! `TRELLIS_TEST_DATABASE_URL` is set, on PostgreSQL in a fresh schema. Without it the
//! PostgreSQL variants pass after saying so on stderr, unless `TRELLIS_REQUIRE_POSTGRES=1`.
//! See `scripts/with-postgres`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

/// Generates, for each `async fn name(app: &TestApp)` in the calling module, a `sqlite::name`
/// test and a `postgres::name` test (which passes with a notice when PostgreSQL is not set up).
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = crate::web::harness::TestApp::sqlite().await;
                    super::$name(&app).await;
                    app.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = crate::web::harness::TestApp::postgres(stringify!($name)).await {
                        super::$name(&app).await;
                        app.finish().await;
                    }
                }
            )*
        }
    };
}

mod web {
    pub mod harness;

    mod bad_input;
    mod canary;
    mod connections;
    mod disk_full;
    mod endings;
    mod faults;
    mod help;
    mod kdf_pool;
    mod quick_exit;
    mod routes;
    mod sessions;
    mod setup;
    mod throttling;
}
