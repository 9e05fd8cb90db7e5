//! The logic both backends wrap around their SQL in the same way, as ordinary functions: the
//! bounds of a keyset page, the next step of the unlock-attempt compare-and-swap, handing a
//! streamed read over in batches, and the checks made before and after a write. No SQL here:
//! each backend writes its own (`sqlite/store.rs`, `postgres/store.rs`).

use futures_util::{Stream, TryStreamExt as _};
use trellis_core::ids::AccountId;
use trellis_core::store::{PageStart, StoreError, StoredRecord};

use crate::rows::{record_from_row, CountedRecordRow};

/// The `(day, id)` bounds of a keyset page: records with `created_day < day`, or on `day`
/// with an id greater than `id`. `"~"` is greater than every id (lowercase hex).
pub(crate) fn page_bounds(start: &PageStart) -> (i64, &str) {
    match start {
        PageStart::Newest => (i64::MAX, "~"),
        PageStart::BeforeDay(day) => (*day, "~"),
        PageStart::After { created_day, id } => (*created_day, id.as_str()),
    }
}

/// `Store::record_secrets_fingerprint`, after the insert that keeps the first fingerprint:
/// recording the same fingerprint again is fine; a different one is not.
pub(crate) fn fingerprint_kept(
    stored: Option<Vec<u8>>,
    fingerprint: &[u8],
) -> Result<(), StoreError> {
    match stored {
        Some(stored) if stored == fingerprint => Ok(()),
        Some(_) => Err(StoreError::Conflict),
        None => Err(StoreError::Other(
            "the secrets fingerprint was not kept".to_owned(),
        )),
    }
}

/// `Store::write_records` writes one account's records only.
pub(crate) fn all_of_account(account: &AccountId, save: &[StoredRecord]) -> Result<(), StoreError> {
    if save.iter().any(|r| &r.account_id != account) {
        return Err(StoreError::Other(
            "a record of another account was given to write_records".to_owned(),
        ));
    }
    Ok(())
}

/// How many rounds of compare-and-swap `Store::reserve_attempt` tries before it answers
/// "wait": a loser reads the new state and tries again, so every attempt is counted exactly
/// once, and one that keeps losing is in a burst (so many at once), not a person.
pub(crate) const ATTEMPT_ROUNDS: usize = 16;

/// What `Store::reserve_attempt` does next, given the `(attempts, blocked_until)` it read for
/// its key.
pub(crate) enum AttemptStep {
    /// The key is blocked for this many more seconds.
    Wait(i64),
    /// Try to move the key on.
    Swap(AttemptSwap),
}

/// Store `attempt`, blocked until `blocked_until`, if the key still holds `seen` (`None`: no
/// row yet, so insert it). If that write lands, `attempt` is granted.
pub(crate) struct AttemptSwap {
    pub seen: Option<(i64, i64)>,
    pub attempt: u32,
    pub blocked_until: i64,
}

/// The next step of `Store::reserve_attempt` from the state it read.
pub(crate) fn next_attempt(
    seen: Option<(i64, i64)>,
    now: i64,
    wait_after: fn(u32) -> i64,
) -> AttemptStep {
    let attempt = match seen {
        None => 1,
        Some((_, blocked_until)) if blocked_until > now => {
            return AttemptStep::Wait(blocked_until - now);
        }
        Some((attempts, _)) => u32::try_from(attempts)
            .unwrap_or(u32::MAX - 1)
            .saturating_add(1),
    };
    AttemptStep::Swap(AttemptSwap {
        seen,
        attempt,
        blocked_until: now + wait_after(attempt),
    })
}

/// Reads `rows` to the end, handing the records to `visit` in batches of at least
/// `batch_bytes` of ciphertext (the last one may be smaller), and returns the count every row
/// carries beside its record (`None` when there were no rows). The stream, and with it the
/// connection it holds, is dropped before this returns.
pub(crate) async fn visit_in_batches<S>(
    mut rows: S,
    map_err: fn(sqlx::Error) -> StoreError,
    batch_bytes: usize,
    visit: &mut (dyn FnMut(Vec<StoredRecord>) + Send),
) -> Result<Option<i64>, StoreError>
where
    S: Stream<Item = Result<CountedRecordRow, sqlx::Error>> + Unpin,
{
    let mut count = None;
    let mut batch = Vec::new();
    let mut bytes = 0;
    while let Some(row) = rows.try_next().await.map_err(map_err)? {
        let (a, i, k, s, key, cek, c, cd, ud, n) = row;
        count.get_or_insert(n);
        let record = record_from_row((a, i, k, s, key, cek, c, cd, ud))?;
        bytes += record.sealed.len();
        batch.push(record);
        if bytes >= batch_bytes {
            visit(std::mem::take(&mut batch));
            bytes = 0;
        }
    }
    if !batch.is_empty() {
        visit(batch);
    }
    Ok(count)
}
