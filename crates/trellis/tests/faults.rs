//! Faults in hosted use, with real `trellis serve` nodes on a real PostgreSQL (a database of
//! their own, so nothing here disturbs other tests):
//!
//! - a node killed while writes are in flight loses no write it acknowledged, and the other
//!   node goes on serving;
//! - the database going away under load (its connections cut, new ones refused, as in a
//!   restart) gives calm 503s, never a broken answer, and the node comes back by itself;
//! - a forged `X-Forwarded-For` from a peer that is not a trusted proxy is ignored, so
//!   invitation-code guessing is throttled by the real address.
//!
//! Needs `TRELLIS_TEST_DATABASE_URL` (see `scripts/with-postgres`); without it each test says
//! so and passes, unless `TRELLIS_REQUIRE_POSTGRES=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{admin, fresh_database, Browser, Node};
use sqlx::Connection;

const PASS: &str = "marble teapot orchard sunday";

/// What the writers saw: acknowledged entries (id, words) and every other answer.
#[derive(Default)]
struct Seen {
    acked: Vec<(String, String)>,
    /// Status and body of every answer that was not "saved".
    refused: Vec<(u16, String)>,
    /// Requests no node answered (the node was gone).
    unanswered: u64,
}

/// Writes journal entries through `at` until `stop`; when its node stops answering, goes on
/// through `fallback` (as a load balancer sends the next request to a live node).
async fn writer(
    mut at: Browser,
    mut fallback: Option<Browser>,
    tag: &'static str,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
) {
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let words = format!("{tag} entry {n}");
        match at
            .try_post("/journal", &[("kind", "free"), ("text", &words)])
            .await
        {
            Ok(page) if page.status == 303 => {
                let id = page
                    .location
                    .as_deref()
                    .and_then(|l| l.strip_prefix("/journal/"))
                    .and_then(|l| l.split('?').next())
                    .expect("the entry's address")
                    .to_owned();
                seen.lock().unwrap().acked.push((id, words));
            }
            Ok(page) => {
                seen.lock().unwrap().refused.push((page.status, page.body));
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(_) => {
                seen.lock().unwrap().unanswered += 1;
                match fallback.take() {
                    Some(next) => at = next,
                    None => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
        }
    }
}

/// A database of its own, and a directory holding the secrets made for it (as an operator's
/// first `trellis admin stats` makes them); `None` when PostgreSQL is not configured.
async fn hosted_database() -> Option<(String, tempfile::TempDir)> {
    let url = fresh_database().await?;
    let dir = tempfile::tempdir().unwrap();
    assert!(admin(dir.path(), &url, &["stats"]).status.success());
    Some((url, dir))
}

/// The database `name` refuses new connections and cuts every open one (as in a restart),
/// or (`allow`) takes connections again.
async fn database_allows(dba: &mut sqlx::PgConnection, name: &str, allow: bool) {
    sqlx::query(&format!(
        "ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {allow}"
    ))
    .execute(&mut *dba)
    .await
    .unwrap();
    if !allow {
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
            .bind(name)
            .execute(&mut *dba)
            .await
            .unwrap();
    }
}

/// One person signed up at `node`, and what writers will share: a stop flag and what they saw.
async fn one_person_writing(node: &Node) -> (Browser, Arc<AtomicBool>, Arc<Mutex<Seen>>) {
    let mut me = Browser::new(&node.base);
    assert_eq!(me.sign_up("Wrenfield", PASS, "").await.status, 303);
    me.get("/help").await;
    (
        me,
        Arc::new(AtomicBool::new(false)),
        Arc::new(Mutex::new(Seen::default())),
    )
}

/// Waits (bounded) until `done` holds for what the writers saw.
async fn until(seen: &Mutex<Seen>, what: &str, done: impl Fn(&Seen) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(&seen.lock().unwrap()) {
        assert!(Instant::now() < deadline, "waited 60 s for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every acknowledged entry, read back through `reader` with its words.
async fn all_there(reader: &mut Browser, seen: &Mutex<Seen>) -> usize {
    let acked = seen.lock().unwrap().acked.clone();
    for (id, words) in &acked {
        let page = reader.get(&format!("/journal/{id}")).await;
        assert_eq!(page.status, 200, "acknowledged entry {id} is gone");
        assert!(
            page.body.contains(words.as_str()),
            "entry {id} lost its words"
        );
    }
    acked.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_mid_write_loses_no_acknowledged_write_and_the_other_serves_on() {
    let Some((url, dir)) = hosted_database().await else {
        return;
    };
    let mut a = Node::start(dir.path(), &url, &["--open-signup"]);
    let b = Node::start(dir.path(), &url, &["--open-signup"]);
    let (me, stop, seen) = one_person_writing(&a).await;
    let mut writers = Vec::new();
    for (tag, first, fallback) in [
        ("a1", &a.base, Some(&b.base)),
        ("a2", &a.base, Some(&b.base)),
        ("b1", &b.base, None),
        ("b2", &b.base, None),
    ] {
        writers.push(tokio::spawn(writer(
            me.at(first),
            fallback.map(|f| me.at(f)),
            tag,
            stop.clone(),
            seen.clone(),
        )));
    }
    until(&seen, "writes at both nodes", |s| {
        s.acked.iter().filter(|(_, w)| w.starts_with('a')).count() >= 10
            && s.acked.iter().filter(|(_, w)| w.starts_with('b')).count() >= 10
    })
    .await;
    a.kill();
    let at_kill = seen.lock().unwrap().acked.len();
    until(&seen, "writes after the kill", |s| {
        s.acked.len() >= at_kill + 30
    })
    .await;
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }

    {
        let s = seen.lock().unwrap();
        assert!(
            s.refused.is_empty(),
            "every answer was a save: {:?}",
            s.refused.first()
        );
    }
    let mut reader = me.at(&b.base);
    let checked = all_there(&mut reader, &seen).await;
    let s = seen.lock().unwrap();
    println!(
        "node killed: {checked} acknowledged writes all read back at the other node; \
         {} requests found the killed node gone and went on at the other",
        s.unanswered
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_going_away_under_load_gives_calm_503s_and_the_node_comes_back_by_itself() {
    let Some((url, dir)) = hosted_database().await else {
        return;
    };
    let name = url.rsplit('/').next().unwrap().to_owned();
    let server = std::env::var("TRELLIS_TEST_DATABASE_URL").unwrap();
    let node = Node::start(dir.path(), &url, &["--open-signup"]);
    let (mut me, stop, seen) = one_person_writing(&node).await;
    let writers: Vec<_> = ["w1", "w2"]
        .into_iter()
        .map(|tag| {
            tokio::spawn(writer(
                me.at(&node.base),
                None,
                tag,
                stop.clone(),
                seen.clone(),
            ))
        })
        .collect();
    until(&seen, "writes before the outage", |s| s.acked.len() >= 10).await;

    // The database goes away: every connection cut, new ones refused, as in a restart.
    let mut dba = sqlx::PgConnection::connect(&server).await.unwrap();
    database_allows(&mut dba, &name, false).await;
    until(&seen, "a refused write while the database is away", |s| {
        s.refused.len() >= 2
    })
    .await;
    let ready = reqwest::get(format!("{}/ready", node.base)).await.unwrap();
    assert_eq!(
        ready.status().as_u16(),
        503,
        "not ready while the database is away"
    );
    let at_outage = seen.lock().unwrap().acked.len();

    database_allows(&mut dba, &name, true).await;
    let back = Instant::now();
    until(&seen, "writes after the database came back", |s| {
        s.acked.len() >= at_outage + 10
    })
    .await;
    let took = back.elapsed();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    let ready = reqwest::get(format!("{}/ready", node.base)).await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);

    let refused = {
        let s = seen.lock().unwrap();
        assert_eq!(s.unanswered, 0, "the node always answered");
        for (status, body) in &s.refused {
            assert_eq!(*status, 503, "a calm 503, never another failure: {body}");
            assert!(
                body.contains("Nothing that was saved before has been lost"),
                "a calm message: {body}"
            );
        }
        s.refused.len()
    };
    let checked = all_there(&mut me, &seen).await;
    println!(
        "database away: {refused} writes answered with a calm 503; writing worked again {} ms \
         after the database came back; {checked} acknowledged writes all read back",
        took.as_millis()
    );
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut dba)
        .await
        .ok();
}

#[tokio::test]
async fn a_forged_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let Some((url, dir)) = hosted_database().await else {
        return;
    };
    let guess = |node: &Node, n: usize| {
        let base = node.base.clone();
        async move {
            let mut b = Browser::new(&base);
            b.forwarded_for = Some(format!("203.0.113.{n}"));
            b.sign_up(&format!("Guess {n}"), PASS, &format!("WRNG-{n:04}-CODE"))
                .await
                .status
        }
    };
    // No trusted proxy: every guess comes from 127.0.0.1, whatever the header claims. Twenty
    // are free; past them the address is asked to wait (1 s, then doubling), so within the
    // next few guesses one is refused.
    let plain = Node::start(dir.path(), &url, &["--invite-only"]);
    for n in 0..20 {
        assert_eq!(guess(&plain, n).await, 400, "guess {n} is simply wrong");
    }
    let mut later = Vec::new();
    for n in 20..25 {
        later.push(guess(&plain, n).await);
    }
    assert!(
        later.contains(&429),
        "past twenty the address waits, the forged header changed nothing: {later:?}"
    );
    drop(plain);

    // Behind a trusted proxy (127.0.0.1 here), the header names the client: each of these
    // claimed addresses has its own twenty.
    let proxied = Node::start(
        dir.path(),
        &url,
        &["--invite-only", "--trusted-proxy", "127.0.0.1/32"],
    );
    for n in 100..125 {
        assert_eq!(
            guess(&proxied, n).await,
            400,
            "guess {n} from its own address"
        );
    }
}

/// The pause's path between nodes survives the database going away: each node's LISTEN
/// connection is cut with the others, and once the database is back a pause pressed at one
/// node reaches the partner's page open at the other again, with no restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_database_comes_back_a_pause_still_crosses_between_nodes() {
    let Some((url, dir)) = hosted_database().await else {
        return;
    };
    let name = url.rsplit('/').next().unwrap().to_owned();
    let server = std::env::var("TRELLIS_TEST_DATABASE_URL").unwrap();
    let a = Node::start(dir.path(), &url, &["--open-signup"]);
    let b = Node::start(dir.path(), &url, &["--open-signup"]);
    let mut me = Browser::new(&a.base);
    assert_eq!(me.sign_up("Wrenfield", PASS, "").await.status, 303);
    let mut partner = Browser::new(&a.base);
    assert_eq!(partner.sign_up("Solveigh", PASS, "").await.status, 303);
    let invite = me.post("/together/invite", &[]).await;
    let code = invite
        .body
        .split("aria-label=\"Invitation code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the code is shown")
        .to_owned();
    let linked = partner.post("/together/accept", &[("code", &code)]).await;
    assert_eq!(linked.status, 303, "{}", linked.body);
    let shared = me
        .post(
            "/together/signal",
            &[
                ("meaning", "check-in"),
                ("own_words", "A moment, please."),
                ("share", "on"),
            ],
        )
        .await;
    assert_eq!(shared.status, 303);

    // The partner's page is open at node B.
    let mut stream = reqwest::Client::new()
        .get(format!("{}/events", b.base))
        .header("cookie", partner.at(&b.base).cookies())
        .send()
        .await
        .expect("the event stream");
    assert_eq!(stream.status().as_u16(), 200);
    let mut heard = String::new();

    // The database goes away (every connection, the LISTEN ones included) and comes back.
    let mut dba = sqlx::PgConnection::connect(&server).await.unwrap();
    database_allows(&mut dba, &name, false).await;
    let cut = Instant::now() + Duration::from_secs(60);
    while reqwest::get(format!("{}/ready", b.base))
        .await
        .unwrap()
        .status()
        != 503
    {
        assert!(Instant::now() < cut, "node B noticed the database was away");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    database_allows(&mut dba, &name, true).await;

    // Pressed at node A until the partner's page at node B hears it (each press is heard
    // again, so pressing while B's listener reconnects loses nothing that matters).
    let deadline = Instant::now() + Duration::from_secs(60);
    let back = Instant::now();
    while !heard.contains("event: pause") {
        assert!(
            Instant::now() < deadline,
            "no pause reached node B: {heard}"
        );
        let _ = me.try_post("/pause", &[]).await;
        if let Ok(Ok(Some(chunk))) =
            tokio::time::timeout(Duration::from_millis(500), stream.chunk()).await
        {
            heard.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
    println!(
        "a pause crossed between nodes again {} ms after the database came back",
        back.elapsed().as_millis()
    );
}
