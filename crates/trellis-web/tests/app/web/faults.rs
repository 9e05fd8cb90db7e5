//! Faults on our side: a database that refuses writes (read-only file, full disk) gives the
//! person a calm page, and everything saved before is still there afterwards.

use std::sync::Arc;

use trellis_core::clock::ManualClock;
use trellis_store::SqliteStore;

use super::harness::{serve, service, Client, PASS};

#[tokio::test]
async fn a_read_only_database_gives_a_calm_page_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("trellis.db");
    let clock = ManualClock::starting_at(1_800_000_000);

    // A normal start: set up, choose a name.
    {
        let store = SqliteStore::open(&path).await.expect("open");
        let (base, server) = serve(service(Arc::new(store.clone()), &[9; 32], &clock)).await;
        let mut c = Client::new(&base);
        c.setup(PASS, false).await.assert_redirect("/");
        c.post("/settings/name", &[("display_name", "Sam")])
            .await
            .assert_redirect("/settings");
        server.abort();
        store.close().await;
    }

    // The same file, now refusing writes (as when the disk is full or read-only).
    {
        let store = SqliteStore::open_read_only(&path)
            .await
            .expect("open read-only");
        let (base, server) = serve(service(Arc::new(store.clone()), &[9; 32], &clock)).await;
        let mut c = Client::new(&base);
        // Unlocking needs to write a session row: it cannot, and says so calmly.
        c.get("/unlock").await.assert_status(200);
        let r = c.unlock(PASS).await;
        r.assert_status(503);
        r.assert_calm_page("Nothing that was saved before has been lost");
        server.abort();
        store.close().await;
    }

    // Writable again: everything is still there.
    let store = SqliteStore::open(&path).await.expect("reopen");
    let (base, server) = serve(service(Arc::new(store.clone()), &[9; 32], &clock)).await;
    let mut c = Client::new(&base);
    c.unlock_ok(PASS).await;
    let r = c.get("/settings").await;
    r.assert_status(200);
    assert_eq!(r.input_value("display_name").as_deref(), Some("Sam"));
    server.abort();
}

/// `/ready` says whether this node can reach its database (a load balancer sends people
/// elsewhere when it cannot); `/health` only says the process answers.
#[tokio::test]
async fn ready_follows_the_database_and_health_the_process() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = ManualClock::starting_at(1_800_000_000);
    let store = SqliteStore::open(&dir.path().join("trellis.db"))
        .await
        .expect("open");
    let (base, server) = serve(service(Arc::new(store.clone()), &[9; 32], &clock)).await;
    let mut c = Client::new(&base);
    let r = c.get("/ready").await;
    r.assert_status(200);
    assert_eq!(r.body, "ready");
    store.close().await;
    let r = c.get("/ready").await;
    r.assert_status(503);
    assert_eq!(r.body, "not ready");
    c.get("/health").await.assert_status(200);
    server.abort();
}
