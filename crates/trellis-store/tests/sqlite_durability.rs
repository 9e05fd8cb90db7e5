//! SQLite-only behaviour: what is saved survives closing and reopening the file, and a
//! database that cannot be written reports `Unavailable` while staying readable.

use std::path::Path;

use trellis_core::ids::{AccountId, RecordId};
use trellis_core::store::{AccountRecord, Sealed, Store, StoreError, StoredRecord};
use trellis_store::SqliteStore;

fn account() -> AccountRecord {
    AccountRecord {
        id: AccountId::generate(),
        created_at: 1_000,
        kdf_params: "argon2id$v=19$m=262144,t=3,p=1".to_owned(),
        salt: vec![1; 16],
        auth_verifier: vec![2; 32],
        wrapped_udk_pw: vec![3; 72],
        wrapped_udk_rc: None,
        key_id: 1,
        pepper_version: 1,
        idle_minutes: 10,
        name_key: None,
    }
}

fn record(account: &AccountId) -> StoredRecord {
    StoredRecord {
        account_id: account.clone(),
        id: RecordId::generate(),
        kind: "entry".to_owned(),
        schema_version: 1,
        key_id: 1,
        sealed: Sealed::from_database(vec![4; 60], (0..=255u8).collect()),
        created_day: 86_400,
        updated_day: 86_400,
    }
}

/// Creates a database at `path` holding one account and one record.
async fn seed(path: &Path) -> (AccountRecord, StoredRecord) {
    let store = SqliteStore::open(path).await.expect("open");
    let a = account();
    let r = record(&a.id);
    store.create_account(&a).await.expect("create account");
    store.save_record(&r).await.expect("save record");
    store.close().await;
    drop(store);
    // sqlx may finish closing the last connection just after `close` returns; give it a
    // moment (the log goes away when the last connection closes alone; when two close at
    // once it stays, which is harmless) so no connection of this process is left open.
    let wal = path.with_extension("db-wal");
    for _ in 0..20 {
        if !wal.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    (a, r)
}

fn assert_unavailable(result: Result<(), StoreError>) {
    match result {
        Err(StoreError::Unavailable(why)) => assert!(!why.is_empty()),
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn saved_record_survives_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("trellis.db");
    let (a, r) = seed(&path).await;

    let store = SqliteStore::open(&path).await.expect("reopen");
    assert_eq!(store.path(), Some(path.as_path()));
    assert_eq!(
        store.account(&a.id).await.expect("account"),
        Some(a.clone())
    );
    assert_eq!(store.record(&a.id, &r.id).await.expect("record"), Some(r));
    assert!(store.check_integrity().await.expect("integrity").is_empty());
    assert!(store.migration_status().await.expect("status").is_empty());
    assert!(store.checkpoint().await.expect("checkpoint"));
}

#[tokio::test]
async fn read_only_database_refuses_writes_and_stays_readable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("trellis.db");
    let (a, r) = seed(&path).await;

    let store = SqliteStore::open_read_only(&path)
        .await
        .expect("open read-only");
    let mut changed = r.clone();
    changed.sealed = Sealed::from_database(vec![4; 60], vec![9; 10]);
    assert_unavailable(store.save_record(&changed).await);
    assert_unavailable(store.save_record(&record(&a.id)).await);
    assert_unavailable(store.create_account(&account()).await);
    assert_eq!(
        store.record(&a.id, &r.id).await.expect("still readable"),
        Some(r.clone())
    );
    store.close().await;

    // Nothing was changed underneath.
    let store = SqliteStore::open(&path).await.expect("reopen read-write");
    assert_eq!(store.record(&a.id, &r.id).await.expect("record"), Some(r));
    assert_eq!(store.count_accounts().await.expect("count"), 1);
}

/// Whether file modes stop this process from writing (not for root).
#[cfg(unix)]
fn modes_are_enforced(path: &Path) -> bool {
    std::fs::OpenOptions::new().append(true).open(path).is_err()
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(unix)]
#[tokio::test]
async fn read_only_file_refuses_writes_and_stays_readable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("trellis.db");
    let (a, r) = seed(&path).await;
    chmod(&path, 0o444);
    if !modes_are_enforced(&path) {
        chmod(&path, 0o600);
        eprintln!("file modes are not enforced for this user (root?): see the mode=ro test");
        return;
    }

    // Up to date, so it opens without writing; reads work, writes are refused.
    let store = SqliteStore::open(&path)
        .await
        .expect("open a read-only file");
    let saved = store.save_record(&record(&a.id)).await;
    let read = store.record(&a.id, &r.id).await;
    store.close().await;
    chmod(&path, 0o600);
    assert_unavailable(saved);
    assert_eq!(read.expect("still readable"), Some(r));
}

#[cfg(unix)]
#[tokio::test]
async fn read_only_file_and_directory_refuse_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("trellis.db");
    let (a, r) = seed(&path).await;
    chmod(&path, 0o444);
    chmod(dir.path(), 0o555);
    let restore = || {
        chmod(dir.path(), 0o755);
        chmod(&path, 0o600);
    };
    if !modes_are_enforced(&path) {
        restore();
        eprintln!("file modes are not enforced for this user (root?): see the mode=ro test");
        return;
    }

    // With no room for the write-ahead log's index, SQLite cannot even read a WAL-mode
    // file, so opening is refused; either way the answer must be Unavailable.
    let outcome = match SqliteStore::open(&path).await {
        Ok(store) => {
            let saved = store.save_record(&record(&a.id)).await;
            store.close().await;
            saved
        }
        Err(e) => Err(e),
    };
    restore();
    assert_unavailable(outcome);

    // The data is intact once the file can be written again.
    let store = SqliteStore::open(&path).await.expect("reopen");
    assert_eq!(store.record(&a.id, &r.id).await.expect("record"), Some(r));
    assert_eq!(store.count_accounts().await.expect("count"), 1);
}
