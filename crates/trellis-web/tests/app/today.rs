//! Today (issue 3) over HTTP: the check-in (create, change, delete, past days, one per day),
//! tiny goals, what the check-in follows, bad input, a check-in typed while the session locked,
//! another account's ids, and sealed-only storage (canary scans of the SQLite files and of a
//! `pg_dump`).
//!
//! Tests marked "both databases" run on SQLite and, when `TRELLIS_TEST_DATABASE_URL` is set, on
//! PostgreSQL (see `scripts/with-postgres`).

use crate::harness;

use crate::harness::{count, scan_sqlite_open_and_closed, Client, Resp, TestApp, PASS, SESSION, START};
use trellis_core::clock::Day;
use trellis_core::today::{CheckIn, Goal};

use crate::route_table::{Expect::{Page, To}, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/today", To("/unlock"), Page(200)),
    Route::post("/today/checkin", &[("mood", "9")], Page(200), Page(400)).keeps_form()
        .would_change(&[("mood", "3")]),
    Route::post("/today/checkin/unlock", &[("passphrase", "not the passphrase at all"), ("mood", "9")], Page(401), Page(400)),
    Route::post("/today/checkin/lock", &[("mood", "3")], Page(200), Page(200)),
    Route::get("/today/earlier", To("/unlock"), Page(200)),
    Route::get("/today/settings", To("/unlock"), Page(200)),
    Route::post("/today/settings", &[("follow_sleep", "maybe")], To("/unlock"), Page(400))
        .would_change(&[("follow_sleep", "on")]),
    Route::post("/today/goals", &[("text", "")], To("/unlock"), Page(400))
        .would_change(&[("text", "Changed by someone else")]),
    Route::post("/today/goals/{id}/done", &[], To("/unlock"), Page(404)),
    Route::post("/today/goals/{id}/aside", &[], To("/unlock"), Page(404)),
    Route::post("/today/goals/{id}/delete", &[], To("/unlock"), Page(404)),
    Route::post("/today/{id}", &[("mood", "9")], Page(200), Page(404)).keeps_form(),
    Route::get("/today/{id}/edit", To("/unlock"), Page(404)),
    Route::get("/today/{id}/delete", To("/unlock"), Page(404)),
    Route::post("/today/{id}/delete", &[], To("/unlock"), Page(404)),
];

on_both_databases!(
    a_check_in_is_created_changed_and_deleted,
    one_check_in_per_day_and_past_days_can_be_filled_in,
    goals_are_added_ticked_put_aside_and_deleted,
    another_accounts_ids_are_404_and_change_nothing,
    a_check_in_typed_as_the_session_locks_is_kept_and_saved_after_unlock,
    the_page_auto_lock_keeps_the_check_in,
    a_hard_check_in_offers_a_past_good_moment_only_when_turned_on,
);

/// Issue 4: on a hard check-in, one of the person's own past good moments (from the
/// journal) is offered, but only when they turned this on.
async fn a_hard_check_in_offers_a_past_good_moment_only_when_turned_on(app: &TestApp) {
    let mut c = app.set_up().await;
    c.post(
        "/journal",
        &[("kind", "good_moments"), ("moment1", "Tea on the balcony")],
    )
    .await
    .assert_status(303);
    app.clock.advance(2 * 86_400);
    c.unlock_ok(harness::PASS).await;
    let day = trellis_core::clock::day_of(trellis_core::clock::Clock::now(&app.clock));
    let day = time::OffsetDateTime::from_unix_timestamp(day)
        .expect("day")
        .date()
        .to_string();
    let saved = format!("/today?day={day}&saved={day}");

    // Off (the default): a hard day offers calm tools and Help now, not the journal.
    c.post(
        "/today/checkin",
        &[("day", &day), ("today", &day), ("mood", "1")],
    )
    .await
    .assert_redirect(&saved);
    let r = c.get(&saved).await;
    assert!(r.has("That sounds like a hard day"));
    assert!(!r.has("Something you wrote on") && !r.has("Tea on the balcony"));

    // Turned on: the same hard day also offers their own words.
    c.post("/journal/settings", &[("resurface", "on")]).await;
    let r = c.get(&saved).await;
    assert!(r.has("Something you wrote on") && r.has("Tea on the balcony"));

    // A good day offers nothing.
    c.post(
        "/today/checkin",
        &[("day", &day), ("today", &day), ("mood", "5"), ("id", "")],
    )
    .await;
    let r = c.get("/today").await;
    assert!(!r.has("Tea on the balcony"));
}

/// The server's UTC date at the harness clock's start.
fn today() -> Day {
    Day::of_unix(START)
}

/// Every `/today/{id}/edit` id on a page, in page order.
pub(crate) fn checkin_ids(body: &str) -> Vec<String> {
    ids_between(body, "href=\"/today/", "/edit\"")
}

