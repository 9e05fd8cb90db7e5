//! A read-through cache in front of a store, for local mode (one process owns the SQLite
//! file). It keeps only what the database already holds — session rows (hashes and wrapped
//! keys), account rows and small sets of sealed records — never plaintext.
//!
//! Every write goes to the database first and then drops the affected entries, so a lock,
//! a revoked device or a deleted account takes effect at once. A read that raced with a
//! write never re-inserts a stale row: each map has a generation number, bumped by every
//! invalidation, and a read only fills the cache if the generation did not move meanwhile.
//!
//! Not for hosted mode: other nodes write to the same database behind this cache's back.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;

use async_trait::async_trait;
use trellis_core::ids::{AccountId, RecordId};
use trellis_core::store::{
    AccountRecord, Attempt, PageStart, RecordStamp, SessionRecord, ShareRecord, Store, StoreError,
    StoredRecord, TogetherSignals,
};

/// Kinds with at most this many records per person are cached (profile, preferences…);
/// larger lists (a journal) always come from the database.
const SMALL_KIND_MAX: usize = 16;
/// …and only when those records are this small in all (a month's journal digest can be
/// megabytes: it is read from the database, not kept).
const SMALL_KIND_MAX_BYTES: usize = 64 * 1024;
/// The whole record cache stays under this many bytes; past it, nothing more is added until
/// writes invalidate entries. Memory is bounded in bytes, not in records.
const RECORD_CACHE_BUDGET_BYTES: usize = 4 * 1024 * 1024;

/// At most this many day ranges are kept (their bounds come from requests: a person asking
/// for many days must not grow the cache without end).
const DAY_RANGES_MAX: usize = 1024;

/// The bytes a record set holds (sealed parts and fixed fields), and its entry's own cost: an
/// empty set weighs something too.
fn weight(records: &[StoredRecord]) -> usize {
    256 + records
        .iter()
        .map(|r| r.sealed.len() + r.kind.len() + 96)
        .sum::<usize>()
}

struct Generational<K, V> {
    generation: u64,
    map: HashMap<K, V>,
}

struct Map<K, V>(RwLock<Generational<K, V>>);

impl<K: Eq + Hash, V: Clone> Map<K, V> {
    fn new() -> Self {
        Self(RwLock::new(Generational {
            generation: 0,
            map: HashMap::new(),
        }))
    }

    /// The cached value (if any) and the generation to quote when filling.
    fn get(&self, key: &K) -> (Option<V>, u64) {
        match self.0.read() {
            Ok(g) => (g.map.get(key).cloned(), g.generation),
            Err(_) => (None, u64::MAX),
        }
    }

    /// Fills the cache only if nothing was invalidated since `generation` was read.
    fn fill(&self, generation: u64, key: K, value: V) {
        if let Ok(mut g) = self.0.write() {
            if g.generation == generation {
                g.map.insert(key, value);
            }
        }
    }

    /// How many entries are kept.
    fn len(&self) -> usize {
        match self.0.read() {
            Ok(g) => g.map.len(),
            Err(_) => usize::MAX,
        }
    }

    /// The summed `weigh` of every cached value.
    fn total_weight(&self, weigh: impl Fn(&V) -> usize) -> usize {
        match self.0.read() {
            Ok(g) => g.map.values().map(weigh).sum(),
            Err(_) => usize::MAX,
        }
    }

    /// Drops entries matching `pred` and bumps the generation.
    fn invalidate(&self, pred: impl Fn(&K, &V) -> bool) {
        if let Ok(mut g) = self.0.write() {
            g.generation = g.generation.wrapping_add(1);
            g.map.retain(|k, v| !pred(k, v));
        }
    }
}

/// Runs its closure when dropped: the cache forgets what a write changed once the write
/// returns, and also when the request is dropped in the middle of it (a closed tab, the time
/// limit), which would otherwise skip the forgetting after a write that went through.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// A store with a coherent in-process cache in front of it (local mode only).
pub struct Cached<S> {
    inner: S,
    sessions: Map<Vec<u8>, Option<SessionRecord>>,
    accounts: Map<AccountId, Option<AccountRecord>>,
    small_kinds: Map<(AccountId, String), Vec<StoredRecord>>,
    /// Small records of a kind within days (today's check-in on Home, on every visit).
    day_ranges: Map<(AccountId, String, i64, i64), Vec<StoredRecord>>,
    /// Link and pause state: changed by either partner, so any link or pause write drops all.
    signals: Map<AccountId, TogetherSignals>,
}

