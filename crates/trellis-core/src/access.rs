//! Getting in and out: first-run set-up, unlock, sessions, lock, recovery, step-up checks.

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

/// Seconds to wait after `attempts` in a row when the first `free` cost nothing: then 1 s,
/// 2 s, 4 s … capped at 15 minutes.
fn doubling_wait(free: u32, attempts: u32) -> i64 {
    if attempts < free {
        return 0;
    }
    let exp = (attempts - free).min(20);
    (1_i64 << exp).min(MAX_WAIT_SECS)
}

/// Seconds to wait after `failures` consecutive failures at one name from one address: none
/// for the first five, then 1 s, 2 s, 4 s … capped at 15 minutes.
pub fn wait_after(failures: u32) -> i64 {
    doubling_wait(FREE_ATTEMPTS, failures)
}

/// The same doubling for one address across every name, after [`FREE_ATTEMPTS_PER_ADDRESS`].
pub fn address_wait_after(attempts: u32) -> i64 {
    doubling_wait(FREE_ATTEMPTS_PER_ADDRESS, attempts)
}

/// The name-wide counter only counts; it never makes anyone wait (see [`BRAKE_AFTER`]).
fn never_wait(_: u32) -> i64 {
    0
}

/// The counters an unlock attempt is reserved under: keyed hashes, never a name or address.
struct AttemptKeys {
    /// This address at this name: where the long waits live.
    pair: String,
    /// This address at any name.
    address: Option<String>,
    /// This name from anywhere: counted for the gentle brake only.
    name: String,
}

/// What a person fills in to set up their space.
#[derive(Default)]
pub struct SetUp<'a> {
    /// The name to unlock with when several people share this Trellis (may be empty).
    pub name: &'a str,
    /// The new passphrase.
    pub passphrase: &'a str,
    /// The same again.
    pub confirm: &'a str,
    /// Whether to make a recovery code.
    pub want_recovery_code: bool,
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

impl Trellis {
    /// Whether the first account exists yet.
    pub async fn setup_state(&self) -> Result<SetupState, ServiceError> {
        Ok(if self.store.count_accounts().await? == 0 {
            SetupState::NotSetUp
        } else {
            SetupState::SetUp
        })
    }

    /// Whether the unlock page must ask for a name: more than one account may exist.
    pub async fn needs_name(&self) -> Result<bool, ServiceError> {
        Ok(self.policy.open_signup || self.store.count_accounts().await? > 1)
    }

    /// The keyed hash a name is stored and found by (`None` for an empty name). Names are
    /// compared without case and with runs of spaces folded, so "Sam  K" finds "sam k".
    pub fn name_key(&self, name: &str) -> Result<Option<Vec<u8>>, UnlockError> {
        let folded = name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if folded.is_empty() {
            return Ok(None);
        }
        if folded.chars().count() > MAX_NAME_CHARS {
            return Err(UnlockError::NameTooLong);
        }
        Ok(Some(
            self.session_secret
                .keyed_hash("trellis/v1/name", folded.as_bytes())
                .to_vec(),
        ))
    }

    /// The account a name (possibly empty) opens: by its keyed hash; an empty name opens the
    /// only account, or else the unnamed one.
    async fn account_named(
        &self,
        name_key: Option<&[u8]>,
    ) -> Result<Option<AccountRecord>, StoreError> {
        match name_key {
            Some(key) => self.store.account_by_name(Some(key)).await,
            None if self.store.count_accounts().await? == 1 => self.store.first_account().await,
            None => self.store.account_by_name(None).await,
        }
    }

    /// Creates the first account and signs in (local mode). See [`Trellis::set_up_with`].
    pub async fn set_up(
        &self,
        new_passphrase: &str,
        confirm: &str,
        want_recovery_code: bool,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        self.set_up_with(
            &SetUp {
                passphrase: new_passphrase,
                confirm,
                want_recovery_code,
                ..SetUp::default()
            },
            requester,
        )
        .await
    }

