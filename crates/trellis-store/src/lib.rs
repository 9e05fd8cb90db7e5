//! trellis-store: the [`Store`] port implemented for SQLite (local mode, one private file)
//! and PostgreSQL (hosted mode), with embedded, append-only migrations for each.
//!
//! Each backend writes out the SQL it runs in its own module (`sqlite/store.rs`,
//! `postgres/store.rs`); they share only ordinary functions for what is not SQL (`rows.rs`,
//! `common.rs`, `migration.rs`). Every statement on per-person data filters by
//! `account_id`. Use [`open_store`] to pick a backend from the configuration.

use std::path::Path;

use async_trait::async_trait;
use trellis_core::ids::{AccountId, RecordId};
use trellis_core::store::{
    AccountRecord, Attempt, PageStart, RecordStamp, SessionRecord, ShareRecord, Store, StoreError,
    StoredRecord, TogetherSignals,
};

mod cached;
mod common;
mod error;
mod migration;
mod postgres;
mod rows;
mod sqlite;

pub use cached::Cached;

/// An account row with placeholder key material, for the unit tests of this crate.
#[cfg(test)]
pub(crate) fn test_account() -> AccountRecord {
    AccountRecord {
        id: AccountId::generate(),
        created_at: 1,
        kdf_params: "p".to_owned(),
        salt: vec![0; 16],
        auth_verifier: vec![0; 32],
        wrapped_udk_pw: vec![0; 72],
        wrapped_udk_rc: None,
        key_id: 1,
        pepper_version: 1,
        idle_minutes: 10,
        name_key: None,
    }
}
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// How a connection pool is used at one moment: counts only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    /// Connections open (idle or in use).
    pub open: u32,
    /// Connections open and idle.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

impl PoolUse {
    fn of<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> Self {
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
        Self {
            open: pool.size(),
            idle,
            max: pool.options().get_max_connections(),
        }
    }
}

/// Either backend, chosen at start-up; implements [`Store`] by delegation.
#[derive(Clone, Debug)]
pub enum AnyStore {
    /// A local SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PgStore),
}

/// Opens PostgreSQL when `database_url` starts with `postgres://` or `postgresql://`,
/// otherwise (no url, or an empty one) the SQLite file at `sqlite_path`. Migrations are
/// applied either way. Any other url is refused rather than silently ignored.
pub async fn open_store(
    database_url: Option<&str>,
    sqlite_path: &Path,
) -> Result<AnyStore, StoreError> {
    match database_url.map(str::trim).filter(|u| !u.is_empty()) {
        None => Ok(AnyStore::Sqlite(SqliteStore::open(sqlite_path).await?)),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(AnyStore::Postgres(PgStore::connect(url).await?))
        }
        Some(_) => Err(StoreError::Other(
            "the database url must start with postgres:// or postgresql://".to_owned(),
        )),
    }
}

impl AnyStore {
    /// `"sqlite"` or `"postgres"`, for messages and the doctor command.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// The SQLite store, when that is the backend.
    pub fn as_sqlite(&self) -> Option<&SqliteStore> {
        match self {
            Self::Sqlite(s) => Some(s),
            Self::Postgres(_) => None,
        }
    }

    /// Truncates SQLite's write-ahead log (see [`SqliteStore::checkpoint`]); does nothing on
    /// PostgreSQL. Returns `false` only when a SQLite checkpoint could not complete.
    pub async fn checkpoint_if_sqlite(&self) -> Result<bool, StoreError> {
        match self {
            Self::Sqlite(s) => s.checkpoint().await,
            Self::Postgres(_) => Ok(true),
        }
    }

    /// Applies any pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(s) => s.migrate().await,
            Self::Postgres(s) => s.migrate().await,
        }
    }

    /// Problems with the migration history, in plain words (empty: up to date).
    pub async fn migration_status(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Self::Sqlite(s) => s.migration_status().await,
            Self::Postgres(s) => s.migration_status().await,
        }
    }

    /// How large the database is on disk, in bytes.
    pub async fn database_bytes(&self) -> Result<u64, StoreError> {
        match self {
            Self::Sqlite(s) => Ok(s.file_bytes()),
            Self::Postgres(s) => s.database_bytes().await,
        }
    }

    /// The connection pool's use now (for the operators' metrics).
    pub fn pool_use(&self) -> PoolUse {
        match self {
            Self::Sqlite(s) => s.pool_use(),
            Self::Postgres(s) => s.pool_use(),
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(s) => s.close().await,
            Self::Postgres(s) => s.close().await,
        }
    }
}

