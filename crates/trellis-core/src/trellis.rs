//! The application service: holds the store, the server secrets and the policies,
//! and exposes every use case as a method (in `access`, `settings` and `records`).

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use trellis_vault::{KdfParams, Pepper, ServerSecret};

use crate::access::Unlocked;
use crate::clock::Clock;
use crate::store::{Store, StoreError};

/// Policies an operator may set.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Argon2id parameters for new passphrases (and upgrades on unlock).
    pub kdf: KdfParams,
    /// How long a session may live whatever happens (seconds). Default 8 hours.
    pub absolute_session_secs: i64,
    /// Idle minutes for new accounts. Default 10.
    pub default_idle_minutes: u16,
    /// How many Argon2 computations may run at once (peak memory = this × m).
    pub kdf_concurrency: usize,
    /// How many may wait for a slot before new ones are turned away as busy.
    pub kdf_queue: usize,
    /// Whether more accounts may be created after the first.
    pub open_signup: bool,
    /// Whether every sign-up needs a one-time code from the operator (hosted, invitation
    /// only: `trellis admin invite`).
    pub invite_signup: bool,
    /// Whether the unlock page always asks for a name (hosted mode: how many people use an
    /// instance is nobody's business), not only once a second account exists.
    pub always_ask_name: bool,
    /// The fixed, gentle delay added to each unlock attempt at a name that has seen more than
    /// [`BRAKE_AFTER`](crate::access::BRAKE_AFTER) attempts in a row from anywhere.
    pub account_brake: Duration,
    /// The scrypt work factor (log2 N) of an export file's passphrase: 18 opens in about a
    /// second on a phone (see `data`).
    pub export_work_factor: u8,
}

impl Policy {
    /// Whether people may sign up beside existing accounts: open sign-up, or with an
    /// operator's code.
    pub fn signup_open(&self) -> bool {
        self.open_signup || self.invite_signup
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            kdf: KdfParams::LOCAL,
            absolute_session_secs: 8 * 3600,
            default_idle_minutes: 10,
            kdf_concurrency: 2,
            kdf_queue: 16,
            open_signup: false,
            invite_signup: false,
            always_ask_name: false,
            account_brake: Duration::from_secs(2),
            export_work_factor: 18,
        }
    }
}

/// The smallest and largest idle auto-lock a person may choose, in minutes.
pub const IDLE_MINUTES_RANGE: std::ops::RangeInclusive<u16> = 2..=30;

/// Errors of the use cases that are not the person's doing.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Stored key material could not be opened with the server secrets in use.
    #[error("stored key material does not open with these server secrets")]
    Keys,
    /// Too many passphrase checks are queued; try again shortly.
    #[error("busy")]
    Busy,
}

/// One person's use of one area: what an unlocked session may do there, as in
/// `trellis.journal(&unlocked).add(…)`. `A` names the area (each area module's `Area`); the
/// area's use cases are an `impl Handle<'_, Area>` in its own folder, and the method that
/// opens it (`Trellis::journal`) sits beside them.
pub struct Handle<'a, A> {
    pub(crate) trellis: &'a Trellis,
    pub(crate) me: &'a Unlocked,
    area: PhantomData<fn() -> A>,
}

impl<A> Clone for Handle<'_, A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for Handle<'_, A> {}

impl<'a, A> Handle<'a, A> {
    /// The unlocked session this handle acts for.
    pub fn me(&self) -> &'a Unlocked {
        self.me
    }
}

/// The Trellis application service.
pub struct Trellis {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) pepper: Arc<Pepper>,
    pub(crate) session_secret: ServerSecret,
    pub(crate) policy: Policy,
    pub(crate) clock: Arc<dyn Clock>,
    kdf_slots: Semaphore,
    kdf_waiting: std::sync::atomic::AtomicUsize,
    kdf_refused: std::sync::atomic::AtomicU64,
    pub(crate) events: crate::events::Hub,
}

impl Trellis {
    /// A handle on one area for this unlocked session.
    pub(crate) fn handle<'a, A>(&'a self, me: &'a Unlocked) -> Handle<'a, A> {
        Handle {
            trellis: self,
            me,
            area: PhantomData,
        }
    }

