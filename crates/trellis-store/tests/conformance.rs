//! The Store conformance suite: every behaviour is written once, in `cases`, and run
//! against SQLite (a temporary file) and PostgreSQL (a fresh schema per test).
//!
//! PostgreSQL runs when `TRELLIS_TEST_DATABASE_URL` is set (see `scripts/with-postgres`).
//! Without it the PostgreSQL tests pass after saying so on stderr, unless
//! `TRELLIS_REQUIRE_POSTGRES=1`, in which case they fail.

mod common;
use common as harness;

/// Builders for test data.
mod fixtures {
    use trellis_core::ids::{AccountId, RecordId};
    use trellis_core::store::{AccountRecord, SessionRecord, StoredRecord};

    pub fn bytes(n: usize) -> Vec<u8> {
        (0..n).map(|_| rand::random::<u8>()).collect()
    }

    pub fn all_byte_values() -> Vec<u8> {
        (0..=255u8).collect()
    }

    pub fn account(created_at: i64) -> AccountRecord {
        AccountRecord {
            id: AccountId::generate(),
            created_at,
            kdf_params: "argon2id$v=19$m=262144,t=3,p=1".to_owned(),
            salt: bytes(16),
            auth_verifier: bytes(32),
            wrapped_udk_pw: bytes(72),
            wrapped_udk_rc: Some(bytes(72)),
            key_id: 7,
            pepper_version: 1,
            idle_minutes: 10,
            name_key: None,
        }
    }

    pub fn session(account: &AccountId, created_at: i64) -> SessionRecord {
        SessionRecord {
            sid_hash: bytes(32),
            account_id: account.clone(),
            created_at,
            last_seen_at: created_at,
            idle_expires_at: created_at + 600,
            abs_expires_at: created_at + 86_400,
            wrapped_udk: bytes(72),
            device_label: "a browser on Linux".to_owned(),
        }
    }

    pub fn record(account: &AccountId, kind: &str, created_day: i64) -> StoredRecord {
        StoredRecord {
            account_id: account.clone(),
            id: RecordId::generate(),
            kind: kind.to_owned(),
            schema_version: 1,
            key_id: 7,
            sealed: trellis_core::store::Sealed::from_database(bytes(60), bytes(200)),
            created_day,
            updated_day: created_day,
        }
    }
}

/// The behaviours, each written once against `dyn Store`.
mod cases {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use trellis_core::ids::{AccountId, RecordId};
    use trellis_core::store::{
        Attempt, PageStart, Sealed, ShareRecord, Store, StoreError, TogetherSignals,
    };

    use crate::fixtures::{account, all_byte_values, bytes, record, session};

    const DAY: i64 = 86_400;

    pub async fn fresh_store_is_empty_and_healthy(store: Arc<dyn Store>) {
        assert_eq!(store.count_accounts().await.expect("count"), 0);
        assert_eq!(store.first_account().await.expect("first"), None);
        assert_eq!(
            store.secrets_fingerprint().await.expect("fingerprint"),
            None
        );
        let problems = store.check_integrity().await.expect("integrity");
        assert!(
            problems.is_empty(),
            "problems on a fresh store: {problems:?}"
        );
    }

    pub async fn account_create_get_and_first(store: Arc<dyn Store>) {
        let later = account(2_000);
        let earlier = account(1_000);
        store.create_account(&later).await.expect("create later");
        store
            .create_account(&earlier)
            .await
            .expect("create earlier");
        assert_eq!(store.count_accounts().await.expect("count"), 2);
        assert_eq!(
            store.account(&later.id).await.expect("get"),
            Some(later.clone())
        );
        assert_eq!(
            store.account(&earlier.id).await.expect("get"),
            Some(earlier.clone())
        );
        assert_eq!(store.first_account().await.expect("first"), Some(earlier));
        assert_eq!(
            store.account(&AccountId::generate()).await.expect("get"),
            None
        );
    }

    pub async fn account_without_recovery_wrap(store: Arc<dyn Store>) {
        let mut a = account(1_000);
        a.wrapped_udk_rc = None;
        store.create_account(&a).await.expect("create");
        assert_eq!(store.account(&a.id).await.expect("get"), Some(a));
    }

    pub async fn account_conflict(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let mut again = account(5_000);
        again.id = a.id.clone();
        let err = store
            .create_account(&again)
            .await
            .expect_err("same id twice");
        assert!(matches!(err, StoreError::Conflict), "got {err:?}");
        assert_eq!(store.account(&a.id).await.expect("get"), Some(a));
        assert_eq!(store.count_accounts().await.expect("count"), 1);
    }

    pub async fn account_update_keys(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let mut changed = a.clone();
        changed.kdf_params = "argon2id$v=19$m=524288,t=4,p=1".to_owned();
        changed.salt = bytes(16);
        changed.auth_verifier = bytes(32);
        changed.wrapped_udk_pw = bytes(72);
        changed.wrapped_udk_rc = None;
        changed.pepper_version = 2;
        // Fields outside the key material are not touched by this call.
        changed.created_at = 9_999;
        changed.key_id = 99;
        changed.idle_minutes = 3;
        store
            .update_account_keys(&changed)
            .await
            .expect("update keys");
        let got = store
            .account(&a.id)
            .await
            .expect("get")
            .expect("still there");
        assert_eq!(got.kdf_params, changed.kdf_params);
        assert_eq!(got.salt, changed.salt);
        assert_eq!(got.auth_verifier, changed.auth_verifier);
        assert_eq!(got.wrapped_udk_pw, changed.wrapped_udk_pw);
        assert_eq!(got.wrapped_udk_rc, None);
        assert_eq!(got.pepper_version, 2);
        assert_eq!(got.created_at, a.created_at);
        assert_eq!(got.key_id, a.key_id);
        assert_eq!(got.idle_minutes, a.idle_minutes);

        changed.wrapped_udk_rc = Some(bytes(72));
        store
            .update_account_keys(&changed)
            .await
            .expect("add recovery");
        let got = store
            .account(&a.id)
            .await
            .expect("get")
            .expect("still there");
        assert_eq!(got.wrapped_udk_rc, changed.wrapped_udk_rc);
    }

    pub async fn account_idle_minutes(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        store.set_idle_minutes(&a.id, 25).await.expect("set");
        let got = store.account(&a.id).await.expect("get").expect("there");
        assert_eq!(got.idle_minutes, 25);
        assert_eq!(store.account(&b.id).await.expect("get"), Some(b));
    }

    pub async fn account_delete_cascades(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        let mut owned = Vec::new();
        for acc in [&a, &b] {
            let s = session(&acc.id, 1_000);
            let r = record(&acc.id, "note", DAY);
            store.create_session(&s).await.expect("session");
            store.save_record(&r).await.expect("record");
            owned.push((s, r));
        }
        store.delete_account(&a.id).await.expect("delete");

        let (sa, ra) = &owned[0];
        assert_eq!(store.account(&a.id).await.expect("get"), None);
        assert_eq!(store.session(&sa.sid_hash).await.expect("session"), None);
        assert!(store.sessions_of(&a.id).await.expect("sessions").is_empty());
        assert_eq!(store.record(&a.id, &ra.id).await.expect("record"), None);
        assert!(store
            .records_of_kind(&a.id, "note")
            .await
            .expect("list")
            .is_empty());

        // The other account keeps everything.
        let (sb, rb) = &owned[1];
        assert_eq!(store.count_accounts().await.expect("count"), 1);
        assert_eq!(
            store.session(&sb.sid_hash).await.expect("session"),
            Some(sb.clone())
        );
        assert_eq!(
            store.record(&b.id, &rb.id).await.expect("record"),
            Some(rb.clone())
        );
        let problems = store.check_integrity().await.expect("integrity");
        assert!(problems.is_empty(), "{problems:?}");

        // Deleting an account that is gone is not an error.
        store.delete_account(&a.id).await.expect("delete again");
    }

