//! Hosted (issue 13): two nodes on one PostgreSQL. A session made on one is valid on the
//! other, a lock on one ends it on both, and unlock throttling counts attempts at either.

use std::sync::Arc;

use trellis_store::PgStore;

use super::harness::{policy, serve, service_with, Client, Db, TestApp, PASS, SECRET};

#[tokio::test]
async fn two_nodes_share_sessions_locks_and_throttling() {
    let Some(app) = TestApp::postgres("two_nodes").await else {
        return;
    };
    let Db::Postgres { url, schema, .. } = &app.db else {
        panic!("a PostgreSQL app")
    };
    // A second node: its own connections to the same database, the same secrets and clock.
    let store_b = PgStore::connect_with_schema(url, schema)
        .await
        .expect("node b");
    let node_b = service_with(Arc::new(store_b.clone()), &SECRET, &app.clock, policy());
    let (base_b, server_b) = serve(node_b).await;

    // Set up on node A; the same browser, sent to node B, is unlocked there too.
    let mut a = app.set_up().await;
    let mut b = Client::new(&base_b);
    b.jar = a.jar.clone();
    let home = b.get("/").await;
    home.assert_status(200);
    assert!(
        home.body.contains("action=\"/lock\""),
        "unlocked on node B: {}",
        home.snippet()
    );

    // Locked on node B: node A no longer knows the session.
    b.post("/lock", &[]).await.assert_status(303);
    a.get("/today").await.assert_redirect("/unlock");

    // Wrong passphrases, alternating nodes: five are free in all, not five on each; the
    // sixth is asked to wait, whichever node it reaches.
    let mut fresh_a = Client::new(&app.base);
    let mut fresh_b = Client::new(&base_b);
    fresh_a.get("/unlock").await;
    fresh_b.get("/unlock").await;
    for i in 0..5 {
        let c = if i % 2 == 0 {
            &mut fresh_a
        } else {
            &mut fresh_b
        };
        c.unlock("not the passphrase at all, sorry")
            .await
            .assert_status(401);
    }
    fresh_b
        .unlock("not the passphrase at all, sorry")
        .await
        .assert_status(429);
    fresh_a.unlock(PASS).await.assert_status(429);

    server_b.abort();
    store_b.close().await;
    app.finish().await;
}
