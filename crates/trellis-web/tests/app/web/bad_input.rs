//! Bad input gets a calm page and loses nothing that was saved.

use reqwest::header::CONTENT_TYPE;
use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::harness::{TestApp, PASS};

const LIMIT: usize = trellis_web::guard::BODY_LIMIT;

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_a_calm_413() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    c.post("/settings/name", &[("display_name", "Sam's notes")])
        .await
        .assert_redirect("/settings");
    let token = c.refresh_csrf().await;
    let before = app.digest().await;

    // Declared too big (Content-Length).
    let big = "x".repeat(LIMIT + 1);
    let r = c
        .post("/settings/name", &[("display_name", big.as_str())])
        .await;
    r.assert_status(413);
    r.assert_calm_page("more than we can take at once");
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(before, app.digest().await, "nothing saved changed");

    // Exactly at the limit the guard lets it through and the handler answers (name too long).
    let prefix = format!("csrf={token}&display_name=");
    let body = format!("{prefix}{}", "y".repeat(LIMIT - prefix.len()));
    assert_eq!(body.len(), LIMIT);
    let rb = c
        .request(Method::POST, "/settings/name")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body);
    let r = c.send(rb).await;
    r.assert_status(400);
    assert!(r.has("40 characters or fewer"), "{}", r.snippet());
    assert_eq!(before, app.digest().await);

    // Too big without a declared length (chunked): still 413, still calm.
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let payload = format!("csrf={token}&display_name={}", "z".repeat(LIMIT + 10));
    let head = format!(
        "POST /settings/name HTTP/1.1\r\nHost: {addr}\r\nCookie: {}\r\nSec-Fetch-Site: same-origin\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        c.cookie_header().expect("cookies")
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(format!("{:x}\r\n", payload.len()).as_bytes());
    request.extend_from_slice(payload.as_bytes());
    request.extend_from_slice(b"\r\n0\r\n\r\n");
    // The server may answer before reading everything; a write error after that is fine.
    let _ = stream.write_all(&request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "chunked body over the limit: {}",
        &answer[..answer.len().min(300)]
    );
    assert!(
        answer.contains("Help now") && answer.contains("Quick exit"),
        "calm page"
    );
    assert_eq!(before, app.digest().await);

    let r = c.get("/settings").await;
    assert_eq!(
        r.input_value("display_name").as_deref(),
        Some("Sam's notes")
    );
    app.finish().await;
}

#[tokio::test]
async fn a_form_sent_as_another_content_type_gets_a_calm_400() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let token = c.refresh_csrf().await;
    let before = app.digest().await;
    // The body carries a valid token (so the guard lets it by), but it is not declared a form.
    let rb = c
        .request(Method::POST, "/settings/name")
        .header(CONTENT_TYPE, "application/json")
        .body(format!("csrf={token}&display_name=Changed"));
    let r = c.send(rb).await;
    r.assert_status(400);
    r.assert_calm_page("We couldn't read that form");
    assert_eq!(before, app.digest().await);
    // No content type at all: same.
    let rb = c
        .request(Method::POST, "/settings/name")
        .body(format!("csrf={token}&display_name=Changed"));
    let r = c.send(rb).await;
    r.assert_status(400);
    r.assert_calm_page("We couldn't read that form");
    assert_eq!(before, app.digest().await);
    app.finish().await;
}