    pub async fn children_need_an_existing_account(store: Arc<dyn Store>) {
        let ghost = AccountId::generate();
        let err = store
            .save_record(&record(&ghost, "note", DAY))
            .await
            .expect_err("record for a missing account");
        assert!(!matches!(err, StoreError::Conflict), "got {err:?}");
        assert!(
            !err.to_string().contains(ghost.as_str()),
            "error leaks the id: {err}"
        );
        store
            .create_session(&session(&ghost, 1_000))
            .await
            .expect_err("session for a missing account");
    }

    pub async fn sessions_create_get_touch_delete(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let s = session(&a.id, 1_000);
        store.create_session(&s).await.expect("create session");
        assert_eq!(
            store.session(&s.sid_hash).await.expect("get"),
            Some(s.clone())
        );
        assert_eq!(store.session(&bytes(32)).await.expect("get unknown"), None);

        let err = store.create_session(&s).await.expect_err("same hash twice");
        assert!(matches!(err, StoreError::Conflict), "got {err:?}");

        store
            .touch_session(&a.id, &s.sid_hash, 1_060, 1_660)
            .await
            .expect("touch");
        let got = store
            .session(&s.sid_hash)
            .await
            .expect("get")
            .expect("there");
        assert_eq!(got.last_seen_at, 1_060);
        assert_eq!(got.idle_expires_at, 1_660);
        assert_eq!(got.abs_expires_at, s.abs_expires_at);
        assert_eq!(got.created_at, s.created_at);

        assert!(store
            .delete_session(&a.id, &s.sid_hash)
            .await
            .expect("delete"));
        assert!(!store
            .delete_session(&a.id, &s.sid_hash)
            .await
            .expect("delete again"));
        assert_eq!(store.session(&s.sid_hash).await.expect("get"), None);
    }

    pub async fn sessions_of_newest_first(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let times = [1_500, 1_000, 3_000, 2_000];
        for t in times {
            store
                .create_session(&session(&a.id, t))
                .await
                .expect("session");
        }
        let got: Vec<i64> = store
            .sessions_of(&a.id)
            .await
            .expect("list")
            .into_iter()
            .map(|s| s.created_at)
            .collect();
        assert_eq!(got, vec![3_000, 2_000, 1_500, 1_000]);
    }

    pub async fn delete_other_sessions_keeps_one(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        let mine: Vec<_> = (0..3).map(|i| session(&a.id, 1_000 + i)).collect();
        for s in &mine {
            store.create_session(s).await.expect("session");
        }
        let theirs = session(&b.id, 1_000);
        store.create_session(&theirs).await.expect("b's session");

        let ended = store
            .delete_other_sessions(&a.id, Some(&mine[1].sid_hash))
            .await
            .expect("delete others");
        assert_eq!(ended, 2);
        assert_eq!(
            store.sessions_of(&a.id).await.expect("list"),
            vec![mine[1].clone()]
        );

        let ended = store
            .delete_other_sessions(&a.id, None)
            .await
            .expect("delete all");
        assert_eq!(ended, 1);
        assert!(store.sessions_of(&a.id).await.expect("list").is_empty());
        assert_eq!(store.sessions_of(&b.id).await.expect("list"), vec![theirs]);
    }

    pub async fn delete_expired_sessions_idle_and_absolute(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let now = 10_000;
        let mut idle_expired = session(&a.id, 1_000);
        idle_expired.idle_expires_at = now - 1;
        idle_expired.abs_expires_at = now + 1_000;
        let mut abs_expired = session(&a.id, 1_001);
        abs_expired.idle_expires_at = now + 1_000;
        abs_expired.abs_expires_at = now - 1;
        let mut at_the_edge = session(&a.id, 1_002);
        at_the_edge.idle_expires_at = now;
        at_the_edge.abs_expires_at = now;
        let mut alive = session(&a.id, 1_003);
        alive.idle_expires_at = now + 60;
        alive.abs_expires_at = now + 3_600;
        for s in [&idle_expired, &abs_expired, &at_the_edge, &alive] {
            store.create_session(s).await.expect("session");
        }
        // Expired means strictly past an expiry.
        assert_eq!(store.delete_expired_sessions(now).await.expect("sweep"), 2);
        assert_eq!(
            store.session(&idle_expired.sid_hash).await.expect("get"),
            None
        );
        assert_eq!(
            store.session(&abs_expired.sid_hash).await.expect("get"),
            None
        );
        assert!(store
            .session(&at_the_edge.sid_hash)
            .await
            .expect("get")
            .is_some());
        assert!(store.session(&alive.sid_hash).await.expect("get").is_some());
        assert_eq!(
            store.delete_expired_sessions(now + 1).await.expect("sweep"),
            1
        );
        assert_eq!(
            store.delete_expired_sessions(now + 1).await.expect("sweep"),
            0
        );
        assert_eq!(store.sessions_of(&a.id).await.expect("list"), vec![alive]);
    }

    pub async fn records_save_insert_then_replace(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let r = record(&a.id, "profile", 10 * DAY);
        store.save_record(&r).await.expect("insert");
        assert_eq!(
            store.record(&a.id, &r.id).await.expect("get"),
            Some(r.clone())
        );

        let mut newer = r.clone();
        newer.schema_version = 2;
        newer.key_id = 8;
        newer.sealed = trellis_core::store::Sealed::from_database(bytes(60), bytes(500));
        newer.updated_day = 12 * DAY;
        store.save_record(&newer).await.expect("replace");
        assert_eq!(
            store.record(&a.id, &r.id).await.expect("get"),
            Some(newer.clone())
        );
        assert_eq!(
            store.records_of_kind(&a.id, "profile").await.expect("list"),
            vec![newer]
        );
        assert_eq!(
            store
                .record(&a.id, &RecordId::generate())
                .await
                .expect("get"),
            None
        );
    }

    pub async fn records_of_kind_ordering(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let mut saved = Vec::new();
        for day in [3, 1, 3, 2, 3] {
            let r = record(&a.id, "entry", day * DAY);
            store.save_record(&r).await.expect("save");
            saved.push(r);
        }
        store
            .save_record(&record(&a.id, "profile", 9 * DAY))
            .await
            .expect("other kind");
        saved.sort_by(|x, y| {
            y.created_day
                .cmp(&x.created_day)
                .then_with(|| x.id.as_str().cmp(y.id.as_str()))
        });
        let got = store.records_of_kind(&a.id, "entry").await.expect("list");
        assert_eq!(got, saved);
        assert!(store
            .records_of_kind(&a.id, "nothing")
            .await
            .expect("list")
            .is_empty());
    }

    /// Your data (issue 11): every record of one account, of every kind, by kind then in
    /// each kind's order; never another account's.
    pub async fn records_of_account_reads_every_kind(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        let mut saved = Vec::new();
        for (kind, day) in [("entry", 2), ("profile", 9), ("entry", 5), ("boundary", 1)] {
            let r = record(&a.id, kind, day * DAY);
            store.save_record(&r).await.expect("save");
            saved.push(r);
        }
        store
            .save_record(&record(&b.id, "entry", 3 * DAY))
            .await
            .expect("b's");
        saved.sort_by(|x, y| {
            x.kind
                .cmp(&y.kind)
                .then_with(|| y.created_day.cmp(&x.created_day))
                .then_with(|| x.id.as_str().cmp(y.id.as_str()))
        });
        assert_eq!(store.records_of_account(&a.id).await.expect("all"), saved);
        let empty = account(1_000);
        store.create_account(&empty).await.expect("create");
        assert!(store
            .records_of_account(&empty.id)
            .await
            .expect("none")
            .is_empty());
    }

