//! What both backends share: the SQL text (written once, with `$N` placeholders, which
//! both SQLite and PostgreSQL accept), row conversions, migration bookkeeping and the macro
//! that implements [`Store`](trellis_core::store::Store) on top of an sqlx pool.

use std::collections::BTreeMap;

use sqlx::migrate::Migrator;
use trellis_core::ids::{AccountId, RecordId};
use trellis_core::store::{AccountRecord, SessionRecord, StoreError, StoredRecord};

macro_rules! account_columns {
    () => {
        "id, created_at, kdf_params, salt, auth_verifier, wrapped_udk_pw, wrapped_udk_rc, \
         key_id, pepper_version, idle_minutes, name_key"
    };
}
macro_rules! session_columns {
    () => {
        "sid_hash, account_id, created_at, last_seen_at, idle_expires_at, abs_expires_at, \
         wrapped_udk, device_label"
    };
}
macro_rules! record_columns {
    () => {
        "account_id, id, kind, schema_version, key_id, enc_cek, ciphertext, created_day, \
         updated_day"
    };
}

/// The SQL used by both backends. Every statement on a per-person table filters by
/// `account_id`, except the session lookup by its hash (the primary key) and the sweep of
/// expired sessions.
pub(crate) mod sql {
    pub const GET_FINGERPRINT: &str = "SELECT secrets_fingerprint FROM instance WHERE id = 1";
    pub const SET_FINGERPRINT: &str = "INSERT INTO instance (id, secrets_fingerprint) \
         VALUES (1, $1) ON CONFLICT (id) DO NOTHING";
    pub const COUNT_ACCOUNTS: &str = "SELECT COUNT(*) FROM accounts";

    pub const CREATE_ACCOUNT: &str = concat!(
        "INSERT INTO accounts (",
        account_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    );
    /// SQLite: one statement, so the check and the insert share the write lock. PostgreSQL
    /// locks the table first and then uses [`CREATE_ACCOUNT`] (see `postgres.rs`).
    pub const CREATE_FIRST_ACCOUNT: &str = concat!(
        "INSERT INTO accounts (",
        account_columns!(),
        ") SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 \
         WHERE NOT EXISTS (SELECT 1 FROM accounts)"
    );
    pub const ACCOUNT_BY_NAME: &str = concat!(
        "SELECT ",
        account_columns!(),
        " FROM accounts WHERE name_key = $1"
    );
    pub const UNNAMED_ACCOUNT: &str = concat!(
        "SELECT ",
        account_columns!(),
        " FROM accounts WHERE name_key IS NULL ORDER BY created_at, id LIMIT 1"
    );
    pub const GET_ACCOUNT: &str = concat!(
        "SELECT ",
        account_columns!(),
        " FROM accounts WHERE id = $1"
    );
    pub const FIRST_ACCOUNT: &str = concat!(
        "SELECT ",
        account_columns!(),
        " FROM accounts ORDER BY created_at, id LIMIT 1"
    );
    pub const UPDATE_ACCOUNT_KEYS: &str = "UPDATE accounts SET kdf_params = $2, salt = $3, \
         auth_verifier = $4, wrapped_udk_pw = $5, wrapped_udk_rc = $6, pepper_version = $7 \
         WHERE id = $1";
    pub const SET_IDLE_MINUTES: &str = "UPDATE accounts SET idle_minutes = $2 WHERE id = $1";
    pub const DELETE_RECORDS_OF: &str = "DELETE FROM records WHERE account_id = $1";
    pub const DELETE_SESSIONS_OF: &str = "DELETE FROM sessions WHERE account_id = $1";
    pub const DELETE_ACCOUNT: &str = "DELETE FROM accounts WHERE id = $1";

