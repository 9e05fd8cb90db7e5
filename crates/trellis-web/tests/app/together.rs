//! Together (issue 9), the link: an invitation is eight words, one use, for a day; using it
//! links two accounts, who then see the same safety number; either can end the link, on both
//! sides. Codes are kept only as a keyed hash, and guesses are throttled. Both databases.
//! The use cases are driven over the real store, and the pages over HTTP.

use trellis_core::together::{
    InvitationCode, JoinError, TogetherProblem, INVITATION_SECONDS, MAX_NAME_TRIES,
};
use trellis_core::{Requester, SetUp, UnlockError};

use crate::harness::{
    capture_logs, count, scan_sqlite_open_and_closed, Backend, Client, Stream, TestApp, NEW_PASS,
    PASS,
};
use crate::route_table::{
    Expect::{Page, To},
    Route,
};

/// This area's rows of the route table.
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/together", To("/unlock"), Page(200)),
    Route::post("/together/invite", &[], To("/unlock"), Page(200))
        .would_change(&[("again", "1")]),
    Route::post("/together/accept", &[("code", "nope")], To("/unlock"), Page(400)),
    Route::post("/together/end", &[], To("/unlock"), Page(400)),
    Route::get("/together/join", Page(200), To("/together")),
    Route::get("/together/guide", Page(200), Page(200)),
    Route::post("/together/join", &[("code", "nope"), ("name", "x")], Page(400), To("/together")),
    Route::post("/together/signal", &[("meaning", "space")], To("/unlock"), To("/together?saved#signal"))
        .would_change(&[]),
    Route::get("/together/paused", To("/unlock"), Page(200)),
    Route::get("/together/comfort", To("/unlock"), Page(200)),
    Route::get("/together/boundaries", To("/unlock"), Page(200)),
    Route::post("/together/boundaries", &[("b", "0123456789abcdef0123456789abcdef")], To("/unlock"), To("/together/boundaries?saved"))
        .would_change(&[]),
    Route::get("/together/list", To("/unlock"), Page(200)),
    Route::get("/together/ladder", To("/unlock"), Page(200)),
    Route::post("/together/ladder", &[("name", "A walk")], To("/unlock"), To("/together/ladder"))
        .would_change(&[]),
    Route::get("/together/ladder/{id}", To("/unlock"), Page(404)),
    Route::post("/together/ladder/{id}", &[("helps", "x")], To("/unlock"), Page(404)),
    Route::post("/together/ladder/{id}/try", &[("expected", "40")], To("/unlock"), Page(404)),
    Route::post("/together/ladder/{id}/move", &[("to", "earlier")], To("/unlock"), Page(404)),
    Route::post("/together/ladder/{id}/delete", &[("sure", "on")], To("/unlock"), Page(404)),
    Route::post("/together/list", &[("n0", "Holding hands"), ("a0", "yes")], To("/unlock"), To("/together/list?saved"))
        .would_change(&[]),
    Route::post("/together/comfort", &[("n0", "Holding hands"), ("c0", "yes")], To("/unlock"), To("/together/comfort?saved"))
        .would_change(&[]),
    Route::get("/together/shares", To("/unlock"), Page(200)),
    Route::post("/together/shares/stop", &[("item", "pause-signal")], To("/unlock"), To("/together/shares")),
    Route::get("/pause", To("/unlock"), Page(200)),
    Route::post("/pause", &[], To("/unlock"), To("/pause")),
    Route::post("/pause/end", &[], To("/unlock"), To("/together?ready")),
    Route::get("/events", To("/unlock"), Page(200)),
];

on_both_databases!(
    an_invitation_links_two_people_who_see_the_same_safety_number,
    a_code_is_used_once_ends_after_a_day_and_is_kept_only_hashed,
    one_link_each_and_either_side_can_end_it,
    guessing_codes_is_throttled_and_a_guess_links_nobody,
    two_people_using_one_code_at_once_link_one_of_them,
    over_http_a_code_links_and_either_side_ends_it,
    a_partner_creates_their_account_with_the_code_while_sign_up_is_closed,
    without_a_working_code_the_join_page_says_nothing_about_names,
    a_code_ends_after_a_few_names_already_taken,
    ten_joins_with_one_code_at_once_make_one_account,
    a_key_swapped_by_the_server_shows_as_different_words_and_a_warning,
    a_pause_reaches_the_partners_open_page_at_once_and_no_one_elses,
    without_sharing_a_pause_stays_on_ones_own_screen,
    without_javascript_the_partner_sees_the_pause_on_the_next_page,
    a_shared_signal_is_sealed_can_be_stopped_and_ends_with_the_link,
    comfort_is_set_shared_and_ends_by_itself,
    the_list_shows_only_what_both_want_and_never_a_no,
    the_trust_ladder_grows_with_tries_and_shares_only_what_is_chosen,
    boundaries_are_shared_one_by_one_follow_changes_and_go_when_deleted,
    events_arriving_never_keep_a_quiet_session_unlocked,
    a_hosted_trellis_always_asks_for_a_name,
);

/// Two browsers linked over HTTP (a made the code, b used it).
async fn linked_pair(app: &TestApp) -> (Client, Client) {
    let (mut a, mut b) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let code = shown_code(&a.post("/together/invite", &[]).await.body);
    b.post("/together/accept", &[("code", &code)])
        .await
        .assert_redirect("/together#link");
    (a, b)
}

/// The invitation code a page shows.
pub(crate) fn shown_code(body: &str) -> String {
    body.split("aria-label=\"Invitation code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the code is shown")
        .to_owned()
}

/// Saves a's pause signal, shared with the partner.
async fn share_signal(a: &mut Client, safe_word: &str, words: &str) {
    a.post(
        "/together/signal",
        &[
            ("meaning", "check-in"),
            ("safe_word", safe_word),
            ("own_words", words),
            ("share", "on"),
        ],
    )
    .await
    .assert_redirect("/together?saved#signal");
}

const THIRD_PASS: &str = "willow lantern harbor pebble";

fn anyone() -> Requester {
    from("192.0.2.7")
}

fn from(address: &str) -> Requester {
    Requester {
        address: Some(address.to_owned()),
        device_label: "a browser".to_owned(),
    }
}

