//! `Store` for [`SqliteStore`]: every statement SQLite runs for the port, written out where it
//! runs. Every statement on a per-person table filters by `account_id`, except the session
//! lookup by its hash (the primary key) and the sweeps of expired sessions. Parameters are
//! numbered (`$1`, `$2`, …), which SQLite accepts as PostgreSQL does.
//!
//! Ending a session (or an account) writes the write-ahead log back into the main file
//! afterwards (`SqliteStore::fold_wal`), so none of the session's wrapped keys lingers in
//! the `-wal` file; `secure_delete` zeroes them in the main file.

use std::collections::BTreeMap;

use trellis_core::ids::{AccountId, RecordId};
use trellis_core::store::{
    AccountRecord, Attempt, PageStart, RecordStamp, SessionRecord, ShareRecord, Store, StoreError,
    StoredRecord, TogetherSignals,
};

use super::SqliteStore;
use crate::common::{
    all_of_account, fingerprint_kept, next_attempt, page_bounds, visit_in_batches, AttemptStep,
    ATTEMPT_ROUNDS,
};
use crate::error::from_sqlite;
use crate::rows::{
    account_from_row, account_id, bind_account, bind_record, count, record_from_row,
    session_from_row, share_from_row, stamp_from_row, AccountRow, CountedRecordRow, RecordRow,
    SessionRow, ShareRow,
};

/// Saves a record whole, inserting it or replacing every column but its key; bound by
/// [`bind_record`] (`save_record`, and each save of `write_records`).
const SAVE_RECORD: &str = "INSERT INTO records (account_id, id, kind, schema_version, key_id, \
     enc_cek, ciphertext, created_day, updated_day) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     ON CONFLICT (account_id, id) DO UPDATE SET kind = excluded.kind, \
     schema_version = excluded.schema_version, key_id = excluded.key_id, \
     enc_cek = excluded.enc_cek, ciphertext = excluded.ciphertext, \
     created_day = excluded.created_day, updated_day = excluded.updated_day";

/// Adds one record unless its id is taken (`add_records`); a row comes back when it was added.
const ADD_RECORD: &str = "INSERT INTO records (account_id, id, kind, schema_version, key_id, \
     enc_cek, ciphertext, created_day, updated_day) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     ON CONFLICT (account_id, id) DO NOTHING RETURNING id";

