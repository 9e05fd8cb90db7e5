//! Every route (security design, required tests 7 and 8): one table of every (method, path),
//! kept in sync with the area registry (which builds the router) and docs/ROUTES.md; for every route × {anonymous,
//! unlocked}: the expected answer, the security headers, `no-store`; unsafe requests refused
//! before routing with the database unchanged; GETs never change anything.

use std::collections::BTreeSet;

use reqwest::header::CONTENT_TYPE;
use reqwest::Method;

use super::harness::{Client, Resp, TestApp, EXIT_URL, NEW_PASS, PASS};
use crate::route_table::{
    self,
    Expect::{Page, To},
    Route,
};

const NAME_41: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
const WRONG: &str = "not the passphrase at all";

/// The foundation's rows of the route table (the shell, access, home, Help now, Settings);
/// each area's rows are in its own tests module ([`crate::route_table`]).
#[rustfmt::skip]
pub const FOUNDATION: &[Route] = &[
    Route::get("/", To("/unlock"), Page(200)),
    Route::get("/more", To("/unlock"), Page(200)),
    Route::get("/welcome", To("/"), To("/")),
    Route::get("/setup", To("/"), To("/")),
    Route::post("/setup", &[("passphrase", ""), ("confirm", "")], Page(400), Page(400)),
    Route::get("/setup/recovery", Page(200), Page(200)),
    Route::get("/unlock", Page(200), To("/")),
    Route::post("/unlock", &[("passphrase", WRONG)], Page(401), Page(401)),
    Route::get("/unlock/recover", Page(200), Page(200)),
    Route::post("/unlock/recover", &[("code", "nope"), ("passphrase", ""), ("confirm", "")], Page(401), Page(401)),
    Route::get("/help", Page(200), Page(200)),
    Route::post("/keepalive", &[], To("/unlock"), Page(204)),
    Route::post("/lock", &[], To("/unlock"), To("/unlock")),
    Route::post("/exit", &[], To(EXIT_URL), To(EXIT_URL)),
    Route::get("/settings", To("/unlock"), Page(200)),
    Route::post("/settings/name", &[("display_name", NAME_41)], To("/unlock"), Page(400)),
    Route::post("/settings/areas", &[("show_help", "on")], To("/unlock"), To("/settings")),
    Route::post("/settings/autolock", &[("minutes", "abc")], To("/unlock"), Page(400)),
    Route::post("/settings/passphrase", &[("current", PASS), ("passphrase", "short"), ("confirm", "short")], To("/unlock"), Page(400)),
    Route::get("/settings/devices", To("/unlock"), Page(200)),
    Route::post("/settings/devices/revoke", &[("device", "00")], To("/unlock"), Page(404)),
    Route::get("/settings/delete", To("/unlock"), Page(200)),
    Route::post("/settings/delete", &[("current", WRONG)], To("/unlock"), Page(400)),
    Route::get("/static/{name}", Page(200), Page(200)),
    Route::get("/sw.js", Page(200), Page(200)),
    Route::get("/health", Page(200), Page(200)),
    Route::get("/ready", Page(200), Page(200)),
];

fn table() -> BTreeSet<(String, String)> {
    route_table::all()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect()
}

/// (method, path) pairs the registry declares (the router is built from the same list).
fn registered_routes() -> BTreeSet<(String, String)> {
    trellis_web::registry::table()
        .iter()
        .map(|(_, r)| (r.method.to_owned(), r.path.to_owned()))
        .collect()
}

const ROUTES_DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/ROUTES.md");
const BEGIN: &str = "<!-- begin generated -->\n";
const END: &str = "<!-- end generated -->\n";

/// The generated part of docs/ROUTES.md: each area's own `handlers/<key>/ROUTES.md`, in the
/// registry's order.
fn generated_routes_doc() -> String {
    let handlers = concat!(env!("CARGO_MANIFEST_DIR"), "/src/handlers");
    let mut parts = Vec::new();
    for area in trellis_web::registry::AREAS {
        let path = format!("{handlers}/{}/ROUTES.md", area.key);
        if let Ok(text) = std::fs::read_to_string(&path) {
            parts.push(text);
        }
    }
    parts.join("\n")
}

