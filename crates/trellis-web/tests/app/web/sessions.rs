//! Session tests (security design, required test 6), on both databases, time mocked.

use trellis_core::SessionProblem;
use trellis_vault::session::SessionToken;
use trellis_vault::ServerSecret;

use super::harness::{serve, service, sid_hash, Client, TestApp, ANON, NEW_PASS, PASS, SESSION};

on_both_databases!(
    cookies_have_exactly_the_host_prefix_attributes,
    every_unlock_makes_a_new_session_and_lock_ends_it,
    a_planted_session_cookie_is_never_adopted,
    idle_expiry_is_enforced_to_the_second,
    absolute_expiry_holds_despite_activity,
    passphrase_change_ends_other_sessions_but_keeps_this_one,
    deleting_the_account_ends_every_session,
    stolen_cookie_and_row_without_the_session_secret_cannot_unlock,
);

/// Checks a `Set-Cookie` line: `__Host-` rules, HttpOnly, SameSite=Strict, nothing else but Max-Age.
#[track_caller]
fn assert_host_cookie(line: &str, name: &str) -> String {
    assert!(line.len() < 4096, "Set-Cookie is {} bytes", line.len());
    let mut parts = line.split(';').map(str::trim);
    let (n, value) = parts
        .next()
        .and_then(|p| p.split_once('='))
        .expect("name=value");
    assert_eq!(n, name, "cookie name");
    assert!(!value.is_empty());
    let attrs: Vec<String> = parts.map(str::to_ascii_lowercase).collect();
    for needed in ["secure", "httponly", "samesite=strict", "path=/"] {
        assert!(
            attrs.iter().any(|a| a == needed),
            "{name} lacks {needed}: {line}"
        );
    }
    for a in &attrs {
        assert!(
            ["secure", "httponly", "samesite=strict", "path=/"].contains(&a.as_str())
                || a.starts_with("max-age="),
            "{name} has an unexpected attribute {a:?} (no Domain allowed): {line}"
        );
        assert!(
            !a.starts_with("domain"),
            "{name} must not have a Domain: {line}"
        );
    }
    value.to_owned()
}

async fn cookies_have_exactly_the_host_prefix_attributes(app: &TestApp) {
    let mut c = app.client();
    let first = c.get("/setup").await;
    first.assert_status(200);
    let anon: Vec<String> = first
        .set_cookies()
        .into_iter()
        .filter(|l| l.starts_with("__Host-a="))
        .collect();
    assert_eq!(
        anon.len(),
        1,
        "one anonymous cookie: {:?}",
        first.set_cookies()
    );
    assert_host_cookie(&anon[0], ANON);

    let r = c.setup(PASS, false).await;
    r.assert_redirect("/");
    let lines: Vec<String> = r
        .set_cookies()
        .into_iter()
        .filter(|l| l.starts_with("__Host-s="))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "exactly one session cookie: {:?}",
        r.set_cookies()
    );
    let value = assert_host_cookie(&lines[0], SESSION);
    assert_eq!(value.len(), 86, "sid ‖ sk, base64url");
    let lower = lines[0].to_ascii_lowercase();
    assert!(
        !lower.contains("max-age") && !lower.contains("expires"),
        "the session cookie lives only as long as the browser's session: {}",
        lines[0]
    );

    // Unlocking (not just set-up) sets the same kind of cookie.
    c.lock().await;
    let r = c.unlock(PASS).await;
    r.assert_redirect("/");
    let lines: Vec<String> = r
        .set_cookies()
        .into_iter()
        .filter(|l| l.starts_with("__Host-s="))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_host_cookie(&lines[0], SESSION);
}

