//! PostgreSQL-only behaviour: a database that only allows reading still opens (its schema is
//! up to date), reads work, and every write reports `StoreError::Unavailable`.

mod common;

use sqlx::postgres::PgConnectOptions;
use trellis_core::ids::{AccountId, RecordId};
use trellis_core::store::{AccountRecord, Sealed, Store, StoreError, StoredRecord};
use trellis_store::PgStore;

#[tokio::test]
async fn read_only_database_refuses_writes_and_stays_readable() {
    let Some(h) = common::postgres("read_only").await else {
        return;
    };
    let a = AccountRecord {
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
    };
    let r = StoredRecord {
        account_id: a.id.clone(),
        id: RecordId::generate(),
        kind: "entry".to_owned(),
        schema_version: 1,
        key_id: 1,
        sealed: Sealed::from_database(vec![4; 60], (0..=255u8).collect()),
        created_day: 0,
        updated_day: 0,
    };
    h.store.create_account(&a).await.expect("create account");
    h.store.save_record(&r).await.expect("save record");

    let options: PgConnectOptions = h.url.parse().expect("parse the test url");
    let read_only = PgStore::connect_with(
        options.options([("default_transaction_read_only", "on")]),
        Some(&h.schema),
    )
    .await
    .expect("an up-to-date read-only database still opens");

    let mut changed = r.clone();
    changed.sealed = Sealed::from_database(vec![4; 60], vec![9; 10]);
    match read_only.save_record(&changed).await {
        Err(StoreError::Unavailable(why)) => assert_eq!(why, "the database is read-only"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(matches!(
        read_only.reserve_attempt("p:read-only", 5, |_| 0).await,
        Err(StoreError::Unavailable(_))
    ));
    assert_eq!(
        read_only.record(&a.id, &r.id).await.expect("readable"),
        Some(r.clone())
    );
    let problems = read_only.check_integrity().await.expect("integrity");
    assert_eq!(
        problems,
        vec!["the database server only allows reading".to_owned()]
    );
    read_only.close().await;

    assert_eq!(h.store.record(&a.id, &r.id).await.expect("record"), Some(r));
    h.finish().await;
}
