//! "The database holds no usable key" and "no secrets in logs" (security design, required
//! tests 5 and 10): drive the app with canary strings, then scan the database files (or a
//! `pg_dump`) and the captured logs as raw bytes.

use std::path::PathBuf;

use trellis_vault::record::unwrap_data_key;
use trellis_vault::{derive_passphrase_keys, KdfParams, Pepper, WrapContext, WrapKind};

use super::harness::{
    capture_logs, count, scan_sqlite_open_and_closed, Backend, Client, Db, TestApp, PEPPER,
};

const PASS_1: &str = "CANARY-PASS-7f3a9c quiet river";
const PASS_2: &str = "CANARY-PASS2-e4d2 amber lamps";
const WRONG: &str = "CANARY-WRONG-5e1f silver gate";
const NAME: &str = "CANARY-NAME-b81d";

/// Everything sensitive the run produced.
struct Secrets {
    fixed: Vec<(String, String)>,
}

impl Secrets {
    fn all(&self) -> &[(String, String)] {
        &self.fixed
    }
}

/// Scans `bytes` for every secret; returns the names of those found.
fn hits(bytes: &[u8], secrets: &Secrets) -> Vec<String> {
    secrets
        .all()
        .iter()
        .filter(|(_, v)| count(bytes, v.as_bytes()) > 0)
        .map(|(what, _)| what.clone())
        .collect()
}

/// Drives the whole journey over HTTP. Returns what the browser was given.
async fn journey(app: &TestApp) -> Secrets {
    let mut c = app.client();
    c.get("/").await.assert_redirect("/welcome");
    c.get("/welcome").await.assert_status(200);
    c.get("/setup").await.assert_status(200);
    let r = c.setup(PASS_1, true).await;
    r.assert_status(200);
    let code = r
        .body
        .split("aria-label=\"Recovery code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the recovery code is shown once")
        .to_owned();
    assert_eq!(code.len(), 39, "8 groups of 4: {code}");
    c.post("/settings/name", &[("display_name", NAME)])
        .await
        .assert_redirect("/settings");
    let r = c.get("/").await;
    assert_eq!(r.title().as_deref(), Some(NAME), "the name works");
    let r = c
        .post(
            "/settings/passphrase",
            &[
                ("current", PASS_1),
                ("passphrase", PASS_2),
                ("confirm", PASS_2),
            ],
        )
        .await;
    r.assert_status(200);
    c.lock().await;
    c.unlock(WRONG).await.assert_status(401);
    c.unlock_ok(PASS_2).await;
    let r = c.get("/settings").await;
    assert_eq!(r.input_value("display_name").as_deref(), Some(NAME));
    c.post("/settings/autolock", &[("minutes", "5")])
        .await
        .assert_status(200);
    // A second device, then the first one locks; the second quick-exits.
    let mut d = Client::new(&app.base);
    d.unlock_ok(PASS_2).await;
    d.get("/settings/devices").await.assert_status(200);
    c.lock().await;
    let r = d.post("/exit", &[]).await;
    assert_eq!(r.status.as_u16(), 303);
    // The expiry path too.
    let mut e = Client::new(&app.base);
    e.unlock_ok(PASS_2).await;
    app.clock.advance(5 * 60);
    e.get("/settings").await.assert_redirect("/unlock?quiet");

    let mut fixed = vec![
        ("passphrase 1".to_owned(), PASS_1.to_owned()),
        ("passphrase 2".to_owned(), PASS_2.to_owned()),
        ("wrong passphrase".to_owned(), WRONG.to_owned()),
        ("display name".to_owned(), NAME.to_owned()),
        ("recovery code".to_owned(), code.clone()),
        (
            "recovery code (normalized)".to_owned(),
            code.replace('-', ""),
        ),
    ];
    for (who, client) in [("c", &c), ("d", &d), ("e", &e)] {
        for (i, v) in client.seen.iter().enumerate() {
            fixed.push((format!("cookie or form token #{i} of {who}"), v.clone()));
        }
    }
    assert!(
        fixed.len() > 12,
        "the browsers were given cookies and tokens"
    );
    Secrets { fixed }
}