/// Every goal id on a page (from the done forms), in page order.
pub(crate) fn goal_ids(body: &str) -> Vec<String> {
    ids_between(body, "action=\"/today/goals/", "/done\"")
}

fn ids_between(body: &str, before: &str, after: &str) -> Vec<String> {
    body.split(before)
        .skip(1)
        .filter_map(|rest| {
            let (id, tail) = rest.split_at_checked(32)?;
            (tail.starts_with(after) && id.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| id.to_owned())
        })
        .collect()
}

/// The text of the textarea with this id, unescaped.
fn textarea(r: &Resp, id: &str) -> Option<String> {
    let start = r.body.find(&format!("<textarea id=\"{id}\""))?;
    let open = start + r.body[start..].find('>')? + 1;
    let close = open + r.body[open..].find("</textarea>")?;
    Some(harness::unescape(&r.body[open..close]))
}

/// The value of the (hidden) input named `name`, unescaped.
pub(crate) fn hidden(r: &Resp, name: &str) -> Option<String> {
    let marker = format!("type=\"hidden\" name=\"{name}\" value=\"");
    let s = r.body.find(&marker)? + marker.len();
    let e = s + r.body[s..].find('"')?;
    Some(harness::unescape(&r.body[s..e]))
}

/// Whether the radio `name=value` is checked.
fn checked(r: &Resp, name: &str, value: &str) -> bool {
    r.body
        .contains(&format!("name=\"{name}\" value=\"{value}\" checked"))
}

async fn follow(c: &mut Client, items: &[&str]) {
    let fields: Vec<(String, &str)> = items
        .iter()
        .map(|i| (format!("follow_{i}"), "on"))
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    c.post("/today/settings", &fields)
        .await
        .assert_redirect("/today?done=followed");
}

async fn stored<T: trellis_core::records::RecordKind>(app: &TestApp) -> usize {
    let id = app.account().await.id;
    app.store
        .records_of_kind(&id, T::KIND)
        .await
        .expect("read records")
        .len()
}

/// Both databases.
async fn a_check_in_is_created_changed_and_deleted(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/today").await;
    r.assert_status(200);
    assert!(
        r.has("How does today feel?") && r.has("Very low") && r.has("Very good") && r.has("Skip")
    );
    assert!(
        !r.has("Hours of sleep"),
        "nothing followed yet: only how the day feels"
    );
    assert!(r.has("Small things for today") && r.has("Recent days"));
    assert_eq!(
        r.input_value("day").as_deref(),
        Some(today().to_string().as_str())
    );
    follow(&mut c, &["sleep", "urge"]).await;
    let r = c.get("/today?done=followed").await;
    assert!(
        r.has("Hours of sleep")
            && r.has("Urge to drink or use today?")
            && !r.has("Nightmares last night?")
    );

    let day = today().to_string();
    let r = c
        .post(
            "/today/checkin",
            &[
                ("day", &day),
                ("today", &day),
                ("mood", "2"),
                ("sleep_hours", "6,5"),
                ("urge", ""),
                ("note", "rain, then a walk"),
            ],
        )
        .await;
    r.assert_redirect(&format!("/today?day={day}&saved={day}"));
    assert_eq!(stored::<CheckIn>(app).await, 1);
    let r = c.get(&format!("/today?day={day}&saved={day}")).await;
    assert!(r.has("Your check-in is saved."));
    assert!(
        r.has("That sounds like a hard day"),
        "a hard mood gently offers tools"
    );
    assert!(
        r.body.contains("href=\"/calm/breathing\"") && r.body.contains("href=\"/calm/senses\"")
    );
    assert!(r.body.contains("class=\"button\" href=\"/help\""));
    assert!(
        r.has("Today's check-in"),
        "the form now changes today's check-in"
    );
    assert!(checked(&r, "mood", "2") && checked(&r, "urge", ""));
    assert_eq!(r.input_value("sleep_hours").as_deref(), Some("6.5"));
    assert_eq!(textarea(&r, "note").as_deref(), Some("rain, then a walk"));
    assert!(
        r.body.contains("<dt>Day</dt><dd>Low</dd>")
            && r.body.contains("<dt>Sleep</dt><dd>6.5 hours</dd>")
    );
    assert!(r.has("rain, then a walk"));
    let ids = checkin_ids(&r.body);
    assert_eq!(ids.len(), 1, "one day in recent days");
    let id = ids[0].clone();
    assert_eq!(hidden(&r, "id").as_deref(), Some(id.as_str()));

    // Change it on its own page.
    let r = c.get(&format!("/today/{id}/edit")).await;
    r.assert_status(200);
    assert!(checked(&r, "mood", "2"));
    let r = c
        .post(
            &format!("/today/{id}"),
            &[
                ("day", &day),
                ("mood", "4"),
                ("sleep_hours", "8"),
                ("note", ""),
            ],
        )
        .await;
    r.assert_redirect(&format!("/today?day={day}&saved={day}"));
    let r = c.get(&format!("/today?day={day}&saved={day}")).await;
    assert!(!r.has("That sounds like a hard day"), "a good day: no note");
    assert!(checked(&r, "mood", "4") && r.has("8 hours") && !r.has("rain, then a walk"));
    assert_eq!(
        checkin_ids(&r.body),
        vec![id.clone()],
        "changed in place, not added"
    );
    assert_eq!(stored::<CheckIn>(app).await, 1);

    // An unfollowed item that holds an answer stays on the form, so saving never drops it.
    follow(&mut c, &[]).await;
    let r = c.get(&format!("/today/{id}/edit")).await;
    assert!(r.has("Hours of sleep"), "answered, so still shown");
    assert!(
        !r.has("Urge to drink or use today?"),
        "not answered, not followed"
    );

    // Delete: asks once, then it is gone.
    let r = c.get(&format!("/today/{id}/delete")).await;
    r.assert_status(200);
    assert!(r.has("Delete this check-in?") && r.has(&today().words_with_year()));
    assert_eq!(stored::<CheckIn>(app).await, 1, "asking deletes nothing");
    c.post(&format!("/today/{id}/delete"), &[])
        .await
        .assert_redirect("/today?done=deleted");
    assert_eq!(stored::<CheckIn>(app).await, 0);
    let r = c.get("/today?done=deleted").await;
    assert!(r.has("That check-in is deleted.") && checkin_ids(&r.body).is_empty());
    c.get(&format!("/today/{id}/edit")).await.assert_status(404);
    c.post(&format!("/today/{id}/delete"), &[])
        .await
        .assert_status(404);

    // A blank check-in saves nothing, calmly.
    let r = c
        .post(
            "/today/checkin",
            &[("day", &day), ("mood", ""), ("note", "  ")],
        )
        .await;
    r.assert_redirect(&format!("/today?day={day}&done=blank"));
    assert!(c
        .get(&format!("/today?day={day}&done=blank"))
        .await
        .has("Any day can be skipped"));
    assert_eq!(stored::<CheckIn>(app).await, 0);
}

