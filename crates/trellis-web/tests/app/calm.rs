//! Calm now over real HTTP: the public tools (no account, locked), the distress ratings as
//! sealed records, the "what helped" ranking, another account's ids, bad input, the service
//! worker's list of public pages, and a canary scan of the database files for the ratings.
//!
//! Tests marked "both databases" run on SQLite and, when `TRELLIS_TEST_DATABASE_URL` is set, on
//! PostgreSQL (see `scripts/with-postgres`).

use crate::harness;

use crate::harness::{count, scan_sqlite_open_and_closed, Client, Db, Resp, TestApp, NEW_PASS};

use crate::route_table::{Expect::{Page, To}, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/calm", Page(200), Page(200)),
    Route::get("/calm/helped", To("/unlock"), Page(200)),
    Route::get("/calm/{tool}", Page(200), Page(200)).at("/calm/senses"),
    Route::post("/calm/{tool}/rating", &[("moment", "before"), ("rating", "11")], To("/unlock"), Page(400)).at("/calm/senses/rating")
        .would_change(&[("moment", "before"), ("rating", "5")]),
    // After the rating above, so there is something to forget.
    Route::post("/calm/helped/forget", &[], To("/unlock"), Page(400))
        .would_change(&[("sure", "on")]),
];

on_both_databases!(
    ratings_are_sealed_uses_and_what_helped_ranks_them,
    another_accounts_ids_are_refused_with_404_and_change_nothing,
    bad_ratings_get_a_calm_400_keep_the_form_and_save_nothing,
    ratings_are_stored_only_sealed,
);

const TOOLS: [&str; 7] = [
    "senses",
    "breathing",
    "three-breaths",
    "feet",
    "body-scan",
    "kindness",
    "movement",
];

/// The `use` id in a redirect after a rating before.
fn use_id(r: &Resp) -> String {
    let location = r.header("location").expect("a redirect");
    let id = location
        .split("use=")
        .nth(1)
        .expect("a use id in the address")
        .split('&')
        .next()
        .unwrap();
    assert_eq!(id.len(), 32, "{location}");
    id.to_owned()
}