    /// Creates an account and signs in. While sign-up is closed only the first account can be
    /// made, and an unnamed account only as the first: the database decides inside the
    /// insert, so simultaneous set-ups can never make two. A repeated submit of the same
    /// set-up page opens the account the first submit made (see [`SetUp::setup_id`]).
    pub async fn set_up_with(
        &self,
        form: &SetUp<'_>,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        passphrase::check_new(form.passphrase, form.confirm)?;
        let name_key = self.name_key(form.name)?;
        // Set-ups from one address are counted like unlock attempts across names (each costs
        // a key derivation, and with open sign-up makes an account).
        if let Some(key) = self.address_counter("s", requester) {
            self.reserve_or_wait(&key, self.now(), address_wait_after)
                .await?;
        }
        let only_first = name_key.is_none() || !self.policy.open_signup;
        let id = form.setup_id.clone().unwrap_or_else(AccountId::generate);
        // Cheap checks first, so a repeated or refused set-up costs no key derivation here.
        if self.store.account(&id).await?.is_some()
            || (only_first && self.store.count_accounts().await? > 0)
        {
            return self
                .set_up_again(&id, name_key.as_deref(), form, requester)
                .await;
        }
        let udk = DataKey::generate(1);
        let mut account = AccountRecord {
            id: id.clone(),
            created_at: self.now(),
            kdf_params: String::new(),
            salt: Vec::new(),
            auth_verifier: Vec::new(),
            wrapped_udk_pw: Vec::new(),
            wrapped_udk_rc: None,
            key_id: udk.key_id(),
            pepper_version: self.pepper.version(),
            idle_minutes: self.policy.default_idle_minutes,
            name_key: name_key.clone(),
        };
        self.rewrap_passphrase(&mut account, &udk, form.passphrase)
            .await?;
        let recovery_code = form.want_recovery_code.then(|| {
            let code = RecoveryCode::for_new_account(&udk, account.id.as_str());
            self.wrap_recovery_code(&mut account, &udk, &code);
            code
        });
        let created = if only_first {
            self.store.create_first_account(&account).await
        } else {
            self.store.create_account(&account).await
        };
        match created {
            Ok(()) => {}
            Err(StoreError::Conflict) => {
                return self
                    .set_up_again(&id, name_key.as_deref(), form, requester)
                    .await;
            }
            Err(e) => return Err(e.into()),
        }
        let mut session = self.start_session(&account, &udk, requester).await?;
        session.recovery_code = recovery_code;
        tracing::info!(event = "account_created");
        Ok(session)
    }

    /// A set-up that could not create its account: when the same page's first submit made it,
    /// open it with the passphrase (the browser shows only this later answer, so a recovery
    /// code asked for is shown here too: the same code, derived again); otherwise say why.
    async fn set_up_again(
        &self,
        id: &AccountId,
        name_key: Option<&[u8]>,
        form: &SetUp<'_>,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        // Only the page's own, just-made account, under the same name: a set-up page is never a
        // second way in to an older account (nor to its set-up recovery code).
        let fresh = |a: &AccountRecord| {
            a.name_key.as_deref() == name_key && self.now() - a.created_at < REPEAT_SETUP_SECS
        };
        let Some(account) = self.store.account(id).await?.filter(fresh) else {
            // Where sign-up is open a taken name is said plainly (as any sign-up must); where
            // it is closed, one answer whatever the name, so names cannot be tried here.
            if let (true, Some(key)) = (self.policy.open_signup, name_key) {
                if self.store.account_by_name(Some(key)).await?.is_some() {
                    return Err(UnlockError::NameTaken);
                }
            }
            return Err(UnlockError::NoAccount);
        };
        let udk = self
            .open_with_passphrase(
                Some(&account),
                account.name_key.as_deref(),
                form.passphrase,
                requester,
            )
            .await?;
        // Only the code this account's set-up made, and only if it is still the one in force.
        let recovery_code = form
            .want_recovery_code
            .then(|| RecoveryCode::for_new_account(&udk, account.id.as_str()))
            .filter(|code| self.open_with_recovery_code(&account, code).is_some());
        let mut session = self.start_session(&account, &udk, requester).await?;
        session.recovery_code = recovery_code;
        tracing::info!(event = "setup_repeated");
        Ok(session)
    }

    /// The data key, opened with a recovery code; `None` when the code is not this account's
    /// code in force (or the account has none).
    fn open_with_recovery_code(
        &self,
        account: &AccountRecord,
        code: &RecoveryCode,
    ) -> Option<DataKey> {
        let wrapped = account.wrapped_udk_rc.as_ref()?;
        unwrap_data_key(
            &derive_recovery_kek(code, &self.pepper),
            wrapped,
            WrapKind::RecoveryCode,
            &wrap_ctx(account, WrapKind::RecoveryCode),
        )
        .ok()
    }