/// Both databases.
async fn one_check_in_per_day_and_past_days_can_be_filled_in(app: &TestApp) {
    let mut c = app.set_up().await;
    let day = today().to_string();
    let yesterday = today().previous().to_string();
    c.post(
        "/today/checkin",
        &[("day", &yesterday), ("today", &day), ("mood", "5")],
    )
    .await
    .assert_redirect(&format!("/today?day={day}&saved={yesterday}"));
    let r = c.get(&format!("/today?day={day}&saved={yesterday}")).await;
    assert!(r.has(&format!(
        "Your check-in for {} is saved.",
        today().previous().words()
    )));
    assert!(r.has("Check in"), "today still has its own, empty form");
    assert!(checked(&r, "mood", ""));

    // Another check-in for the same day is not saved over it: the form comes back as typed.
    let before = app.digest().await;
    let r = c
        .post(
            "/today/checkin",
            &[
                ("day", &yesterday),
                ("today", &day),
                ("mood", "1"),
                ("note", "second try"),
            ],
        )
        .await;
    r.assert_status(400);
    assert!(r.has("There is already a check-in for"), "{}", r.snippet());
    assert!(checked(&r, "mood", "1") && textarea(&r, "note").as_deref() == Some("second try"));
    let other = checkin_ids(&r.body)[0].clone();
    assert!(r.body.contains(&format!(
        "<a href=\"/today/{other}/edit\">Change the check-in for"
    )));
    assert_eq!(before, app.digest().await, "nothing changed");

    // Today's, then moving today's to an empty earlier day keeps one check-in per day.
    c.post("/today/checkin", &[("day", &day), ("mood", "3")])
        .await
        .assert_status(303);
    let r = c.get("/today").await;
    let todays = hidden(&r, "id").expect("today's id on the form");
    let earlier = today().minus_days(3).to_string();
    let r = c
        .post(
            "/today/checkin",
            &[("id", &todays), ("day", &earlier), ("mood", "3")],
        )
        .await;
    r.assert_status(303);
    let r = c.get("/today").await;
    assert!(r.has("Check in"), "today is free again");
    assert!(r.has(&today().minus_days(3).words()));
    assert_eq!(stored::<CheckIn>(app).await, 2);
    c.get(&format!("/today/{todays}/edit"))
        .await
        .assert_status(404);

    // A date still to come is refused; one day ahead is fine (time zones).
    let r = c
        .post(
            "/today/checkin",
            &[("day", &today().next().next().to_string()), ("mood", "3")],
        )
        .await;
    r.assert_status(400);
    assert!(r.has("That date is still to come"));
    c.post(
        "/today/checkin",
        &[("day", &today().next().to_string()), ("mood", "3")],
    )
    .await
    .assert_status(303);

    // Older than two weeks: not in recent days, but on the earlier page, and still changeable.
    let old = today().minus_days(20);
    c.post(
        "/today/checkin",
        &[
            ("day", &old.to_string()),
            ("mood", "4"),
            ("note", "long ago"),
        ],
    )
    .await
    .assert_status(303);
    let r = c.get("/today").await;
    assert!(!r.has("long ago"));
    let r = c.get("/today/earlier").await;
    r.assert_status(200);
    assert!(r.has("long ago") && r.has(&old.words_with_year()));
    assert_eq!(checkin_ids(&r.body).len(), 1);

    // Weeks later, a check-in made long ago and moved to a recent day shows among recent days
    // (records keep only coarse days in clear; moving makes a new record).
    app.clock.advance(30 * 86_400);
    c.unlock_ok(PASS).await;
    let now = Day::of_unix(app.trellis.now());
    let r = c.get("/today").await;
    r.assert_status(200);
    assert!(
        checkin_ids(&r.body).is_empty(),
        "all of those are earlier now"
    );
    let old_id = checkin_ids(&c.get("/today/earlier").await.body)[0].clone();
    let moved = now.previous().to_string();
    c.post(
        &format!("/today/{old_id}"),
        &[("day", &moved), ("mood", "2"), ("note", "moved")],
    )
    .await
    .assert_status(303);
    let r = c.get("/today").await;
    assert!(
        r.has("moved") && r.has(&now.previous().words()),
        "{}",
        r.snippet()
    );
}