    /// Journal (issue 4): keyset pages walk every record exactly once, in the order of
    /// `records_of_kind`, whatever the page size, and never cross kinds or accounts.
    pub async fn records_of_kind_page_walks_in_order(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        for day in [5, 1, 5, 3, 5, 2, 3, 5, 1, 4] {
            store
                .save_record(&record(&a.id, "entry", day * DAY))
                .await
                .expect("save");
        }
        store
            .save_record(&record(&a.id, "other", 4 * DAY))
            .await
            .expect("other kind");
        let theirs = record(&b.id, "entry", 4 * DAY);
        store.save_record(&theirs).await.expect("b's record");
        let all = store.records_of_kind(&a.id, "entry").await.expect("list");
        assert_eq!(all.len(), 10);

        for limit in [1_u32, 2, 3, 4, 7, 10, 11, 50] {
            let mut walked = Vec::new();
            let mut start = PageStart::Newest;
            loop {
                let page = store
                    .records_of_kind_page(&a.id, "entry", &start, limit)
                    .await
                    .expect("page");
                assert!(page.len() <= limit as usize, "limit {limit}");
                let Some(last) = page.last() else { break };
                start = PageStart::After {
                    created_day: last.created_day,
                    id: last.id.clone(),
                };
                let full = page.len() == limit as usize;
                walked.extend(page);
                if !full {
                    break;
                }
            }
            assert_eq!(walked, all, "walking with pages of {limit}");
        }

        // Before a day: exactly the older days, in order.
        for day in 0..=6 {
            let want: Vec<_> = all
                .iter()
                .filter(|r| r.created_day < day * DAY)
                .cloned()
                .collect();
            let got = store
                .records_of_kind_page(&a.id, "entry", &PageStart::BeforeDay(day * DAY), 100)
                .await
                .expect("before day");
            assert_eq!(got, want, "before day {day}");
        }
        assert!(store
            .records_of_kind_page(&a.id, "entry", &PageStart::Newest, 0)
            .await
            .expect("limit 0")
            .is_empty());

        // Another account's pages hold only its own records, even from a's cursor.
        let from_a = PageStart::After {
            created_day: all[0].created_day,
            id: all[0].id.clone(),
        };
        for start in [PageStart::Newest, PageStart::BeforeDay(9 * DAY), from_a] {
            assert_eq!(
                store
                    .records_of_kind_page(&b.id, "entry", &start, 100)
                    .await
                    .expect("b's page"),
                vec![theirs.clone()],
                "{start:?}"
            );
        }
        assert!(store
            .records_of_kind_page(&AccountId::generate(), "entry", &PageStart::Newest, 100)
            .await
            .expect("nobody's page")
            .is_empty());
        assert!(store
            .records_of_kind_page(&a.id, "nothing", &PageStart::Newest, 100)
            .await
            .expect("no such kind")
            .is_empty());
    }

    /// Hosted (issue 13): the last day an account signed in only moves forward, and counts
    /// accounts seen since a day.
    pub async fn accounts_seen_since_a_day(store: Arc<dyn Store>) {
        const DAY: i64 = 86_400;
        let (a, b, c) = (account(1_000), account(1_000), account(1_000));
        for x in [&a, &b, &c] {
            store.create_account(x).await.expect("create");
        }
        assert_eq!(store.count_accounts_seen_since(0).await.expect("none"), 0);
        store.mark_account_seen(&a.id, 10 * DAY).await.expect("a");
        store.mark_account_seen(&b.id, 3 * DAY).await.expect("b");
        store
            .mark_account_seen(&a.id, 2 * DAY)
            .await
            .expect("an older day");
        assert_eq!(
            store
                .count_accounts_seen_since(10 * DAY)
                .await
                .expect("since 10"),
            1,
            "never moved back"
        );
        assert_eq!(
            store
                .count_accounts_seen_since(3 * DAY)
                .await
                .expect("since 3"),
            2
        );
        store
            .mark_account_seen(&b.id, 11 * DAY)
            .await
            .expect("b later");
        assert_eq!(
            store
                .count_accounts_seen_since(11 * DAY)
                .await
                .expect("since 11"),
            1
        );
        assert_eq!(
            store.count_accounts().await.expect("all"),
            3,
            "c never signed in"
        );
    }

    /// Hosted (issue 13): a sign-up code works once, never after it expires, comes back when
    /// released, and of many claims at once exactly one wins.
    pub async fn signup_codes_are_used_once(store: Arc<dyn Store>) {
        let now = 1_800_000_000;
        let (a, b, old) = (bytes(32), bytes(32), bytes(32));
        store
            .add_signup_codes(&[
                (a.clone(), now + 100),
                (b.clone(), now + 100),
                (old.clone(), now - 1),
            ])
            .await
            .expect("add");
        assert!(store.claim_signup_code(&a, now).await.expect("claim"));
        assert!(
            !store.claim_signup_code(&a, now).await.expect("again"),
            "used once"
        );
        assert!(
            !store.claim_signup_code(&old, now).await.expect("old"),
            "expired"
        );
        assert!(!store
            .claim_signup_code(&bytes(32), now)
            .await
            .expect("unknown"));
        assert!(
            !store
                .claim_signup_code(&b, now + 100)
                .await
                .expect("at its end"),
            "ends at expires_at"
        );
        store.release_signup_code(&a).await.expect("release");
        assert!(
            store.claim_signup_code(&a, now).await.expect("claim again"),
            "given back"
        );
        let claims: Vec<_> = (0..16).map(|_| store.claim_signup_code(&b, now)).collect();
        let won = futures_util::future::join_all(claims)
            .await
            .into_iter()
            .filter(|r| *r.as_ref().expect("claim"))
            .count();
        assert_eq!(won, 1, "exactly one of many at once");
    }

    /// Import (issue 11): adding records never replaces one already there; all or nothing;
    /// two adds of the same records at once add each once.
    pub async fn add_records_only_adds(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        let mine = record(&a.id, "entry", DAY);
        store.save_record(&mine).await.expect("save");
        let mut same_id = record(&a.id, "entry", 2 * DAY);
        same_id.id = mine.id.clone();
        let new = record(&a.id, "entry", 3 * DAY);
        let added = store
            .add_records(&a.id, &[same_id, new.clone()])
            .await
            .expect("add");
        assert_eq!(added, vec![new.id.clone()]);
        let kept = store
            .record(&a.id, &mine.id)
            .await
            .expect("read")
            .expect("there");
        assert_eq!(kept, mine, "the record already there is left as it was");
        // Another account's record in the batch: refused, nothing written.
        let other = record(&b.id, "entry", DAY);
        let fresh = record(&a.id, "entry", DAY);
        assert!(store
            .add_records(&a.id, &[fresh.clone(), other])
            .await
            .is_err());
        assert!(store
            .record(&a.id, &fresh.id)
            .await
            .expect("read")
            .is_none());
        // The same batch twice at once: each record added once.
        let batch: Vec<_> = (0..20).map(|d| record(&a.id, "batch", d * DAY)).collect();
        let (x, y) = tokio::join!(
            store.add_records(&a.id, &batch),
            store.add_records(&a.id, &batch)
        );
        let (x, y) = (x.expect("x"), y.expect("y"));
        assert_eq!(x.len() + y.len(), 20, "{} + {}", x.len(), y.len());
        assert_eq!(
            store
                .count_records_of_kind(&a.id, "batch")
                .await
                .expect("count"),
            20
        );
    }

