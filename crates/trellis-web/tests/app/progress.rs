//! Progress: the PCL-5 self-check — exact items, scoring, the change since last time, help
//! lines beside every result, never a diagnosis label; bad answers are a calm 400 with every
//! answer kept; another person's result is a 404. Both databases.

use crate::harness::{TestApp, NEW_PASS, PASS};
use crate::route_table::{Expect::{Page, To}, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/progress", To("/unlock"), Page(200)),
    Route::get("/progress/trends", To("/unlock"), Page(200)),
    Route::get("/progress/wins", To("/unlock"), Page(200)),
    Route::get("/progress/hobbies", To("/unlock"), Page(200)),
    Route::post("/progress/hobbies", &[("name", "")], To("/unlock"), Page(400))
        .would_change(&[("name", "Dancing")]),
    Route::post("/progress/hobbies/joy", &[], To("/unlock"), To("/progress/hobbies?done=joy"))
        .would_change(&[("joy_jar", "on")]),
    Route::get("/progress/hobbies/{id}", To("/unlock"), Page(404)),
    Route::post("/progress/hobbies/{id}/note", &[("felt", "x")], To("/unlock"), Page(404)),
    Route::post("/progress/hobbies/{id}/delete", &[], To("/unlock"), Page(404)),
    Route::get("/progress/summary", To("/unlock"), Page(200)),
    Route::post("/progress/summary", &[("page", "1")], To("/unlock"), Page(200)),
    Route::get("/progress/pcl5", To("/unlock"), Page(200)),
    Route::get("/progress/pcl5/start", To("/unlock"), Page(200)),
    Route::post("/progress/pcl5", &[("timeframe", "month"), ("a1", "9")], Page(200), Page(400))
        .keeps_form().would_change(ALL_TWOS),
    Route::post("/progress/pcl5/unlock", &[("passphrase", "not the passphrase at all"), ("a1", "9")], Page(401), Page(400)),
    Route::post("/progress/pcl5/lock", &[("a1", "3")], Page(200), Page(200)),
    Route::get("/progress/pcl5/{id}", To("/unlock"), Page(404)),
    Route::post("/progress/pcl5/{id}/delete", &[], To("/unlock"), Page(404)),
];

const ALL_TWOS: &[(&str, &str)] = &[
    ("timeframe", "month"),
    ("a1", "2"), ("a2", "2"), ("a3", "2"), ("a4", "2"), ("a5", "2"),
    ("a6", "2"), ("a7", "2"), ("a8", "2"), ("a9", "2"), ("a10", "2"),
    ("a11", "2"), ("a12", "2"), ("a13", "2"), ("a14", "2"), ("a15", "2"),
    ("a16", "2"), ("a17", "2"), ("a18", "2"), ("a19", "2"), ("a20", "2"),
];

fn answers(value: impl Fn(usize) -> String) -> Vec<(String, String)> {
    let mut v = vec![("timeframe".to_owned(), "month".to_owned())];
    v.extend((1..=20).map(|n| (format!("a{n}"), value(n))));
    v
}

async fn take(c: &mut crate::harness::Client, value: impl Fn(usize) -> String) -> String {
    let fields = answers(value);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.post("/progress/pcl5", &pairs).await;
    r.assert_status(303);
    r.header("location").expect("a result").to_owned()
}