/// docs/ROUTES.md is the foundation's routes (written there) plus each area's (generated from
/// the area's folder). `TRELLIS_BLESS=1` brings the generated part up to date.
#[test]
fn routes_doc_is_up_to_date_with_the_areas() {
    let doc = std::fs::read_to_string(ROUTES_DOC).unwrap();
    let (head, rest) = doc
        .split_once(BEGIN)
        .expect("docs/ROUTES.md: no begin marker");
    let (_, tail) = rest.split_once(END).expect("docs/ROUTES.md: no end marker");
    let fresh = format!("{head}{BEGIN}{}{END}{tail}", generated_routes_doc());
    if std::env::var_os("TRELLIS_BLESS").is_some() {
        std::fs::write(ROUTES_DOC, &fresh).unwrap();
    }
    assert!(
        doc == fresh,
        "docs/ROUTES.md is out of date with handlers/<area>/ROUTES.md: run \
         TRELLIS_BLESS=1 cargo nextest run -p trellis-web routes_doc"
    );
}

/// (method, path) pairs documented in docs/ROUTES.md and the areas' own route pages.
fn documented_routes() -> BTreeSet<(String, String)> {
    let doc = std::fs::read_to_string(ROUTES_DOC).unwrap() + &generated_routes_doc();
    let mut out = BTreeSet::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4
            || !cells[1]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
        {
            continue;
        }
        let (methods, path) = (cells[1], cells[2].trim_matches('`'));
        if !path.starts_with('/') {
            continue;
        }
        let path = if path.starts_with("/static/") {
            "/static/{name}"
        } else {
            path
        };
        for m in methods.split('/') {
            out.insert((m.to_owned(), path.to_owned()));
        }
    }
    out
}

#[test]
fn table_matches_the_registry() {
    let registered = registered_routes();
    let table = table();
    let missing: Vec<_> = registered.difference(&table).collect();
    let stale: Vec<_> = table.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "routes in the registry but not in the test table: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "routes in the test table but not in the registry: {stale:?}"
    );
    assert_eq!(
        registered.len(),
        trellis_web::registry::table().len(),
        "no (method, path) is declared twice"
    );
}