/// Rates before (when given) and after (when given), as the pages do.
pub(crate) async fn rate(
    c: &mut Client,
    tool: &str,
    before: Option<&str>,
    after: Option<&str>,
    short: bool,
) -> Option<String> {
    let path = format!("/calm/{tool}/rating");
    let short_v = if short { "1" } else { "0" };
    let mut id = None;
    if let Some(b) = before {
        c.get(&format!("/calm/{tool}")).await.assert_status(200);
        let r = c
            .post(
                &path,
                &[("moment", "before"), ("rating", b), ("short", short_v)],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.snippet());
        let u = use_id(&r);
        let step1 = if short {
            format!("/calm/{tool}?step=1&short=1&use={u}")
        } else {
            format!("/calm/{tool}?step=1&use={u}")
        };
        r.assert_redirect(&step1);
        c.get(&step1).await.assert_status(200);
        id = Some(u);
    }
    if let Some(a) = after {
        let mut end = format!("/calm/{tool}?step=end");
        if short {
            end.push_str("&short=1");
        }
        if let Some(u) = &id {
            end.push_str(&format!("&use={u}"));
        }
        let page = c.get(&end).await;
        page.assert_status(200);
        assert!(
            page.body.contains(r#"name="moment" value="after""#),
            "the end page asks how it went"
        );
        if let Some(u) = &id {
            assert!(
                page.body.contains(&format!(r#"name="use" value="{u}""#)),
                "the use id is carried"
            );
        }
        let mut fields = vec![("moment", "after"), ("rating", a)];
        if short {
            fields.push(("short", "1"));
        }
        if let Some(u) = &id {
            fields.push(("use", u.as_str()));
        }
        let r = c.post(&path, &fields).await;
        let back = if short {
            format!("/calm/{tool}?step=end&short=1&rated=1")
        } else {
            format!("/calm/{tool}?step=end&rated=1")
        };
        r.assert_redirect(&back);
        let done = c.get(&back).await;
        assert!(
            done.has("Your rating is kept privately"),
            "{}",
            done.snippet()
        );
    }
    id
}

/// How many sealed uses the person of browser `c` has.
async fn records_of(app: &TestApp, c: &Client) -> usize {
    let row = app.session_row(&c.session_cookie().unwrap()).await.unwrap();
    app.store
        .records_of_kind(&row.account_id, "calm_rating")
        .await
        .unwrap()
        .len()
}

/// The tool names on "what has helped you", in order.
fn ranked(body: &str) -> Vec<String> {
    body.split("<li class=\"calm-helped-row\">")
        .skip(1)
        .map(|li| {
            let a = li.split("\">").nth(1).unwrap();
            harness::unescape(a.split("</a>").next().unwrap())
        })
        .collect()
}

/// Both databases: before → steps → after, edits, the ranking, forgetting.
async fn ratings_are_sealed_uses_and_what_helped_ranks_them(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/calm/helped").await;
    r.assert_status(200);
    assert!(r.has("Nothing here yet"), "a kind empty state");
    assert!(
        !r.body.contains("/calm/helped/forget"),
        "nothing to forget yet"
    );

    let feet = rate(&mut c, "feet", Some("8"), Some("3"), false)
        .await
        .unwrap(); // 5
    rate(&mut c, "senses", Some("6"), Some("5"), false).await; // 1
    rate(&mut c, "breathing", Some("4"), Some("6"), false).await; // −2
    rate(&mut c, "movement", Some("9"), Some("2"), true).await; // 7, shorter version
    rate(&mut c, "kindness", Some("5"), None, false).await; // only before: not counted
    rate(&mut c, "three-breaths", None, Some("1"), false).await; // only after: not counted
                                                                 // Skipping the rating keeps nothing and goes straight to the first step.
    let r = c
        .post(
            "/calm/body-scan/rating",
            &[("moment", "before"), ("rating", ""), ("short", "0")],
        )
        .await;
    r.assert_redirect("/calm/body-scan?step=1");
    let r = c
        .post(
            "/calm/body-scan/rating",
            &[("moment", "after"), ("rating", "")],
        )
        .await;
    r.assert_redirect("/calm/body-scan?step=end");
    assert_eq!(
        records_of(app, &c).await,
        6,
        "one sealed record per rated use, none for skips"
    );

    let r = c.get("/calm/helped").await;
    r.assert_status(200);
    assert_eq!(
        ranked(&r.body),
        [
            "Gentle movement",
            "Feet on the floor",
            "5-4-3-2-1 senses",
            "Paced breathing"
        ]
    );
    assert!(r.has("went down by about 7 points"), "{}", r.snippet());
    assert!(r.has("went down by about 1 point on average"));
    assert!(
        r.has("went up by about 2 points on average"),
        "a rise is said honestly"
    );
    assert!(
        r.has("may not suit you right now, and that's okay"),
        "and gently"
    );
    assert!(
        !r.has("Kindness to yourself") && !r.has("Three slow breaths"),
        "uses with one rating are left out"
    );
    assert!(r.has("Based on 1 time."));

    // Edit: the rating after, given again for the same use, replaces the first.
    let fields = [("moment", "after"), ("rating", "1"), ("use", feet.as_str())];
    c.post("/calm/feet/rating", &fields)
        .await
        .assert_redirect("/calm/feet?step=end&rated=1");
    assert_eq!(records_of(app, &c).await, 6, "replaced, not added");
    let r = c.get("/calm/helped").await;
    // Feet now also dropped 7, with as many uses as movement: the tie goes to the order offered.
    assert_eq!(
        ranked(&r.body),
        [
            "Feet on the floor",
            "Gentle movement",
            "5-4-3-2-1 senses",
            "Paced breathing"
        ]
    );

    // A second use of senses: averages, and more uses win a tie.
    rate(&mut c, "senses", Some("9"), Some("4"), false).await; // senses: (1 + 5) / 2 = 3
    let r = c.get("/calm/helped").await;
    assert!(r.has("went down by about 3 points on average") && r.has("Based on 2 times."));

    // Forget: needs the box ticked; then everything is gone.
    let before = app.digest().await;
    let r = c.post("/calm/helped/forget", &[]).await;
    r.assert_status(400);
    r.assert_calm_page("Please tick the box to confirm");
    assert_eq!(
        before,
        app.digest().await,
        "nothing forgotten without the tick"
    );
    c.post("/calm/helped/forget", &[("sure", "on")])
        .await
        .assert_redirect("/calm/helped?forgotten");
    assert_eq!(records_of(app, &c).await, 0);
    let r = c.get("/calm/helped?forgotten").await;
    assert!(r.has("Your ratings are forgotten") && r.has("Nothing here yet"));
}

/// Both databases: every route of ours refuses ids that are not this person's use of this tool.
async fn another_accounts_ids_are_refused_with_404_and_change_nothing(app: &TestApp) {
    let mut a = app.set_up().await;
    let a_use = rate(&mut a, "feet", Some("7"), None, false).await.unwrap();
    let mut eve = app.second_account(NEW_PASS).await;
    let eve_use = rate(&mut eve, "feet", Some("3"), None, false)
        .await
        .unwrap();
    let profile_id = app
        .profile_records()
        .await
        .first()
        .map(|r| r.id.to_string());

    let before = app.digest().await;
    // Eve, with A's use id: 404, and A's record is untouched.
    let r = eve
        .post(
            "/calm/feet/rating",
            &[("moment", "after"), ("rating", "0"), ("use", &a_use)],
        )
        .await;
    r.assert_status(404);
    r.assert_calm_page("We couldn't find that page");
    // A, with Eve's id; with their own id under another tool; an unknown id; a malformed one.
    let unknown = "0".repeat(32);
    for (tool, id) in [
        ("feet", eve_use.as_str()),
        ("senses", a_use.as_str()),
        ("feet", unknown.as_str()),
        ("feet", "not-an-id"),
    ] {
        let r = a
            .post(
                &format!("/calm/{tool}/rating"),
                &[("moment", "after"), ("rating", "1"), ("use", id)],
            )
            .await;
        assert_eq!(r.status.as_u16(), 404, "{tool} {id}: {}", r.snippet());
    }
    // An id of another kind of record (A's own profile) is not a use either.
    if let Some(p) = &profile_id {
        let r = a
            .post(
                "/calm/feet/rating",
                &[("moment", "after"), ("rating", "1"), ("use", p)],
            )
            .await;
        r.assert_status(404);
    }
    assert_eq!(before, app.digest().await, "nothing changed");

    // Eve's forgetting forgets only Eve's ratings.
    assert_eq!(
        (records_of(app, &a).await, records_of(app, &eve).await),
        (1, 1)
    );
    eve.post("/calm/helped/forget", &[("sure", "on")])
        .await
        .assert_redirect("/calm/helped?forgotten");
    assert_eq!(records_of(app, &eve).await, 0, "Eve's are forgotten");
    assert_eq!(records_of(app, &a).await, 1, "A's use is still there");
    // … and A can still complete it.
    a.post(
        "/calm/feet/rating",
        &[("moment", "after"), ("rating", "2"), ("use", &a_use)],
    )
    .await
    .assert_redirect("/calm/feet?step=end&rated=1");
    let r = a.get("/calm/helped").await;
    assert_eq!(ranked(&r.body), ["Feet on the floor"]);
    assert!(r.has("went down by about 5 points"));
    let r = eve.get("/calm/helped").await;
    assert!(r.has("Nothing here yet"), "Eve sees none of A's");
}

/// Both databases: out-of-range, wrong types and huge text get a calm 400 with the form kept.
async fn bad_ratings_get_a_calm_400_keep_the_form_and_save_nothing(app: &TestApp) {
    let mut c = app.set_up().await;
    let id = rate(&mut c, "senses", Some("6"), None, false)
        .await
        .unwrap();
    let before = app.digest().await;
    let huge = "9".repeat(20_000);
    for bad in [
        "11",
        "-1",
        "abc",
        "3.5",
        "1e1",
        " 10 0",
        huge.as_str(),
        "<script>alert(1)</script>",
    ] {
        // Before: the introduction again, with the shorter version still chosen.
        let r = c
            .post(
                "/calm/senses/rating",
                &[("moment", "before"), ("rating", bad), ("short", "1")],
            )
            .await;
        r.assert_status(400);
        r.assert_calm_page("Please choose a number from 0 to 10");
        assert!(r.body.contains(r#"role="alert""#));
        assert!(
            r.has("Start the shorter version"),
            "the choice of version is kept"
        );
        assert!(!r.body.contains("<script>alert"), "shown escaped if at all");
        // After: the end page again, with the use id still in the form.
        let r = c
            .post(
                "/calm/senses/rating",
                &[("moment", "after"), ("rating", bad), ("use", &id)],
            )
            .await;
        r.assert_status(400);
        r.assert_calm_page("Please choose a number from 0 to 10");
        assert!(
            r.body.contains(&format!(r#"name="use" value="{id}""#)),
            "the form is kept"
        );
    }
    let r = c
        .post(
            "/calm/senses/rating",
            &[("moment", "sideways"), ("rating", "4")],
        )
        .await;
    r.assert_status(400);
    r.assert_calm_page("before or after");
    assert!(
        r.body.contains(r#"value="4" checked"#),
        "the chosen number is kept"
    );
    let r = c.post("/calm/senses/rating", &[("rating", "4")]).await;
    r.assert_status(400);
    c.post(
        "/calm/nope/rating",
        &[("moment", "before"), ("rating", "4")],
    )
    .await
    .assert_status(404);
    // Over the body limit: refused before any handler, calmly.
    let r = c
        .post(
            "/calm/senses/rating",
            &[
                ("moment", "before"),
                (
                    "rating",
                    &"9".repeat(trellis_web::guard::BODY_LIMIT + 1_000),
                ),
            ],
        )
        .await;
    r.assert_status(413);
    assert_eq!(before, app.digest().await, "nothing saved, nothing lost");
    let r = c.get("/calm/helped").await;
    assert!(
        r.has("Nothing here yet"),
        "the one use still has only its rating before"
    );
}

/// Both databases: the ratings' plaintext (tool names, numbers, field names) is never stored:
/// the SQLite file, its WAL and shared memory, or a `pg_dump`, scanned as raw bytes.
async fn ratings_are_stored_only_sealed(app: &TestApp) {
    let mut c = app.set_up().await;
    rate(&mut c, "body-scan", Some("7"), Some("2"), false).await;
    rate(&mut c, "three-breaths", Some("9"), Some("8"), true).await;
    rate(&mut c, "kindness", Some("10"), None, false).await;
    rate(&mut c, "movement", None, Some("0"), false).await;
    assert_eq!(records_of(app, &c).await, 4);
    let canaries: Vec<String> = [
        r#"{"tool":"body-scan","before":7,"after":2}"#,
        r#""tool":"#,
        r#""before":"#,
        r#""after":"#,
        "body-scan",
        "three-breaths",
        "kindness",
        "movement",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let account_id = app.account().await.id.to_string();
    let scan = |bytes: &[u8], what: &str| {
        let found: Vec<&String> = canaries
            .iter()
            .filter(|c| count(bytes, c.as_bytes()) > 0)
            .collect();
        assert!(found.is_empty(), "{what} holds plaintext: {found:?}");
        count(bytes, account_id.as_bytes())
    };
    match &app.db {
        Db::Sqlite { .. } => {
            scan_sqlite_open_and_closed(app, |bytes, what| scan(bytes, what)).await;
        }
        Db::Postgres { .. } => {
            let dump = app.postgres_dump();
            assert!(
                String::from_utf8_lossy(&dump).contains("calm_rating"),
                "control: the kind is in clear"
            );
            assert!(
                scan(&dump, "pg_dump") > 0,
                "control: the dump holds the account id"
            );
        }
    }
}

/// Every public calm address the service worker keeps (read from /sw.js itself).
async fn offline_list(c: &mut Client) -> Vec<String> {
    let r = c.get("/sw.js").await;
    r.assert_status(200);
    let list = r
        .body
        .split("const OFFLINE_URLS = [")
        .nth(1)
        .unwrap()
        .split("];")
        .next()
        .unwrap();
    list.split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[tokio::test]
async fn the_calm_tools_work_for_someone_who_never_set_up_and_for_a_locked_person() {
    let app = TestApp::sqlite().await;
    let mut c = app.client();
    let urls = offline_list(&mut c).await;
    let pages: Vec<&String> = urls.iter().filter(|u| !u.starts_with("/static/")).collect();
    assert!(
        pages.len() > 60,
        "every step of every tool, both versions: {}",
        pages.len()
    );
    for round in ["no account", "locked"] {
        if round == "locked" {
            let mut owner = app.set_up().await;
            owner.lock().await;
        }
        let before = app.digest().await;
        for url in &pages {
            let r = c.get(url).await;
            assert_eq!(r.status.as_u16(), 200, "{url} ({round}): {}", r.snippet());
            r.assert_calm_page("<main id=\"main\"");
            assert!(
                r.body.contains(r#"<a class="now calm-now" href="/calm">"#)
                    && r.body.contains("<span>Calm now</span></a>"),
                "{url}: one tap from every page"
            );
            assert!(!r.body.contains(r#"action="/lock""#), "{url}: not unlocked");
            assert!(
                !r.body.contains("name=\"rating\""),
                "{url} ({round}): no rating when locked"
            );
            assert_eq!(r.header("cache-control"), Some("no-store"), "{url}");
            if url.starts_with("/calm") {
                assert!(
                    r.body
                        .contains(&trellis_web::assets::Assets::url("calm.js")),
                    "{url} loads calm.js"
                );
            }
        }
        assert_eq!(
            before,
            app.digest().await,
            "reading the calm pages ({round}) stores nothing"
        );
    }
    // Every tool can be walked from its first step to the end by following "Next".
    for tool in TOOLS {
        for short in [false, true] {
            let mut url = format!("/calm/{tool}?step=1{}", if short { "&short=1" } else { "" });
            let mut seen = 0;
            loop {
                let r = c.get(&url).await;
                r.assert_status(200);
                if url.contains("step=end") {
                    assert!(
                        r.has("That's the end of this one") && r.has("Nothing from this was saved"),
                        "{url}"
                    );
                    break;
                }
                seen += 1;
                assert!(
                    r.body.contains("Stop here") && r.body.contains("Pick another tool"),
                    "{url}"
                );
                assert!(r.body.contains(">Back</a>"), "{url}");
                url = if r.body.contains("Start breathing") {
                    format!(
                        "/calm/{tool}?step={}{}",
                        seen + 1,
                        if short { "&short=1" } else { "" }
                    )
                } else {
                    let next = r
                        .body
                        .rsplit_once("\">Next</a>")
                        .or_else(|| r.body.rsplit_once("\">Finish</a>"))
                        .unwrap()
                        .0;
                    harness::unescape(next.rsplit_once("href=\"").unwrap().1)
                };
                assert!(seen < 12, "{tool} ends");
            }
        }
    }
    // What each one may bring up, said before starting, with choices.
    let r = c.get("/calm/body-scan").await;
    assert!(
        r.has("This one mentions parts of the body")
            && r.has("Shorter version")
            && r.has("Pick another tool")
    );
    let r = c.get("/calm/body-scan?step=2").await;
    assert!(r.has("Skip this part"));
    // Typed text on 5-4-3-2-1 stays on the page: the box has no name, so no form can send it.
    let r = c.get("/calm/senses?step=1").await;
    assert!(r.has("What you type here stays on this page and is not saved"));
    let textarea = r
        .body
        .split("<textarea")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(
        !textarea.contains("name="),
        "the box is never submitted: {textarea}"
    );
    // The breathing step shows the rhythm as a text count, without JavaScript.
    let r = c.get("/calm/breathing?step=1").await;
    assert!(
        r.has("Breathe in</strong>: 1, 2, 3, 4") && r.has("Breathe out</strong>: 1, 2, 3, 4, 5, 6"),
        "{}",
        r.snippet()
    );
    assert!(r.has("About 6 breaths a minute"));
    assert!(
        r.body.contains(r#"<input type="hidden" name="step" value="1">"#),
        "changing the rhythm comes back to the same page, circle and all"
    );
    let r = c
        .get("/calm/breathing?step=1&inhale=5&hold=2&exhale=8&rest=1")
        .await;
    r.assert_status(200);
    assert!(
        r.has("Pause</strong>: 1, 2") && r.has("About 3.8 breaths a minute"),
        "{}",
        r.snippet()
    );
    assert!(
        r.has("/calm/breathing?step=end&inhale=5&hold=2&exhale=8&rest=1&stopped=1"),
        "the rhythm is carried"
    );
    // Unknown tools and steps are a calm 404.
    for bad in [
        "/calm/nope",
        "/calm/senses?step=0",
        "/calm/senses?step=6",
        "/calm/senses?step=4&short=1",
        "/calm/senses?step=x",
        "/calm/senses?step=99999",
    ] {
        let r = c.get(bad).await;
        assert_eq!(r.status.as_u16(), 404, "{bad}");
        r.assert_calm_page("We couldn't find that page");
    }
    // Locked: rating and "what helped" ask to unlock, and save nothing.
    let before = app.digest().await;
    c.post(
        "/calm/feet/rating",
        &[("moment", "before"), ("rating", "5")],
    )
    .await
    .assert_redirect("/unlock");
    c.get("/calm/helped").await.assert_redirect("/unlock");
    c.post("/calm/helped/forget", &[("sure", "on")])
        .await
        .assert_redirect("/unlock");
    assert_eq!(before, app.digest().await);
    app.finish().await;
}

#[tokio::test]
async fn a_typed_breathing_rhythm_out_of_range_gets_a_calm_400_with_the_form_kept_as_typed() {
    let app = TestApp::sqlite().await;
    let mut c = app.client();
    let r = c
        .get("/calm/breathing?step=1&inhale=99&hold=-3&exhale=6&rest=0")
        .await;
    r.assert_status(400);
    r.assert_calm_page("For breathing in, we can use 2 to 12 seconds, so we used 12.");
    assert!(r.has("For the pause after breathing in, we can use 0 to 10 seconds, so we used 0."));
    assert_eq!(
        r.input_value("inhale").as_deref(),
        Some("99"),
        "kept as typed"
    );
    assert_eq!(r.input_value("hold").as_deref(), Some("-3"));
    assert!(
        r.has("Breathe with this rhythm") && r.has(r#"<details class="calm-change" open>"#),
        "the rhythm form again, open"
    );
    // Wrong types, HTML and huge text: shown escaped, kept, and the defaults used meanwhile.
    let huge = "7".repeat(20_000);
    let script = "<script>alert(1)</script>";
    let url = format!(
        "/calm/breathing?step=1&short=1&inhale={}&exhale=six&hold={huge}",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    );
    let r = c.get(&url).await;
    r.assert_status(400);
    assert!(!r.body.contains(script), "never drawn as markup");
    assert_eq!(
        r.input_value("inhale").as_deref(),
        Some(script),
        "kept as typed, escaped"
    );
    assert_eq!(r.input_value("exhale").as_deref(), Some("six"));
    assert_eq!(r.input_value("hold").as_deref(), Some(huge.as_str()));
    assert!(r.has("For breathing out, please use a whole number of seconds. We used 6 for now."));
    assert!(
        r.body.contains(r#"name="short" value="1""#),
        "the shorter version is kept"
    );
    app.finish().await;
}

#[tokio::test]
async fn the_service_worker_lists_only_public_pages_and_private_pages_are_never_stored() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let r = c.get("/sw.js").await;
    r.assert_status(200);
    assert_eq!(
        r.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        r.header("cache-control"),
        Some("no-store"),
        "browsers always check for a new version"
    );
    assert!(
        r.body.contains(r#"credentials: "omit""#),
        "kept copies are fetched without cookies"
    );
    let urls = offline_list(&mut c).await;
    assert!(urls.contains(&"/help".to_owned()) && urls.contains(&"/calm".to_owned()));
    for asset in ["app.css", "app.js", "calm.js"] {
        assert!(
            urls.contains(&trellis_web::assets::Assets::url(asset)),
            "{asset}"
        );
    }
    // Every kept address is public: it answers a browser with no cookies at all.
    let mut stranger = Client::new(&app.base);
    for url in &urls {
        let r = stranger.get(url).await;
        assert_eq!(r.status.as_u16(), 200, "{url} is public");
        assert!(!r.body.contains(r#"action="/lock""#), "{url}");
    }
    // No private page is on the list, and every private page is no-store.
    for private in [
        "/",
        "/settings",
        "/settings/devices",
        "/calm/helped",
        "/calm/feet/rating",
    ] {
        assert!(
            !urls
                .iter()
                .any(|u| u == private || u.starts_with(&format!("{private}?"))),
            "{private} is not kept"
        );
        let r = c.get(private).await;
        assert_eq!(r.header("cache-control"), Some("no-store"), "{private}");
    }
    assert!(urls
        .iter()
        .all(|u| !u.contains("use=") && !u.contains("helped")));
    // The same list twice: the version only changes when the pages do.
    let again = c.get("/sw.js").await;
    assert_eq!(again.body, r.body);
    app.finish().await;
}

#[tokio::test]
async fn unlocked_pages_offer_the_rating_and_carry_the_use_through_the_steps() {
    let app = TestApp::sqlite().await;
    let mut c = app.set_up().await;
    let r = c.get("/calm").await;
    assert!(
        r.has(r#"href="/calm/feet">"#) && r.has(r#"href="/calm/three-breaths?step=1">Start with three breaths"#),
        "unlocked, a tool's tile leads to its introduction (and the rating); three breaths start at once"
    );
    assert!(r.has("See what has helped you"));
    assert!(
        r.body.contains(r#"action="/lock""#),
        "the layout shows Lock"
    );
    let r = c.get("/calm/feet?short=1").await;
    assert!(r.has("How much distress do you feel right now, from 0 to 10? You can skip this."));
    assert!(r.has("Start the shorter version") && r.has("Full version instead"));
    let id = rate(&mut c, "feet", Some("6"), None, true).await.unwrap();
    let r = c.get(&format!("/calm/feet?step=1&short=1&use={id}")).await;
    assert!(
        r.has(&format!(
            r#"href="/calm/feet?step=2&short=1&use={id}">Next"#
        )),
        "Next carries the use: {}",
        r.snippet()
    );
    assert!(
        r.has(&format!(
            r#"href="/calm/feet?step=end&short=1&use={id}&stopped=1">Stop here"#
        )),
        "so does Stop here"
    );
    let r = c
        .get(&format!("/calm/feet?step=end&short=1&use={id}&stopped=1"))
        .await;
    assert!(r.has("You stopped here") && r.has("How much distress do you feel now"));
    assert!(r.body.contains(r#"name="stopped" value="1""#));
    app.finish().await;
}

#[test]
fn the_home_page_registry_offers_calm_now_and_the_header_links_it_everywhere() {
    let calm = trellis_web::registry::home_cards()
        .find(|a| a.key == "calm")
        .unwrap()
        .card;
    assert_eq!(
        (calm.href, calm.name, calm.hideable),
        ("/calm", "Calm now", true)
    );
    let layout = include_str!("../../templates/layout.html");
    assert!(layout.contains(r#"<a class="now calm-now" href="/calm">"#));
    assert!(layout.contains("<span>Calm now</span></a>"));
    let unlock = include_str!("../../templates/unlock.html");
    assert!(unlock.contains(r#"href="/calm">I need a moment</a>"#));
}