    /// Progress (issue 11): stamps name each record of a kind with the last 16 bytes of its
    /// sealed content (in any order), by kind and by account; saving a
    /// record again with new sealed bytes gives it a new mark.
    pub async fn stamps_mark_each_save(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        let mut saved = Vec::new();
        for day in [1, 3, 2] {
            let r = record(&a.id, "entry", day * DAY);
            store.save_record(&r).await.expect("save");
            saved.push(r);
        }
        store
            .save_record(&record(&a.id, "other", DAY))
            .await
            .expect("other kind");
        store
            .save_record(&record(&b.id, "entry", DAY))
            .await
            .expect("b");
        let mark = |r: &trellis_core::store::StoredRecord| {
            r.sealed.ciphertext()[r.sealed.ciphertext().len() - 16..].to_vec()
        };
        let stamps = store
            .record_stamps_of_kind(&a.id, "entry")
            .await
            .expect("stamps");
        let mut ids: Vec<&str> = stamps.iter().map(|s| s.id.as_str()).collect();
        let mut want: Vec<&str> = saved.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        want.sort_unstable();
        assert_eq!(ids, want);
        for s in &stamps {
            let r = saved.iter().find(|r| r.id == s.id).expect("one of a's");
            assert_eq!((s.created_day, s.mark.clone()), (r.created_day, mark(r)));
        }
        // Saved again with new sealed bytes: a new mark, the same id and day.
        let mut again = saved[0].clone();
        again.sealed = trellis_core::store::Sealed::from_database(bytes(60), bytes(200));
        store.save_record(&again).await.expect("again");
        let after = store
            .record_stamps_of_kind(&a.id, "entry")
            .await
            .expect("stamps");
        let s = after
            .iter()
            .find(|s| s.id == again.id)
            .expect("still there");
        assert_eq!(s.mark, mark(&again));
        assert_ne!(s.mark, mark(&saved[0]));
        // A record shorter than a mark is marked by all it has.
        let mut short = record(&b.id, "short", DAY);
        short.sealed = trellis_core::store::Sealed::from_database(bytes(60), vec![1, 2, 3]);
        store.save_record(&short).await.expect("short");
        let s = store
            .record_stamps_of_kind(&b.id, "short")
            .await
            .expect("short stamps");
        assert_eq!(
            s.iter().map(|s| s.mark.clone()).collect::<Vec<_>>(),
            vec![vec![1, 2, 3]]
        );
        assert!(store
            .record_stamps_of_kind(&a.id, "nothing")
            .await
            .expect("none")
            .is_empty());
        assert_eq!(
            store
                .record_stamps_of_kind(&b.id, "entry")
                .await
                .expect("b")
                .len(),
            1
        );
    }

    /// Journal (issue 4): counts (in all, and per day over a range) read the index only,
    /// by kind and by account.
    pub async fn counts_per_kind_and_account(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        for day in [5, 1, 5, 3, 5] {
            store
                .save_record(&record(&a.id, "entry", day * DAY))
                .await
                .expect("save");
        }
        store
            .save_record(&record(&a.id, "other", 5 * DAY))
            .await
            .expect("other kind");
        store
            .save_record(&record(&b.id, "entry", 2 * DAY))
            .await
            .expect("b");
        let all = |s: &Arc<dyn Store>, id: AccountId| {
            let s = Arc::clone(s);
            async move {
                s.count_records_by_day(&id, "entry", i64::MIN, i64::MAX)
                    .await
                    .expect("counts")
            }
        };
        assert_eq!(
            all(&store, a.id.clone()).await,
            vec![(5 * DAY, 3), (3 * DAY, 1), (DAY, 1)]
        );
        assert_eq!(all(&store, b.id.clone()).await, vec![(2 * DAY, 1)]);
        assert_eq!(
            store
                .count_records_by_day(&a.id, "entry", DAY, 5 * DAY)
                .await
                .expect("range"),
            vec![(3 * DAY, 1), (DAY, 1)],
            "from included, until excluded"
        );
        assert!(store
            .count_records_by_day(&a.id, "nothing", i64::MIN, i64::MAX)
            .await
            .expect("none")
            .is_empty());
        assert_eq!(
            store
                .count_records_of_kind(&a.id, "entry")
                .await
                .expect("a"),
            5
        );
        assert_eq!(
            store
                .count_records_of_kind(&b.id, "entry")
                .await
                .expect("b"),
            1
        );
        assert_eq!(
            store
                .count_records_of_kind(&a.id, "other")
                .await
                .expect("other"),
            1
        );
        assert_eq!(
            store
                .count_records_of_kind(&b.id, "other")
                .await
                .expect("none"),
            0
        );
        // The records of one kind, in batches, and the count of another, together.
        let visit = |kind: &'static str, counted: &'static str, batch_bytes: usize| {
            let store = store.clone();
            let account = a.id.clone();
            async move {
                let mut batches = Vec::new();
                let n = store
                    .visit_records_of_kind_counting(
                        &account,
                        kind,
                        counted,
                        batch_bytes,
                        &mut |batch| batches.push(batch),
                    )
                    .await
                    .expect("visit");
                (batches, n)
            }
        };
        let (batches, entries) = visit("other", "entry", 1).await;
        assert_eq!((batches.len(), batches[0].len(), entries), (1, 1, 5));
        assert_eq!(batches[0][0].account_id, a.id);
        let (batches, others) = visit("entry", "other", 1).await;
        assert_eq!(
            (batches.iter().map(Vec::len).collect::<Vec<_>>(), others),
            (vec![1; 5], 1),
            "one record per batch when each is over the budget"
        );
        let (batches, n) = visit("entry", "entry", usize::MAX).await;
        assert_eq!(
            (batches.len(), n),
            (1, 5),
            "one batch when the budget is never reached"
        );
        assert_eq!(
            batches[0],
            store
                .records_of_kind(&a.id, "entry")
                .await
                .expect("entries"),
            "in the same order"
        );
        // A range of days: the bounds, the order, one account only.
        let all = store
            .records_of_kind(&a.id, "entry")
            .await
            .expect("entries");
        let days: Vec<i64> = all.iter().map(|r| r.created_day).collect();
        let (low, high) = (
            days.iter().min().copied().expect("days"),
            days.iter().max().copied().expect("days"),
        );
        assert_eq!(
            store
                .records_of_kind_in_days(&a.id, "entry", low, high + 1)
                .await
                .expect("all days"),
            all
        );
        let inner = store
            .records_of_kind_in_days(&a.id, "entry", low + 1, high)
            .await
            .expect("inner days");
        assert_eq!(
            inner,
            all.iter()
                .filter(|r| r.created_day > low && r.created_day < high)
                .cloned()
                .collect::<Vec<_>>()
        );
        assert!(store
            .records_of_kind_in_days(&b.id, "other", i64::MIN, i64::MAX)
            .await
            .expect("none")
            .is_empty());
        let (batches, n) = visit("none", "entry", 1).await;
        assert_eq!((batches.len(), n), (0, 5), "no rows: the count still comes");
    }

