//! Support: the network by kind, "I was in touch today", the opt-in nudge (never a count),
//! bad input keeps the text. Both databases.

use trellis_core::clock::iso_day;
use trellis_core::support::{SupportKind, SupportPerson, SupportPrefs, NUDGE_WORDS};

use crate::safety::common::{assert_alert, assert_inert, stored, textarea, BREAKOUT, SCRIPT};
use crate::harness::TestApp;

use crate::route_table::{Expect::{Page, To}, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/support", To("/unlock"), Page(200)),
    Route::post("/support/people", &[("name", ""), ("reach", "")], To("/unlock"), Page(400))
        .would_change(&[("name", "Someone else"), ("reach", "0100")]),
    Route::get("/support/people/{id}/edit", To("/unlock"), Page(404)),
    Route::post("/support/people/{id}", &[("name", "x")], To("/unlock"), Page(404)),
    Route::post("/support/people/{id}/connected", &[], To("/unlock"), Page(404)),
    Route::post("/support/people/{id}/delete", &[], To("/unlock"), Page(404)),
    Route::get("/support/settings", To("/unlock"), Page(200)),
    Route::post("/support/settings", &[("nudge", "on"), ("days", "3")], To("/unlock"), Page(400))
        .would_change(&[("nudge", "on"), ("days", "14")]),
];

const DAY: i64 = 86_400;

fn day(app: &TestApp) -> i64 {
    let now = app.trellis.now();
    now - now.rem_euclid(DAY)
}

