//! Sealing and opening records for an unlocked person. The only place plaintext becomes a
//! `StoredRecord` and back: the store never sees anything else.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use trellis_vault::record::{open_record, seal_record};
use trellis_vault::{RecordContext, SealedParts};
use zeroize::Zeroizing;

use crate::access::Unlocked;
use crate::clock::day_of;
use crate::ids::RecordId;
use crate::store::{Sealed, StoredRecord};
use crate::trellis::{ServiceError, Trellis};

/// A kind of sealed record: its name (bound into the associated data) and schema version.
pub trait RecordKind: Serialize + DeserializeOwned {
    /// The stored kind name.
    const KIND: &'static str;
    /// The plaintext schema version.
    const SCHEMA_VERSION: u16;

    /// Brings a value opened from an older sealed form up to date (a mood on an older scale,
    /// say). Called on every value opened; saving it again writes the current form. Most
    /// kinds have nothing to do.
    fn upgrade(&mut self) {}
}

/// The person's own settings that are theirs to keep private (sealed like everything else).
/// New fields must have `#[serde(default)]` so older records still open.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Profile {
    /// A neutral name used in page titles ("" = none).
    #[serde(default)]
    pub display_name: String,
    /// Areas the person chose to hide (by area key, e.g. `journal`).
    #[serde(default)]
    pub hidden_areas: Vec<String>,
    /// Areas that stay off unless the person turns them on, turned on (e.g. `recovery`).
    #[serde(default)]
    pub shown_areas: Vec<String>,
    /// Set-up made a recovery code that has not been shown yet (see
    /// [`Trellis::take_unseen_recovery_code`]).
    #[serde(default)]
    pub recovery_code_unseen: bool,
}

impl RecordKind for Profile {
    const KIND: &'static str = "profile";
    const SCHEMA_VERSION: u16 = 1;
}

/// The longest display name kept.
pub const DISPLAY_NAME_MAX_CHARS: usize = 40;

fn context<'a>(record: &'a StoredRecord) -> RecordContext<'a> {
    RecordContext {
        account_id: record.account_id.as_str(),
        record_type: &record.kind,
        record_id: record.id.as_str(),
        schema_version: record.schema_version,
        key_id: record.key_id,
    }
}

impl Trellis {
    /// Seals `value` as record `id` (new or replacing).
    pub(crate) fn seal<T: RecordKind>(
        &self,
        unlocked: &Unlocked,
        id: RecordId,
        created_day: Option<i64>,
        value: &T,
    ) -> Result<StoredRecord, ServiceError> {
        let plaintext = Zeroizing::new(serde_json::to_vec(value).map_err(|_| ServiceError::Keys)?);
        self.seal_bytes(
            unlocked,
            (id, T::KIND, T::SCHEMA_VERSION),
            created_day,
            &plaintext,
        )
    }

    /// Seals `plaintext` as record `id` of `kind` at `schema_version` (new or replacing;
    /// `created_day` defaults to today). [`Trellis::seal`] for values; the journal's search
    /// digest, which is not JSON, seals its bytes here too.
    pub(crate) fn seal_bytes(
        &self,
        unlocked: &Unlocked,
        (id, kind, schema_version): (RecordId, &str, u16),
        created_day: Option<i64>,
        plaintext: &[u8],
    ) -> Result<StoredRecord, ServiceError> {
        let today = day_of(self.now());
        let mut record = StoredRecord {
            account_id: unlocked.account.id.clone(),
            id,
            kind: kind.to_owned(),
            schema_version,
            key_id: unlocked.udk.key_id(),
            sealed: Sealed::default(),
            created_day: created_day.unwrap_or(today),
            updated_day: today,
        };
        let SealedParts {
            enc_cek,
            ciphertext,
        } = seal_record(&unlocked.udk, &context(&record), plaintext)
            .map_err(|_| ServiceError::Keys)?;
        record.sealed = Sealed::from_database(enc_cek, ciphertext);
        Ok(record)
    }

    /// Opens a stored record of kind `T`.
    pub(crate) fn open<T: RecordKind>(
        &self,
        unlocked: &Unlocked,
        record: &StoredRecord,
    ) -> Result<T, ServiceError> {
        if record.kind != T::KIND {
            return Err(ServiceError::Keys);
        }
        let plaintext = self.open_bytes(unlocked, record.clone())?;
        let mut value: T = serde_json::from_slice(&plaintext).map_err(|_| ServiceError::Keys)?;
        value.upgrade();
        Ok(value)
    }