/// Both databases.
async fn goals_are_added_ticked_put_aside_and_deleted(app: &TestApp) {
    let mut c = app.set_up().await;
    let day = today().to_string();
    let r = c.get("/today").await;
    assert!(
        r.has("Get dressed") && r.has("A short walk"),
        "ideas offered"
    );
    c.post(
        "/today/goals",
        &[("text", "  Get   dressed "), ("today", &day)],
    )
    .await
    .assert_redirect(&format!("/today?day={day}#goals"));
    c.post(
        "/today/goals",
        &[("text", "Water the plant"), ("today", &day)],
    )
    .await
    .assert_status(303);
    let r = c.get("/today").await;
    let ids = goal_ids(&r.body);
    assert_eq!(ids.len(), 2);
    assert!(
        r.body.find("Get dressed").unwrap() < r.body.find("Water the plant").unwrap(),
        "in the order added"
    );
    assert!(
        !r.body.contains("value=\"Get dressed\""),
        "an idea already on the list is not offered again"
    );
    assert_eq!(r.body.matches("aria-pressed=\"false\"").count(), 2);

    // Done today, then not after all. Nothing is counted.
    c.post(&format!("/today/goals/{}/done", ids[0]), &[("today", &day)])
        .await
        .assert_status(303);
    let r = c.get("/today").await;
    assert_eq!(r.body.matches("aria-pressed=\"true\"").count(), 1);
    assert!(
        r.has("Small things done: Get dressed"),
        "shown among recent days"
    );
    for word in ["streak", "missed", "in a row", "%"] {
        assert!(
            !r.body.to_lowercase().contains(word),
            "no counting words: {word}"
        );
    }
    // Tomorrow, yesterday's tick does not carry over.
    let tomorrow = today().next().to_string();
    let r = c.get(&format!("/today?day={tomorrow}")).await;
    assert_eq!(r.body.matches("aria-pressed=\"true\"").count(), 0);
    c.post(&format!("/today/goals/{}/done", ids[0]), &[("today", &day)])
        .await
        .assert_status(303);
    assert_eq!(
        c.get("/today")
            .await
            .body
            .matches("aria-pressed=\"true\"")
            .count(),
        0
    );

    // Put aside, brought back, deleted.
    c.post(
        &format!("/today/goals/{}/aside", ids[1]),
        &[("today", &day)],
    )
    .await
    .assert_status(303);
    let r = c.get("/today").await;
    assert_eq!(
        goal_ids(&r.body),
        vec![ids[0].clone()],
        "put aside: off today's list"
    );
    assert!(r.has("Water the plant") && r.has("(put aside)") && r.has("Bring back"));
    c.post(&format!("/today/goals/{}/aside", ids[1]), &[])
        .await
        .assert_status(303);
    assert_eq!(goal_ids(&c.get("/today").await.body).len(), 2);
    c.post(&format!("/today/goals/{}/delete", ids[1]), &[])
        .await
        .assert_status(303);
    assert_eq!(goal_ids(&c.get("/today").await.body), vec![ids[0].clone()]);
    assert_eq!(stored::<Goal>(app).await, 1);
    c.post(&format!("/today/goals/{}/done", ids[1]), &[])
        .await
        .assert_status(404);

    // Bad words: calm 400, the text kept, nothing saved.
    let before = app.digest().await;
    let long = "ü".repeat(201);
    let r = c.post("/today/goals", &[("text", &long)]).await;
    r.assert_status(400);
    assert!(r.has("200 characters or fewer") && r.body.contains("role=\"alert\""));
    assert_eq!(r.input_value("goal-text").as_deref(), Some(long.as_str()));
    let r = c.post("/today/goals", &[("text", "   ")]).await;
    r.assert_status(400);
    assert!(r.has("Please write a few words"));
    assert_eq!(before, app.digest().await);
}

