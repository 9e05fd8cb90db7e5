//! Quick exit without JavaScript: the CSP must let the exit form's redirect through, and the
//! page after deleting everything must still carry a valid token. (Both were bugs once.)

use super::harness::{TestApp, EXIT_URL};

/// The CSP origin (`scheme://host[:port]`) of an absolute URL.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("absolute url");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{host}")
}

/// Without JavaScript, Quick exit is a form POST to /exit answered by a 303 to the neutral
/// site. Browsers apply the page's CSP `form-action` to the redirect after a form submission
/// (Chromium does), so with `form-action 'self'` the browser refuses to leave.
#[tokio::test]
async fn no_javascript_quick_exit_is_not_blocked_by_our_own_csp() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let page = c.get("/").await;
    let csp = page
        .header("content-security-policy")
        .expect("csp")
        .to_owned();
    let r = c.post("/exit", &[]).await;
    r.assert_redirect(EXIT_URL);
    let target = origin_of(EXIT_URL);
    let form_action: Vec<&str> = csp
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix("form-action "))
        .map(|v| v.split_whitespace().collect())
        .unwrap_or_default();
    let scheme = format!("{}:", EXIT_URL.split(':').next().unwrap_or(""));
    assert!(
        form_action
            .iter()
            .any(|s| *s == target || *s == scheme || *s == "*"),
        "form-action {form_action:?} does not allow the quick-exit redirect to {target}"
    );
    app.finish().await;
}

/// The page shown after "delete everything" comes with Clear-Site-Data (the browser forgets
/// both cookies) but its Quick exit form carries a token bound to the old session cookie, and
/// no new anonymous cookie is issued: without JavaScript, Quick exit there answers 403.
#[tokio::test]
async fn quick_exit_works_on_the_page_after_deleting_everything() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let r = c
        .post("/settings/delete", &[("current", super::harness::PASS)])
        .await;
    r.assert_status(200);
    assert!(
        !c.jar.contains_key(super::harness::SESSION),
        "the browser no longer holds the session cookie"
    );
    // The browser submits the page's own quick-exit form.
    let r = c.post("/exit", &[]).await;
    r.assert_redirect(EXIT_URL);
    app.finish().await;
}

/// A page opened before another tab unlocked holds a stale form token: its Quick exit and
/// Lock still end the (new) session. A cross-site request still cannot.
#[tokio::test]
async fn quick_exit_and_lock_work_with_a_stale_token_but_never_cross_site() {
    use super::harness::{Client, SESSION};
    for path in ["/exit", "/lock"] {
        let app = TestApp::sqlite().await;
        let mut old_tab = app.set_up().await;
        old_tab.get("/settings").await.assert_status(200);
        let stale = old_tab.csrf.clone().expect("token");
        // Another tab locks and unlocks: the browser now holds a new session cookie.
        old_tab.lock().await;
        old_tab.unlock_ok(super::harness::PASS).await;
        let live = old_tab.session_cookie().expect("unlocked");
        // A forged request from another site changes nothing.
        let mut eve = Client::new(&app.base);
        eve.jar.insert(SESSION.to_owned(), live.clone());
        eve.fetch_site = Some("cross-site".to_owned());
        eve.post_raw(path, &[]).await.assert_status(403);
        assert!(app.session_row(&live).await.is_some());
        // The old page's own form, with its stale token, ends the session.
        let r = old_tab.post_raw(path, &[("csrf", &stale)]).await;
        assert_eq!(r.status.as_u16(), 303, "{path}");
        assert!(app.session_row(&live).await.is_none(), "{path} locked");
        app.finish().await;
    }
}
