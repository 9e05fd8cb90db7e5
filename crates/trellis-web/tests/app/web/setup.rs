//! Set-up and several accounts: a double-submitted set-up makes one account and loses no
//! note; with open sign-up every account unlocks its own space by name; a recovery code works
//! once. Both databases.

use reqwest::Method;
use trellis_core::ids::AccountId;
use trellis_core::{Policy, Requester, SetUp, UnlockError};

use super::endings::recovery_code_in;
use super::harness::{policy, service_with, Client, Resp, TestApp, NEW_PASS, PASS, SECRET};

on_both_databases!(
    a_double_submitted_setup_makes_one_account_and_keeps_the_note,
    twenty_setups_at_once_from_twenty_pages_make_one_account,
    a_double_submit_asking_for_a_recovery_code_shows_a_code_that_works,
    with_open_signup_each_person_unlocks_their_own_space,
    a_recovery_code_works_once_and_a_new_one_is_shown,
    a_setup_page_is_no_way_into_an_older_account_nor_a_name_oracle,
    invitation_only_sign_up_takes_one_code_per_person,
);

/// Hosted, invitation only: every sign-up needs an operator's code; a code makes one account
/// (a double click of the same page opens it, another page with the same code does not);
/// a wrong, used or expired code is a calm 400 that keeps the name; a sign-up that fails for
/// another reason gives its code back.
/// Posts the set-up form with a name, the test passphrase, an invitation code and a page id.
async fn sign_up(c: &mut Client, name: &str, invite: &str, setup_id: &str) -> Resp {
    c.post(
        "/setup",
        &[
            ("name", name),
            ("passphrase", PASS),
            ("confirm", PASS),
            ("invite", invite),
            ("setup_id", setup_id),
        ],
    )
    .await
}

async fn invitation_only_sign_up_takes_one_code_per_person(app: &TestApp) {
    let hosted = TestApp::builder()
        .on(app.backend(), "invite_only")
        .policy(Policy {
            invite_signup: true,
            ..policy()
        })
        .build()
        .await
        .expect("same backend");
    let codes = hosted
        .trellis
        .make_signup_codes(3, 14 * 86_400)
        .await
        .expect("codes");
    assert_eq!(codes.len(), 3);
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 14 && c.matches('-').count() == 2),
        "{codes:?}"
    );
    let mut c = hosted.client();
    let page = c.get("/setup").await;
    assert!(page.has("Your invitation code") && page.has("Your name on this Trellis"));
    let id = setup_id_of(&page.body);
    // No code, or a made-up one: calm, the name kept, nothing made.
    for code in ["", "AAAA-BBBB-CCCC"] {
        let r = sign_up(&mut c, "Robin", code, &id).await;
        r.assert_status(400);
        assert!(
            r.has("That invitation code didn't work") && r.body.contains("value=\"Robin\""),
            "{}",
            r.snippet()
        );
    }
    assert_eq!(hosted.store.count_accounts().await.expect("count"), 0);
    // The code as a person might type it: lower case, no dashes, O for 0.
    let typed = codes[0].replace('-', " ").to_lowercase().replace('0', "o");
    let r = sign_up(&mut c, "Robin", &typed, &id).await;
    r.assert_redirect("/");
    // The same page again (a double click): the account it made, not a second one.
    let mut again = hosted.client();
    again.get("/setup").await;
    let r = sign_up(&mut again, "Robin", &codes[0], &id).await;
    r.assert_redirect("/");
    assert_eq!(hosted.store.count_accounts().await.expect("count"), 1);
    // Another page with the used code: refused.
    let mut other = hosted.client();
    let page = other.get("/setup").await;
    let r = sign_up(&mut other, "Sam", &codes[0], &setup_id_of(&page.body)).await;
    r.assert_status(400);
    // A sign-up that fails for another reason (a taken name) gives its code back.
    let page = other.get("/setup").await;
    let r = sign_up(&mut other, "robin", &codes[1], &setup_id_of(&page.body)).await;
    r.assert_status(400);
    let page = other.get("/setup").await;
    sign_up(&mut other, "Sam", &codes[1], &setup_id_of(&page.body))
        .await
        .assert_redirect("/");
    assert_eq!(hosted.store.count_accounts().await.expect("count"), 2);
    // Robin's own set-up page id (it names Robin's account), a made-up code and another name:
    // the same "code didn't work" whether that name is taken or not, just after set-up and
    // long after, so nobody without a working code learns which names exist.
    for wait in [0, 11 * 60] {
        hosted.clock.advance(wait);
        for name in ["Sam", "Nobody at all"] {
            let mut prober = hosted.client();
            prober.get("/setup").await;
            let r = sign_up(&mut prober, name, "AAAA-BBBB-CCCC", &id).await;
            r.assert_status(400);
            assert!(
                r.has("That invitation code didn") && !r.has("already uses that name"),
                "{name} after {wait} s: {}",
                r.snippet()
            );
        }
    }
    assert_eq!(hosted.store.count_accounts().await.expect("count"), 2);
    // Expired codes do not work.
    hosted.clock.advance(15 * 86_400);
    let mut late = hosted.client();
    let page = late.get("/setup").await;
    let r = sign_up(&mut late, "Kit", &codes[2], &setup_id_of(&page.body)).await;
    r.assert_status(400);
    assert_eq!(hosted.store.count_accounts().await.expect("count"), 2);
    hosted.finish().await;
}