    /// Wraps the data key under a recovery code (replacing any older code).
    fn wrap_recovery_code(&self, account: &mut AccountRecord, udk: &DataKey, code: &RecoveryCode) {
        let kek = derive_recovery_kek(code, &self.pepper);
        account.wrapped_udk_rc = Some(wrap_data_key(
            &kek,
            udk,
            WrapKind::RecoveryCode,
            &wrap_ctx(account, WrapKind::RecoveryCode),
        ));
    }

    /// Derives new passphrase keys (fresh salt, current parameters) and re-wraps the data key.
    async fn rewrap_passphrase(
        &self,
        account: &mut AccountRecord,
        udk: &DataKey,
        new_passphrase: &str,
    ) -> Result<(), ServiceError> {
        let params = self.policy.kdf;
        let salt = new_salt();
        let pass = Zeroizing::new(new_passphrase.as_bytes().to_vec());
        let pepper = self.pepper.clone();
        let keys = self
            .run_kdf(move || derive_passphrase_keys(&pass, &salt, params, &pepper))
            .await?
            .map_err(|_| ServiceError::Keys)?;
        account.kdf_params = params.encode();
        account.salt = salt.to_vec();
        account.auth_verifier = keys.auth.verifier().to_vec();
        account.pepper_version = self.pepper.version();
        account.wrapped_udk_pw = wrap_data_key(
            &keys.kek,
            udk,
            WrapKind::Passphrase,
            &wrap_ctx(account, WrapKind::Passphrase),
        );
        Ok(())
    }

    /// The keyed hash of the requester's address (never the address itself).
    fn address_hash(&self, requester: &Requester) -> Option<[u8; 32]> {
        requester.address.as_ref().map(|a| {
            self.session_secret
                .keyed_hash("trellis/v1/address", a.as_bytes())
        })
    }

    /// A counter's stored key: `prefix:` and 16 bytes of a keyed hash, in hex.
    fn counter_key(&self, prefix: &str, domain: &str, data: &[u8]) -> String {
        let h = self.session_secret.keyed_hash(domain, data);
        format!("{prefix}:{}", hex::encode(&h[..16]))
    }

    /// The per-address counter under `prefix` ("a" for unlock attempts, "s" for set-ups).
    fn address_counter(&self, prefix: &str, requester: &Requester) -> Option<String> {
        self.address_hash(requester)
            .map(|a| self.counter_key(prefix, "trellis/v1/attempts/address", &a))
    }

    fn attempt_keys(&self, name_key: Option<&[u8]>, requester: &Requester) -> AttemptKeys {
        let name = name_key.unwrap_or_default();
        let mut pair = name.to_vec();
        pair.push(0);
        pair.extend_from_slice(
            self.address_hash(requester)
                .as_ref()
                .map_or(&[][..], |a| &a[..]),
        );
        AttemptKeys {
            pair: self.counter_key("p", "trellis/v1/attempts/pair", &pair),
            address: self.address_counter("a", requester),
            name: self.counter_key("n", "trellis/v1/attempts/name", name),
        }
    }

    /// Reserves one attempt under `key`, or answers how long to wait.
    async fn reserve_or_wait(
        &self,
        key: &str,
        now: i64,
        wait_after: fn(u32) -> i64,
    ) -> Result<u32, UnlockError> {
        match self.store.reserve_attempt(key, now, wait_after).await? {
            Attempt::Granted(n) => Ok(n),
            Attempt::Wait(secs) => Err(UnlockError::Wait(secs)),
        }
    }

    /// Reserves this attempt before the slow check, in the database so every node agrees:
    /// refused while this address must wait; slowed (never refused) when the name has seen
    /// many attempts from anywhere.
    async fn reserve_attempt(&self, keys: &AttemptKeys) -> Result<(), UnlockError> {
        let now = self.now();
        // This name from this address first: a burst it refuses never reaches (nor charges)
        // the address's counter across names.
        self.reserve_or_wait(&keys.pair, now, wait_after).await?;
        if let Some(address) = &keys.address {
            self.reserve_or_wait(address, now, address_wait_after)
                .await?;
        }
        // The name-wide counter never refuses: it has no waits (`never_wait`), and a "wait" that
        // only means the count was contended is ignored. Past BRAKE_AFTER it only slows.
        if let Attempt::Granted(n) = self
            .store
            .reserve_attempt(&keys.name, now, never_wait)
            .await?
        {
            if n > BRAKE_AFTER {
                tokio::time::sleep(self.policy.account_brake).await;
            }
        }
        Ok(())
    }

