//! Unlock, sessions, lock, the passphrase asked again, changing it, and the sweep of idle sessions.

use super::*;

impl Trellis {
    /// Derives new passphrase keys (fresh salt, current parameters) and re-wraps the data key.
    pub(super) async fn rewrap_passphrase(
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

    /// Checks a passphrase (the attempt reserved first, and counted whatever the outcome) and
    /// returns the data key. A name with no account costs the same key derivation and gets
    /// the same answer, so names cannot be discovered by trying them.
    pub(super) async fn open_with_passphrase(
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

    pub(super) async fn start_session(
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
        self.store
            .mark_account_seen(&account.id, crate::clock::day_of(now))
            .await?;
        Ok(NewSession {
            cookie_value: token.to_cookie_value(),
            recovery_code: None,
        })
    }

    /// Whether the session behind this cookie is still unlocked, without counting this as
    /// activity (an open event stream must not keep a quiet session alive) and without
    /// opening its key.
    pub async fn session_is_live(&self, cookie_value: &str) -> Result<bool, ServiceError> {
        let Some(token) = SessionToken::from_cookie_value(cookie_value) else {
            return Ok(false);
        };
        let Some(session) = self.store.session(&token.sid_hash()).await? else {
            return Ok(false);
        };
        let now = self.now();
        Ok(now < session.idle_expires_at && now < session.abs_expires_at)
    }

    /// Opens the session named by a cookie value, enforcing idle and absolute expiry,
    /// and keeps it alive.
    pub async fn authenticate(
        &self,
        cookie_value: &str,
    ) -> Result<Result<Unlocked, SessionProblem>, ServiceError> {
        self.open_session(cookie_value, true).await
    }

    /// [`Trellis::authenticate`] without counting as activity: for answers the person did not
    /// ask for (an event arriving on an open page), which must never keep a quiet session
    /// from locking.
    pub async fn authenticate_quietly(
        &self,
        cookie_value: &str,
    ) -> Result<Result<Unlocked, SessionProblem>, ServiceError> {
        self.open_session(cookie_value, false).await
    }

    async fn open_session(
        &self,
        cookie_value: &str,
        touch: bool,
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
        if touch
            && (now - session.last_seen_at >= TOUCH_EVERY_SECS
                || session.idle_expires_at - now > idle)
        {
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

    /// Housekeeping, once a minute: ends sessions past their expiry by wiping their wrapped
    /// key at once (the row stays a day as a keyless marker, so a browser that comes back hears
    /// that its notes locked after a quiet while), removes those markers after a day, forgets
    /// unlock counters untouched for a day and invitations past their end, and folds the write-ahead log so no ended
    /// session's wrapped key lingers there (also retrying a fold a lock could not finish).
    pub async fn sweep(&self) -> Result<(), ServiceError> {
        let now = self.now();
        self.store.wipe_expired_sessions(now).await?;
        self.store.delete_expired_sessions(now - 24 * 3600).await?;
        self.store.sweep_attempts(now - 24 * 3600, now).await?;
        self.store.delete_expired_invitations(now).await?;
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
