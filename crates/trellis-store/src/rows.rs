//! What a row is for both backends: the tuples sqlx decodes the `accounts`, `sessions` and
//! `records` columns into, their conversion to the port's types (a malformed value is an
//! error, never a panic), and the binding of a whole account or record to a statement's
//! numbered parameters. No SQL here: each backend writes its own (`sqlite/store.rs`,
//! `postgres/store.rs`).

use trellis_core::ids::{AccountId, RecordId};
use trellis_core::store::{
    AccountRecord, RecordStamp, Sealed, SessionRecord, ShareRecord, StoreError, StoredRecord,
};

/// Binds an account to `$1`–`$11`, in the order of the `accounts` columns: id, created_at,
/// kdf_params, salt, auth_verifier, wrapped_udk_pw, wrapped_udk_rc, key_id, pepper_version,
/// idle_minutes, name_key.
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

/// Binds a record to `$1`–`$9`, in the order of the `records` columns: account_id, id, kind,
/// schema_version, key_id, enc_cek, ciphertext, created_day, updated_day.
pub(crate) fn bind_record<'q, DB: sqlx::Database>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    r: &'q StoredRecord,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q [u8]: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .bind(r.account_id.as_str())
        .bind(r.id.as_str())
        .bind(&r.kind)
        .bind(i64::from(r.schema_version))
        .bind(i64::from(r.key_id))
        .bind(r.sealed.enc_cek())
        .bind(r.sealed.ciphertext())
        .bind(r.created_day)
        .bind(r.updated_day)
}

/// An `accounts` row as decoded by sqlx, its columns in the order [`bind_account`] binds.
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

/// A `sessions` row as decoded by sqlx: sid_hash, account_id, created_at, last_seen_at,
/// idle_expires_at, abs_expires_at, wrapped_udk, device_label.
pub(crate) type SessionRow = (Vec<u8>, String, i64, i64, i64, i64, Vec<u8>, String);

/// A `records` row as decoded by sqlx, its columns in the order [`bind_record`] binds.
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

fn bad(what: &str) -> StoreError {
    StoreError::Other(format!("a stored {what} is malformed"))
}

pub(crate) fn account_id(s: &str) -> Result<AccountId, StoreError> {
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
        sealed: Sealed::from_database(enc_cek, ciphertext),
        created_day,
        updated_day,
    })
}

/// A stamp row: id, created day, mark.
pub(crate) fn stamp_from_row(
    (id, created_day, mark): (String, i64, Vec<u8>),
) -> Result<RecordStamp, StoreError> {
    Ok(RecordStamp {
        id: RecordId::parse(&id).ok_or_else(|| bad("record id"))?,
        created_day,
        mark,
    })
}

/// A `COUNT(*)` as the port's `u64`.
pub(crate) fn count(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Other("negative count".to_owned()))
}

/// A `shares` row.
pub(crate) type ShareRow = (String, String, String, Vec<u8>, Vec<u8>, i64);

pub(crate) fn share_from_row(
    (owner, partner, item, enc_cek, ciphertext, shared_at): ShareRow,
) -> Result<ShareRecord, StoreError> {
    Ok(ShareRecord {
        owner: account_id(&owner)?,
        partner: account_id(&partner)?,
        item,
        sealed: Sealed::from_database(enc_cek, ciphertext),
        shared_at,
    })
}
