//! Sharing, item by item: a copy of an item sealed to the pair key (the server holds only
//! sealed bytes), revoked by deleting that copy. Each share and each stop is written in the
//! owner's own sharing log, sealed under their data key.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use trellis_vault::{RecordContext, SealedParts};

use super::*;
use crate::events::Event;
use crate::records::RecordKind;
use crate::store::{Sealed, ShareRecord};

/// One line of the sharing log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLogLine {
    /// The item ("pause-signal"…).
    pub item: String,
    /// Shared (true) or stopped sharing (false).
    pub shared: bool,
    /// When, Unix seconds.
    pub at: i64,
}

impl RecordKind for ShareLogLine {
    const KIND: &'static str = "share_log";
    const SCHEMA_VERSION: u16 = 1;
}

/// An item the partner shares, opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedWithMe<T> {
    /// Which item.
    pub item: String,
    /// When it was shared.
    pub shared_at: i64,
    /// What it says.
    pub value: T,
}

/// What this person shares, as they see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyShare {
    /// Which item.
    pub item: String,
    /// When it was shared.
    pub shared_at: i64,
}

/// The associated data a shared item is sealed under: its owner and its item name, so a
/// copy moved to another owner or item does not open.
fn share_context<'a>(owner: &'a AccountId, item: &'a str) -> RecordContext<'a> {
    RecordContext {
        account_id: owner.as_str(),
        record_type: "share",
        record_id: item,
        schema_version: 1,
        key_id: 0,
    }
}

impl Handle<'_, Area> {
    /// The partner and the key this person shares with them; `None` when not linked, or the
    /// partner has not used Together yet (no public key kept).
    pub(crate) async fn pair(self) -> Result<Option<(AccountId, PairKey)>, ServiceError> {
        let store = &self.trellis.store;
        let Some((partner, _)) = store.partner(self.me.account_id()).await? else {
            return Ok(None);
        };
        let Some(theirs) = store.public_key(&partner).await? else {
            return Ok(None);
        };
        // Derived only: this person's public key was kept when they linked (or invited).
        let key = self
            .own_secret()
            .pair_key(&PairPublic(theirs))
            .map_err(|_| ServiceError::Keys)?;
        Ok(Some((partner, key)))
    }

    /// Shares `value` as `item` with the partner (replacing an earlier copy); false, and
    /// nothing kept, when not linked.
    pub(crate) async fn share<T: Serialize>(
        self,
        item: &str,
        value: &T,
    ) -> Result<bool, ServiceError> {
        let Some(share) = self.sealed_copy(item, value).await? else {
            return Ok(false);
        };
        let kept = self.trellis.store.put_share(&share).await?;
        if kept {
            self.log(item, true).await?;
            self.trellis
                .publish(&share.partner, Event::SharesChanged)
                .await?;
        }
        Ok(kept)
    }

    /// A copy of `value` as `item`, sealed to the pair key (`None` when not linked).
    async fn sealed_copy<T: Serialize>(
        self,
        item: &str,
        value: &T,
    ) -> Result<Option<ShareRecord>, ServiceError> {
        let Some((partner, key)) = self.pair().await? else {
            return Ok(None);
        };
        let plaintext = Zeroizing::new(serde_json::to_vec(value).map_err(|_| ServiceError::Keys)?);
        let me = self.me.account_id();
        let SealedParts {
            enc_cek,
            ciphertext,
        } = key.seal(&share_context(me, item), &plaintext);
        Ok(Some(ShareRecord {
            owner: me.clone(),
            partner,
            item: item.to_owned(),
            sealed: Sealed::from_database(enc_cek, ciphertext),
            // The day only: the exact time is nobody's business.
            shared_at: crate::clock::day_of(self.trellis.now()),
        }))
    }

    /// Stops sharing `item`: the partner's copy is deleted at once. False when it was not
    /// shared.
    pub async fn stop_sharing(self, item: &str) -> Result<bool, ServiceError> {
        let me = self.me.account_id();
        if !self.trellis.store.delete_share(me, item).await? {
            return Ok(false);
        }
        self.log(item, false).await?;
        if item == PAUSE_ITEM {
            // A pause reaches the partner only while the signal is shared.
            self.resume().await?;
        }
        if let Some((partner, _)) = self.trellis.store.partner(me).await? {
            self.trellis.publish(&partner, Event::SharesChanged).await?;
        }
        Ok(true)
    }

    async fn log(self, item: &str, shared: bool) -> Result<(), ServiceError> {
        self.trellis
            .records::<ShareLogLine>(self.me)
            .add(&ShareLogLine {
                item: item.to_owned(),
                shared,
                at: self.trellis.now(),
            })
            .await?;
        Ok(())
    }

    /// Everything this person shares, newest first.
    pub async fn my_shares(self) -> Result<Vec<MyShare>, ServiceError> {
        Ok(self
            .trellis
            .store
            .shares_by(self.me.account_id())
            .await?
            .into_iter()
            .map(|s| MyShare {
                item: s.item,
                shared_at: s.shared_at,
            })
            .collect())
    }

    /// Whether this person shares `item` now.
    pub async fn shares(self, item: &str) -> Result<bool, ServiceError> {
        Ok(self.my_shares().await?.iter().any(|s| s.item == item))
    }

    /// Every share and stop, newest first.
    pub async fn sharing_log(self) -> Result<Vec<ShareLogLine>, ServiceError> {
        let mut lines: Vec<ShareLogLine> = self
            .trellis
            .records::<ShareLogLine>(self.me)
            .list()
            .await?
            .into_iter()
            .map(|i| i.value)
            .collect();
        lines.sort_by_key(|l| std::cmp::Reverse(l.at));
        Ok(lines)
    }

    /// The items the partner shares with this person whose name `wanted` accepts, opened.
    /// Copies that do not open (not from the current partner, or damaged) are left out.
    pub(crate) async fn shared_with_me<T: DeserializeOwned>(
        self,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Vec<SharedWithMe<T>>, ServiceError> {
        let Some((partner, key)) = self.pair().await? else {
            return Ok(Vec::new());
        };
        let rows = self.trellis.store.shares_for(self.me.account_id()).await?;
        let mut opened = Vec::new();
        for row in rows
            .into_iter()
            .filter(|r| r.owner == partner && wanted(&r.item))
        {
            let (enc_cek, ciphertext) = row.sealed.into_parts();
            let parts = SealedParts {
                enc_cek,
                ciphertext,
            };
            let Ok(plaintext) = key.open(&share_context(&partner, &row.item), &parts) else {
                continue;
            };
            if let Ok(value) = serde_json::from_slice(&plaintext) {
                opened.push(SharedWithMe {
                    item: row.item,
                    shared_at: row.shared_at,
                    value,
                });
            }
        }
        Ok(opened)
    }
}

impl Handle<'_, Area> {
    /// Replaces the partner's copy of `item` with `value` when it is shared (an area calls this
    /// after changing something that may be shared, so the copy never goes stale). Never makes
    /// a copy: a share stopped at the same moment stays stopped.
    pub(crate) async fn refresh_if_shared<T: Serialize>(
        self,
        item: &str,
        value: &T,
    ) -> Result<(), ServiceError> {
        if !self.shares(item).await? {
            return Ok(());
        }
        if let Some(share) = self.sealed_copy(item, value).await? {
            if self.trellis.store.update_share(&share).await? {
                self.trellis
                    .publish(&share.partner, Event::SharesChanged)
                    .await?;
            }
        }
        Ok(())
    }
}