async fn a_self_check_is_scored_with_its_groups_the_change_and_help_beside_it(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/progress").await;
    r.assert_calm_page("A self-check, now and then");
    assert!(r.has(r#"href="/progress/pcl5""#), "offered: never taken");
    let intro = c.get("/progress/pcl5?preview=1").await;
    assert!(intro.has("some questions mention") && intro.has("Skip it") && intro.has("A calm tool first"));
    assert!(intro.has("Trouble falling or staying asleep?"), "the preview shows the questions");
    let form = c.get("/progress/pcl5/start").await;
    assert!(form.has("In the past month, how much were you bothered by:"));
    assert!(form.has("Repeated, disturbing, and unwanted memories of the stressful experience?"));
    assert_eq!(form.body.matches(r#"type="radio""#).count(), 100, "20 items × 5 answers");
    let week = c.get("/progress/pcl5/start?timeframe=week").await;
    assert!(week.has("In the past week, how much were you bothered by:"));

    // Items 1..20 answered 0,1,2,3,4,0,…: total 40; B 10, C 1, D 15, E 14.
    let first = take(&mut c, |n| ((n - 1) % 5).to_string()).await;
    let r = c.get(&first).await;
    r.assert_calm_page("Your self-check");
    assert!(r.has("Total: <strong>40</strong> out of 80"), "{}", r.snippet());
    for (name, score) in [
        ("Coming back: memories, dreams, reminders", "10 of 20"),
        ("Keeping away from reminders", "1 of 8"),
        ("Thoughts and feelings", "15 of 28"),
        ("On edge: alertness, sleep, concentration", "14 of 24"),
    ] {
        assert!(r.has(&format!("<td>{name}</td><td>{score}</td>")), "{name}");
    }
    assert!(r.has(r#"<a href="/help">Help now</a>"#), "help beside the result");
    assert!(r.has("This is not a diagnosis"));
    let words = r.body.to_lowercase();
    assert!(!words.contains("probable ptsd") && !words.contains("you have ptsd"));
    assert!(!r.has("than last time"), "nothing to compare yet");

    // Soon after: not offered again, yet still reachable; a second result shows the change.
    let r = c.get("/progress").await;
    assert!(r.has("It is offered again from"));
    let second = take(&mut c, |n| if n <= 10 { "1".into() } else { "2".into() }).await;
    let r = c.get(&second).await;
    assert!(r.has("Total: <strong>30</strong>"));
    assert!(r.has("10 points lower than last time") && r.has("clinically meaningful"));
    let r = c.get("/progress").await;
    let newest = r.body.find("<td>30</td>").expect("30 listed");
    let older = r.body.find("<td>40</td>").expect("40 listed");
    assert!(newest < older, "newest first");

    // Deleting one.
    c.post(&format!("{second}/delete"), &[])
        .await
        .assert_redirect("/progress?deleted=1");
    c.get(&second).await.assert_status(404);
    assert!(c.get("/progress?deleted=1").await.has("That result is deleted."));
}

async fn bad_answers_are_a_calm_400_keeping_every_answer(app: &TestApp) {
    let mut c = app.set_up().await;
    let before = app.digest().await;
    // Two open, one out of range, one not a number.
    let fields = answers(|n| match n {
        3 | 20 => String::new(),
        7 => "5".into(),
        9 => "<b>x</b>".into(),
        _ => "3".into(),
    });
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.post("/progress/pcl5", &pairs).await;
    r.assert_status(400);
    r.assert_calm_page("Please choose one of the five answers for: 7, 9.");
    assert!(!r.body.contains("<b>x</b>"), "never drawn as markup");
    assert_eq!(
        r.body.matches(r#"value="3" checked"#).count(),
        16,
        "every valid answer kept"
    );
    let fields = answers(|n| if n == 20 { String::new() } else { "1".into() });
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = c.post("/progress/pcl5", &pairs).await;
    r.assert_status(400);
    assert!(r.has("These are still open: 20."));
    assert_eq!(r.body.matches(r#"value="1" checked"#).count(), 19);
    let r = c.post("/progress/pcl5", &[("timeframe", "year"), ("a1", "1")]).await;
    r.assert_status(400);
    assert_eq!(before, app.digest().await, "nothing kept");
}

async fn another_persons_result_is_a_404_and_stays(app: &TestApp) {
    let mut a = app.set_up().await;
    let mine = take(&mut a, |_| "4".into()).await;
    let mut eve = app.second_account(NEW_PASS).await;
    let before = app.digest().await;
    eve.get(&mine).await.assert_status(404);
    let r = eve.post(&format!("{mine}/delete"), &[]).await;
    r.assert_status(404);
    r.assert_calm_page("We couldn't find that page");
    assert_eq!(before, app.digest().await);
    assert!(a.get(&mine).await.has("Total: <strong>80</strong>"));
}

async fn trends_draw_a_smoothed_line_with_a_table_and_skipped_days_change_nothing(app: &TestApp) {
    use trellis_core::clock::{day_of, iso_day};
    let mut c = app.set_up().await;
    let r = c.get("/progress/trends").await;
    r.assert_calm_page("How things have been");
    assert!(r.has("Nothing to show yet"));
    let today = day_of(app.trellis.now());
    // Very low three days ago, nothing two days ago, Good yesterday and today.
    for (back, mood) in [(3, "1"), (1, "4"), (0, "4")] {
        c.post(
            "/today/checkin",
            &[("mood", mood), ("day", &iso_day(today - back * 86_400))],
        )
        .await
        .assert_status(303);
    }
    let r = c.get("/progress/trends?range=30").await;
    assert!(r.has("How does today feel?"));
    // m = 0.5^(1/13): two Good days move a line that began at Very low only a little.
    assert!(r.has("The line stayed near \u{201c}Very low\u{201d}."), "{}", r.snippet());
    assert!(r.has(r#"<polyline class="trend-line""#));
    assert_eq!(r.body.matches(r#"<circle class="trend-dot""#).count(), 3, "one dot per answer");
    // The table: newest first, the answer and where the line was, in words.
    let table = &r.body[r.body.find("<tbody>").expect("a table")..];
    let good = table.find("<td>Good</td>").expect("Good");
    let low = table.find("<td>Very low</td>").expect("Very low");
    assert!(good < low, "newest first");
    // m = 0.5^(1/13) ≈ 0.948: after one Good the line is still near Very low.
    assert!(table.contains("<td>Good</td><td>Very low</td>"), "{table}");
    // A calm tool rated before and after: its drop over time, with a table.
    crate::calm::rate(&mut c, "feet", Some("7"), Some("3"), false).await;
    let r = c.get("/progress/trends").await;
    assert!(r.has("Calm tools: before and after") && r.has("Feet on the floor"));
    assert!(r.has("<td>down 4 points</td>"), "{}", r.snippet());
    assert!(r.has("distress has gone down by about 4.0 points"));
    // A trust ladder step with a try and a step back: its strength in words, both in the table.
    c.post("/together/ladder", &[("name", "Holding hands")])
        .await
        .assert_status(303);
    let ladder = c.get("/together/ladder").await;
    let step = ladder
        .body
        .split("/together/ladder/")
        .nth(1)
        .and_then(|rest| rest.get(..32))
        .expect("a step")
        .to_owned();
    c.post(&format!("/together/ladder/{step}/try"), &[("expected", "40")])
        .await
        .assert_status(303);
    c.post(&format!("/together/ladder/{step}/try"), &[("stepped_back", "on")])
        .await
        .assert_status(303);
    let r = c.get("/progress/trends").await;
    assert!(r.has("Trust ladder") && r.has("Holding hands") && r.has("Strength now: Just beginning."), "{}", r.snippet());
    assert!(r.has("<td>a try and a step back</td>"), "{}", r.snippet());
    // Six months are read by the week: one dot and one row for each week with answers, their
    // mean in words, so years stay a page one can read.
    let r = c.get("/progress/trends?range=180").await;
    let weeks: std::collections::BTreeSet<trellis_core::clock::Day> = [3, 1, 0]
        .iter()
        .map(|back| trellis_core::clock::Day::of_unix(today - back * 86_400).week_start())
        .collect();
    let mood = &r.body[..r.body.find("Calm tools").expect("calm")];
    assert_eq!(mood.matches(r#"<circle class="trend-dot""#).count(), weeks.len(), "one dot a week");
    assert!(mood.contains(r#"<th scope="col">Week</th><th scope="col">Your answers (on average)</th>"#));
    for w in &weeks {
        assert!(mood.contains(&format!("<td>Week of {}</td>", w.date_words())), "{}", r.snippet());
    }
    assert!(r.has("<td>a try and a step back</td>"), "{}", r.snippet());
    for range in ["180", "all", "nonsense"] {
        c.get(&format!("/progress/trends?range={range}")).await.assert_status(200);
    }
}

async fn wins_gather_small_things_and_good_words_newest_first_never_counted(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/progress/wins").await;
    r.assert_calm_page("Good things, gathered");
    assert!(r.has("Nothing here yet"));
    c.post("/today/goals", &[("text", "A short walk")])
        .await
        .assert_status(303);
    let today = c.get("/today").await;
    let goal = crate::today::goal_ids(&today.body).swap_remove(0);
    c.post(&format!("/today/goals/{goal}/done"), &[])
        .await
        .assert_status(303);
    c.post(
        "/journal",
        &[("kind", "did_well"), ("text", "Asked for help at work")],
    )
    .await;
    c.post("/journal", &[("kind", "free"), ("text", "Not a win, just words")])
        .await;
    let r = c.get("/progress/wins").await;
    assert!(r.has("A short walk") && r.has("A small thing done"), "{}", r.snippet());
    assert!(r.has("Asked for help at work") && r.has("One thing I did well"));
    assert!(!r.has("Not a win, just words"), "only wins");
    for count in ["1 win", "2 wins", "2 things", "in a row", "streak"] {
        assert!(!r.has(count), "never counted: {count}");
    }
    let r = c.get("/progress/wins?before=2000-01-01").await;
    assert!(r.has("Nothing earlier than this."));
}

async fn the_therapist_summary_holds_only_what_was_chosen_and_keeps_nothing(app: &TestApp) {
    let mut c = app.set_up().await;
    // Written 40 days ago: outside the 30 days offered at first, inside a time that holds it.
    c.post("/journal", &[("kind", "free"), ("text", "Words from before")]).await;
    app.clock.advance(40 * 86_400);
    let mut c = app.unlocked_client().await;
    let old = trellis_core::clock::Day::of_unix(app.trellis.now() - 40 * 86_400).to_string();
    let r = c.post("/progress/summary", &[("from", old.as_str())]).await;
    assert_eq!(r.body.matches("name=\"e_").count(), 1, "{}", r.snippet());
    c.post("/journal", &[("kind", "free"), ("text", "Chosen words for the session")])
        .await;
    c.post("/journal", &[("kind", "free"), ("text", "Private words not chosen")])
        .await;
    take(&mut c, |_| "1".into()).await;
    let choose = c.get("/progress/summary").await;
    choose.assert_calm_page("A page for your therapist");
    assert!(!choose.has("Chosen words for the session"), "entries offered by day and name only");
    let ids: Vec<String> = choose
        .body
        .match_indices("name=\"e_")
        .map(|(i, _)| choose.body[i + 8..i + 40].to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{}", choose.snippet());
    // Which id is which: the page with both chosen shows both; find the chosen one by text.
    let mut chosen = String::new();
    for id in &ids {
        let field = format!("e_{id}");
        let r = c.post("/progress/summary", &[("page", "1"), (field.as_str(), "on")]).await;
        if r.has("Chosen words for the session") {
            chosen = field;
        }
    }
    assert!(!chosen.is_empty());
    let before = app.digest().await;
    let r = c
        .post(
            "/progress/summary",
            &[
                ("page", "1"),
                ("with_pcl5", "on"),
                (chosen.as_str(), "on"),
                ("e_00000000000000000000000000000000", "on"),
                ("notes", "Ask about sleep"),
            ],
        )
        .await;
    r.assert_status(200);
    assert!(r.has("For my next session"));
    assert!(r.has("Chosen words for the session") && !r.has("Private words not chosen"));
    assert!(r.has("Ask about sleep") && r.has("20 out of 80"));
    assert!(!r.has("How check-ins went") && !r.has("My boundaries"), "only what was chosen");
    assert_eq!(before, app.digest().await, "nothing kept");
    let long = "x".repeat(2_100);
    let r = c.post("/progress/summary", &[("page", "1"), ("notes", &long)]).await;
    assert!(r.has("the end was left off"));
}

async fn three_hobbies_ten_minutes_a_note_and_the_joy_jar_on_a_hard_day(app: &TestApp) {
    use trellis_core::clock::{day_of, iso_day};
    let mut c = app.set_up().await;
    for name in ["Dancing", "Growing plants", "Painting"] {
        c.post("/progress/hobbies", &[("name", name)])
            .await
            .assert_redirect("/progress/hobbies");
    }
    let before = app.digest().await;
    let r = c.post("/progress/hobbies", &[("name", "A fourth")]).await;
    r.assert_status(400);
    r.assert_calm_page("Three is plenty for now.");
    let r = c.post("/progress/hobbies", &[("name", &"x".repeat(61))]).await;
    r.assert_status(400);
    assert_eq!(before, app.digest().await);
    let page = c.get("/progress/hobbies").await;
    let id = page
        .body
        .split("href=\"/progress/hobbies/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a hobby")
        .to_owned();
    let ten = c.get(&format!("/progress/hobbies/{id}")).await;
    assert!(ten.has("Dancing") && ten.has(r#"data-seconds="600""#));
    let yesterday = iso_day(day_of(app.trellis.now()) - 86_400);
    let r = c
        .post(
            &format!("/progress/hobbies/{id}/note"),
            &[("felt", &"y".repeat(501)), ("day", &yesterday)],
        )
        .await;
    r.assert_status(400);
    assert!(r.has(&"y".repeat(501)), "kept as typed");
    c.post(
        &format!("/progress/hobbies/{id}/note"),
        &[("felt", "Light on my feet"), ("day", &yesterday)],
    )
    .await
    .assert_redirect("/progress/hobbies?done=noted");
    assert!(c.get("/progress/hobbies").await.has("Light on my feet"));

    // A hard day: nothing from the jar until it is turned on.
    let hard = c.post("/today/checkin", &[("mood", "1")]).await;
    let at = hard.header("location").expect("to Today").to_owned();
    assert!(!c.get(&at).await.has("From your joy jar"));
    c.post("/progress/hobbies/joy", &[("joy_jar", "on")])
        .await
        .assert_redirect("/progress/hobbies?done=joy");
    let r = c.get(&at).await;
    assert!(r.has("From your joy jar: Dancing") && r.has("Light on my feet"), "{}", r.snippet());
    c.post("/progress/hobbies/joy", &[]).await;
    assert!(!c.get(&at).await.has("From your joy jar"), "off again");
    c.post(&format!("/progress/hobbies/{id}/delete"), &[])
        .await
        .assert_redirect("/progress/hobbies?done=deleted");
    assert!(!c
        .get("/progress/hobbies")
        .await
        .has(r#"<p class="person-name">Dancing</p>"#));
}

/// Everything (read through the cache) and the last 30 days (opened one by one) have the same
/// tables when every answer is recent (both are then read day by day): the first.
async fn same(c: &mut crate::harness::Client) -> crate::harness::Resp {
    let all = c.get("/progress/trends?range=all").await;
    let recent = c.get("/progress/trends?range=30").await;
    assert_eq!(tables(&all.body), tables(&recent.body), "{}", all.snippet());
    all
}

/// The tables of a trends page, in page order.
fn tables(body: &str) -> Vec<&str> {
    body.split("<tbody>")
        .skip(1)
        .filter_map(|t| t.split("</tbody>").next())
        .collect()
}

async fn everything_is_read_through_a_sealed_cache_that_is_never_stale(app: &TestApp) {
    use trellis_core::clock::{day_of, iso_day};
    let mut c = app.set_up().await;
    let today = day_of(app.trellis.now());
    for (back, mood) in [(3, "1"), (1, "4"), (0, "4")] {
        c.post("/today/checkin", &[("mood", mood), ("urge", "2"), ("day", &iso_day(today - back * 86_400))])
            .await
            .assert_status(303);
    }
    crate::calm::rate(&mut c, "feet", Some("7"), Some("3"), false).await;
    let account = app.account().await.id;
    let caches = || async {
        let mut n = Vec::new();
        for kind in ["progress_cache_checkins", "progress_cache_calm"] {
            n.push(app.store.records_of_kind(&account, kind).await.expect("caches"));
        }
        n
    };
    let first = same(&mut c).await;
    assert!(tables(&first.body)[0].contains("<td>Good</td><td>Very low</td>"), "{}", first.snippet());
    let made = caches().await;
    assert!(made.iter().all(|k| k.len() == 1), "one cache of each kind");
    for r in made.iter().flatten() {
        let sealed = r.sealed.ciphertext();
        assert!(!sealed.windows(4).any(|w| w == b"mood") && !sealed.windows(4).any(|w| w == b"feet"), "sealed");
    }
    // Read again with nothing changed: the same cache record, not sealed again.
    same(&mut c).await;
    assert_eq!(caches().await, made, "nothing changed, nothing written");
    // A check-in changed the same day, and one deleted: shown at once.
    let ids = crate::today::checkin_ids(&c.get("/today").await.body);
    c.post(&format!("/today/{}", ids[0]), &[("mood", "1"), ("day", &iso_day(today))])
        .await
        .assert_status(303);
    let changed = same(&mut c).await;
    assert!(tables(&changed.body)[0].contains("<td>Very low</td><td>Very low</td>"), "{}", changed.snippet());
    c.post(&format!("/today/{}/delete", ids[1]), &[]).await.assert_status(303);
    let rows = |b: &str| tables(b)[0].matches("<tr>").count();
    assert_eq!(rows(&same(&mut c).await.body), 2, "the deleted day is gone");
    // Two readers at once after a change (each may make a cache), then one more: one cache.
    c.post("/today/checkin", &[("mood", "5"), ("day", &iso_day(today - 2 * 86_400))])
        .await
        .assert_status(303);
    let me = app.me(&c).await;
    let (a, b) = tokio::join!(
        app.trellis.progress(&me).checkin_trends(None),
        app.trellis.progress(&me).checkin_trends(None)
    );
    let (a, b) = (a.expect("a"), b.expect("b"));
    assert_eq!(a[0].answers, b[0].answers);
    assert_eq!(a[0].answers.len(), 3);
    assert_eq!(rows(&same(&mut c).await.body), 3);
    assert!(caches().await.iter().all(|k| k.len() == 1), "one cache of each kind");
    // A cache that does not open (another version, or damaged) is made again.
    let mut broken = caches().await.remove(0).remove(0);
    broken.sealed = trellis_core::store::Sealed::from_database(vec![1; 60], vec![2; 80]);
    app.store.save_record(&broken).await.expect("break it");
    assert_eq!(rows(&same(&mut c).await.body), 3);
}

async fn a_hobby_added_twice_at_once_is_kept_once_with_its_notes(app: &TestApp) {
    let c = app.set_up().await;
    let me = app.me(&c).await;
    let p = || app.trellis.progress(&me);
    let (a, b) = tokio::join!(p().add_hobby("Dancing"), p().add_hobby("Dancing"));
    let (a, b) = (a.expect("a").expect("kept"), b.expect("b").expect("kept"));
    assert_eq!(a, b, "one record");
    assert_eq!(p().hobbies().await.expect("list").len(), 1);
    let day = trellis_core::clock::Day::of_unix(app.trellis.now());
    p().note_hobby(&a, day, "light and silly").await.expect("note").expect("found").expect("kept");
    // Added again later, in other letters: the one kept, its note still there.
    assert_eq!(p().add_hobby(" dancing ").await.expect("again").expect("kept"), a);
    let kept = p().hobbies().await.expect("list");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].value.notes.len(), 1);
    // Another person's "Dancing" is another record.
    let other = app.second_account(NEW_PASS).await;
    let them = app.me(&other).await;
    let theirs = app.trellis.progress(&them).add_hobby("Dancing").await.expect("add").expect("kept");
    assert_ne!(theirs, a);
}

/// Owned fields as the client sends them.
fn send(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn answers_given_as_the_session_locks_wait_for_unlock_and_are_kept_once(app: &TestApp) {
    use crate::today::hidden;
    let mut c = app.set_up().await;
    let form = c.get("/progress/pcl5/start").await;
    assert!(form.has(r#"data-keep-on-lock="/progress/pcl5/lock""#));
    let attempt = hidden(&form, "attempt").expect("the form's token");
    // The person answers slowly; the session locks itself meanwhile.
    app.clock.advance(10 * 60 + 1);
    let mut fields: Vec<(String, String)> = ALL_TWOS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    fields.push(("attempt".to_owned(), attempt.clone()));
    let pairs = |f: &[(String, String)]| f.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let before = app.digest().await;
    let r = c.post("/progress/pcl5", &send(&fields)).await;
    r.assert_status(200);
    r.assert_calm_page("Unlock to save your answers");
    assert!(r.has("locked themselves after a quiet while"));
    for n in 1..=20 {
        assert_eq!(hidden(&r, &format!("a{n}")).as_deref(), Some("2"), "answer {n} rides along");
    }
    assert_eq!(hidden(&r, "attempt").as_deref(), Some(attempt.as_str()));
    assert_eq!(before.get("records"), app.digest().await.get("records"), "nothing kept while locked");
    // A wrong passphrase: calm, the answers still carried; then the right one keeps the result.
    let mut carried = pairs(&fields);
    carried.push(("passphrase".to_owned(), "not the right one at all".to_owned()));
    let r = c.post("/progress/pcl5/unlock", &send(&carried)).await;
    r.assert_status(401);
    assert_eq!(hidden(&r, "a20").as_deref(), Some("2"));
    carried.pop();
    carried.push(("passphrase".to_owned(), PASS.to_owned()));
    let r = c.post("/progress/pcl5/unlock", &send(&carried)).await;
    r.assert_status(303);
    let at = r.header("location").expect("to the result").to_owned();
    assert!(c.get(&at).await.has("40"), "the total of twenty twos");
    // The same form sent again (a double click, a resend): one result, not two.
    let again = c.post("/progress/pcl5", &send(&fields)).await;
    again.assert_redirect(&at);
    let me = app.me(&c).await;
    assert_eq!(app.trellis.progress(&me).pcl5_results().await.expect("results").len(), 1);
    // The page's own auto-lock: the session ends, the answers wait on the unlock page.
    let r = c.post("/progress/pcl5/lock", &[("timeframe", "week"), ("a3", "4")]).await;
    r.assert_status(200);
    assert_eq!(hidden(&r, "a3").as_deref(), Some("4"));
    assert!(c.session_cookie().is_none() && app.sessions().await.is_empty(), "locked");
    // Nothing answered: just the unlock page.
    c.post("/progress/pcl5", &[("timeframe", "month")]).await.assert_redirect("/unlock");
}

on_both_databases!(
    answers_given_as_the_session_locks_wait_for_unlock_and_are_kept_once,
    a_hobby_added_twice_at_once_is_kept_once_with_its_notes,
    everything_is_read_through_a_sealed_cache_that_is_never_stale,
    three_hobbies_ten_minutes_a_note_and_the_joy_jar_on_a_hard_day,
    the_therapist_summary_holds_only_what_was_chosen_and_keeps_nothing,
    wins_gather_small_things_and_good_words_newest_first_never_counted,
    trends_draw_a_smoothed_line_with_a_table_and_skipped_days_change_nothing,
    a_self_check_is_scored_with_its_groups_the_change_and_help_beside_it,
    bad_answers_are_a_calm_400_keeping_every_answer,
    another_persons_result_is_a_404_and_stays,
);
