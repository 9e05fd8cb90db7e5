//! The PostgreSQL store, for hosted deployments.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use trellis_core::store::StoreError;

use crate::error::from_postgres;
use crate::migration::{migrate_error, migration_problems, MigrationRow};

mod store;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The channel [`Store::notify`](trellis_core::store::Store::notify) speaks on and every node
/// listens to (payload: "<account id> <event>", never anything a person wrote).
pub(crate) const EVENTS_CHANNEL: &str = "trellis_events";

/// How long to wait for the database server to accept a connection (or a pooled connection
/// to become free) before answering "unavailable".
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// "Cannot reach the database at HOST:PORT (why)", never the password or the full address.
fn unreachable(options: &PgConnectOptions, why: &StoreError) -> StoreError {
    let why = match why {
        StoreError::Unavailable(w) | StoreError::Other(w) | StoreError::Migration(w) => w.clone(),
        StoreError::Conflict => "refused".to_owned(),
    };
    StoreError::Unavailable(format!(
        "cannot reach the database at {}:{} ({why})",
        options.get_host(),
        options.get_port()
    ))
}

/// A [`Store`](trellis_core::store::Store) in a PostgreSQL database.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

fn parse_url(url: &str) -> Result<PgConnectOptions, StoreError> {
    // The address may hold a password: never echo it.
    PgConnectOptions::from_str(url)
        .map_err(|_| StoreError::Other("the PostgreSQL address is not valid".to_owned()))
}

impl PgStore {
    /// The size of the whole database, in bytes (`pg_database_size`).
    pub async fn database_bytes(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
            .fetch_one(&self.pool)
            .await
            .map_err(from_postgres)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Listens for the events any node sends with `Store::notify`, and hands each to
    /// `deliver` (account id, event name) until the store is closed. A lost connection is
    /// made again; events sent meanwhile are lost (pages catch up on their next load).
    pub async fn forward_events(
        &self,
        deliver: impl Fn(&str, &str) + Send + 'static,
    ) -> Result<tokio::task::JoinHandle<()>, StoreError> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool)
            .await
            .map_err(from_postgres)?;
        listener
            .listen(EVENTS_CHANNEL)
            .await
            .map_err(from_postgres)?;
        let pool = self.pool.clone();
        Ok(tokio::spawn(async move {
            while !pool.is_closed() {
                match listener.recv().await {
                    Ok(note) => {
                        if let Some((account, event)) = note.payload().split_once(' ') {
                            deliver(account, event);
                        }
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
                }
            }
        }))
    }

    /// Connects to `postgres://…` and applies migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(parse_url(url)?, None).await
    }

    /// Connects with every table in `schema` (created if missing; lowercase letters, digits
    /// and `_` only), then applies migrations there. Lets tests share one database.
    pub async fn connect_with_schema(url: &str, schema: &str) -> Result<Self, StoreError> {
        Self::connect_with(parse_url(url)?, Some(schema)).await
    }

    /// Connects with explicit driver options (and optionally a schema, as in
    /// [`PgStore::connect_with_schema`]), then applies any pending migrations.
    pub async fn connect_with(
        options: PgConnectOptions,
        schema: Option<&str>,
    ) -> Result<Self, StoreError> {
        let options = match schema {
            None => options,
            Some(schema) => {
                ensure_schema(&options, schema).await?;
                options.options([("search_path", schema)])
            }
        };
        // One plain connection first, so that a server that cannot be reached is named in
        // plain words at start-up instead of as a pool timeout.
        let probe = tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await;
        match probe {
            Ok(Ok(conn)) => {
                let _ = conn.close().await;
            }
            Ok(Err(e)) => return Err(unreachable(&options, &from_postgres(e))),
            Err(_) => {
                return Err(unreachable(
                    &options,
                    &StoreError::Unavailable("no answer in time".to_owned()),
                ))
            }
        }
        // While the database is down, a request gets its calm 503 within a few seconds; the
        // pool reconnects by itself when it is back.
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(from_postgres)?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies any migrations this build has that the database lacks (nothing is written
    /// when the schema is already up to date, so a read-only database still opens).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        if self.migration_status().await?.is_empty() {
            return Ok(());
        }
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| migrate_error(e, from_postgres))
    }

    /// Problems with the schema's migration history, in plain words (empty: up to date).
    pub async fn migration_status(&self) -> Result<Vec<String>, StoreError> {
        let has_table: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&self.pool)
                .await
                .map_err(from_postgres)?;
        let applied = if has_table {
            Some(
                sqlx::query_as::<_, MigrationRow>(
                    "SELECT version, description, success, checksum \
                     FROM _sqlx_migrations ORDER BY version",
                )
                .fetch_all(&self.pool)
                .await
                .map_err(from_postgres)?,
            )
        } else {
            None
        };
        Ok(migration_problems(&MIGRATOR, applied))
    }

    /// Closes every connection (waiting for those in use to be returned).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The connection pool's use now (for the operators' metrics).
    pub fn pool_use(&self) -> crate::PoolUse {
        crate::PoolUse::of(&self.pool)
    }
}

/// Creates `schema` unless it exists (checked first, so a read-only server is fine).
async fn ensure_schema(options: &PgConnectOptions, schema: &str) -> Result<(), StoreError> {
    let valid = !schema.is_empty()
        && schema.len() <= 63
        && schema.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(StoreError::Other(
            "a schema name may only hold lowercase letters, digits and _".to_owned(),
        ));
    }
    let mut conn = options.connect().await.map_err(from_postgres)?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)")
            .bind(schema)
            .fetch_one(&mut conn)
            .await
            .map_err(from_postgres)?;
    if !exists {
        // The name was checked above, so quoting it is enough.
        sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
            .execute(&mut conn)
            .await
            .map_err(from_postgres)?;
    }
    conn.close().await.map_err(from_postgres)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_server_is_named_plainly_and_quickly() {
        let started = std::time::Instant::now();
        let err = PgStore::connect("postgres://someone:secret-password@127.0.0.1:1/trellis")
            .await
            .expect_err("nothing listens on port 1");
        let words = err.to_string();
        assert!(
            words.contains("cannot reach the database at 127.0.0.1:1"),
            "{words}"
        );
        assert!(!words.contains("secret-password"), "{words}");
        // Well within the old 10-second pool wait (a bound, not a benchmark).
        assert!(
            started.elapsed() < Duration::from_secs(9),
            "{:?}",
            started.elapsed()
        );
    }
}
