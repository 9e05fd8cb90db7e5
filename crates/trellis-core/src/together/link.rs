//! The link: who, since when, the safety number, and ending it.

use super::*;

/// This person's link, as they see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Since when (Unix seconds).
    pub since: i64,
    /// The sixteen words both people see, to compare in person. `None` until the partner has
    /// used Together once (their public key is kept then).
    pub safety_number: Option<[&'static str; SAFETY_WORDS]>,
    /// False when the public key kept for this person is not the one their data key gives:
    /// someone changed it, and the partner would be sharing with a stranger.
    pub own_key_kept_right: bool,
}

impl Handle<'_, Area> {
    /// This person's link, if any.
    pub async fn link(self) -> Result<Option<Link>, ServiceError> {
        let store = &self.trellis.store;
        let Some((partner, since)) = store.partner(self.me.account_id()).await? else {
            return Ok(None);
        };
        let mine = self.own_key().await?.public();
        let kept = store.public_key(self.me.account_id()).await?;
        let theirs = store.public_key(&partner).await?.map(PairPublic);
        Ok(Some(Link {
            since,
            safety_number: theirs.map(|t| safety_number(&mine, &t)),
            own_key_kept_right: kept == Some(mine.0),
        }))
    }

    /// Ends this person's link, on both sides, with everything either shared and any pause
    /// (and any invitation they left waiting). False when there was none.
    pub async fn end_link(self) -> Result<bool, ServiceError> {
        let store = &self.trellis.store;
        store.delete_invitations_of(self.me.account_id()).await?;
        let partner = store.partner(self.me.account_id()).await?;
        let ended = store.unlink(self.me.account_id()).await?;
        if let (true, Some((partner, _))) = (ended, partner) {
            self.trellis
                .publish(&partner, crate::events::Event::SharesChanged)
                .await?;
        }
        Ok(ended)
    }
}
