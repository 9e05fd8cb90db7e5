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
use crate::store::{AccountRecord, SessionRecord, ThrottleScope, ThrottleState};
use crate::trellis::{ServiceError, Trellis};

/// Failed attempts allowed before any waiting starts.
pub const FREE_ATTEMPTS: u32 = 5;
/// The longest wait between attempts: 15 minutes. There is never a permanent lockout.
pub const MAX_WAIT_SECS: i64 = 15 * 60;
/// How often a session's last-seen time is written (seconds), to keep requests cheap.
pub const TOUCH_EVERY_SECS: i64 = 60;

/// Seconds to wait after `failures` consecutive failures: none for the first five, then
/// 1 s, 2 s, 4 s … capped at 15 minutes.
pub fn wait_after(failures: u32) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let exp = (failures - FREE_ATTEMPTS).min(20);
    (1_i64 << exp).min(MAX_WAIT_SECS)
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
    /// Seconds until the session ends whatever happens.
    pub max_age_secs: i64,
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

    /// Creates the first account (sign-up is closed after that unless the operator opened it)
    /// and signs in.
    pub async fn set_up(
        &self,
        new_passphrase: &str,
        confirm: &str,
        want_recovery_code: bool,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        passphrase::check_new(new_passphrase, confirm)?;
        if !self.policy.open_signup && self.store.count_accounts().await? > 0 {
            return Err(UnlockError::NoAccount);
        }
        let id = AccountId::generate();
        let udk = DataKey::generate(1);
        let mut account = AccountRecord {
            id,
            created_at: self.now(),
            kdf_params: String::new(),
            salt: Vec::new(),
            auth_verifier: Vec::new(),
            wrapped_udk_pw: Vec::new(),
            wrapped_udk_rc: None,
            key_id: udk.key_id(),
            pepper_version: self.pepper.version(),
            idle_minutes: self.policy.default_idle_minutes,
        };
        self.rewrap_passphrase(&mut account, &udk, new_passphrase)
            .await?;
        let recovery_code = if want_recovery_code {
            let code = RecoveryCode::generate();
            let kek = derive_recovery_kek(&code, &self.pepper);
            account.wrapped_udk_rc = Some(wrap_data_key(
                &kek,
                &udk,
                WrapKind::RecoveryCode,
                &wrap_ctx(&account, WrapKind::RecoveryCode),
            ));
            Some(code)
        } else {
            None
        };
        match self.store.create_account(&account).await {
            Ok(()) => {}
            Err(crate::store::StoreError::Conflict) => return Err(UnlockError::NoAccount),
            Err(e) => return Err(e.into()),
        }
        let mut session = self.start_session(&account, &udk, requester).await?;
        session.recovery_code = recovery_code;
        tracing::info!(event = "account_created");
        Ok(session)
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

    fn throttle_scopes(&self, requester: &Requester) -> Vec<ThrottleScope> {
        let mut scopes = vec![ThrottleScope::Account];
        if let Some(addr) = &requester.address {
            let h = self
                .session_secret
                .keyed_hash("trellis/v1/address", addr.as_bytes());
            scopes.push(ThrottleScope::Address(hex::encode(&h[..16])));
        }
        scopes
    }

    /// Refuses early while a wait is in force for this account or address.
    async fn check_throttle(
        &self,
        account: &AccountRecord,
        scopes: &[ThrottleScope],
    ) -> Result<(), UnlockError> {
        let now = self.now();
        let mut wait = 0;
        for scope in scopes {
            let ThrottleState {
                failures,
                last_failure_at,
            } = self.store.throttle(&account.id, scope).await?;
            wait = wait.max(last_failure_at + wait_after(failures) - now);
        }
        if wait > 0 {
            return Err(UnlockError::Wait(wait));
        }
        Ok(())
    }

    async fn note_failure(
        &self,
        account: &AccountRecord,
        scopes: &[ThrottleScope],
    ) -> Result<(), UnlockError> {
        let now = self.now();
        for scope in scopes {
            self.store.record_failure(&account.id, scope, now).await?;
        }
        tracing::info!(event = "unlock_failed");
        Ok(())
    }

    /// Checks a passphrase against an account (throttled) and returns the data key.
    async fn open_with_passphrase(
        &self,
        account: &AccountRecord,
        passphrase: &str,
        requester: &Requester,
    ) -> Result<DataKey, UnlockError> {
        let scopes = self.throttle_scopes(requester);
        self.check_throttle(account, &scopes).await?;
        if passphrase.is_empty() || passphrase.len() > passphrase::MAX_BYTES {
            self.note_failure(account, &scopes).await?;
            return Err(UnlockError::Wrong);
        }
        let params = KdfParams::parse(&account.kdf_params).map_err(|_| ServiceError::Keys)?;
        let salt = account.salt.clone();
        let pass = Zeroizing::new(passphrase.as_bytes().to_vec());
        let pepper = self.pepper.clone();
        let keys = self
            .run_kdf(move || derive_passphrase_keys(&pass, &salt, params, &pepper))
            .await?
            .map_err(|_| ServiceError::Keys)?;
        if !keys.auth.matches(&account.auth_verifier) {
            self.note_failure(account, &scopes).await?;
            return Err(UnlockError::Wrong);
        }
        let udk = unwrap_data_key(
            &keys.kek,
            &account.wrapped_udk_pw,
            WrapKind::Passphrase,
            &wrap_ctx(account, WrapKind::Passphrase),
        )
        .map_err(|_| ServiceError::Keys)?;
        for scope in &scopes {
            self.store.clear_throttle(&account.id, scope).await?;
        }
        Ok(udk)
    }

    /// Unlocks with the passphrase: a new session every time (never reuses an id).
    pub async fn unlock(
        &self,
        passphrase: &str,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        let mut account = self
            .store
            .first_account()
            .await?
            .ok_or(UnlockError::NoAccount)?;
        let udk = self
            .open_with_passphrase(&account, passphrase, requester)
            .await?;
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

    /// Uses the recovery code to set a new passphrase; ends every other session.
    pub async fn recover(
        &self,
        code: &str,
        new_passphrase: &str,
        confirm: &str,
        requester: &Requester,
    ) -> Result<NewSession, UnlockError> {
        let mut account = self
            .store
            .first_account()
            .await?
            .ok_or(UnlockError::NoAccount)?;
        let scopes = self.throttle_scopes(requester);
        self.check_throttle(&account, &scopes).await?;
        let opened = match (RecoveryCode::parse(code), &account.wrapped_udk_rc) {
            (Some(code), Some(wrapped)) => {
                let kek = derive_recovery_kek(&code, &self.pepper);
                unwrap_data_key(
                    &kek,
                    wrapped,
                    WrapKind::RecoveryCode,
                    &wrap_ctx(&account, WrapKind::RecoveryCode),
                )
                .ok()
            }
            _ => None,
        };
        let Some(udk) = opened else {
            self.note_failure(&account, &scopes).await?;
            return Err(UnlockError::Wrong);
        };
        passphrase::check_new(new_passphrase, confirm)?;
        self.rewrap_passphrase(&mut account, &udk, new_passphrase)
            .await?;
        self.store.update_account_keys(&account).await?;
        self.store.delete_other_sessions(&account.id, None).await?;
        for scope in &scopes {
            self.store.clear_throttle(&account.id, scope).await?;
        }
        tracing::info!(event = "recovered");
        Ok(self.start_session(&account, &udk, requester).await?)
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
            max_age_secs: self.policy.absolute_session_secs,
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
        self.open_with_passphrase(&unlocked.account, passphrase, requester)
            .await
            .map(drop)
    }

    /// Whether this account has a recovery code.
    pub fn has_recovery_code(unlocked: &Unlocked) -> bool {
        unlocked.account.wrapped_udk_rc.is_some()
    }

    /// Whether a recovery code exists for the (local) account, for the unlock page.
    pub async fn recovery_available(&self) -> Result<bool, ServiceError> {
        Ok(self
            .store
            .first_account()
            .await?
            .is_some_and(|a| a.wrapped_udk_rc.is_some()))
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