impl<S: Store> Cached<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            sessions: Map::new(),
            accounts: Map::new(),
            small_kinds: Map::new(),
            day_ranges: Map::new(),
            signals: Map::new(),
        }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    fn forget_account(&self, account: &AccountId) {
        self.accounts.invalidate(|k, _| k == account);
        self.sessions
            .invalidate(|_, v| v.as_ref().is_none_or(|s| &s.account_id == account));
        self.forget_records(account);
        self.forget_signals();
    }

    /// Drops every cached record set of `account` (after any write to its records).
    fn forget_records(&self, account: &AccountId) {
        self.small_kinds.invalidate(|(a, _), _| a == account);
        self.day_ranges.invalidate(|(a, ..), _| a == account);
    }

    /// Drops all link and pause state (after a link, unlink or pause by anyone).
    fn forget_signals(&self) {
        self.signals.invalidate(|_, _| true);
    }

    /// Whether `records` (a small set, within the memory budget) may be kept.
    fn keepable(&self, records: &[StoredRecord]) -> bool {
        let bytes = weight(records);
        records.len() <= SMALL_KIND_MAX
            && bytes <= SMALL_KIND_MAX_BYTES
            && self.small_kinds.total_weight(|v| weight(v))
                + self.day_ranges.total_weight(|v| weight(v))
                + bytes
                <= RECORD_CACHE_BUDGET_BYTES
    }
}

