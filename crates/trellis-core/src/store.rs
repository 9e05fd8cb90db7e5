//! The Store port: everything Trellis keeps, in domain words. Implementations live in
//! `trellis-store` (SQLite and PostgreSQL); they only ever see sealed bytes, hashes and
//! coarse timestamps. Every method that touches per-person data takes the `AccountId`
//! and every query filters by it.
//!
//! Times are Unix seconds (UTC). "Day" fields are Unix seconds rounded down to midnight UTC.

use async_trait::async_trait;

use crate::ids::{AccountId, RecordId};

/// Errors a store can report. Messages never contain stored data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A row with the same key already exists.
    #[error("that already exists")]
    Conflict,
    /// The database refused to write: disk full, read-only file or similar.
    #[error("the database cannot save right now ({0})")]
    Unavailable(String),
    /// The schema is older or newer than this build expects.
    #[error("the database needs migrating: {0}")]
    Migration(String),
    /// Anything else from the driver (its message is kept for the logs, never shown).
    #[error("database error: {0}")]
    Other(String),
}

/// An account's key material as stored: nothing here opens anything without the
/// passphrase (or recovery code) and the server pepper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    /// The account.
    pub id: AccountId,
    /// Unix seconds.
    pub created_at: i64,
    /// Encoded Argon2id parameters, e.g. `argon2id$v=19$m=262144,t=3,p=1`.
    pub kdf_params: String,
    /// 16-byte Argon2 salt.
    pub salt: Vec<u8>,
    /// `HMAC(AUTH, "trellis/v1/verifier")`, 32 bytes.
    pub auth_verifier: Vec<u8>,
    /// Data key wrapped under the passphrase KEK.
    pub wrapped_udk_pw: Vec<u8>,
    /// Data key wrapped under the recovery-code KEK, when the person chose a recovery code.
    pub wrapped_udk_rc: Option<Vec<u8>>,
    /// The data key's id.
    pub key_id: u32,
    /// The pepper version the wraps were made with.
    pub pepper_version: u32,
    /// Idle minutes before a session locks (2–30).
    pub idle_minutes: u16,
    /// A keyed hash of the person's chosen name (never the name itself), used to find the
    /// account at unlock when several share one Trellis. `None` for an unnamed account.
    pub name_key: Option<Vec<u8>>,
}

/// A signed-in session. The raw session id and secret exist only in the browser's cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// `SHA256(sid)`, 32 bytes: the primary key.
    pub sid_hash: Vec<u8>,
    /// The account.
    pub account_id: AccountId,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds; refreshed at most once a minute.
    pub last_seen_at: i64,
    /// Unix seconds after which the session is idle-locked.
    pub idle_expires_at: i64,
    /// Unix seconds after which the session ends whatever happens.
    pub abs_expires_at: i64,
    /// Data key wrapped under the session key (cookie secret + server secret).
    pub wrapped_udk: Vec<u8>,
    /// A coarse, non-identifying label such as "a browser on Linux".
    pub device_label: String,
}

/// An item one linked person shares with the other: sealed to their pair key, so only the two
/// of them can open it. Only the two ids, the item's name and the time are in clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareRecord {
    /// Who shares it.
    pub owner: AccountId,
    /// Who may see it.
    pub partner: AccountId,
    /// Which item ("pause-signal", "boundary/<id>"…): one row per owner and item.
    pub item: String,
    /// The item, sealed to the pair key.
    pub sealed: Sealed,
    /// When it was (last) shared, Unix seconds.
    pub shared_at: i64,
}

/// Where a person stands in Together, read in one query for every page's frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TogetherSignals {
    /// Whether they are linked.
    pub linked: bool,
    /// Since when their own pause is on, if it is.
    pub my_pause: Option<i64>,
    /// Since when their partner's pause is on, if it is.
    pub partner_pause: Option<i64>,
}

/// Which record a stored record is, and a mark of its sealed bytes that changes whenever it is
/// saved again (the last 16 bytes of its ciphertext: the seal's tag, new with every fresh
/// nonce). Lets derived data tell which records changed without reading or opening them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordStamp {
    /// The record.
    pub id: RecordId,
    /// Day created (as [`StoredRecord::created_day`]).
    pub created_day: i64,
    /// The last 16 bytes of its sealed content (fewer only if the content is shorter).
    pub mark: Vec<u8>,
}