/// The access class each area declares agrees with what the route does when locked: a route
/// for unlocked sessions never answers a locked browser with its page, and a public route
/// never sends it to unlock (Lock itself excepted: it ends on the unlock page by design).
#[test]
fn declared_access_agrees_with_the_locked_answer() {
    use trellis_web::registry::Access;
    let mut wrong = Vec::new();
    for (area, info) in trellis_web::registry::table() {
        let row = route_table::all()
            .find(|r| r.method == info.method && r.path == info.path)
            .unwrap_or_else(|| panic!("{} {} has no row", info.method, info.path));
        let sends_to_unlock = matches!(row.anonymous, To("/unlock"));
        let agrees = match info.access {
            Access::Public => !sends_to_unlock || info.path == "/lock",
            Access::Unlocked | Access::StepUp => sends_to_unlock || row.keeps_form,
        };
        if !agrees {
            wrong.push(format!(
                "{area}: {} {} is declared {:?} but answers a locked browser with {:?}",
                info.method, info.path, info.access, row.anonymous
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn table_matches_the_documented_routes() {
    let documented = documented_routes();
    let table = table();
    let undocumented: Vec<_> = table.difference(&documented).collect();
    let missing: Vec<_> = documented.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "documented routes the app lacks: {missing:?}"
    );
    assert!(
        undocumented.is_empty(),
        "routes missing from docs/ROUTES.md: {undocumented:?}"
    );
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Anonymous,
    Unlocked,
}

/// Puts the browser in `state` (unlocking or locking as needed).
async fn ensure(c: &mut Client, state: State) {
    match state {
        State::Unlocked if c.session_cookie().is_none() => c.unlock_ok(PASS).await,
        State::Anonymous if c.session_cookie().is_some() => {
            c.lock().await;
        }
        _ => {}
    }
}

async fn send(c: &mut Client, route: &Route) -> Resp {
    let path = route.concrete();
    match route.method {
        "GET" => c.get(&path).await,
        "POST" => c.post(&path, route.fields).await,
        other => panic!("add {other} to the sweep"),
    }
}

#[track_caller]
fn assert_security_headers(r: &Resp, what: &str, is_static: bool) {
    let csp = r
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    for d in [
        "default-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(d), "{what}: CSP lacks {d}: {csp}");
    }
    let hsts = r
        .header("strict-transport-security")
        .unwrap_or_else(|| panic!("{what}: no HSTS"));
    let max_age: u64 = hsts
        .split(';')
        .find_map(|p| p.trim().strip_prefix("max-age="))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{what}: HSTS without max-age: {hsts}"));
    assert!(max_age >= 31_536_000, "{what}: HSTS max-age {max_age}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        r.header("cross-origin-opener-policy"),
        Some("same-origin"),
        "{what}"
    );
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{what}");
    let cache = r
        .header("cache-control")
        .unwrap_or_else(|| panic!("{what}: no Cache-Control"));
    if is_static {
        assert!(
            cache.contains("immutable"),
            "{what}: static assets are cacheable: {cache}"
        );
    } else {
        assert_eq!(cache, "no-store", "{what}");
    }
}

#[tokio::test]
async fn every_route_in_every_state_answers_as_expected_with_security_headers() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    c.lock().await;
    for state in [State::Anonymous, State::Unlocked] {
        for route in route_table::all() {
            ensure(&mut c, state).await;
            let r = send(&mut c, route).await;
            let what = format!("{} {} ({state:?})", route.method, route.path);
            let expect = if state == State::Anonymous {
                route.anonymous
            } else {
                route.unlocked
            };
            match expect {
                Page(s) => assert_eq!(r.status.as_u16(), s, "{what}: {}", r.snippet()),
                To(to) => {
                    assert_eq!(r.status.as_u16(), 303, "{what}: {}", r.snippet());
                    assert_eq!(r.header("location"), Some(to), "{what}");
                }
            }
            assert_security_headers(&r, &what, route.path.starts_with("/static/"));
            let is_html = r
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/html"));
            if is_html {
                r.assert_calm_page("<main id=\"main\"");
                assert!(r.body.contains("Skip to content"), "{what}");
            }
            if matches!(route.path, "/lock" | "/exit") {
                let csd = r
                    .header("clear-site-data")
                    .unwrap_or_else(|| panic!("{what}: no Clear-Site-Data"));
                for part in ["\"cache\"", "\"cookies\"", "\"storage\""] {
                    assert!(csd.contains(part), "{what}: {csd}");
                }
            }
        }
    }
    app.finish().await;
}

// (The revoke route's 404 above is the handler's "no such device" answer; the same route
// answers 303 when locked, so it exists.)

#[tokio::test]
async fn a_wrong_method_on_every_path_is_405_not_404() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let table = table();
    let rows: BTreeSet<(&str, String)> =
        route_table::all().map(|r| (r.path, r.concrete())).collect();
    for (path, concrete) in rows {
        for method in ["GET", "POST"] {
            if table.contains(&(method.to_owned(), path.to_owned())) {
                continue;
            }
            let r = if method == "GET" {
                c.get(&concrete).await
            } else {
                c.post(&concrete, &[]).await
            };
            assert_eq!(r.status.as_u16(), 405, "{method} {path}: {}", r.snippet());
            assert_security_headers(&r, &format!("{method} {path}"), false);
        }
    }
    app.finish().await;
}

#[tokio::test]
async fn get_never_changes_state() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    c.post("/settings/name", &[("display_name", "Sam's notes")])
        .await
        .assert_redirect("/settings");
    let mut other = app.unlocked_client().await;
    other.get("/").await.assert_status(200);
    c.lock().await;
    for state in [State::Anonymous, State::Unlocked] {
        ensure(&mut c, state).await;
        for route in route_table::all().filter(|r| r.method == "GET") {
            let before = app.digest().await;
            for query in ["", "?country=GB&x=1"] {
                let r = c.get(&format!("{}{query}", route.concrete())).await;
                assert_ne!(r.status.as_u16(), 500, "{}", route.path);
            }
            assert_eq!(
                before,
                app.digest().await,
                "GET {} ({state:?}) changed the database",
                route.path
            );
        }
    }
    app.finish().await;
}

/// How an unsafe request fails to prove it came from this page in this browser.
#[derive(Clone, Copy, Debug)]
enum Refusal {
    NoToken,
    WrongToken,
    AnotherBrowsersToken,
    CrossSite,
    SameSite,
    FetchSiteNone,
    ForeignOrigin,
    NullOrigin,
    NoFetchMetadataNoOrigin,
}

const REFUSALS: &[Refusal] = &[
    Refusal::NoToken,
    Refusal::WrongToken,
    Refusal::AnotherBrowsersToken,
    Refusal::CrossSite,
    Refusal::SameSite,
    Refusal::FetchSiteNone,
    Refusal::ForeignOrigin,
    Refusal::NullOrigin,
    Refusal::NoFetchMetadataNoOrigin,
];

/// A form that WOULD change something if it got through: the row's, or for the foundation's
/// routes that need this run's recovery code or device, made here.
fn dangerous(route: &Route, code: &str, own_device: &str) -> Vec<(String, String)> {
    let v: Vec<(&str, &str)> = match route.path {
        "/setup" => vec![("passphrase", NEW_PASS), ("confirm", NEW_PASS)],
        "/unlock" => vec![("passphrase", PASS)],
        "/unlock/recover" => vec![
            ("code", code),
            ("passphrase", NEW_PASS),
            ("confirm", NEW_PASS),
        ],
        "/settings/name" => vec![("display_name", "Changed by someone else")],
        "/settings/autolock" => vec![("minutes", "2")],
        "/settings/passphrase" => vec![
            ("current", PASS),
            ("passphrase", NEW_PASS),
            ("confirm", NEW_PASS),
        ],
        "/settings/devices/revoke" => vec![("device", own_device)],
        // No `show_help=on`: would hide Help now from the home page.
        "/settings/areas" => vec![],
        "/settings/delete" => vec![("current", PASS)],
        _ => route.would_change.to_vec(),
    };
    v.into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

async fn refused_request(
    c: &mut Client,
    eve_token: &str,
    path: &str,
    form: &[(String, String)],
    how: Refusal,
) -> Resp {
    let good = c.csrf.clone().expect("a token");
    let mut fields: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let token = match how {
        Refusal::NoToken => None,
        Refusal::WrongToken => Some("A".repeat(good.len())),
        Refusal::AnotherBrowsersToken => Some(eve_token.to_owned()),
        _ => Some(good.clone()),
    };
    if let Some(t) = &token {
        fields.insert(0, ("csrf", t.as_str()));
    }
    let (site, origin) = match how {
        Refusal::CrossSite => (Some("cross-site"), None),
        Refusal::SameSite => (Some("same-site"), None),
        Refusal::FetchSiteNone => (Some("none"), None),
        Refusal::ForeignOrigin => (None, Some("http://evil.example".to_owned())),
        Refusal::NullOrigin => (None, Some("null".to_owned())),
        Refusal::NoFetchMetadataNoOrigin => (None, None),
        _ => (Some("same-origin"), None),
    };
    let (saved_site, saved_origin) = (c.fetch_site.take(), c.origin.take());
    c.fetch_site = site.map(str::to_owned);
    c.origin = origin;
    let r = c.post_raw(path, &fields).await;
    c.fetch_site = saved_site;
    c.origin = saved_origin;
    c.csrf = Some(good);
    r
}

#[tokio::test]
async fn unsafe_requests_without_same_origin_proof_are_refused_and_change_nothing() {
    let app = TestApp::sqlite().await;
    // Before set-up: a forged set-up creates nothing.
    let mut fresh = app.client();
    fresh.refresh_csrf().await;
    let mut eve = app.client();
    let eve_token = eve.refresh_csrf().await;
    for &how in REFUSALS {
        let setup = route_table::all()
            .find(|r| r.method == "POST" && r.path == "/setup")
            .expect("POST /setup");
        let form = dangerous(setup, "", "");
        let r = refused_request(&mut fresh, &eve_token, "/setup", &form, how).await;
        assert_eq!(r.status.as_u16(), 403, "/setup {how:?}");
        r.assert_calm_page("That didn't go through");
        assert_eq!(
            app.store.count_accounts().await.expect("count"),
            0,
            "{how:?}"
        );
    }

    let mut c = app.client();
    let r = c.setup(PASS, true).await;
    r.assert_status(200);
    let code = r
        .body
        .split("aria-label=\"Recovery code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("code")
        .to_owned();
    c.lock().await;
    for state in [State::Anonymous, State::Unlocked] {
        ensure(&mut c, state).await;
        // The page's token: session-bound when unlocked, bound to the anonymous cookie when not.
        match state {
            State::Unlocked => c.get("/settings").await.assert_status(200),
            State::Anonymous => drop(c.refresh_csrf().await),
        }
        let own_device = c
            .session_cookie()
            .map(|v| hex::encode(super::harness::sid_hash(&v)))
            .unwrap_or_default();
        for route in route_table::all().filter(|r| r.method == "POST") {
            let form = dangerous(route, &code, &own_device);
            for &how in REFUSALS {
                // Lock and Quick exit need only the same origin (they can only end a session):
                // a stale token must never keep someone from leaving. Tested in quick_exit.rs.
                let token_only = matches!(
                    how,
                    Refusal::NoToken | Refusal::WrongToken | Refusal::AnotherBrowsersToken
                );
                if token_only && matches!(route.path, "/lock" | "/exit") {
                    continue;
                }
                let before = app.digest().await;
                let r = refused_request(&mut c, &eve_token, route.path, &form, how).await;
                let what = format!("POST {} ({state:?}, {how:?})", route.path);
                assert_eq!(r.status.as_u16(), 403, "{what}: {}", r.snippet());
                r.assert_calm_page("That didn't go through");
                assert!(
                    r.header("clear-site-data").is_none(),
                    "{what}: a refused lock does nothing"
                );
                assert_security_headers(&r, &what, false);
                assert_eq!(before, app.digest().await, "{what} changed the database");
            }
        }
    }

    // Positive controls: the same browser, proving same-origin by Origin alone, gets through …
    ensure(&mut c, State::Unlocked).await;
    c.get("/settings").await;
    let (site, origin) = (c.fetch_site.take(), c.origin.take());
    c.origin = Some(app.base.clone());
    let before = app.digest().await;
    assert!(
        [
            "instance",
            "accounts",
            "sessions",
            "records",
            "unlock_attempts"
        ]
        .iter()
        .all(|t| before.contains_key(*t)),
        "{:?}",
        before.keys()
    );
    let r = c
        .post("/settings/name", &[("display_name", "Changed by me")])
        .await;
    r.assert_redirect("/settings");
    assert_ne!(
        before,
        app.digest().await,
        "control: the digest sees a saved change"
    );
    c.fetch_site = site;
    c.origin = origin;
    let r = c.get("/settings").await;
    assert_eq!(
        r.input_value("display_name").as_deref(),
        Some("Changed by me")
    );
    app.finish().await;
}

#[tokio::test]
async fn a_body_that_is_not_a_form_is_refused() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    c.get("/settings").await;
    let token = c.csrf.clone().expect("token");
    let before = app.digest().await;
    // JSON: the token is not found where forms keep it.
    let rb = c
        .request(Method::POST, "/settings/name")
        .header(CONTENT_TYPE, "application/json")
        .body(format!(r#"{{"csrf":"{token}","display_name":"Changed"}}"#));
    let r = c.send(rb).await;
    r.assert_status(403);
    r.assert_calm_page("That didn't go through");
    assert_eq!(before, app.digest().await);
    app.finish().await;
}

/// The refusal sweep's forms are real: sent the proper way, each one changes the database, so
/// "refused and nothing changed" above means something.
#[tokio::test]
async fn every_form_that_would_change_something_does_when_sent_properly() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let mut tried = 0;
    for route in route_table::all().filter(|r| !r.would_change.is_empty()) {
        let before = app.digest().await;
        let r = c.post(&route.concrete(), route.would_change).await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{}: {}",
            route.path,
            r.snippet()
        );
        assert_ne!(before, app.digest().await, "{} changed nothing", route.path);
        tried += 1;
    }
    assert!(tried >= 12, "{tried}");
    app.finish().await;
}