#[async_trait]
impl<S: Store> Store for Cached<S> {
    async fn checkpoint(&self) -> Result<(), StoreError> {
        self.inner.checkpoint().await
    }
    async fn secrets_fingerprint(&self) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.secrets_fingerprint().await
    }
    async fn record_secrets_fingerprint(&self, fingerprint: &[u8]) -> Result<(), StoreError> {
        self.inner.record_secrets_fingerprint(fingerprint).await
    }
    async fn count_accounts(&self) -> Result<u64, StoreError> {
        self.inner.count_accounts().await
    }
    async fn check_integrity(&self) -> Result<Vec<String>, StoreError> {
        self.inner.check_integrity().await
    }

    async fn create_account(&self, account: &AccountRecord) -> Result<(), StoreError> {
        let _forget = OnDrop(|| {
            self.forget_account(&account.id);
        });
        self.inner.create_account(account).await
    }
    async fn account(&self, id: &AccountId) -> Result<Option<AccountRecord>, StoreError> {
        let (hit, generation) = self.accounts.get(id);
        if let Some(found) = hit {
            return Ok(found);
        }
        let found = self.inner.account(id).await?;
        self.accounts.fill(generation, id.clone(), found.clone());
        Ok(found)
    }
    async fn first_account(&self) -> Result<Option<AccountRecord>, StoreError> {
        self.inner.first_account().await
    }
    async fn update_account_keys(&self, account: &AccountRecord) -> Result<(), StoreError> {
        let _forget = OnDrop(|| {
            self.accounts.invalidate(|k, _| k == &account.id);
        });
        self.inner.update_account_keys(account).await
    }
    async fn set_idle_minutes(&self, id: &AccountId, minutes: u16) -> Result<(), StoreError> {
        let _forget = OnDrop(|| {
            self.accounts.invalidate(|k, _| k == id);
        });
        self.inner.set_idle_minutes(id, minutes).await
    }
    async fn delete_account(&self, id: &AccountId) -> Result<(), StoreError> {
        let _forget = OnDrop(|| {
            self.forget_account(id);
        });
        self.inner.delete_account(id).await
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let _forget = OnDrop(|| {
            self.sessions.invalidate(|k, _| k == &session.sid_hash);
        });
        self.inner.create_session(session).await
    }
    async fn session(&self, sid_hash: &[u8]) -> Result<Option<SessionRecord>, StoreError> {
        let key = sid_hash.to_vec();
        let (hit, generation) = self.sessions.get(&key);
        if let Some(found) = hit {
            return Ok(found);
        }
        let found = self.inner.session(sid_hash).await?;
        // Only rows that exist are kept: unknown ids (guesses) must not grow the cache.
        if found.is_some() {
            self.sessions.fill(generation, key, found.clone());
        }
        Ok(found)
    }
    async fn touch_session(
        &self,
        account: &AccountId,
        sid_hash: &[u8],
        last_seen_at: i64,
        idle_expires_at: i64,
    ) -> Result<(), StoreError> {
        let _forget = OnDrop(|| self.sessions.invalidate(|k, _| k.as_slice() == sid_hash));
        self.inner
            .touch_session(account, sid_hash, last_seen_at, idle_expires_at)
            .await
    }
    async fn delete_session(
        &self,
        account: &AccountId,
        sid_hash: &[u8],
    ) -> Result<bool, StoreError> {
        let _forget = OnDrop(|| {
            self.sessions.invalidate(|k, _| k.as_slice() == sid_hash);
        });
        self.inner.delete_session(account, sid_hash).await
    }
    async fn delete_other_sessions(
        &self,
        account: &AccountId,
        keep: Option<&[u8]>,
    ) -> Result<u64, StoreError> {
        let _forget = OnDrop(|| {
            self.sessions.invalidate(|k, v| {
                keep != Some(k.as_slice()) && v.as_ref().is_none_or(|s| &s.account_id == account)
            });
        });
        self.inner.delete_other_sessions(account, keep).await
    }
    async fn sessions_of(&self, account: &AccountId) -> Result<Vec<SessionRecord>, StoreError> {
        self.inner.sessions_of(account).await
    }
    async fn wipe_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        let _forget = OnDrop(|| {
            self.sessions.invalidate(|_, _| true);
        });
        self.inner.wipe_expired_sessions(now).await
    }
    async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        let _forget = OnDrop(|| {
            self.sessions.invalidate(|_, _| true);
        });
        self.inner.delete_expired_sessions(now).await
    }

    async fn save_record(&self, record: &StoredRecord) -> Result<(), StoreError> {
        let _forget = OnDrop(|| {
            self.forget_records(&record.account_id);
        });
        self.inner.save_record(record).await
    }
    async fn record(
        &self,
        account: &AccountId,
        id: &RecordId,
    ) -> Result<Option<StoredRecord>, StoreError> {
        self.inner.record(account, id).await
    }
    async fn records_of_account(
        &self,
        account: &AccountId,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        self.inner.records_of_account(account).await
    }
    async fn records_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let key = (account.clone(), kind.to_owned());
        let (hit, generation) = self.small_kinds.get(&key);
        if let Some(found) = hit {
            return Ok(found);
        }
        let found = self.inner.records_of_kind(account, kind).await?;
        if self.keepable(&found) {
            self.small_kinds.fill(generation, key, found.clone());
        }
        Ok(found)
    }
    async fn mark_account_seen(&self, id: &AccountId, day: i64) -> Result<(), StoreError> {
        self.inner.mark_account_seen(id, day).await
    }
    async fn count_accounts_seen_since(&self, day: i64) -> Result<u64, StoreError> {
        self.inner.count_accounts_seen_since(day).await
    }
    async fn add_signup_codes(&self, codes: &[(Vec<u8>, i64)]) -> Result<(), StoreError> {
        self.inner.add_signup_codes(codes).await
    }
    async fn claim_signup_code(&self, hash: &[u8], now: i64) -> Result<bool, StoreError> {
        self.inner.claim_signup_code(hash, now).await
    }
    async fn release_signup_code(&self, hash: &[u8]) -> Result<(), StoreError> {
        self.inner.release_signup_code(hash).await
    }
    async fn add_records(
        &self,
        account: &AccountId,
        records: &[StoredRecord],
    ) -> Result<Vec<RecordId>, StoreError> {
        let _forget = OnDrop(|| {
            self.forget_records(account);
        });
        self.inner.add_records(account, records).await
    }
    async fn delete_record(&self, account: &AccountId, id: &RecordId) -> Result<bool, StoreError> {
        let _forget = OnDrop(|| {
            self.forget_records(account);
        });
        self.inner.delete_record(account, id).await
    }

    async fn records_of_kind_page(
        &self,
        account: &AccountId,
        kind: &str,
        start: &PageStart,
        limit: u32,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        self.inner
            .records_of_kind_page(account, kind, start, limit)
            .await
    }
    async fn records_of_kind_in_days(
        &self,
        account: &AccountId,
        kind: &str,
        from_day: i64,
        until_day: i64,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let key = (account.clone(), kind.to_owned(), from_day, until_day);
        let (hit, generation) = self.day_ranges.get(&key);
        if let Some(found) = hit {
            return Ok(found);
        }
        let found = self
            .inner
            .records_of_kind_in_days(account, kind, from_day, until_day)
            .await?;
        if self.day_ranges.len() < DAY_RANGES_MAX && self.keepable(&found) {
            self.day_ranges.fill(generation, key, found.clone());
        }
        Ok(found)
    }
    async fn visit_records_of_kind_counting(
        &self,
        account: &AccountId,
        kind: &str,
        counted_kind: &str,
        batch_bytes: usize,
        visit: &mut (dyn FnMut(Vec<StoredRecord>) + Send),
    ) -> Result<u64, StoreError> {
        self.inner
            .visit_records_of_kind_counting(account, kind, counted_kind, batch_bytes, visit)
            .await
    }
    async fn count_records_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<u64, StoreError> {
        self.inner.count_records_of_kind(account, kind).await
    }
    async fn count_records_by_day(
        &self,
        account: &AccountId,
        kind: &str,
        from_day: i64,
        until_day: i64,
    ) -> Result<Vec<(i64, u64)>, StoreError> {
        self.inner
            .count_records_by_day(account, kind, from_day, until_day)
            .await
    }
    async fn record_stamps_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<Vec<RecordStamp>, StoreError> {
        self.inner.record_stamps_of_kind(account, kind).await
    }
    async fn write_records(
        &self,
        account: &AccountId,
        save: &[StoredRecord],
        delete: &[RecordId],
    ) -> Result<(), StoreError> {
        let _forget = OnDrop(|| {
            self.forget_records(account);
        });
        self.inner.write_records(account, save, delete).await
    }

    async fn reserve_attempt(
        &self,
        key: &str,
        now: i64,
        wait_after: fn(u32) -> i64,
    ) -> Result<Attempt, StoreError> {
        self.inner.reserve_attempt(key, now, wait_after).await
    }
    async fn clear_attempts(&self, key: &str) -> Result<(), StoreError> {
        self.inner.clear_attempts(key).await
    }
    async fn sweep_attempts(&self, untouched_since: i64, now: i64) -> Result<u64, StoreError> {
        self.inner.sweep_attempts(untouched_since, now).await
    }
    async fn create_first_account(&self, account: &AccountRecord) -> Result<(), StoreError> {
        let _forget = OnDrop(|| {
            self.forget_account(&account.id);
        });
        self.inner.create_first_account(account).await
    }
    async fn account_by_name(
        &self,
        name_key: Option<&[u8]>,
    ) -> Result<Option<AccountRecord>, StoreError> {
        self.inner.account_by_name(name_key).await
    }

    // Together: nothing here is cached.

    async fn set_public_key(
        &self,
        account: &AccountId,
        key: &[u8; 32],
    ) -> Result<bool, StoreError> {
        self.inner.set_public_key(account, key).await
    }

    async fn public_key(&self, account: &AccountId) -> Result<Option<[u8; 32]>, StoreError> {
        self.inner.public_key(account).await
    }

    async fn create_invitation(
        &self,
        code_hash: &[u8],
        account: &AccountId,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.inner
            .create_invitation(code_hash, account, now, expires_at)
            .await
    }

    async fn invitation_maker(
        &self,
        code_hash: &[u8],
        now: i64,
    ) -> Result<Option<AccountId>, StoreError> {
        self.inner.invitation_maker(code_hash, now).await
    }

    async fn take_invitation(
        &self,
        code_hash: &[u8],
        claimer: Option<&str>,
        now: i64,
    ) -> Result<Option<AccountId>, StoreError> {
        self.inner.take_invitation(code_hash, claimer, now).await
    }

    async fn claim_invitation(
        &self,
        code_hash: &[u8],
        claimer: &str,
        now: i64,
    ) -> Result<Option<AccountId>, StoreError> {
        self.inner.claim_invitation(code_hash, claimer, now).await
    }

    async fn release_invitation(
        &self,
        code_hash: &[u8],
        claimer: &str,
        name_taken: bool,
    ) -> Result<i64, StoreError> {
        self.inner
            .release_invitation(code_hash, claimer, name_taken)
            .await
    }

    async fn delete_invitations_of(&self, account: &AccountId) -> Result<u64, StoreError> {
        self.inner.delete_invitations_of(account).await
    }

    async fn delete_expired_invitations(&self, now: i64) -> Result<u64, StoreError> {
        self.inner.delete_expired_invitations(now).await
    }

    async fn link(&self, a: &AccountId, b: &AccountId, now: i64) -> Result<bool, StoreError> {
        let _forget = OnDrop(|| {
            self.forget_signals();
        });
        self.inner.link(a, b, now).await
    }

    async fn partner(&self, account: &AccountId) -> Result<Option<(AccountId, i64)>, StoreError> {
        self.inner.partner(account).await
    }

    async fn unlink(&self, account: &AccountId) -> Result<bool, StoreError> {
        let _forget = OnDrop(|| {
            self.forget_signals();
        });
        self.inner.unlink(account).await
    }

    async fn put_share(&self, share: &ShareRecord) -> Result<bool, StoreError> {
        self.inner.put_share(share).await
    }

    async fn update_share(&self, share: &ShareRecord) -> Result<bool, StoreError> {
        self.inner.update_share(share).await
    }

    async fn delete_share(&self, owner: &AccountId, item: &str) -> Result<bool, StoreError> {
        self.inner.delete_share(owner, item).await
    }

    async fn shares_by(&self, owner: &AccountId) -> Result<Vec<ShareRecord>, StoreError> {
        self.inner.shares_by(owner).await
    }

    async fn shares_for(&self, partner: &AccountId) -> Result<Vec<ShareRecord>, StoreError> {
        self.inner.shares_for(partner).await
    }

    async fn start_pause(
        &self,
        account: &AccountId,
        now: i64,
    ) -> Result<Option<(AccountId, i64)>, StoreError> {
        let _forget = OnDrop(|| {
            self.forget_signals();
        });
        self.inner.start_pause(account, now).await
    }

    async fn end_pause(&self, account: &AccountId) -> Result<Option<AccountId>, StoreError> {
        let _forget = OnDrop(|| {
            self.forget_signals();
        });
        self.inner.end_pause(account).await
    }

    async fn together_signals(&self, account: &AccountId) -> Result<TogetherSignals, StoreError> {
        let (hit, generation) = self.signals.get(account);
        if let Some(found) = hit {
            return Ok(found);
        }
        let found = self.inner.together_signals(account).await?;
        self.signals.fill(generation, account.clone(), found);
        Ok(found)
    }

    async fn notify(&self, account: &AccountId, event: &str) -> Result<bool, StoreError> {
        self.inner.notify(account, event).await
    }

    async fn set_match_tags(
        &self,
        account: &AccountId,
        partner: &AccountId,
        tags: &[[u8; 16]],
    ) -> Result<bool, StoreError> {
        self.inner.set_match_tags(account, partner, tags).await
    }

    async fn matching_tags(&self, account: &AccountId) -> Result<Vec<Vec<u8>>, StoreError> {
        self.inner.matching_tags(account).await
    }
}