/// A sealed record as stored. Only the ids, kind and coarse days are in clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    /// The owner.
    pub account_id: AccountId,
    /// The record.
    pub id: RecordId,
    /// What kind of record this is (e.g. `profile`); bound into the sealed bytes' associated data.
    pub kind: String,
    /// Schema version of the plaintext.
    pub schema_version: u16,
    /// The data key id its content key is wrapped under.
    pub key_id: u32,
    /// The sealed content: all the store ever holds of what the person wrote.
    pub sealed: Sealed,
    /// Day created (Unix seconds at midnight UTC).
    pub created_day: i64,
    /// Day last changed (Unix seconds at midnight UTC).
    pub updated_day: i64,
}

/// A record's content as the store holds it: the record's content key wrapped under the
/// person's data key, and the content sealed under that content key with the record's
/// identity (account, kind, id, schema version, key id) as associated data. Trellis makes one
/// only by sealing (`records.rs`); the store keeps and returns the bytes as they are, and has
/// nothing to open them with. Shown in logs and panics by its size only.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sealed {
    enc_cek: Vec<u8>,
    ciphertext: Vec<u8>,
}

impl Sealed {
    /// Sealed bytes as a database returns them (rows read back, a copy between stores, a
    /// test that damages a byte on purpose).
    pub fn from_database(enc_cek: Vec<u8>, ciphertext: Vec<u8>) -> Self {
        Self {
            enc_cek,
            ciphertext,
        }
    }

    /// The wrapped content key.
    pub fn enc_cek(&self) -> &[u8] {
        &self.enc_cek
    }

    /// The sealed content.
    pub fn ciphertext(&self) -> &[u8] {
        &self.ciphertext
    }

    /// How many bytes in all.
    pub fn len(&self) -> usize {
        self.enc_cek.len() + self.ciphertext.len()
    }

    /// Whether there are no bytes at all (never, for a record Trellis sealed).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The two parts, for opening.
    pub fn into_parts(self) -> (Vec<u8>, Vec<u8>) {
        (self.enc_cek, self.ciphertext)
    }
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.len())
    }
}

/// Where a page of [`Store::records_of_kind_page`] starts, in the order of
/// [`Store::records_of_kind`]: newest `created_day` first, then by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageStart {
    /// From the very first record.
    Newest,
    /// With the records of days strictly before this day (Unix seconds).
    BeforeDay(i64),
    /// Just after this record: the rest of its day (greater ids), then older days.
    After {
        /// The record's `created_day`.
        created_day: i64,
        /// The record's id.
        id: RecordId,
    },
}

/// The answer to [`Store::reserve_attempt`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The attempt may go ahead; it is the `n`-th in a row under this key since the counter
    /// was last cleared (1-based).
    Granted(u32),
    /// Refused: wait this many seconds (at least 1).
    Wait(i64),
}