/// The hidden `setup_id` of a set-up page.
fn setup_id_of(body: &str) -> String {
    let at = body
        .find("name=\"setup_id\" value=\"")
        .expect("a setup_id field")
        + 23;
    body[at..].split('"').next().expect("value").to_owned()
}

/// Sends the same form `n` times at once from one browser (same cookies, same token), the way
/// a double (or triple) click on a slow phone does; returns the answers in the order they
/// completed.
async fn submit_at_once(c: &Client, path: &str, fields: &[(&str, &str)], n: usize) -> Vec<Resp> {
    let token = c.csrf.clone().expect("a form token");
    let mut all: Vec<(String, String)> = vec![("csrf".into(), token)];
    all.extend(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let body = serde_urlencoded::to_string(&all).expect("encode");
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let rb = c
            .request(Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone());
        tasks.spawn(async move {
            let r = rb.send().await.expect("send");
            let status = r.status();
            let headers = r.headers().clone();
            let body = r.text().await.expect("body");
            Resp {
                status,
                headers,
                body,
            }
        });
    }
    let mut done = Vec::new();
    while let Some(r) = tasks.join_next().await {
        done.push(r.expect("task"));
    }
    done
}

/// The session cookie a response sets, if any.
fn session_set_by(r: &Resp) -> Option<String> {
    r.set_cookies().iter().find_map(|l| {
        l.strip_prefix("__Host-s=")
            .and_then(|v| v.split(';').next())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    })
}

