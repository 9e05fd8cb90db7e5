//! Getting in and out: first-run set-up, unlock, sessions, lock, recovery, step-up checks.

// The parts share the imports below (`use super::*`).
mod sessions;
mod setup;
mod throttle;

#[allow(unused_imports)]
pub use self::throttle::*;

use trellis_vault::kdf::new_salt;
use trellis_vault::record::{unwrap_data_key, wrap_data_key};
use trellis_vault::session::SessionToken;
use trellis_vault::{
    derive_passphrase_keys, derive_recovery_kek, DataKey, KdfParams, RecoveryCode, WrapContext,
    WrapKind,
};
use zeroize::Zeroizing;

use crate::ids::AccountId;
use crate::passphrase::{self, PassphraseProblem};
use crate::store::{AccountRecord, Attempt, SessionRecord, StoreError};
use crate::trellis::{ServiceError, Trellis};

/// Attempts in a row from one address at one name allowed before any waiting starts.
pub const FREE_ATTEMPTS: u32 = 5;
/// Attempts in a row from one address, across every name, before that address waits too
/// (someone trying one passphrase against many names).
pub const FREE_ATTEMPTS_PER_ADDRESS: u32 = 20;
/// The longest wait between attempts: 15 minutes. There is never a permanent lockout.
pub const MAX_WAIT_SECS: i64 = 15 * 60;
/// After this many attempts in a row at one name from anywhere, each further attempt is
/// slowed by [`Policy::account_brake`](crate::Policy): gentle and bounded, never a refusal,
/// so a guesser elsewhere can never keep the person out of their own notes.
pub const BRAKE_AFTER: u32 = 10;
/// How long after set-up a repeated submit of the same set-up page still opens the account it
/// made (a double click, a slow phone); after that the page only says "already set up".
pub const REPEAT_SETUP_SECS: i64 = 10 * 60;
/// The longest name a person may choose (characters).
pub const MAX_NAME_CHARS: usize = 60;
/// How often a session's last-seen time is written (seconds), to keep requests cheap.
pub const TOUCH_EVERY_SECS: i64 = 60;

/// What a person fills in to set up their space.
#[derive(Clone, Default)]
pub struct SetUp<'a> {
    /// The name to unlock with when several people share this Trellis (may be empty).
    pub name: &'a str,
    /// The new passphrase.
    pub passphrase: &'a str,
    /// The same again.
    pub confirm: &'a str,
    /// Whether to make a recovery code.
    pub want_recovery_code: bool,
    /// The operator's one-time sign-up code (invitation-only sign-up).
    pub invite: &'a str,
    /// The id the set-up page chose for the new account: a second submit of the same page
    /// (a double click) lands on the account the first one made instead of making another.
    pub setup_id: Option<AccountId>,
}

/// Whether set-up has happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupState {
    /// No account yet: show the welcome.
    NotSetUp,
    /// At least one account exists.
    SetUp,
}

/// Why an unlock (or a step-up check) did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    /// There is no account to unlock.
    #[error("no account")]
    NoAccount,
    /// The passphrase (or code) was not right.
    #[error("wrong passphrase")]
    Wrong,
    /// Too many recent failures: wait this many seconds.
    #[error("wait {0} seconds")]
    Wait(i64),
    /// Another account already uses this name.
    #[error("name taken")]
    NameTaken,
    /// The name is longer than [`MAX_NAME_CHARS`].
    #[error("name too long")]
    NameTooLong,
    /// The sign-up code is unknown, used or expired.
    #[error("sign-up code not accepted")]
    BadInvite,
    /// The new passphrase was not accepted.
    #[error(transparent)]
    Passphrase(#[from] PassphraseProblem),
    /// Something else went wrong.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<crate::store::StoreError> for UnlockError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Service(e.into())
    }
}

/// Who is asking, for throttling and the devices list. Never stored as given.
#[derive(Clone, Debug, Default)]
pub struct Requester {
    /// The network address as text (hashed with the server secret before use).
    pub address: Option<String>,
    /// A coarse label such as "a browser on Linux".
    pub device_label: String,
}

/// An unlocked session for one request. Holds the data key; it is wiped when this is dropped.
pub struct Unlocked {
    /// The account's stored row.
    pub account: AccountRecord,
    /// The session's stored row.
    pub session: SessionRecord,
    pub(crate) token: SessionToken,
    pub(crate) udk: DataKey,
}

impl Unlocked {
    /// The account id.
    pub fn account_id(&self) -> &AccountId {
        &self.account.id
    }
    /// The form token for this session.
    pub fn csrf_token(&self, trellis: &Trellis) -> String {
        self.token.csrf_token(&trellis.session_secret)
    }
}

/// A new session: the cookie value to send, and the recovery code to show once (set-up only).
pub struct NewSession {
    /// The cookie value (`sid ‖ sk`, base64url).
    pub cookie_value: Zeroizing<String>,
    /// A recovery code to show once, when one was asked for.
    pub recovery_code: Option<RecoveryCode>,
}

/// Why a cookie did not open a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionProblem {
    /// No cookie, a malformed one, or no such session.
    NotSignedIn,
    /// The session had expired (idle or absolute) and has now been removed.
    Expired,
}

fn wrap_ctx<'a>(account: &'a AccountRecord, kind: WrapKind) -> WrapContext<'a> {
    WrapContext {
        account_id: account.id.as_str(),
        key_id: account.key_id,
        kdf_params: match kind {
            WrapKind::Passphrase => &account.kdf_params,
            WrapKind::RecoveryCode => "",
        },
        pepper_version: account.pepper_version,
    }
}