async fn every_unlock_makes_a_new_session_and_lock_ends_it(app: &TestApp) {
    let mut a = app.set_up().await;
    let s0 = a.session_cookie().expect("set-up session");
    let mut b = app.unlocked_client().await;
    let s1 = b.session_cookie().expect("b");
    let mut c = app.unlocked_client().await;
    let s2 = c.session_cookie().expect("c");
    // The same browser unlocking again also gets a new id.
    a.unlock_ok(PASS).await;
    let s3 = a.session_cookie().expect("a again");
    let all = [&s0, &s1, &s2, &s3];
    for (i, x) in all.iter().enumerate() {
        for y in &all[i + 1..] {
            assert_ne!(x, y, "session ids are never reused");
        }
    }
    assert_eq!(app.sessions().await.len(), 4);

    // The replaced cookie still works until it is locked (fine), …
    let mut old = app.client();
    old.jar.insert(SESSION.to_owned(), s0.clone());
    old.get("/settings").await.assert_status(200);

    // … and after lock, the old cookie is sent to unlock and its row is gone.
    assert!(app.session_row(&s1).await.is_some());
    let r = b.lock().await;
    let csd = r
        .header("clear-site-data")
        .expect("Clear-Site-Data on lock");
    for part in ["\"cache\"", "\"cookies\"", "\"storage\""] {
        assert!(csd.contains(part), "{csd}");
    }
    assert!(
        app.session_row(&s1).await.is_none(),
        "lock deletes the session row"
    );
    let mut replay = app.client();
    replay.jar.insert(SESSION.to_owned(), s1.clone());
    replay.get("/settings").await.assert_redirect("/unlock");
    replay.jar.insert(SESSION.to_owned(), s1.clone());
    replay.get("/").await.assert_redirect("/unlock");
    assert_eq!(
        app.sessions().await.len(),
        3,
        "only the locked session ended"
    );
    c.get("/settings").await.assert_status(200);
}

async fn a_planted_session_cookie_is_never_adopted(app: &TestApp) {
    app.set_up().await;
    // An attacker plants a well-formed cookie before the person unlocks (session fixation).
    let planted = "A".repeat(86);
    assert!(
        SessionToken::from_cookie_value(&planted).is_some(),
        "well-formed"
    );
    let mut v = app.client();
    v.jar.insert(SESSION.to_owned(), planted.clone());
    v.get("/settings").await.assert_redirect("/unlock");
    v.jar.insert(SESSION.to_owned(), planted.clone());
    v.unlock_ok(PASS).await;
    let issued = v.session_cookie().expect("issued");
    assert_ne!(issued, planted);
    assert!(app.session_row(&planted).await.is_none());
    let mut attacker = app.client();
    attacker.jar.insert(SESSION.to_owned(), planted);
    attacker.get("/settings").await.assert_redirect("/unlock");
    v.get("/settings").await.assert_status(200);
}

async fn idle_expiry_is_enforced_to_the_second(app: &TestApp) {
    let mut a = app.set_up().await;
    let mut b = app.unlocked_client().await;
    let mut c = app.unlocked_client().await;
    let b_cookie = b.session_cookie().expect("b");
    let idle = i64::from(app.account().await.idle_minutes) * 60;
    assert_eq!(idle, 600, "default auto-lock is 10 minutes");

    app.clock.advance(idle - 1);
    a.get("/settings").await.assert_status(200);
    app.clock.advance(1);
    // Exactly `idle` quiet seconds: locked, row gone, and the unlock page is told why.
    b.get("/settings").await.assert_redirect("/unlock?quiet");
    assert!(
        app.session_row(&b_cookie).await.is_none(),
        "an expired session's row is removed"
    );
    // The lock screen says why, calmly, and forgets the cookie.
    let r = c.get("/unlock").await;
    r.assert_status(200);
    assert!(
        r.has("locked themselves after a quiet while"),
        "{}",
        r.snippet()
    );
    assert!(
        r.set_cookies().iter().any(|l| l.starts_with("__Host-s=;")),
        "expired cookie cleared"
    );
    // Activity pushed `a` out: idle - 1 seconds after its last request it still works, …
    app.clock.advance(idle - 2);
    a.get("/settings").await.assert_status(200);
    // … and a whole quiet period after that it is locked.
    app.clock.advance(idle);
    a.get("/settings").await.assert_redirect("/unlock?quiet");
}

async fn absolute_expiry_holds_despite_activity(app: &TestApp) {
    let mut a = app.set_up().await;
    let cookie = a.session_cookie().expect("session");
    let abs = app.trellis.policy().absolute_session_secs;
    assert_eq!(abs, 8 * 3600);
    let mut t = 0;
    while t + 300 < abs {
        app.clock.advance(300);
        t += 300;
        a.get("/settings").await.assert_status(200);
    }
    app.clock.advance(abs - 1 - t);
    a.get("/settings").await.assert_status(200);
    app.clock.advance(1);
    a.get("/settings").await.assert_redirect("/unlock?quiet");
    assert!(app.session_row(&cookie).await.is_none());
}

