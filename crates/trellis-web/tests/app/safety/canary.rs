//! Sealed-only storage: a canary typed into every Safety and Support text field (and every
//! version of a boundary) is never found in the SQLite file, its `-wal`/`-shm`, a `pg_dump`,
//! or the logs. Controls prove the scans read real data.

use trellis_core::safety::PLAN_PARTS;

use super::common::{id_in_location, stored};
use crate::harness::{capture_logs, count, scan_sqlite_open_and_closed, Backend, TestApp};

/// Every canary, by the field it was typed into.
fn canaries() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = [
        "boundary-v1",
        "boundary-v2",
        "boundary-group",
        "contact-name",
        "contact-phone",
        "contact-note",
        "support-name",
        "support-reach",
        "support-note",
    ]
    .iter()
    .map(|f| ((*f).to_owned(), format!("CANARY-{}-q7w3", f.to_uppercase())))
    .collect();
    for p in PLAN_PARTS {
        out.push((
            format!("plan-{}", p.key),
            format!("CANARY-PLAN-{}-z9k2", p.key.to_uppercase()),
        ));
    }
    out
}

fn get<'a>(all: &'a [(String, String)], field: &str) -> &'a str {
    &all.iter().find(|(f, _)| f == field).expect("canary").1
}

/// Types every canary in, through the app, and checks each was saved.
async fn journey(app: &TestApp) -> Vec<(String, String)> {
    let all = canaries();
    let mut c = app.set_up().await;
    let r = c
        .post(
            "/safety/boundaries",
            &[
                ("text", get(&all, "boundary-v1")),
                ("new_group", get(&all, "boundary-group")),
                ("state", "firm"),
            ],
        )
        .await;
    let id = id_in_location(&r, "/safety/boundaries#b-");
    app.clock.advance(86_400);
    let mut c = app.unlocked_client().await;
    c.post(
        &format!("/safety/boundaries/{id}"),
        &[
            ("text", get(&all, "boundary-v2")),
            ("group", &format!("own:{}", get(&all, "boundary-group"))),
            ("state", "revisiting"),
        ],
    )
    .await
    .assert_status(303);
    let plan: Vec<(&str, &str)> = PLAN_PARTS
        .iter()
        .map(|p| (p.key, get(&all, &format!("plan-{}", p.key))))
        .collect();
    c.post("/safety/plan", &plan)
        .await
        .assert_redirect("/safety/plan?saved");
    c.post(
        "/safety/contacts",
        &[
            ("name", get(&all, "contact-name")),
            ("phone", get(&all, "contact-phone")),
            ("note", get(&all, "contact-note")),
        ],
    )
    .await
    .assert_status(303);
    c.post(
        "/support/people",
        &[
            ("name", get(&all, "support-name")),
            ("reach", get(&all, "support-reach")),
            ("note", get(&all, "support-note")),
        ],
    )
    .await
    .assert_status(303);
    // Every canary reached the person's pages (so it was stored, sealed, and opens again).
    let mut pages = String::new();
    for path in [
        "/safety/boundaries",
        &format!("/safety/boundaries/{id}"),
        "/safety/plan",
        "/safety/contacts",
        "/support",
    ] {
        pages.push_str(&c.get(path).await.body);
    }
    for (field, value) in &all {
        assert!(
            pages.contains(value.as_str()),
            "{field} was not saved and shown"
        );
    }
    let b = stored::<trellis_core::safety::Boundary>(app, &c).await;
    assert_eq!(b[0].value.history.len(), 2, "both versions are stored");
    c.lock().await;
    all
}

fn hits(bytes: &[u8], all: &[(String, String)]) -> Vec<String> {
    all.iter()
        .filter(|(_, v)| count(bytes, v.as_bytes()) > 0)
        .map(|(f, _)| f.clone())
        .collect()
}

#[tokio::test]
async fn sqlite_files_and_logs_hold_no_safety_or_support_canary() {
    let logs = capture_logs();
    let app = TestApp::sqlite().await;
    let all = journey(&app).await;
    let account = app.account().await.id.as_str().to_owned();
    let mut kinds = 0;
    scan_sqlite_open_and_closed(&app, |bytes, what| {
        let found = hits(bytes, &all);
        assert!(found.is_empty(), "{what} contains {found:?}");
        kinds += count(bytes, b"trusted_contact") + count(bytes, b"support_person");
        count(bytes, account.as_bytes())
    })
    .await;
    assert!(kinds > 0, "control: the record kinds are found in clear");
    app.finish().await;
    let log = logs.bytes();
    assert!(
        String::from_utf8_lossy(&log).contains("unlocked"),
        "the logs were captured"
    );
    let found = hits(&log, &all);
    assert!(found.is_empty(), "the logs contain {found:?}");
}

#[tokio::test]
async fn postgres_dump_holds_no_safety_or_support_canary() {
    let logs = capture_logs();
    let Some(app) = TestApp::on(Backend::Postgres, "safety_canary").await else {
        return;
    };
    let all = journey(&app).await;
    let dump = app.postgres_dump();
    let found = hits(&dump, &all);
    assert!(found.is_empty(), "pg_dump contains {found:?}");
    let account = app.account().await.id.as_str().to_owned();
    assert!(
        count(&dump, account.as_bytes()) > 0,
        "control: the dump holds the account id"
    );
    assert!(
        count(&dump, b"safety_plan") > 0 && count(&dump, b"support_person") > 0,
        "control: the dump holds the records"
    );
    app.finish().await;
    let found = hits(&logs.bytes(), &all);
    assert!(found.is_empty(), "the logs contain {found:?}");
}
