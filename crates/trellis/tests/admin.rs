//! `trellis admin`: counts only, and deleting one named account for a client who asked. The
//! real binary on a real SQLite data directory; no command prints a name or what anyone wrote.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::text;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use trellis_core::clock::SystemClock;
use trellis_core::journal::{EntryInput, EntryKind};
use trellis_core::{Policy, Requester, SetUp, Trellis};
use trellis_vault::{KdfParams, Pepper, ServerSecret};

const CANARY: &str = "CANARY-ADMIN-6b1e words only Robin may read";

fn admin(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trellis"))
        .arg("admin")
        .arg("--data-dir")
        .arg(dir)
        .args(["--kdf-memory-kib", "19456", "--kdf-iterations", "2"])
        .args(args)
        .output()
        .expect("run trellis admin")
}

fn secret(path: &Path) -> Vec<u8> {
    hex::decode(std::fs::read_to_string(path).expect("secret").trim()).expect("hex")
}

/// Two people sign up on the data directory the binary made (its secrets, its database), and
/// Robin writes something.
async fn two_people(dir: &Path) {
    let store = trellis_store::open_store(None, &dir.join("trellis.db"))
        .await
        .expect("store");
    let trellis = Trellis::new(
        Arc::new(store.clone()),
        Pepper::from_bytes(&secret(&dir.join("pepper")), 1).expect("pepper"),
        ServerSecret::from_bytes(&secret(&dir.join("session-secret"))).expect("secret"),
        Policy {
            kdf: KdfParams::FLOOR,
            open_signup: true,
            ..Policy::default()
        },
        Arc::new(SystemClock),
    )
    .expect("trellis");
    trellis.check_secrets().await.expect("the same secrets");
    for name in ["Robin", "Sam"] {
        let pass = "a long passphrase for the test";
        let form = SetUp {
            name,
            passphrase: pass,
            confirm: pass,
            ..SetUp::default()
        };
        let session = trellis
            .set_up_with(&form, &Requester::default())
            .await
            .expect("set up");
        if name == "Robin" {
            let me = trellis
                .authenticate(session.cookie_value.as_str())
                .await
                .unwrap()
                .unwrap();
            let entry = EntryInput {
                kind: EntryKind::Free,
                texts: [("text".to_owned(), CANARY.to_owned())]
                    .into_iter()
                    .collect(),
                mood: String::new(),
                tags: String::new(),
                day: String::new(),
            };
            trellis.journal(&me).add(&entry).await.expect("entry");
        }
    }
    store.close().await;
}

#[tokio::test]
async fn stats_count_and_delete_account_removes_only_that_person() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = admin(dir.path(), &["stats"]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains("accounts: 0"), "{}", text(&first));
    two_people(dir.path()).await;

    let stats = admin(dir.path(), &["stats"]);
    assert!(
        stats.status.success() && text(&stats).contains("accounts: 2"),
        "{}",
        text(&stats)
    );
    assert!(text(&stats).contains("database size:"));
    assert!(
        text(&stats).contains("signed in during the last 7 days: 2"),
        "{}",
        text(&stats)
    );

    // Any case, extra spaces: the name as the person would say it.
    let gone = admin(dir.path(), &["delete-account", "  robin "]);
    assert!(gone.status.success(), "{}", text(&gone));
    assert!(text(&admin(dir.path(), &["stats"])).contains("accounts: 1"));
    let again = admin(dir.path(), &["delete-account", "Robin"]);
    assert!(
        !again.status.success() && text(&again).contains("No account has that name"),
        "{}",
        text(&again)
    );
    let empty = admin(dir.path(), &["delete-account", ""]);
    assert!(!empty.status.success());
    assert!(
        text(&admin(dir.path(), &["stats"])).contains("accounts: 1"),
        "Sam is still here"
    );

    // Nothing any command printed, and nothing left on disk, holds the words or a name.
    for out in [&first, &stats, &gone, &again, &empty] {
        let t = text(out);
        assert!(
            !t.contains("CANARY") && !t.contains("Robin") && !t.contains("Sam"),
            "{t}"
        );
    }
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).unwrap_or_default();
        assert!(
            !bytes.windows(6).any(|w| w == b"CANARY"),
            "no words in clear on disk"
        );
    }
}