async fn an_invitation_links_two_people_who_see_the_same_safety_number(app: &TestApp) {
    let (a, b) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let (a, b) = (app.me(&a).await, app.me(&b).await);
    let t = &app.trellis;
    let code = t.together(&a).invite().await.unwrap().unwrap();
    assert_eq!(code.as_str().split(' ').count(), 8, "eight words");
    let typed = format!("  {}\n", code.as_str().to_uppercase().replace(' ', "-"));
    let inviter = t.together(&b).accept(&typed, &anyone()).await.unwrap();
    assert_eq!(inviter.as_ref(), Ok(a.account_id()));
    let (la, lb) = (
        t.together(&a).link().await.unwrap().expect("a is linked"),
        t.together(&b).link().await.unwrap().expect("b is linked"),
    );
    let words = la.safety_number.expect("both keys are kept");
    assert_eq!(Some(words), lb.safety_number, "the same words on both sides");
    assert_eq!(la.since, lb.since);
}

async fn a_code_is_used_once_ends_after_a_day_and_is_kept_only_hashed(app: &TestApp) {
    let (a, b) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let c = app.named_account("a third person", THIRD_PASS).await;
    let (a, b, c) = (app.me(&a).await, app.me(&b).await, app.me(&c).await);
    let t = &app.trellis;
    let code = t.together(&a).invite().await.unwrap().unwrap();
    let dump = format!("{:?}", app.digest().await);
    assert!(
        !dump.contains(code.as_str()) && !dump.contains(&hex::encode(code.as_str())),
        "the code is never stored"
    );
    assert_eq!(
        t.together(&a).accept(code.as_str(), &anyone()).await.unwrap(),
        Err(TogetherProblem::OwnCode)
    );
    // Trying one's own code does not use it up; used once, then it is gone.
    assert!(t.together(&b).accept(code.as_str(), &anyone()).await.unwrap().is_ok());
    t.together(&b).end_link().await.unwrap();
    assert_eq!(
        t.together(&c).accept(code.as_str(), &anyone()).await.unwrap(),
        Err(TogetherProblem::CodeNotValid),
        "one use"
    );
    // A day later a code has ended; a newer code replaces an older one.
    let old = t.together(&a).invite().await.unwrap().unwrap();
    let code = t.together(&a).invite().await.unwrap().unwrap();
    assert_eq!(
        t.together(&c).accept(old.as_str(), &anyone()).await.unwrap(),
        Err(TogetherProblem::CodeNotValid),
        "only the newest code works"
    );
    app.clock.advance(INVITATION_SECONDS);
    assert_eq!(
        t.together(&c).accept(code.as_str(), &anyone()).await.unwrap(),
        Err(TogetherProblem::CodeNotValid),
        "ended after a day"
    );
    assert!(t.together(&c).link().await.unwrap().is_none());
}

async fn one_link_each_and_either_side_can_end_it(app: &TestApp) {
    let (a, b) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let c = app.named_account("a third person", THIRD_PASS).await;
    let (a, b, c) = (app.me(&a).await, app.me(&b).await, app.me(&c).await);
    let t = &app.trellis;
    let code = t.together(&a).invite().await.unwrap().unwrap();
    t.together(&b).accept(code.as_str(), &anyone()).await.unwrap().unwrap();
    assert_eq!(
        t.together(&a).invite().await.unwrap().err(),
        Some(TogetherProblem::AlreadyLinked),
        "no invitation while linked"
    );
    let third = t.together(&c).invite().await.unwrap().unwrap();
    assert_eq!(
        t.together(&b).accept(third.as_str(), &anyone()).await.unwrap(),
        Err(TogetherProblem::AlreadyLinked)
    );
    assert!(t.together(&c).link().await.unwrap().is_none());
    // The one who was invited ends it: gone on both sides, and a new link can be made.
    assert!(t.together(&b).end_link().await.unwrap());
    assert!(t.together(&a).link().await.unwrap().is_none());
    assert!(t.together(&b).link().await.unwrap().is_none());
    assert!(!t.together(&a).end_link().await.unwrap());
    let again = t.together(&c).invite().await.unwrap().unwrap();
    assert!(t.together(&a).accept(again.as_str(), &anyone()).await.unwrap().is_ok());
    // Deleting an account ends its link.
    t.delete_everything(&c, THIRD_PASS, &Requester::default())
        .await
        .unwrap();
    assert!(t.together(&a).link().await.unwrap().is_none());
}

async fn guessing_codes_is_throttled_and_a_guess_links_nobody(app: &TestApp) {
    let (a, b) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let (a, b) = (app.me(&a).await, app.me(&b).await);
    let t = &app.trellis;
    let _waiting = t.together(&a).invite().await.unwrap().unwrap();
    let guess = "acorn acorn acorn acorn acorn acorn acorn acorn";
    assert!(InvitationCode::parse(guess).is_some(), "a well-formed guess");
    for typed in [guess, "not a code", "", guess, guess] {
        assert_eq!(
            t.together(&b).accept(typed, &anyone()).await.unwrap(),
            Err(TogetherProblem::CodeNotValid)
        );
    }
    assert!(matches!(
        t.together(&b).accept(guess, &anyone()).await.unwrap(),
        Err(TogetherProblem::Wait(s)) if s > 0
    ));
    assert!(t.together(&b).link().await.unwrap().is_none());
    assert!(t.together(&a).link().await.unwrap().is_none());
}

async fn two_people_using_one_code_at_once_link_one_of_them(app: &TestApp) {
    let (a, b) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let c = app.named_account("a third person", THIRD_PASS).await;
    let (a, b, c) = (app.me(&a).await, app.me(&b).await, app.me(&c).await);
    let t = &app.trellis;
    let code = t.together(&a).invite().await.unwrap().unwrap();
    let who = anyone();
    let (rb, rc) = tokio::join!(
        t.together(&b).accept(code.as_str(), &who),
        t.together(&c).accept(code.as_str(), &who)
    );
    let linked = [rb.unwrap().is_ok(), rc.unwrap().is_ok()];
    assert_eq!(linked.iter().filter(|x| **x).count(), 1, "{linked:?}");
    assert!(t.together(&a).link().await.unwrap().is_some());
}

