//! Recovery: off by default (not on Home, More or the navigation until turned on); an urge leads
//! straight to what can help; how it went, a change and a deletion; use notes; never a count.

use crate::harness::TestApp;
use crate::route_table::{Expect::{Page, To}, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/recovery", To("/unlock"), Page(200)),
    Route::post("/recovery/urges", &[("strength", "11")], To("/unlock"), Page(400))
        .would_change(&[("strength", "4")]),
    Route::get("/recovery/urges/{id}", To("/unlock"), Page(404)),
    Route::post("/recovery/urges/{id}", &[("outcome", "rode_out")], To("/unlock"), Page(404)),
    Route::post("/recovery/urges/{id}/delete", &[], To("/unlock"), Page(404)),
    Route::post("/recovery/uses", &[("what", "")], To("/unlock"), Page(400))
        .would_change(&[("what", "wine")]),
    Route::get("/recovery/uses/{id}", To("/unlock"), Page(404)),
    Route::post("/recovery/uses/{id}", &[("what", "x")], To("/unlock"), Page(404)),
    Route::post("/recovery/uses/{id}/delete", &[], To("/unlock"), Page(404)),
];

on_both_databases!(
    recovery_is_off_until_turned_on,
    an_urge_leads_to_help_now_and_how_it_went_is_never_a_count,
);

async fn recovery_is_off_until_turned_on(app: &TestApp) {
    let mut c = app.set_up().await;
    for page in ["/", "/more", "/today"] {
        assert!(!c.get(page).await.body.contains("href=\"/recovery\""), "{page}: off by default");
    }
    let settings = c.get("/settings").await;
    assert!(settings.body.contains("name=\"show_recovery\""), "it can be turned on");
    assert!(!settings.body.contains("name=\"show_recovery\" type=\"checkbox\" value=\"on\" checked"));
    // Turned on with every other area kept: it appears; the others stay.
    let mut form: Vec<(String, String)> = trellis_web::registry::home_cards()
        .filter(|a| a.card.hideable)
        .map(|a| (format!("show_{}", a.key), "on".to_owned()))
        .collect();
    let pairs = |f: &[(String, String)]| f.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let send: Vec<(String, String)> = pairs(&form);
    let s: Vec<(&str, &str)> = send.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post("/settings/areas", &s).await.assert_redirect("/settings");
    for page in ["/", "/more"] {
        assert!(c.get(page).await.body.contains("href=\"/recovery\""), "{page}: turned on");
    }
    assert!(c.get("/").await.body.contains("href=\"/journal\""));
    // Off again.
    form.retain(|(k, _)| k != "show_recovery");
    let s: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post("/settings/areas", &s).await.assert_redirect("/settings");
    assert!(!c.get("/").await.body.contains("href=\"/recovery\""));
    assert!(c.get("/").await.body.contains("href=\"/journal\""));
}