    async fn clear_attempts(&self, keys: &AttemptKeys) -> Result<(), UnlockError> {
        self.store.clear_attempts(&keys.pair).await?;
        if let Some(address) = &keys.address {
            self.store.clear_attempts(address).await?;
        }
        self.store.clear_attempts(&keys.name).await?;
        Ok(())
    }

    /// Checks a passphrase (the attempt reserved first, and counted whatever the outcome) and
    /// returns the data key. A name with no account costs the same key derivation and gets
    /// the same answer, so names cannot be discovered by trying them.
    async fn open_with_passphrase(
        &self,
        account: Option<&AccountRecord>,
        name_key: Option<&[u8]>,
        passphrase: &str,
        requester: &Requester,
    ) -> Result<DataKey, UnlockError> {
        let keys = self.attempt_keys(name_key, requester);
        self.reserve_attempt(&keys).await?;
        if passphrase.is_empty() || passphrase.len() > passphrase::MAX_BYTES {
            tracing::info!(event = "unlock_failed");
            return Err(UnlockError::Wrong);
        }
        let (params, salt) = match account {
            Some(a) => (
                KdfParams::parse(&a.kdf_params).map_err(|_| ServiceError::Keys)?,
                a.salt.clone(),
            ),
            None => {
                let salt = self
                    .session_secret
                    .keyed_hash("trellis/v1/no-such-name", name_key.unwrap_or_default());
                (self.policy.kdf, salt[..16].to_vec())
            }
        };
        let pass = Zeroizing::new(passphrase.as_bytes().to_vec());
        let pepper = self.pepper.clone();
        let keys_derived = self
            .run_kdf(move || derive_passphrase_keys(&pass, &salt, params, &pepper))
            .await?
            .map_err(|_| ServiceError::Keys)?;
        let Some(account) = account.filter(|a| keys_derived.auth.matches(&a.auth_verifier)) else {
            tracing::info!(event = "unlock_failed");
            return Err(UnlockError::Wrong);
        };
        let udk = unwrap_data_key(
            &keys_derived.kek,
            &account.wrapped_udk_pw,
            WrapKind::Passphrase,
            &wrap_ctx(account, WrapKind::Passphrase),
        )
        .map_err(|_| ServiceError::Keys)?;
        self.clear_attempts(&keys).await?;
        Ok(udk)
    }

    /// Unlocks the only (or the unnamed) account. See [`Trellis::unlock_named`].
    pub async fn unlock(
        &self,
        passphrase: &str,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        self.unlock_named("", passphrase, requester).await
    }

    /// Unlocks the account with this name (empty: the only or the unnamed one) with the
    /// passphrase: a new session every time (never reuses an id).
    pub async fn unlock_named(
        &self,
        name: &str,
        passphrase: &str,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        if self.store.count_accounts().await? == 0 {
            return Err(UnlockError::NoAccount);
        }
        let name_key = self.name_key(name)?;
        let found = self.account_named(name_key.as_deref()).await?;
        let udk = self
            .open_with_passphrase(found.as_ref(), name_key.as_deref(), passphrase, requester)
            .await?;
        let Some(mut account) = found else {
            return Err(UnlockError::Wrong);
        };
        if KdfParams::parse(&account.kdf_params).ok() != Some(self.policy.kdf)
            || account.pepper_version != self.pepper.version()
        {
            // Upgrade the stored parameters now that we hold the passphrase.
            self.rewrap_passphrase(&mut account, &udk, passphrase)
                .await?;
            self.store.update_account_keys(&account).await?;
            tracing::info!(event = "kdf_upgraded");
        }
        let session = self.start_session(&account, &udk, requester).await?;
        tracing::info!(event = "unlocked");
        Ok(session)
    }