    /// Wires the service. Validates the KDF policy against the floor.
    pub fn new(
        store: Arc<dyn Store>,
        pepper: Pepper,
        session_secret: ServerSecret,
        policy: Policy,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, trellis_vault::VaultError> {
        policy.kdf.validate()?;
        Ok(Self {
            store,
            pepper: Arc::new(pepper),
            session_secret,
            kdf_slots: Semaphore::new(policy.kdf_concurrency.max(1)),
            kdf_waiting: std::sync::atomic::AtomicUsize::new(0),
            kdf_refused: std::sync::atomic::AtomicU64::new(0),
            events: crate::events::Hub::default(),
            policy,
            clock,
        })
    }

    /// The store (for operators' checks).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The session secret (the web layer keys anonymous CSRF tokens and address hashes with it).
    pub fn session_secret(&self) -> &ServerSecret {
        &self.session_secret
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Now, from the service's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Checks that the server secrets match the ones the data was made with; records them on
    /// first start. Refuses (with a plain explanation) when accounts exist but no fingerprint
    /// matches: new secrets must never be used over existing data.
    pub async fn check_secrets(&self) -> Result<(), SecretsMismatch> {
        let mut fingerprint = self.pepper.fingerprint().to_vec();
        fingerprint.extend_from_slice(&self.session_secret.fingerprint());
        let stored = self
            .store
            .secrets_fingerprint()
            .await
            .map_err(SecretsMismatch::Store)?;
        match stored {
            Some(s) if s == fingerprint => Ok(()),
            Some(_) => Err(SecretsMismatch::Different),
            None => {
                if self
                    .store
                    .count_accounts()
                    .await
                    .map_err(SecretsMismatch::Store)?
                    > 0
                {
                    return Err(SecretsMismatch::Missing);
                }
                self.store
                    .record_secrets_fingerprint(&fingerprint)
                    .await
                    .map_err(SecretsMismatch::Store)
            }
        }
    }

    /// Runs a slow key derivation off the async runtime, at most `kdf_concurrency` at a time.
    pub(crate) async fn run_kdf<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ServiceError> {
        use std::sync::atomic::Ordering;
        let waiting = self.kdf_waiting.fetch_add(1, Ordering::SeqCst);
        if waiting >= self.policy.kdf_concurrency + self.policy.kdf_queue {
            self.kdf_waiting.fetch_sub(1, Ordering::SeqCst);
            self.kdf_refused.fetch_add(1, Ordering::Relaxed);
            return Err(ServiceError::Busy);
        }
        let permit = tokio::time::timeout(Duration::from_secs(30), self.kdf_slots.acquire()).await;
        let result = match permit {
            Ok(Ok(_permit)) => tokio::task::spawn_blocking(work)
                .await
                .map_err(|_| ServiceError::Busy),
            _ => {
                self.kdf_refused.fetch_add(1, Ordering::Relaxed);
                Err(ServiceError::Busy)
            }
        };
        self.kdf_waiting.fetch_sub(1, Ordering::SeqCst);
        result
    }

    /// How busy the passphrase checks are now: counts only, for the operators' metrics.
    pub fn kdf_load(&self) -> KdfLoad {
        use std::sync::atomic::Ordering;
        let running = self
            .policy
            .kdf_concurrency
            .max(1)
            .saturating_sub(self.kdf_slots.available_permits());
        KdfLoad {
            running,
            waiting: self
                .kdf_waiting
                .load(Ordering::SeqCst)
                .saturating_sub(running),
            refused: self.kdf_refused.load(Ordering::Relaxed),
        }
    }
}

/// The passphrase checks' load at one moment (see [`Trellis::kdf_load`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfLoad {
    /// Checks running now (each holds the KDF's memory).
    pub running: usize,
    /// Checks waiting for a turn.
    pub waiting: usize,
    /// Checks refused since start because the queue was full or the wait too long.
    pub refused: u64,
}

/// Why the server secrets were refused at start.
#[derive(Debug, thiserror::Error)]
pub enum SecretsMismatch {
    /// The database has accounts but no record of which secrets they were made with.
    #[error(
        "The database already holds data, but no server secrets were recorded for it. \
         Start Trellis with the secrets it was first run with (the files in the data directory, or \
         TRELLIS_PEPPER_FILE and TRELLIS_SESSION_SECRET_FILE)."
    )]
    Missing,
    /// Different secrets than the data was made with.
    #[error(
        "These server secrets are not the ones this data was made with, so nothing could be opened. \
         Trellis will not start with new secrets over existing data. Restore the original secrets \
         files (pepper and session-secret) or point to them with TRELLIS_PEPPER_FILE and \
         TRELLIS_SESSION_SECRET_FILE."
    )]
    Different,
    /// The store failed while checking.
    #[error("the database could not be read: {0}")]
    Store(StoreError),
}