/// `match self { Sqlite(s) | Postgres(s) => s.method(args).await }` for each trait method.
macro_rules! delegate {
    ($( async fn $name:ident(&self $(, $arg:ident : $ty:ty)* ) -> $ret:ty; )*) => {
        #[async_trait]
        impl Store for AnyStore {
            async fn checkpoint(&self) -> Result<(), StoreError> {
                match self {
                    // `Store::checkpoint`: `SqliteStore` has an inherent `checkpoint` too.
                    Self::Sqlite(s) => Store::checkpoint(s).await,
                    Self::Postgres(s) => Store::checkpoint(s).await,
                }
            }
            $(
                async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    match self {
                        Self::Sqlite(s) => s.$name($($arg),*).await,
                        Self::Postgres(s) => s.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

delegate! {
    async fn secrets_fingerprint(&self) -> Result<Option<Vec<u8>>, StoreError>;
    async fn record_secrets_fingerprint(&self, fingerprint: &[u8]) -> Result<(), StoreError>;
    async fn count_accounts(&self) -> Result<u64, StoreError>;
    async fn check_integrity(&self) -> Result<Vec<String>, StoreError>;
    async fn create_account(&self, account: &AccountRecord) -> Result<(), StoreError>;
    async fn account(&self, id: &AccountId) -> Result<Option<AccountRecord>, StoreError>;
    async fn first_account(&self) -> Result<Option<AccountRecord>, StoreError>;
    async fn update_account_keys(&self, account: &AccountRecord) -> Result<(), StoreError>;
    async fn set_idle_minutes(&self, id: &AccountId, minutes: u16) -> Result<(), StoreError>;
    async fn delete_account(&self, id: &AccountId) -> Result<(), StoreError>;
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    async fn session(&self, sid_hash: &[u8]) -> Result<Option<SessionRecord>, StoreError>;
    async fn touch_session(&self, account: &AccountId, sid_hash: &[u8], last_seen_at: i64, idle_expires_at: i64) -> Result<(), StoreError>;
    async fn delete_session(&self, account: &AccountId, sid_hash: &[u8]) -> Result<bool, StoreError>;
    async fn delete_other_sessions(&self, account: &AccountId, keep: Option<&[u8]>) -> Result<u64, StoreError>;
    async fn sessions_of(&self, account: &AccountId) -> Result<Vec<SessionRecord>, StoreError>;
    async fn wipe_expired_sessions(&self, now: i64) -> Result<u64, StoreError>;
    async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError>;
    async fn save_record(&self, record: &StoredRecord) -> Result<(), StoreError>;
    async fn record(&self, account: &AccountId, id: &RecordId) -> Result<Option<StoredRecord>, StoreError>;
    async fn records_of_account(&self, account: &AccountId) -> Result<Vec<StoredRecord>, StoreError>;
    async fn records_of_kind(&self, account: &AccountId, kind: &str) -> Result<Vec<StoredRecord>, StoreError>;
    async fn records_of_kind_page(&self, account: &AccountId, kind: &str, start: &PageStart, limit: u32) -> Result<Vec<StoredRecord>, StoreError>;
    async fn records_of_kind_in_days(&self, account: &AccountId, kind: &str, from_day: i64, until_day: i64) -> Result<Vec<StoredRecord>, StoreError>;
    async fn visit_records_of_kind_counting(&self, account: &AccountId, kind: &str, counted_kind: &str, batch_bytes: usize, visit: &mut (dyn FnMut(Vec<StoredRecord>) + Send)) -> Result<u64, StoreError>;
    async fn count_records_of_kind(&self, account: &AccountId, kind: &str) -> Result<u64, StoreError>;
    async fn count_records_by_day(&self, account: &AccountId, kind: &str, from_day: i64, until_day: i64) -> Result<Vec<(i64, u64)>, StoreError>;
    async fn mark_account_seen(&self, id: &AccountId, day: i64) -> Result<(), StoreError>;
    async fn count_accounts_seen_since(&self, day: i64) -> Result<u64, StoreError>;
    async fn add_signup_codes(&self, codes: &[(Vec<u8>, i64)]) -> Result<(), StoreError>;
    async fn claim_signup_code(&self, hash: &[u8], now: i64) -> Result<bool, StoreError>;
    async fn release_signup_code(&self, hash: &[u8]) -> Result<(), StoreError>;
    async fn add_records(&self, account: &AccountId, records: &[StoredRecord]) -> Result<Vec<RecordId>, StoreError>;
    async fn record_stamps_of_kind(&self, account: &AccountId, kind: &str) -> Result<Vec<RecordStamp>, StoreError>;
    async fn write_records(&self, account: &AccountId, save: &[StoredRecord], delete: &[RecordId]) -> Result<(), StoreError>;
    async fn delete_record(&self, account: &AccountId, id: &RecordId) -> Result<bool, StoreError>;
    async fn reserve_attempt(&self, key: &str, now: i64, wait_after: fn(u32) -> i64) -> Result<Attempt, StoreError>;
    async fn clear_attempts(&self, key: &str) -> Result<(), StoreError>;
    async fn sweep_attempts(&self, untouched_since: i64, now: i64) -> Result<u64, StoreError>;
    async fn create_first_account(&self, account: &AccountRecord) -> Result<(), StoreError>;
    async fn account_by_name(&self, name_key: Option<&[u8]>) -> Result<Option<AccountRecord>, StoreError>;
    async fn set_public_key(&self, account: &AccountId, key: &[u8; 32]) -> Result<bool, StoreError>;
    async fn public_key(&self, account: &AccountId) -> Result<Option<[u8; 32]>, StoreError>;
    async fn create_invitation(&self, code_hash: &[u8], account: &AccountId, now: i64, expires_at: i64) -> Result<(), StoreError>;
    async fn invitation_maker(&self, code_hash: &[u8], now: i64) -> Result<Option<AccountId>, StoreError>;
    async fn take_invitation(&self, code_hash: &[u8], claimer: Option<&str>, now: i64) -> Result<Option<AccountId>, StoreError>;
    async fn claim_invitation(&self, code_hash: &[u8], claimer: &str, now: i64) -> Result<Option<AccountId>, StoreError>;
    async fn release_invitation(&self, code_hash: &[u8], claimer: &str, name_taken: bool) -> Result<i64, StoreError>;
    async fn delete_invitations_of(&self, account: &AccountId) -> Result<u64, StoreError>;
    async fn delete_expired_invitations(&self, now: i64) -> Result<u64, StoreError>;
    async fn link(&self, a: &AccountId, b: &AccountId, now: i64) -> Result<bool, StoreError>;
    async fn partner(&self, account: &AccountId) -> Result<Option<(AccountId, i64)>, StoreError>;
    async fn unlink(&self, account: &AccountId) -> Result<bool, StoreError>;
    async fn put_share(&self, share: &ShareRecord) -> Result<bool, StoreError>;
    async fn update_share(&self, share: &ShareRecord) -> Result<bool, StoreError>;
    async fn delete_share(&self, owner: &AccountId, item: &str) -> Result<bool, StoreError>;
    async fn shares_by(&self, owner: &AccountId) -> Result<Vec<ShareRecord>, StoreError>;
    async fn shares_for(&self, partner: &AccountId) -> Result<Vec<ShareRecord>, StoreError>;
    async fn start_pause(&self, account: &AccountId, now: i64) -> Result<Option<(AccountId, i64)>, StoreError>;
    async fn end_pause(&self, account: &AccountId) -> Result<Option<AccountId>, StoreError>;
    async fn together_signals(&self, account: &AccountId) -> Result<TogetherSignals, StoreError>;
    async fn notify(&self, account: &AccountId, event: &str) -> Result<bool, StoreError>;
    async fn set_match_tags(&self, account: &AccountId, partner: &AccountId, tags: &[[u8; 16]]) -> Result<bool, StoreError>;
    async fn matching_tags(&self, account: &AccountId) -> Result<Vec<Vec<u8>>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn open_store_picks_sqlite_without_url_and_refuses_other_schemes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("trellis.db");
        let store = open_store(None, &path).await.expect("sqlite");
        assert_eq!(store.backend(), "sqlite");
        assert!(store.as_sqlite().is_some());
        assert!(store.checkpoint_if_sqlite().await.expect("checkpoint"));
        assert_eq!(store.count_accounts().await.expect("count"), 0);
        let store = open_store(Some("  "), &path)
            .await
            .expect("empty url means sqlite");
        assert_eq!(store.backend(), "sqlite");
        let err = open_store(Some("mysql://user:secret@host/db"), &path)
            .await
            .expect_err("other schemes are refused");
        assert!(!err.to_string().contains("secret"));
    }
}