/// Both databases.
async fn another_accounts_ids_are_404_and_change_nothing(app: &TestApp) {
    let mut a = app.set_up().await;
    let mut b = app
        .second_account("another person entirely, with their own words")
        .await;
    let day = today().to_string();
    b.post(
        "/today/checkin",
        &[("day", &day), ("mood", "3"), ("note", "B's own words")],
    )
    .await
    .assert_status(303);
    b.post("/today/goals", &[("text", "B's small thing")])
        .await
        .assert_status(303);
    let rb = b.get("/today").await;
    let b_checkin = checkin_ids(&rb.body)[0].clone();
    let b_goal = goal_ids(&rb.body)[0].clone();
    // A's own goal id, used where a check-in id belongs (another kind): also 404.
    a.post("/today/goals", &[("text", "A's small thing")])
        .await
        .assert_status(303);
    let a_goal = goal_ids(&a.get("/today").await.body)[0].clone();
    a.post("/today/checkin", &[("day", &day), ("mood", "4")])
        .await
        .assert_status(303);
    let a_checkin = checkin_ids(&a.get("/today").await.body)[0].clone();

    let unknown = "0123456789abcdef0123456789abcdef".to_owned();
    for id in [&b_checkin, &a_goal, &unknown, &"NOT-AN-ID".to_owned()] {
        let before = app.digest().await;
        a.get(&format!("/today/{id}/edit")).await.assert_status(404);
        a.get(&format!("/today/{id}/delete"))
            .await
            .assert_status(404);
        a.post(
            &format!("/today/{id}"),
            &[("day", &day), ("mood", "1"), ("note", "A wrote this")],
        )
        .await
        .assert_status(404);
        a.post(&format!("/today/{id}/delete"), &[])
            .await
            .assert_status(404);
        a.post(
            "/today/checkin",
            &[("id", id), ("day", &day), ("mood", "1")],
        )
        .await
        .assert_status(404);
        assert_eq!(
            before,
            app.digest().await,
            "check-in routes with {id} changed something"
        );
    }
    for id in [&b_goal, &a_checkin, &unknown] {
        let before = app.digest().await;
        for action in ["done", "aside", "delete"] {
            let r = a
                .post(&format!("/today/goals/{id}/{action}"), &[("today", &day)])
                .await;
            r.assert_status(404);
            r.assert_calm_page("We couldn't find that page");
        }
        assert_eq!(
            before,
            app.digest().await,
            "goal routes with {id} changed something"
        );
    }
    // Through the unlock-and-save path too.
    a.lock().await;
    let before = app.digest().await;
    let r = a
        .post(
            "/today/checkin/unlock",
            &[("passphrase", PASS), ("id", &b_checkin), ("mood", "1")],
        )
        .await;
    r.assert_status(404);
    let unlocked_rows = app.digest().await;
    assert_eq!(
        before.get("records"),
        unlocked_rows.get("records"),
        "no record changed"
    );

    // B's things are exactly as B left them.
    let rb = b.get(&format!("/today/{b_checkin}/edit")).await;
    rb.assert_status(200);
    assert_eq!(textarea(&rb, "note").as_deref(), Some("B's own words"));
    assert!(checked(&rb, "mood", "3"));
    assert!(b.get("/today").await.has("B's small thing"));
}