async fn passphrase_change_ends_other_sessions_but_keeps_this_one(app: &TestApp) {
    let mut a = app.set_up().await;
    let mut b = app.unlocked_client().await;
    let a_cookie = a.session_cookie().expect("a");
    a.get("/settings").await;
    let r = a
        .post(
            "/settings/passphrase",
            &[
                ("current", PASS),
                ("passphrase", NEW_PASS),
                ("confirm", NEW_PASS),
            ],
        )
        .await;
    r.assert_status(200);
    assert!(r.has("Your passphrase has been changed"), "{}", r.snippet());
    a.get("/settings").await.assert_status(200);
    b.get("/settings").await.assert_redirect("/unlock");
    let left = app.sessions().await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].sid_hash, sid_hash(&a_cookie).to_vec());
    // Old passphrase no longer opens anything; the new one does.
    let mut c = app.client();
    c.unlock(PASS).await.assert_status(401);
    c.unlock_ok(NEW_PASS).await;
    c.get("/settings").await.assert_status(200);
}

async fn deleting_the_account_ends_every_session(app: &TestApp) {
    let mut a = app.set_up().await;
    let mut b = app.unlocked_client().await;
    let a_cookie = a.session_cookie().expect("a");
    let account = app.account().await.id;
    let r = a.post("/settings/delete", &[("current", PASS)]).await;
    r.assert_status(200);
    let csd = r
        .header("clear-site-data")
        .expect("Clear-Site-Data after deleting");
    // Cache and storage are cleared; the session cookie is expired explicitly, while the
    // anonymous cookie stays so the page's own Quick exit still works.
    for part in ["\"cache\"", "\"storage\""] {
        assert!(csd.contains(part), "{csd}");
    }
    assert!(
        r.set_cookies()
            .iter()
            .any(|l| l.starts_with("__Host-s=;") && l.contains("Max-Age=0")),
        "session cookie expired after deleting"
    );
    b.get("/settings").await.assert_redirect("/unlock");
    let mut replay = app.client();
    replay.jar.insert(SESSION.to_owned(), a_cookie);
    replay.get("/settings").await.assert_redirect("/unlock");
    assert_eq!(app.store.count_accounts().await.expect("count"), 0);
    assert!(app
        .store
        .sessions_of(&account)
        .await
        .expect("sessions")
        .is_empty());
    app.client().get("/").await.assert_redirect("/welcome");
}

async fn stolen_cookie_and_row_without_the_session_secret_cannot_unlock(app: &TestApp) {
    let mut a = app.set_up().await;
    let cookie = a.session_cookie().expect("a");
    // A second instance over the same database, with another session secret.
    let other_secret = [10u8; 32];
    let other = service(app.store.clone(), &other_secret, &app.clock);
    let (base, server) = serve(other.clone()).await;
    let mut thief = Client::new(&base);
    thief.jar.insert(SESSION.to_owned(), cookie.clone());
    thief.get("/settings").await.assert_redirect("/unlock");
    thief.jar.insert(SESSION.to_owned(), cookie.clone());
    thief.get("/").await.assert_redirect("/unlock");
    assert_eq!(
        other
            .authenticate(&cookie)
            .await
            .expect("authenticate")
            .err(),
        Some(SessionProblem::NotSignedIn)
    );
    // With the row in hand too, the data key does not unwrap without the right secret.
    let row = app
        .session_row(&cookie)
        .await
        .expect("the row is still there");
    let account = app.account().await;
    let token = SessionToken::from_cookie_value(&cookie).expect("token");
    let wrong = ServerSecret::from_bytes(&other_secret).expect("secret");
    assert!(token
        .unwrap_data_key(
            &wrong,
            &row.wrapped_udk,
            account.id.as_str(),
            account.key_id,
            row.abs_expires_at
        )
        .is_err());
    let right = ServerSecret::from_bytes(&super::harness::SECRET).expect("secret");
    assert!(token
        .unwrap_data_key(
            &right,
            &row.wrapped_udk,
            account.id.as_str(),
            account.key_id,
            row.abs_expires_at
        )
        .is_ok());
    // The owner is unaffected.
    a.get("/settings").await.assert_status(200);
    server.abort();
}
