//! Trusted contacts: call and text links, passphrase again for every change, shown in the
//! plan and on Help now only while unlocked; bad input keeps the text. Both databases.

use trellis_core::safety::TrustedContact;

use super::common::{
    assert_alert, assert_inert, id_in_location, stored, textarea, BREAKOUT, SCRIPT,
};
use crate::harness::{TestApp, PASS};

const WRONG: &str = "not the passphrase at all";

async fn contacts_are_added_changed_and_removed_with_the_passphrase(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/safety/contacts").await;
    r.assert_status(200);
    r.assert_calm_page("Trusted contacts");
    assert!(r.has("No one is here yet"));

    let add = [
        ("name", "Ana"),
        ("phone", "+44 (0)7700 900-123"),
        ("note", "Evenings are best"),
    ];
    let before = app.digest().await;
    let mut wrong = add.to_vec();
    wrong.push(("current", WRONG));
    let r = c.post("/safety/contacts", &wrong).await;
    r.assert_status(400);
    assert_alert(&r, "didn't match");
    assert_eq!(r.input_value("name").as_deref(), Some("Ana"));
    assert_eq!(
        r.input_value("phone").as_deref(),
        Some("+44 (0)7700 900-123")
    );
    assert_eq!(textarea(&r, "note").as_deref(), Some("Evenings are best"));
    assert!(stored::<TrustedContact>(app, &c).await.is_empty());
    assert_ne!(
        before,
        app.digest().await,
        "control: the wrong try was counted for throttling"
    );

    let mut right = add.to_vec();
    right.push(("current", PASS));
    let r = c.post("/safety/contacts", &right).await;
    let id = id_in_location(&r, "/safety/contacts#c-");
    let r = c.get("/safety/contacts").await;
    assert!(r.has("+44 (0)7700 900-123"), "shown exactly as typed");
    assert!(
        r.body.contains(r#"href="tel:+447700900123""#),
        "{}",
        r.snippet()
    );
    assert!(r.body.contains(r#"href="sms:+447700900123""#));
    assert!(r.has("Evenings are best"));

    // In the plan (part 4) and on Help now, while unlocked.
    let r = c.get("/safety/plan").await;
    assert!(r.has("Ana") && r.body.contains(r#"href="tel:+447700900123""#));
    let r = c.get("/safety/plan/print").await;
    assert!(r.has("Ana: +44 (0)7700 900-123"));
    let r = c.get("/help?country=GB").await;
    assert!(
        r.has("Your people") && r.body.contains(r#"href="sms:+447700900123""#),
        "{}",
        r.snippet()
    );
    let before_help = r.body.find("Your people").unwrap();
    assert!(
        before_help < r.body.find("Samaritans").unwrap(),
        "the person's own people come first"
    );
    // Never while locked.
    let mut stranger = app.client();
    let r = stranger.get("/help?country=GB").await;
    r.assert_status(200);
    assert!(!r.has("Your people") && !r.has("Ana") && !r.body.contains("7700900123"));

    // Change: the form holds what was saved; the passphrase is asked again.
    let r = c.get(&format!("/safety/contacts/{id}/edit")).await;
    r.assert_status(200);
    assert_eq!(
        r.input_value("phone").as_deref(),
        Some("+44 (0)7700 900-123")
    );
    let before = app.digest().await;
    let r = c
        .post(
            &format!("/safety/contacts/{id}"),
            &[
                ("name", "Ana B"),
                ("phone", "0800 1111"),
                ("note", ""),
                ("current", ""),
            ],
        )
        .await;
    r.assert_status(400);
    assert_alert(&r, "type your passphrase");
    assert_eq!(r.input_value("name").as_deref(), Some("Ana B"), "kept");
    assert_eq!(before, app.digest().await);
    c.post(
        &format!("/safety/contacts/{id}"),
        &[
            ("name", "Ana B"),
            ("phone", "0800 1111"),
            ("note", ""),
            ("current", PASS),
        ],
    )
    .await
    .assert_redirect(&format!("/safety/contacts#c-{id}"));
    let saved = stored::<TrustedContact>(app, &c).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(
        saved[0].value,
        TrustedContact {
            name: "Ana B".into(),
            phone: "0800 1111".into(),
            note: String::new()
        }
    );
    let r = c.get("/safety/contacts").await;
    assert!(r.body.contains(r#"href="tel:08001111""#));

    // A number too short to dial gets no links but is still shown.
    c.post(
        "/safety/contacts",
        &[
            ("name", "Neighbour"),
            ("phone", "ask at no. 4"),
            ("current", PASS),
        ],
    )
    .await
    .assert_status(303);
    let r = c.get("/safety/contacts").await;
    assert!(r.has("ask at no. 4"));
    assert_eq!(
        r.body.matches("href=\"tel:").count(),
        1,
        "only the dialable number has a link"
    );

    // Remove: wrong passphrase keeps it, right one removes it.
    let before = app.digest().await;
    let r = c
        .post(
            &format!("/safety/contacts/{id}/delete"),
            &[("current", WRONG)],
        )
        .await;
    r.assert_status(400);
    assert_alert(&r, "didn't match");
    assert_eq!(stored::<TrustedContact>(app, &c).await.len(), 2);
    assert_ne!(
        before,
        app.digest().await,
        "control: a failure was recorded"
    );
    c.post(
        &format!("/safety/contacts/{id}/delete"),
        &[("current", PASS)],
    )
    .await
    .assert_redirect("/safety/contacts");
    assert_eq!(stored::<TrustedContact>(app, &c).await.len(), 1);
    c.get(&format!("/safety/contacts/{id}/edit"))
        .await
        .assert_status(404);
}

async fn bad_contact_input_keeps_the_text_and_changes_nothing(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c
        .post(
            "/safety/contacts",
            &[
                ("name", "Sam"),
                ("phone", "07700 900456"),
                ("current", PASS),
            ],
        )
        .await;
    let id = id_in_location(&r, "/safety/contacts#c-");
    let before = app.digest().await;
    let name = "n".repeat(101);
    let phone = "1".repeat(41);
    let note = "Call after six. ".repeat(32);
    for (fields, words) in [
        (
            vec![("name", name.as_str()), ("phone", "123"), ("note", "")],
            "100 characters",
        ),
        (
            vec![("name", "Jo"), ("phone", phone.as_str()), ("note", "")],
            "40 characters",
        ),
        (
            vec![("name", "Jo"), ("phone", "123"), ("note", note.as_str())],
            "500 characters",
        ),
        (
            vec![("name", "  "), ("phone", ""), ("note", "just a note")],
            "a name or a number",
        ),
    ] {
        let mut with_pass = fields.clone();
        with_pass.push(("current", PASS));
        let r = c.post("/safety/contacts", &with_pass).await;
        r.assert_status(400);
        assert_alert(&r, words);
        for (k, v) in &fields {
            let shown = if *k == "note" {
                textarea(&r, "note")
            } else {
                r.input_value(k)
            };
            assert_eq!(shown.as_deref(), Some(*v), "{k} kept ({words})");
        }
        let r = c.post(&format!("/safety/contacts/{id}"), &with_pass).await;
        r.assert_status(400);
        assert_alert(&r, words);
        assert_eq!(
            before,
            app.digest().await,
            "nothing changed ({words}); the passphrase was not even checked"
        );
    }
    assert_eq!(stored::<TrustedContact>(app, &c).await[0].value.name, "Sam");
}

async fn contact_text_with_script_is_shown_as_text(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c
        .post(
            "/safety/contacts",
            &[
                ("name", SCRIPT),
                ("phone", BREAKOUT),
                ("note", SCRIPT),
                ("current", PASS),
            ],
        )
        .await;
    let id = id_in_location(&r, "/safety/contacts#c-");
    for path in [
        "/safety/contacts".to_owned(),
        format!("/safety/contacts/{id}/edit"),
        "/safety/plan".into(),
        "/safety/plan/print".into(),
        "/help".into(),
    ] {
        let r = c.get(&path).await;
        r.assert_status(200);
        assert_inert(&r);
        assert!(r.has(SCRIPT), "{path}");
    }
    let r = c.get("/safety/contacts").await;
    assert!(
        !r.body.contains("href=\"tel:"),
        "the breakout has one digit: no link at all"
    );
}

on_both_databases!(
    contacts_are_added_changed_and_removed_with_the_passphrase,
    bad_contact_input_keeps_the_text_and_changes_nothing,
    contact_text_with_script_is_shown_as_text,
);