    /// Journal (issue 4): several saves and deletes in one transaction, one account only.
    pub async fn write_records_saves_and_deletes_together(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        let old = record(&a.id, "entry", DAY);
        let theirs = record(&b.id, "entry", DAY);
        store.save_record(&old).await.expect("save");
        store.save_record(&theirs).await.expect("save b");
        let new1 = record(&a.id, "entry", 2 * DAY);
        let mut new2 = record(&a.id, "index", 2 * DAY);
        store
            .write_records(
                &a.id,
                &[new1.clone(), new2.clone()],
                &[old.id.clone(), theirs.id.clone()],
            )
            .await
            .expect("write");
        assert_eq!(store.record(&a.id, &old.id).await.expect("get"), None);
        assert_eq!(
            store.record(&a.id, &new1.id).await.expect("get"),
            Some(new1.clone())
        );
        assert_eq!(
            store.record(&a.id, &new2.id).await.expect("get"),
            Some(new2.clone())
        );
        assert_eq!(
            store.record(&b.id, &theirs.id).await.expect("get b"),
            Some(theirs.clone()),
            "another account's id in `delete` is ignored"
        );
        // Replacing works too; an empty call does nothing.
        new2.sealed =
            trellis_core::store::Sealed::from_database(new2.sealed.enc_cek().to_vec(), bytes(300));
        store
            .write_records(&a.id, &[new2.clone()], &[])
            .await
            .expect("replace");
        assert_eq!(
            store.record(&a.id, &new2.id).await.expect("get"),
            Some(new2.clone())
        );
        store.write_records(&a.id, &[], &[]).await.expect("nothing");

        // A record of another account is refused, and nothing of the call happens.
        let would_be = record(&a.id, "entry", 3 * DAY);
        let foreign = record(&b.id, "entry", 3 * DAY);
        let err = store
            .write_records(
                &a.id,
                &[would_be.clone(), foreign.clone()],
                std::slice::from_ref(&new1.id),
            )
            .await
            .expect_err("foreign record");
        assert!(matches!(err, StoreError::Other(_)), "{err:?}");
        assert_eq!(store.record(&a.id, &would_be.id).await.expect("get"), None);
        assert_eq!(store.record(&b.id, &foreign.id).await.expect("get"), None);
        assert_eq!(
            store.record(&a.id, &new1.id).await.expect("get"),
            Some(new1.clone())
        );

        // A write the database refuses (no such account) changes nothing.
        let ghost = AccountId::generate();
        let mut orphan = record(&ghost, "entry", DAY);
        orphan.account_id = ghost.clone();
        assert!(store
            .write_records(&ghost, &[orphan.clone()], &[])
            .await
            .is_err());
        assert_eq!(store.record(&ghost, &orphan.id).await.expect("get"), None);
        let mut kinds: Vec<String> = Vec::new();
        for kind in ["entry", "index"] {
            for r in store.records_of_kind(&a.id, kind).await.expect("list") {
                kinds.push(format!("{kind}:{}", r.id.as_str()));
            }
        }
        assert_eq!(kinds.len(), 2, "{kinds:?}");
    }

    pub async fn record_delete(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let keep = record(&a.id, "entry", DAY);
        let gone = record(&a.id, "entry", DAY);
        store.save_record(&keep).await.expect("save");
        store.save_record(&gone).await.expect("save");
        assert!(store.delete_record(&a.id, &gone.id).await.expect("delete"));
        assert!(!store
            .delete_record(&a.id, &gone.id)
            .await
            .expect("delete again"));
        assert_eq!(store.record(&a.id, &gone.id).await.expect("get"), None);
        assert_eq!(
            store.records_of_kind(&a.id, "entry").await.expect("list"),
            vec![keep]
        );
    }

    pub async fn second_account_is_isolated(store: Arc<dyn Store>) {
        let a = account(1_000);
        let b = account(1_000);
        store.create_account(&a).await.expect("create a");
        store.create_account(&b).await.expect("create b");
        let ra = record(&a.id, "entry", DAY);
        let sa = session(&a.id, 1_000);
        store.save_record(&ra).await.expect("save");
        store.create_session(&sa).await.expect("session");

        // b cannot read, list, delete or touch a's things.
        assert_eq!(store.record(&b.id, &ra.id).await.expect("get"), None);
        assert!(store
            .records_of_kind(&b.id, "entry")
            .await
            .expect("list")
            .is_empty());
        assert!(!store.delete_record(&b.id, &ra.id).await.expect("delete"));
        assert!(store.sessions_of(&b.id).await.expect("list").is_empty());
        assert!(!store
            .delete_session(&b.id, &sa.sid_hash)
            .await
            .expect("delete"));
        assert_eq!(
            store
                .delete_other_sessions(&b.id, None)
                .await
                .expect("others"),
            0
        );
        assert_eq!(
            store
                .delete_other_sessions(&b.id, Some(&bytes(32)))
                .await
                .expect("others"),
            0
        );
        store
            .touch_session(&b.id, &sa.sid_hash, 5_000, 9_000)
            .await
            .expect("touch is a no-op");

        // Saving b's record under the same id makes b's own record; a's is untouched.
        let mut rb = record(&b.id, "entry", 2 * DAY);
        rb.id = ra.id.clone();
        store.save_record(&rb).await.expect("save b");
        assert_eq!(
            store.record(&b.id, &ra.id).await.expect("get b"),
            Some(rb.clone())
        );

        // Nothing of a's changed.
        assert_eq!(
            store.record(&a.id, &ra.id).await.expect("get"),
            Some(ra.clone())
        );
        assert_eq!(
            store.records_of_kind(&a.id, "entry").await.expect("list"),
            vec![ra]
        );
        assert_eq!(
            store.session(&sa.sid_hash).await.expect("get"),
            Some(sa.clone())
        );
        assert_eq!(store.sessions_of(&a.id).await.expect("list"), vec![sa]);
        assert_eq!(
            store.records_of_kind(&b.id, "entry").await.expect("list"),
            vec![rb]
        );
    }

    fn doubling(n: u32) -> i64 {
        if n < 3 {
            0
        } else {
            1 << (n - 3)
        }
    }

    pub async fn attempts_reserve_wait_clear_and_sweep(store: Arc<dyn Store>) {
        let (here, there) = ("p:aa11", "p:bb22");
        for n in 1..=3 {
            assert_eq!(
                store
                    .reserve_attempt(here, 1_000, doubling)
                    .await
                    .expect("reserve"),
                Attempt::Granted(n)
            );
        }
        // The third set a wait of one second: refused (and not counted) until it is over.
        assert_eq!(
            store
                .reserve_attempt(here, 1_000, doubling)
                .await
                .expect("reserve"),
            Attempt::Wait(1)
        );
        assert_eq!(
            store
                .reserve_attempt(here, 1_001, doubling)
                .await
                .expect("reserve"),
            Attempt::Granted(4)
        );
        assert_eq!(
            store
                .reserve_attempt(here, 1_002, doubling)
                .await
                .expect("reserve"),
            Attempt::Wait(1)
        );
        // Another key is untouched.
        assert_eq!(
            store
                .reserve_attempt(there, 1_002, doubling)
                .await
                .expect("reserve"),
            Attempt::Granted(1)
        );
        store.clear_attempts(here).await.expect("clear");
        assert_eq!(
            store
                .reserve_attempt(here, 1_002, doubling)
                .await
                .expect("reserve"),
            Attempt::Granted(1)
        );
        // The sweep forgets counters untouched since the cut-off whose wait is over.
        assert_eq!(store.sweep_attempts(1_002, 1_002).await.expect("sweep"), 0);
        assert_eq!(store.sweep_attempts(1_003, 1_003).await.expect("sweep"), 2);
        assert_eq!(
            store
                .reserve_attempt(there, 1_004, doubling)
                .await
                .expect("reserve"),
            Attempt::Granted(1)
        );
    }

