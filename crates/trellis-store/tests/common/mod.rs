//! Test harness shared by the integration tests: a SQLite store in a temporary file, and a
//! PostgreSQL store in a fresh schema of `TRELLIS_TEST_DATABASE_URL` (or a skip notice, or a
//! failure when `TRELLIS_REQUIRE_POSTGRES=1`).
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Once};

use sqlx::{ConnectOptions, Connection};
use tempfile::TempDir;
use trellis_core::store::Store;
use trellis_store::{PgStore, SqliteStore};

/// A SQLite store in a temporary directory, removed when this is dropped.
pub struct Sqlite {
    pub store: Arc<dyn Store>,
    _dir: TempDir,
}

pub async fn sqlite() -> Sqlite {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let store = SqliteStore::open(&dir.path().join("trellis.db"))
        .await
        .expect("open a SQLite store");
    Sqlite {
        store: Arc::new(store),
        _dir: dir,
    }
}

/// A SQLite store behind the local-mode cache (`Cached`), as `trellis serve` runs it.
pub async fn cached_sqlite() -> Sqlite {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let store = SqliteStore::open(&dir.path().join("trellis.db"))
        .await
        .expect("open a SQLite store");
    Sqlite {
        store: Arc::new(trellis_store::Cached::new(store)),
        _dir: dir,
    }
}

/// A PostgreSQL store in its own schema, dropped by `finish`.
pub struct Postgres {
    pub store: Arc<dyn Store>,
    pub pg: PgStore,
    pub url: String,
    pub schema: String,
}

static SKIP_NOTICE: Once = Once::new();

/// `None` (after saying so) when no PostgreSQL is configured and none is required.
pub async fn postgres(test: &str) -> Option<Postgres> {
    let url = std::env::var("TRELLIS_TEST_DATABASE_URL").unwrap_or_default();
    if url.trim().is_empty() {
        assert!(
            std::env::var("TRELLIS_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "TRELLIS_REQUIRE_POSTGRES=1 but TRELLIS_TEST_DATABASE_URL is not set: \
             run the tests under scripts/with-postgres"
        );
        SKIP_NOTICE.call_once(|| {
            // Written straight to stderr so the test harness does not swallow it.
            let _ = writeln!(
                std::io::stderr(),
                "NOTE: PostgreSQL was NOT tested (TRELLIS_TEST_DATABASE_URL is not set); \
                 run under scripts/with-postgres to test it"
            );
        });
        return None;
    }
    let schema = format!("t_{}_{:08x}", test, rand::random::<u32>());
    let schema: String = schema.chars().take(63).collect();
    let pg = PgStore::connect_with_schema(&url, &schema)
        .await
        .unwrap_or_else(|e| panic!("connect to PostgreSQL at TRELLIS_TEST_DATABASE_URL: {e}"));
    Some(Postgres {
        store: Arc::new(pg.clone()),
        pg,
        url,
        schema,
    })
}

impl Postgres {
    /// Closes the pool and drops the test's schema.
    pub async fn finish(self) {
        drop(self.store);
        self.pg.close().await;
        let options: sqlx::postgres::PgConnectOptions =
            self.url.parse().expect("parse the test database url");
        let mut conn = options.connect().await.expect("connect to drop the schema");
        sqlx::query(&format!("DROP SCHEMA \"{}\" CASCADE", self.schema))
            .execute(&mut conn)
            .await
            .expect("drop the test schema");
        conn.close().await.expect("close");
    }
}