async fn an_urge_leads_to_help_now_and_how_it_went_is_never_a_count(app: &TestApp) {
    let mut c = app.set_up().await;
    c.post("/support/people", &[("kind", "friends_family"), ("name", "Sam"), ("reach", "07700 900123")])
        .await
        .assert_status(303);
    let r = c.get("/recovery").await;
    r.assert_calm_page("Recovery");
    assert!(r.has("you are not alone") || r.has("You are not alone"));
    assert!(r.has("SAMHSA National Helpline"), "a line for alcohol and drugs");
    // A problem keeps every word.
    let r = c.post("/recovery/urges", &[("strength", "12"), ("what", "after <the> call")]).await;
    r.assert_status(400);
    assert!(r.has("from 0 to 10") && r.has("after <the> call"));
    // Noted: straight to what can help now.
    let r = c.post("/recovery/urges", &[("strength", "8"), ("what", "after the call")]).await;
    r.assert_status(303);
    let at = r.header("location").expect("to the urge").to_owned();
    assert!(at.ends_with("?done=noted"), "{at}");
    let now = c.get(&at).await;
    now.assert_calm_page("Noted. Here is what can help now");
    assert!(now.body.contains("href=\"/calm/three-breaths\"") && now.has("Sam") && now.body.contains("href=\"tel:"));
    assert!(now.has("SAMHSA National Helpline") && now.body.contains("href=\"/help\""));
    assert!(now.body.contains("href=\"tel:18006624357\""), "dialled as Help now dials it");
    // How it went, later; the strength of riding urges out appears, never a count of days.
    let id = at.trim_start_matches("/recovery/urges/").trim_end_matches("?done=noted").to_owned();
    c.post(&format!("/recovery/urges/{id}"), &[("outcome", "rode_out"), ("strength", "8"), ("what", "after the call")])
        .await
        .assert_redirect("/recovery?done=saved");
    let r = c.get("/recovery").await;
    assert!(r.body.contains("Urges that passed, over time: <strong>Just beginning</strong>") && r.has("It passed"), "{}", r.snippet());
    for counted in ["days sober", "sober days", "streak", "in a row"] {
        assert!(!r.has(counted), "{counted}");
    }
    // A use note: kept, changed, deleted; never totalled.
    c.post("/recovery/uses", &[("what", "")]).await.assert_status(400);
    c.post("/recovery/uses", &[("what", "wine"), ("amount", "two glasses")]).await.assert_redirect("/recovery?done=saved");
    let r = c.get("/recovery").await;
    assert!(r.has("wine, two glasses"));
    let use_id = r.body.split("href=\"/recovery/uses/").nth(1).and_then(|s| s.get(..32)).expect("a note").to_owned();
    c.get(&format!("/recovery/uses/{use_id}")).await.assert_calm_page("Change a note");
    c.post(&format!("/recovery/uses/{use_id}"), &[("what", "wine"), ("amount", "one glass")]).await.assert_status(303);
    assert!(c.get("/recovery").await.has("wine, one glass"));
    c.post(&format!("/recovery/uses/{use_id}/delete"), &[]).await.assert_redirect("/recovery?done=deleted");
    c.post(&format!("/recovery/urges/{id}/delete"), &[]).await.assert_redirect("/recovery?done=deleted");
    let r = c.get("/recovery").await;
    assert!(!r.has("wine") && !r.has("after the call"));
}

/// Words that must never reach the disk or the logs in clear.
const CANARIES: &[&str] = &["CANARY-URGE-5c1d", "CANARY-USE-8e2a", "CANARY-AMOUNT-0f4b"];

async fn canary_entries(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.post("/recovery/urges", &[("strength", "6"), ("what", CANARIES[0])]).await;
    let at = r.header("location").expect("an urge").to_owned();
    let id = at.trim_start_matches("/recovery/urges/").trim_end_matches("?done=noted").to_owned();
    c.post(&format!("/recovery/urges/{id}"), &[("outcome", "used"), ("what", CANARIES[0])]).await.assert_status(303);
    for _ in 0..2 {
        c.post("/recovery/uses", &[("what", CANARIES[1]), ("amount", CANARIES[2])]).await.assert_status(303);
    }
    let page = c.get("/recovery").await.body;
    let use_id = page.split("href=\"/recovery/uses/").nth(1).and_then(|s| s.get(..32)).expect("a note").to_owned();
    c.post(&format!("/recovery/uses/{use_id}/delete"), &[]).await.assert_status(303);
}

fn found(bytes: &[u8]) -> Vec<&'static str> {
    CANARIES.iter().copied().filter(|c| crate::harness::count(bytes, c.as_bytes()) > 0).collect()
}

#[tokio::test]
async fn recovery_entries_are_only_sealed_in_the_sqlite_files_and_never_in_logs() {
    let logs = crate::harness::capture_logs();
    let app = TestApp::sqlite().await;
    canary_entries(&app).await;
    let account = app.account().await.id.as_str().to_owned();
    crate::harness::scan_sqlite_open_and_closed(&app, |bytes, what| {
        assert!(found(bytes).is_empty(), "{what} holds {:?}", found(bytes));
        crate::harness::count(bytes, account.as_bytes()) + crate::harness::count(bytes, b"recovery_urge")
    })
    .await;
    assert!(found(&logs.bytes()).is_empty(), "the logs hold {:?}", found(&logs.bytes()));
    app.finish().await;
}

#[tokio::test]
async fn recovery_entries_are_only_sealed_in_a_postgres_dump() {
    let Some(app) = TestApp::postgres("recovery_canary").await else {
        return;
    };
    canary_entries(&app).await;
    let dump = app.postgres_dump();
    assert!(crate::harness::count(&dump, b"recovery_use") > 0, "control: the dump has the rows");
    assert!(found(&dump).is_empty(), "pg_dump holds {:?}", found(&dump));
    app.finish().await;
}
