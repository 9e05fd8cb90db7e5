//! Settings use cases: auto-lock, signed-in devices, deleting everything.

use crate::access::{Requester, UnlockError, Unlocked};
use crate::store::SessionRecord;
use crate::trellis::{ServiceError, Trellis, IDLE_MINUTES_RANGE};

/// One signed-in device as shown to the person (minimal detail: the abuser may see this too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// An opaque id for revoking (hex of the session-id hash; useless without the cookie).
    pub id: String,
    /// Coarse label.
    pub label: String,
    /// When it signed in (Unix seconds).
    pub since: i64,
    /// Whether this is the device asking.
    pub current: bool,
}

/// Why the auto-lock time was not changed.
#[derive(Debug, thiserror::Error)]
pub enum AutolockError {
    /// Outside 2–30 minutes.
    #[error("Please choose between 2 and 30 minutes.")]
    OutOfRange,
    /// The service failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl Trellis {
    /// Sets the idle auto-lock (2–30 minutes). Any time within the range is the person's
    /// choice, so it does not ask for the passphrase again (there is no "never").
    pub async fn set_autolock(
        &self,
        unlocked: &Unlocked,
        minutes: u16,
    ) -> Result<(), AutolockError> {
        if !IDLE_MINUTES_RANGE.contains(&minutes) {
            return Err(AutolockError::OutOfRange);
        }
        self.store
            .set_idle_minutes(unlocked.account_id(), minutes)
            .await
            .map_err(ServiceError::from)?;
        Ok(())
    }

    /// The account's signed-in devices, newest first.
    pub async fn devices(&self, unlocked: &Unlocked) -> Result<Vec<Device>, ServiceError> {
        let sessions = self.store.sessions_of(unlocked.account_id()).await?;
        Ok(sessions
            .iter()
            .map(|s: &SessionRecord| Device {
                id: hex::encode(&s.sid_hash),
                label: s.device_label.clone(),
                since: s.created_at,
                current: s.sid_hash == unlocked.session.sid_hash,
            })
            .collect())
    }

    /// Signs out one device of this account. Another account's device id does nothing.
    pub async fn revoke_device(
        &self,
        unlocked: &Unlocked,
        device_id: &str,
    ) -> Result<bool, ServiceError> {
        let Ok(hash) = hex::decode(device_id) else {
            return Ok(false);
        };
        if hash.len() != 32 {
            return Ok(false);
        }
        Ok(self
            .store
            .delete_session(unlocked.account_id(), &hash)
            .await?)
    }

    /// Deletes the account named `name` and everything it holds, for an operator whose client
    /// asked (`trellis admin delete-account`). Needs no passphrase and opens nothing: the name
    /// is found by its keyed hash only. False when no account has that name; an empty name is
    /// never anyone's here.
    pub async fn delete_account_named(&self, name: &str) -> Result<bool, UnlockError> {
        let Some(key) = self.name_key(name)? else {
            return Ok(false);
        };
        let Some(account) = self.store.account_by_name(Some(&key)).await? else {
            return Ok(false);
        };
        self.store.delete_account(&account.id).await?;
        self.store.checkpoint().await?;
        tracing::info!(event = "account_deleted_by_operator");
        Ok(true)
    }

    /// Deletes the account and everything in it, after re-checking the passphrase.
    pub async fn delete_everything(
        &self,
        unlocked: &Unlocked,
        current: &str,
        requester: &Requester,
    ) -> Result<(), UnlockError> {
        self.confirm_passphrase(unlocked, current, requester)
            .await?;
        self.store.delete_account(unlocked.account_id()).await?;
        self.store.checkpoint().await?;
        tracing::info!(event = "account_deleted");
        Ok(())
    }
}
