//! Unlock throttling: counters reserved in the database before the key derivation runs, keyed hashes only (the policy is in docs/SECURITY.md).

use super::*;

/// Seconds to wait after `attempts` in a row when the first `free` cost nothing: then 1 s,
/// 2 s, 4 s … capped at 15 minutes.
pub(super) fn doubling_wait(free: u32, attempts: u32) -> i64 {
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
pub(super) fn never_wait(_: u32) -> i64 {
    0
}

/// The counters an unlock attempt is reserved under: keyed hashes, never a name or address.
pub(super) struct AttemptKeys {
    /// This address at this name: where the long waits live.
    pub(super) pair: String,
    /// This address at any name.
    pub(super) address: Option<String>,
    /// This name from anywhere: counted for the gentle brake only.
    pub(super) name: String,
}

impl Trellis {
    /// The keyed hash of the requester's address (never the address itself).
    pub(super) fn address_hash(&self, requester: &Requester) -> Option<[u8; 32]> {
        requester.address.as_ref().map(|a| {
            self.session_secret
                .keyed_hash("trellis/v1/address", a.as_bytes())
        })
    }

    /// A counter's stored key: `prefix:` and 16 bytes of a keyed hash, in hex.
    pub(crate) fn counter_key(&self, prefix: &str, domain: &str, data: &[u8]) -> String {
        let h = self.session_secret.keyed_hash(domain, data);
        format!("{prefix}:{}", hex::encode(&h[..16]))
    }

    /// The per-address counter under `prefix` ("a" for unlock attempts, "s" for set-ups).
    pub(crate) fn address_counter(&self, prefix: &str, requester: &Requester) -> Option<String> {
        self.address_hash(requester)
            .map(|a| self.counter_key(prefix, "trellis/v1/attempts/address", &a))
    }

    pub(super) fn attempt_keys(
        &self,
        name_key: Option<&[u8]>,
        requester: &Requester,
    ) -> AttemptKeys {
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
    pub(crate) async fn reserve_or_wait(
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
    pub(super) async fn reserve_attempt(&self, keys: &AttemptKeys) -> Result<(), UnlockError> {
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

    pub(super) async fn clear_attempts(&self, keys: &AttemptKeys) -> Result<(), UnlockError> {
        self.store.clear_attempts(&keys.pair).await?;
        if let Some(address) = &keys.address {
            self.store.clear_attempts(address).await?;
        }
        self.store.clear_attempts(&keys.name).await?;
        Ok(())
    }
}
