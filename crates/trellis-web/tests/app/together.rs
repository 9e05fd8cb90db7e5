//! Together (issue 9), the link: an invitation is eight words, one use, for a day; using it
//! links two accounts, who then see the same safety number; either can end the link, on both
//! sides. Codes are kept only as a keyed hash, and guesses are throttled. Both databases.
//! The use cases are driven over the real store, and the pages over HTTP.

use trellis_core::together::{
    InvitationCode, JoinError, TogetherProblem, INVITATION_SECONDS, MAX_NAME_TRIES,
};
use trellis_core::{Requester, SetUp, UnlockError};

use crate::harness::{TestApp, NEW_PASS};
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
    Route::post("/together/join", &[("code", "nope"), ("name", "x")], Page(400), To("/together")),
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
);

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
    let code = r
        .body
        .split("aria-label=\"Invitation code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the code is shown")
        .to_owned();
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
    let r = a.post("/together/invite", &[]).await;
    let code = r
        .body
        .split("aria-label=\"Invitation code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the code is shown")
        .to_owned();
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
