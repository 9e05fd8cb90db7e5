//! Unlock throttling (security design, required test 9): waits, never a lockout; the long
//! waits belong to the guessing address; every attempt is reserved before the slow check.

use std::sync::Arc;
use std::time::{Duration, Instant};

use trellis_core::access::{wait_after, BRAKE_AFTER, FREE_ATTEMPTS, MAX_WAIT_SECS};
use trellis_core::{Policy, Requester, SetUp, UnlockError};

use super::harness::{policy, Backend, TestApp, PASS};

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

/// The passphrase asked again (kept for deleting everything and a new passphrase) is
/// throttled like unlock: a wrong one is counted, and after five the right one waits too.
#[tokio::test]
async fn the_passphrase_asked_again_is_throttled_like_unlock() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    for i in 0..5 {
        let r = c
            .post(
                "/settings/delete",
                &[("current", &format!("wrong number {i}"))],
            )
            .await;
        r.assert_status(400);
        assert!(r.has("didn't match"), "{}", r.snippet());
    }
    let r = c.post("/settings/delete", &[("current", PASS)]).await;
    r.assert_status(400);
    assert!(r.has("Please wait"), "{}", r.snippet());
    assert_eq!(
        app.store.count_accounts().await.unwrap(),
        1,
        "nothing deleted"
    );
    app.clock.advance(wait_after(5));
    c.post("/settings/delete", &[("current", PASS)])
        .await
        .assert_status(200);
    assert_eq!(app.store.count_accounts().await.unwrap(), 0);
    app.finish().await;
}

fn from(addr: &str) -> Requester {
    Requester {
        address: Some(addr.to_owned()),
        device_label: "A browser on Linux".to_owned(),
    }
}

#[tokio::test]
async fn the_wait_belongs_to_the_guessing_address_and_grows_to_15_minutes() {
    let app = TestApp::sqlite().await;
    let t = &app.trellis;
    t.set_up(PASS, PASS, false, &from("192.0.2.1"))
        .await
        .expect("set up");
    let guesser = from("203.0.113.7");
    let owner = from("198.51.100.23");
    for _ in 0..FREE_ATTEMPTS {
        assert!(matches!(
            t.unlock("wrong guess", &guesser).await,
            Err(UnlockError::Wrong)
        ));
    }
    // The guesser waits, even with the right passphrase …
    assert!(matches!(
        t.unlock(PASS, &guesser).await,
        Err(UnlockError::Wait(1))
    ));
    // … while the person at another address (or none) gets in at once.
    t.unlock(PASS, &owner).await.expect("the owner unlocks");
    t.unlock(PASS, &Requester::default())
        .await
        .expect("no address at all");
    let everything = format!("{:?}", app.digest().await);
    assert!(!everything.contains("203.0.113.7"), "no address in clear");

    // Each further try of the guesser doubles its wait: 1, 2, 4 … capped at 15 minutes, to the
    // second; the owner is never kept waiting meanwhile.
    let mut expected_waits = Vec::new();
    for k in 0..12u32 {
        let expected = (1_i64 << k).min(MAX_WAIT_SECS);
        expected_waits.push(expected);
        app.clock.advance(expected - 1);
        assert!(
            matches!(t.unlock(PASS, &guesser).await, Err(UnlockError::Wait(1))),
            "to the second"
        );
        app.clock.advance(1);
        assert!(matches!(
            t.unlock("another wrong guess", &guesser).await,
            Err(UnlockError::Wrong)
        ));
        t.unlock(PASS, &owner).await.expect("the owner unlocks");
    }
    assert_eq!(expected_waits.last(), Some(&900));
    assert!(expected_waits.contains(&512));
    for _ in 0..3 {
        app.clock.advance(MAX_WAIT_SECS);
        assert!(matches!(
            t.unlock("and another", &guesser).await,
            Err(UnlockError::Wrong)
        ));
    }
    // Never more than 15 minutes, however many failures.
    assert!(matches!(
        t.unlock(PASS, &guesser).await,
        Err(UnlockError::Wait(900))
    ));
    app.clock.advance(MAX_WAIT_SECS);
    assert!(
        t.unlock(PASS, &guesser).await.is_ok(),
        "after the wait the right passphrase works"
    );
    app.finish().await;
}