/// Deletes one record of one account (`delete_record`, and each delete of `write_records`).
const DELETE_RECORD: &str = "DELETE FROM records WHERE account_id = $1 AND id = $2";

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn checkpoint(&self) -> Result<(), StoreError> {
        self.fold_wal().await
    }

    async fn secrets_fingerprint(&self) -> Result<Option<Vec<u8>>, StoreError> {
        sqlx::query_scalar("SELECT secrets_fingerprint FROM instance WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlite)
    }

    async fn record_secrets_fingerprint(&self, fingerprint: &[u8]) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO instance (id, secrets_fingerprint) VALUES (1, $1) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(fingerprint)
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        fingerprint_kept(self.secrets_fingerprint().await?, fingerprint)
    }

    async fn count_accounts(&self) -> Result<u64, StoreError> {
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await
            .map_err(from_sqlite)?;
        count(n)
    }

    async fn mark_account_seen(&self, id: &AccountId, day: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE accounts SET last_seen_day = $2 \
             WHERE id = $1 AND (last_seen_day IS NULL OR last_seen_day < $2)",
        )
        .bind(id.as_str())
        .bind(day)
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(())
    }

    async fn count_accounts_seen_since(&self, day: i64) -> Result<u64, StoreError> {
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE last_seen_day >= $1")
            .bind(day)
            .fetch_one(&self.pool)
            .await
            .map_err(from_sqlite)?;
        count(n)
    }

    async fn check_integrity(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check(20)")
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlite)?;
        problems.extend(
            lines
                .into_iter()
                .filter(|line| line != "ok")
                .map(|line| format!("the database file is damaged: {line}")),
        );
        let orphans: Vec<(String, Option<i64>, String, i64)> =
            sqlx::query_as("PRAGMA foreign_key_check")
                .fetch_all(&self.pool)
                .await
                .map_err(from_sqlite)?;
        let mut by_table: BTreeMap<String, usize> = BTreeMap::new();
        for (table, _, _, _) in orphans {
            *by_table.entry(table).or_default() += 1;
        }
        for (table, n) in by_table {
            problems.push(format!(
                "{n} row(s) in {table} belong to an account that no longer exists"
            ));
        }
        problems.extend(self.migration_status().await?);
        Ok(problems)
    }

    async fn create_account(&self, a: &AccountRecord) -> Result<(), StoreError> {
        let query = sqlx::query(
            "INSERT INTO accounts (id, created_at, kdf_params, salt, auth_verifier, \
             wrapped_udk_pw, wrapped_udk_rc, key_id, pepper_version, idle_minutes, name_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        );
        bind_account(query, a)
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(())
    }

    async fn create_first_account(&self, a: &AccountRecord) -> Result<(), StoreError> {
        // One statement, so the "no account yet" check and the insert run under the same
        // write lock.
        let query = sqlx::query(
            "INSERT INTO accounts (id, created_at, kdf_params, salt, auth_verifier, \
             wrapped_udk_pw, wrapped_udk_rc, key_id, pepper_version, idle_minutes, name_key) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 \
             WHERE NOT EXISTS (SELECT 1 FROM accounts)",
        );
        let done = bind_account(query, a)
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }

    async fn account_by_name(
        &self,
        name_key: Option<&[u8]>,
    ) -> Result<Option<AccountRecord>, StoreError> {
        let query = match name_key {
            Some(key) => sqlx::query_as::<_, AccountRow>(
                "SELECT id, created_at, kdf_params, salt, auth_verifier, wrapped_udk_pw, \
                 wrapped_udk_rc, key_id, pepper_version, idle_minutes, name_key \
                 FROM accounts WHERE name_key = $1",
            )
            .bind(key),
            None => sqlx::query_as::<_, AccountRow>(
                "SELECT id, created_at, kdf_params, salt, auth_verifier, wrapped_udk_pw, \
                 wrapped_udk_rc, key_id, pepper_version, idle_minutes, name_key \
                 FROM accounts WHERE name_key IS NULL ORDER BY created_at, id LIMIT 1",
            ),
        };
        query
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlite)?
            .map(account_from_row)
            .transpose()
    }

    async fn account(&self, id: &AccountId) -> Result<Option<AccountRecord>, StoreError> {
        sqlx::query_as::<_, AccountRow>(
            "SELECT id, created_at, kdf_params, salt, auth_verifier, wrapped_udk_pw, \
             wrapped_udk_rc, key_id, pepper_version, idle_minutes, name_key \
             FROM accounts WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?
        .map(account_from_row)
        .transpose()
    }

    async fn first_account(&self) -> Result<Option<AccountRecord>, StoreError> {
        sqlx::query_as::<_, AccountRow>(
            "SELECT id, created_at, kdf_params, salt, auth_verifier, wrapped_udk_pw, \
             wrapped_udk_rc, key_id, pepper_version, idle_minutes, name_key \
             FROM accounts ORDER BY created_at, id LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?
        .map(account_from_row)
        .transpose()
    }

    async fn update_account_keys(&self, a: &AccountRecord) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE accounts SET kdf_params = $2, salt = $3, auth_verifier = $4, \
             wrapped_udk_pw = $5, wrapped_udk_rc = $6, pepper_version = $7 WHERE id = $1",
        )
        .bind(a.id.as_str())
        .bind(&a.kdf_params)
        .bind(&a.salt)
        .bind(&a.auth_verifier)
        .bind(&a.wrapped_udk_pw)
        .bind(a.wrapped_udk_rc.as_deref())
        .bind(i64::from(a.pepper_version))
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(())
    }

    async fn set_idle_minutes(&self, id: &AccountId, minutes: u16) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET idle_minutes = $2 WHERE id = $1")
            .bind(id.as_str())
            .bind(i64::from(minutes))
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(())
    }

    async fn delete_account(&self, id: &AccountId) -> Result<(), StoreError> {
        // The foreign keys cascade too; deleting the children explicitly keeps this complete
        // even on a connection where cascades were somehow off.
        let mut tx = self.pool.begin().await.map_err(from_sqlite)?;
        sqlx::query("DELETE FROM records WHERE account_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlite)?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlite)?;
        for statement in [
            "DELETE FROM links WHERE account_id = $1 OR partner_id = $1",
            "DELETE FROM invitations WHERE account_id = $1",
            "DELETE FROM account_keys WHERE account_id = $1",
        ] {
            sqlx::query(statement)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlite)?;
        }
        sqlx::query("DELETE FROM accounts WHERE id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlite)?;
        tx.commit().await.map_err(from_sqlite)?;
        // Sessions ended: leave none of their wrapped keys in the write-ahead log.
        self.fold_wal().await
    }

    async fn create_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (sid_hash, account_id, created_at, last_seen_at, \
             idle_expires_at, abs_expires_at, wrapped_udk, device_label) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
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
        .map_err(from_sqlite)?;
        Ok(())
    }

    async fn session(&self, sid_hash: &[u8]) -> Result<Option<SessionRecord>, StoreError> {
        // The one per-person lookup not filtered by account: the hash is the primary key.
        sqlx::query_as::<_, SessionRow>(
            "SELECT sid_hash, account_id, created_at, last_seen_at, idle_expires_at, \
             abs_expires_at, wrapped_udk, device_label FROM sessions WHERE sid_hash = $1",
        )
        .bind(sid_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?
        .map(session_from_row)
        .transpose()
    }

    async fn touch_session(
        &self,
        account: &AccountId,
        sid_hash: &[u8],
        last_seen_at: i64,
        idle_expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $3, idle_expires_at = $4 \
             WHERE account_id = $1 AND sid_hash = $2",
        )
        .bind(account.as_str())
        .bind(sid_hash)
        .bind(last_seen_at)
        .bind(idle_expires_at)
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(())
    }

    async fn delete_session(
        &self,
        account: &AccountId,
        sid_hash: &[u8],
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND sid_hash = $2")
            .bind(account.as_str())
            .bind(sid_hash)
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
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
        let query = match keep {
            Some(keep) => {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND sid_hash <> $2")
                    .bind(account.as_str())
                    .bind(keep)
            }
            None => {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account.as_str())
            }
        };
        let done = query.execute(&self.pool).await.map_err(from_sqlite)?;
        if done.rows_affected() > 0 {
            self.fold_wal().await?;
        }
        Ok(done.rows_affected())
    }

    async fn sessions_of(&self, account: &AccountId) -> Result<Vec<SessionRecord>, StoreError> {
        sqlx::query_as::<_, SessionRow>(
            "SELECT sid_hash, account_id, created_at, last_seen_at, idle_expires_at, \
             abs_expires_at, wrapped_udk, device_label FROM sessions \
             WHERE account_id = $1 ORDER BY created_at DESC, sid_hash",
        )
        .bind(account.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)?
        .into_iter()
        .map(session_from_row)
        .collect()
    }

    async fn wipe_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        // Expired means strictly past an expiry ("after which" in the port's words).
        let done = sqlx::query(
            "UPDATE sessions SET wrapped_udk = $2 \
             WHERE (idle_expires_at < $1 OR abs_expires_at < $1) AND wrapped_udk <> $2",
        )
        .bind(now)
        .bind(Vec::<u8>::new())
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        if done.rows_affected() > 0 {
            self.fold_wal().await?;
        }
        Ok(done.rows_affected())
    }

    async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        // Expired means strictly past an expiry ("after which" in the port's words).
        let done =
            sqlx::query("DELETE FROM sessions WHERE idle_expires_at < $1 OR abs_expires_at < $1")
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(from_sqlite)?;
        if done.rows_affected() > 0 {
            self.fold_wal().await?;
        }
        Ok(done.rows_affected())
    }

    async fn save_record(&self, r: &StoredRecord) -> Result<(), StoreError> {
        bind_record(sqlx::query(SAVE_RECORD), r)
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(())
    }

    async fn record(
        &self,
        account: &AccountId,
        id: &RecordId,
    ) -> Result<Option<StoredRecord>, StoreError> {
        sqlx::query_as::<_, RecordRow>(
            "SELECT account_id, id, kind, schema_version, key_id, enc_cek, ciphertext, \
             created_day, updated_day FROM records WHERE account_id = $1 AND id = $2",
        )
        .bind(account.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?
        .map(record_from_row)
        .transpose()
    }

    async fn records_of_account(
        &self,
        account: &AccountId,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        sqlx::query_as::<_, RecordRow>(
            "SELECT account_id, id, kind, schema_version, key_id, enc_cek, ciphertext, \
             created_day, updated_day FROM records \
             WHERE account_id = $1 ORDER BY kind, created_day DESC, id",
        )
        .bind(account.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)?
        .into_iter()
        .map(record_from_row)
        .collect()
    }

    async fn records_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        sqlx::query_as::<_, RecordRow>(
            "SELECT account_id, id, kind, schema_version, key_id, enc_cek, ciphertext, \
             created_day, updated_day FROM records \
             WHERE account_id = $1 AND kind = $2 ORDER BY created_day DESC, id",
        )
        .bind(account.as_str())
        .bind(kind)
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)?
        .into_iter()
        .map(record_from_row)
        .collect()
    }

    async fn records_of_kind_page(
        &self,
        account: &AccountId,
        kind: &str,
        start: &PageStart,
        limit: u32,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        // Keyset page: `$3` is the day, `$4` the id after which to go on within that day
        // (`'~'` sorts after every id, so it means "from the next day on"), `$5` the limit.
        // `created_day <= $3` repeats the bound so the planner starts the index scan there.
        // Ids are lowercase hex compared bytewise.
        let (day, after) = page_bounds(start);
        sqlx::query_as::<_, RecordRow>(
            "SELECT account_id, id, kind, schema_version, key_id, enc_cek, ciphertext, \
             created_day, updated_day FROM records \
             WHERE account_id = $1 AND kind = $2 AND created_day <= $3 \
             AND (created_day < $3 OR (created_day = $3 AND id > $4)) \
             ORDER BY created_day DESC, id LIMIT $5",
        )
        .bind(account.as_str())
        .bind(kind)
        .bind(day)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)?
        .into_iter()
        .map(record_from_row)
        .collect()
    }

    async fn records_of_kind_in_days(
        &self,
        account: &AccountId,
        kind: &str,
        from_day: i64,
        until_day: i64,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        sqlx::query_as::<_, RecordRow>(
            "SELECT account_id, id, kind, schema_version, key_id, enc_cek, ciphertext, \
             created_day, updated_day FROM records \
             WHERE account_id = $1 AND kind = $2 AND created_day >= $3 AND created_day < $4 \
             ORDER BY created_day DESC, id",
        )
        .bind(account.as_str())
        .bind(kind)
        .bind(from_day)
        .bind(until_day)
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)?
        .into_iter()
        .map(record_from_row)
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
        // The records of `kind` with, on every row, the count of `counted_kind` records: one
        // statement, so one snapshot (the uncorrelated subquery runs once).
        let rows = sqlx::query_as::<_, CountedRecordRow>(
            "SELECT account_id, id, kind, schema_version, key_id, enc_cek, ciphertext, \
             created_day, updated_day, \
             (SELECT COUNT(*) FROM records WHERE account_id = $1 AND kind = $3) \
             FROM records WHERE account_id = $1 AND kind = $2 ORDER BY created_day DESC, id",
        )
        .bind(account.as_str())
        .bind(kind)
        .bind(counted_kind)
        .fetch(&self.pool);
        match visit_in_batches(rows, from_sqlite, batch_bytes, visit).await? {
            Some(n) => count(n),
            // No rows to carry the count: nothing of `kind` to disagree with it.
            None => self.count_records_of_kind(account, counted_kind).await,
        }
    }

    async fn count_records_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<u64, StoreError> {
        let n =
            sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE account_id = $1 AND kind = $2")
                .bind(account.as_str())
                .bind(kind)
                .fetch_one(&self.pool)
                .await
                .map_err(from_sqlite)?;
        count(n)
    }

    async fn count_records_by_day(
        &self,
        account: &AccountId,
        kind: &str,
        from_day: i64,
        until_day: i64,
    ) -> Result<Vec<(i64, u64)>, StoreError> {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT created_day, COUNT(*) FROM records \
             WHERE account_id = $1 AND kind = $2 AND created_day >= $3 AND created_day < $4 \
             GROUP BY created_day ORDER BY created_day DESC",
        )
        .bind(account.as_str())
        .bind(kind)
        .bind(from_day)
        .bind(until_day)
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)?
        .into_iter()
        .map(|(day, n)| count(n).map(|n| (day, n)))
        .collect()
    }

    async fn record_stamps_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<Vec<RecordStamp>, StoreError> {
        // One row for all of them: the driver hands each row from its worker thread to ours
        // (about 5 µs a row), which for a few thousand stamps costs far more than the query.
        // Each stamp is `id created_day HEXMARK`.
        let joined: Option<String> = sqlx::query_scalar(
            "SELECT group_concat(id || ' ' || created_day || ' ' || hex(substr(ciphertext, -16)), ',') \
             FROM records WHERE account_id = $1 AND kind = $2",
        )
        .bind(account.as_str())
        .bind(kind)
        .fetch_one(&self.pool)
        .await
        .map_err(from_sqlite)?;
        joined
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|stamp| {
                let mut parts = stamp.split(' ');
                let (Some(id), Some(day), Some(mark), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return Err(StoreError::Other("record stamp".to_owned()));
                };
                stamp_from_row((
                    id.to_owned(),
                    day.parse()
                        .map_err(|_| StoreError::Other("record stamp day".to_owned()))?,
                    hex::decode(mark)
                        .map_err(|_| StoreError::Other("record stamp mark".to_owned()))?,
                ))
            })
            .collect()
    }

    async fn write_records(
        &self,
        account: &AccountId,
        save: &[StoredRecord],
        delete: &[RecordId],
    ) -> Result<(), StoreError> {
        all_of_account(account, save)?;
        let mut tx = self.pool.begin().await.map_err(from_sqlite)?;
        for r in save {
            bind_record(sqlx::query(SAVE_RECORD), r)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlite)?;
        }
        for id in delete {
            sqlx::query(DELETE_RECORD)
                .bind(account.as_str())
                .bind(id.as_str())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlite)?;
        }
        tx.commit().await.map_err(from_sqlite)
    }

    async fn add_signup_codes(&self, codes: &[(Vec<u8>, i64)]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(from_sqlite)?;
        for (hash, expires_at) in codes {
            sqlx::query("INSERT INTO signup_codes (code_hash, expires_at) VALUES ($1, $2)")
                .bind(hash.as_slice())
                .bind(expires_at)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlite)?;
        }
        tx.commit().await.map_err(from_sqlite)
    }

    async fn claim_signup_code(&self, hash: &[u8], now: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE signup_codes SET used_at = $2 \
             WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_signup_code(&self, hash: &[u8]) -> Result<(), StoreError> {
        sqlx::query("UPDATE signup_codes SET used_at = NULL WHERE code_hash = $1")
            .bind(hash)
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(())
    }

    async fn add_records(
        &self,
        account: &AccountId,
        records: &[StoredRecord],
    ) -> Result<Vec<RecordId>, StoreError> {
        all_of_account(account, records)?;
        let mut tx = self.pool.begin().await.map_err(from_sqlite)?;
        let mut added = Vec::new();
        for r in records {
            let row = bind_record(sqlx::query(ADD_RECORD), r)
                .fetch_optional(&mut *tx)
                .await
                .map_err(from_sqlite)?;
            if row.is_some() {
                added.push(r.id.clone());
            }
        }
        tx.commit().await.map_err(from_sqlite)?;
        Ok(added)
    }

    async fn delete_record(&self, account: &AccountId, id: &RecordId) -> Result<bool, StoreError> {
        let done = sqlx::query(DELETE_RECORD)
            .bind(account.as_str())
            .bind(id.as_str())
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(done.rows_affected() > 0)
    }

    async fn reserve_attempt(
        &self,
        key: &str,
        now: i64,
        wait_after: fn(u32) -> i64,
    ) -> Result<Attempt, StoreError> {
        for _ in 0..ATTEMPT_ROUNDS {
            let seen = sqlx::query_as(
                "SELECT attempts, blocked_until FROM unlock_attempts WHERE scope_key = $1",
            )
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlite)?;
            let swap = match next_attempt(seen, now, wait_after) {
                AttemptStep::Wait(seconds) => return Ok(Attempt::Wait(seconds)),
                AttemptStep::Swap(swap) => swap,
            };
            // Compare-and-swap: only the request that read the current state may move it on.
            let query = match swap.seen {
                None => sqlx::query(
                    "INSERT INTO unlock_attempts (scope_key, attempts, blocked_until, updated_at) \
                     VALUES ($1, 1, $2, $3) ON CONFLICT (scope_key) DO NOTHING",
                )
                .bind(key)
                .bind(swap.blocked_until)
                .bind(now),
                Some((seen_attempts, seen_blocked_until)) => sqlx::query(
                    "UPDATE unlock_attempts SET attempts = $2, blocked_until = $3, updated_at = $4 \
                     WHERE scope_key = $1 AND attempts = $5 AND blocked_until = $6",
                )
                .bind(key)
                .bind(i64::from(swap.attempt))
                .bind(swap.blocked_until)
                .bind(now)
                .bind(seen_attempts)
                .bind(seen_blocked_until),
            };
            let done = query.execute(&self.pool).await.map_err(from_sqlite)?;
            if done.rows_affected() == 1 {
                return Ok(Attempt::Granted(swap.attempt));
            }
        }
        // So many at once that the swap kept losing: that is a burst, not a person.
        Ok(Attempt::Wait(1))
    }

    async fn clear_attempts(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM unlock_attempts WHERE scope_key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(())
    }

    async fn sweep_attempts(&self, untouched_since: i64, now: i64) -> Result<u64, StoreError> {
        let done =
            sqlx::query("DELETE FROM unlock_attempts WHERE updated_at < $1 AND blocked_until < $2")
                .bind(untouched_since)
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(from_sqlite)?;
        Ok(done.rows_affected())
    }

    async fn set_public_key(
        &self,
        account: &AccountId,
        key: &[u8; 32],
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO account_keys (account_id, public_key) VALUES ($1, $2) \
             ON CONFLICT (account_id) DO NOTHING",
        )
        .bind(account.as_str())
        .bind(&key[..])
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(done.rows_affected() == 1)
    }

    async fn public_key(&self, account: &AccountId) -> Result<Option<[u8; 32]>, StoreError> {
        let key: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT public_key FROM account_keys WHERE account_id = $1")
                .bind(account.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlite)?;
        key.map(|k| {
            k.try_into()
                .map_err(|_| StoreError::Other("a stored public key is malformed".into()))
        })
        .transpose()
    }

    async fn create_invitation(
        &self,
        code_hash: &[u8],
        account: &AccountId,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO invitations (code_hash, account_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id) DO UPDATE SET code_hash = excluded.code_hash, \
             created_at = excluded.created_at, expires_at = excluded.expires_at, \
             claimed_by = NULL, name_tries = 0",
        )
        .bind(code_hash)
        .bind(account.as_str())
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(())
    }

    async fn invitation_maker(
        &self,
        code_hash: &[u8],
        now: i64,
    ) -> Result<Option<AccountId>, StoreError> {
        let maker: Option<String> = sqlx::query_scalar(
            "SELECT account_id FROM invitations WHERE code_hash = $1 AND expires_at > $2",
        )
        .bind(code_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?;
        maker.as_deref().map(account_id).transpose()
    }

    async fn take_invitation(
        &self,
        code_hash: &[u8],
        claimer: Option<&str>,
        now: i64,
    ) -> Result<Option<AccountId>, StoreError> {
        // Deleted whether or not it has ended (an ended code is no use to anyone), unless a
        // set-up other than `claimer` holds it.
        let taken: Option<(String, i64)> = sqlx::query_as(
            "DELETE FROM invitations WHERE code_hash = $1 \
             AND (claimed_by IS NULL OR claimed_by = $2) RETURNING account_id, expires_at",
        )
        .bind(code_hash)
        .bind(claimer)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?;
        match taken {
            Some((account, expires_at)) if now < expires_at => account_id(&account).map(Some),
            _ => Ok(None),
        }
    }

    async fn claim_invitation(
        &self,
        code_hash: &[u8],
        claimer: &str,
        now: i64,
    ) -> Result<Option<AccountId>, StoreError> {
        let maker: Option<String> = sqlx::query_scalar(
            "UPDATE invitations SET claimed_by = $2 WHERE code_hash = $1 AND expires_at > $3 \
             AND (claimed_by IS NULL OR claimed_by = $2) RETURNING account_id",
        )
        .bind(code_hash)
        .bind(claimer)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?;
        maker.as_deref().map(account_id).transpose()
    }

    async fn release_invitation(
        &self,
        code_hash: &[u8],
        claimer: &str,
        name_taken: bool,
    ) -> Result<i64, StoreError> {
        let tries: Option<i64> = sqlx::query_scalar(
            "UPDATE invitations SET claimed_by = NULL, \
             name_tries = name_tries + CASE WHEN $3 THEN 1 ELSE 0 END \
             WHERE code_hash = $1 AND claimed_by = $2 RETURNING name_tries",
        )
        .bind(code_hash)
        .bind(claimer)
        .bind(name_taken)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(tries.unwrap_or(0))
    }

    async fn delete_invitations_of(&self, account: &AccountId) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM invitations WHERE account_id = $1")
            .bind(account.as_str())
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(done.rows_affected())
    }

    async fn delete_expired_invitations(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM invitations WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(done.rows_affected())
    }

    async fn link(&self, a: &AccountId, b: &AccountId, now: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(from_sqlite)?;
        // Always in the same order, so two links made at once never wait on each other.
        let (first, second) = if a.as_str() <= b.as_str() {
            (a, b)
        } else {
            (b, a)
        };
        for (side, other) in [(first, second), (second, first)] {
            let inserted = sqlx::query(
                "INSERT INTO links (account_id, partner_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(side.as_str())
            .bind(other.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(from_sqlite);
            match inserted {
                Ok(_) => {}
                // Either side already linked: nothing changes (the transaction rolls back).
                Err(StoreError::Conflict) => return Ok(false),
                Err(e) => return Err(e),
            }
        }
        // Neither can invite anyone else while linked.
        sqlx::query("DELETE FROM invitations WHERE account_id = $1 OR account_id = $2")
            .bind(first.as_str())
            .bind(second.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlite)?;
        tx.commit().await.map_err(from_sqlite)?;
        Ok(true)
    }

    async fn partner(&self, account: &AccountId) -> Result<Option<(AccountId, i64)>, StoreError> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT partner_id, created_at FROM links WHERE account_id = $1")
                .bind(account.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlite)?;
        row.map(|(partner, since)| account_id(&partner).map(|p| (p, since)))
            .transpose()
    }

    async fn unlink(&self, account: &AccountId) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(from_sqlite)?;
        let done = sqlx::query("DELETE FROM links WHERE account_id = $1 OR partner_id = $1")
            .bind(account.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlite)?;
        // One link each, so these are the two people's shares and pauses.
        for sql in [
            "DELETE FROM shares WHERE owner_id = $1 OR partner_id = $1",
            "DELETE FROM pauses WHERE account_id = $1 OR partner_id = $1",
            "DELETE FROM match_tags WHERE account_id = $1 OR partner_id = $1",
        ] {
            sqlx::query(sql)
                .bind(account.as_str())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlite)?;
        }
        tx.commit().await.map_err(from_sqlite)?;
        Ok(done.rows_affected() > 0)
    }

    async fn put_share(&self, share: &ShareRecord) -> Result<bool, StoreError> {
        // One writer at a time: a link ended at the same moment comes wholly before (nothing
        // is written) or after (and deletes this share too).
        let done = sqlx::query(
            "INSERT INTO shares (owner_id, partner_id, item, enc_cek, ciphertext, shared_at) \
             SELECT account_id, partner_id, $3, $4, $5, $6 FROM links \
             WHERE account_id = $1 AND partner_id = $2 \
             ON CONFLICT (owner_id, item) DO UPDATE SET partner_id = excluded.partner_id, \
             enc_cek = excluded.enc_cek, ciphertext = excluded.ciphertext, \
             shared_at = excluded.shared_at",
        )
        .bind(share.owner.as_str())
        .bind(share.partner.as_str())
        .bind(&share.item)
        .bind(share.sealed.enc_cek())
        .bind(share.sealed.ciphertext())
        .bind(share.shared_at)
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(done.rows_affected() > 0)
    }

    async fn update_share(&self, share: &ShareRecord) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE shares SET enc_cek = $4, ciphertext = $5, shared_at = $6 \
             WHERE owner_id = $1 AND partner_id = $2 AND item = $3",
        )
        .bind(share.owner.as_str())
        .bind(share.partner.as_str())
        .bind(&share.item)
        .bind(share.sealed.enc_cek())
        .bind(share.sealed.ciphertext())
        .bind(share.shared_at)
        .execute(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_share(&self, owner: &AccountId, item: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM shares WHERE owner_id = $1 AND item = $2")
            .bind(owner.as_str())
            .bind(item)
            .execute(&self.pool)
            .await
            .map_err(from_sqlite)?;
        Ok(done.rows_affected() > 0)
    }

    async fn shares_by(&self, owner: &AccountId) -> Result<Vec<ShareRecord>, StoreError> {
        let rows: Vec<ShareRow> = sqlx::query_as(
            "SELECT owner_id, partner_id, item, enc_cek, ciphertext, shared_at FROM shares \
             WHERE owner_id = $1 ORDER BY shared_at DESC, item",
        )
        .bind(owner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)?;
        rows.into_iter().map(share_from_row).collect()
    }

    async fn shares_for(&self, partner: &AccountId) -> Result<Vec<ShareRecord>, StoreError> {
        let rows: Vec<ShareRow> = sqlx::query_as(
            "SELECT owner_id, partner_id, item, enc_cek, ciphertext, shared_at FROM shares \
             WHERE partner_id = $1 ORDER BY shared_at DESC, item",
        )
        .bind(partner.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)?;
        rows.into_iter().map(share_from_row).collect()
    }

    async fn start_pause(
        &self,
        account: &AccountId,
        now: i64,
    ) -> Result<Option<(AccountId, i64)>, StoreError> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "INSERT INTO pauses (account_id, partner_id, started_at) \
             SELECT account_id, partner_id, $2 FROM links WHERE account_id = $1 \
             ON CONFLICT (account_id) DO UPDATE SET partner_id = excluded.partner_id \
             RETURNING partner_id, started_at",
        )
        .bind(account.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlite)?;
        row.map(|(partner, since)| account_id(&partner).map(|p| (p, since)))
            .transpose()
    }

    async fn end_pause(&self, account: &AccountId) -> Result<Option<AccountId>, StoreError> {
        let partner: Option<String> =
            sqlx::query_scalar("DELETE FROM pauses WHERE account_id = $1 RETURNING partner_id")
                .bind(account.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlite)?;
        partner.as_deref().map(account_id).transpose()
    }

    async fn together_signals(&self, account: &AccountId) -> Result<TogetherSignals, StoreError> {
        let (links, my_pause, partner_pause): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM links WHERE account_id = $1), \
             (SELECT started_at FROM pauses WHERE account_id = $1), \
             (SELECT MIN(started_at) FROM pauses WHERE partner_id = $1)",
        )
        .bind(account.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(from_sqlite)?;
        Ok(TogetherSignals {
            linked: links > 0,
            my_pause,
            partner_pause,
        })
    }

    async fn notify(&self, _account: &AccountId, _event: &str) -> Result<bool, StoreError> {
        // One process owns an SQLite file: the caller delivers events itself.
        Ok(false)
    }

    async fn set_match_tags(
        &self,
        account: &AccountId,
        partner: &AccountId,
        tags: &[[u8; 16]],
    ) -> Result<bool, StoreError> {
        // The link is checked (and, where rows can be locked, held) in the same transaction,
        // so tags never outlive a link ended at the same moment.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(from_sqlite)?;
        let linked: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM links WHERE account_id = $1 AND partner_id = $2")
                .bind(account.as_str())
                .bind(partner.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(from_sqlite)?;
        if linked.is_none() {
            return Ok(false);
        }
        sqlx::query("DELETE FROM match_tags WHERE account_id = $1")
            .bind(account.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlite)?;
        for tag in tags {
            sqlx::query(
                "INSERT INTO match_tags (account_id, partner_id, tag) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(account.as_str())
            .bind(partner.as_str())
            .bind(&tag[..])
            .execute(&mut *tx)
            .await
            .map_err(from_sqlite)?;
        }
        tx.commit().await.map_err(from_sqlite)?;
        Ok(true)
    }

    async fn matching_tags(&self, account: &AccountId) -> Result<Vec<Vec<u8>>, StoreError> {
        sqlx::query_scalar(
            "SELECT mine.tag FROM match_tags mine JOIN match_tags theirs \
             ON theirs.account_id = mine.partner_id AND theirs.partner_id = mine.account_id \
             AND theirs.tag = mine.tag WHERE mine.account_id = $1 ORDER BY mine.tag",
        )
        .bind(account.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlite)
    }
}