async fn a_double_submitted_setup_makes_one_account_and_keeps_the_note(app: &TestApp) {
    let mut c = app.client();
    let page = c.get("/setup").await;
    let id = setup_id_of(&page.body);
    let answers = submit_at_once(
        &c,
        "/setup",
        &[("setup_id", &id), ("passphrase", PASS), ("confirm", PASS)],
        3,
    )
    .await;
    assert_eq!(
        app.trellis.store().count_accounts().await.expect("count"),
        1
    );
    let account = app.account().await;
    for r in &answers {
        r.assert_redirect("/");
        let cookie = session_set_by(r).expect("every answer signs in");
        let row = app.session_row(&cookie).await.expect("a live session");
        assert_eq!(
            row.account_id, account.id,
            "every answer opens the one account"
        );
    }
    // The browser keeps the last answer's session; the person writes with it …
    let kept = session_set_by(answers.last().expect("answers")).expect("cookie");
    c.jar.insert(super::harness::SESSION.to_owned(), kept);
    c.get("/journal/new?kind=free").await.assert_status(200);
    let r = c
        .post(
            "/journal",
            &[
                ("kind", "free"),
                ("text", "A note written after a double click"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.snippet());
    // … locks, unlocks, and the note is there.
    c.lock().await;
    c.unlock_ok(PASS).await;
    let list = c.get("/journal").await;
    assert!(
        list.has("A note written after a double click"),
        "{}",
        list.snippet()
    );
}

async fn twenty_setups_at_once_from_twenty_pages_make_one_account(app: &TestApp) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let mut c = app.client();
        tasks.spawn(async move {
            c.get("/setup").await;
            let pass = format!("{PASS} number {i}");
            let r = c
                .post("/setup", &[("passphrase", &pass), ("confirm", &pass)])
                .await;
            let snippet = r.snippet();
            (
                r.status.as_u16(),
                r.header("location").map(str::to_owned),
                snippet,
            )
        });
    }
    let mut to_home = 0;
    while let Some(done) = tasks.join_next().await {
        match done.expect("task") {
            (_, Some(to), _) if to == "/" => to_home += 1,
            (_, Some(to), _) if to == "/unlock" => {}
            // More set-ups at once than passphrase checks may queue: a calm "busy" is fine.
            (503, None, _) => {}
            // Twenty tries from one address in a moment: once set-up is done, the later ones
            // count as tries in a row, and the throttle may answer first with its calm pause
            // (seen on a loaded machine). Nothing is made by them either way.
            (400, None, page) if page.contains("pausing for a moment") => {}
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!(to_home, 1);
    assert_eq!(
        app.trellis.store().count_accounts().await.expect("count"),
        1
    );
}

async fn a_double_submit_asking_for_a_recovery_code_shows_a_code_that_works(app: &TestApp) {
    let mut c = app.client();
    let page = c.get("/setup").await;
    let id = setup_id_of(&page.body);
    let fields = [
        ("setup_id", id.as_str()),
        ("passphrase", PASS),
        ("confirm", PASS),
        ("recovery", "on"),
    ];
    let answers = submit_at_once(&c, "/setup", &fields, 2).await;
    for r in &answers {
        r.assert_redirect("/setup/recovery");
    }
    // The browser follows the answer it kept: the code is shown there, once.
    let kept = session_set_by(answers.last().expect("answers")).expect("cookie");
    c.jar.insert(super::harness::SESSION.to_owned(), kept);
    let shown = c.get("/setup/recovery").await;
    shown.assert_status(200);
    let code = recovery_code_in(&shown.body);
    let again = c.get("/setup/recovery").await;
    assert!(
        !again.body.contains(&code),
        "a reload does not show it again"
    );
    let mut r = app.client();
    r.get("/unlock/recover").await;
    r.post(
        "/unlock/recover",
        &[
            ("code", &code),
            ("passphrase", NEW_PASS),
            ("confirm", NEW_PASS),
        ],
    )
    .await
    .assert_status(200);
}

fn open_signup() -> Policy {
    Policy {
        open_signup: true,
        ..policy()
    }
}

async fn with_open_signup_each_person_unlocks_their_own_space(app: &TestApp) {
    let open = TestApp::builder()
        .on(app.backend(), "own_space")
        .policy(open_signup())
        .build()
        .await
        .expect("same backend");
    // The first person sets up without a name; two more choose names.
    let mut first = open.client();
    let page = first.get("/setup").await;
    assert!(page.has("Your name on this Trellis"), "{}", page.snippet());
    first.setup(PASS, false).await.assert_redirect("/");
    let people = [
        ("Ash", "ash has a long passphrase of their own"),
        ("Birch", "birch keeps a different one entirely"),
    ];
    for (name, pass) in people {
        let mut c = open.client();
        c.get("/setup").await;
        c.post(
            "/setup",
            &[("name", name), ("passphrase", pass), ("confirm", pass)],
        )
        .await
        .assert_redirect("/");
    }
    // Another unnamed set-up is refused (only the first may be unnamed); a taken name too.
    let mut late = open.client();
    late.get("/setup").await;
    late.post("/setup", &[("passphrase", NEW_PASS), ("confirm", NEW_PASS)])
        .await
        .assert_redirect("/unlock");
    let r = late
        .post(
            "/setup",
            &[
                ("name", "ash"),
                ("passphrase", NEW_PASS),
                ("confirm", NEW_PASS),
            ],
        )
        .await;
    r.assert_status(400);
    assert!(r.has("already uses that name"), "{}", r.snippet());
    assert_eq!(
        open.trellis.store().count_accounts().await.expect("count"),
        3
    );

    // Each unlocks their own space, and the unlock page asks for the name.
    let mut ids = Vec::new();
    for (name, pass) in [("", PASS), people[0], people[1]] {
        let mut c = open.client();
        let page = c.get("/unlock").await;
        assert!(page.has("Your name on this Trellis"), "{}", page.snippet());
        c.post("/unlock", &[("name", name), ("passphrase", pass)])
            .await
            .assert_redirect("/");
        let cookie = c.session_cookie().expect("unlocked");
        ids.push(open.session_row(&cookie).await.expect("row").account_id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three different accounts");
    // A passphrase with the wrong name opens nothing; the same words either way.
    let mut c = open.client();
    c.get("/unlock").await;
    let r = c
        .post("/unlock", &[("name", "Birch"), ("passphrase", people[0].1)])
        .await;
    r.assert_status(401);
    assert!(
        r.has("That name and passphrase didn't match"),
        "{}",
        r.snippet()
    );
    // One person's mistakes never make another wait.
    let t = &open.trellis;
    let here = Requester {
        address: Some("203.0.113.40".to_owned()),
        ..Requester::default()
    };
    for _ in 0..10 {
        let _ = t.unlock_named("Ash", "not it at all, sorry", &here).await;
    }
    assert!(matches!(
        t.unlock_named("Ash", people[0].1, &here).await,
        Err(UnlockError::Wait(_))
    ));
    t.unlock_named("Birch", people[1].1, &here)
        .await
        .expect("Birch is not slowed by Ash's mistakes");
    open.finish().await;
}

async fn a_recovery_code_works_once_and_a_new_one_is_shown(app: &TestApp) {
    let mut c = app.client();
    c.get("/setup").await;
    let r = c.setup(PASS, true).await;
    let code = recovery_code_in(&r.body);
    let mut r1 = app.client();
    r1.get("/unlock/recover").await;
    let answer = r1
        .post(
            "/unlock/recover",
            &[
                ("code", &code),
                ("passphrase", NEW_PASS),
                ("confirm", NEW_PASS),
            ],
        )
        .await;
    answer.assert_status(200);
    assert!(answer.has("no longer works"), "{}", answer.snippet());
    let fresh = recovery_code_in(&answer.body);
    assert_ne!(fresh, code);
    // The used code is refused; the new one works.
    let mut r2 = app.client();
    r2.get("/unlock/recover").await;
    r2.post(
        "/unlock/recover",
        &[("code", &code), ("passphrase", PASS), ("confirm", PASS)],
    )
    .await
    .assert_status(401);
    r2.post(
        "/unlock/recover",
        &[("code", &fresh), ("passphrase", PASS), ("confirm", PASS)],
    )
    .await
    .assert_status(200);
}

async fn a_setup_page_is_no_way_into_an_older_account_nor_a_name_oracle(app: &TestApp) {
    let open = TestApp::builder()
        .on(app.backend(), "no_way_in")
        .policy(open_signup())
        .build()
        .await
        .expect("same backend");
    let id = AccountId::generate();
    let robin = |setup_id: Option<AccountId>, name: &'static str| SetUp {
        name,
        passphrase: PASS,
        confirm: PASS,
        want_recovery_code: true,
        setup_id,
        invite: "",
    };
    let who = Requester::default();
    let first = open
        .trellis
        .set_up_with(&robin(Some(id.clone()), "Robin"), &who)
        .await
        .expect("set up");
    assert!(first.recovery_code.is_some());
    // The same page again a moment later (a double click) still lands on it …
    open.trellis
        .set_up_with(&robin(Some(id.clone()), "Robin"), &who)
        .await
        .expect("a repeated submit");
    // … but not under another name, and not once the moment has passed.
    assert!(matches!(
        open.trellis
            .set_up_with(&robin(Some(id.clone()), "someone else"), &who)
            .await,
        Err(UnlockError::NoAccount)
    ));
    open.clock.advance(trellis_core::access::REPEAT_SETUP_SECS);
    assert!(matches!(
        open.trellis
            .set_up_with(&robin(Some(id), "Robin"), &who)
            .await,
        Err(UnlockError::NameTaken | UnlockError::NoAccount)
    ));
    // With sign-up closed, set-up answers the same for a name that exists and one that does not.
    let closed = service_with(open.store.clone(), &SECRET, &open.clock, policy());
    for name in ["Robin", "nobody at all"] {
        assert!(
            matches!(
                closed.set_up_with(&robin(None, name), &who).await,
                Err(UnlockError::NoAccount)
            ),
            "{name}"
        );
    }
    open.finish().await;
}
