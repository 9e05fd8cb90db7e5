//! Sealing and opening records for an unlocked person. The only place plaintext becomes a
//! `StoredRecord` and back: the store never sees anything else.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use trellis_vault::record::{open_record, seal_record};
use trellis_vault::{RecordContext, SealedParts};
use zeroize::Zeroizing;

use crate::access::Unlocked;
use crate::clock::day_of;
use crate::ids::RecordId;
use crate::store::StoredRecord;
use crate::trellis::{ServiceError, Trellis};

/// A kind of sealed record: its name (bound into the associated data) and schema version.
pub trait RecordKind: Serialize + DeserializeOwned {
    /// The stored kind name.
    const KIND: &'static str;
    /// The plaintext schema version.
    const SCHEMA_VERSION: u16;
}

/// The person's own settings that are theirs to keep private (sealed like everything else).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Profile {
    /// A neutral name used in page titles ("" = none).
    #[serde(default)]
    pub display_name: String,
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
        let today = day_of(self.now());
        let mut record = StoredRecord {
            account_id: unlocked.account.id.clone(),
            id,
            kind: T::KIND.to_owned(),
            schema_version: T::SCHEMA_VERSION,
            key_id: unlocked.udk.key_id(),
            enc_cek: Vec::new(),
            ciphertext: Vec::new(),
            created_day: created_day.unwrap_or(today),
            updated_day: today,
        };
        let SealedParts { enc_cek, ciphertext } =
            seal_record(&unlocked.udk, &context(&record), &plaintext).map_err(|_| ServiceError::Keys)?;
        record.enc_cek = enc_cek;
        record.ciphertext = ciphertext;
        Ok(record)
    }

    /// Opens a stored record of kind `T`.
    pub(crate) fn open<T: RecordKind>(&self, unlocked: &Unlocked, record: &StoredRecord) -> Result<T, ServiceError> {
        if record.kind != T::KIND || record.account_id != unlocked.account.id {
            return Err(ServiceError::Keys);
        }
        let parts = SealedParts { enc_cek: record.enc_cek.clone(), ciphertext: record.ciphertext.clone() };
        let plaintext = open_record(&unlocked.udk, &context(record), &parts).map_err(|_| ServiceError::Keys)?;
        serde_json::from_slice(&plaintext).map_err(|_| ServiceError::Keys)
    }

    /// The person's profile (empty when never saved).
    pub async fn profile(&self, unlocked: &Unlocked) -> Result<Profile, ServiceError> {
        let records = self.store.records_of_kind(&unlocked.account.id, Profile::KIND).await?;
        match records.first() {
            Some(r) => self.open(unlocked, r),
            None => Ok(Profile::default()),
        }
    }

    /// Saves the display name (trimmed, at most 40 characters).
    pub async fn set_display_name(&self, unlocked: &Unlocked, name: &str) -> Result<(), ServiceError> {
        let existing = self.store.records_of_kind(&unlocked.account.id, Profile::KIND).await?;
        let (id, created) = match existing.first() {
            Some(r) => (r.id.clone(), Some(r.created_day)),
            None => (RecordId::generate(), None),
        };
        let mut profile = match existing.first() {
            Some(r) => self.open::<Profile>(unlocked, r)?,
            None => Profile::default(),
        };
        profile.display_name = name.trim().chars().take(DISPLAY_NAME_MAX_CHARS).collect();
        let record = self.seal(unlocked, id, created, &profile)?;
        self.store.save_record(&record).await?;
        Ok(())
    }
}