#[cfg(test)]
mod tests {
    use super::Map;
    use trellis_core::store::Sealed;

    #[test]
    fn a_read_that_raced_with_an_invalidation_does_not_fill_the_cache() {
        let map: Map<&str, u32> = Map::new();
        let (miss, generation) = map.get(&"session");
        assert_eq!(miss, None);
        // A lock deletes the row (and invalidates) while the read was at the database…
        map.invalidate(|k, _| *k == "session");
        // … so the read's (now stale) row must not be cached.
        map.fill(generation, "session", 1);
        assert_eq!(map.get(&"session").0, None);
        // A read that did not race fills as usual.
        let (_, generation) = map.get(&"session");
        map.fill(generation, "session", 2);
        assert_eq!(map.get(&"session").0, Some(2));
    }

    /// A kind whose records are large is read from the database every time (memory is bounded
    /// in bytes): a change made behind the cache's back is seen at once.
    #[tokio::test]
    async fn large_record_sets_are_not_kept() {
        use trellis_core::ids::RecordId;
        use trellis_core::store::{Store, StoredRecord};

        let store = super::Cached::new(crate::SqliteStore::open_in_memory().await.expect("open"));
        let account = crate::test_account();
        store.create_account(&account).await.expect("account");
        for (kind, size) in [("small", 100), ("large", 200 * 1024)] {
            let mut record = StoredRecord {
                account_id: account.id.clone(),
                id: RecordId::generate(),
                kind: kind.to_owned(),
                schema_version: 1,
                key_id: 1,
                sealed: Sealed::from_database(vec![1; 60], vec![1; size]),
                created_day: 0,
                updated_day: 0,
            };
            store.save_record(&record).await.expect("save");
            assert_eq!(
                store
                    .records_of_kind(&account.id, kind)
                    .await
                    .expect("read")
                    .len(),
                1
            );
            record.sealed = Sealed::from_database(vec![1; 60], vec![2; size]);
            store
                .inner()
                .save_record(&record)
                .await
                .expect("behind the cache");
            let seen = store
                .records_of_kind(&account.id, kind)
                .await
                .expect("read");
            let fresh = seen[0].sealed.ciphertext()[0] == 2;
            assert_eq!(fresh, kind == "large", "{kind}: cached only when small");
        }
    }