    pub const CREATE_SESSION: &str = concat!(
        "INSERT INTO sessions (",
        session_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    );
    /// The one per-person lookup not filtered by account: the hash is the primary key.
    pub const GET_SESSION: &str = concat!(
        "SELECT ",
        session_columns!(),
        " FROM sessions WHERE sid_hash = $1"
    );
    pub const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $3, \
         idle_expires_at = $4 WHERE account_id = $1 AND sid_hash = $2";
    pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE account_id = $1 AND sid_hash = $2";
    pub const DELETE_OTHER_SESSIONS: &str =
        "DELETE FROM sessions WHERE account_id = $1 AND sid_hash <> $2";
    pub const SESSIONS_OF: &str = concat!(
        "SELECT ",
        session_columns!(),
        " FROM sessions WHERE account_id = $1 ORDER BY created_at DESC, sid_hash"
    );
    pub const WIPE_EXPIRED_SESSIONS: &str = "UPDATE sessions SET wrapped_udk = $2 \
         WHERE (idle_expires_at < $1 OR abs_expires_at < $1) AND wrapped_udk <> $2";
    /// Expired means strictly past an expiry ("after which" in the port's words).
    pub const DELETE_EXPIRED_SESSIONS: &str =
        "DELETE FROM sessions WHERE idle_expires_at < $1 OR abs_expires_at < $1";

    pub const SAVE_RECORD: &str = concat!(
        "INSERT INTO records (",
        record_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (account_id, id) DO UPDATE SET kind = excluded.kind, \
         schema_version = excluded.schema_version, key_id = excluded.key_id, \
         enc_cek = excluded.enc_cek, ciphertext = excluded.ciphertext, \
         created_day = excluded.created_day, updated_day = excluded.updated_day"
    );
    pub const GET_RECORD: &str = concat!(
        "SELECT ",
        record_columns!(),
        " FROM records WHERE account_id = $1 AND id = $2"
    );
    pub const RECORDS_OF_KIND: &str = concat!(
        "SELECT ",
        record_columns!(),
        " FROM records WHERE account_id = $1 AND kind = $2 ORDER BY created_day DESC, id"
    );
    /// Keyset page: `$3` is the day, `$4` the id after which to go on within that day
    /// (`'~'` sorts after every id, so it means "from the next day on"), `$5` the limit.
    /// `created_day <= $3` repeats the bound so both planners start the index scan there.
    /// Ids are lowercase hex compared bytewise (the "C" collation on PostgreSQL).
    pub const RECORDS_OF_KIND_PAGE: &str = concat!(
        "SELECT ",
        record_columns!(),
        " FROM records WHERE account_id = $1 AND kind = $2 \
         AND created_day <= $3 AND (created_day < $3 OR (created_day = $3 AND id > $4)) \
         ORDER BY created_day DESC, id LIMIT $5"
    );
    /// [`RECORDS_OF_KIND`] with, on every row, the count of `$3` records: one statement, so
    /// one snapshot on both backends (the uncorrelated subquery runs once).
    pub const RECORDS_OF_KIND_COUNTING: &str = concat!(
        "SELECT ",
        record_columns!(),
        ", (SELECT COUNT(*) FROM records WHERE account_id = $1 AND kind = $3) \
         FROM records WHERE account_id = $1 AND kind = $2 ORDER BY created_day DESC, id"
    );
    pub const RECORDS_OF_KIND_IN_DAYS: &str = concat!(
        "SELECT ",
        record_columns!(),
        " FROM records WHERE account_id = $1 AND kind = $2 \
         AND created_day >= $3 AND created_day < $4 ORDER BY created_day DESC, id"
    );
    pub const COUNT_RECORDS_OF_KIND: &str =
        "SELECT COUNT(*) FROM records WHERE account_id = $1 AND kind = $2";
    pub const COUNT_RECORDS_BY_DAY: &str = "SELECT created_day, COUNT(*) FROM records \
         WHERE account_id = $1 AND kind = $2 AND created_day >= $3 AND created_day < $4 \
         GROUP BY created_day ORDER BY created_day DESC";
    pub const DELETE_RECORD: &str = "DELETE FROM records WHERE account_id = $1 AND id = $2";