    /// The stored records of kind `T`, newest `created_day` first, read a page at a time for
    /// as long as `more` says so (it sees each record before the next is read), so a view of
    /// recent weeks never reads ten years of records.
    pub(crate) async fn stored_newest_while<T: RecordKind>(
        &self,
        unlocked: &Unlocked,
        mut more: impl FnMut(&StoredRecord) -> bool,
    ) -> Result<Vec<StoredRecord>, ServiceError> {
        const PAGE: u32 = 256;
        let mut out = Vec::new();
        let mut start = crate::store::PageStart::Newest;
        loop {
            let page = self
                .store
                .records_of_kind_page(unlocked.account_id(), T::KIND, &start, PAGE)
                .await?;
            let full = page.len() == PAGE as usize;
            for r in page {
                if !more(&r) {
                    return Ok(out);
                }
                start = crate::store::PageStart::After {
                    created_day: r.created_day,
                    id: r.id.clone(),
                };
                out.push(r);
            }
            if !full {
                return Ok(out);
            }
        }
    }

    /// Opens a stored record of kind `T` with its id and days.
    pub(crate) fn open_item<T: RecordKind>(
        &self,
        unlocked: &Unlocked,
        record: &StoredRecord,
    ) -> Result<Item<T>, ServiceError> {
        Ok(Item {
            id: record.id.clone(),
            created_day: record.created_day,
            updated_day: record.updated_day,
            value: self.open(unlocked, record)?,
        })
    }

    /// Opens a stored record's plaintext bytes (this person's records only). Takes the record,
    /// so its sealed bytes are opened where they are, not copied first.
    pub(crate) fn open_bytes(
        &self,
        unlocked: &Unlocked,
        mut record: StoredRecord,
    ) -> Result<Zeroizing<Vec<u8>>, ServiceError> {
        if record.account_id != unlocked.account.id {
            return Err(ServiceError::Keys);
        }
        let (enc_cek, ciphertext) = std::mem::take(&mut record.sealed).into_parts();
        let parts = SealedParts {
            enc_cek,
            ciphertext,
        };
        open_record(&unlocked.udk, &context(&record), &parts).map_err(|_| ServiceError::Keys)
    }

    /// The person's profile (empty when never saved).
    pub async fn profile(&self, unlocked: &Unlocked) -> Result<Profile, ServiceError> {
        self.singleton::<Profile>(unlocked).get().await
    }

    /// Changes the profile with `change` and saves it (one sealed record per person).
    pub async fn update_profile(
        &self,
        unlocked: &Unlocked,
        change: impl FnOnce(&mut Profile),
    ) -> Result<(), ServiceError> {
        self.singleton(unlocked).update(change).await
    }

    /// Saves the display name (trimmed, at most 40 characters).
    pub async fn set_display_name(
        &self,
        unlocked: &Unlocked,
        name: &str,
    ) -> Result<(), ServiceError> {
        let name: String = name.trim().chars().take(DISPLAY_NAME_MAX_CHARS).collect();
        self.update_profile(unlocked, |p| p.display_name = name)
            .await
    }
}

/// The fixed record id of a kind kept once per person: the kind's name in hex, padded (the
/// kind is in clear beside it anyway). Kind names are at most 16 bytes.
impl Trellis {
    /// The id of this person's record of `kind` named by `words` (see
    /// [`trellis_vault::DataKey::keyed_id`]): a double click saving the same thing twice
    /// writes one record.
    pub(crate) fn keyed_id(
        unlocked: &Unlocked,
        kind: &str,
        words: &str,
    ) -> Result<RecordId, ServiceError> {
        RecordId::parse(&hex::encode(unlocked.udk.keyed_id(kind, words.as_bytes())))
            .ok_or(ServiceError::Keys)
    }
}

fn singleton_id(kind: &str) -> Result<RecordId, ServiceError> {
    let mut bytes = [0u8; 16];
    let name = kind.as_bytes();
    if name.len() > bytes.len() {
        return Err(ServiceError::Keys);
    }
    bytes[..name.len()].copy_from_slice(name);
    RecordId::parse(&hex::encode(bytes)).ok_or(ServiceError::Keys)
}

/// Sorts `items` newest first by the day `day` reads from each value, then by the day each was
/// kept, then by id (so the order never depends on how the store returned them).
pub fn newest_first<T>(items: &mut [Item<T>], day: impl Fn(&T) -> crate::clock::Day) {
    items.sort_by(|a, b| {
        (day(&b.value), b.created_day, b.id.as_str()).cmp(&(
            day(&a.value),
            a.created_day,
            a.id.as_str(),
        ))
    });
}

/// A record opened for one request: its id, coarse days, and the plaintext value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item<T> {
    /// The record id.
    pub id: RecordId,
    /// Day created (Unix seconds at midnight UTC).
    pub created_day: i64,
    /// Day last changed.
    pub updated_day: i64,
    /// The opened value.
    pub value: T,
}