/// Both databases.
async fn a_check_in_typed_as_the_session_locks_is_kept_and_saved_after_unlock(app: &TestApp) {
    let mut c = app.set_up().await;
    let day = today().to_string();
    c.get("/today").await.assert_status(200);
    // The person types slowly; the session locks itself meanwhile (10 quiet minutes).
    app.clock.advance(10 * 60 + 1);
    let note = "typed slowly\nover <many> minutes & kept";
    let before = app.digest().await;
    let r = c
        .post(
            "/today/checkin",
            &[
                ("day", &day),
                ("today", &day),
                ("mood", "4"),
                ("note", note),
            ],
        )
        .await;
    r.assert_status(200);
    r.assert_calm_page("Unlock to save your check-in");
    assert!(r.has("locked themselves after a quiet while"));
    assert_eq!(
        hidden(&r, "note").as_deref(),
        Some(note),
        "the typed text rides along"
    );
    assert_eq!(hidden(&r, "mood").as_deref(), Some("4"));
    assert_eq!(hidden(&r, "day").as_deref(), Some(day.as_str()));
    assert!(!r.body.contains("<many>"), "escaped");
    assert!(
        r.set_cookies()
            .iter()
            .any(|s| s.starts_with(&format!("{SESSION}=;"))),
        "the dead session cookie is cleared"
    );
    assert_eq!(
        stored::<CheckIn>(app).await,
        0,
        "nothing saved while locked"
    );
    let after = app.digest().await;
    assert_eq!(before.get("records"), after.get("records"));

    // A wrong passphrase: calm, and the fields are still carried.
    let mut fields: Vec<(String, String)> = ["day", "mood", "note", "today", "id"]
        .iter()
        .map(|n| ((*n).to_owned(), hidden(&r, n).unwrap_or_default()))
        .collect();
    fields.push((
        "passphrase".to_owned(),
        "not the right one at all".to_owned(),
    ));
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r2 = c.post("/today/checkin/unlock", &f).await;
    r2.assert_status(401);
    assert!(r2.body.contains("role=\"alert\"") && r2.has("didn't match"));
    assert_eq!(hidden(&r2, "note").as_deref(), Some(note));
    assert_eq!(stored::<CheckIn>(app).await, 0);

    // The right one: unlocked, saved, and back on Today with it.
    fields.pop();
    fields.push(("passphrase".to_owned(), PASS.to_owned()));
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r3 = c.post("/today/checkin/unlock", &f).await;
    r3.assert_redirect(&format!("/today?day={day}&saved={day}"));
    assert!(c.session_cookie().is_some(), "unlocked");
    let r4 = c.get(&format!("/today?day={day}&saved={day}")).await;
    r4.assert_status(200);
    assert!(r4.has("Your check-in is saved."));
    assert_eq!(textarea(&r4, "note").as_deref(), Some(note));
    assert!(checked(&r4, "mood", "4"));

    // Changing a check-in on its own page when the session has locked: the same.
    let id = checkin_ids(&r4.body)[0].clone();
    app.clock.advance(10 * 60 + 1);
    let r5 = c
        .post(
            &format!("/today/{id}"),
            &[
                ("day", &day),
                ("mood", "2"),
                ("note", "changed while locked"),
            ],
        )
        .await;
    r5.assert_status(200);
    assert_eq!(hidden(&r5, "id").as_deref(), Some(id.as_str()));
    assert_eq!(hidden(&r5, "from").as_deref(), Some("edit"));
    let r6 = c
        .post(
            "/today/checkin/unlock",
            &[
                ("passphrase", PASS),
                ("id", &id),
                ("from", "edit"),
                ("day", &day),
                ("mood", "9"),
                ("note", "changed while locked"),
            ],
        )
        .await;
    r6.assert_status(400);
    assert!(
        r6.has("Change a check-in"),
        "a problem after unlocking shows the page it came from"
    );
    assert!(r6.has("please choose one of the answers") && r6.body.contains("role=\"alert\""));
    assert_eq!(
        textarea(&r6, "note").as_deref(),
        Some("changed while locked")
    );
    assert!(r6.body.contains("action=\"/lock\""), "drawn unlocked");
    let r7 = c
        .post(
            &format!("/today/{id}"),
            &[
                ("day", &day),
                ("mood", "2"),
                ("note", "changed while locked"),
            ],
        )
        .await;
    r7.assert_status(303);
    assert_eq!(
        textarea(&c.get("/today").await, "note").as_deref(),
        Some("changed while locked")
    );

    // With nothing typed, locked is simply locked.
    app.clock.advance(10 * 60 + 1);
    c.post("/today/checkin", &[("day", &day), ("mood", "")])
        .await
        .assert_redirect("/unlock?quiet");
}

/// Both databases.
async fn the_page_auto_lock_keeps_the_check_in(app: &TestApp) {
    let mut c = app.set_up().await;
    let day = today().to_string();
    let r = c.get("/today").await;
    assert!(r.body.contains("data-keep-on-lock=\"/today/checkin/lock\""));
    let r = c
        .post(
            "/today/checkin/lock",
            &[
                ("day", &day),
                ("today", &day),
                ("mood", "3"),
                ("note", "half a thought"),
            ],
        )
        .await;
    r.assert_status(200);
    assert!(r.has("Unlock to save your check-in"));
    assert!(!r.body.contains("action=\"/lock\""), "drawn locked");
    assert_eq!(hidden(&r, "note").as_deref(), Some("half a thought"));
    assert!(c.session_cookie().is_none(), "the session cookie is gone");
    assert!(
        app.sessions().await.is_empty(),
        "the session is ended on the server"
    );
    // The page's own form token works for the unlock that follows.
    let r = c
        .post(
            "/today/checkin/unlock",
            &[
                ("passphrase", PASS),
                ("day", &day),
                ("today", &day),
                ("mood", "3"),
                ("note", "half a thought"),
            ],
        )
        .await;
    r.assert_status(303);
    assert_eq!(
        textarea(&c.get("/today").await, "note").as_deref(),
        Some("half a thought")
    );
}