    pub const GET_ATTEMPTS: &str =
        "SELECT attempts, blocked_until FROM unlock_attempts WHERE scope_key = $1";
    pub const INSERT_ATTEMPT: &str = "INSERT INTO unlock_attempts \
         (scope_key, attempts, blocked_until, updated_at) VALUES ($1, 1, $2, $3) \
         ON CONFLICT (scope_key) DO NOTHING";
    /// Compare-and-swap: only the request that read the current count may move it on.
    pub const BUMP_ATTEMPT: &str = "UPDATE unlock_attempts \
         SET attempts = $2, blocked_until = $3, updated_at = $4 \
         WHERE scope_key = $1 AND attempts = $5 AND blocked_until = $6";
    pub const CLEAR_ATTEMPTS: &str = "DELETE FROM unlock_attempts WHERE scope_key = $1";
    pub const SWEEP_ATTEMPTS: &str =
        "DELETE FROM unlock_attempts WHERE updated_at < $1 AND blocked_until < $2";

    pub const APPLIED_MIGRATIONS: &str =
        "SELECT version, description, success, checksum FROM _sqlx_migrations ORDER BY version";
}

/// Binds an account's columns, in the order of `account_columns!`, to `$1`–`$11`.
pub(crate) fn bind_account<'q, DB: sqlx::Database>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    a: &'q AccountRecord,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q Vec<u8>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q [u8]>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .bind(a.id.as_str())
        .bind(a.created_at)
        .bind(&a.kdf_params)
        .bind(&a.salt)
        .bind(&a.auth_verifier)
        .bind(&a.wrapped_udk_pw)
        .bind(a.wrapped_udk_rc.as_deref())
        .bind(i64::from(a.key_id))
        .bind(i64::from(a.pepper_version))
        .bind(i64::from(a.idle_minutes))
        .bind(a.name_key.as_deref())
}

/// An `accounts` row as decoded by sqlx.
pub(crate) type AccountRow = (
    String,
    i64,
    String,
    Vec<u8>,
    Vec<u8>,
    Vec<u8>,
    Option<Vec<u8>>,
    i64,
    i64,
    i64,
    Option<Vec<u8>>,
);

/// A `sessions` row as decoded by sqlx.
pub(crate) type SessionRow = (Vec<u8>, String, i64, i64, i64, i64, Vec<u8>, String);

/// A `records` row as decoded by sqlx.
pub(crate) type RecordRow = (String, String, String, i64, i64, Vec<u8>, Vec<u8>, i64, i64);
/// A [`RecordRow`] with a count beside it.
pub(crate) type CountedRecordRow = (
    String,
    String,
    String,
    i64,
    i64,
    Vec<u8>,
    Vec<u8>,
    i64,
    i64,
    i64,
);

/// A `_sqlx_migrations` row: version, description, success, checksum.
pub(crate) type MigrationRow = (i64, String, bool, Vec<u8>);

fn bad(what: &str) -> StoreError {
    StoreError::Other(format!("a stored {what} is malformed"))
}

fn account_id(s: &str) -> Result<AccountId, StoreError> {
    AccountId::parse(s).ok_or_else(|| bad("account id"))
}

fn to_u32(v: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| bad(what))
}

fn to_u16(v: i64, what: &str) -> Result<u16, StoreError> {
    u16::try_from(v).map_err(|_| bad(what))
}

pub(crate) fn account_from_row(r: AccountRow) -> Result<AccountRecord, StoreError> {
    let (
        id,
        created_at,
        kdf_params,
        salt,
        auth_verifier,
        wrapped_udk_pw,
        wrapped_udk_rc,
        key_id,
        pepper_version,
        idle_minutes,
        name_key,
    ) = r;
    Ok(AccountRecord {
        id: account_id(&id)?,
        created_at,
        kdf_params,
        salt,
        auth_verifier,
        wrapped_udk_pw,
        wrapped_udk_rc,
        key_id: to_u32(key_id, "key id")?,
        pepper_version: to_u32(pepper_version, "pepper version")?,
        idle_minutes: to_u16(idle_minutes, "idle minutes")?,
        name_key,
    })
}

pub(crate) fn session_from_row(r: SessionRow) -> Result<SessionRecord, StoreError> {
    let (
        sid_hash,
        account,
        created_at,
        last_seen_at,
        idle_expires_at,
        abs_expires_at,
        wrapped_udk,
        device_label,
    ) = r;
    Ok(SessionRecord {
        sid_hash,
        account_id: account_id(&account)?,
        created_at,
        last_seen_at,
        idle_expires_at,
        abs_expires_at,
        wrapped_udk,
        device_label,
    })
}