async fn over_http_a_code_links_and_either_side_ends_it(app: &TestApp) {
    let (mut a, mut b) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let page = a.get("/together").await;
    assert!(page.has("Make a code") && page.has("I have a code"));
    let r = a.post("/together/invite", &[]).await;
    r.assert_status(200);
    let code = shown_code(&r.body);
    assert!(InvitationCode::parse(&code).is_some(), "{code}");
    let wrong = b.post("/together/accept", &[("code", "acorn apple")]).await;
    wrong.assert_status(400);
    wrong.assert_calm_page("That code didn't work");
    assert_eq!(wrong.input_value("code").as_deref(), Some("acorn apple"), "kept as typed");
    b.post("/together/accept", &[("code", &code)])
        .await
        .assert_redirect("/together#link");
    let (pa, pb) = (a.get("/together").await, b.get("/together").await);
    assert!(pa.has("You are linked") && pb.has("You are linked"));
    let words = |body: &str| {
        body.split("<ol class=\"safety-number\">")
            .nth(1)
            .and_then(|s| s.split("</ol>").next())
            .expect("a safety number")
            .to_owned()
    };
    assert_eq!(words(&pa.body), words(&pb.body), "the same words on both sides");
    // Ending needs the tick; then it has ended for both.
    b.post("/together/end", &[]).await.assert_status(400);
    assert!(a.get("/together").await.has("You are linked"));
    b.post("/together/end", &[("sure", "on")])
        .await
        .assert_redirect("/together");
    assert!(a.get("/together").await.has("Make a code"));
}

async fn a_partner_creates_their_account_with_the_code_while_sign_up_is_closed(app: &TestApp) {
    assert!(!app.trellis.policy().open_signup, "sign-up is closed");
    let mut a = app.set_up().await;
    let code = shown_code(&a.post("/together/invite", &[]).await.body);
    let accounts = || async { app.store.count_accounts().await.expect("count") };
    let mut partner = app.client();
    assert!(partner.get("/unlock").await.has("Create an account with an invitation"));
    let page = partner.get("/together/join").await;
    page.assert_status(200);
    let setup_id = page
        .body
        .split("name=\"setup_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a set-up id")
        .to_owned();
    let form = |code: &'static str, name: &'static str| {
        vec![
            ("code", code),
            ("name", name),
            ("passphrase", THIRD_PASS),
            ("confirm", THIRD_PASS),
        ]
    };
    // Without a code that works, nothing is made (and the name and code come back).
    let r = partner
        .post("/together/join", &form("acorn apple", "Alex"))
        .await;
    r.assert_status(400);
    r.assert_calm_page("That code didn't work");
    assert_eq!(r.input_value("name").as_deref(), Some("Alex"));
    assert_eq!(accounts().await, 1);
    // Without a name, nothing is made either (and the code is not used up).
    let code: &'static str = Box::leak(code.into_boxed_str());
    let mut no_name = form(code, "");
    no_name.push(("setup_id", &setup_id));
    partner.post("/together/join", &no_name).await.assert_status(400);
    assert_eq!(accounts().await, 1);
    // With both: a named account, linked, signed in.
    let mut good = form(code, "Alex");
    good.push(("setup_id", &setup_id));
    partner
        .post("/together/join", &good)
        .await
        .assert_redirect("/together");
    assert_eq!(accounts().await, 2);
    assert!(partner.get("/together").await.has("You are linked"));
    assert!(a.get("/together").await.has("You are linked"));
    // The code was used: a third person cannot make an account with it.
    let mut third = app.client();
    third.get("/together/join").await;
    third
        .post("/together/join", &form(code, "Robin"))
        .await
        .assert_status(400);
    assert_eq!(accounts().await, 2);
    // The partner unlocks later with their name.
    partner.lock().await;
    let r = partner
        .post("/unlock", &[("name", "Alex"), ("passphrase", THIRD_PASS)])
        .await;
    r.assert_redirect("/");
}

/// The join form's fields for `name` with `code`, as a page with `setup_id` would send them.
fn join_form<'a>(code: &'a str, name: &'a str, setup_id: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("code", code),
        ("name", name),
        ("passphrase", THIRD_PASS),
        ("confirm", THIRD_PASS),
    ];
    form.extend(setup_id.map(|id| ("setup_id", id)));
    form
}

async fn without_a_working_code_the_join_page_says_nothing_about_names(app: &TestApp) {
    let _first = app.set_up().await;
    let taken = app.named_account("Robin", THIRD_PASS).await;
    let older_id = app.me(&taken).await.account_id().as_str().to_owned();
    app.clock.advance(3600);
    let guess = "acorn acorn acorn acorn acorn acorn acorn acorn";
    // A taken name and a free one; a fresh page, and a page claiming to be an older
    // account's own set-up: one answer for all, and nothing made.
    let mut answers = Vec::new();
    for (name, setup_id) in [
        ("Robin", None),
        ("Someone new", None),
        ("Robin", Some(older_id.as_str())),
        ("Someone new", Some(older_id.as_str())),
    ] {
        let mut c = app.client();
        c.get("/together/join").await;
        let r = c.post("/together/join", &join_form(guess, name, setup_id)).await;
        answers.push((
            r.status.as_u16(),
            r.has("That code didn't work"),
            r.has("uses that name") || r.has("choose a name"),
        ));
    }
    assert!(
        answers.iter().all(|a| *a == (400, true, false)),
        "{answers:?}"
    );
    assert_eq!(app.store.count_accounts().await.expect("count"), 2);
}

