//! The SQLite store: one private file, write-ahead log, full sync, secure delete.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use trellis_core::store::StoreError;

use crate::error::from_sqlite;
use crate::migration::{migrate_error, migration_problems, MigrationRow};

mod store;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

// A connection whose COMMIT or ROLLBACK failed (a full disk) is closed, never reused: SQLite
// may have rolled back by itself while sqlx still counts an open transaction, and the next
// `begin()` on that connection would then open a SAVEPOINT that never commits, so later writes
// would be answered "saved" and lost, holding the write lock meanwhile. `after_release` sees
// sqlx's count still raised after any transaction that did not end cleanly (the rollback its
// drop queued fails or has not run yet) and drops the connection; closing it rolls back
// whatever SQLite still holds open, and the pool opens a fresh one when space returns.
// (sqlx 0.8.6: launchbadge/sqlx#3742, #3932.)

/// How long a writer waits for another connection's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);

/// A [`Store`](trellis_core::store::Store) kept in one SQLite file (or in memory, for tests).
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: Option<PathBuf>,
}

impl SqliteStore {
    /// Bytes on disk: the database file and its write-ahead log (0 in memory).
    pub fn file_bytes(&self) -> u64 {
        let Some(path) = &self.path else { return 0 };
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        size(path) + size(Path::new(&wal))
    }

    /// Opens (creating with mode 0600 if missing) the database file and applies migrations.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        create_private_file(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .pragma("secure_delete", "ON")
            // 1 MiB of page cache per connection (SQLite's default is 2 MiB): the operating
            // system caches the file as well, and every connection is a thread whose memory
            // an idle server keeps (bench/journal's "resident memory" figure).
            .pragma("cache_size", "-1024")
            .busy_timeout(BUSY_TIMEOUT);
        // One writer at a time (SQLite) and a few readers; more connections only add threads
        // holding memory on a small machine.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_release(|conn, _| {
                Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
            })
            .connect_with(options)
            .await
            .map_err(from_sqlite)?;
        let store = Self {
            pool,
            path: Some(path.to_owned()),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Opens an existing database file for reading only (no migrations; every write fails
    /// with `StoreError::Unavailable`). Useful for inspecting a copy or a backup.
    pub async fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        if !path.exists() {
            return Err(StoreError::Unavailable(
                "the database file does not exist".to_owned(),
            ));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(from_sqlite)?;
        Ok(Self {
            pool,
            path: Some(path.to_owned()),
        })
    }

    /// A private in-memory database with migrations applied (one connection, for tests).
    pub async fn open_in_memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(from_sqlite)?
            .foreign_keys(true)
            .pragma("secure_delete", "ON");
        // One connection that never expires: the memory database lives as long as it does.
        let pool = SqlitePoolOptions::new()
            .min_connections(1)
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(from_sqlite)?;
        let store = Self { pool, path: None };
        store.migrate().await?;
        Ok(store)
    }

    /// The database file, or `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Applies any migrations this build has that the database lacks (nothing is written
    /// when the schema is already up to date, so a read-only file still opens).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        if self.migration_status().await?.is_empty() {
            return Ok(());
        }
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| migrate_error(e, from_sqlite))
    }

    /// Problems with the schema's migration history, in plain words (empty: up to date).
    pub async fn migration_status(&self) -> Result<Vec<String>, StoreError> {
        let has_table: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(from_sqlite)?;
        let applied = if has_table > 0 {
            Some(
                sqlx::query_as::<_, MigrationRow>(
                    "SELECT version, description, success, checksum \
                     FROM _sqlx_migrations ORDER BY version",
                )
                .fetch_all(&self.pool)
                .await
                .map_err(from_sqlite)?,
            )
        } else {
            None
        };
        Ok(migration_problems(&MIGRATOR, applied))
    }

    /// Writes the write-ahead log back into the main file and truncates it, so nothing
    /// lingers in the `-wal` file (called when a session locks in local mode).
    /// Returns `false` if another connection kept the checkpoint from completing.
    pub async fn checkpoint(&self) -> Result<bool, StoreError> {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await
            .map_err(from_sqlite)?;
        if busy != 0 {
            tracing::warn!(
                "the database checkpoint could not complete: another connection is busy"
            );
        }
        Ok(busy == 0)
    }

    /// The `Store::checkpoint` hook: folds the WAL back into the main file after a lock (and
    /// after a session or account is deleted, so no wrapped key lingers in the `-wal` file).
    async fn fold_wal(&self) -> Result<(), StoreError> {
        self.checkpoint().await.map(drop)
    }

    /// Closes every connection (waiting for those in use to be returned). sqlx may finish
    /// closing the last one on a background task just after this returns.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The connection pool's use now (for the operators' metrics).
    pub fn pool_use(&self) -> crate::PoolUse {
        crate::PoolUse::of(&self.pool)
    }
}

/// Creates the database file with owner-only permissions unless it already exists, so
/// SQLite never creates it with the process umask.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Unavailable(format!(
            "the database file cannot be created ({})",
            e.kind()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trellis_core::store::{Store, StoredRecord};

    #[tokio::test]
    async fn in_memory_store_is_migrated_and_empty() {
        let store = SqliteStore::open_in_memory().await.expect("open in memory");
        assert_eq!(store.count_accounts().await.expect("count"), 0);
        assert!(store.migration_status().await.expect("status").is_empty());
        assert!(store.check_integrity().await.expect("integrity").is_empty());
        assert!(store.path().is_none());
    }

    #[tokio::test]
    async fn full_database_is_unavailable_without_leaking_data() {
        use trellis_core::ids::RecordId;
        let store = SqliteStore::open_in_memory().await.expect("open in memory");
        let account = crate::test_account();
        store.create_account(&account).await.expect("create");
        // Cap the file at its current size: the next large write finds the "disk" full.
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&store.pool)
            .await
            .expect("page count");
        sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
            .execute(&store.pool)
            .await
            .expect("cap pages");
        let record = StoredRecord {
            account_id: account.id.clone(),
            id: RecordId::generate(),
            kind: "secret-kind-marker".to_owned(),
            schema_version: 1,
            key_id: 1,
            sealed: trellis_core::store::Sealed::from_database(vec![7; 60], vec![7; 1 << 20]),
            created_day: 0,
            updated_day: 0,
        };
        match store.save_record(&record).await {
            Err(StoreError::Unavailable(why)) => {
                assert_eq!(why, "the disk is full");
                assert!(!why.contains("secret-kind-marker"));
            }
            other => panic!("expected Unavailable, got {other:?}"),
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn new_file_is_private_and_in_wal_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.db");
        let store = SqliteStore::open(&path).await.expect("open");
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&store.pool)
            .await
            .expect("journal mode");
        assert_eq!(journal, "wal");
        let secure: i64 = sqlx::query_scalar("PRAGMA secure_delete")
            .fetch_one(&store.pool)
            .await
            .expect("secure delete");
        assert_eq!(secure, 1);
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&store.pool)
            .await
            .expect("synchronous");
        assert_eq!(sync, 2, "synchronous=FULL");
        assert!(store.checkpoint().await.expect("checkpoint"));
    }
}
