//! Every way a session ends leaves no recoverable key material in the database files: a copy
//! of the data directory taken right after, plus the old cookie, opens nothing (issue: idle
//! auto-lock left the wrapped key in the write-ahead log).

use std::sync::Arc;

use trellis_core::SessionProblem;
use trellis_store::SqliteStore;

use super::harness::{
    count, service, sid_hash, sqlite_files, Client, Db, TestApp, NEW_PASS, PASS, SECRET,
};

/// The session's wrapped data key as stored, before it ends.
async fn wrapped_key(app: &TestApp, cookie: &str) -> Vec<u8> {
    app.session_row(cookie)
        .await
        .expect("the session is live")
        .wrapped_udk
}

/// Copies the data directory as it is now, then proves: the wrapped key's bytes are nowhere in
/// the database files, and the old cookie opens nothing on the copy.
async fn assert_nothing_left(app: &TestApp, how: &str, cookie: &str, wrapped: &[u8]) {
    let Db::Sqlite { path, .. } = &app.db else {
        unreachable!("SQLite only");
    };
    let copy = tempfile::tempdir().expect("temporary directory");
    let copied = copy.path().join("trellis.db");
    let mut found = 0;
    for (from, to) in sqlite_files(path).iter().zip(sqlite_files(&copied)) {
        if let Ok(bytes) = std::fs::read(from) {
            found += count(&bytes, wrapped);
            std::fs::write(&to, &bytes).expect("copy");
        }
    }
    assert_eq!(
        found, 0,
        "after {how}: the wrapped key is still in the files"
    );
    let store = SqliteStore::open(&copied).await.expect("open the copy");
    let other = service(Arc::new(store.clone()), &SECRET, &app.clock);
    assert!(
        other
            .authenticate(cookie)
            .await
            .expect("authenticate")
            .is_err(),
        "after {how}: the old cookie opened the copy"
    );
    store.close().await;
}

/// A second browser, unlocked, with its cookie and the wrapped key of its session.
async fn another_session(app: &TestApp) -> (Client, String, Vec<u8>) {
    let c = app.unlocked_client().await;
    let cookie = c.session_cookie().expect("unlocked");
    let wrapped = wrapped_key(app, &cookie).await;
    (c, cookie, wrapped)
}

#[tokio::test]
async fn no_way_of_ending_a_session_leaves_its_key_in_the_database_files() {
    let app = TestApp::sqlite().await;
    let mut owner = app.client();
    let r = owner.setup(PASS, true).await;
    r.assert_status(200);
    let code = recovery_code_in(&r.body);
    owner.get("/settings").await.assert_status(200);

    // Lock.
    let (mut c, cookie, wrapped) = another_session(&app).await;
    c.get("/settings").await.assert_status(200);
    c.lock().await;
    assert_nothing_left(&app, "lock", &cookie, &wrapped).await;

    // Idle: the sweeper ends it with no request from the browser (tab closed).
    let (_c, cookie, wrapped) = another_session(&app).await;
    app.clock.advance(11 * 60);
    app.trellis.sweep().await.expect("sweep");
    assert_nothing_left(&app, "the idle sweep", &cookie, &wrapped).await;

    // Idle, noticed by the browser's next request.
    let owner_cookie;
    {
        let (mut c, cookie, wrapped) = another_session(&app).await;
        app.clock.advance(11 * 60);
        c.get("/settings").await.assert_redirect("/unlock?quiet");
        assert_nothing_left(&app, "idle expiry at a request", &cookie, &wrapped).await;
        owner = app.unlocked_client().await;
        owner_cookie = owner.session_cookie().expect("owner");
    }

    // Revoked from another device.
    let (_c, cookie, wrapped) = another_session(&app).await;
    owner.get("/settings/devices").await.assert_status(200);
    let device = hex::encode(sid_hash(&cookie));
    owner
        .post("/settings/devices/revoke", &[("device", &device)])
        .await
        .assert_status(200);
    assert_nothing_left(&app, "a revoke", &cookie, &wrapped).await;

    // Passphrase change ends the other sessions.
    let (_c, cookie, wrapped) = another_session(&app).await;
    owner.get("/settings").await;
    owner
        .post(
            "/settings/passphrase",
            &[
                ("current", PASS),
                ("passphrase", NEW_PASS),
                ("confirm", NEW_PASS),
            ],
        )
        .await
        .assert_status(200);
    assert_nothing_left(&app, "a passphrase change", &cookie, &wrapped).await;
    assert!(app.session_row(&owner_cookie).await.is_some());

    // Recovery ends every session.
    let mut c = app.client();
    c.unlock_ok(NEW_PASS).await;
    let cookie = c.session_cookie().expect("c");
    let wrapped = wrapped_key(&app, &cookie).await;
    let mut r = app.client();
    r.get("/unlock/recover").await;
    r.post(
        "/unlock/recover",
        &[("code", &code), ("passphrase", PASS), ("confirm", PASS)],
    )
    .await
    .assert_status(200);
    assert_nothing_left(&app, "recovery", &cookie, &wrapped).await;

    // Deleting everything.
    let cookie = r.session_cookie().expect("recovered");
    let wrapped = wrapped_key(&app, &cookie).await;
    r.get("/settings/delete").await;
    r.post("/settings/delete", &[("current", PASS)]).await;
    assert_nothing_left(&app, "delete everything", &cookie, &wrapped).await;
    app.finish().await;
}

/// The recovery code a page shows.
pub fn recovery_code_in(body: &str) -> String {
    body.split("aria-label=\"Recovery code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a recovery code is shown")
        .to_owned()
}

/// A session swept while the tab was closed: the next visit hears that it locked itself.
async fn a_swept_session_lands_on_unlock_with_the_quiet_note(app: &TestApp) {
    let mut c = app.set_up().await;
    let cookie = c.session_cookie().expect("unlocked");
    app.clock.advance(11 * 60);
    app.trellis.sweep().await.expect("sweep");
    let marker = app
        .session_row(&cookie)
        .await
        .expect("a keyless marker stays a day");
    assert!(marker.wrapped_udk.is_empty(), "its key is gone at once");
    c.get("/settings").await.assert_redirect("/unlock?quiet");
    assert_eq!(
        app.trellis
            .authenticate(&cookie)
            .await
            .expect("authenticate")
            .err(),
        Some(SessionProblem::NotSignedIn),
        "the marker went with that visit"
    );
    let r = c.get("/unlock?quiet").await;
    assert!(
        r.has("locked themselves after a quiet while"),
        "{}",
        r.snippet()
    );
    // A marker nobody comes back for goes after a day.
    let d = app.unlocked_client().await;
    let other = d.session_cookie().expect("d");
    app.clock.advance(11 * 60);
    app.trellis.sweep().await.expect("sweep");
    assert!(app.session_row(&other).await.is_some());
    app.clock.advance(24 * 3600);
    app.trellis.sweep().await.expect("sweep");
    assert!(app.session_row(&other).await.is_none());
}

on_both_databases!(a_swept_session_lands_on_unlock_with_the_quiet_note);
