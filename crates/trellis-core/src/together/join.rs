//! Creating an account with an invitation: the one way in for a partner while sign-up is
//! closed. The code is checked (and guesses throttled per address) before anything is made,
//! and held for this one set-up while the account is made, so one code makes one account.
//! Names are only ever said to be taken to someone holding a working code, and a code ends
//! after a few taken names, so it cannot be used to try names.

use super::*;
use crate::passphrase;

/// How many names already taken one invitation may meet before it ends.
pub const MAX_NAME_TRIES: i64 = 3;

/// Why an account could not be made with an invitation.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// The code (nothing was made).
    #[error(transparent)]
    Code(TogetherProblem),
    /// The name or passphrase, as at any set-up (nothing was made).
    #[error(transparent)]
    SetUp(UnlockError),
}

/// A new account made with an invitation.
pub struct Joined {
    /// Its first session.
    pub session: NewSession,
    /// Whether it is linked (false only when the invitation's maker linked with someone else
    /// meanwhile, or ended their account).
    pub linked: bool,
}

impl Trellis {
    /// Makes a named account with the invitation `code` and links it with the invitation's
    /// maker. A repeated submit of the same page (its `setup_id`) opens the account the first
    /// submit made, like any set-up.
    pub async fn join_with_invitation(
        &self,
        form: &SetUp<'_>,
        code: &str,
        requester: &Requester,
    ) -> Result<Joined, JoinError> {
        let now = self.now();
        if let Some(key) = self.address_counter("ia", requester) {
            match self.reserve_or_wait(&key, now, wait_after).await {
                Ok(_) => {}
                Err(UnlockError::Wait(secs)) => {
                    return Err(JoinError::Code(TogetherProblem::Wait(secs)))
                }
                Err(e) => return Err(JoinError::SetUp(e)),
            }
        }
        let code =
            InvitationCode::parse(code).ok_or(JoinError::Code(TogetherProblem::CodeNotValid))?;
        let hash = self.invitation_hash(&code);
        if let Some(id) = &form.setup_id {
            if self.store.account(id).await.map_err(service)?.is_some() {
                return self.join_again(form, requester).await;
            }
        }
        // Cheap checks that say nothing about anyone, before the code is held.
        passphrase::check_new(form.passphrase, form.confirm)
            .map_err(|p| JoinError::SetUp(p.into()))?;
        let Some(name_key) = self.name_key(form.name).map_err(JoinError::SetUp)? else {
            return Err(JoinError::SetUp(UnlockError::NoAccount));
        };
        let id = form.setup_id.clone().unwrap_or_else(AccountId::generate);
        let Some(_maker) = self
            .store
            .claim_invitation(&hash, id.as_str(), now)
            .await
            .map_err(service)?
        else {
            return Err(JoinError::Code(TogetherProblem::CodeNotValid));
        };
        let taken = self
            .store
            .account_by_name(Some(&name_key))
            .await
            .map_err(service)?
            .is_some();
        let made = if taken {
            Err(UnlockError::NameTaken)
        } else {
            let form = SetUp {
                setup_id: Some(id.clone()),
                ..form.clone()
            };
            self.set_up_as(&form, requester, true).await
        };
        let session = match made {
            Ok(session) => session,
            Err(e) => {
                let name_taken = matches!(e, UnlockError::NameTaken);
                let tries = self
                    .store
                    .release_invitation(&hash, id.as_str(), name_taken)
                    .await
                    .map_err(service)?;
                if tries >= MAX_NAME_TRIES {
                    self.store
                        .take_invitation(&hash, None, now)
                        .await
                        .map_err(service)?;
                }
                return Err(JoinError::SetUp(e));
            }
        };
        let me = self
            .authenticate(&session.cookie_value)
            .await
            .map_err(service)?
            .map_err(|_| JoinError::SetUp(UnlockError::NoAccount))?;
        let linked = match self
            .store
            .take_invitation(&hash, Some(id.as_str()), now)
            .await
            .map_err(service)?
        {
            Some(maker) => {
                self.together(&me).own_key().await.map_err(service)?;
                self.store
                    .link(&maker, me.account_id(), now)
                    .await
                    .map_err(service)?
            }
            // A double submit of this page used it a moment ago.
            None => self.linked(&me).await?,
        };
        // A working code starts the address's count again (see `accept`).
        if let Some(key) = self.address_counter("ia", requester) {
            self.store.clear_attempts(&key).await.map_err(service)?;
        }
        tracing::info!(event = "account_joined", linked);
        Ok(Joined { session, linked })
    }

    /// A repeated submit of a join page whose first submit made its account: opens it with
    /// the passphrase, as any repeated set-up (never a second way into an older account, and
    /// never an answer about names).
    async fn join_again(
        &self,
        form: &SetUp<'_>,
        requester: &Requester,
    ) -> Result<Joined, JoinError> {
        let session = self
            .set_up_as(form, requester, false)
            .await
            .map_err(|e| match e {
                UnlockError::NoAccount => JoinError::Code(TogetherProblem::CodeNotValid),
                e => JoinError::SetUp(e),
            })?;
        let me = self
            .authenticate(&session.cookie_value)
            .await
            .map_err(service)?
            .map_err(|_| JoinError::SetUp(UnlockError::NoAccount))?;
        let linked = self.linked(&me).await?;
        Ok(Joined { session, linked })
    }

    async fn linked(&self, me: &Unlocked) -> Result<bool, JoinError> {
        Ok(self
            .store
            .partner(me.account_id())
            .await
            .map_err(service)?
            .is_some())
    }
}

fn service(e: impl Into<ServiceError>) -> JoinError {
    JoinError::SetUp(UnlockError::Service(e.into()))
}