impl Trellis {
    /// The person's records of kind `T` (goals, boundaries, journal entries…).
    pub fn records<'a, T: RecordKind>(&'a self, me: &'a Unlocked) -> Records<'a, T> {
        Records {
            trellis: self,
            me,
            kind: PhantomData,
        }
    }

    /// The person's one record of kind `T` (the profile, preferences, the safety plan).
    pub fn singleton<'a, T: RecordKind>(&'a self, me: &'a Unlocked) -> Singleton<'a, T> {
        Singleton(self.records(me))
    }
}

/// One person's records of one kind, opened in memory for one request only. Every call checks
/// the owner and the kind: another person's id, or an id of another kind, is simply not found.
pub struct Records<'a, T> {
    trellis: &'a Trellis,
    me: &'a Unlocked,
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Records<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Records<'_, T> {}

impl<T: RecordKind> Records<'_, T> {
    /// Every record of the kind, newest first.
    pub async fn list(self) -> Result<Vec<Item<T>>, ServiceError> {
        let records = self
            .trellis
            .store
            .records_of_kind(self.me.account_id(), T::KIND)
            .await?;
        records
            .iter()
            .map(|r| self.trellis.open_item(self.me, r))
            .collect()
    }

    /// The stored record `id`, if it is this person's and of this kind.
    async fn stored(self, id: &RecordId) -> Result<Option<StoredRecord>, ServiceError> {
        Ok(self
            .trellis
            .store
            .record(self.me.account_id(), id)
            .await?
            .filter(|r| r.kind == T::KIND))
    }

    /// One record. `None` when the id is unknown, someone else's, or of another kind:
    /// callers answer 404 either way.
    pub async fn get(self, id: &RecordId) -> Result<Option<Item<T>>, ServiceError> {
        self.stored(id)
            .await?
            .map(|r| self.trellis.open_item(self.me, &r))
            .transpose()
    }

    /// Saves a new record and returns its id.
    pub async fn add(self, value: &T) -> Result<RecordId, ServiceError> {
        let id = RecordId::generate();
        let record = self.trellis.seal(self.me, id.clone(), None, value)?;
        self.trellis.store.save_record(&record).await?;
        Ok(id)
    }

    /// Replaces a record (keeping its first day). False, and nothing changed, when the id is
    /// unknown, someone else's, or of another kind.
    pub async fn replace(self, id: &RecordId, value: &T) -> Result<bool, ServiceError> {
        let Some(existing) = self.stored(id).await? else {
            return Ok(false);
        };
        let record = self
            .trellis
            .seal(self.me, id.clone(), Some(existing.created_day), value)?;
        self.trellis.store.save_record(&record).await?;
        Ok(true)
    }

    /// Deletes a record. False, and nothing changed, when the id is unknown, someone else's,
    /// or of another kind.
    pub async fn delete(self, id: &RecordId) -> Result<bool, ServiceError> {
        if self.stored(id).await?.is_none() {
            return Ok(false);
        }
        Ok(self
            .trellis
            .store
            .delete_record(self.me.account_id(), id)
            .await?)
    }
}

/// One person's one record of a kind kept once (the profile, preferences, the safety plan).
pub struct Singleton<'a, T>(Records<'a, T>);

impl<T> Clone for Singleton<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Singleton<'_, T> {}

impl<T: RecordKind> Singleton<'_, T> {
    /// The record, if saved.
    pub async fn item(self) -> Result<Option<Item<T>>, ServiceError> {
        Ok(self.0.list().await?.into_iter().next())
    }

    /// The value, or the default when never saved.
    pub async fn get(self) -> Result<T, ServiceError>
    where
        T: Default,
    {
        Ok(self.item().await?.map(|i| i.value).unwrap_or_default())
    }

    /// Saves the value: over the saved one (keeping its id and first day), or, the first
    /// time, under the kind's fixed id, so two first saves at once (a double click) write one
    /// record, never two.
    pub async fn save(self, value: &T) -> Result<(), ServiceError> {
        let Records { trellis, me, .. } = self.0;
        let existing = trellis
            .store
            .records_of_kind(me.account_id(), T::KIND)
            .await?;
        let (id, created) = match existing.first() {
            Some(r) => (r.id.clone(), Some(r.created_day)),
            None => (singleton_id(T::KIND)?, None),
        };
        let record = trellis.seal(me, id, created, value)?;
        trellis.store.save_record(&record).await?;
        Ok(())
    }

    /// Changes the value with `change` (from the default when never saved) and saves it.
    pub async fn update(self, change: impl FnOnce(&mut T)) -> Result<(), ServiceError>
    where
        T: Default,
    {
        let mut value = self.get().await?;
        change(&mut value);
        self.save(&value).await
    }
}