async fn a_code_ends_after_a_few_names_already_taken(app: &TestApp) {
    let a = app.set_up().await;
    let _robin = app.named_account("Robin", THIRD_PASS).await;
    let a = app.me(&a).await;
    let t = &app.trellis;
    let code = t.together(&a).invite().await.unwrap().unwrap();
    let join = |name: &'static str| {
        let code = code.as_str().to_owned();
        async move {
            let form = SetUp {
                name,
                passphrase: THIRD_PASS,
                confirm: THIRD_PASS,
                ..SetUp::default()
            };
            t.join_with_invitation(&form, &code, &anyone()).await
        }
    };
    // Someone holding the code hears that a name is taken (they must choose another)...
    for _ in 0..MAX_NAME_TRIES {
        assert!(matches!(
            join("robin").await,
            Err(JoinError::SetUp(UnlockError::NameTaken))
        ));
    }
    // ...but only a few times: then the code has ended, and a free name makes nothing.
    assert!(matches!(
        join("Alex").await,
        Err(JoinError::Code(TogetherProblem::CodeNotValid))
    ));
    assert_eq!(app.store.count_accounts().await.expect("count"), 2);
    // A weak passphrase does not count against the code (from another address: each try
    // above counted against this one's guesses).
    let code = t.together(&a).invite().await.unwrap().unwrap();
    let elsewhere = from("198.51.100.4");
    let weak = SetUp {
        name: "Alex",
        passphrase: "short",
        confirm: "short",
        ..SetUp::default()
    };
    assert!(matches!(
        t.join_with_invitation(&weak, code.as_str(), &elsewhere).await,
        Err(JoinError::SetUp(UnlockError::Passphrase(_)))
    ));
    let strong = SetUp {
        name: "Alex",
        passphrase: THIRD_PASS,
        confirm: THIRD_PASS,
        ..SetUp::default()
    };
    let joined = t
        .join_with_invitation(&strong, code.as_str(), &elsewhere)
        .await
        .map_err(|e| e.to_string())
        .expect("the code still works");
    assert!(joined.linked);
}

async fn ten_joins_with_one_code_at_once_make_one_account(app: &TestApp) {
    let a = app.set_up().await;
    let a = app.me(&a).await;
    let t = &app.trellis;
    let code = t.together(&a).invite().await.unwrap().unwrap();
    let mut joins = tokio::task::JoinSet::new();
    for i in 0..10 {
        let (t, code) = (std::sync::Arc::clone(t), code.as_str().to_owned());
        joins.spawn(async move {
            let name = format!("person {i}");
            let form = SetUp {
                name: &name,
                passphrase: THIRD_PASS,
                confirm: THIRD_PASS,
                ..SetUp::default()
            };
            // Each from their own address (one address is slowed after a few tries).
            t.join_with_invitation(&form, &code, &from(&format!("192.0.2.{i}")))
                .await
        });
    }
    let results = joins.join_all().await;
    let made: Vec<bool> = results.iter().map(|r| r.as_ref().is_ok_and(|j| j.linked)).collect();
    assert_eq!(made.iter().filter(|x| **x).count(), 1, "{made:?}");
    assert!(results.iter().all(|r| matches!(
        r,
        Ok(_) | Err(JoinError::Code(TogetherProblem::CodeNotValid))
    )));
    assert_eq!(app.store.count_accounts().await.expect("count"), 2, "one account made");
    assert!(t.together(&a).link().await.unwrap().is_some());
}

async fn a_key_swapped_by_the_server_shows_as_different_words_and_a_warning(app: &TestApp) {
    let (mut a, b) = (app.set_up().await, app.second_account(NEW_PASS).await);
    let (ma, mb) = (app.me(&a).await, app.me(&b).await);
    // A server that keeps another public key for a, before a ever used Together.
    app.store
        .set_public_key(ma.account_id(), &[9; 32])
        .await
        .expect("swap");
    let t = &app.trellis;
    let code = t.together(&ma).invite().await.unwrap().unwrap();
    t.together(&mb).accept(code.as_str(), &anyone()).await.unwrap().unwrap();
    let (la, lb) = (
        t.together(&ma).link().await.unwrap().expect("linked"),
        t.together(&mb).link().await.unwrap().expect("linked"),
    );
    assert_ne!(la.safety_number, lb.safety_number, "the two people see different words");
    assert!(!la.own_key_kept_right && lb.own_key_kept_right);
    assert!(a.get("/together").await.has("Something is wrong with the keys"));
}

async fn a_pause_reaches_the_partners_open_page_at_once_and_no_one_elses(app: &TestApp) {
    let (mut a, b) = linked_pair(app).await;
    share_signal(&mut a, "bluebird", "Please stop. I'm safe, I just need a moment.").await;
    // Someone else, linked with a fourth person, with their own stream open.
    let mut c = app.named_account("a third person", THIRD_PASS).await;
    let mut d = app.named_account("a fourth person", "maple orchard quiet river").await;
    let code = shown_code(&c.post("/together/invite", &[]).await.body);
    d.post("/together/accept", &[("code", &code)]).await;
    share_signal(&mut d, "", "Space, please.").await;
    let mut theirs = Stream::open(&app.base, &b).await;
    let mut others = Stream::open(&app.base, &c).await;
    assert_eq!(theirs.next().await.0, "calm", "where things stand, first");
    assert_eq!(others.next().await.0, "calm");
    let pressed = std::time::Instant::now();
    a.post("/pause", &[]).await.assert_redirect("/pause");
    let (event, data) = theirs.next().await;
    println!("pause reached the partner's stream in {:?}", pressed.elapsed());
    assert_eq!(event, "pause");
    assert_eq!(data["card"], "Please stop. I'm safe, I just need a moment.");
    assert_eq!(data["safe_word"], "bluebird");
    assert_eq!(data["why"], "pause");
    assert!(data["steps"][0].as_str().unwrap().starts_with("Stop what you are doing"));
    let card = a.get("/pause").await;
    assert!(card.has("Please stop. I") && card.has("ready to talk"));
    // Pressed twice (a double tap): the partner hears it again, and nothing else changes.
    a.post("/pause", &[]).await;
    assert_eq!(theirs.next().await.0, "pause");
    a.post("/pause/end", &[]).await.assert_redirect("/together?ready");
    let (event, data) = theirs.next().await;
    assert_eq!((event.as_str(), data["why"].as_str()), ("calm", Some("resume")));
    // c's stream carried none of a's events: the next thing it hears is its own partner's.
    d.post("/pause", &[]).await;
    let (event, data) = others.next().await;
    assert_eq!(event, "pause");
    assert_eq!(data["card"], "Space, please.", "never a's words");
}

