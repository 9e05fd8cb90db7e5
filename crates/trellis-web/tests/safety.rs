//! Safety and Support (issue 4), end to end over HTTP: boundaries with their history, the
//! safety plan with its passphrase step-up and print view, trusted contacts (and Help now
//! while unlocked), the support network and its nudge; bad input; another account's ids;
//! sealed-only storage. Reuses the web harness (`web/harness.rs`).
//!
//! Tests marked "both databases" run on SQLite and, when `TRELLIS_TEST_DATABASE_URL` is set
//! (see `scripts/with-postgres`), on PostgreSQL too.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "web/harness.rs"]
mod harness;

/// For each `async fn name(app: &TestApp)` in the calling module: `sqlite::name` and
/// `postgres::name` (which passes with a notice when PostgreSQL is not set up).
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = crate::harness::TestApp::sqlite().await;
                    super::$name(&app).await;
                    app.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = crate::harness::TestApp::postgres(stringify!($name)).await {
                        super::$name(&app).await;
                        app.finish().await;
                    }
                }
            )*
        }
    };
}

mod safety {
    pub mod common;

    mod authz;
    mod boundaries;
    mod canary;
    mod contacts;
    mod plan;
    mod support;
}
