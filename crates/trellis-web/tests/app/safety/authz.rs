//! Another account's record ids: every Safety and Support route answers 404 and changes
//! nothing, whatever the form says.
//! A record id of the wrong kind is not found either. Both databases.

use trellis_core::safety::{Boundary, SafetyPlan, TrustedContact};
use trellis_core::support::SupportPerson;

use super::common::{id_in_location, stored, OTHER_PASS};
use crate::harness::TestApp;

async fn another_accounts_ids_are_not_found_and_nothing_changes(app: &TestApp) {
    // Account A: one of everything.
    let mut a = app.set_up().await;
    let r = a
        .post(
            "/safety/boundaries",
            &[
                ("text", "A's boundary"),
                ("group", "touch"),
                ("state", "firm"),
            ],
        )
        .await;
    let boundary = id_in_location(&r, "/safety/boundaries#b-");
    let r = a
        .post(
            "/safety/contacts",
            &[("name", "A's friend"), ("phone", "07700 900111")],
        )
        .await;
    let contact = id_in_location(&r, "/safety/contacts#c-");
    a.post("/safety/plan", &[("signs", "A's signs")])
        .await
        .assert_redirect("/safety/plan?saved");
    a.post("/support/people", &[("name", "A's counsellor")])
        .await
        .assert_status(303);
    let person = stored::<SupportPerson>(app, &a)
        .await
        .remove(0)
        .id
        .to_string();

    // Account B.
    let mut b = app.second_account(OTHER_PASS).await;
    let before = app.digest().await;
    let boundary_form: &[(&str, &str)] = &[
        ("text", "B was here"),
        ("group", "touch"),
        ("state", "firm"),
    ];
    let contact_form: &[(&str, &str)] = &[("name", "B was here"), ("phone", "123")];
    let person_form: &[(&str, &str)] = &[("name", "B was here"), ("kind", "professional")];
    let invalid: &[(&str, &str)] = &[("text", ""), ("name", ""), ("phone", "")];
    let gets = [
        format!("/safety/boundaries/{boundary}"),
        format!("/safety/boundaries/{boundary}/delete"),
        format!("/safety/contacts/{contact}/edit"),
        format!("/support/people/{person}/edit"),
    ];
    let posts: Vec<(String, &[(&str, &str)])> = vec![
        (format!("/safety/boundaries/{boundary}"), boundary_form),
        (format!("/safety/boundaries/{boundary}/delete"), &[]),
        (format!("/safety/contacts/{contact}"), contact_form),
        (format!("/safety/contacts/{contact}/delete"), &[]),
        (format!("/support/people/{person}"), person_form),
        (format!("/support/people/{person}/connected"), &[]),
        (format!("/support/people/{person}/delete"), &[]),
    ];
    for path in &gets {
        let r = b.get(path).await;
        r.assert_status(404);
        r.assert_calm_page("We couldn't find that page");
        assert!(!r.has("A's"), "{path} leaks A's words");
    }
    for (path, form) in &posts {
        for fields in [*form, invalid] {
            let r = b.post(path, fields).await;
            assert_eq!(
                r.status.as_u16(),
                404,
                "POST {path} {fields:?}: {}",
                r.snippet()
            );
            assert!(!r.has("A's"), "{path} leaks A's words");
        }
    }
    assert_eq!(
        before,
        app.digest().await,
        "B changed nothing (not even a throttle counter)"
    );

    // B's own lists show none of A's things, and B's plan is B's own.
    for path in [
        "/safety/boundaries",
        "/safety/contacts",
        "/safety/plan",
        "/safety/plan/print",
        "/support",
        "/help",
    ] {
        let r = b.get(path).await;
        r.assert_status(200);
        assert!(!r.has("A's"), "{path} shows A's words to B");
    }
    b.post("/safety/plan", &[("signs", "B's signs")])
        .await
        .assert_redirect("/safety/plan?saved");

    // A's records are exactly as they were.
    let plans = stored::<SafetyPlan>(app, &a).await;
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].value.signs, "A's signs");
    assert_eq!(
        stored::<SafetyPlan>(app, &b).await[0].value.signs,
        "B's signs"
    );
    let bs = stored::<Boundary>(app, &a).await;
    assert_eq!(
        (bs.len(), bs[0].value.history.len(), bs[0].value.text()),
        (1, 1, "A's boundary")
    );
    assert_eq!(
        stored::<TrustedContact>(app, &a).await[0].value.name,
        "A's friend"
    );
    let ps = stored::<SupportPerson>(app, &a).await;
    assert_eq!(
        (ps[0].value.name.as_str(), ps[0].value.last_connected),
        ("A's counsellor", None)
    );
    assert!(stored::<Boundary>(app, &b).await.is_empty());
    assert!(stored::<TrustedContact>(app, &b).await.is_empty());
    assert!(stored::<SupportPerson>(app, &b).await.is_empty());

    // Control: A reaches every one of these.
    for path in &gets {
        a.get(path).await.assert_status(200);
    }
}

async fn an_id_of_another_kind_is_not_found(app: &TestApp) {
    let mut a = app.set_up().await;
    let r = a
        .post(
            "/safety/boundaries",
            &[("text", "Mine"), ("group", "touch")],
        )
        .await;
    let boundary = id_in_location(&r, "/safety/boundaries#b-");
    let r = a
        .post(
            "/safety/contacts",
            &[("name", "Friend"), ("phone", "07700 900111")],
        )
        .await;
    let contact = id_in_location(&r, "/safety/contacts#c-");
    let before = app.digest().await;
    for (path, fields) in [
        (format!("/safety/contacts/{boundary}"), vec![("name", "x")]),
        (format!("/safety/contacts/{boundary}/delete"), vec![]),
        (format!("/support/people/{boundary}"), vec![("name", "x")]),
        (format!("/support/people/{boundary}/connected"), vec![]),
        (format!("/support/people/{contact}/delete"), vec![]),
        (
            format!("/safety/boundaries/{contact}"),
            vec![("text", "x"), ("group", "touch")],
        ),
        (format!("/safety/boundaries/{contact}/delete"), vec![]),
    ] {
        a.post(&path, &fields).await.assert_status(404);
    }
    for path in [
        format!("/safety/contacts/{boundary}/edit"),
        format!("/support/people/{contact}/edit"),
        format!("/safety/boundaries/{contact}"),
    ] {
        a.get(&path).await.assert_status(404);
    }
    assert_eq!(before, app.digest().await);
}

on_both_databases!(
    another_accounts_ids_are_not_found_and_nothing_changes,
    an_id_of_another_kind_is_not_found
);