    /// Uses the recovery code to set a new passphrase; ends every other session. The code
    /// works once: a new one is made and returned in the session, to be shown once.
    pub async fn recover(
        &self,
        name: &str,
        code: &str,
        new_passphrase: &str,
        confirm: &str,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        if self.store.count_accounts().await? == 0 {
            return Err(UnlockError::NoAccount);
        }
        let name_key = self.name_key(name)?;
        let keys = self.attempt_keys(name_key.as_deref(), requester);
        self.reserve_attempt(&keys).await?;
        let Some(mut account) = self.account_named(name_key.as_deref()).await? else {
            tracing::info!(event = "unlock_failed");
            return Err(UnlockError::Wrong);
        };
        let opened = RecoveryCode::parse(code)
            .and_then(|code| self.open_with_recovery_code(&account, &code));
        let Some(udk) = opened else {
            tracing::info!(event = "unlock_failed");
            return Err(UnlockError::Wrong);
        };
        passphrase::check_new(new_passphrase, confirm)?;
        self.rewrap_passphrase(&mut account, &udk, new_passphrase)
            .await?;
        let new_code = RecoveryCode::generate();
        self.wrap_recovery_code(&mut account, &udk, &new_code);
        self.store.update_account_keys(&account).await?;
        self.store.delete_other_sessions(&account.id, None).await?;
        self.clear_attempts(&keys).await?;
        tracing::info!(event = "recovered");
        let mut session = self.start_session(&account, &udk, requester).await?;
        session.recovery_code = Some(new_code);
        Ok(session)
    }

    async fn start_session(
        &self,
        account: &AccountRecord,
        udk: &DataKey,
        requester: &Requester,
    ) -> Result<NewSession, ServiceError> {
        let now = self.now();
        let token = SessionToken::generate();
        let abs = now + self.policy.absolute_session_secs;
        let row = SessionRecord {
            sid_hash: token.sid_hash().to_vec(),
            account_id: account.id.clone(),
            created_at: now,
            last_seen_at: now,
            idle_expires_at: now + i64::from(account.idle_minutes) * 60,
            abs_expires_at: abs,
            wrapped_udk: token.wrap_data_key(&self.session_secret, udk, account.id.as_str(), abs),
            device_label: requester.device_label.chars().take(60).collect(),
        };
        self.store.create_session(&row).await?;
        Ok(NewSession {
            cookie_value: token.to_cookie_value(),
            recovery_code: None,
        })
    }

    /// Opens the session named by a cookie value, enforcing idle and absolute expiry,
    /// and keeps it alive.
    pub async fn authenticate(
        &self,
        cookie_value: &str,
    ) -> Result<Result<Unlocked, SessionProblem>, ServiceError> {
        let Some(token) = SessionToken::from_cookie_value(cookie_value) else {
            return Ok(Err(SessionProblem::NotSignedIn));
        };
        let sid_hash = token.sid_hash();
        let Some(mut session) = self.store.session(&sid_hash).await? else {
            return Ok(Err(SessionProblem::NotSignedIn));
        };
        let now = self.now();
        if now >= session.idle_expires_at || now >= session.abs_expires_at {
            self.store
                .delete_session(&session.account_id, &sid_hash)
                .await?;
            return Ok(Err(SessionProblem::Expired));
        }
        let Some(account) = self.store.account(&session.account_id).await? else {
            return Ok(Err(SessionProblem::NotSignedIn));
        };
        let Ok(udk) = token.unwrap_data_key(
            &self.session_secret,
            &session.wrapped_udk,
            account.id.as_str(),
            account.key_id,
            session.abs_expires_at,
        ) else {
            return Ok(Err(SessionProblem::NotSignedIn));
        };
        let idle = i64::from(account.idle_minutes) * 60;
        // Touch at most once a minute, or at once when the person shortened the auto-lock.
        if now - session.last_seen_at >= TOUCH_EVERY_SECS || session.idle_expires_at - now > idle {
            session.last_seen_at = now;
            session.idle_expires_at = now + idle;
            self.store
                .touch_session(
                    &account.id,
                    &sid_hash,
                    session.last_seen_at,
                    session.idle_expires_at,
                )
                .await?;
        }
        Ok(Ok(Unlocked {
            account,
            session,
            token,
            udk,
        }))
    }

