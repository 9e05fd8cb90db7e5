//! Trusted contacts: call and text links, changed without the passphrase again (only what is
//! destructive or exposes everything asks for it), shown in the plan and on Help now only while
//! unlocked; bad input keeps the text. Both databases.

use trellis_core::safety::TrustedContact;

use super::common::{
    assert_alert, assert_inert, id_in_location, stored, textarea, BREAKOUT, SCRIPT,
};
use crate::harness::TestApp;

const WRONG: &str = "not the passphrase at all";

/// No form on the page asks for the passphrase.
#[track_caller]
fn asks_no_passphrase(r: &crate::harness::Resp) {
    assert!(
        !r.body.contains("type=\"password\"") && !r.body.contains("name=\"current\""),
        "{}",
        r.snippet()
    );
}

async fn contacts_are_added_changed_and_removed_without_the_passphrase_again(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/safety/contacts").await;
    r.assert_status(200);
    r.assert_calm_page("Trusted contacts");
    assert!(r.has("No one is here yet"));
    asks_no_passphrase(&r);

    let add = [
        ("name", "Ana"),
        ("phone", "+44 (0)7700 900-123"),
        ("note", "Evenings are best"),
    ];
    let r = c.post("/safety/contacts", &add).await;
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

    // Change: the form holds what was saved; no passphrase is asked.
    let r = c.get(&format!("/safety/contacts/{id}/edit")).await;
    r.assert_status(200);
    asks_no_passphrase(&r);
    assert_eq!(
        r.input_value("phone").as_deref(),
        Some("+44 (0)7700 900-123")
    );
    c.post(
        &format!("/safety/contacts/{id}"),
        &[("name", "Ana B"), ("phone", "0800 1111"), ("note", "")],
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
        // A form from before still sending a passphrase is fine: it is not looked at (and
        // not counted as a try).
        &[
            ("name", "Neighbour"),
            ("phone", "ask at no. 4"),
            ("current", WRONG),
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

    // Remove: one press.
    c.post(&format!("/safety/contacts/{id}/delete"), &[])
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
            &[("name", "Sam"), ("phone", "07700 900456")],
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
        let r = c.post("/safety/contacts", &fields).await;
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
        let r = c.post(&format!("/safety/contacts/{id}"), &fields).await;
        r.assert_status(400);
        assert_alert(&r, words);
        assert_eq!(before, app.digest().await, "nothing changed ({words})");
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
    contacts_are_added_changed_and_removed_without_the_passphrase_again,
    bad_contact_input_keeps_the_text_and_changes_nothing,
    contact_text_with_script_is_shown_as_text,
);
