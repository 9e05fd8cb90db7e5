//! What the trends draw from, kept sealed in one record per kind: for each check-in or calm
//! rating, the few numbers a trend needs. "Everything" then opens one record instead of
//! thousands. It is derived data, like the journal's search digest: the records stay the
//! truth, it is left out of an export ([`crate::data::kinds::DERIVED`]), and it is checked
//! against them on every read — each entry carries the mark of the sealed bytes it was made
//! from ([`crate::store::RecordStamp`]), so a record saved again (a new seal, a new mark),
//! added or deleted is read afresh and nothing stale is ever shown. Made again when it does
//! not open; kept only when it could be saved (a read-only database just reads afresh).

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::access::Unlocked;
use crate::ids::RecordId;
use crate::records::{Item, RecordKind};
use crate::store::StoredRecord;
use crate::trellis::{ServiceError, Trellis};

/// The cache of check-ins' numbers.
pub(crate) const CHECKINS: &str = "progress_cache_checkins";
/// The cache of calm ratings' numbers.
pub(crate) const CALM: &str = "progress_cache_calm";
/// Its plaintext's version: a cache of another version is made again.
const VERSION: u16 = 1;
/// Up to this many changed records are read one by one; past it, the whole kind at once.
const ONE_BY_ONE: usize = 64;

/// The sealed plaintext: one entry per record.
#[derive(Serialize, Deserialize)]
struct Cache<P> {
    /// Id, mark (hex) and numbers of each record.
    entries: Vec<(String, String, P)>,
}

/// The mark of a stored record's sealed bytes, as [`crate::store::Store::record_stamps_of_kind`]
/// gives it.
fn mark_of(record: &StoredRecord) -> Vec<u8> {
    let c = record.sealed.ciphertext();
    c[c.len().saturating_sub(16)..].to_vec()
}

impl Trellis {
    /// `numbers` of every record of kind `T` this person has (in no particular order), from the sealed cache `cache_kind` where it still matches, opening only the
    /// records that changed since it was made, and saving it again when anything did.
    pub(crate) async fn derived<T, P>(
        &self,
        unlocked: &Unlocked,
        cache_kind: &'static str,
        numbers: impl Fn(&Item<T>) -> P,
    ) -> Result<Vec<P>, ServiceError>
    where
        T: RecordKind,
        P: Serialize + DeserializeOwned + Clone,
    {
        let account = unlocked.account_id();
        let stamps = self.store.record_stamps_of_kind(account, T::KIND).await?;
        let caches = self.store.records_of_kind(account, cache_kind).await?;
        let cache_ids: Vec<RecordId> = caches.iter().map(|r| r.id.clone()).collect();
        let mut known: HashMap<String, (String, P)> = HashMap::new();
        for r in caches {
            if r.schema_version != VERSION {
                continue;
            }
            let Ok(bytes) = self.open_bytes(unlocked, r) else {
                continue;
            };
            if let Ok(cache) = serde_json::from_slice::<Cache<P>>(&bytes) {
                known.extend(
                    cache
                        .entries
                        .into_iter()
                        .map(|(id, mark, p)| (id, (mark, p))),
                );
            }
        }
        let mut out: Vec<Option<(String, P)>> = stamps
            .iter()
            .map(|s| {
                let mark = hex::encode(&s.mark);
                known
                    .get(s.id.as_str())
                    .filter(|(m, _)| *m == mark)
                    .map(|(_, p)| (mark, p.clone()))
            })
            .collect();
        let fresh: Vec<usize> = (0..out.len()).filter(|&i| out[i].is_none()).collect();
        if fresh.is_empty() && cache_ids.len() == 1 && known.len() == stamps.len() {
            return Ok(out.into_iter().flatten().map(|(_, p)| p).collect());
        }
        // Read what changed: one by one when few, else the whole kind in one query.
        let mut read: HashMap<String, StoredRecord> = HashMap::new();
        if fresh.len() > ONE_BY_ONE {
            for r in self.store.records_of_kind(account, T::KIND).await? {
                read.insert(r.id.as_str().to_owned(), r);
            }
        } else {
            for &i in &fresh {
                if let Some(r) = self.store.record(account, &stamps[i].id).await? {
                    read.insert(r.id.as_str().to_owned(), r);
                }
            }
        }
        for &i in &fresh {
            // Deleted since the stamps were read: left out. Saved again since: its own mark.
            if let Some(r) = read.remove(stamps[i].id.as_str()) {
                let mark = hex::encode(mark_of(&r));
                let item = self.open_item::<T>(unlocked, &r)?;
                out[i] = Some((mark, numbers(&item)));
            }
        }
        let entries: Vec<(String, String, P)> = stamps
            .iter()
            .zip(&out)
            .filter_map(|(s, o)| {
                o.as_ref()
                    .map(|(m, p)| (s.id.as_str().to_owned(), m.clone(), p.clone()))
            })
            .collect();
        let plaintext =
            Zeroizing::new(serde_json::to_vec(&Cache { entries }).map_err(|_| ServiceError::Keys)?);
        let id = cache_ids
            .first()
            .cloned()
            .unwrap_or_else(RecordId::generate);
        let sealed = self.seal_bytes(unlocked, (id, cache_kind, VERSION), None, &plaintext)?;
        let others = cache_ids.get(1..).unwrap_or_default();
        if self
            .store
            .write_records(account, &[sealed], others)
            .await
            .is_err()
        {
            tracing::warn!(event = "progress_cache_not_saved");
        }
        Ok(out.into_iter().flatten().map(|(_, p)| p).collect())
    }
}