#[tokio::test]
async fn bad_input_is_a_calm_400_with_the_form_kept_as_typed() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    follow(&mut c, &["sleep", "startle", "touch"]).await;
    let day = today().to_string();
    let before = app.digest().await;
    let huge = format!("{}<script>alert(1)</script>", "words ".repeat(400));
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("mood", "9")], "please choose one of the answers"),
        (
            vec![("mood", "-1"), ("note", "kept")],
            "please choose one of the answers",
        ),
        (vec![("startle", "abc")], "please choose one of the answers"),
        (
            vec![("touch", "sometimes")],
            "please choose one of the answers",
        ),
        (vec![("sleep_hours", "twenty")], "number from 0 to 24"),
        (vec![("sleep_hours", "25")], "number from 0 to 24"),
        (vec![("day", "yesterday")], "Please choose a date"),
        (vec![("note", &huge)], "up to 2,000 characters"),
    ];
    for (fields, words) in cases {
        let mut all = vec![("today", day.as_str())];
        all.extend(fields.iter().copied());
        let r = c.post("/today/checkin", &all).await;
        r.assert_status(400);
        r.assert_calm_page(words);
        assert!(r.body.contains("role=\"alert\""), "{fields:?}");
        for (name, value) in &fields {
            let kept = match *name {
                "note" => textarea(&r, "note"),
                "sleep_hours" | "day" => r.input_value(name),
                // No answer has that value: none is shown chosen (not even Skip), so the
                // question is plainly still open.
                _ => {
                    assert!(
                        !r.body
                            .contains(&format!("name=\"{name}\" value=\"\" checked")),
                        "{name}: Skip not chosen"
                    );
                    Some((*value).to_owned())
                }
            };
            assert_eq!(kept.as_deref(), Some(*value), "{name} kept as typed");
        }
        assert!(
            !r.body.contains("<script>alert(1)"),
            "typed HTML is escaped"
        );
        assert_eq!(before, app.digest().await, "nothing saved: {fields:?}");
    }
    // Over the body limit: the guard's calm 413; nothing saved.
    let r = c
        .post(
            "/today/checkin",
            &[("note", &"x".repeat(trellis_web::guard::BODY_LIMIT + 1_000))],
        )
        .await;
    r.assert_status(413);
    assert_eq!(before, app.digest().await);
    // A form we cannot read at all.
    let r = c
        .post("/today/settings", &[("follow_sleep", "perhaps")])
        .await;
    r.assert_status(400);
    r.assert_calm_page("nothing was changed");
    assert_eq!(before, app.digest().await);

    // HTML typed in is kept and shown escaped once saved.
    c.post(
        "/today/checkin",
        &[
            ("mood", "3"),
            ("note", "<script>alert(1)</script> & <b>bold</b>"),
        ],
    )
    .await
    .assert_status(303);
    c.post("/today/goals", &[("text", "<img src=x onerror=alert(1)>")])
        .await
        .assert_status(303);
    let r = c.get("/today").await;
    assert!(
        !r.body.contains("<script>alert(1)")
            && !r.body.contains("<b>bold")
            && !r.body.contains("<img src=x")
    );
    assert!(
        r.has("<script>alert(1)</script> & <b>bold</b>") && r.has("<img src=x onerror=alert(1)>")
    );
    app.finish().await;
}

#[tokio::test]
async fn today_follows_the_browsers_date_within_a_day() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let tomorrow = today().next().to_string();
    let r = c.get(&format!("/today?day={tomorrow}")).await;
    assert_eq!(r.input_value("day").as_deref(), Some(tomorrow.as_str()));
    assert!(r.body.contains(&format!("data-server-day=\"{tomorrow}\"")));
    let far = today().minus_days(5).to_string();
    let r = c.get(&format!("/today?day={far}")).await;
    assert_eq!(
        r.input_value("day").as_deref(),
        Some(today().to_string().as_str()),
        "too far: the server's date"
    );
    app.finish().await;
}

#[tokio::test]
async fn settings_links_here_and_home_shows_today_first_unless_hidden() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let r = c.get("/settings").await;
    assert!(r.body.contains("href=\"/today/settings\""));
    let r = c.get("/").await;
    let first_tile = r.body.find("class=\"tile\"").expect("tiles");
    assert!(
        r.body[first_tile..].starts_with("class=\"tile\" href=\"/today\""),
        "Today first"
    );
    assert!(r.has("You can check in today, if you like."), "today at a glance");
    // With a check-in and two small things, one done: the day's word and the next one, never
    // a count.
    c.post("/today/checkin", &[("mood", "4")])
        .await
        .assert_status(303);
    c.post("/today/goals", &[("text", "Drink some water")])
        .await
        .assert_status(303);
    c.post("/today/goals", &[("text", "A short walk")])
        .await
        .assert_status(303);
    let r = c.get("/today").await;
    let first_goal = goal_ids(&r.body).swap_remove(0);
    c.post(&format!("/today/goals/{first_goal}/done"), &[])
        .await
        .assert_status(303);
    let r = c.get("/").await;
    assert!(r.has("You checked in today: Good."), "{}", r.snippet());
    assert!(r.has("Next small thing: <strong>A short walk</strong>"), "{}", r.snippet());
    assert!(!r.has(" of 2") && !r.has("1 done"), "no counts");
    c.post("/settings/areas", &[("show_help", "on")])
        .await
        .assert_redirect("/settings");
    assert!(!c.get("/").await.body.contains("href=\"/today\""), "hidden");
    c.get("/today").await.assert_status(200);
    app.finish().await;
}

