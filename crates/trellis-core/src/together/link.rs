//! The link: who, since when, the safety number, and ending it.

use super::*;

/// This person's link, as they see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Since when (Unix seconds).
    pub since: i64,
    /// The eight words both people see, to compare in person. `None` until the partner has
    /// used Together once (their public key is kept then).
    pub safety_number: Option<[&'static str; 8]>,
}

impl Handle<'_, Area> {
    /// This person's link, if any.
    pub async fn link(self) -> Result<Option<Link>, ServiceError> {
        let store = &self.trellis.store;
        let Some((partner, since)) = store.partner(self.me.account_id()).await? else {
            return Ok(None);
        };
        let mine = self.own_key().await?.public();
        let theirs = store.public_key(&partner).await?.map(PairPublic);
        Ok(Some(Link {
            since,
            safety_number: theirs.map(|t| safety_number(&mine, &t)),
        }))
    }

    /// Ends this person's link, on both sides (and any invitation they left waiting). False
    /// when there was none.
    pub async fn end_link(self) -> Result<bool, ServiceError> {
        let store = &self.trellis.store;
        store.delete_invitations_of(self.me.account_id()).await?;
        Ok(store.unlink(self.me.account_id()).await?)
    }
}