pub(crate) fn record_from_row(r: RecordRow) -> Result<StoredRecord, StoreError> {
    let (account, id, kind, schema_version, key_id, enc_cek, ciphertext, created_day, updated_day) =
        r;
    Ok(StoredRecord {
        account_id: account_id(&account)?,
        id: RecordId::parse(&id).ok_or_else(|| bad("record id"))?,
        kind,
        schema_version: to_u16(schema_version, "schema version")?,
        key_id: to_u32(key_id, "key id")?,
        enc_cek,
        ciphertext,
        created_day,
        updated_day,
    })
}

/// The `(day, id)` bounds of a keyset page: records with `created_day < day`, or on `day`
/// with an id greater than `id`. `"~"` is greater than every id (lowercase hex).
pub(crate) fn page_bounds(start: &trellis_core::store::PageStart) -> (i64, &str) {
    use trellis_core::store::PageStart;
    match start {
        PageStart::Newest => (i64::MAX, "~"),
        PageStart::BeforeDay(day) => (*day, "~"),
        PageStart::After { created_day, id } => (*created_day, id.as_str()),
    }
}

/// Compares the migrations this build embeds with those recorded in the database and
/// describes every difference in plain words (empty: up to date).
pub(crate) fn migration_problems(
    migrator: &Migrator,
    applied: Option<Vec<MigrationRow>>,
) -> Vec<String> {
    let Some(applied) = applied else {
        return vec!["the database has no migration history: it was not set up by Trellis, or setup never finished".to_owned()];
    };
    let mut problems = Vec::new();
    let applied: BTreeMap<i64, MigrationRow> = applied.into_iter().map(|r| (r.0, r)).collect();
    for m in migrator.iter() {
        match applied.get(&m.version) {
            None => problems.push(format!(
                "migration {} ({}) has not been applied yet",
                m.version, m.description
            )),
            Some((_, _, false, _)) => problems.push(format!(
                "migration {} ({}) did not finish; restore the database from a backup",
                m.version, m.description
            )),
            Some((_, _, true, checksum)) if checksum.as_slice() != &*m.checksum => {
                problems.push(format!(
                    "migration {} ({}) was changed after it was applied",
                    m.version, m.description
                ));
            }
            Some(_) => {}
        }
    }
    for (version, (_, description, _, _)) in &applied {
        if !migrator.version_exists(*version) {
            problems.push(format!(
                "migration {version} ({description}) comes from a newer version of Trellis"
            ));
        }
    }
    problems
}

/// Turns a migration failure into plain words.
pub(crate) fn migrate_error(
    e: sqlx::migrate::MigrateError,
    map: fn(sqlx::Error) -> StoreError,
) -> StoreError {
    use sqlx::migrate::MigrateError as M;
    match e {
        M::Execute(e) | M::ExecuteMigration(e, _) => match map(e) {
            StoreError::Unavailable(why) => StoreError::Unavailable(why),
            other => StoreError::Migration(format!("a migration could not be applied: {other}")),
        },
        M::VersionMissing(v) => StoreError::Migration(format!(
            "the database was set up by a newer version of Trellis (migration {v})"
        )),
        M::VersionMismatch(v) => {
            StoreError::Migration(format!("migration {v} was changed after it was applied"))
        }
        M::Dirty(v) => StoreError::Migration(format!(
            "migration {v} did not finish; restore the database from a backup"
        )),
        other => StoreError::Migration(other.to_string()),
    }
}