    /// Twenty at once, each with the clock standing still: exactly the free three pass.
    pub async fn attempts_in_parallel_pass_only_as_many_as_allowed(store: Arc<dyn Store>) {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let store = Arc::clone(&store);
            tasks.spawn(async move {
                store
                    .reserve_attempt("p:race", 5_000, doubling)
                    .await
                    .expect("reserve")
            });
        }
        let mut granted = BTreeSet::new();
        let mut refused = 0;
        while let Some(answer) = tasks.join_next().await {
            match answer.expect("task finished") {
                Attempt::Granted(n) => assert!(granted.insert(n), "{n} granted twice"),
                Attempt::Wait(secs) => {
                    assert!(secs >= 1);
                    refused += 1;
                }
            }
        }
        assert_eq!(granted, (1..=3).collect::<BTreeSet<u32>>());
        assert_eq!(refused, 17);
    }

    pub async fn first_account_only_once_even_at_once(store: Arc<dyn Store>) {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let store = Arc::clone(&store);
            tasks.spawn(async move { store.create_first_account(&account(1_000)).await });
        }
        let mut created = 0;
        while let Some(done) = tasks.join_next().await {
            match done.expect("task finished") {
                Ok(()) => created += 1,
                Err(StoreError::Conflict) => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(created, 1);
        assert_eq!(store.count_accounts().await.expect("count"), 1);
        // A named account may still be added where sign-up is open.
        let mut named = account(2_000);
        named.name_key = Some(bytes(32));
        store.create_account(&named).await.expect("second, named");
        assert_eq!(store.count_accounts().await.expect("count"), 2);
    }

    pub async fn accounts_by_name(store: Arc<dyn Store>) {
        let first = account(1_000);
        let mut sam = account(2_000);
        sam.name_key = Some(bytes(32));
        let mut kit = account(3_000);
        kit.name_key = Some(bytes(32));
        store.create_account(&first).await.expect("unnamed");
        store.create_account(&sam).await.expect("sam");
        store.create_account(&kit).await.expect("kit");
        let key = sam.name_key.clone().expect("named");
        assert_eq!(
            store.account_by_name(Some(&key)).await.expect("by name"),
            Some(sam.clone())
        );
        assert_eq!(
            store.account_by_name(None).await.expect("unnamed"),
            Some(first)
        );
        assert_eq!(
            store
                .account_by_name(Some(&bytes(32)))
                .await
                .expect("nobody"),
            None
        );
        let mut twin = account(4_000);
        twin.name_key = sam.name_key.clone();
        let err = store.create_account(&twin).await.expect_err("name taken");
        assert!(matches!(err, StoreError::Conflict), "got {err:?}");
    }

    pub async fn secrets_fingerprint_set_get(store: Arc<dyn Store>) {
        assert_eq!(store.secrets_fingerprint().await.expect("get"), None);
        let fp = all_byte_values();
        store.record_secrets_fingerprint(&fp).await.expect("record");
        assert_eq!(
            store.secrets_fingerprint().await.expect("get"),
            Some(fp.clone())
        );
        store
            .record_secrets_fingerprint(&fp)
            .await
            .expect("recording the same fingerprint again is fine");
        let err = store
            .record_secrets_fingerprint(&bytes(32))
            .await
            .expect_err("a different fingerprint is refused");
        assert!(matches!(err, StoreError::Conflict), "got {err:?}");
        assert_eq!(store.secrets_fingerprint().await.expect("get"), Some(fp));
    }

    pub async fn bytes_round_trip_exactly(store: Arc<dyn Store>) {
        let every = all_byte_values();
        let mut reversed = every.clone();
        reversed.reverse();
        let mut a = account(1_000);
        a.salt = every.clone();
        a.auth_verifier = reversed.clone();
        a.wrapped_udk_pw = [every.clone(), every.clone()].concat();
        a.wrapped_udk_rc = Some(vec![0; 64]);
        a.kdf_params = "argon2id$v=19$m=19456,t=2,p=1 ünïcødé ✓".to_owned();
        a.key_id = u32::MAX;
        a.pepper_version = u32::MAX;
        a.idle_minutes = u16::MAX;
        store.create_account(&a).await.expect("create");
        assert_eq!(store.account(&a.id).await.expect("get"), Some(a.clone()));

        let mut s = session(&a.id, 1_000);
        s.sid_hash = [every.clone(), vec![0, 0, 0]].concat();
        s.wrapped_udk = reversed.clone();
        s.device_label = "ein Browser auf Linux — 🌱".to_owned();
        s.abs_expires_at = i64::MAX;
        store.create_session(&s).await.expect("session");
        assert_eq!(
            store.session(&s.sid_hash).await.expect("get"),
            Some(s.clone())
        );

        let mut r = record(&a.id, "entry", -DAY);
        r.sealed = trellis_core::store::Sealed::from_database(
            every.clone(),
            (0..256 * 1024).map(|i| (i % 256) as u8).collect(),
        );
        r.schema_version = u16::MAX;
        r.key_id = u32::MAX;
        r.updated_day = i64::MAX;
        store.save_record(&r).await.expect("save");
        assert_eq!(
            store.record(&a.id, &r.id).await.expect("get"),
            Some(r.clone())
        );

        let mut empty = record(&a.id, "entry", 0);
        empty.sealed = trellis_core::store::Sealed::from_database(Vec::new(), Vec::new());
        store.save_record(&empty).await.expect("save empty");
        assert_eq!(
            store.record(&a.id, &empty.id).await.expect("get"),
            Some(empty)
        );
    }
    // --- Together ---

    pub async fn public_keys_are_kept_once(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        assert_eq!(store.public_key(&a.id).await.expect("get"), None);
        assert!(store.set_public_key(&a.id, &[7; 32]).await.expect("set"));
        assert!(
            !store
                .set_public_key(&a.id, &[8; 32])
                .await
                .expect("set again"),
            "a key is never replaced"
        );
        assert_eq!(store.public_key(&a.id).await.expect("get"), Some([7; 32]));
        assert!(
            store
                .set_public_key(&AccountId::generate(), &[9; 32])
                .await
                .is_err(),
            "only for an account that exists"
        );
    }

    pub async fn invitations_are_used_once_and_end(store: Arc<dyn Store>) {
        let (a, b, c) = (account(1_000), account(1_001), account(1_002));
        for x in [&a, &b, &c] {
            store.create_account(x).await.expect("create");
        }
        let (older, code, late) = (bytes(32), bytes(32), bytes(32));
        let invite = |hash: &Vec<u8>, who: &trellis_core::store::AccountRecord, ends: i64| {
            let (store, hash, who) = (Arc::clone(&store), hash.clone(), who.id.clone());
            async move {
                store
                    .create_invitation(&hash, &who, 1_000, ends)
                    .await
                    .expect("invite")
            }
        };
        invite(&older, &a, 1_000 + DAY).await;
        invite(&code, &a, 1_000 + DAY).await;
        invite(&late, &b, 1_000 + DAY).await;
        assert_eq!(
            store.invitation_maker(&older, 2_000).await.expect("peek"),
            None,
            "a newer invitation replaces an older one"
        );
        assert_eq!(
            store
                .take_invitation(&bytes(32), None, 2_000)
                .await
                .expect("guess"),
            None,
            "a guessed code is nothing"
        );
        assert_eq!(
            store.invitation_maker(&code, 2_000).await.expect("peek"),
            Some(a.id.clone())
        );
        assert_eq!(
            store
                .invitation_maker(&code, 1_000 + DAY)
                .await
                .expect("peek late"),
            None,
            "not after it ends"
        );
        assert_eq!(
            store
                .take_invitation(&code, None, 2_000)
                .await
                .expect("take"),
            Some(a.id.clone())
        );
        assert_eq!(
            store
                .take_invitation(&code, None, 2_000)
                .await
                .expect("again"),
            None,
            "one use"
        );
        assert_eq!(
            store.invitation_maker(&code, 2_000).await.expect("peek"),
            None,
            "used"
        );
        assert_eq!(
            store
                .take_invitation(&late, None, 1_000 + DAY)
                .await
                .expect("late"),
            None,
            "ended at its time"
        );
        assert_eq!(
            store
                .take_invitation(&late, None, 2_000)
                .await
                .expect("after"),
            None,
            "an ended code is gone even if the clock goes back"
        );
        // Twenty takes of one code at once: exactly one gets it.
        let shared = bytes(32);
        invite(&shared, &a, 1_000 + DAY).await;
        let takes = (0..20).map(|_| {
            let store = Arc::clone(&store);
            let shared = shared.clone();
            tokio::spawn(async move { store.take_invitation(&shared, None, 2_000).await })
        });
        let mut got = 0;
        for t in takes {
            if t.await.expect("join").expect("take").is_some() {
                got += 1;
            }
        }
        assert_eq!(got, 1, "one of twenty");
        invite(&bytes(32), &a, 1_500).await;
        invite(&bytes(32), &b, 9_000).await;
        assert_eq!(
            store
                .delete_expired_invitations(2_000)
                .await
                .expect("sweep"),
            1
        );
        assert_eq!(store.delete_invitations_of(&a.id).await.expect("a's"), 0);
        assert_eq!(store.delete_invitations_of(&b.id).await.expect("b's"), 1);
    }

    pub async fn a_claimed_invitation_belongs_to_one_setup(store: Arc<dyn Store>) {
        let a = account(1_000);
        store.create_account(&a).await.expect("create");
        let code = bytes(32);
        store
            .create_invitation(&code, &a.id, 1_000, 1_000 + DAY)
            .await
            .expect("invite");
        // Twenty set-ups claim one code at once: one holds it (a page's own double submit
        // claims it again).
        let claims = (0..20).map(|i| {
            let (store, code) = (Arc::clone(&store), code.clone());
            tokio::spawn(async move {
                let claimer = format!("setup-{i}");
                (
                    store.claim_invitation(&code, &claimer, 2_000).await,
                    claimer,
                )
            })
        });
        let mut holders = Vec::new();
        for c in claims {
            let (got, claimer) = c.await.expect("join");
            if got.expect("claim").is_some() {
                holders.push(claimer);
            }
        }
        assert_eq!(holders.len(), 1, "one of twenty");
        let holder = holders.pop().expect("one");
        assert_eq!(
            store
                .claim_invitation(&code, &holder, 2_000)
                .await
                .expect("again"),
            Some(a.id.clone()),
            "the same set-up again"
        );
        assert_eq!(
            store
                .take_invitation(&code, None, 2_000)
                .await
                .expect("take"),
            None,
            "an existing account cannot take a claimed code"
        );
        assert_eq!(
            store
                .take_invitation(&code, Some("someone"), 2_000)
                .await
                .expect("take"),
            None,
            "nor another set-up"
        );
        assert_eq!(
            store
                .release_invitation(&code, "someone", true)
                .await
                .expect("release"),
            0,
            "only the holder lets go"
        );
        assert_eq!(
            store
                .release_invitation(&code, &holder, true)
                .await
                .expect("release"),
            1,
            "a taken name is counted"
        );
        assert_eq!(
            store
                .release_invitation(&code, &holder, false)
                .await
                .expect("release"),
            0,
            "no longer held"
        );
        assert_eq!(
            store
                .claim_invitation(&code, "next", 2_000)
                .await
                .expect("claim"),
            Some(a.id.clone()),
            "free again"
        );
        assert_eq!(
            store
                .release_invitation(&code, "next", false)
                .await
                .expect("release"),
            1,
            "other failures are not counted"
        );
        assert_eq!(
            store
                .claim_invitation(&code, "late", 1_000 + DAY)
                .await
                .expect("claim"),
            None,
            "not after it ends"
        );
        store
            .claim_invitation(&code, "last", 2_000)
            .await
            .expect("claim");
        assert_eq!(
            store
                .take_invitation(&code, Some("last"), 2_000)
                .await
                .expect("take"),
            Some(a.id.clone()),
            "the holder uses it"
        );
        assert_eq!(
            store.invitation_maker(&code, 2_000).await.expect("peek"),
            None
        );
    }

    fn share(owner: &AccountId, partner: &AccountId, item: &str, at: i64) -> ShareRecord {
        ShareRecord {
            owner: owner.clone(),
            partner: partner.clone(),
            item: item.to_owned(),
            sealed: Sealed::from_database(bytes(40), bytes(80)),
            shared_at: at,
        }
    }

    pub async fn shares_and_pauses_belong_to_the_link(store: Arc<dyn Store>) {
        let (a, b, c) = (account(1_000), account(1_001), account(1_002));
        for x in [&a, &b, &c] {
            store.create_account(x).await.expect("create");
        }
        let (a, b, c) = (a.id, b.id, c.id);
        assert!(
            !store.put_share(&share(&a, &b, "x", 10)).await.expect("put"),
            "nothing is shared before a link"
        );
        assert_eq!(store.start_pause(&a, 10).await.expect("pause"), None);
        assert!(store.link(&a, &b, 5).await.expect("link"));
        assert!(store.put_share(&share(&a, &b, "x", 10)).await.expect("put"));
        assert!(
            !store.put_share(&share(&a, &c, "y", 10)).await.expect("put"),
            "only with one's own partner"
        );
        let newer = share(&a, &b, "x", 20);
        assert!(store.put_share(&newer).await.expect("again"));
        assert_eq!(
            store.shares_by(&a).await.expect("mine"),
            vec![newer.clone()]
        );
        assert_eq!(store.shares_for(&b).await.expect("theirs"), vec![newer]);
        assert!(store.shares_for(&c).await.expect("c").is_empty());
        assert!(store.shares_for(&a).await.expect("a").is_empty());
        let mut changed = share(&a, &b, "x", 25);
        changed.sealed = Sealed::from_database(bytes(41), bytes(81));
        assert!(store.update_share(&changed).await.expect("update"));
        assert_eq!(store.shares_for(&b).await.expect("theirs"), vec![changed]);
        assert!(
            !store
                .update_share(&share(&a, &b, "never-shared", 25))
                .await
                .expect("update"),
            "an update never makes a share"
        );
        assert!(store.delete_share(&a, "x").await.expect("revoke"));
        assert!(!store.delete_share(&a, "x").await.expect("again"));
        assert!(
            !store
                .update_share(&share(&a, &b, "x", 26))
                .await
                .expect("late update"),
            "a stopped share stays stopped"
        );
        assert!(store.shares_for(&b).await.expect("gone").is_empty());
        // A pause shows on the partner's side; pressing twice keeps the first time.
        assert_eq!(
            store.start_pause(&a, 100).await.expect("pause"),
            Some((b.clone(), 100))
        );
        assert_eq!(
            store.start_pause(&a, 200).await.expect("again"),
            Some((b.clone(), 100))
        );
        assert_eq!(
            store.together_signals(&b).await.expect("b"),
            TogetherSignals {
                linked: true,
                my_pause: None,
                partner_pause: Some(100)
            }
        );
        assert_eq!(
            store.together_signals(&a).await.expect("a"),
            TogetherSignals {
                linked: true,
                my_pause: Some(100),
                partner_pause: None
            }
        );
        assert_eq!(
            store.together_signals(&c).await.expect("c"),
            TogetherSignals::default()
        );
        assert_eq!(store.end_pause(&a).await.expect("end"), Some(b.clone()));
        assert_eq!(store.end_pause(&a).await.expect("again"), None);
        // Ending the link ends everything either shared, and any pause.
        store.put_share(&share(&a, &b, "x", 30)).await.expect("put");
        store.put_share(&share(&b, &a, "z", 30)).await.expect("put");
        store.start_pause(&b, 30).await.expect("pause");
        assert!(store.unlink(&b).await.expect("unlink"));
        for x in [&a, &b] {
            assert!(store.shares_by(x).await.expect("by").is_empty());
            assert!(store.shares_for(x).await.expect("for").is_empty());
            assert_eq!(
                store.together_signals(x).await.expect("s"),
                TogetherSignals::default()
            );
        }
        // A share written while the link ends never outlives it.
        for round in 0..10 {
            assert!(store.link(&a, &b, 40).await.expect("link"));
            let put = share(&a, &b, "x", 40 + round);
            let (shared, unlinked) = tokio::join!(store.put_share(&put), store.unlink(&a));
            shared.expect("put");
            assert!(unlinked.expect("unlink"));
            assert!(
                store.shares_by(&a).await.expect("by").is_empty(),
                "round {round}: a share outlived the link"
            );
        }
    }

    pub async fn match_tags_reveal_only_what_both_hold(store: Arc<dyn Store>) {
        let (a, b, c) = (account(1_000), account(1_001), account(1_002));
        for x in [&a, &b, &c] {
            store.create_account(x).await.expect("create");
        }
        let (a, b, c) = (a.id, b.id, c.id);
        assert!(
            !store.set_match_tags(&a, &b, &[[1; 16]]).await.expect("set"),
            "nothing before a link"
        );
        store.link(&a, &b, 5).await.expect("link");
        assert!(store
            .set_match_tags(&a, &b, &[[1; 16], [2; 16], [3; 16]])
            .await
            .expect("a"));
        assert!(store
            .set_match_tags(&b, &a, &[[2; 16], [3; 16], [4; 16]])
            .await
            .expect("b"));
        assert!(
            !store.set_match_tags(&c, &a, &[[2; 16]]).await.expect("c"),
            "not c's partner"
        );
        assert_eq!(
            store.matching_tags(&a).await.expect("a"),
            vec![vec![2; 16], vec![3; 16]]
        );
        assert_eq!(
            store.matching_tags(&b).await.expect("b"),
            vec![vec![2; 16], vec![3; 16]]
        );
        assert!(store.matching_tags(&c).await.expect("c").is_empty());
        // Withdrawn: the match is gone at once, for both.
        assert!(store.set_match_tags(&b, &a, &[[3; 16]]).await.expect("b"));
        assert_eq!(store.matching_tags(&a).await.expect("a"), vec![vec![3; 16]]);
        store.unlink(&a).await.expect("unlink");
        store.link(&a, &c, 6).await.expect("link");
        assert!(store.set_match_tags(&c, &a, &[[3; 16]]).await.expect("c"));
        assert!(
            store.matching_tags(&a).await.expect("a").is_empty(),
            "ending a link deleted its tags"
        );
    }

    pub async fn links_pair_two_accounts_once_and_end_on_both_sides(store: Arc<dyn Store>) {
        let (a, b, c) = (account(1_000), account(1_001), account(1_002));
        for x in [&a, &b, &c] {
            store.create_account(x).await.expect("create");
        }
        assert_eq!(store.partner(&a.id).await.expect("none"), None);
        for x in [&a, &b] {
            store
                .create_invitation(&bytes(32), &x.id, 1_000, 9_000)
                .await
                .expect("invite");
        }
        assert!(store.link(&a.id, &b.id, 5_000).await.expect("link"));
        for x in [&a, &b] {
            assert_eq!(
                store.delete_invitations_of(&x.id).await.expect("none"),
                0,
                "linking ends both sides' invitations"
            );
        }
        assert_eq!(
            store.partner(&a.id).await.expect("a"),
            Some((b.id.clone(), 5_000))
        );
        assert_eq!(
            store.partner(&b.id).await.expect("b"),
            Some((a.id.clone(), 5_000))
        );
        assert!(
            !store.link(&c.id, &b.id, 6_000).await.expect("taken"),
            "b already has a partner"
        );
        assert_eq!(
            store.partner(&c.id).await.expect("c"),
            None,
            "a refused link leaves nothing half-made"
        );
        assert!(store.unlink(&b.id).await.expect("unlink"));
        assert_eq!(store.partner(&a.id).await.expect("a"), None);
        assert_eq!(store.partner(&b.id).await.expect("b"), None);
        assert!(!store.unlink(&a.id).await.expect("again"));
        // Two links at once for one account: one wins, nothing half-made.
        let (first, second) = tokio::join!(
            store.link(&a.id, &b.id, 7_000),
            store.link(&a.id, &c.id, 7_000)
        );
        assert_eq!(
            [first.expect("first"), second.expect("second")]
                .iter()
                .filter(|x| **x)
                .count(),
            1
        );
        let (pa, pb, pc) = (
            store.partner(&a.id).await.expect("a"),
            store.partner(&b.id).await.expect("b"),
            store.partner(&c.id).await.expect("c"),
        );
        let partner_of_a = pa.expect("a is linked").0;
        assert!(
            (partner_of_a == b.id && pb.is_some() && pc.is_none())
                || (partner_of_a == c.id && pc.is_some() && pb.is_none())
        );
        // Deleting an account ends its link and its invitations.
        store
            .create_invitation(&bytes(32), &partner_of_a, 1_000, 9_000)
            .await
            .expect("invite");
        store
            .set_public_key(&partner_of_a, &[3; 32])
            .await
            .expect("key");
        store.delete_account(&partner_of_a).await.expect("delete");
        assert_eq!(store.partner(&a.id).await.expect("a"), None);
        assert_eq!(
            store
                .delete_invitations_of(&partner_of_a)
                .await
                .expect("gone"),
            0
        );
        assert_eq!(store.public_key(&partner_of_a).await.expect("gone"), None);
    }
}