/// Fifty wrong passphrases at once from one address: only the free five are checked; after the
/// wait, fifty more at once: only one. Both databases.
async fn parallel_guesses_are_reserved_before_the_check(app: &TestApp) {
    app.set_up().await;
    let burst = |n: usize| {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..n {
            let t = Arc::clone(&app.trellis);
            tasks.spawn(async move { t.unlock(&format!("guess {i}"), &from("203.0.113.9")).await });
        }
        tasks
    };
    let count = |mut tasks: tokio::task::JoinSet<_>| async move {
        let (mut checked, mut refused) = (0, 0);
        while let Some(done) = tasks.join_next().await {
            match done.expect("task") {
                Err(UnlockError::Wrong) => checked += 1,
                Err(UnlockError::Wait(_)) => refused += 1,
                other => panic!("unexpected {:?}", other.err()),
            }
        }
        (checked, refused)
    };
    assert_eq!(count(burst(50)).await, (5, 45));
    app.clock.advance(wait_after(5));
    assert_eq!(count(burst(50)).await, (1, 49));
    app.clock.advance(wait_after(6));
    assert_eq!(count(burst(50)).await, (1, 49));
}

/// Someone who does not know the name gets exactly the answers someone who does would get.
async fn unknown_names_answer_like_known_ones(app: &TestApp) {
    let open = TestApp::builder()
        .on(app.backend(), "unknown_names")
        .policy(Policy {
            open_signup: true,
            ..policy()
        })
        .build()
        .await
        .expect("same backend");
    let t = &open.trellis;
    t.set_up_with(
        &SetUp {
            name: "Robin",
            passphrase: PASS,
            confirm: PASS,
            ..SetUp::default()
        },
        &Requester::default(),
    )
    .await
    .expect("set up Robin");
    let here = from("203.0.113.20");
    let mut answers = Vec::new();
    for name in ["robin", "nobody here"] {
        let mut these = Vec::new();
        for _ in 0..=FREE_ATTEMPTS {
            these.push(format!(
                "{:?}",
                t.unlock_named(name, "not the passphrase", &here)
                    .await
                    .err()
            ));
        }
        answers.push(these);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].last().map(String::as_str), Some("Some(Wait(1))"));
    // Names are found without case or extra spaces; the right pair opens the right account.
    t.unlock_named("  ROBIN ", PASS, &from("192.0.2.50"))
        .await
        .expect("Robin unlocks");
    open.finish().await;
}

on_both_databases!(
    parallel_guesses_are_reserved_before_the_check,
    unknown_names_answer_like_known_ones,
);

/// Guessing from many addresses at one name slows every try there by a small fixed delay,
/// and never refuses the owner.
#[tokio::test]
async fn a_much_tried_name_is_slowed_gently_and_the_owner_still_gets_in() {
    let brake = Duration::from_millis(400);
    let app = TestApp::builder()
        .on(Backend::Sqlite, "brake")
        .policy(Policy {
            account_brake: brake,
            ..policy()
        })
        .build()
        .await
        .expect("sqlite");
    let t = &app.trellis;
    t.set_up(PASS, PASS, false, &Requester::default())
        .await
        .expect("set up");
    for i in 0..BRAKE_AFTER {
        let _ = t.unlock("guess", &from(&format!("203.0.113.{i}"))).await;
    }
    let started = Instant::now();
    t.unlock(PASS, &from("198.51.100.1"))
        .await
        .expect("the owner gets in");
    assert!(started.elapsed() >= brake, "the brake applied");
    app.finish().await;
}