    /// Ends the session named by a cookie value, if any. Idempotent.
    pub async fn lock(&self, cookie_value: &str) -> Result<(), ServiceError> {
        if let Some(token) = SessionToken::from_cookie_value(cookie_value) {
            let sid_hash = token.sid_hash();
            if let Some(session) = self.store.session(&sid_hash).await? {
                self.store
                    .delete_session(&session.account_id, &sid_hash)
                    .await?;
                self.store.checkpoint().await?;
                tracing::info!(event = "locked");
            }
        }
        Ok(())
    }

    /// Re-checks the passphrase of an unlocked person before a sensitive change (step-up).
    pub async fn confirm_passphrase(
        &self,
        unlocked: &Unlocked,
        passphrase: &str,
        requester: &Requester,
    ) -> Result<(), UnlockError> {
        self.open_with_passphrase(
            Some(&unlocked.account),
            unlocked.account.name_key.as_deref(),
            passphrase,
            requester,
        )
        .await
        .map(drop)
    }

    /// Notes that set-up made a recovery code the person has not seen yet: the set-up answer
    /// is a redirect, and the page it leads to shows the code once (so reloading that page,
    /// or going back, never sends the set-up form again).
    pub async fn mark_recovery_code_unseen(&self, unlocked: &Unlocked) -> Result<(), ServiceError> {
        self.update_profile(unlocked, |p| p.recovery_code_unseen = true)
            .await
    }

    /// The recovery code set-up made, once: derived again from the data key while it is still
    /// the code in force, and never again after this.
    pub async fn take_unseen_recovery_code(
        &self,
        unlocked: &Unlocked,
    ) -> Result<Option<RecoveryCode>, ServiceError> {
        if !self.profile(unlocked).await?.recovery_code_unseen {
            return Ok(None);
        }
        self.update_profile(unlocked, |p| p.recovery_code_unseen = false)
            .await?;
        let account = &unlocked.account;
        let code = RecoveryCode::for_new_account(&unlocked.udk, account.id.as_str());
        Ok(self
            .open_with_recovery_code(account, &code)
            .is_some()
            .then_some(code))
    }

    /// Whether this account has a recovery code.
    pub fn has_recovery_code(unlocked: &Unlocked) -> bool {
        unlocked.account.wrapped_udk_rc.is_some()
    }

    /// Whether the unlock page offers the recovery code: when the one account has one, and
    /// always where names are asked (which account has one is nobody else's business).
    pub async fn recovery_available(&self) -> Result<bool, ServiceError> {
        if self.needs_name().await? {
            return Ok(true);
        }
        Ok(self
            .store
            .first_account()
            .await?
            .is_some_and(|a| a.wrapped_udk_rc.is_some()))
    }

    /// Housekeeping, once a minute: ends sessions past their expiry by wiping their wrapped
    /// key at once (the row stays a day as a keyless marker, so a browser that comes back hears
    /// that its notes locked after a quiet while), removes those markers after a day, forgets
    /// unlock counters untouched for a day, and folds the write-ahead log so no ended
    /// session's wrapped key lingers there (also retrying a fold a lock could not finish).
    pub async fn sweep(&self) -> Result<(), ServiceError> {
        let now = self.now();
        self.store.wipe_expired_sessions(now).await?;
        self.store.delete_expired_sessions(now - 24 * 3600).await?;
        self.store.sweep_attempts(now - 24 * 3600, now).await?;
        self.store.checkpoint().await?;
        Ok(())
    }

    /// Changes the passphrase: re-wraps the data key (records are untouched) and ends every
    /// other session.
    pub async fn change_passphrase(
        &self,
        unlocked: &Unlocked,
        current: &str,
        new_passphrase: &str,
        confirm: &str,
        requester: &Requester,
    ) -> Result<(), UnlockError> {
        self.confirm_passphrase(unlocked, current, requester)
            .await?;
        passphrase::check_new(new_passphrase, confirm)?;
        let mut account = unlocked.account.clone();
        self.rewrap_passphrase(&mut account, &unlocked.udk, new_passphrase)
            .await?;
        self.store.update_account_keys(&account).await?;
        self.store
            .delete_other_sessions(&account.id, Some(&unlocked.session.sid_hash))
            .await?;
        tracing::info!(event = "passphrase_changed");
        Ok(())
    }
}
