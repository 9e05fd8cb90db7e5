//! Therapy: the guide (public), finding help, and session notes (unlocked, sealed): created,
//! changed and deleted; every box optional but not all empty; another person's note is a 404.

use crate::harness::{capture_logs, count, scan_sqlite_open_and_closed, TestApp};
use crate::route_table::{Expect::{Page, To}, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/therapy", Page(200), Page(200)),
    Route::get("/therapy/{slug}", Page(200), Page(200)).at("/therapy/cpt"),
    Route::get("/therapy/notes", To("/unlock"), Page(200)),
    Route::post("/therapy/notes", &[("feeling", "11")], To("/unlock"), Page(400))
        .would_change(&[("bring_up", "Something to say")]),
    Route::get("/therapy/notes/{id}", To("/unlock"), Page(404)),
    Route::post("/therapy/notes/{id}", &[("noticed", "x")], To("/unlock"), Page(404)),
    Route::get("/therapy/notes/{id}/delete", To("/unlock"), Page(404)),
    Route::post("/therapy/notes/{id}/delete", &[], To("/unlock"), Page(404)),
    Route::get("/therapy/groups", To("/unlock"), Page(200)),
    Route::post("/therapy/groups", &[("group", "")], To("/unlock"), Page(400))
        .would_change(&[("group", "Tuesday circle")]),
    Route::post("/therapy/groups/{id}/delete", &[], To("/unlock"), Page(404)),
];

on_both_databases!(
    a_time_at_a_group_is_noted_and_shows_as_last_in_touch,
    the_guide_reads_locked_with_sessions_sources_and_places,
    session_notes_are_kept_changed_and_deleted_with_every_word_kept_on_a_problem,
);

async fn the_guide_reads_locked_with_sessions_sources_and_places(app: &TestApp) {
    let mut c = app.client();
    let index = c.get("/therapy").await;
    index.assert_calm_page("Therapy and groups");
    assert!(!index.body.contains("/therapy/notes"), "no notes while locked");
    for g in trellis_core::therapy::guides() {
        assert!(index.body.contains(&format!("href=\"/therapy/{}\"", g.slug)), "{} is offered", g.slug);
        let r = c.get(&format!("/therapy/{}", g.slug)).await;
        r.assert_calm_page(&g.title);
        if !g.session.is_empty() {
            assert!(r.has(&g.session), "{}", g.slug);
        }
        assert!(r.has("Where this comes from") && r.body.contains("href=\"/help\""));
    }
    for c in &trellis_core::therapy::FindingHelp::get().country {
        for p in &c.place {
            assert!(index.has(&p.name), "{} is listed", p.name);
        }
    }
    c.get("/therapy/not-a-page").await.assert_status(404);
}

async fn session_notes_are_kept_changed_and_deleted_with_every_word_kept_on_a_problem(app: &TestApp) {
    let mut c = app.set_up().await;
    assert!(c.get("/therapy").await.body.contains("href=\"/therapy/notes\""));
    let r = c.get("/therapy/notes").await;
    r.assert_calm_page("Session notes");
    // Nothing at all: a calm 400. A feeling out of range: every word kept.
    let r = c.post("/therapy/notes", &[("bring_up", ""), ("feeling", "")]).await;
    r.assert_status(400);
    assert!(r.has("nothing to save yet"));
    let r = c
        .post("/therapy/notes", &[("bring_up", "Sleep <and> the dreams"), ("feeling", "12")])
        .await;
    r.assert_status(400);
    assert!(r.has("from 0 to 10") && r.has("Sleep <and> the dreams"), "{}", r.snippet());
    assert!(!r.body.contains("Sleep <and>"), "escaped");
    let before = app.digest().await;
    c.post("/therapy/notes", &[("day", "2026-11-20"), ("bring_up", "Sleep and the dreams"), ("feeling", "6")])
        .await
        .assert_redirect("/therapy/notes?done=saved");
    assert_ne!(before, app.digest().await);
    let list = c.get("/therapy/notes?done=saved").await;
    assert!(list.has("Your note is saved.") && list.has("Sleep and the dreams") && list.has("6 out of 10"));
    let id = list
        .body
        .split("href=\"/therapy/notes/")
        .nth(1)
        .and_then(|s| s.get(..32))
        .expect("a note")
        .to_owned();
    // What to bring up goes onto the page for the therapist, when chosen.
    let page = c
        .post("/progress/summary", &[("page", "1"), ("from", "2026-01-01"), ("with_bring_up", "on")])
        .await;
    assert!(page.has("What I want to bring up") && page.has("Sleep and the dreams"), "{}", page.snippet());
    let page = c.post("/progress/summary", &[("page", "1"), ("from", "2026-01-01")]).await;
    assert!(!page.has("Sleep and the dreams"), "only when chosen");
    let edit = c.get(&format!("/therapy/notes/{id}")).await;
    edit.assert_calm_page("Change a note");
    assert!(edit.body.contains("value=\"2026-11-20\""));
    c.post(&format!("/therapy/notes/{id}"), &[("noticed", "I spoke first"), ("feeling", "7")])
        .await
        .assert_redirect("/therapy/notes?done=saved");
    let list = c.get("/therapy/notes").await;
    assert!(list.has("I spoke first") && list.has("7 out of 10") && !list.has("Sleep and the dreams"));
    c.get(&format!("/therapy/notes/{id}/delete")).await.assert_calm_page("Delete this note?");
    c.post(&format!("/therapy/notes/{id}/delete"), &[])
        .await
        .assert_redirect("/therapy/notes?done=deleted");
    assert!(!c.get("/therapy/notes").await.has("I spoke first"));
}