#[tokio::test]
async fn invite_prints_one_time_codes_that_sign_up_works_with_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = admin(dir.path(), &["invite", "--count", "3", "--expires", "14d"]);
    assert!(out.status.success(), "{}", text(&out));
    let codes: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
    for bad in [["--expires", "0d"], ["--expires", "soon"], ["--count", "0"]] {
        assert!(
            !admin(dir.path(), &["invite", bad[0], bad[1]])
                .status
                .success(),
            "{bad:?}"
        );
    }
    let store = trellis_store::open_store(None, &dir.path().join("trellis.db"))
        .await
        .expect("store");
    let trellis = Trellis::new(
        Arc::new(store.clone()),
        Pepper::from_bytes(&secret(&dir.path().join("pepper")), 1).expect("pepper"),
        ServerSecret::from_bytes(&secret(&dir.path().join("session-secret"))).expect("secret"),
        Policy {
            kdf: KdfParams::FLOOR,
            invite_signup: true,
            ..Policy::default()
        },
        Arc::new(SystemClock),
    )
    .expect("trellis");
    let pass = "a long passphrase for the test";
    let form = |name, invite| SetUp {
        name,
        passphrase: pass,
        confirm: pass,
        invite,
        ..SetUp::default()
    };
    let who = Requester::default();
    assert!(trellis
        .set_up_with(&form("Robin", &codes[0]), &who)
        .await
        .is_ok());
    assert!(matches!(
        trellis.set_up_with(&form("Sam", &codes[0]), &who).await,
        Err(trellis_core::UnlockError::BadInvite)
    ));
    assert!(trellis
        .set_up_with(&form("Sam", &codes[1]), &who)
        .await
        .is_ok());
    store.close().await;
    let stats = admin(dir.path(), &["stats"]);
    assert!(text(&stats).contains("accounts: 2"), "{}", text(&stats));
}

/// Secrets given as environment values (as container platforms hand them over) are used
/// instead of files, recorded by their fingerprint like file secrets, and refused when they
/// change over existing data.
#[test]
fn secrets_may_come_from_the_environment_and_are_checked_the_same_way() {
    let dir = tempfile::tempdir().expect("temp dir");
    let with = |pepper: &str, session: &str| {
        Command::new(env!("CARGO_BIN_EXE_trellis"))
            .args(["admin", "--data-dir", dir.path().to_str().unwrap(), "stats"])
            .env("TRELLIS_PEPPER", pepper)
            .env("TRELLIS_SESSION_SECRET", session)
            .output()
            .expect("run trellis admin")
    };
    let (pepper, session) = ("ab".repeat(32), "cd".repeat(32));
    let first = with(&pepper, &session);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        !dir.path().join("pepper").exists(),
        "no file is made for a given secret"
    );
    assert!(!dir.path().join("session-secret").exists());
    assert!(
        with(&pepper, &session).status.success(),
        "the same values again"
    );
    let other = with(&"ef".repeat(32), &session);
    assert!(!other.status.success());
    assert!(
        text(&other).contains("not the ones this data was made with"),
        "{}",
        text(&other)
    );
    let short = with("abc", &session);
    assert!(!short.status.success());
    assert!(text(&short).contains("TRELLIS_PEPPER should hold 64 hexadecimal characters"));
    assert!(
        !text(&short).contains("abc"),
        "a secret's value is never printed"
    );
    let none = admin(dir.path(), &["stats"]);
    assert!(
        !none.status.success(),
        "without the values, and no files: refused"
    );
    assert!(
        text(&none).contains("give its value in TRELLIS_PEPPER"),
        "{}",
        text(&none)
    );
}

/// A running local Trellis keeps account and session rows in memory, so deleting an account
/// under it is refused until it stops (then it works).
#[test]
fn deleting_an_account_waits_for_a_local_server_to_stop() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut serve = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(["serve", "--data-dir", dir.path().to_str().unwrap()])
        .args(["--bind", "127.0.0.1:0", "--kdf-memory-kib", "19456"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start trellis serve");
    let mut lines = BufReader::new(serve.stdout.take().expect("stdout")).lines();
    while !lines
        .next()
        .expect("a line")
        .expect("text")
        .starts_with("Trellis is ready")
    {}
    let refused = admin(dir.path(), &["delete-account", "Robin"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("already running with the data directory"),
        "{}",
        text(&refused)
    );
    let _ = serve.kill();
    let _ = serve.wait();
    let after = admin(dir.path(), &["delete-account", "Robin"]);
    assert!(
        text(&after).contains("No account has that name"),
        "{}",
        text(&after)
    );
}