/// Implements `Store` for a struct with a `pool` field, given the sqlx error mapper.
/// The struct must also have `async fn integrity_problems(&self) -> Result<Vec<String>, StoreError>`.
macro_rules! impl_store {
    ($store:ty, $map:path) => {
        #[async_trait::async_trait]
        impl trellis_core::store::Store for $store {
            async fn checkpoint(&self) -> Result<(), StoreError> {
                self.fold_wal().await
            }

            async fn secrets_fingerprint(&self) -> Result<Option<Vec<u8>>, StoreError> {
                sqlx::query_scalar::<_, Vec<u8>>($crate::common::sql::GET_FINGERPRINT)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($map)
            }

            async fn record_secrets_fingerprint(
                &self,
                fingerprint: &[u8],
            ) -> Result<(), StoreError> {
                sqlx::query($crate::common::sql::SET_FINGERPRINT)
                    .bind(fingerprint)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                // Recording the same fingerprint again is fine; a different one is not.
                match self.secrets_fingerprint().await? {
                    Some(stored) if stored == fingerprint => Ok(()),
                    Some(_) => Err(StoreError::Conflict),
                    None => Err(StoreError::Other(
                        "the secrets fingerprint was not kept".to_owned(),
                    )),
                }
            }

            async fn count_accounts(&self) -> Result<u64, StoreError> {
                let n = sqlx::query_scalar::<_, i64>($crate::common::sql::COUNT_ACCOUNTS)
                    .fetch_one(&self.pool)
                    .await
                    .map_err($map)?;
                u64::try_from(n).map_err(|_| StoreError::Other("negative count".to_owned()))
            }

            async fn check_integrity(&self) -> Result<Vec<String>, StoreError> {
                self.integrity_problems().await
            }

            async fn create_account(&self, a: &AccountRecord) -> Result<(), StoreError> {
                $crate::common::bind_account(sqlx::query($crate::common::sql::CREATE_ACCOUNT), a)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(())
            }

            async fn create_first_account(&self, a: &AccountRecord) -> Result<(), StoreError> {
                self.insert_first_account(a).await
            }

            async fn account_by_name(
                &self,
                name_key: Option<&[u8]>,
            ) -> Result<Option<AccountRecord>, StoreError> {
                let query = match name_key {
                    Some(key) => sqlx::query_as::<_, $crate::common::AccountRow>(
                        $crate::common::sql::ACCOUNT_BY_NAME,
                    )
                    .bind(key),
                    None => sqlx::query_as::<_, $crate::common::AccountRow>(
                        $crate::common::sql::UNNAMED_ACCOUNT,
                    ),
                };
                query
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($map)?
                    .map($crate::common::account_from_row)
                    .transpose()
            }

            async fn account(&self, id: &AccountId) -> Result<Option<AccountRecord>, StoreError> {
                sqlx::query_as::<_, $crate::common::AccountRow>($crate::common::sql::GET_ACCOUNT)
                    .bind(id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($map)?
                    .map($crate::common::account_from_row)
                    .transpose()
            }

            async fn first_account(&self) -> Result<Option<AccountRecord>, StoreError> {
                sqlx::query_as::<_, $crate::common::AccountRow>($crate::common::sql::FIRST_ACCOUNT)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($map)?
                    .map($crate::common::account_from_row)
                    .transpose()
            }

            async fn update_account_keys(&self, a: &AccountRecord) -> Result<(), StoreError> {
                sqlx::query($crate::common::sql::UPDATE_ACCOUNT_KEYS)
                    .bind(a.id.as_str())
                    .bind(&a.kdf_params)
                    .bind(&a.salt)
                    .bind(&a.auth_verifier)
                    .bind(&a.wrapped_udk_pw)
                    .bind(a.wrapped_udk_rc.as_deref())
                    .bind(i64::from(a.pepper_version))
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(())
            }

            async fn set_idle_minutes(
                &self,
                id: &AccountId,
                minutes: u16,
            ) -> Result<(), StoreError> {
                sqlx::query($crate::common::sql::SET_IDLE_MINUTES)
                    .bind(id.as_str())
                    .bind(i64::from(minutes))
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(())
            }

            async fn delete_account(&self, id: &AccountId) -> Result<(), StoreError> {
                // The foreign keys cascade too; deleting the children explicitly keeps this
                // complete even on a connection where cascades were somehow off.
                let mut tx = self.pool.begin().await.map_err($map)?;
                for statement in [
                    $crate::common::sql::DELETE_RECORDS_OF,
                    $crate::common::sql::DELETE_SESSIONS_OF,
                    $crate::common::sql::DELETE_ACCOUNT,
                ] {
                    sqlx::query(statement)
                        .bind(id.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err($map)?;
                }
                tx.commit().await.map_err($map)?;
                // Sessions ended: leave none of their wrapped keys in the write-ahead log.
                self.fold_wal().await
            }

            async fn create_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
                sqlx::query($crate::common::sql::CREATE_SESSION)
                    .bind(&s.sid_hash)
                    .bind(s.account_id.as_str())
                    .bind(s.created_at)
                    .bind(s.last_seen_at)
                    .bind(s.idle_expires_at)
                    .bind(s.abs_expires_at)
                    .bind(&s.wrapped_udk)
                    .bind(&s.device_label)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(())
            }

            async fn session(&self, sid_hash: &[u8]) -> Result<Option<SessionRecord>, StoreError> {
                sqlx::query_as::<_, $crate::common::SessionRow>($crate::common::sql::GET_SESSION)
                    .bind(sid_hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($map)?
                    .map($crate::common::session_from_row)
                    .transpose()
            }

            async fn touch_session(
                &self,
                account: &AccountId,
                sid_hash: &[u8],
                last_seen_at: i64,
                idle_expires_at: i64,
            ) -> Result<(), StoreError> {
                sqlx::query($crate::common::sql::TOUCH_SESSION)
                    .bind(account.as_str())
                    .bind(sid_hash)
                    .bind(last_seen_at)
                    .bind(idle_expires_at)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(())
            }

            async fn delete_session(
                &self,
                account: &AccountId,
                sid_hash: &[u8],
            ) -> Result<bool, StoreError> {
                let done = sqlx::query($crate::common::sql::DELETE_SESSION)
                    .bind(account.as_str())
                    .bind(sid_hash)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                if done.rows_affected() > 0 {
                    self.fold_wal().await?;
                }
                Ok(done.rows_affected() > 0)
            }

            async fn delete_other_sessions(
                &self,
                account: &AccountId,
                keep: Option<&[u8]>,
            ) -> Result<u64, StoreError> {
                let done = match keep {
                    Some(keep) => {
                        sqlx::query($crate::common::sql::DELETE_OTHER_SESSIONS)
                            .bind(account.as_str())
                            .bind(keep)
                            .execute(&self.pool)
                            .await
                    }
                    None => {
                        sqlx::query($crate::common::sql::DELETE_SESSIONS_OF)
                            .bind(account.as_str())
                            .execute(&self.pool)
                            .await
                    }
                }
                .map_err($map)?;
                if done.rows_affected() > 0 {
                    self.fold_wal().await?;
                }
                Ok(done.rows_affected())
            }

            async fn sessions_of(
                &self,
                account: &AccountId,
            ) -> Result<Vec<SessionRecord>, StoreError> {
                sqlx::query_as::<_, $crate::common::SessionRow>($crate::common::sql::SESSIONS_OF)
                    .bind(account.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err($map)?
                    .into_iter()
                    .map($crate::common::session_from_row)
                    .collect()
            }

            async fn wipe_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
                let done = sqlx::query($crate::common::sql::WIPE_EXPIRED_SESSIONS)
                    .bind(now)
                    .bind(Vec::<u8>::new())
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                if done.rows_affected() > 0 {
                    self.fold_wal().await?;
                }
                Ok(done.rows_affected())
            }

            async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
                let done = sqlx::query($crate::common::sql::DELETE_EXPIRED_SESSIONS)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                if done.rows_affected() > 0 {
                    self.fold_wal().await?;
                }
                Ok(done.rows_affected())
            }

            async fn save_record(&self, r: &StoredRecord) -> Result<(), StoreError> {
                sqlx::query($crate::common::sql::SAVE_RECORD)
                    .bind(r.account_id.as_str())
                    .bind(r.id.as_str())
                    .bind(&r.kind)
                    .bind(i64::from(r.schema_version))
                    .bind(i64::from(r.key_id))
                    .bind(&r.enc_cek)
                    .bind(&r.ciphertext)
                    .bind(r.created_day)
                    .bind(r.updated_day)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(())
            }

            async fn record(
                &self,
                account: &AccountId,
                id: &RecordId,
            ) -> Result<Option<StoredRecord>, StoreError> {
                sqlx::query_as::<_, $crate::common::RecordRow>($crate::common::sql::GET_RECORD)
                    .bind(account.as_str())
                    .bind(id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($map)?
                    .map($crate::common::record_from_row)
                    .transpose()
            }

            async fn records_of_kind(
                &self,
                account: &AccountId,
                kind: &str,
            ) -> Result<Vec<StoredRecord>, StoreError> {
                sqlx::query_as::<_, $crate::common::RecordRow>($crate::common::sql::RECORDS_OF_KIND)
                    .bind(account.as_str())
                    .bind(kind)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($map)?
                    .into_iter()
                    .map($crate::common::record_from_row)
                    .collect()
            }

            async fn records_of_kind_page(
                &self,
                account: &AccountId,
                kind: &str,
                start: &trellis_core::store::PageStart,
                limit: u32,
            ) -> Result<Vec<StoredRecord>, StoreError> {
                let (day, after) = $crate::common::page_bounds(start);
                sqlx::query_as::<_, $crate::common::RecordRow>(
                    $crate::common::sql::RECORDS_OF_KIND_PAGE,
                )
                .bind(account.as_str())
                .bind(kind)
                .bind(day)
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err($map)?
                .into_iter()
                .map($crate::common::record_from_row)
                .collect()
            }

            async fn records_of_kind_in_days(
                &self,
                account: &AccountId,
                kind: &str,
                from_day: i64,
                until_day: i64,
            ) -> Result<Vec<StoredRecord>, StoreError> {
                sqlx::query_as::<_, $crate::common::RecordRow>(
                    $crate::common::sql::RECORDS_OF_KIND_IN_DAYS,
                )
                .bind(account.as_str())
                .bind(kind)
                .bind(from_day)
                .bind(until_day)
                .fetch_all(&self.pool)
                .await
                .map_err($map)?
                .into_iter()
                .map($crate::common::record_from_row)
                .collect()
            }

            async fn visit_records_of_kind_counting(
                &self,
                account: &AccountId,
                kind: &str,
                counted_kind: &str,
                batch_bytes: usize,
                visit: &mut (dyn FnMut(Vec<StoredRecord>) + Send),
            ) -> Result<u64, StoreError> {
                use futures_util::TryStreamExt as _;
                let mut count = None;
                {
                    let mut rows = sqlx::query_as::<_, $crate::common::CountedRecordRow>(
                        $crate::common::sql::RECORDS_OF_KIND_COUNTING,
                    )
                    .bind(account.as_str())
                    .bind(kind)
                    .bind(counted_kind)
                    .fetch(&self.pool);
                    let mut batch = Vec::new();
                    let mut bytes = 0;
                    while let Some(row) = rows.try_next().await.map_err($map)? {
                        let (a, i, k, s, key, cek, c, cd, ud, n) = row;
                        count.get_or_insert(n);
                        let record =
                            $crate::common::record_from_row((a, i, k, s, key, cek, c, cd, ud))?;
                        bytes += record.ciphertext.len();
                        batch.push(record);
                        if bytes >= batch_bytes {
                            visit(std::mem::take(&mut batch));
                            bytes = 0;
                        }
                    }
                    if !batch.is_empty() {
                        visit(batch);
                    }
                }
                match count {
                    Some(n) => {
                        u64::try_from(n).map_err(|_| StoreError::Other("negative count".to_owned()))
                    }
                    // No rows to carry the count: nothing of `kind` to disagree with it.
                    None => self.count_records_of_kind(account, counted_kind).await,
                }
            }

            async fn count_records_of_kind(
                &self,
                account: &AccountId,
                kind: &str,
            ) -> Result<u64, StoreError> {
                let n = sqlx::query_scalar::<_, i64>($crate::common::sql::COUNT_RECORDS_OF_KIND)
                    .bind(account.as_str())
                    .bind(kind)
                    .fetch_one(&self.pool)
                    .await
                    .map_err($map)?;
                u64::try_from(n).map_err(|_| StoreError::Other("negative count".to_owned()))
            }

            async fn count_records_by_day(
                &self,
                account: &AccountId,
                kind: &str,
                from_day: i64,
                until_day: i64,
            ) -> Result<Vec<(i64, u64)>, StoreError> {
                sqlx::query_as::<_, (i64, i64)>($crate::common::sql::COUNT_RECORDS_BY_DAY)
                    .bind(account.as_str())
                    .bind(kind)
                    .bind(from_day)
                    .bind(until_day)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($map)?
                    .into_iter()
                    .map(|(day, n)| {
                        u64::try_from(n)
                            .map(|n| (day, n))
                            .map_err(|_| StoreError::Other("negative count".to_owned()))
                    })
                    .collect()
            }

            async fn write_records(
                &self,
                account: &AccountId,
                save: &[StoredRecord],
                delete: &[RecordId],
            ) -> Result<(), StoreError> {
                if save.iter().any(|r| &r.account_id != account) {
                    return Err(StoreError::Other(
                        "a record of another account was given to write_records".to_owned(),
                    ));
                }
                let mut tx = self.pool.begin().await.map_err($map)?;
                for r in save {
                    sqlx::query($crate::common::sql::SAVE_RECORD)
                        .bind(r.account_id.as_str())
                        .bind(r.id.as_str())
                        .bind(&r.kind)
                        .bind(i64::from(r.schema_version))
                        .bind(i64::from(r.key_id))
                        .bind(&r.enc_cek)
                        .bind(&r.ciphertext)
                        .bind(r.created_day)
                        .bind(r.updated_day)
                        .execute(&mut *tx)
                        .await
                        .map_err($map)?;
                }
                for id in delete {
                    sqlx::query($crate::common::sql::DELETE_RECORD)
                        .bind(account.as_str())
                        .bind(id.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err($map)?;
                }
                tx.commit().await.map_err($map)
            }

            async fn delete_record(
                &self,
                account: &AccountId,
                id: &RecordId,
            ) -> Result<bool, StoreError> {
                let done = sqlx::query($crate::common::sql::DELETE_RECORD)
                    .bind(account.as_str())
                    .bind(id.as_str())
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(done.rows_affected() > 0)
            }

            async fn reserve_attempt(
                &self,
                key: &str,
                now: i64,
                wait_after: fn(u32) -> i64,
            ) -> Result<trellis_core::store::Attempt, StoreError> {
                use trellis_core::store::Attempt;
                // A few rounds of compare-and-swap; a loser reads the new state and tries
                // again, so every attempt is counted exactly once.
                for _ in 0..16 {
                    let current =
                        sqlx::query_as::<_, (i64, i64)>($crate::common::sql::GET_ATTEMPTS)
                            .bind(key)
                            .fetch_optional(&self.pool)
                            .await
                            .map_err($map)?;
                    let done = match current {
                        None => sqlx::query($crate::common::sql::INSERT_ATTEMPT)
                            .bind(key)
                            .bind(now + wait_after(1))
                            .bind(now)
                            .execute(&self.pool)
                            .await
                            .map_err($map)?
                            .rows_affected()
                            .eq(&1)
                            .then_some(1),
                        Some((_, blocked_until)) if blocked_until > now => {
                            return Ok(Attempt::Wait(blocked_until - now));
                        }
                        Some((attempts, blocked_until)) => {
                            let next = u32::try_from(attempts)
                                .unwrap_or(u32::MAX - 1)
                                .saturating_add(1);
                            sqlx::query($crate::common::sql::BUMP_ATTEMPT)
                                .bind(key)
                                .bind(i64::from(next))
                                .bind(now + wait_after(next))
                                .bind(now)
                                .bind(attempts)
                                .bind(blocked_until)
                                .execute(&self.pool)
                                .await
                                .map_err($map)?
                                .rows_affected()
                                .eq(&1)
                                .then_some(next)
                        }
                    };
                    if let Some(n) = done {
                        return Ok(Attempt::Granted(n));
                    }
                }
                // So many at once that the swap kept losing: that is a burst, not a person.
                Ok(Attempt::Wait(1))
            }

            async fn clear_attempts(&self, key: &str) -> Result<(), StoreError> {
                sqlx::query($crate::common::sql::CLEAR_ATTEMPTS)
                    .bind(key)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(())
            }

            async fn sweep_attempts(
                &self,
                untouched_since: i64,
                now: i64,
            ) -> Result<u64, StoreError> {
                let done = sqlx::query($crate::common::sql::SWEEP_ATTEMPTS)
                    .bind(untouched_since)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err($map)?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use impl_store;
