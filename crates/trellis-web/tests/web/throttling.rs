//! Unlock throttling (security design, required test 9): waits, never a lockout.

use trellis_core::access::{wait_after, MAX_WAIT_SECS};
use trellis_core::store::ThrottleScope;
use trellis_core::{Requester, UnlockError};
use trellis_vault::ServerSecret;

use super::harness::{TestApp, PASS, SECRET};

#[tokio::test]
async fn five_wrong_passphrases_then_a_calm_429_even_for_the_right_one_then_it_works() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    c.lock().await;
    for i in 0..5 {
        let r = c.unlock(&format!("wrong passphrase number {i}")).await;
        r.assert_status(401);
        assert!(r.has("didn't match"), "{}", r.snippet());
    }
    let r = c.unlock(PASS).await;
    r.assert_status(429);
    r.assert_calm_page("pausing for a moment");
    assert!(r.has("never locks you out for good"), "{}", r.snippet());
    assert!(r.has("1 second"), "says how long: {}", r.snippet());
    assert!(r.body.contains(r#"role="alert""#));
    assert!(c.session_cookie().is_none(), "no session while waiting");
    assert!(app.sessions().await.is_empty());
    // The wait passes: the right passphrase works (no permanent lockout).
    app.clock.advance(wait_after(5));
    c.unlock_ok(PASS).await;
    c.get("/settings").await.assert_status(200);
    // Success clears the counter: a fresh mistake is just a mistake.
    let mut d = app.client();
    d.unlock("wrong again, only once").await.assert_status(401);
    d.unlock_ok(PASS).await;
    app.finish().await;
}

fn from(addr: &str) -> Requester {
    Requester {
        address: Some(addr.to_owned()),
        device_label: "A browser on Linux".to_owned(),
    }
}

#[tokio::test]
async fn the_per_account_wait_applies_from_every_address_and_grows_to_15_minutes() {
    let app = TestApp::sqlite().await;
    let t = &app.trellis;
    t.set_up(PASS, PASS, false, &from("192.0.2.1"))
        .await
        .expect("set up");
    let a = from("203.0.113.7");
    let b = from("198.51.100.23");
    let nowhere = Requester::default();
    for _ in 0..5 {
        assert!(matches!(
            t.unlock("wrong guess from a", &a).await,
            Err(UnlockError::Wrong)
        ));
    }
    // Another address (never wrong before), or none at all, waits too; even the right passphrase.
    for who in [&b, &nowhere, &a] {
        assert!(matches!(
            t.unlock(PASS, who).await,
            Err(UnlockError::Wait(1))
        ));
    }
    // The address is kept only as a keyed hash.
    let account = app.account().await;
    let hash = hex::encode(
        &ServerSecret::from_bytes(&SECRET)
            .expect("secret")
            .keyed_hash("trellis/v1/address", b"203.0.113.7")[..16],
    );
    let state = app
        .store
        .throttle(&account.id, &ThrottleScope::Address(hash))
        .await
        .expect("throttle");
    assert_eq!(state.failures, 5);
    let everything = format!("{:?}", app.digest().await);
    assert!(!everything.contains("203.0.113.7"), "no address in clear");

    // Each further failure doubles the wait: 1, 2, 4 … capped at 15 minutes.
    let mut expected_waits = Vec::new();
    for k in 0..12u32 {
        let expected = (1_i64 << k).min(MAX_WAIT_SECS);
        expected_waits.push(expected);
        match t.unlock(PASS, &b).await {
            Err(UnlockError::Wait(w)) => assert_eq!(w, expected, "wait after {} failures", 5 + k),
            Err(e) => panic!("expected a wait, got {e:?}"),
            Ok(_) => panic!("expected a wait, got a session"),
        }
        app.clock.advance(expected - 1);
        assert!(
            matches!(t.unlock(PASS, &a).await, Err(UnlockError::Wait(1))),
            "to the second"
        );
        app.clock.advance(1);
        assert!(matches!(
            t.unlock("another wrong guess", &b).await,
            Err(UnlockError::Wrong)
        ));
    }
    assert_eq!(expected_waits.last(), Some(&900));
    assert!(expected_waits.contains(&512));
    // Never more than 15 minutes, however many failures.
    assert!(matches!(
        t.unlock(PASS, &a).await,
        Err(UnlockError::Wait(900))
    ));
    app.clock.advance(MAX_WAIT_SECS);
    assert!(
        t.unlock(PASS, &a).await.is_ok(),
        "after the wait the right passphrase works"
    );
    // The success cleared the account's counter (and a's): a slip from a new address is just a slip.
    let c = from("192.0.2.99");
    assert!(matches!(
        t.unlock("one slip", &c).await,
        Err(UnlockError::Wrong)
    ));
    assert!(t.unlock(PASS, &c).await.is_ok());
    // The guessing address's own wait (12 failures: 128 s) has passed as well.
    assert!(t.unlock(PASS, &b).await.is_ok());
    app.finish().await;
}