async fn people_are_added_changed_marked_and_removed(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/support").await;
    r.assert_status(200);
    r.assert_calm_page("Support");
    assert!(r.has("No one is here yet"));

    let ten_days_ago = iso_day(day(app) - 10 * DAY);
    c.post(
        "/support/people",
        &[
            ("kind", "professional"),
            ("name", "Dr Ade"),
            ("reach", "01632 960001"),
            ("last_connected", &ten_days_ago),
            ("note", "Tuesdays"),
        ],
    )
    .await
    .assert_redirect("/support#professional");
    c.post(
        "/support/people",
        &[
            ("kind", "group_member"),
            ("name", ""),
            ("reach", "Thursday group at the library"),
        ],
    )
    .await
    .assert_status(303);
    c.post(
        "/support/people",
        &[
            ("kind", "crisis_counsellor"),
            ("name", "Night line"),
            ("reach", ""),
        ],
    )
    .await
    .assert_status(303);

    let r = c.get("/support").await;
    for words in [
        "Professionals",
        "Group members",
        "Crisis counsellors",
        "Dr Ade",
        "Thursday group at the library",
        "Tuesdays",
        "Last in touch:",
    ] {
        assert!(r.has(words), "{words}");
    }
    assert!(
        !r.body.contains(r#"<h2 id="friends_family""#),
        "empty kinds are not shown"
    );
    assert!(r.body.contains(r#"<h2 id="professional""#));
    assert!(
        r.body.contains(r#"href="tel:01632960001""#),
        "a plain number can be called"
    );
    assert_eq!(
        r.body.matches("href=\"tel:").count(),
        1,
        "only plain numbers get links"
    );

    let people = stored::<SupportPerson>(app, &c).await;
    let ade = people.iter().find(|p| p.value.name == "Dr Ade").unwrap();
    assert_eq!(ade.value.kind, SupportKind::Professional);
    assert_eq!(ade.value.last_connected, Some(day(app) - 10 * DAY));

    // I was in touch today.
    let id = ade.id.to_string();
    c.post(&format!("/support/people/{id}/connected"), &[])
        .await
        .assert_redirect(&format!("/support#p-{id}"));
    let ade = stored::<SupportPerson>(app, &c)
        .await
        .into_iter()
        .find(|p| p.id.as_str() == id)
        .unwrap();
    assert_eq!(ade.value.last_connected, Some(day(app)));
    assert!(c.get("/support").await.has("Last in touch: today"));

    // Change.
    let r = c.get(&format!("/support/people/{id}/edit")).await;
    r.assert_status(200);
    assert_eq!(r.input_value("last_connected"), Some(iso_day(day(app))));
    assert!(r.body.contains(r#"<option value="professional" selected>"#));
    c.post(
        &format!("/support/people/{id}"),
        &[
            ("kind", "friends_family"),
            ("name", "Ade"),
            ("reach", "ade@example.org"),
            ("last_connected", ""),
            ("note", ""),
        ],
    )
    .await
    .assert_redirect("/support#friends_family");
    let ade = stored::<SupportPerson>(app, &c)
        .await
        .into_iter()
        .find(|p| p.id.as_str() == id)
        .unwrap();
    assert_eq!(
        ade.value,
        SupportPerson {
            kind: SupportKind::FriendsFamily,
            name: "Ade".into(),
            reach: "ade@example.org".into(),
            last_connected: None,
            note: String::new()
        }
    );

    // Remove.
    c.post(&format!("/support/people/{id}/delete"), &[])
        .await
        .assert_redirect("/support");
    assert_eq!(stored::<SupportPerson>(app, &c).await.len(), 2);
    c.get(&format!("/support/people/{id}/edit"))
        .await
        .assert_status(404);
    c.post(&format!("/support/people/{id}/connected"), &[])
        .await
        .assert_status(404);
}

async fn the_nudge_is_opt_in_gentle_and_goes_away_after_reaching_out(app: &TestApp) {
    let mut c = app.set_up().await;
    let long_ago = iso_day(day(app) - 40 * DAY);
    c.post(
        "/support/people",
        &[("name", "Mum"), ("last_connected", &long_ago)],
    )
    .await
    .assert_status(303);
    let r = c.get("/support").await;
    assert!(!r.has(NUDGE_WORDS), "off unless chosen");
    assert!(r.has("off unless you turn it on"));

    let r = c.get("/support/settings").await;
    r.assert_status(200);
    assert_eq!(r.input_value("days").as_deref(), Some("14"));
    assert!(!r.body.contains("checked"), "off by default");
    let before = app.digest().await;
    for days in ["6", "61", "abc", ""] {
        let r = c
            .post("/support/settings", &[("nudge", "on"), ("days", days)])
            .await;
        r.assert_status(400);
        assert_alert(&r, "from 7 to 60");
        assert_eq!(r.input_value("days").as_deref(), Some(days), "kept");
        assert_eq!(before, app.digest().await);
    }
    c.post("/support/settings", &[("nudge", "on"), ("days", "30")])
        .await
        .assert_redirect("/support/settings?saved");
    assert!(c
        .get("/support/settings?saved")
        .await
        .has("after 30 quiet days"));
    let r = c.get("/support").await;
    assert!(r.has(NUDGE_WORDS), "due: 40 days > 30");
    let nudge_at = r.body.find("class=\"nudge\"").expect("the nudge");
    let nudge = crate::harness::unescape(
        &r.body[nudge_at..nudge_at + r.body[nudge_at..].find("</p>").unwrap()],
    );
    assert!(
        !nudge.chars().any(|ch| ch.is_ascii_digit()),
        "never a count: {nudge}"
    );
    assert!(
        !nudge.contains("notice") && !nudge.contains("alert"),
        "never an alarm"
    );

    // 50 days is not yet due; reaching out today clears it.
    c.post("/support/settings", &[("nudge", "on"), ("days", "50")])
        .await
        .assert_status(303);
    assert!(!c.get("/support").await.has(NUDGE_WORDS));
    c.post("/support/settings", &[("nudge", "on"), ("days", "7")])
        .await
        .assert_status(303);
    assert!(c.get("/support").await.has(NUDGE_WORDS));
    let mum = stored::<SupportPerson>(app, &c).await.remove(0);
    c.post(&format!("/support/people/{}/connected", mum.id), &[])
        .await
        .assert_status(303);
    assert!(!c.get("/support").await.has(NUDGE_WORDS));
    // Eight days later it comes back, gently.
    app.clock.advance(8 * DAY);
    let mut c = app.unlocked_client().await;
    assert!(c.get("/support").await.has(NUDGE_WORDS));

    // Turning it off never fails over the days field.
    c.post("/support/settings", &[("days", "nonsense")])
        .await
        .assert_redirect("/support/settings?saved");
    assert_eq!(
        stored::<SupportPrefs>(app, &c).await[0].value,
        SupportPrefs {
            nudge: false,
            nudge_after_days: 14
        }
    );
    assert!(!c.get("/support").await.has(NUDGE_WORDS));
}

async fn bad_support_input_keeps_the_text_and_changes_nothing(app: &TestApp) {
    let mut c = app.set_up().await;
    c.post("/support/people", &[("name", "Kit")])
        .await
        .assert_status(303);
    let id = stored::<SupportPerson>(app, &c)
        .await
        .remove(0)
        .id
        .to_string();
    let before = app.digest().await;
    let tomorrow = iso_day(day(app) + DAY);
    let long_name = "k".repeat(101);
    let long_reach = "r".repeat(201);
    let long_note = "n".repeat(501);
    for (fields, words) in [
        (vec![("kind", "boss"), ("name", "Pat")], "kinds in the list"),
        (
            vec![("name", ""), ("reach", " ")],
            "a name or a way to reach them",
        ),
        (vec![("name", long_name.as_str())], "100 characters"),
        (
            vec![("name", "Pat"), ("reach", long_reach.as_str())],
            "200 characters",
        ),
        (
            vec![("name", "Pat"), ("note", long_note.as_str())],
            "500 characters",
        ),
        (
            vec![("name", "Pat"), ("last_connected", "14/03/2027")],
            "year, month and day",
        ),
        (
            vec![("name", "Pat"), ("last_connected", tomorrow.as_str())],
            "still to come",
        ),
    ] {
        for path in [
            "/support/people".to_owned(),
            format!("/support/people/{id}"),
        ] {
            let r = c.post(&path, &fields).await;
            r.assert_status(400);
            assert_alert(&r, words);
            for (k, v) in &fields {
                if *k == "kind" {
                    continue;
                }
                let shown = if *k == "note" {
                    textarea(&r, "note")
                } else {
                    r.input_value(k)
                };
                assert_eq!(shown.as_deref(), Some(*v), "{path} {k} kept ({words})");
            }
            assert_eq!(
                before,
                app.digest().await,
                "{path}: nothing changed ({words})"
            );
        }
    }
}

async fn support_text_with_script_is_shown_as_text(app: &TestApp) {
    let mut c = app.set_up().await;
    c.post(
        "/support/people",
        &[("name", SCRIPT), ("reach", BREAKOUT), ("note", SCRIPT)],
    )
    .await
    .assert_status(303);
    let id = stored::<SupportPerson>(app, &c)
        .await
        .remove(0)
        .id
        .to_string();
    for path in ["/support".to_owned(), format!("/support/people/{id}/edit")] {
        let r = c.get(&path).await;
        r.assert_status(200);
        assert_inert(&r);
        assert!(r.has(SCRIPT), "{path}");
    }
    let r = c
        .post(
            "/support/people",
            &[
                ("name", SCRIPT),
                ("reach", BREAKOUT),
                ("last_connected", "soon"),
            ],
        )
        .await;
    r.assert_status(400);
    assert_inert(&r);
}

on_both_databases!(
    people_are_added_changed_marked_and_removed,
    the_nudge_is_opt_in_gentle_and_goes_away_after_reaching_out,
    bad_support_input_keeps_the_text_and_changes_nothing,
    support_text_with_script_is_shown_as_text,
);
