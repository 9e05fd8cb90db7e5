//! Invitations: eight plain words, one use, 24 hours; kept only as a keyed hash.

use super::*;

/// How long an invitation can be used.
pub const INVITATION_SECONDS: i64 = 24 * 3600;

/// How many words an invitation code has (64 bits).
pub const CODE_WORDS: usize = 8;

/// An invitation code as shown once to the person who made it. Wiped when dropped.
pub struct InvitationCode(Zeroizing<String>);

impl InvitationCode {
    /// Eight random words from the list.
    pub(super) fn generate() -> Self {
        let bytes: [u8; CODE_WORDS] = rand::random();
        let words: Vec<&str> = bytes.iter().map(|b| WORDS[usize::from(*b)]).collect();
        Self(Zeroizing::new(words.join(" ")))
    }

    /// Reads a typed code: any mix of case, spaces, hyphens or new lines between the words;
    /// `None` unless it is eight words from the list.
    pub fn parse(typed: &str) -> Option<Self> {
        let lower = Zeroizing::new(typed.to_lowercase());
        let words: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || c == '-' || c == ',' || c == '.')
            .filter(|w| !w.is_empty())
            .collect();
        (words.len() == CODE_WORDS && words.iter().all(|w| WORDS.contains(w)))
            .then(|| Self(Zeroizing::new(words.join(" "))))
    }

    /// The code, to show.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Trellis {
    /// The keyed hash an invitation is kept under (never the code).
    pub(super) fn invitation_hash(&self, code: &InvitationCode) -> [u8; 32] {
        self.session_secret
            .keyed_hash("trellis/v1/invitation", code.as_str().as_bytes())
    }
}

impl Handle<'_, Area> {
    /// Makes a new invitation (it replaces any earlier unused one of this person's) and
    /// returns its code, to show once. Refused while this person is linked.
    pub async fn invite(self) -> Result<Result<InvitationCode, TogetherProblem>, ServiceError> {
        let store = &self.trellis.store;
        if store.partner(self.me.account_id()).await?.is_some() {
            return Ok(Err(TogetherProblem::AlreadyLinked));
        }
        self.own_key().await?;
        let code = InvitationCode::generate();
        let now = self.trellis.now();
        store
            .create_invitation(
                &self.trellis.invitation_hash(&code),
                self.me.account_id(),
                now,
                now + INVITATION_SECONDS,
            )
            .await?;
        Ok(Ok(code))
    }

    /// Uses someone's invitation: links this person with whoever made it. Guesses are
    /// throttled per person and per address before the code is even looked at.
    pub async fn accept(
        self,
        typed: &str,
        requester: &Requester,
    ) -> Result<Result<AccountId, TogetherProblem>, ServiceError> {
        let t = self.trellis;
        let now = t.now();
        let mut counters = vec![t.counter_key(
            "i",
            "trellis/v1/attempts/invitation",
            self.me.account_id().as_str().as_bytes(),
        )];
        counters.extend(t.address_counter("ia", requester));
        for key in &counters {
            match t.reserve_or_wait(key, now, wait_after).await {
                Ok(_) => {}
                Err(UnlockError::Wait(secs)) => return Ok(Err(TogetherProblem::Wait(secs))),
                Err(UnlockError::Service(e)) => return Err(e),
                Err(_) => return Ok(Err(TogetherProblem::CodeNotValid)),
            }
        }
        let Some(code) = InvitationCode::parse(typed) else {
            return Ok(Err(TogetherProblem::CodeNotValid));
        };
        let store = &t.store;
        if store.partner(self.me.account_id()).await?.is_some() {
            return Ok(Err(TogetherProblem::AlreadyLinked));
        }
        let hash = t.invitation_hash(&code);
        // One's own code is said so without using it up.
        if store.invitation_maker(&hash, now).await?.as_ref() == Some(self.me.account_id()) {
            return Ok(Err(TogetherProblem::OwnCode));
        }
        let Some(inviter) = store.take_invitation(&hash, None, now).await? else {
            return Ok(Err(TogetherProblem::CodeNotValid));
        };
        if inviter == *self.me.account_id() {
            return Ok(Err(TogetherProblem::OwnCode));
        }
        self.own_key().await?;
        if !store.link(&inviter, self.me.account_id(), now).await? {
            return Ok(Err(TogetherProblem::AlreadyLinked));
        }
        // A working code starts both counts again. (A code is 64 random bits: the counts stop
        // floods, not a search, so a working code now and then buys a guesser nothing; and an
        // office behind one address must not wait because several partners joined one day.)
        for key in &counters {
            store.clear_attempts(key).await?;
        }
        Ok(Ok(inviter))
    }
}