// --- Sealed-only storage --------------------------------------------------------------------

const CANARY_NOTE: &str = "CANARY-TODAY-NOTE-5c1e";
const CANARY_EDIT: &str = "CANARY-TODAY-EDIT-9a7b";
const CANARY_LOCKED: &str = "CANARY-TODAY-LOCKED-31f0";
const CANARY_GOAL: &str = "CANARY-TODAY-GOAL-d42e";
const CANARY_PAST: &str = "CANARY-TODAY-PAST-77aa";

/// Types a canary into every text field Today has, through every way of saving.
async fn canary_journey(app: &TestApp) -> Vec<&'static str> {
    let mut c = app.set_up().await;
    follow(
        &mut c,
        &[
            "sleep",
            "nightmares",
            "startle",
            "numb",
            "touch",
            "urge",
            "connected",
        ],
    )
    .await;
    let day = today().to_string();
    c.post(
        "/today/checkin",
        &[
            ("day", &day),
            ("mood", "1"),
            ("sleep_hours", "4.5"),
            ("sleep_quality", "2"),
            ("nightmares", "many"),
            ("startle", "4"),
            ("numb", "3"),
            ("touch", "no"),
            ("urge", "4"),
            ("connected", "no"),
            ("note", CANARY_NOTE),
        ],
    )
    .await
    .assert_status(303);
    let id = checkin_ids(&c.get("/today").await.body)[0].clone();
    c.post(
        &format!("/today/{id}"),
        &[("day", &day), ("mood", "2"), ("note", CANARY_EDIT)],
    )
    .await
    .assert_status(303);
    c.post(
        "/today/checkin",
        &[
            ("day", &today().previous().to_string()),
            ("note", CANARY_PAST),
        ],
    )
    .await
    .assert_status(303);
    c.post("/today/goals", &[("text", CANARY_GOAL)])
        .await
        .assert_status(303);
    let goal = goal_ids(&c.get("/today").await.body)[0].clone();
    c.post(&format!("/today/goals/{goal}/done"), &[])
        .await
        .assert_status(303);
    // Typed while locked, then saved after unlocking.
    app.clock.advance(10 * 60 + 1);
    c.post(
        "/today/checkin",
        &[
            ("day", &today().minus_days(2).to_string()),
            ("note", CANARY_LOCKED),
        ],
    )
    .await
    .assert_status(200);
    c.post(
        "/today/checkin/unlock",
        &[
            ("passphrase", PASS),
            ("day", &today().minus_days(2).to_string()),
            ("note", CANARY_LOCKED),
        ],
    )
    .await
    .assert_status(303);
    let r = c.get("/today").await;
    for canary in [CANARY_EDIT, CANARY_PAST, CANARY_GOAL, CANARY_LOCKED] {
        assert!(r.has(canary), "control: {canary} was saved and opens");
    }
    assert_eq!(stored::<CheckIn>(app).await, 3);
    vec![
        CANARY_NOTE,
        CANARY_EDIT,
        CANARY_LOCKED,
        CANARY_GOAL,
        CANARY_PAST,
    ]
}

fn found_in(bytes: &[u8], canaries: &[&str]) -> Vec<String> {
    canaries
        .iter()
        .filter(|c| count(bytes, c.as_bytes()) > 0)
        .map(|c| (*c).to_owned())
        .collect()
}

#[tokio::test]
async fn sqlite_file_and_wal_hold_check_ins_only_sealed() {
    let app = TestApp::sqlite().await;
    let canaries = canary_journey(&app).await;
    let account = app.account().await.id.as_str().to_owned();
    scan_sqlite_open_and_closed(&app, |bytes, what| {
        let found = found_in(bytes, &canaries);
        assert!(found.is_empty(), "{what} holds {found:?}");
        count(bytes, account.as_bytes()) + count(bytes, b"checkin")
    })
    .await;
    app.finish().await;
}

#[tokio::test]
async fn postgres_dump_holds_check_ins_only_sealed() {
    let Some(app) = TestApp::postgres("today_canary").await else {
        return;
    };
    let canaries = canary_journey(&app).await;
    let dump = app.postgres_dump();
    let account = app.account().await.id.as_str().to_owned();
    assert!(
        count(&dump, account.as_bytes()) > 0 && count(&dump, b"checkin") > 0,
        "control: the dump has the rows"
    );
    let found = found_in(&dump, &canaries);
    assert!(found.is_empty(), "pg_dump holds {found:?}");
    app.finish().await;
}
