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

use common::text;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use sqlx::{Connection, Row};

const CANARY: &str = "CANARY-HOSTED-4d7e words only Robin may read";
/// Names no page or log would hold by chance.
const ROBIN: &str = "Wrenfield";
const SAM: &str = "Solveigh";
const PASS: &str = "marble teapot orchard sunday";
const SAM_PASS: &str = "quiet river under amber lamps";
/// Light key derivation, so the test is quick (the floor the binary accepts).
const KDF: [&str; 4] = ["--kdf-memory-kib", "19456", "--kdf-iterations", "2"];

/// A fresh database of its own on the test server; `None` when PostgreSQL is not configured.
async fn fresh_database() -> Option<String> {
    let url = std::env::var("TRELLIS_TEST_DATABASE_URL").unwrap_or_default();
    if url.is_empty() {
        assert!(
            std::env::var("TRELLIS_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "TRELLIS_REQUIRE_POSTGRES=1 but TRELLIS_TEST_DATABASE_URL is not set"
        );
        eprintln!("NOTE: hosted use was NOT tested (TRELLIS_TEST_DATABASE_URL is not set)");
        return None;
    }
    let name = format!(
        "hosted_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut admin = sqlx::PgConnection::connect(&url).await.expect("connect");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    let (base, _) = url.rsplit_once('/').expect("a database in the url");
    Some(format!("{base}/{name}"))
}

fn trellis(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trellis"))
        .arg("admin")
        .args(["--data-dir", dir.to_str().unwrap(), "--database-url", url])
        .args(KDF)
        .args(args)
        .output()
        .expect("run trellis admin")
}

/// A running `trellis serve`; stopped (SIGTERM) when dropped.
struct Node {
    child: Child,
    base: String,
    metrics: String,
    /// Standard error's file.
    log: std::path::PathBuf,
    /// Standard output (the log lines go there), read as it comes.
    out: Option<std::thread::JoinHandle<String>>,
}

impl Node {
    fn start(dir: &Path, url: &str) -> Self {
        let log = dir.join("serve.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_trellis"))
            .arg("serve")
            .args(["--data-dir", dir.to_str().unwrap(), "--database-url", url])
            .args(["--mode", "hosted", "--invite-only"])
            .args(["--bind", "127.0.0.1:0", "--metrics-bind", "127.0.0.1:0"])
            .args(KDF)
            .env("TRELLIS_LOG", "trace")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start trellis serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let (mut base, mut metrics) = (String::new(), String::new());
        while base.is_empty() || metrics.is_empty() {
            let line = lines
                .next()
                .expect("trellis serve said where it listens")
                .expect("a line");
            if let Some(rest) = line.strip_prefix("Metrics for operators: ") {
                metrics = rest.trim().to_owned();
            } else if let Some(rest) = line.strip_prefix("Trellis is ready. Open ") {
                base = rest
                    .split(' ')
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_owned();
            }
        }
        let out = std::thread::spawn(move || {
            let mut all = String::new();
            for line in lines.map_while(Result::ok) {
                all.push_str(&line);
                all.push('\n');
            }
            all
        });
        Self {
            child,
            base,
            metrics,
            log,
            out: Some(out),
        }
    }

    /// Stops the node and returns everything it logged.
    fn stop(mut self) -> String {
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let _ = self.child.wait();
        let mut out = self
            .out
            .take()
            .map(|t| t.join().expect("the reader"))
            .unwrap_or_default();
        std::fs::File::open(&self.log)
            .expect("log")
            .read_to_string(&mut out)
            .expect("read log");
        out
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small browser: cookies by name (the `__Host-` cookies are `Secure`, which a real jar
/// would not send over http), the page's form token, same-origin fetch metadata.
struct Browser {
    http: reqwest::Client,
    base: String,
    jar: BTreeMap<String, String>,
    csrf: Option<String>,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Browser {
    fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            jar: BTreeMap::new(),
            csrf: None,
        }
    }

    async fn send(&mut self, rb: reqwest::RequestBuilder) -> Page {
        let cookies: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let r = rb
            .header("sec-fetch-site", "same-origin")
            .header("cookie", cookies.join("; "))
            .send()
            .await
            .expect("request");
        for set in r.headers().get_all("set-cookie") {
            let line = set.to_str().unwrap();
            let (name, rest) = line.split_once('=').unwrap();
            let value = rest.split(';').next().unwrap();
            if value.is_empty() || line.to_ascii_lowercase().contains("max-age=0") {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let body = r.text().await.unwrap();
        let marker = r#"name="csrf" value=""#;
        if let Some(start) = body.find(marker).map(|s| s + marker.len()) {
            let end = start + body[start..].find('"').unwrap();
            self.csrf = Some(body[start..end].to_owned());
        }
        Page {
            status,
            location,
            body,
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let rb = self.http.get(format!("{}{path}", self.base));
        self.send(rb).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        if self.csrf.is_none() {
            self.get("/help").await;
        }
        let mut all = vec![("csrf", self.csrf.clone().unwrap())];
        all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let rb = self.http.post(format!("{}{path}", self.base)).form(&all);
        self.send(rb).await
    }

    async fn sign_up(&mut self, name: &str, pass: &str, invite: &str) -> Page {
        self.get("/setup").await;
        self.post(
            "/setup",
            &[
                ("name", name),
                ("passphrase", pass),
                ("confirm", pass),
                ("invite", invite),
            ],
        )
        .await
    }
}

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

    let node = Node::start(dir.path(), &url);
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
