//! Hosted use end to end on a real PostgreSQL: the operator makes invitation codes, people sign
//! up with them over HTTP at a real `trellis serve --mode hosted --invite-only`, the operator
//! reads counts and metrics and deletes one account, and nothing the operator can run or read
//! (command output, the node's log at `trace`, the metrics page, the database's rows) holds a
//! name, a passphrase, a code or what anyone wrote.
//!
//! Needs `TRELLIS_TEST_DATABASE_URL` (see `scripts/with-postgres`); without it the test says so
//! and passes, unless `TRELLIS_REQUIRE_POSTGRES=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{admin as trellis, fresh_database, text, Browser, Node};

use sqlx::{Connection, Row};

const CANARY: &str = "CANARY-HOSTED-4d7e words only Robin may read";
/// Names no page or log would hold by chance.
const ROBIN: &str = "Wrenfield";
const SAM: &str = "Solveigh";
const PASS: &str = "marble teapot orchard sunday";
const SAM_PASS: &str = "quiet river under amber lamps";
#[tokio::test]
async fn an_operator_invites_counts_and_deletes_without_reading_a_word() {
    let Some(url) = fresh_database().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let invite = trellis(dir.path(), &url, &["invite", "--count", "2"]);
    assert!(invite.status.success(), "{}", text(&invite));
    let codes: Vec<String> = String::from_utf8_lossy(&invite.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(codes.len(), 2);

    let node = Node::start(
        dir.path(),
        &url,
        &["--invite-only", "--metrics-bind", "127.0.0.1:0"],
    );
    let mut robin = Browser::new(&node.base);
    let made = robin.sign_up(ROBIN, PASS, &codes[0]).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let saved = robin
        .post("/journal", &[("kind", "free"), ("text", CANARY)])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);

    // Someone without a code learns nothing about which names exist.
    let mut sam = Browser::new(&node.base);
    let guess = sam.sign_up(ROBIN, SAM_PASS, "NOT-A-REAL-CODE").await;
    assert_eq!(guess.status, 400, "{}", guess.body);
    assert!(
        guess.body.contains("invitation code didn"),
        "{}",
        guess.body
    );
    assert!(!guess.body.contains("already uses that name"));
    // The person choosing, with a real code, is told, and the code still works for them.
    let taken = sam
        .sign_up(&ROBIN.to_lowercase(), SAM_PASS, &codes[1])
        .await;
    assert!(
        taken.body.contains("already uses that name"),
        "{}",
        taken.body
    );
    let joined = sam.sign_up(SAM, SAM_PASS, &codes[1]).await;
    assert_eq!(joined.status, 303, "{}", joined.body);
    // A code works once.
    let mut third = Browser::new(&node.base);
    let reused = third.sign_up("Alex", SAM_PASS, &codes[0]).await;
    assert_eq!(reused.status, 400, "{}", reused.body);

    let metrics = reqwest::get(&node.metrics)
        .await
        .expect("metrics")
        .text()
        .await
        .unwrap();
    for line in [
        "trellis_http_requests_total{method=\"POST\",route=\"/setup\"",
        "trellis_kdf_running ",
        "trellis_db_pool_max 8",
        "trellis_process_resident_memory_bytes ",
        "trellis_connections_turned_away_total 0",
        "trellis_http_requests_unfinished_total ",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    let not_here = reqwest::get(format!("{}/metrics", node.base))
        .await
        .unwrap();
    assert_eq!(
        not_here.status().as_u16(),
        404,
        "metrics only on their own address"
    );

    // The other operator commands, while Robin's words are in the database.
    let other = |command: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_trellis"))
            .args([command, "--data-dir", dir.path().to_str().unwrap()])
            .args(["--database-url", &url])
            .output()
            .expect("run trellis")
    };
    let (doctor, migrate) = (other("doctor"), other("migrate"));
    assert!(migrate.status.success(), "{}", text(&migrate));
    assert!(doctor.status.success(), "{}", text(&doctor));
    let stats = trellis(dir.path(), &url, &["stats"]);
    assert!(text(&stats).contains("accounts: 2"), "{}", text(&stats));
    assert!(text(&stats).contains("signed in during the last 7 days: 2"));
    let gone = trellis(dir.path(), &url, &["delete-account", ROBIN]);
    assert!(gone.status.success(), "{}", text(&gone));
    let after = trellis(dir.path(), &url, &["stats"]);
    assert!(text(&after).contains("accounts: 1"), "{}", text(&after));
    // Robin's open session ended with the account.
    let home = robin.get("/journal").await;
    assert_eq!(home.location.as_deref(), Some("/unlock"), "{}", home.status);

    let log = node.stop();
    assert!(
        log.contains("account_created") && log.contains("db.statement"),
        "the node's log, with every database statement, is what is scanned:\n{log}"
    );
    let mut seen = vec![("log", log), ("metrics", metrics)];
    for (what, out) in [
        ("invite", &invite),
        ("stats", &stats),
        ("delete", &gone),
        ("stats after", &after),
        ("doctor", &doctor),
        ("migrate", &migrate),
    ] {
        seen.push((
            what,
            text(out).replace(&codes[0], "").replace(&codes[1], ""),
        ));
    }
    let lower = ROBIN.to_lowercase();
    let secrets = [
        CANARY, "CANARY", ROBIN, &lower, SAM, PASS, SAM_PASS, &codes[0], &codes[1],
    ];
    for (what, out) in &seen {
        for secret in secrets {
            assert!(!out.contains(secret), "{secret} in the {what}");
        }
    }

    // Every row of every table, as text: no name, no word, no code, in clear or in hex.
    let mut db = sqlx::PgConnection::connect(&url).await.expect("connect");
    let tables: Vec<String> = sqlx::query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    assert!(tables.iter().any(|t| t == "records"), "{tables:?}");
    let mut rows = String::new();
    for table in &tables {
        for row in sqlx::query(&format!("SELECT t::text FROM {table} t"))
            .fetch_all(&mut db)
            .await
            .unwrap()
        {
            rows.push_str(&row.get::<String, _>(0));
            rows.push('\n');
        }
    }
    assert!(
        rows.len() > 1000,
        "Sam's account and records are there to scan"
    );
    for secret in secrets {
        // In hex too (bytea), where long enough not to turn up in random bytes by chance.
        let hexed = hex::encode(secret.as_bytes());
        assert!(!rows.contains(secret), "{secret} in the database");
        assert!(
            secret.len() < 8 || !rows.contains(&hexed),
            "{secret} in hex in the database"
        );
    }
    db.close().await.unwrap();
}