/// No offline oracle: without the pepper, the right passphrase does not even match the verifier.
async fn no_oracle_without_the_pepper(app: &TestApp) {
    let account = app.account().await;
    let params = KdfParams::parse(&account.kdf_params).expect("stored params");
    let ctx = WrapContext {
        account_id: account.id.as_str(),
        key_id: account.key_id,
        kdf_params: &account.kdf_params,
        pepper_version: account.pepper_version,
    };
    let right = Pepper::from_bytes(&PEPPER, 1).expect("pepper");
    let keys =
        derive_passphrase_keys(PASS_2.as_bytes(), &account.salt, params, &right).expect("derive");
    assert!(
        keys.auth.matches(&account.auth_verifier),
        "control: with the pepper it matches"
    );
    assert!(unwrap_data_key(
        &keys.kek,
        &account.wrapped_udk_pw,
        WrapKind::Passphrase,
        &ctx
    )
    .is_ok());
    for guess in [[0u8; 32], [8u8; 32], [0xff; 32]] {
        let pepper = Pepper::from_bytes(&guess, 1).expect("pepper");
        for pass in [PASS_2, PASS_1, "password1234"] {
            let keys = derive_passphrase_keys(pass.as_bytes(), &account.salt, params, &pepper)
                .expect("derive");
            assert!(
                !keys.auth.matches(&account.auth_verifier),
                "an oracle without the pepper"
            );
            assert!(unwrap_data_key(
                &keys.kek,
                &account.wrapped_udk_pw,
                WrapKind::Passphrase,
                &ctx
            )
            .is_err());
        }
    }
    // The old passphrase no longer matches even with the pepper.
    let keys =
        derive_passphrase_keys(PASS_1.as_bytes(), &account.salt, params, &right).expect("derive");
    assert!(!keys.auth.matches(&account.auth_verifier));
}

#[tokio::test]
async fn sqlite_files_and_logs_hold_no_canary_cookie_or_token() {
    let logs = capture_logs();
    let app = TestApp::sqlite().await;
    let secrets = journey(&app).await;
    no_oracle_without_the_pepper(&app).await;
    let account_id = app.account().await.id.as_str().to_owned();
    scan_sqlite_open_and_closed(&app, |bytes, what| {
        let found = hits(bytes, &secrets);
        assert!(found.is_empty(), "{what} contains: {found:?}");
        count(bytes, account_id.as_bytes())
    })
    .await;
    app.finish().await;
    let log = logs.bytes();
    let text = String::from_utf8_lossy(&log);
    assert!(
        text.contains("unlocked"),
        "the logs were captured: {}",
        &text[..text.len().min(2000)]
    );
    let events: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("event=").nth(1))
        .collect();
    assert!(
        text.contains("passphrase_changed") && text.contains("unlock_failed"),
        "events logged: {events:?}"
    );
    let found = hits(&log, &secrets);
    assert!(found.is_empty(), "the logs contain {found:?}");
}

#[tokio::test]
async fn postgres_dump_and_logs_hold_no_canary_cookie_or_token() {
    let logs = capture_logs();
    let Some(app) = TestApp::on(Backend::Postgres, "canary").await else {
        return;
    };
    let secrets = journey(&app).await;
    no_oracle_without_the_pepper(&app).await;
    let dump = app.postgres_dump();
    let text = String::from_utf8_lossy(&dump);
    assert!(
        text.contains("COPY") && text.contains("sessions"),
        "the dump has the data"
    );
    let found = hits(&dump, &secrets);
    assert!(found.is_empty(), "pg_dump contains {found:?}");
    let account_id = app.account().await.id.as_str().to_owned();
    assert!(
        count(&dump, account_id.as_bytes()) > 0,
        "control: the dump holds the account id"
    );
    app.finish().await;
    let log = logs.bytes();
    assert!(
        String::from_utf8_lossy(&log).contains("unlocked"),
        "the logs were captured"
    );
    let found = hits(&log, &secrets);
    assert!(found.is_empty(), "the logs contain {found:?}");
}

/// Locking folds SQLite's write-ahead log back into the file and truncates it, so deleted
/// session rows do not linger in `-wal` (the promise of `Store::checkpoint` and `Trellis::lock`).
#[tokio::test]
async fn locking_truncates_the_sqlite_wal() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    c.post("/settings/name", &[("display_name", "Notes")])
        .await
        .assert_redirect("/settings");
    let Db::Sqlite { path, .. } = &app.db else {
        unreachable!()
    };
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(before > 0, "writes went to the WAL");
    c.lock().await;
    let after = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(
        after, 0,
        "after lock the WAL still holds {after} bytes (was {before})"
    );
    app.finish().await;
}