async fn without_sharing_a_pause_stays_on_ones_own_screen(app: &TestApp) {
    let (mut a, mut b) = linked_pair(app).await;
    a.post(
        "/together/signal",
        &[("meaning", "space"), ("own_words", "Just for me.")],
    )
    .await;
    let mut theirs = Stream::open(&app.base, &b).await;
    assert_eq!(theirs.next().await.0, "calm");
    a.post("/pause", &[]).await.assert_redirect("/pause");
    let card = a.get("/pause").await;
    assert!(card.has("Just for me.") && card.has("Only this screen shows your pause"));
    assert!(!card.has("ready to talk"));
    assert!(!b.get("/help").await.has("asked for a pause"));
    assert!(b.get("/together/paused").await.has("No pause right now"));
    // The partner's stream heard nothing: the next thing it hears is a's share, later.
    share_signal(&mut a, "", "").await;
    let (event, data) = theirs.next().await;
    assert_eq!((event.as_str(), data["why"].as_str()), ("calm", Some("shared")));
    // Someone not linked at all sees the card on their own screen only.
    let mut alone = app.named_account("someone alone", THIRD_PASS).await;
    alone.post("/pause", &[]).await.assert_redirect("/pause");
    let card = alone.get("/pause").await;
    card.assert_status(200);
    assert!(card.has("Pause. Please stop and step back."));
}

async fn without_javascript_the_partner_sees_the_pause_on_the_next_page(app: &TestApp) {
    let (mut a, mut b) = linked_pair(app).await;
    assert!(a.get("/help").await.has("<span>Pause</span></button>"), "the Pause button, once linked");
    assert!(a.get("/calm").await.has("href=\"/pause\""), "reachable from Calm now");
    share_signal(&mut a, "bluebird", "").await;
    a.post("/pause", &[]).await;
    let page = b.get("/journal").await;
    assert!(page.has("Your partner asked for a pause"), "a banner on any page");
    let card = b.get("/together/paused").await;
    assert!(card.has("Please stop. Give me a moment, then check in with me gently."));
    assert!(card.has("bluebird") && card.has("What would help?"));
    // Someone else sees nothing of it.
    let mut c = app.named_account("a third person", THIRD_PASS).await;
    assert!(c.get("/together/paused").await.has("No pause right now"));
    assert!(!c.get("/help").await.has("asked for a pause"));
    a.post("/pause/end", &[]).await;
    assert!(!b.get("/journal").await.has("asked for a pause"));
    assert!(b.get("/together/paused").await.has("No pause right now"));
}

async fn a_shared_signal_is_sealed_can_be_stopped_and_ends_with_the_link(app: &TestApp) {
    let (mut a, mut b) = linked_pair(app).await;
    let canary = "canary-bluebird-4821";
    share_signal(&mut a, canary, "canary words 7719").await;
    let theirs = b.get("/together").await;
    assert!(theirs.has("Your partner's pause signal") && theirs.has(canary));
    let today = trellis_core::clock::Day::of_unix(app.trellis.now()).date_words();
    assert!(theirs.has(&format!("Shared with you by your partner on {today}")), "when");
    let dump = format!("{:?}", app.digest().await);
    assert!(!dump.contains(canary) && !dump.contains("canary words"), "sealed at rest");
    let mine = a.get("/together/shares").await;
    assert!(mine.has("Your pause signal") && mine.has("Shared since"));
    // Stopping: gone from the partner's page at once; the log says both.
    a.post("/together/shares/stop", &[("item", "pause-signal")])
        .await
        .assert_redirect("/together/shares");
    assert!(!b.get("/together").await.has(canary));
    let log = a.get("/together/shares").await;
    assert!(log.has("You are not sharing anything"));
    assert!(log.has("shared: Your pause signal") && log.has("stopped sharing: Your pause signal"));
    // Shared again, then the partner ends the link: nothing shared is left, on either side.
    share_signal(&mut a, canary, "").await;
    a.post("/pause", &[]).await;
    b.post("/together/end", &[("sure", "on")]).await;
    let (ma, mb) = (app.me(&a).await, app.me(&b).await);
    for m in [&ma, &mb] {
        assert!(app.store.shares_by(m.account_id()).await.unwrap().is_empty());
        assert!(app.store.shares_for(m.account_id()).await.unwrap().is_empty());
        assert_eq!(
            app.store.together_signals(m.account_id()).await.unwrap(),
            Default::default()
        );
    }
    assert!(!b.get("/together").await.has(canary));
    // The signal itself stays a's own.
    assert!(a.get("/together").await.has(canary));
}

async fn comfort_is_set_shared_and_ends_by_itself(app: &TestApp) {
    let (mut a, mut b) = linked_pair(app).await;
    let canary = "canary-kind-5531";
    let own = format!("Lying close\n{canary}");
    let set = |share: &'static str| {
        vec![
            ("n0", "Holding hands"),
            ("c0", "yes"),
            ("n1", "A hug"),
            ("c1", "ask"),
            ("n5", "Sexual touch"),
            ("c5", "not-today"),
            // Not a kind on the form: ignored.
            ("n9", "Something made up"),
            ("c9", "yes"),
            ("lasts", "2h"),
            ("share", share),
        ]
    };
    let mut form = set("on");
    form.push(("own", &own));
    a.post("/together/comfort", &form)
        .await
        .assert_redirect("/together/comfort?saved");
    let theirs = b.get("/together").await;
    assert!(theirs.has("Your partner&#39;s comfort today") || theirs.has("Your partner's comfort today"));
    for line in [
        "Holding hands: Yes",
        "A hug: Ask me first",
        "Sexual touch: Not today",
        "Kissing: Not set: please ask",
        "Lying close: Not set: please ask",
        canary,
    ] {
        assert!(theirs.has(line), "{line}");
    }
    assert!(!theirs.has("Something made up"));
    let dump = format!("{:?}", app.digest().await);
    assert!(!dump.contains(canary) && !dump.contains("Holding hands"), "sealed at rest");
    let mine = a.get("/together/comfort").await;
    assert!(mine.has("id=\"c0-yes\" name=\"c0\" type=\"radio\" value=\"yes\" checked"));
    // Someone else sees nothing of it.
    let mut c = app.named_account("a third person", THIRD_PASS).await;
    assert!(!c.get("/together").await.has("comfort today</h2>"));
    // Two hours later it has ended, on both sides (both unlock again: their sessions locked
    // after the quiet time).
    app.clock.advance(2 * 3600);
    b.post("/unlock", &[("name", "the second person"), ("passphrase", NEW_PASS)])
        .await
        .assert_redirect("/");
    a.post("/unlock", &[("name", ""), ("passphrase", PASS)])
        .await
        .assert_redirect("/");
    assert!(b.get("/together").await.has("Holding hands: Not set: please ask"));
    let mine = a.get("/together/comfort").await;
    assert!(mine.has("Nothing is set just now"));
    for status in ["yes", "ask", "not-today"] {
        assert!(!mine.has(&format!("value=\"{status}\" checked")), "{status}");
    }
    // Not shared any more: gone from the partner's page at once.
    a.post("/together/comfort", &set("")).await;
    assert!(!b.get("/together").await.has("comfort today</h2>"));
}

