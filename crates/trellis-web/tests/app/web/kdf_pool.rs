//! A burst of unlocks never runs more key derivations than the pool allows: the excess is
//! turned away at once as "busy" (503 over HTTP), so memory stays within
//! concurrency × Argon2 memory instead of growing with the burst.

use std::sync::Arc;

use trellis_core::clock::ManualClock;
use trellis_core::{Policy, Requester, ServiceError, Trellis, UnlockError};
use trellis_store::SqliteStore;
use trellis_vault::{KdfParams, Pepper, ServerSecret};

use super::harness::PASS;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_unlocks_is_bounded_and_the_rest_are_told_to_wait() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("t.db"))
        .await
        .expect("store");
    let policy = Policy {
        kdf: KdfParams::FLOOR,
        kdf_concurrency: 1,
        kdf_queue: 2,
        ..Policy::default()
    };
    let trellis = Arc::new(
        Trellis::new(
            Arc::new(store),
            Pepper::from_bytes(&[7; 32], 1).expect("pepper"),
            ServerSecret::from_bytes(&[9; 32]).expect("secret"),
            policy,
            Arc::new(ManualClock::starting_at(1_800_000_000)),
        )
        .expect("policy"),
    );
    trellis
        .set_up(PASS, PASS, false, &Requester::default())
        .await
        .expect("set up");

    let burst: Vec<_> = (0..40)
        .map(|i| {
            let t = trellis.clone();
            // Each from its own address, so the per-address limit does not answer first.
            let from = Requester {
                address: Some(format!("192.0.2.{i}")),
                ..Requester::default()
            };
            tokio::spawn(async move { t.unlock(PASS, &from).await })
        })
        .collect();
    let (mut ok, mut busy) = (0, 0);
    for handle in burst {
        match handle.await.expect("task") {
            Ok(_) => ok += 1,
            Err(UnlockError::Service(ServiceError::Busy)) => busy += 1,
            Err(other) => panic!("unexpected unlock result: {other:?}"),
        }
    }
    assert!(ok >= 1, "some unlocks go through");
    assert!(
        busy >= 1,
        "the excess is turned away as busy, not queued without bound"
    );
    assert_eq!(ok + busy, 40);

    // Once the burst is over, unlocking works again: busy is never a lockout.
    trellis
        .unlock(PASS, &Requester::default())
        .await
        .expect("unlock after the burst");
}
