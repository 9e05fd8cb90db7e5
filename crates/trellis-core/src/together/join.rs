//! Creating an account with an invitation: the one way in for a partner while sign-up is
//! closed. The code is checked (and guesses throttled per address) before anything is made;
//! the new account is named, and linked with the invitation's maker.

use super::*;

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
    /// Whether it is linked (false only when the code was used by someone else meanwhile, or
    /// its maker linked with someone else meanwhile).
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
        let repeat = match &form.setup_id {
            Some(id) => self.store.account(id).await.map_err(service)?.is_some(),
            None => false,
        };
        let maker = self
            .store
            .invitation_maker(&hash, now)
            .await
            .map_err(service)?;
        if maker.is_none() && !repeat {
            return Err(JoinError::Code(TogetherProblem::CodeNotValid));
        }
        if form.name.trim().is_empty() {
            return Err(JoinError::SetUp(UnlockError::NoAccount));
        }
        let session = self
            .set_up_as(form, requester, true)
            .await
            .map_err(JoinError::SetUp)?;
        let me = self
            .authenticate(&session.cookie_value)
            .await
            .map_err(service)?
            .map_err(|_| JoinError::SetUp(UnlockError::NoAccount))?;
        let linked = match self
            .store
            .take_invitation(&hash, now)
            .await
            .map_err(service)?
        {
            Some(maker) if maker != *me.account_id() => {
                self.together(&me).own_key().await.map_err(service)?;
                self.store
                    .link(&maker, me.account_id(), now)
                    .await
                    .map_err(service)?
            }
            _ => self
                .store
                .partner(me.account_id())
                .await
                .map_err(service)?
                .is_some(),
        };
        if let Some(key) = self.address_counter("ia", requester) {
            self.store.clear_attempts(&key).await.map_err(service)?;
        }
        tracing::info!(event = "account_joined", linked);
        Ok(Joined { session, linked })
    }
}

fn service(e: impl Into<ServiceError>) -> JoinError {
    JoinError::SetUp(UnlockError::Service(e.into()))
}
