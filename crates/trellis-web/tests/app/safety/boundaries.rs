//! Boundaries: add, change (history kept and dated), own groups, delete; bad input keeps the
//! text and changes nothing; script stays text. Both databases.

use trellis_core::safety::{Boundary, BoundaryState, Group, StartingGroup};

use super::common::{
    assert_alert, assert_inert, id_in_location, stored, textarea, BREAKOUT, SCRIPT,
};
use crate::harness::TestApp;

const DAY: i64 = 86_400;

async fn boundaries_are_added_changed_with_history_and_deleted(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/safety/boundaries").await;
    r.assert_status(200);
    r.assert_calm_page("Boundaries");
    for heading in [
        "Personal space",
        "Topics I'm not ready to discuss",
        "Touch",
        "How I want people to communicate with me",
    ] {
        assert!(r.has(heading), "{heading}");
    }

    let r = c
        .post(
            "/safety/boundaries",
            &[
                ("text", "Ask before hugging me"),
                ("group", "touch"),
                ("new_group", ""),
                ("state", "firm"),
            ],
        )
        .await;
    let id = id_in_location(&r, "/safety/boundaries#b-");
    let r = c.get("/safety/boundaries").await;
    assert!(r.has("Ask before hugging me") && r.has("Firm"));
    let r = c.get(&format!("/safety/boundaries/{id}")).await;
    r.assert_status(200);
    assert!(r.has("This is the first version"), "{}", r.snippet());
    assert_eq!(
        textarea(&r, "text").as_deref(),
        Some("Ask before hugging me"),
        "the form holds the words"
    );

    // Three days later: softened and being revisited.
    app.clock.advance(3 * DAY);
    let mut c = app.unlocked_client().await;
    let r = c
        .post(
            &format!("/safety/boundaries/{id}"),
            &[
                ("text", "Hugs from my sister are okay"),
                ("group", "touch"),
                ("state", "revisiting"),
            ],
        )
        .await;
    r.assert_redirect(&format!("/safety/boundaries/{id}?saved#main"));
    let r = c.get(&format!("/safety/boundaries/{id}?saved")).await;
    assert!(r.has("Saved."));
    assert!(r.has("How it has changed"));
    let newer = r
        .body
        .find("Hugs from my sister are okay")
        .expect("current words");
    let history_at = r.body.find("How it has changed").expect("history heading");
    let older = r.body[history_at..]
        .find("Ask before hugging me")
        .expect("older words kept");
    assert!(
        r.body[history_at..].find("Hugs from my sister").unwrap() < older,
        "newest first"
    );
    assert!(newer < history_at);

    let items = stored::<Boundary>(app, &c).await;
    assert_eq!(items.len(), 1);
    let b = &items[0].value;
    assert_eq!(b.history.len(), 2, "the earlier version is kept");
    assert_eq!(b.history[0].text, "Ask before hugging me");
    assert_eq!(b.history[0].state, BoundaryState::Firm);
    assert_eq!(b.history[1].state, BoundaryState::Revisiting);
    assert_eq!(
        b.history[1].day - b.history[0].day,
        3 * DAY,
        "each version is dated"
    );

    // Saving the same words and state adds nothing; moving to a new group of one's own works.
    let r = c
        .post(
            &format!("/safety/boundaries/{id}"),
            &[
                ("text", "Hugs from my sister are okay"),
                ("group", "touch"),
                ("new_group", "Family visits"),
                ("state", "revisiting"),
            ],
        )
        .await;
    r.assert_status(303);
    let b = stored::<Boundary>(app, &c).await.remove(0).value;
    assert_eq!(b.history.len(), 2);
    assert_eq!(b.group, Group::Own("Family visits".into()));
    let r = c.get("/safety/boundaries").await;
    assert!(r.has("Family visits"));
    assert!(
        r.body.contains(r#"<option value="own:Family visits">"#),
        "own groups are offered in the form"
    );

    // A second boundary into the own group by its list value.
    let r = c
        .post(
            "/safety/boundaries",
            &[
                ("text", "Visits end by eight"),
                ("group", "own:Family visits"),
                ("state", ""),
            ],
        )
        .await;
    let second = id_in_location(&r, "/safety/boundaries#b-");
    let items = stored::<Boundary>(app, &c).await;
    let s = items.iter().find(|i| i.id.as_str() == second).unwrap();
    assert_eq!(s.value.group, Group::Own("Family visits".into()));
    assert_eq!(
        s.value.state(),
        BoundaryState::ForNow,
        "empty state = for now"
    );

    // Delete asks once, then removes it with its history.
    let r = c.get(&format!("/safety/boundaries/{id}/delete")).await;
    r.assert_status(200);
    assert!(r.has("Delete this boundary?") && r.has("Hugs from my sister are okay"));
    c.post(&format!("/safety/boundaries/{id}/delete"), &[])
        .await
        .assert_redirect("/safety/boundaries");
    c.get(&format!("/safety/boundaries/{id}"))
        .await
        .assert_status(404);
    let left = stored::<Boundary>(app, &c).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id.as_str(), second);
    c.post(&format!("/safety/boundaries/{id}/delete"), &[])
        .await
        .assert_status(404);
}