#[tokio::test]
async fn an_unknown_address_gets_a_calm_404_with_a_way_back() {
    let app = TestApp::sqlite().await;
    let mut anon = app.client();
    let r = anon.get("/no/such/page").await;
    r.assert_status(404);
    r.assert_calm_page("We couldn't find that page");
    assert!(r.body.contains(r#"href="/""#), "a link to the start");
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let mut c = app.set_up().await;
    for path in [
        "/no/such/page",
        "/settings/nope",
        "/static/app.0000.css",
        "/static/nope",
    ] {
        let r = c.get(path).await;
        r.assert_status(404);
        r.assert_calm_page("We couldn't find that page");
        assert!(r.body.contains(r#"href="/""#));
        assert_eq!(
            r.header("cache-control"),
            Some("no-store"),
            "{path}: a miss is never cached"
        );
    }
    let r = c.post("/no/such/page", &[]).await;
    r.assert_status(404);
    r.assert_calm_page("We couldn't find that page");
    app.finish().await;
}

#[tokio::test]
async fn autolock_out_of_range_is_a_calm_400_and_changes_nothing() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let before = app.digest().await;
    // There is no "never lock": 0 is out of range like the rest, passphrase or not.
    for minutes in ["abc", "", "0", "1", "31", "-5", "2.5", "99999999"] {
        let r = c
            .post(
                "/settings/autolock",
                &[("minutes", minutes), ("current", PASS)],
            )
            .await;
        r.assert_status(400);
        assert!(
            r.has("whole number of minutes from 2 to 30"),
            "{minutes:?}: {}",
            r.snippet()
        );
        assert!(r.body.contains(r#"role="alert""#), "shown as an alert");
        assert_eq!(
            r.input_value("minutes").as_deref(),
            Some("10"),
            "the saved value is shown"
        );
        r.assert_calm_page("Auto-lock");
        assert_eq!(
            before,
            app.digest().await,
            "{minutes:?} changed the database"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn a_new_auto_lock_time_is_saved_without_the_passphrase_again() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let r = c.get("/settings").await;
    let form = &r.body[r.body.find("action=\"/settings/autolock\"").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(
        !form.contains("type=\"password\""),
        "no passphrase asked: {form}"
    );
    // Longer, then shorter: each saved at once.
    for minutes in [30, 2] {
        let r = c
            .post("/settings/autolock", &[("minutes", &minutes.to_string())])
            .await;
        r.assert_status(200);
        assert!(r.has(&format!("lock after {minutes} quiet minutes")));
        assert_eq!(app.account().await.idle_minutes, minutes);
    }
    // A passphrase sent along by an older form is not looked at, so not counted as a try.
    let tries = |d: std::collections::BTreeMap<String, Vec<String>>| d["unlock_attempts"].clone();
    let before = tries(app.digest().await);
    c.post(
        "/settings/autolock",
        &[("minutes", "2"), ("current", "not the passphrase at all")],
    )
    .await
    .assert_status(200);
    assert_eq!(before, tries(app.digest().await), "no try counted");
    app.finish().await;
}

#[tokio::test]
async fn a_display_name_over_40_characters_is_kept_in_the_form_but_not_saved() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    c.post("/settings/name", &[("display_name", "Sam's notes")])
        .await
        .assert_redirect("/settings");
    let saved = app.profile_records().await;
    let before = app.digest().await;
    let typed = "Sam's <b>new</b> \"notes\" & a few more words here";
    assert!(typed.chars().count() > 40);
    let r = c.post("/settings/name", &[("display_name", typed)]).await;
    r.assert_status(400);
    assert!(r.has("40 characters or fewer"), "{}", r.snippet());
    assert_eq!(
        r.input_value("display_name").as_deref(),
        Some(typed),
        "what was typed is kept"
    );
    assert!(!r.body.contains("<b>new</b>"), "escaped");
    assert_eq!(before, app.digest().await);
    assert_eq!(saved, app.profile_records().await);
    let r = c.get("/settings").await;
    assert_eq!(
        r.input_value("display_name").as_deref(),
        Some("Sam's notes")
    );
    assert_eq!(r.title().as_deref(), Some("Sam's notes"));

    // 40 characters exactly is fine (counted in characters, not bytes).
    let forty = "é".repeat(40);
    c.post("/settings/name", &[("display_name", forty.as_str())])
        .await
        .assert_redirect("/settings");
    let r = c.get("/settings").await;
    assert_eq!(r.input_value("display_name"), Some(forty));
    app.finish().await;
}