/// Words that must never reach the disk or the logs in clear.
const CANARIES: &[&str] = &["CANARY-BRINGUP-71c2", "CANARY-NOTICED-9a0e", "CANARY-TRY-3d5b"];

/// A note with a canary in every box, then one changed and one deleted.
async fn canary_notes(app: &TestApp) {
    let mut c = app.set_up().await;
    for _ in 0..2 {
        c.post(
            "/therapy/notes",
            &[("bring_up", CANARIES[0]), ("noticed", CANARIES[1]), ("try_next", CANARIES[2]), ("feeling", "4")],
        )
        .await
        .assert_redirect("/therapy/notes?done=saved");
    }
    let list = c.get("/therapy/notes").await;
    let ids: Vec<String> = list
        .body
        .split("href=\"/therapy/notes/")
        .skip(1)
        .filter_map(|s| s.get(..32).map(str::to_owned))
        .filter(|s| s.chars().all(|c| c.is_ascii_hexdigit()))
        .collect();
    c.post(&format!("/therapy/notes/{}", ids[0]), &[("noticed", CANARIES[1])]).await.assert_status(303);
    c.post(&format!("/therapy/notes/{}/delete", ids.last().expect("an id")), &[]).await.assert_status(303);
}

fn found(bytes: &[u8]) -> Vec<&'static str> {
    CANARIES.iter().copied().filter(|c| count(bytes, c.as_bytes()) > 0).collect()
}

#[tokio::test]
async fn session_notes_are_only_sealed_in_the_sqlite_files_and_never_in_logs() {
    let logs = capture_logs();
    let app = TestApp::sqlite().await;
    canary_notes(&app).await;
    let account = app.account().await.id.as_str().to_owned();
    scan_sqlite_open_and_closed(&app, |bytes, what| {
        assert!(found(bytes).is_empty(), "{what} holds {:?}", found(bytes));
        count(bytes, account.as_bytes()) + count(bytes, b"session_note")
    })
    .await;
    assert!(found(&logs.bytes()).is_empty(), "the logs hold {:?}", found(&logs.bytes()));
    app.finish().await;
}

#[tokio::test]
async fn session_notes_are_only_sealed_in_a_postgres_dump() {
    let Some(app) = TestApp::postgres("therapy_canary").await else {
        return;
    };
    canary_notes(&app).await;
    let dump = app.postgres_dump();
    assert!(count(&dump, b"session_note") > 0, "control: the dump has the rows");
    assert!(found(&dump).is_empty(), "pg_dump holds {:?}", found(&dump));
    app.finish().await;
}

async fn a_time_at_a_group_is_noted_and_shows_as_last_in_touch(app: &TestApp) {
    use trellis_core::clock::Day;
    let mut c = app.set_up().await;
    let today = Day::of_unix(app.trellis.now());
    let week_ago = today.minus_days(7).to_string();
    c.post("/support/people", &[("kind", "group_member"), ("name", "Tuesday Circle")])
        .await
        .assert_status(303);
    let r = c.get("/therapy/groups").await;
    r.assert_calm_page("Your groups");
    assert!(r.body.contains("<option value=\"Tuesday Circle\">"), "the network's groups are offered");
    // Problems are calm and keep every word.
    let r = c.post("/therapy/groups", &[("group", ""), ("felt", "kept <words>")]).await;
    r.assert_status(400);
    assert!(r.has("give the group a name") && r.has("kept <words>"));
    let tomorrow = today.next().to_string();
    let r = c.post("/therapy/groups", &[("group", "x"), ("day", tomorrow.as_str())]).await;
    r.assert_status(400);
    assert!(r.has("no later than today"));
    // Noted a week ago, in other letters: the network shows it.
    c.post("/therapy/groups", &[("group", "tuesday circle"), ("day", week_ago.as_str()), ("felt", "I only listened")])
        .await
        .assert_redirect("/therapy/groups?done=shown");
    let support = c.get("/support").await;
    let shown = format!("Last in touch: {}", today.minus_days(7).date_words());
    assert!(support.has(&shown), "{}", support.snippet());
    // An older time does not move it back; another group is just saved.
    c.post("/therapy/groups", &[("group", "Tuesday Circle"), ("day", today.minus_days(30).to_string().as_str())])
        .await
        .assert_redirect("/therapy/groups?done=saved");
    assert!(c.get("/support").await.has(&shown), "an older time leaves it");
    c.post("/therapy/groups", &[("group", "An online group")]).await.assert_redirect("/therapy/groups?done=saved");
    let list = c.get("/therapy/groups").await;
    assert!(list.has("I only listened") && list.has("An online group"));
    let id = list
        .body
        .split("action=\"/therapy/groups/")
        .nth(1)
        .and_then(|s| s.get(..32))
        .expect("a visit")
        .to_owned();
    c.post(&format!("/therapy/groups/{id}/delete"), &[]).await.assert_redirect("/therapy/groups?done=deleted");
    assert_eq!(c.get("/therapy/groups").await.body.matches("action=\"/therapy/groups/").count(), 2);
}