/// The restore drill OPERATIONS.md describes, run on every test run: a `pg_dump` of the
/// database and a copy of the two secret files are all it takes to bring everyone's notes back
/// in a new database, and only with those secrets.
#[tokio::test]
async fn a_backup_of_the_database_and_the_secrets_restores_everyones_notes() {
    let (Some(url), Ok(bin)) = (fresh_database().await, std::env::var("TRELLIS_TEST_PG_BIN"))
    else {
        assert!(
            std::env::var("TRELLIS_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "TRELLIS_TEST_PG_BIN is set by scripts/with-postgres"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(trellis(dir.path(), &url, &["stats"]).status.success());
    let mut node = Node::start(dir.path(), &url, &["--open-signup"]);
    let mut robin = Browser::new(&node.base);
    assert_eq!(robin.sign_up(ROBIN, PASS, "").await.status, 303);
    let saved = robin
        .post("/journal", &[("kind", "free"), ("text", CANARY)])
        .await;
    let entry = saved.location.expect("the entry's address");
    let entry = entry.split('?').next().unwrap().to_owned();

    // The backup: the database, and the two secret files kept apart from it.
    let dump = dir.path().join("trellis.dump");
    let ran = std::process::Command::new(format!("{bin}/pg_dump"))
        .args([
            "--format=custom",
            "--file",
            dump.to_str().unwrap(),
            "--dbname",
            &url,
        ])
        .output()
        .expect("pg_dump");
    assert!(ran.status.success(), "{}", text(&ran));
    let kept = tempfile::tempdir().expect("the secrets' backup");
    for name in ["pepper", "session-secret"] {
        std::fs::copy(dir.path().join(name), kept.path().join(name)).expect("copy a secret");
    }
    node.kill();

    // The restore: a new database, the dump, the kept secrets.
    let restored = fresh_database().await.expect("a second database");
    let ran = std::process::Command::new(format!("{bin}/pg_restore"))
        .args(["--no-owner", "--dbname", &restored, dump.to_str().unwrap()])
        .output()
        .expect("pg_restore");
    assert!(ran.status.success(), "{}", text(&ran));
    // Without the secrets, or with others, the restored data is refused in plain words.
    let strangers = tempfile::tempdir().expect("other secrets");
    let missing = trellis(strangers.path(), &restored, &["stats"]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("is missing, but the database already holds data"));
    let elsewhere = fresh_database().await.expect("a third database");
    assert!(trellis(strangers.path(), &elsewhere, &["stats"])
        .status
        .success());
    let other = trellis(strangers.path(), &restored, &["stats"]);
    assert!(!other.status.success());
    assert!(
        text(&other).contains("not the ones this data was made with"),
        "{}",
        text(&other)
    );
    let node = Node::start(kept.path(), &restored, &["--open-signup"]);
    let mut again = Browser::new(&node.base);
    again.get("/unlock").await;
    let unlocked = again
        .post("/unlock", &[("name", ROBIN), ("passphrase", PASS)])
        .await;
    assert_eq!(unlocked.status, 303, "{}", unlocked.body);
    let page = again.get(&entry).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(CANARY), "the words came back");
}