async fn bad_boundary_input_keeps_the_text_and_changes_nothing(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c
        .post(
            "/safety/boundaries",
            &[
                ("text", "Knock first"),
                ("group", "personal_space"),
                ("state", "firm"),
            ],
        )
        .await;
    let id = id_in_location(&r, "/safety/boundaries#b-");
    let before = app.digest().await;

    let long = format!("{}{}", "Please give me room. ".repeat(47), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    assert!(long.chars().count() > 1_000);
    for (fields, words) in [
        (
            vec![
                ("text", long.as_str()),
                ("group", "topics"),
                ("state", "firm"),
            ],
            "longer than 1,000 characters",
        ),
        (
            vec![("text", "   "), ("group", "topics"), ("state", "firm")],
            "in a few words",
        ),
        (
            vec![
                ("text", "Not yet"),
                ("group", "nonsense"),
                ("state", "firm"),
            ],
            "choose one of the groups",
        ),
        (
            vec![
                ("text", "Not yet"),
                ("group", "topics"),
                ("state", "always"),
            ],
            "firm, for now or revisiting",
        ),
        (
            vec![
                ("text", "Not yet"),
                ("group", "topics"),
                ("new_group", &"g".repeat(61)),
                ("state", ""),
            ],
            "60 characters",
        ),
    ] {
        let r = c.post("/safety/boundaries", &fields).await;
        r.assert_status(400);
        r.assert_calm_page("Add a boundary");
        assert_alert(&r, words);
        let typed = fields.iter().find(|(k, _)| *k == "text").unwrap().1;
        if !typed.trim().is_empty() {
            assert_eq!(
                textarea(&r, "text").as_deref(),
                Some(typed),
                "the typed text is kept"
            );
        }
        assert!(r.has("Knock first"), "the list is still shown");
        assert_eq!(before, app.digest().await, "nothing changed ({words})");
    }

    // The same on the change form: the stored boundary is untouched.
    let r = c
        .post(
            &format!("/safety/boundaries/{id}"),
            &[
                ("text", long.as_str()),
                ("group", "personal_space"),
                ("state", "firm"),
            ],
        )
        .await;
    r.assert_status(400);
    assert_alert(&r, "longer than 1,000 characters");
    assert_eq!(textarea(&r, "text").as_deref(), Some(long.as_str()));
    assert!(
        r.has("This is the first version"),
        "the page still shows the history"
    );
    assert_eq!(before, app.digest().await);

    // Malformed ids are simply not found.
    for path in [
        "/safety/boundaries/nope",
        "/safety/boundaries/ABCDEF0123456789ABCDEF0123456789",
        "/safety/boundaries/..%2F..%2Fsettings",
    ] {
        c.get(path).await.assert_status(404);
        c.post(path, &[("text", "x")]).await.assert_status(404);
    }
    assert_eq!(before, app.digest().await);
}

async fn boundary_text_with_script_is_shown_as_text(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c
        .post(
            "/safety/boundaries",
            &[("text", SCRIPT), ("new_group", BREAKOUT), ("state", "firm")],
        )
        .await;
    let id = id_in_location(&r, "/safety/boundaries#b-");
    for path in [
        "/safety/boundaries".to_owned(),
        format!("/safety/boundaries/{id}"),
        format!("/safety/boundaries/{id}/delete"),
    ] {
        let r = c.get(&path).await;
        r.assert_status(200);
        assert_inert(&r);
        assert!(r.has(SCRIPT), "{path}: shown as text");
    }
    let r = c.get("/safety/boundaries").await;
    assert!(r.has(BREAKOUT), "the group name is shown as text");
    // Changing it keeps both versions inert.
    c.post(
        &format!("/safety/boundaries/{id}"),
        &[("text", BREAKOUT), ("group", "touch"), ("state", "for_now")],
    )
    .await
    .assert_status(303);
    let r = c.get(&format!("/safety/boundaries/{id}")).await;
    assert_inert(&r);
    assert!(r.has(SCRIPT) && r.has(BREAKOUT));
    let b = stored::<Boundary>(app, &c).await.remove(0).value;
    assert_eq!(b.group, Group::Starting(StartingGroup::Touch));
    assert_eq!(b.history[0].text, SCRIPT, "stored exactly as typed");
}

on_both_databases!(
    boundaries_are_added_changed_with_history_and_deleted,
    bad_boundary_input_keeps_the_text_and_changes_nothing,
    boundary_text_with_script_is_shown_as_text,
);