/// Everything Trellis keeps. Implemented for SQLite and PostgreSQL in `trellis-store`.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    // --- the instance ---

    /// The stored fingerprint of the server secrets, if one was recorded.
    async fn secrets_fingerprint(&self) -> Result<Option<Vec<u8>>, StoreError>;
    /// Records the fingerprint of the server secrets (first start only).
    async fn record_secrets_fingerprint(&self, fingerprint: &[u8]) -> Result<(), StoreError>;
    /// How many accounts exist.
    async fn count_accounts(&self) -> Result<u64, StoreError>;
    /// Notes that the account signed in on `day` (Unix seconds at midnight UTC: a coarse day,
    /// never a time), unless a later day is already noted.
    async fn mark_account_seen(&self, id: &AccountId, day: i64) -> Result<(), StoreError>;
    /// How many accounts signed in on `day` or later (operators' "active this week").
    async fn count_accounts_seen_since(&self, day: i64) -> Result<u64, StoreError>;
    /// Checks the database file or server is healthy; returns a list of plain-words problems.
    async fn check_integrity(&self) -> Result<Vec<String>, StoreError>;
    /// Folds the write-ahead log back into the main file (SQLite, after a lock) so that
    /// deleted pages are not left readable in the WAL. A no-op where that means nothing.
    async fn checkpoint(&self) -> Result<(), StoreError> {
        Ok(())
    }

    // --- accounts ---

    /// Creates an account; `Conflict` if the id exists.
    async fn create_account(&self, account: &AccountRecord) -> Result<(), StoreError>;
    /// One account by id.
    async fn account(&self, id: &AccountId) -> Result<Option<AccountRecord>, StoreError>;
    /// The first account created (local mode has exactly one).
    async fn first_account(&self) -> Result<Option<AccountRecord>, StoreError>;
    /// Replaces the key material after a passphrase change or parameter upgrade:
    /// `kdf_params`, `salt`, `auth_verifier`, `wrapped_udk_pw`, `wrapped_udk_rc`, `pepper_version`.
    async fn update_account_keys(&self, account: &AccountRecord) -> Result<(), StoreError>;
    /// Sets the idle auto-lock minutes.
    async fn set_idle_minutes(&self, id: &AccountId, minutes: u16) -> Result<(), StoreError>;
    /// Deletes the account and everything it owns (sessions, records, throttles) in one transaction.
    async fn delete_account(&self, id: &AccountId) -> Result<(), StoreError>;

    // --- sessions ---

    /// Stores a new session.
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    /// A session by `SHA256(sid)`.
    async fn session(&self, sid_hash: &[u8]) -> Result<Option<SessionRecord>, StoreError>;
    /// Marks a session as used now and pushes its idle expiry out.
    async fn touch_session(
        &self,
        account: &AccountId,
        sid_hash: &[u8],
        last_seen_at: i64,
        idle_expires_at: i64,
    ) -> Result<(), StoreError>;
    /// Ends one session of this account; false if there was none.
    async fn delete_session(
        &self,
        account: &AccountId,
        sid_hash: &[u8],
    ) -> Result<bool, StoreError>;
    /// Ends every session of this account except `keep`; returns how many ended.
    async fn delete_other_sessions(
        &self,
        account: &AccountId,
        keep: Option<&[u8]>,
    ) -> Result<u64, StoreError>;
    /// This account's sessions, newest first.
    async fn sessions_of(&self, account: &AccountId) -> Result<Vec<SessionRecord>, StoreError>;
    /// Erases the wrapped data key of every session past either expiry (the row stays, keyless,
    /// until [`Store::delete_expired_sessions`]); returns how many were wiped.
    async fn wipe_expired_sessions(&self, now: i64) -> Result<u64, StoreError>;
    /// Removes sessions past either expiry; returns how many.
    async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError>;

    // --- sealed records ---

    /// Inserts or replaces a record (matched on account and id).
    async fn save_record(&self, record: &StoredRecord) -> Result<(), StoreError>;
    /// One record of this account; `None` for another account's id.
    async fn record(
        &self,
        account: &AccountId,
        id: &RecordId,
    ) -> Result<Option<StoredRecord>, StoreError>;
    /// Every record of this account, of every kind (by kind, then in the order of
    /// [`Store::records_of_kind`]): what "take your data with you" reads.
    async fn records_of_account(
        &self,
        account: &AccountId,
    ) -> Result<Vec<StoredRecord>, StoreError>;
    /// All records of one kind for this account, newest `created_day` first, then by id.
    async fn records_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<Vec<StoredRecord>, StoreError>;
    /// At most `limit` records of one kind for this account, in the order of
    /// [`Store::records_of_kind`], starting at `start` (keyset pagination on the
    /// `(account_id, kind, created_day DESC, id)` index: no offset scan, whatever the page).
    async fn records_of_kind_page(
        &self,
        account: &AccountId,
        kind: &str,
        start: &PageStart,
        limit: u32,
    ) -> Result<Vec<StoredRecord>, StoreError>;
    /// Reads the records of `kind` in the order of [`Store::records_of_kind`], handing them
    /// to `visit` in batches of about `batch_bytes` sealed bytes (so a large kind is never
    /// held in memory at once), and returns how many records of `counted_kind` the account
    /// has. The records and the count come from one snapshot of the database (one
    /// statement), so a write that lands meanwhile is in both or in neither: the journal
    /// search checks its digests against the entries this way without a race.
    async fn visit_records_of_kind_counting(
        &self,
        account: &AccountId,
        kind: &str,
        counted_kind: &str,
        batch_bytes: usize,
        visit: &mut (dyn FnMut(Vec<StoredRecord>) + Send),
    ) -> Result<u64, StoreError>;
    /// The records of one kind for this account whose `created_day` is from `from_day`
    /// (included) to `until_day` (excluded), in the order of [`Store::records_of_kind`]
    /// (a range scan of the `(account_id, kind, created_day)` index).
    async fn records_of_kind_in_days(
        &self,
        account: &AccountId,
        kind: &str,
        from_day: i64,
        until_day: i64,
    ) -> Result<Vec<StoredRecord>, StoreError>;
    /// How many records of one kind this account has (reads only the index).
    async fn count_records_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<u64, StoreError>;
    /// How many records of one kind this account has on each `created_day` from `from_day`
    /// (included) to `until_day` (excluded); days without any are left out; newest day first.
    /// Reads only the index, never the sealed bytes.
    async fn count_records_by_day(
        &self,
        account: &AccountId,
        kind: &str,
        from_day: i64,
        until_day: i64,
    ) -> Result<Vec<(i64, u64)>, StoreError>;
    /// Keeps sign-up codes an operator made (`trellis admin invite`): each a keyed hash and the
    /// Unix time it stops working. Never the code itself.
    async fn add_signup_codes(&self, codes: &[(Vec<u8>, i64)]) -> Result<(), StoreError>;
    /// Uses the sign-up code with this hash, if it is unused and not expired at `now`: true
    /// for exactly one caller however many try at once.
    async fn claim_signup_code(&self, hash: &[u8], now: i64) -> Result<bool, StoreError>;
    /// Gives a claimed code back (the sign-up it was claimed for could not finish).
    async fn release_signup_code(&self, hash: &[u8]) -> Result<(), StoreError>;
    /// Adds `records` (all of this account) in one transaction, each only when the account
    /// has no record with its id: a record already there, even one written a moment ago by
    /// another request, is never replaced. Returns the ids added. A record of another account
    /// is refused (`Other`) and nothing is written.
    async fn add_records(
        &self,
        account: &AccountId,
        records: &[StoredRecord],
    ) -> Result<Vec<RecordId>, StoreError>;
    /// The stamp of every record of one kind for this account, in no particular order: ids,
    /// days and a 16-byte mark each, never the sealed bytes.
    async fn record_stamps_of_kind(
        &self,
        account: &AccountId,
        kind: &str,
    ) -> Result<Vec<RecordStamp>, StoreError>;
    /// Saves (inserts or replaces) `save` and deletes the ids in `delete`, all of this account,
    /// in one transaction: either everything happens or nothing does. A record of another
    /// account in `save` is refused (`Other`) and nothing is written; ids in `delete` that
    /// the account does not have are ignored.
    async fn write_records(
        &self,
        account: &AccountId,
        save: &[StoredRecord],
        delete: &[RecordId],
    ) -> Result<(), StoreError>;
    /// Deletes one record of this account; false if there was none.
    async fn delete_record(&self, account: &AccountId, id: &RecordId) -> Result<bool, StoreError>;

    // --- unlock throttling ---

    /// Atomically reserves one unlock attempt under `key` (a keyed hash, never a name or an
    /// address) before the slow passphrase check runs, so parallel requests can never all
    /// pass: refused while an earlier attempt's wait is in force, otherwise counted and
    /// granted, and the next attempt is held back until `now + wait_after(count)`. Works across
    /// several servers on one database (compare-and-swap on the stored count).
    async fn reserve_attempt(
        &self,
        key: &str,
        now: i64,
        wait_after: fn(u32) -> i64,
    ) -> Result<Attempt, StoreError>;
    /// Forgets the attempts under `key` (after a successful unlock).
    async fn clear_attempts(&self, key: &str) -> Result<(), StoreError>;
    /// Forgets every counter untouched since `untouched_since` whose wait is over at `now`;
    /// returns how many.
    async fn sweep_attempts(&self, untouched_since: i64, now: i64) -> Result<u64, StoreError>;

    // --- set-up ---

    /// Creates an account only if no account exists yet, decided inside the insert's own
    /// transaction (so two simultaneous set-ups can never both create one); `Conflict` when
    /// an account already exists or the id is taken.
    async fn create_first_account(&self, account: &AccountRecord) -> Result<(), StoreError>;
    /// The account whose name has this keyed hash; with `None`, the oldest unnamed account.
    async fn account_by_name(
        &self,
        name_key: Option<&[u8]>,
    ) -> Result<Option<AccountRecord>, StoreError>;

    // --- Together: public keys, invitations, links ---

    /// Keeps an account's X25519 public key; false (and nothing changed) when it already has
    /// one (a key is never replaced: the safety number would change under the partner).
    async fn set_public_key(&self, account: &AccountId, key: &[u8; 32])
        -> Result<bool, StoreError>;
    /// An account's public key, if it has one.
    async fn public_key(&self, account: &AccountId) -> Result<Option<[u8; 32]>, StoreError>;
    /// Keeps an invitation made by `account`: a keyed hash of its code, usable before
    /// `expires_at`. It replaces any earlier invitation of theirs (one each at most).
    async fn create_invitation(
        &self,
        code_hash: &[u8],
        account: &AccountId,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;
    /// Who made the invitation with this hash, if it is waiting and has not ended at `now`
    /// (nothing changes: see [`Store::take_invitation`] to use it).
    async fn invitation_maker(
        &self,
        code_hash: &[u8],
        now: i64,
    ) -> Result<Option<AccountId>, StoreError>;
    /// Uses an invitation: deletes it and returns who made it, if it existed and had not
    /// ended at `now`. One use only: of two takes at once, one gets it. An invitation claimed
    /// by a set-up is taken only by that set-up (`claimer`), and never with `None`.
    async fn take_invitation(
        &self,
        code_hash: &[u8],
        claimer: Option<&str>,
        now: i64,
    ) -> Result<Option<AccountId>, StoreError>;
    /// Holds a waiting invitation for one set-up (`claimer`, the new account's id) while it
    /// makes the account, and returns its maker; `None` when there is no such invitation, it
    /// has ended, or another set-up holds it. Claiming again with the same `claimer` works
    /// (a double submit of one page).
    async fn claim_invitation(
        &self,
        code_hash: &[u8],
        claimer: &str,
        now: i64,
    ) -> Result<Option<AccountId>, StoreError>;
    /// Lets go of a claimed invitation (the set-up did not make its account), counting a
    /// taken name when `name_taken`; returns how many taken names it has counted (0 when
    /// `claimer` did not hold it).
    async fn release_invitation(
        &self,
        code_hash: &[u8],
        claimer: &str,
        name_taken: bool,
    ) -> Result<i64, StoreError>;
    /// Deletes the invitations `account` made and has not seen used; returns how many.
    async fn delete_invitations_of(&self, account: &AccountId) -> Result<u64, StoreError>;
    /// Deletes invitations that ended before `now`; returns how many.
    async fn delete_expired_invitations(&self, now: i64) -> Result<u64, StoreError>;
    /// Links two accounts (a row for each side, in one transaction, which also deletes any
    /// invitation either made); false, and nothing changed, when either is already linked.
    async fn link(&self, a: &AccountId, b: &AccountId, now: i64) -> Result<bool, StoreError>;
    /// The account linked with this one, and since when.
    async fn partner(&self, account: &AccountId) -> Result<Option<(AccountId, i64)>, StoreError>;
    /// Ends this account's link, on both sides, with everything either shared and any pause;
    /// false when there was none.
    async fn unlink(&self, account: &AccountId) -> Result<bool, StoreError>;
    /// Shares an item (new or replacing the owner's copy); false, and nothing kept, unless
    /// owner and partner are linked with each other.
    async fn put_share(&self, share: &ShareRecord) -> Result<bool, StoreError>;
    /// Replaces the sealed copy of an item that is shared now (never makes one: a share stopped
    /// a moment ago stays stopped); false when it is not shared with this partner.
    async fn update_share(&self, share: &ShareRecord) -> Result<bool, StoreError>;
    /// Stops sharing an item; false when it was not shared.
    async fn delete_share(&self, owner: &AccountId, item: &str) -> Result<bool, StoreError>;
    /// Everything `owner` shares, newest first.
    async fn shares_by(&self, owner: &AccountId) -> Result<Vec<ShareRecord>, StoreError>;
    /// Everything shared with `partner`, newest first.
    async fn shares_for(&self, partner: &AccountId) -> Result<Vec<ShareRecord>, StoreError>;
    /// Turns this account's pause on for its partner (kept as it was when already on);
    /// returns the partner and since when, or `None` when not linked.
    async fn start_pause(
        &self,
        account: &AccountId,
        now: i64,
    ) -> Result<Option<(AccountId, i64)>, StoreError>;
    /// Ends this account's pause; returns the partner who saw it, if one was on.
    async fn end_pause(&self, account: &AccountId) -> Result<Option<AccountId>, StoreError>;
    /// Linked, own pause, partner's pause: one query.
    async fn together_signals(&self, account: &AccountId) -> Result<TogetherSignals, StoreError>;
    /// Replaces this account's match tags (kept for its partner); false, and nothing kept,
    /// unless `account` is linked with `partner`.
    async fn set_match_tags(
        &self,
        account: &AccountId,
        partner: &AccountId,
        tags: &[[u8; 16]],
    ) -> Result<bool, StoreError>;
    /// The tags both this account and its partner hold.
    async fn matching_tags(&self, account: &AccountId) -> Result<Vec<Vec<u8>>, StoreError>;
    /// Tells every node serving this database that `event` happened for `account` (so it can
    /// reach that person's open pages); false when this store has no such channel (one node:
    /// the caller delivers it itself).
    async fn notify(&self, account: &AccountId, event: &str) -> Result<bool, StoreError>;
}