/// Instantiates every case once per backend: `sqlite::NAME` and `postgres::NAME`.
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let h = crate::harness::sqlite().await;
                    crate::cases::$name(std::sync::Arc::clone(&h.store)).await;
                }
            )*
        }
        mod cached_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let h = crate::harness::cached_sqlite().await;
                    crate::cases::$name(std::sync::Arc::clone(&h.store)).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(h) = crate::harness::postgres(stringify!($name)).await else {
                        return;
                    };
                    crate::cases::$name(std::sync::Arc::clone(&h.store)).await;
                    h.finish().await;
                }
            )*
        }
    };
}

conformance!(
    fresh_store_is_empty_and_healthy,
    account_create_get_and_first,
    account_without_recovery_wrap,
    account_conflict,
    account_update_keys,
    account_idle_minutes,
    account_delete_cascades,
    children_need_an_existing_account,
    sessions_create_get_touch_delete,
    sessions_of_newest_first,
    delete_other_sessions_keeps_one,
    delete_expired_sessions_idle_and_absolute,
    records_save_insert_then_replace,
    records_of_kind_ordering,
    records_of_account_reads_every_kind,
    records_of_kind_page_walks_in_order,
    counts_per_kind_and_account,
    stamps_mark_each_save,
    add_records_only_adds,
    signup_codes_are_used_once,
    accounts_seen_since_a_day,
    write_records_saves_and_deletes_together,
    record_delete,
    second_account_is_isolated,
    attempts_reserve_wait_clear_and_sweep,
    attempts_in_parallel_pass_only_as_many_as_allowed,
    first_account_only_once_even_at_once,
    accounts_by_name,
    secrets_fingerprint_set_get,
    bytes_round_trip_exactly,
    public_keys_are_kept_once,
    invitations_are_used_once_and_end,
    a_claimed_invitation_belongs_to_one_setup,
    shares_and_pauses_belong_to_the_link,
    match_tags_reveal_only_what_both_hold,
    links_pair_two_accounts_once_and_end_on_both_sides,
);