/// The part of the list page that shows the matches.
fn both_want(body: &str) -> String {
    body.split("What you both want")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or("")
        .to_owned()
}

async fn the_list_shows_only_what_both_want_and_never_a_no(app: &TestApp) {
    let (mut a, mut b) = linked_pair(app).await;
    let canary = "canary-item-8842";
    let answer = |answers: [&'static str; 4], own: &'static str, maybes: &'static str| {
        vec![
            ("n0", "Sitting close on the sofa"),
            ("a0", answers[0]),
            ("n1", "Holding hands"),
            ("a1", answers[1]),
            ("n2", "Falling asleep next to each other"),
            ("a2", answers[2]),
            ("n3", "A long hug"),
            ("a3", answers[3]),
            ("own", own),
            ("maybes", maybes),
        ]
    };
    // The own item is answered once it is on the form (it appears after the first save).
    for (c, answers) in [(&mut a, ["yes", "yes", "no", "maybe"]), (&mut b, ["yes", "no", "yes", "yes"])] {
        c.post("/together/list", &answer(answers, canary, ""))
            .await
            .assert_redirect("/together/list?saved");
        let page = c.get("/together/list").await;
        let index = page
            .body
            .split(&format!("value=\"{canary}\""))
            .next()
            .and_then(|s| s.rsplit("name=\"n").next())
            .and_then(|s| s.split('"').next())
            .expect("the own item on the form")
            .to_owned();
        let (n, a_) = (format!("n{index}"), format!("a{index}"));
        let mut form = answer(answers, canary, "");
        form.push((&n, canary));
        form.push((&a_, "yes"));
        c.post("/together/list", &form).await.assert_redirect("/together/list?saved");
    }
    let (la, lb) = (
        both_want(&a.get("/together/list").await.body),
        both_want(&b.get("/together/list").await.body),
    );
    for shown in [&la, &lb] {
        assert!(shown.contains("Sitting close on the sofa") && shown.contains(canary), "{shown}");
        for hidden in ["Holding hands", "Falling asleep", "A long hug"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
    }
    let dump = format!("{:?}", app.digest().await);
    assert!(!dump.contains(canary) && !dump.contains("Sitting close"), "sealed at rest");
    // Maybes count only when both choose it.
    a.post("/together/list", &answer(["yes", "yes", "no", "maybe"], canary, "on")).await;
    assert!(!both_want(&b.get("/together/list").await.body).contains("A long hug"));
    b.post("/together/list", &answer(["yes", "no", "yes", "yes"], canary, "on")).await;
    let lb = both_want(&b.get("/together/list").await.body);
    assert!(lb.contains("You both said yes or maybe") && lb.contains("A long hug"), "{lb}");
    // A yes withdrawn: gone for the partner at once.
    a.post("/together/list", &answer(["not-now", "yes", "no", "maybe"], canary, "on")).await;
    assert!(!both_want(&b.get("/together/list").await.body).contains("Sitting close"));
    // Someone else sees nothing of anyone's answers.
    let mut c = app.named_account("a third person", THIRD_PASS).await;
    let theirs = c.get("/together/list").await;
    assert!(!theirs.has("What you both want") && !theirs.has("A long hug</li>"));
    // Ending the link ends the matches. Answers saved before a new link count only once each
    // person saves them again (opening the page changes nothing).
    b.post("/together/end", &[("sure", "on")]).await;
    assert!(!a.get("/together/list").await.has("What you both want"));
    let code = shown_code(&a.post("/together/invite", &[]).await.body);
    b.post("/together/accept", &[("code", &code)]).await;
    let page = a.get("/together/list").await;
    assert!(page.has("Your answers were saved before this link"));
    assert!(!both_want(&b.get("/together/list").await.body).contains("A long hug"));
    a.post("/together/list", &answer(["not-now", "yes", "no", "maybe"], canary, "on")).await;
    assert!(!both_want(&b.get("/together/list").await.body).contains("A long hug"), "b's wait");
    b.post("/together/list", &answer(["yes", "no", "yes", "yes"], canary, "on")).await;
    assert!(both_want(&b.get("/together/list").await.body).contains("A long hug"));
    assert!(both_want(&a.get("/together/list").await.body).contains("A long hug"));
}

/// The ids of the steps on the ladder page, in order.
fn step_ids(body: &str) -> Vec<String> {
    body.split("href=\"/together/ladder/")
        .skip(1)
        .filter_map(|s| s.get(..32))
        .map(str::to_owned)
        .collect()
}

async fn the_trust_ladder_grows_with_tries_and_shares_only_what_is_chosen(app: &TestApp) {
    let (mut a, mut b) = linked_pair(app).await;
    for name in ["Holding hands", "Reading aloud together"] {
        a.post("/together/ladder", &[("name", name)])
            .await
            .assert_redirect("/together/ladder");
    }
    let page = a.get("/together/ladder").await;
    let ids = step_ids(&page.body);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(!page.has("Add “Holding hands”"), "a suggestion already taken is not offered");
    // Order: the own step moved earlier.
    a.post(&format!("/together/ladder/{}/move", ids[1]), &[("to", "earlier")])
        .await
        .assert_redirect("/together/ladder");
    let moved = step_ids(&a.get("/together/ladder").await.body);
    assert_eq!(moved, vec![ids[1].clone(), ids[0].clone()]);
    let hands = &ids[0];
    // A try, submitted twice from the same form: one try.
    let step = a.get(&format!("/together/ladder/{hands}")).await;
    assert!(step.has("Not tried yet"));
    let try_id = step
        .body
        .split("name=\"try_id\" value=\"")
        .nth(1)
        .and_then(|s| s.get(..32))
        .expect("a try id")
        .to_owned();
    let canary = "canary-note-6612";
    let form = [
        ("try_id", try_id.as_str()),
        ("expected", "40"),
        ("peak", "30"),
        ("after", "60"),
        ("note", canary),
    ];
    for _ in 0..2 {
        a.post(&format!("/together/ladder/{hands}/try"), &form)
            .await
            .assert_redirect(&format!("/together/ladder/{hands}?saved"));
    }
    let step = a.get(&format!("/together/ladder/{hands}")).await;
    assert!(step.has("Just beginning") && step.has(canary));
    let today = trellis_core::clock::Day::of_unix(app.trellis.now()).date_words();
    assert!(step.has(&today), "the try's day, {today}");
    assert_eq!(step.body.matches(canary).count(), 1, "one try");
    // A step back: recorded, and the strength is as it was.
    a.post(
        &format!("/together/ladder/{hands}/try"),
        &[("stepped_back", "on"), ("peak", "")],
    )
    .await;
    let step = a.get(&format!("/together/ladder/{hands}")).await;
    assert!(step.has("Just beginning") && step.has("(stepped back)"));
    // Shared: the partner sees its name, strength and what helps; never the notes.
    a.post(
        &format!("/together/ladder/{hands}"),
        &[("helps", "Let me start it"), ("share", "on")],
    )
    .await
    .assert_redirect(&format!("/together/ladder/{hands}?saved"));
    let theirs = b.get("/together/ladder").await;
    assert!(theirs.has("Your partner&#39;s steps") || theirs.has("Your partner's steps"));
    assert!(theirs.has("Holding hands</strong>: Just beginning (2 tries)"));
    assert!(theirs.has("What helps: Let me start it"));
    assert!(!theirs.has(canary) && !theirs.has("Reading aloud together"));
    let dump = format!("{:?}", app.digest().await);
    assert!(!dump.contains(canary) && !dump.contains("Let me start it"), "sealed at rest");
    // The partner (or anyone else) cannot reach a's steps: 404, nothing changes.
    let before = app.digest().await;
    b.get(&format!("/together/ladder/{hands}")).await.assert_status(404);
    for (path, form) in [
        (format!("/together/ladder/{hands}"), vec![("helps", "b was here")]),
        (format!("/together/ladder/{hands}/try"), vec![("note", "b was here")]),
        (format!("/together/ladder/{hands}/move"), vec![("to", "later")]),
        (format!("/together/ladder/{hands}/delete"), vec![("sure", "on")]),
    ] {
        b.post(&path, &form).await.assert_status(404);
    }
    assert_eq!(app.digest().await, before, "nothing changed");
    // Deleted (with the tick): gone, and the partner's copy with it.
    a.post(&format!("/together/ladder/{hands}/delete"), &[])
        .await
        .assert_status(400);
    a.post(&format!("/together/ladder/{hands}/delete"), &[("sure", "on")])
        .await
        .assert_redirect("/together/ladder");
    assert_eq!(step_ids(&a.get("/together/ladder").await.body).len(), 1);
    assert!(!b.get("/together/ladder").await.has("Holding hands</strong>"));
}

/// Every Together canary, by where it was typed.
const CANARIES: [(&str, &str); 9] = [
    ("safe word", "CANARY-SAFEWORD-t4x8"),
    ("pause words", "CANARY-PAUSEWORDS-t4x8"),
    ("own comfort kind", "CANARY-COMFORTKIND-t4x8"),
    ("own list item (yes)", "CANARY-LISTYES-t4x8"),
    ("own list item (no)", "CANARY-LISTNO-t4x8"),
    ("step name", "CANARY-STEPNAME-t4x8"),
    ("step note", "CANARY-STEPNOTE-t4x8"),
    ("what helps", "CANARY-HELPS-t4x8"),
    ("partner's own item", "CANARY-PARTNERITEM-t4x8"),
];

/// Two linked people share everything there is to share, with a canary in each field, and a
/// pause is on; each canary is checked to have reached a page (so it was stored and opens).
async fn together_journey(app: &TestApp) {
    let (mut a, mut b) = linked_pair(app).await;
    let get = |what: &str| CANARIES.iter().find(|(w, _)| *w == what).expect("canary").1;
    share_signal(&mut a, get("safe word"), get("pause words")).await;
    a.post(
        "/together/comfort",
        &[("own", get("own comfort kind")), ("share", "on"), ("n0", "Holding hands"), ("c0", "yes")],
    )
    .await;
    let own = format!("{}\n{}", get("own list item (yes)"), get("own list item (no)"));
    a.post("/together/list", &[("own", own.as_str())]).await;
    // The own items come after ours on the form.
    let n: usize = trellis_core::together::LIST_GROUPS
        .iter()
        .map(|(_, items)| items.len())
        .sum();
    let (yes_at, no_at) = (format!("n{n}"), format!("n{}", n + 1));
    let (yes_a, no_a) = (format!("a{n}"), format!("a{}", n + 1));
    a.post(
        "/together/list",
        &[
            ("own", own.as_str()),
            (&yes_at, get("own list item (yes)")),
            (&yes_a, "yes"),
            (&no_at, get("own list item (no)")),
            (&no_a, "no"),
            ("n1", "Holding hands"),
            ("a1", "yes"),
        ],
    )
    .await;
    b.post("/together/list", &[("own", get("partner's own item")), ("n1", "Holding hands"), ("a1", "yes")])
        .await;
    a.post("/together/ladder", &[("name", get("step name"))]).await;
    let id = step_ids(&a.get("/together/ladder").await.body).remove(0);
    a.post(&format!("/together/ladder/{id}/try"), &[("note", get("step note"))]).await;
    a.post(
        &format!("/together/ladder/{id}"),
        &[("helps", get("what helps")), ("share", "on")],
    )
    .await;
    a.post("/pause", &[]).await;
    let mut pages = String::new();
    for path in ["/together", "/together/comfort", "/together/list", "/together/ladder", &format!("/together/ladder/{id}"), "/pause"] {
        pages.push_str(&a.get(path).await.body);
    }
    for path in ["/together", "/together/ladder", "/together/list", "/together/paused"] {
        pages.push_str(&b.get(path).await.body);
    }
    for (what, value) in CANARIES {
        assert!(pages.contains(value), "{what} was not saved and shown");
    }
    assert!(
        both_want(&b.get("/together/list").await.body).contains("Holding hands"),
        "a match was made"
    );
    a.lock().await;
    b.lock().await;
}

fn together_hits(bytes: &[u8]) -> Vec<&'static str> {
    CANARIES
        .iter()
        .filter(|(_, v)| count(bytes, v.as_bytes()) > 0)
        .map(|(w, _)| *w)
        .collect()
}