    /// Home's reads (today's records, where Together stands) come from the cache, and every
    /// write that changes them — to the records, or a link or pause by either partner — is
    /// seen at the next read.
    #[tokio::test]
    async fn day_ranges_and_together_signals_follow_every_write() {
        use trellis_core::ids::RecordId;
        use trellis_core::store::{Store, StoredRecord};

        let store = super::Cached::new(crate::SqliteStore::open_in_memory().await.expect("open"));
        let (a, b) = (crate::test_account(), crate::test_account());
        store.create_account(&a).await.expect("a");
        store.create_account(&b).await.expect("b");
        let record = |day| StoredRecord {
            account_id: a.id.clone(),
            id: RecordId::generate(),
            kind: "checkin".to_owned(),
            schema_version: 1,
            key_id: 1,
            sealed: Sealed::from_database(vec![1; 60], vec![1; 100]),
            created_day: day,
            updated_day: day,
        };
        type C = super::Cached<crate::SqliteStore>;
        async fn today(store: &C, id: &trellis_core::ids::AccountId) -> usize {
            store
                .records_of_kind_in_days(id, "checkin", 86_400, 2 * 86_400)
                .await
                .expect("read")
                .len()
        }
        async fn signals(
            store: &C,
            id: &trellis_core::ids::AccountId,
        ) -> trellis_core::store::TogetherSignals {
            store.together_signals(id).await.expect("signals")
        }
        assert_eq!(today(&store, &a.id).await, 0);
        let first = record(86_400);
        store.save_record(&first).await.expect("save");
        assert_eq!(today(&store, &a.id).await, 1, "a save is seen");
        store.save_record(&record(0)).await.expect("another day");
        assert_eq!(today(&store, &a.id).await, 1);
        store.delete_record(&a.id, &first.id).await.expect("delete");
        assert_eq!(today(&store, &a.id).await, 0, "a delete is seen");

        assert!(!signals(&store, &a.id).await.linked && !signals(&store, &b.id).await.linked);
        assert!(store.link(&a.id, &b.id, 5).await.expect("link"));
        assert!(signals(&store, &a.id).await.linked && signals(&store, &b.id).await.linked);
        store.start_pause(&b.id, 7).await.expect("pause");
        assert_eq!(
            signals(&store, &a.id).await.partner_pause,
            Some(7),
            "the partner's pause is seen"
        );
        assert_eq!(signals(&store, &b.id).await.my_pause, Some(7));
        store.end_pause(&b.id).await.expect("end");
        assert_eq!(signals(&store, &a.id).await.partner_pause, None);
        store.unlink(&b.id).await.expect("unlink");
        assert!(
            !signals(&store, &a.id).await.linked,
            "an unlink by the partner is seen"
        );
    }

    /// Day ranges come from requests (a date in an address): asking for many keeps at most
    /// [`super::DAY_RANGES_MAX`] of them, empty ones included.
    #[tokio::test]
    async fn many_day_ranges_asked_for_keep_a_bounded_cache() {
        use trellis_core::store::Store;

        let store = super::Cached::new(crate::SqliteStore::open_in_memory().await.expect("open"));
        let a = crate::test_account();
        store.create_account(&a).await.expect("a");
        for day in 0..(super::DAY_RANGES_MAX as i64 + 200) {
            store
                .records_of_kind_in_days(&a.id, "checkin", day * 86_400, i64::MAX)
                .await
                .expect("read");
        }
        assert_eq!(store.day_ranges.len(), super::DAY_RANGES_MAX);
    }
}
