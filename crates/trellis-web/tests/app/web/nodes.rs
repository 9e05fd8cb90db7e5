//! Hosted (issue 13): two nodes on one PostgreSQL. A session made on one is valid on the
//! other, a lock on one ends it on both, unlock throttling counts attempts at either, and a
//! pause pressed at one reaches the partner's page open at the other.

use std::sync::Arc;

use trellis_store::PgStore;

use super::harness::{
    policy, serve, service_with, Client, Db, Stream, TestApp, NEW_PASS, PASS, SECRET,
};

#[tokio::test]
async fn two_nodes_share_sessions_locks_and_throttling() {
    let Some(app) = TestApp::postgres("two_nodes").await else {
        return;
    };
    let Db::Postgres { url, schema, .. } = &app.db else {
        panic!("a PostgreSQL app")
    };
    let (base_b, server_b, store_b) = second_node(&app, url, schema).await;

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

/// A second node on the app's database: its own connections, the same secrets and clock, and
/// (as `trellis serve` does) listening for the other nodes' events.
async fn second_node(
    app: &TestApp,
    url: &str,
    schema: &str,
) -> (String, tokio::task::JoinHandle<()>, PgStore) {
    let store_b = PgStore::connect_with_schema(url, schema)
        .await
        .expect("node b");
    let node_b = service_with(Arc::new(store_b.clone()), &SECRET, &app.clock, policy());
    let hears = node_b.clone();
    store_b
        .forward_events(move |account, event| hears.deliver_heard(account, event))
        .await
        .expect("listen for events");
    let (base_b, server_b) = serve(node_b).await;
    (base_b, server_b, store_b)
}

#[tokio::test]
async fn a_pause_pressed_at_one_node_reaches_the_partner_at_the_other() {
    let Some(app) = TestApp::postgres("pause_nodes").await else {
        return;
    };
    let Db::Postgres { url, schema, .. } = &app.db else {
        panic!("a PostgreSQL app")
    };
    let (base_b, server_b, store_b) = second_node(&app, url, schema).await;
    // Linked on node A; the pause signal shared.
    let (mut a, mut partner) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let code = crate::together::shown_code(&a.post("/together/invite", &[]).await.body);
    partner
        .post("/together/accept", &[("code", &code)])
        .await
        .assert_redirect("/together#link");
    a.post(
        "/together/signal",
        &[
            ("meaning", "check-in"),
            ("own_words", "A moment, please."),
            ("share", "on"),
        ],
    )
    .await
    .assert_redirect("/together?saved#signal");

    // The partner's page is open at node B; the pause is pressed at node A.
    let mut at_b = Client::new(&base_b);
    at_b.jar = partner.jar.clone();
    let mut theirs = Stream::open(&base_b, &at_b).await;
    assert_eq!(theirs.next().await.0, "calm", "where things stand, first");
    a.post("/pause", &[]).await.assert_redirect("/pause");
    let (event, data) = theirs.next().await;
    assert_eq!(event, "pause", "heard at the other node");
    assert_eq!(data["card"], "A moment, please.");
    a.post("/pause/end", &[])
        .await
        .assert_redirect("/together?ready");
    let (event, data) = theirs.next().await;
    assert_eq!(
        (event.as_str(), data["why"].as_str()),
        ("calm", Some("resume"))
    );

    drop(theirs);
    server_b.abort();
    store_b.close().await;
    app.finish().await;
}