#[tokio::test]
async fn sqlite_files_and_logs_hold_nothing_shared_in_the_clear() {
    let logs = capture_logs();
    let app = TestApp::sqlite().await;
    together_journey(&app).await;
    let mut items = 0;
    scan_sqlite_open_and_closed(&app, |bytes, what| {
        let found = together_hits(bytes);
        assert!(found.is_empty(), "{what} contains {found:?}");
        items += count(bytes, b"pause-signal") + count(bytes, b"ladder/");
        count(bytes, b"pause-signal")
    })
    .await;
    assert!(items > 0, "control: the shared items' names are found in clear");
    app.finish().await;
    let found = together_hits(&logs.bytes());
    assert!(found.is_empty(), "the logs contain {found:?}");
}

#[tokio::test]
async fn postgres_dump_holds_nothing_shared_in_the_clear() {
    let logs = capture_logs();
    let Some(app) = TestApp::on(Backend::Postgres, "together_canary").await else {
        return;
    };
    together_journey(&app).await;
    let dump = app.postgres_dump();
    let found = together_hits(&dump);
    assert!(found.is_empty(), "pg_dump contains {found:?}");
    assert!(
        count(&dump, b"pause-signal") > 0 && count(&dump, b"closeness_list") > 0,
        "control: the dump holds the shares and the records"
    );
    app.finish().await;
    let found = together_hits(&logs.bytes());
    assert!(found.is_empty(), "the logs contain {found:?}");
}

