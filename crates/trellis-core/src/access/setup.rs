//! First-run set-up, names, and the recovery code (one use, then a new one).

use super::*;

impl Trellis {
    /// Whether the first account exists yet.
    pub async fn setup_state(&self) -> Result<SetupState, ServiceError> {
        Ok(if self.store.count_accounts().await? == 0 {
            SetupState::NotSetUp
        } else {
            SetupState::SetUp
        })
    }

    /// Whether the unlock page must ask for a name: more than one account may exist (or the
    /// instance is hosted, where it always asks).
    pub async fn needs_name(&self) -> Result<bool, ServiceError> {
        Ok(self.policy.signup_open()
            || self.policy.always_ask_name
            || self.store.count_accounts().await? > 1)
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
    pub(super) async fn account_named(
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
        if !self.policy.invite_signup {
            return self
                .set_up_as(form, requester, self.policy.open_signup)
                .await;
        }
        // Invitation only: the code is used by this sign-up alone (set-ups from one address
        // are throttled first, so codes cannot be tried at speed), and given back when the
        // account could not be made. A second submit of the same page finds its code used and
        // goes on to open the account its first submit made.
        if let Some(key) = self.address_counter("i", requester) {
            self.reserve_or_wait(&key, self.now(), address_wait_after)
                .await?;
        }
        let hash = self.signup_code_hash(form.invite);
        if !self.store.claim_signup_code(&hash, self.now()).await? {
            // Only the same page's own, just-made account under the same name counts as a
            // repeat; anything else is a code that did not work, whatever the name, so that
            // nobody without a working code can learn whether a name is taken (an old
            // account's id from one's own set-up page included).
            let name_key = self.name_key(form.name)?;
            let repeated = match &form.setup_id {
                Some(id) => self.store.account(id).await?.is_some_and(|a| {
                    a.name_key == name_key && self.now() - a.created_at < REPEAT_SETUP_SECS
                }),
                None => false,
            };
            if !repeated {
                return Err(UnlockError::BadInvite);
            }
            return self.set_up_as(form, requester, true).await;
        }
        let made = self.set_up_as(form, requester, true).await;
        if made.is_err() {
            self.store.release_signup_code(&hash).await?;
        }
        made
    }

    /// The keyed hash a sign-up code is kept and found by: letters in any case, spaces and
    /// dashes ignored, the letters O, I and L read as 0, 1 and 1.
    fn signup_code_hash(&self, code: &str) -> Vec<u8> {
        let folded: String = code
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        self.session_secret
            .keyed_hash("trellis/v1/signup-code", folded.as_bytes())
            .to_vec()
    }

    /// Makes `count` one-time sign-up codes that work for `valid_secs` seconds, keeps only
    /// their keyed hashes, and returns the codes (for the operator to hand out): twelve
    /// characters from an alphabet without look-alikes, in three groups, 60 random bits each.
    pub async fn make_signup_codes(
        &self,
        count: usize,
        valid_secs: i64,
    ) -> Result<Vec<String>, ServiceError> {
        use rand::RngCore;
        const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let expires = self.now() + valid_secs;
        let mut codes = Vec::with_capacity(count);
        let mut kept = Vec::with_capacity(count);
        for _ in 0..count {
            let mut bytes = [0u8; 12];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let chars: String = bytes
                .iter()
                .map(|b| ALPHABET[usize::from(b % 32)] as char)
                .collect();
            let code = format!("{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..]);
            kept.push((self.signup_code_hash(&code), expires));
            codes.push(code);
        }
        self.store.add_signup_codes(&kept).await?;
        Ok(codes)
    }

    /// [`Trellis::set_up_with`], where `named_allowed` says whether a named account may be
    /// made beside existing ones (open sign-up, or an invitation checked by the caller).
    pub(crate) async fn set_up_as(
        &self,
        form: &SetUp<'_>,
        requester: &Requester,
        named_allowed: bool,
    ) -> Result<NewSession, UnlockError> {
        passphrase::check_new(form.passphrase, form.confirm)?;
        let name_key = self.name_key(form.name)?;
        // Set-ups from one address are counted like unlock attempts across names (each costs
        // a key derivation, and with open sign-up makes an account).
        if let Some(key) = self.address_counter("s", requester) {
            self.reserve_or_wait(&key, self.now(), address_wait_after)
                .await?;
        }
        let only_first = name_key.is_none() || !named_allowed;
        let id = form.setup_id.clone().unwrap_or_else(AccountId::generate);
        // Cheap checks first, so a repeated or refused set-up costs no key derivation here.
        if self.store.account(&id).await?.is_some()
            || (only_first && self.store.count_accounts().await? > 0)
        {
            return self
                .set_up_again(&id, name_key.as_deref(), form, requester, named_allowed)
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
                    .set_up_again(&id, name_key.as_deref(), form, requester, named_allowed)
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
    pub(super) async fn set_up_again(
        &self,
        id: &AccountId,
        name_key: Option<&[u8]>,
        form: &SetUp<'_>,
        requester: &Requester,
        named_allowed: bool,
    ) -> Result<NewSession, UnlockError> {
        // Only the page's own, just-made account, under the same name: a set-up page is never a
        // second way in to an older account (nor to its set-up recovery code).
        let fresh = |a: &AccountRecord| {
            a.name_key.as_deref() == name_key && self.now() - a.created_at < REPEAT_SETUP_SECS
        };
        let Some(account) = self.store.account(id).await?.filter(fresh) else {
            // Where sign-up is open (or an invitation was checked) a taken name is said plainly
            // (as any sign-up must); where it is closed, one answer whatever the name, so
            // names cannot be tried here.
            if let (true, Some(key)) = (named_allowed, name_key) {
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
    pub(super) fn open_with_recovery_code(
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
    pub(super) fn wrap_recovery_code(
        &self,
        account: &mut AccountRecord,
        udk: &DataKey,
        code: &RecoveryCode,
    ) {
        let kek = derive_recovery_kek(code, &self.pepper);
        account.wrapped_udk_rc = Some(wrap_data_key(
            &kek,
            udk,
            WrapKind::RecoveryCode,
            &wrap_ctx(account, WrapKind::RecoveryCode),
        ));
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
}
