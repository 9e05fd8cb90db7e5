//! Together (issue 9): two accounts linked by a one-time invitation, with a safety number to
//! compare in person; items shared one by one, sealed to the pair's key; the pause signal.
//! Today's comfort, the yes/no/maybe list and the trust ladder build on it.
//!
//! Each account's X25519 key pair is derived from its data key (`PairSecret::for_account`):
//! only the unlocked person can compute the private half; the public half is kept beside the
//! account the first time Together is used. Invitation codes are eight plain words, kept only
//! as a keyed hash, one use, for 24 hours; guesses are throttled per person and per address.

mod boundaries;
mod comfort;
mod invitations;
mod join;
mod ladder;
mod link;
mod list;
mod pause;
mod shares;
#[cfg(test)]
mod tests;

pub use self::boundaries::*;
pub use self::comfort::*;
pub use self::invitations::*;
pub use self::join::*;
pub use self::ladder::*;
pub use self::link::*;
pub use self::list::*;
pub use self::pause::*;
pub use self::shares::*;

use trellis_vault::pair::{safety_number, PairKey, PairPublic, PairSecret, SAFETY_WORDS, WORDS};
use zeroize::Zeroizing;

use crate::access::{wait_after, NewSession, Requester, SetUp, UnlockError, Unlocked};
use crate::ids::AccountId;
use crate::trellis::{Handle, ServiceError, Trellis};
pub use trellis_vault::pair::SAFETY_WORDS as SAFETY_NUMBER_WORDS;

/// Together, for one person: [`Trellis::together`] opens it.
pub enum Area {}

impl Trellis {
    /// Together for this unlocked session.
    pub fn together<'a>(&'a self, me: &'a Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}

/// What could not be done, in words a person can act on (nothing here is an error of theirs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TogetherProblem {
    /// The code was not eight words from the list, or no such invitation is waiting (unknown,
    /// used or ended: the same answer, so nothing can be learnt by guessing).
    #[error("That code didn't work. It may have been typed differently, used already, or be more than a day old. Please check it with the person who made it, or ask them for a new one.")]
    CodeNotValid,
    /// The code was one's own.
    #[error(
        "That's the code you made yourself. Please give it to the person you want to link with."
    )]
    OwnCode,
    /// One of the two is already linked.
    #[error("One of you is already linked with someone. A link has to be ended before a new one can be made.")]
    AlreadyLinked,
    /// Too many codes tried in a row.
    #[error("Several codes have been tried in a row. Please wait {0} seconds, then try again.")]
    Wait(i64),
}

impl Handle<'_, Area> {
    /// This person's key pair, derived from their data key (nothing is read or written).
    pub(crate) fn own_secret(self) -> PairSecret {
        PairSecret::for_account(&self.me.udk, self.me.account_id().as_str())
    }

    /// This person's key pair (derived, never stored) after making sure its public half is
    /// kept beside the account.
    pub(crate) async fn own_key(self) -> Result<PairSecret, ServiceError> {
        let secret = self.own_secret();
        // Kept once; a second unlock derives the same key, so "already kept" is the same key.
        self.trellis
            .store
            .set_public_key(self.me.account_id(), &secret.public().0)
            .await?;
        Ok(secret)
    }
}