async fn boundaries_are_shared_one_by_one_follow_changes_and_go_when_deleted(app: &TestApp) {
    use crate::safety::common::id_in_location;
    let (mut a, mut b) = linked_pair(app).await;
    let mut ids = Vec::new();
    for text in ["Ask before hugging me from behind", "No tickling, ever"] {
        let r = a
            .post(
                "/safety/boundaries",
                &[("text", text), ("group", "touch"), ("state", "firm")],
            )
            .await;
        ids.push(id_in_location(&r, "/safety/boundaries#b-"));
    }
    let (first, second) = (ids[0].clone(), ids[1].clone());
    let r = b
        .post(
            "/safety/boundaries",
            &[("text", "The partner's own"), ("group", "touch"), ("state", "firm")],
        )
        .await;
    let theirs = id_in_location(&r, "/safety/boundaries#b-");
    // One shared (and the partner's own id, sent by a, is ignored).
    a.post("/together/boundaries", &[("b", &first), ("b", &theirs)])
        .await
        .assert_redirect("/together/boundaries?saved");
    let page = b.get("/together").await;
    assert!(page.has("Ask before hugging me from behind") && page.has("Firm"));
    assert!(!page.has("No tickling, ever"));
    assert!(!a.get("/together").await.has("The partner&#39;s own"), "not shared by a");
    // A change follows; earlier words are never shown.
    a.post(
        &format!("/safety/boundaries/{first}"),
        &[("text", "Ask before any hug"), ("group", "touch"), ("state", "revisiting")],
    )
    .await
    .assert_status(303);
    let page = b.get("/together").await;
    assert!(page.has("Ask before any hug") && page.has("Revisiting"));
    assert!(!page.has("hugging me from behind"));
    assert!(a.get("/together/shares").await.has("One of your boundaries"));
    // Deleted in Safety: the copy goes too.
    a.post(&format!("/safety/boundaries/{first}/delete"), &[])
        .await
        .assert_status(303);
    assert!(!b.get("/together").await.has("Ask before any hug"));
    // Share the other, then untick it.
    a.post("/together/boundaries", &[("b", &second)]).await;
    assert!(b.get("/together").await.has("No tickling, ever"));
    a.post("/together/boundaries", &[]).await;
    assert!(!b.get("/together").await.has("No tickling, ever"));
    assert!(app.store.shares_for(app.me(&b).await.account_id()).await.unwrap().is_empty());
}

async fn events_arriving_never_keep_a_quiet_session_unlocked(app: &TestApp) {
    let (mut a, mut b) = linked_pair(app).await;
    share_signal(&mut a, "", "").await;
    let mut theirs = Stream::open(&app.base, &b).await;
    assert_eq!(theirs.next().await.0, "calm");
    // b is quiet; a pauses and resumes every three minutes (a's own page stays in use).
    for _ in 0..3 {
        app.clock.advance(3 * 60);
        a.post("/pause", &[]).await.assert_redirect("/pause");
        assert_eq!(theirs.next().await.0, "pause");
        a.post("/pause/end", &[]).await;
        assert_eq!(theirs.next().await.0, "calm");
    }
    // Eleven quiet minutes for b (auto-lock after ten): locked, whatever arrived meanwhile;
    // the next event ends b's stream instead of being answered.
    app.clock.advance(2 * 60);
    a.post("/pause", &[]).await;
    let ended = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Ok(Some(_)) = theirs.response.chunk().await {}
    })
    .await;
    assert!(ended.is_ok(), "the stream ended");
    b.get("/together").await.assert_redirect("/unlock");
}

async fn a_hosted_trellis_always_asks_for_a_name(app: &TestApp) {
    let hosted = TestApp::builder()
        .on(app.backend(), "hosted_names")
        .policy(trellis_core::Policy {
            always_ask_name: true,
            ..crate::harness::policy()
        })
        .build()
        .await
        .expect("same backend");
    let mut first = hosted.set_up().await;
    first.lock().await;
    // One account only, and still the name is asked: nobody learns how many use it.
    assert!(hosted.client().get("/unlock").await.has("name=\"name\""));
    // Locally (the app this test was given) a lone account unlocks with its passphrase only.
    let mut local = app.set_up().await;
    local.lock().await;
    assert!(!app.client().get("/unlock").await.has("name=\"name\""));
    hosted.finish().await;
}
