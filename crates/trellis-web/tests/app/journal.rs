//! Journal (issue 4), end to end over HTTP on the real router and store: write, view, edit and
//! delete every kind of entry; search and filters; whole-day pages; drafts that survive a
//! lock; typing keeps the session alive; bad input answered calmly with every word kept;
//! HTML shown as text; another account's ids refused with 404 and nothing changed; canary
//! text never stored in clear (SQLite file, WAL and shared memory; `pg_dump`); resurfacing
//! only when turned on.
//!
//! Tests marked "both databases" run on SQLite and, when `TRELLIS_TEST_DATABASE_URL` is set,
//! on PostgreSQL (see `scripts/with-postgres`).

use crate::harness;

use std::collections::BTreeSet;

use crate::harness::{
    capture_logs, count, scan_sqlite_open_and_closed, Client, Resp, TestApp, NEW_PASS, PASS,
};
use trellis_core::clock::{day_of, iso_day, Clock};
use trellis_core::journal::{EntryInput, EntryKind, JournalPrefs, MAX_ENTRY_CHARS};
use trellis_core::Unlocked;

use crate::route_table::{Expect::{Page, To}, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/journal", To("/unlock"), Page(200)),
    Route::post("/journal", &[("kind", "free"), ("text", " ")], To("/unlock"), Page(400))
        .would_change(&[("kind", "free"), ("text", "Changed by someone else")]),
    Route::get("/journal/new", To("/unlock"), Page(200)),
    Route::post("/journal/draft", &[("form", "nonsense")], To("/unlock"), Page(400)),
    Route::post("/journal/draft/discard", &[("form", "nonsense")], To("/unlock"), Page(400)),
    Route::get("/journal/settings", To("/unlock"), Page(200)),
    Route::post("/journal/settings", &[], To("/unlock"), To("/journal/settings?saved"))
        .would_change(&[("resurface", "on")]),
    Route::get("/journal/{id}", To("/unlock"), Page(404)),
    Route::post("/journal/{id}", &[("text", "x")], To("/unlock"), Page(404)),
    Route::get("/journal/{id}/edit", To("/unlock"), Page(404)),
    Route::get("/journal/{id}/delete", To("/unlock"), Page(404)),
    Route::post("/journal/{id}/delete", &[], To("/unlock"), Page(404)),
];

const DAY: i64 = 86_400;

on_both_databases!(
    three_qualities_are_offered_in_the_morning_only_when_turned_on,
    every_kind_can_be_written_viewed_edited_and_deleted,
    another_accounts_ids_are_refused_and_nothing_changes,
    search_and_filters_find_the_right_entries,
    pages_hold_whole_days_and_visit_everything_once,
    a_draft_survives_a_lock_and_goes_when_the_entry_is_saved,
    typing_keeps_the_session_alive,
    bad_input_is_answered_calmly_with_every_word_kept,
    html_and_script_are_shown_as_text,
    a_past_good_moment_appears_on_a_hard_day_only_when_turned_on,
    journal_forms_need_the_page_token,
    a_lost_or_damaged_digest_never_hides_an_entry,
    a_busy_month_is_digested_in_small_chunks,
    hard_moments_are_folded_away_in_lists,
);

// --- helpers ---------------------------------------------------------------------------------

/// The form fields for a new entry of `kind`, each box filled with `words` and its name.
fn fields_for(kind: EntryKind, words: &str) -> Vec<(String, String)> {
    let mut f = vec![("kind".to_owned(), kind.key().to_owned())];
    for field in kind.fields() {
        f.push((field.name.to_owned(), format!("{words} in {}", field.name)));
    }
    f
}

fn as_refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The id in a `303 /journal/{id}?saved`.
#[track_caller]
fn saved_id(r: &Resp) -> String {
    assert_eq!(
        r.status.as_u16(),
        303,
        "expected a redirect after saving: {}",
        r.snippet()
    );
    let to = r.header("location").expect("location");
    let id = to
        .strip_prefix("/journal/")
        .and_then(|s| s.strip_suffix("?saved"))
        .unwrap_or_else(|| panic!("{to}"));
    assert_eq!(id.len(), 32, "{to}");
    id.to_owned()
}

/// Entry ids linked from a page, in order (each once).
fn entry_ids(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for chunk in body.split("href=\"/journal/").skip(1) {
        let id: String = chunk.chars().take_while(char::is_ascii_hexdigit).collect();
        if id.len() == 32 && chunk[32..].starts_with('"') && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// The "Older entries" link of a list page, unescaped.
fn older_link(r: &Resp) -> Option<String> {
    let i = r.body.find("\">Older entries</a>")?;
    let start = r.body[..i].rfind("href=\"")? + "href=\"".len();
    Some(harness::unescape(&r.body[start..i]))
}

/// The unlocked session behind a browser, for calling use cases directly.
async fn unlocked(app: &TestApp, c: &Client) -> Unlocked {
    let cookie = c.session_cookie().expect("unlocked browser");
    app.trellis
        .authenticate(&cookie)
        .await
        .expect("authenticate")
        .expect("a live session")
}

fn input(kind: EntryKind, texts: &[(&str, &str)], day: i64) -> EntryInput {
    EntryInput {
        kind,
        texts: texts
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        day: iso_day(day),
        ..EntryInput::default()
    }
}

// --- write, view, edit, delete ---------------------------------------------------------------

async fn every_kind_can_be_written_viewed_edited_and_deleted(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/journal").await;
    r.assert_calm_page("Nothing here yet");
    let r = c.get("/journal/new").await;
    for kind in EntryKind::ALL {
        assert!(
            r.has(kind.name()) && r.has(kind.prompt()),
            "{kind:?} offered with its prompt"
        );
        assert!(r
            .body
            .contains(&format!("/journal/new?kind={}", kind.key())));
    }
    let today = iso_day(day_of(app.clock.now()));
    for kind in EntryKind::ALL {
        let r = c.get(&format!("/journal/new?kind={}", kind.key())).await;
        r.assert_status(200);
        assert!(r.has(kind.prompt()));
        assert_eq!(
            r.input_value("day").as_deref(),
            Some(today.as_str()),
            "the day defaults to today"
        );
        for field in kind.fields() {
            assert!(
                r.body.contains(&format!("name=\"{}\"", field.name)),
                "{kind:?} has {}",
                field.name
            );
        }
        let mut fields = fields_for(kind, "First words");
        fields.push(("mood".into(), "4".into()));
        fields.push(("tags".into(), "evening, Walk ,evening".into()));
        let id = saved_id(&c.post("/journal", &as_refs(&fields)).await);

        let r = c.get(&format!("/journal/{id}?saved")).await;
        r.assert_calm_page("Saved.");
        assert!(r.has(kind.name()));
        for field in kind.fields() {
            assert!(
                r.has(&format!("First words in {}", field.name)),
                "{kind:?} shows {}",
                field.name
            );
            assert!(r.has(field.label));
        }
        assert!(
            r.body.contains("<strong>Mood:</strong> Good</p>"),
            "mood in words (4 is Good on the one scale)"
        );
        assert!(r.has("evening") && r.has("Walk"));
        assert_eq!(
            count(r.body.as_bytes(), b">evening</a>"),
            1,
            "a repeated tag is kept once"
        );

        let list = c.get("/journal").await;
        assert!(entry_ids(&list.body).contains(&id));
        assert!(
            list.has(&format!("in {}", kind.fields()[0].name)),
            "the list previews the text"
        );

        // Edit: the form holds the saved words; changes are saved.
        let r = c.get(&format!("/journal/{id}/edit")).await;
        r.assert_status(200);
        assert!(r.has(&format!("First words in {}", kind.fields()[0].name)));
        assert_eq!(r.input_value("tags").as_deref(), Some("evening, Walk"));
        let mut changed: Vec<(String, String)> = kind
            .fields()
            .iter()
            .map(|f| (f.name.to_owned(), format!("Changed words in {}", f.name)))
            .collect();
        changed.push(("tags".into(), "morning".into()));
        changed.push(("day".into(), "2024-02-29".into()));
        let r = c.post(&format!("/journal/{id}"), &as_refs(&changed)).await;
        assert_eq!(saved_id(&r), id);
        let r = c.get(&format!("/journal/{id}")).await;
        assert!(r.has(&format!("Changed words in {}", kind.fields()[0].name)));
        assert!(!r.has("First words"));
        assert!(r.has("Thursday 29 February 2024"), "the day changed");
        assert!(r.has("morning") && !r.has(">evening<"));
        assert!(!r.has("Mood:"), "the mood was cleared");

        // Delete asks once, then deletes.
        let before = app.digest().await;
        let r = c.get(&format!("/journal/{id}/delete")).await;
        r.assert_calm_page("Delete this entry?");
        assert!(r.has("Changed words"));
        assert_eq!(before, app.digest().await, "asking changes nothing");
        let r = c.post(&format!("/journal/{id}/delete"), &[]).await;
        r.assert_redirect("/journal?deleted");
        c.get("/journal?deleted")
            .await
            .assert_calm_page("The entry was deleted.");
        c.get(&format!("/journal/{id}")).await.assert_status(404);
        c.post(&format!("/journal/{id}/delete"), &[])
            .await
            .assert_status(404);
    }
    assert!(c.get("/journal").await.has("Nothing here yet"));
}

// --- authorisation ---------------------------------------------------------------------------

async fn another_accounts_ids_are_refused_and_nothing_changes(app: &TestApp) {
    let mut a = app.set_up().await;
    let fields = fields_for(EntryKind::KinderThought, "Private words of A");
    let theirs = saved_id(&a.post("/journal", &as_refs(&fields)).await);
    a.post(
        "/journal/draft",
        &[
            ("form", &format!("edit:{theirs}")),
            ("harsh", "A's half-typed change"),
        ],
    )
    .await
    .assert_status(204);
    let profile_id = {
        a.post("/settings/name", &[("display_name", "A")])
            .await
            .assert_redirect("/settings");
        app.profile_records().await[0].id.to_string()
    };
    // A's own profile record is not an entry: 404 for A too.
    a.get(&format!("/journal/{profile_id}"))
        .await
        .assert_status(404);
    a.post(&format!("/journal/{profile_id}/delete"), &[])
        .await
        .assert_status(404);

    let mut b = app.second_account(NEW_PASS).await;
    let mine = saved_id(
        &b.post(
            "/journal",
            &as_refs(&fields_for(EntryKind::Free, "B's own")),
        )
        .await,
    );
    let before = app.digest().await;
    for id in [
        theirs.as_str(),
        profile_id.as_str(),
        "0123456789abcdef0123456789abcdef",
        "not-an-id",
        "%FF%FE",
    ] {
        for path in [
            format!("/journal/{id}"),
            format!("/journal/{id}/edit"),
            format!("/journal/{id}/delete"),
        ] {
            let r = b.get(&path).await;
            assert_eq!(r.status.as_u16(), 404, "GET {path}: {}", r.snippet());
            r.assert_calm_page("We couldn't find that page");
            assert!(!r.has("Private words"), "GET {path}");
        }
        let posts: Vec<(String, Vec<(String, String)>)> = vec![
            (
                format!("/journal/{id}"),
                vec![("harsh".into(), "overwritten by B".into())],
            ),
            (format!("/journal/{id}/delete"), vec![]),
            (
                "/journal/draft".into(),
                vec![
                    ("form".into(), format!("edit:{id}")),
                    ("harsh".into(), "B's draft".into()),
                ],
            ),
            (
                "/journal/draft/discard".into(),
                vec![("form".into(), format!("edit:{id}"))],
            ),
        ];
        for (path, form) in posts {
            let r = b.post(&path, &as_refs(&form)).await;
            let want = if path.starts_with("/journal/draft") && not_an_id(id) {
                400
            } else {
                404
            };
            assert_eq!(
                r.status.as_u16(),
                want,
                "POST {path} with {id}: {}",
                r.snippet()
            );
        }
        assert_eq!(
            before,
            app.digest().await,
            "B's requests with {id} changed something"
        );
    }
    // B sees only B's entries, in the list and in every search.
    for path in [
        "/journal",
        "/journal?q=private",
        "/journal?q=words",
        "/journal?kind=kinder_thought",
        "/journal/new",
    ] {
        let r = b.get(path).await;
        assert!(!r.has("Private words") && !r.has("half-typed"), "{path}");
        assert!(!entry_ids(&r.body).contains(&theirs), "{path}");
    }
    assert_eq!(
        entry_ids(&b.get("/journal").await.body),
        std::slice::from_ref(&mine)
    );
    // And A still has everything, including the draft.
    let r = a.get(&format!("/journal/{theirs}/edit")).await;
    assert!(r.has("A's half-typed change") && r.has("We kept what you were writing"));
    a.get(&format!("/journal/{mine}")).await.assert_status(404);
    a.post(&format!("/journal/{mine}/delete"), &[])
        .await
        .assert_status(404);
    b.get(&format!("/journal/{mine}")).await.assert_status(200);
}

/// Ids that are not even ids make the draft form unreadable (400) rather than unknown (404).
fn not_an_id(id: &str) -> bool {
    trellis_core::ids::RecordId::parse(id).is_none()
}

// --- search and filters ----------------------------------------------------------------------

async fn search_and_filters_find_the_right_entries(app: &TestApp) {
    let mut c = app.set_up().await;
    let mut ids = Vec::new();
    for fields in [
        vec![
            ("kind", "free"),
            ("text", "Walked past the Lighthouse at dusk"),
            ("tags", "Sea, evening"),
        ],
        vec![
            ("kind", "kinder_thought"),
            ("harsh", "i never get anything right"),
            ("kinder", "I got the LIGHTHOUSE photo right"),
        ],
        vec![
            ("kind", "reaction"),
            ("body", "Shoulders tight"),
            ("what_helped", "An ÉCLAIR and a slow walk"),
            ("tags", "garden"),
        ],
        vec![("kind", "good_moments"), ("moment2", "Sun in the garden")],
    ] {
        ids.push(saved_id(&c.post("/journal", &fields).await));
    }
    let found = |r: &Resp| entry_ids(&r.body).into_iter().collect::<BTreeSet<_>>();
    let set = |idx: &[usize]| idx.iter().map(|i| ids[*i].clone()).collect::<BTreeSet<_>>();

    let r = c.get("/journal?q=lighthouse").await;
    r.assert_calm_page("Found in 2 entries.");
    assert_eq!(found(&r), set(&[0, 1]), "any case, any box");
    assert_eq!(
        r.input_value("q").as_deref(),
        Some("lighthouse"),
        "the words stay in the box"
    );
    assert_eq!(
        found(&c.get("/journal?q=%C3%A9clair").await),
        set(&[2]),
        "non-ASCII, any case"
    );
    assert_eq!(
        found(&c.get("/journal?q=GARDEN").await),
        set(&[2, 3]),
        "tags and text"
    );
    assert_eq!(
        found(&c.get("/journal?tag=Garden").await),
        set(&[2]),
        "a tag, any case"
    );
    assert_eq!(
        found(&c.get("/journal?tag=gard").await),
        set(&[]),
        "a tag is matched whole"
    );
    assert_eq!(found(&c.get("/journal?kind=reaction").await), set(&[2]));
    assert_eq!(
        found(&c.get("/journal?kind=free&q=lighthouse").await),
        set(&[0])
    );
    assert_eq!(
        found(&c.get("/journal?kind=free&tag=sea&q=dusk").await),
        set(&[0])
    );
    assert_eq!(
        found(&c.get("/journal?q=never%20get").await),
        set(&[1]),
        "phrases with spaces"
    );
    let r = c.get("/journal?q=submarine").await;
    r.assert_calm_page("Nothing matched");
    assert!(found(&r).is_empty());
    // Unreadable values are ignored: an unknown kind shows everything, a bad day the first page.
    assert_eq!(
        found(&c.get("/journal?kind=nonsense").await),
        set(&[0, 1, 2, 3])
    );
    assert_eq!(
        found(&c.get("/journal?before=not-a-day").await),
        set(&[0, 1, 2, 3])
    );
    assert_eq!(
        found(&c.get("/journal?q=&&=&kind=&tag=%20").await),
        set(&[0, 1, 2, 3])
    );
    c.get("/journal?q=%ZZ%")
        .await
        .assert_calm_page("Nothing matched");
    // A tag on an entry links to the entries with that tag.
    let r = c.get(&format!("/journal/{}", ids[0])).await;
    assert!(
        r.body.contains("href=\"/journal?tag=Sea\""),
        "{}",
        r.snippet()
    );
    // Search words in the page are escaped.
    let r = c
        .get("/journal?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert!(!r.body.contains("<script>alert(1)"));
    assert!(
        r.body.contains("&#60;script&#62;alert(1)"),
        "escaped by the template"
    );
    assert_eq!(
        r.input_value("q").as_deref(),
        Some("<script>alert(1)</script>")
    );
}

/// Where `words` appear in `body` outside a closed `<details>` (none = every one is folded).
fn shown_outside_closed_details(body: &str, words: &str) -> Vec<usize> {
    body.match_indices(words)
        .map(|(at, _)| at)
        .filter(|&at| {
            let before = &body[..at];
            let inside = before.rfind("<details").is_some_and(|open| {
                let tag = &before[open..open + before[open..].find('>').unwrap()];
                !before[open..].contains("</details>") && !tag.contains(" open")
            });
            !inside
        })
        .collect()
}

/// Both databases. A hard moment ("A hard moment", kind `reaction`) shows only its title in
/// the list and in search results, its words, mood and tags inside a closed `<details>`;
/// other entries show their preview; the entry's own page shows it all.
async fn hard_moments_are_folded_away_in_lists(app: &TestApp) {
    let mut c = app.set_up().await;
    let hard = saved_id(
        &c.post(
            "/journal",
            &[
                ("kind", "reaction"),
                ("what_happened", "The loud door downstairs"),
                ("body", "Heart racing by the window"),
                ("mood", "1"),
                ("tags", "flashback"),
            ],
        )
        .await,
    );
    let good = saved_id(
        &c.post(
            "/journal",
            &[("kind", "good_moments"), ("moment1", "Tea on the window seat")],
        )
        .await,
    );
    for path in ["/journal", "/journal?q=window", "/journal?kind=reaction"] {
        let r = c.get(path).await;
        r.assert_status(200);
        assert!(entry_ids(&r.body).contains(&hard), "{path} lists it");
        assert!(
            r.body.contains(&format!("<a href=\"/journal/{hard}\">A hard moment</a>")),
            "{path}: its title line is shown"
        );
        assert!(
            r.body.contains("<summary>A hard moment — show</summary>"),
            "{path}: {}",
            r.snippet()
        );
        for words in [
            "The loud door downstairs",
            "Heart racing",
            "Mood: Very low",
            ">flashback<",
        ] {
            assert!(r.body.contains(words), "{path}: {words} is there, folded");
            assert_eq!(
                shown_outside_closed_details(&r.body, words),
                Vec::<usize>::new(),
                "{path}: {words} is shown unfolded"
            );
        }
        if path != "/journal?kind=reaction" {
            assert!(entry_ids(&r.body).contains(&good));
            assert!(
                r.body.contains("<p class=\"preview\">Tea on the window seat</p>"),
                "{path}: a good moment shows its preview"
            );
            assert!(
                !shown_outside_closed_details(&r.body, "Tea on the window seat").is_empty(),
                "{path}: not folded"
            );
        }
    }
    // Its own page shows everything, unfolded.
    let r = c.get(&format!("/journal/{hard}")).await;
    r.assert_status(200);
    for words in ["The loud door downstairs", "Heart racing by the window", "flashback"] {
        assert!(
            !shown_outside_closed_details(&r.body, words).is_empty(),
            "{words} on the entry's page"
        );
    }
    assert!(!r.body.contains("<details"));
}

async fn search_river(c: &mut Client) -> BTreeSet<String> {
    entry_ids(&c.get("/journal?q=RIVER").await.body)
        .into_iter()
        .collect()
}

/// The sealed search digests (one per month): losing or damaging one never hides an entry,
/// a GET never writes to repair it, and the next write in that month rebuilds it.
async fn a_lost_or_damaged_digest_never_hides_an_entry(app: &TestApp) {
    let mut c = app.set_up().await;
    let me = unlocked(app, &c).await;
    let today = day_of(app.clock.now());
    let account = app.account().await.id;
    let mut ids = Vec::new();
    for (back, words) in [
        (0, "alpha river"),
        (1, "beta river"),
        (40, "gamma river"),
        (80, "delta river"),
    ] {
        let e = input(EntryKind::Free, &[("text", words)], today - back * DAY);
        ids.push(
            app.trellis
                .journal(&me).add(&e)
                .await
                .expect("add")
                .to_string(),
        );
    }
    let digests = app
        .store
        .records_of_kind(&account, "journal_index")
        .await
        .unwrap();
    assert!(
        (3..=4).contains(&digests.len()),
        "one digest per month: {}",
        digests.len()
    );
    let all: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(search_river(&mut c).await, all);

    // Lose one digest, damage another: every entry is still found, and GET writes nothing.
    app.store
        .delete_record(&account, &digests[0].id)
        .await
        .unwrap();
    let mut damaged = digests[1].clone();
    let (enc_cek, mut ciphertext) = damaged.sealed.into_parts();
    let last = ciphertext.len() - 1;
    ciphertext[last] ^= 1;
    damaged.sealed = trellis_core::store::Sealed::from_database(enc_cek, ciphertext);
    app.store.save_record(&damaged).await.unwrap();
    let before = app.digest().await;
    assert_eq!(
        search_river(&mut c).await,
        all,
        "missing and damaged months are searched entry by entry"
    );
    assert!(c.get("/journal?q=gamma").await.has("Found in 1 entry."));
    assert_eq!(before, app.digest().await, "a search never writes");

    // A digest that disagrees with the entries (an entry saved behind its back) is not trusted.
    let sneaky = input(EntryKind::Free, &[("text", "epsilon river")], today);
    let stale_before = app
        .store
        .records_of_kind(&account, "journal_index")
        .await
        .unwrap();
    let id = app
        .trellis
        .journal(&me).add(&sneaky)
        .await
        .unwrap()
        .to_string();
    for r in &stale_before {
        app.store.save_record(r).await.unwrap();
    }
    let mut everything = all.clone();
    everything.insert(id);
    assert_eq!(
        search_river(&mut c).await,
        everything,
        "an entry missing from its digest is still found"
    );

    // The next write in each month rebuilds its digest.
    for back in [0, 1, 40, 80] {
        let e = input(EntryKind::Free, &[("text", "zeta")], today - back * DAY);
        app.trellis.journal(&me).add(&e).await.unwrap();
    }
    let rebuilt = app
        .store
        .records_of_kind(&account, "journal_index")
        .await
        .unwrap();
    assert_eq!(rebuilt.len(), digests.len());
    assert_eq!(search_river(&mut c).await, everything);
    assert!(c.get("/journal?q=zeta").await.has("Found in 4 entries."));
}

/// The sealed digest chunks of this account, by id, with their sealed bytes.
async fn chunks(app: &TestApp) -> std::collections::BTreeMap<String, Vec<u8>> {
    let account = app.account().await.id;
    app.store
        .records_of_kind(&account, "journal_index")
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.id.to_string(), r.sealed.ciphertext().to_vec()))
        .collect()
}

/// A month with hundreds of entries (what a long writing soak leaves): its digest is split
/// into chunks, a save re-seals only the chunk it touches, searches racing saves are
/// complete and never fall back to opening the month entry by entry, and a damaged chunk
/// hides nothing.
async fn a_busy_month_is_digested_in_small_chunks(app: &TestApp) {
    let logs = capture_logs();
    let mut c = app.set_up().await;
    let me = unlocked(app, &c).await;
    let today = day_of(app.clock.now());
    let mut rivers = BTreeSet::new();
    let mut first = None;
    for n in 0..300 {
        let words = if n % 3 == 0 {
            "a river day"
        } else {
            "a quiet day"
        };
        let e = input(EntryKind::Free, &[("text", words)], today);
        let id = app.trellis.journal(&me).add(&e).await.unwrap();
        if n % 3 == 0 {
            rivers.insert(id.to_string());
        }
        first.get_or_insert(id);
    }
    let first = first.unwrap();
    let before = chunks(app).await;
    assert_eq!(before.len(), 3, "300 entries in chunks of at most 128");
    assert!(c.get("/journal?q=river").await.has("Found in 100 entries."));

    // Editing one entry re-seals one chunk; the others are untouched.
    let r = c
        .post(
            &format!("/journal/{first}"),
            &[("text", "a calm day"), ("day", &iso_day(today))],
        )
        .await;
    assert_eq!(saved_id(&r), first.to_string());
    assert!(c.get("/journal?q=river").await.has("Found in 99 entries."));
    let after = chunks(app).await;
    assert_eq!(after.len(), 3);
    let changed = before
        .iter()
        .filter(|(id, bytes)| after.get(*id) != Some(bytes))
        .count();
    assert_eq!(changed, 1, "only the chunk holding the entry was re-sealed");

    // Searches racing saves in the same month: each sees every entry saved before it began,
    // and none has to open the month entry by entry.
    let stale_before = count(&logs.bytes(), b"journal_index_stale");
    let writer = async {
        let mut added = Vec::new();
        for _ in 0..40 {
            let e = input(EntryKind::Free, &[("text", "another river day")], today);
            added.push(app.trellis.journal(&me).add(&e).await.unwrap());
        }
        added
    };
    let searcher = async {
        let mut seen = Vec::new();
        for _ in 0..20 {
            let hits = app
                .trellis
                .journal(&me).search(
                    &trellis_core::journal::JournalFilter::new("", "", "river"),
                    None,
                )
                .await
                .unwrap();
            seen.push(hits.found.unwrap());
        }
        seen
    };
    let (added, seen) = tokio::join!(writer, searcher);
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]) && seen.iter().all(|n| (99..=139).contains(n)),
        "{seen:?}"
    );
    assert_eq!(
        count(&logs.bytes(), b"journal_index_stale"),
        stale_before,
        "no search fell back to opening entries one by one"
    );
    rivers.remove(&first.to_string());
    rivers.extend(added.iter().map(ToString::to_string));
    assert!(c.get("/journal?q=river").await.has("Found in 139 entries."));

    // A damaged chunk: its month is searched entry by entry, nothing is hidden.
    let account = app.account().await.id;
    let mut damaged = app
        .store
        .records_of_kind(&account, "journal_index")
        .await
        .unwrap()
        .remove(0);
    let (enc_cek, mut ciphertext) = damaged.sealed.into_parts();
    let last = ciphertext.len() - 1;
    ciphertext[last] ^= 1;
    damaged.sealed = trellis_core::store::Sealed::from_database(enc_cek, ciphertext);
    app.store.save_record(&damaged).await.unwrap();
    assert!(c.get("/journal?q=river").await.has("Found in 139 entries."));
    // The next save in the month rebuilds it: all chunks open again.
    let e = input(EntryKind::Free, &[("text", "a last river day")], today);
    app.trellis.journal(&me).add(&e).await.unwrap();
    let stale_before = count(&logs.bytes(), b"journal_index_stale");
    assert!(c.get("/journal?q=river").await.has("Found in 140 entries."));
    assert_eq!(count(&logs.bytes(), b"journal_index_stale"), stale_before);
    assert_eq!(chunks(app).await.len(), 3, "341 entries in three chunks");
}

// --- pages -----------------------------------------------------------------------------------

async fn pages_hold_whole_days_and_visit_everything_once(app: &TestApp) {
    let mut c = app.set_up().await;
    let me = unlocked(app, &c).await;
    let today = day_of(app.clock.now());
    // Newest first: 20 entries today, 20 the day before, then 35 on one day, then 3 more.
    let plan: [(i64, usize); 4] = [(0, 20), (1, 20), (5, 35), (9, 3)];
    let mut all = BTreeSet::new();
    for (back, n) in plan {
        for i in 0..n {
            let e = input(
                EntryKind::Free,
                &[("text", &format!("paged entry {back}-{i}"))],
                today - back * DAY,
            );
            all.insert(
                app.trellis
                    .journal(&me).add(&e)
                    .await
                    .expect("add")
                    .to_string(),
            );
            app.clock.advance(1);
        }
    }
    for (path, expected) in [
        ("/journal", [20, 20, 35, 3]),
        ("/journal?q=paged", [20, 20, 35, 3]),
    ] {
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        let mut next = Some(path.to_owned());
        while let Some(p) = next {
            let r = c.get(&p).await;
            r.assert_status(200);
            let ids = entry_ids(&r.body);
            sizes.push(ids.len());
            assert!(sizes.len() < 10, "paging never ends");
            seen.extend(ids);
            next = older_link(&r);
        }
        assert_eq!(
            sizes, expected,
            "{path}: pages end at a day's end; a big day is shown whole"
        );
        assert_eq!(seen.len(), all.len(), "{path}: each entry once");
        assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), all, "{path}");
    }
    // Within a day, the latest written comes first; days are headed.
    let r = c.get("/journal").await;
    let first = r.body.find("paged entry 0-19").expect("newest");
    let last = r.body.find("paged entry 0-0").expect("oldest of today");
    assert!(first < last, "latest written first");
    assert!(r.has(&format!("id=\"day-{}\"", iso_day(today))));
}

// --- drafts and the auto-lock ----------------------------------------------------------------

async fn a_draft_survives_a_lock_and_goes_when_the_entry_is_saved(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/journal/new?kind=reaction").await;
    assert!(r.body.contains("data-draft=\"new:reaction\""));
    assert!(
        r.body.contains("data-idle-seconds=\"600\""),
        "the script gets the auto-lock time"
    );
    assert!(
        r.body.contains("<body data-idle-seconds=\"0\""),
        "the layout's own timer is off while writing"
    );
    c.post(
        "/journal/draft",
        &[
            ("form", "new:reaction"),
            ("what_happened", "Half a thought about the lift"),
            ("tags", "work"),
            ("mood", "2"),
        ],
    )
    .await
    .assert_status(204);
    // Replaced as they type: still one draft.
    c.post(
        "/journal/draft",
        &[
            ("form", "new:reaction"),
            ("what_happened", "Half a thought about the lift, and more"),
            ("tags", "work"),
            ("mood", "2"),
        ],
    )
    .await
    .assert_status(204);
    assert_eq!(
        app.trellis
            .journal(&unlocked(app, &c).await).drafts()
            .await
            .unwrap()
            .len(),
        1
    );

    c.lock().await;
    c.get("/journal/new?kind=reaction")
        .await
        .assert_redirect("/unlock");
    c.unlock_ok(PASS).await;
    let r = c.get("/journal").await;
    assert!(r.has("Still writing") && r.body.contains("/journal/new?kind=reaction"));
    assert!(c.get("/journal/new").await.has("Unfinished"));
    let r = c.get("/journal/new?kind=reaction").await;
    r.assert_calm_page("We kept what you were writing.");
    assert!(r.has("Half a thought about the lift, and more"));
    assert_eq!(r.input_value("tags").as_deref(), Some("work"));
    assert!(r.body.contains("value=\"2\" checked"), "the mood too");
    // Other kinds start blank.
    assert!(!c.get("/journal/new?kind=free").await.has("Half a thought"));

    // Saving the entry removes the draft.
    let id = saved_id(
        &c.post(
            "/journal",
            &[
                ("kind", "reaction"),
                ("what_happened", "Half a thought about the lift, and more"),
            ],
        )
        .await,
    );
    assert!(!c.get("/journal").await.has("Still writing"));
    assert!(!c.get("/journal/new?kind=reaction").await.has("We kept"));

    // Editing has its own draft; "start again" throws it away.
    c.post(
        "/journal/draft",
        &[("form", &format!("edit:{id}")), ("body", "Heart racing")],
    )
    .await
    .assert_status(204);
    c.lock().await;
    c.unlock_ok(PASS).await;
    let r = c.get(&format!("/journal/{id}/edit")).await;
    assert!(r.has("We kept what you were writing.") && r.has("Heart racing"));
    c.post("/journal/draft/discard", &[("form", &format!("edit:{id}"))])
        .await
        .assert_redirect(&format!("/journal/{id}/edit"));
    let r = c.get(&format!("/journal/{id}/edit")).await;
    assert!(!r.has("Heart racing") && r.has("Half a thought about the lift"));

    // Deleting the entry removes a draft of its changes.
    c.post(
        "/journal/draft",
        &[("form", &format!("edit:{id}")), ("body", "Again")],
    )
    .await
    .assert_status(204);
    c.post(&format!("/journal/{id}/delete"), &[])
        .await
        .assert_redirect("/journal?deleted");
    assert!(app
        .trellis
        .journal(&unlocked(app, &c).await).drafts()
        .await
        .unwrap()
        .is_empty());

    // Only a few unfinished drafts are kept: the oldest go.
    for kind in EntryKind::ALL {
        c.post(
            "/journal/draft",
            &[("form", &format!("new:{}", kind.key())), ("text", "x")],
        )
        .await
        .assert_status(204);
        app.clock.advance(1);
    }
    assert_eq!(
        app.trellis
            .journal(&unlocked(app, &c).await).drafts()
            .await
            .unwrap()
            .len(),
        7
    );
}

async fn typing_keeps_the_session_alive(app: &TestApp) {
    let mut c = app.set_up().await;
    let idle = i64::from(app.account().await.idle_minutes) * 60;
    // Forty minutes of writing, a draft every few minutes: never locked.
    for i in 0..10 {
        app.clock.advance(idle - 120);
        c.post(
            "/journal/draft",
            &[("form", "new:free"), ("text", &format!("line {i}"))],
        )
        .await
        .assert_status(204);
    }
    assert!(app.clock.now() - harness::START > 4 * idle);
    let r = c.get("/journal/new?kind=free").await;
    r.assert_status(200);
    assert!(r.has("line 9"));
    // Then a quiet spell longer than the auto-lock: locked, and the words are kept.
    app.clock.advance(idle + 1);
    c.get("/journal").await.assert_redirect("/unlock?quiet");
    let r = c
        .post(
            "/journal/draft",
            &[("form", "new:free"), ("text", "after the lock")],
        )
        .await;
    r.assert_redirect("/unlock");
    c.unlock_ok(PASS).await;
    let r = c.get("/journal/new?kind=free").await;
    assert!(r.has("line 9") && !r.has("after the lock"));
}

// --- bad input -------------------------------------------------------------------------------

async fn bad_input_is_answered_calmly_with_every_word_kept(app: &TestApp) {
    let mut c = app.set_up().await;
    let id = saved_id(
        &c.post("/journal", &[("kind", "free"), ("text", "Kept safe")])
            .await,
    );
    let long = format!("The start. {}", "a".repeat(MAX_ENTRY_CHARS));
    let tags_21 = (0..21)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let tag_41 = "x".repeat(41);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("text", &long)], "can hold up to 20,000"),
        (
            vec![("text", "Mood words"), ("mood", "7")],
            "one of the words for how you feel",
        ),
        (
            vec![("text", "Mood words"), ("mood", "happy")],
            "one of the words for how you feel",
        ),
        (
            vec![("text", "Day words"), ("day", "2024-02-30")],
            "Please give a date",
        ),
        (
            vec![("text", "Day words"), ("day", "3000-01-01")],
            "Please give a date",
        ),
        (
            vec![("text", "Tag words"), ("tags", &tags_21)],
            "up to 20 tags",
        ),
        (
            vec![("text", "Tag words"), ("tags", &tag_41)],
            "up to 40 characters",
        ),
        (vec![("text", "   ")], "nothing written yet"),
    ];
    for (fields, words) in &cases {
        for (path, extra) in [
            ("/journal".to_owned(), Some(("kind", "free"))),
            (format!("/journal/{id}"), None),
        ] {
            let before = app.digest().await;
            let mut all: Vec<(&str, &str)> = extra.into_iter().collect();
            all.extend(fields.iter().copied());
            let r = c.post(&path, &all).await;
            assert_eq!(r.status.as_u16(), 400, "{path} {words}: {}", r.snippet());
            r.assert_calm_page(words);
            assert!(
                r.body.contains("class=\"notice\" role=\"alert\""),
                "{words}"
            );
            let text = fields
                .iter()
                .find(|(k, _)| *k == "text")
                .map(|(_, v)| *v)
                .unwrap_or("");
            if !text.trim().is_empty() {
                assert!(r.has(text), "{path} {words}: the words are kept in the box");
            }
            for (k, v) in fields {
                if *k == "tags" {
                    assert_eq!(
                        r.input_value("tags").as_deref(),
                        Some(*v),
                        "{words}: tags kept"
                    );
                }
            }
            assert_eq!(
                before,
                app.digest().await,
                "{path} {words}: nothing changed"
            );
        }
    }
    // An unknown kind cannot be saved; nor can a draft that is too long or for no form.
    let before = app.digest().await;
    c.post("/journal", &[("kind", "letters"), ("text", "x")])
        .await
        .assert_status(400);
    c.post("/journal", &[("text", "x")])
        .await
        .assert_status(400);
    let r = c
        .post("/journal/draft", &[("form", "new:free"), ("text", &long)])
        .await;
    r.assert_status(400);
    assert!(r.body.contains("20,000"));
    for form in ["", "new:letters", "edit:", "edit:zz", "free"] {
        c.post("/journal/draft", &[("form", form), ("text", "x")])
            .await
            .assert_status(400);
        c.post("/journal/draft/discard", &[("form", form)])
            .await
            .assert_status(400);
    }
    assert_eq!(before, app.digest().await, "refused drafts change nothing");
    // Exactly at the limit is fine, and nothing was lost from the entry saved before.
    let exactly = "b".repeat(MAX_ENTRY_CHARS);
    saved_id(
        &c.post("/journal", &[("kind", "free"), ("text", &exactly)])
            .await,
    );
    assert!(c.get(&format!("/journal/{id}")).await.has("Kept safe"));
}

async fn html_and_script_are_shown_as_text(app: &TestApp) {
    let mut c = app.set_up().await;
    let payload = r#"<script>alert("x")</script><img src=x onerror=alert(1)>"#;
    let escaped_tag = "&#60;script&#62;";
    let mut ids = Vec::new();
    for kind in EntryKind::ALL {
        let mut fields = fields_for(kind, payload);
        fields.push(("tags".into(), "<script>x</script>, <b>bold</b>".to_owned()));
        ids.push(saved_id(&c.post("/journal", &as_refs(&fields)).await));
        c.post(
            "/journal/draft",
            &[
                ("form", &format!("new:{}", kind.key())),
                (kind.fields()[0].name, payload),
            ],
        )
        .await
        .assert_status(204);
    }
    let mut pages = vec![
        "/journal".to_owned(),
        "/journal?q=script".to_owned(),
        "/journal?tag=%3Cb%3Ebold%3C%2Fb%3E".to_owned(),
    ];
    for (kind, id) in EntryKind::ALL.iter().zip(&ids) {
        pages.push(format!("/journal/{id}"));
        pages.push(format!("/journal/{id}/edit"));
        pages.push(format!("/journal/{id}/delete"));
        pages.push(format!("/journal/new?kind={}", kind.key()));
    }
    for page in pages {
        let r = c.get(&page).await;
        r.assert_status(200);
        assert!(
            !r.body.contains("<script>alert") && !r.body.contains("<script>x"),
            "{page}: a script tag got through"
        );
        assert!(
            !r.body.contains("<img src=x"),
            "{page}: an img tag got through"
        );
        assert!(!r.body.contains("<b>bold"), "{page}");
        assert!(r.body.contains(escaped_tag), "{page}: shown as text");
        assert!(
            r.has(payload)
                || page.contains("/delete")
                || page == "/journal"
                || page.starts_with("/journal?"),
            "{page}"
        );
    }
    let r = c.get("/journal?tag=%3Cb%3Ebold%3C%2Fb%3E").await;
    assert_eq!(
        entry_ids(&r.body).len(),
        EntryKind::ALL.len(),
        "tags with markup still work as tags"
    );
}

// --- resurfacing -----------------------------------------------------------------------------

async fn a_past_good_moment_appears_on_a_hard_day_only_when_turned_on(app: &TestApp) {
    let mut c = app.set_up().await;
    let r = c.get("/journal/settings").await;
    r.assert_calm_page("show me one of my own good moments");
    assert!(!r.body.contains("checked"), "off by default");
    let start_day = day_of(app.clock.now());
    saved_id(
        &c.post(
            "/journal",
            &[
                ("kind", "good_moments"),
                ("moment1", "Tea on the balcony"),
                ("moment3", "A kind text"),
            ],
        )
        .await,
    );
    saved_id(
        &c.post(
            "/journal",
            &[("kind", "free"), ("text", "Not a good moment entry")],
        )
        .await,
    );
    app.clock.advance(2 * DAY);
    c.unlock_ok(PASS).await;
    c.get("/journal").await.assert_status(200);

    let note = [("kind", "reaction"), ("body", "Racing heart")];
    let id = saved_id(&c.post("/journal", &note).await);
    let r = c.get(&format!("/journal/{id}?saved")).await;
    assert!(!r.has("Something you wrote"), "off: nothing is offered");
    let me = unlocked(app, &c).await;
    assert_eq!(
        app.trellis.journal(&me).good_moment_for_hard_day().await.unwrap(),
        None
    );

    c.post("/journal/settings", &[("resurface", "on")])
        .await
        .assert_redirect("/journal/settings?saved");
    let r = c.get("/journal/settings?saved").await;
    assert!(r.has("Saved.") && r.body.contains("checked"));
    let id = saved_id(&c.post("/journal", &note).await);
    let r = c.get(&format!("/journal/{id}?saved")).await;
    r.assert_calm_page("Something you wrote on");
    let day_words = {
        let fmt = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
        time::OffsetDateTime::from_unix_timestamp(start_day)
            .unwrap()
            .format(fmt)
            .unwrap()
    };
    assert!(r.has(&day_words), "with the day it was written");
    assert!(r.has("Tea on the balcony") || r.has("A kind text"));
    assert!(!r.has("Not a good moment entry"));
    assert!(
        r.body
            .contains(&format!("href=\"/journal/{id}\">Hide this")),
        "a way to dismiss"
    );
    // Only after saving, and only for a hard moment.
    assert!(!c
        .get(&format!("/journal/{id}"))
        .await
        .has("Something you wrote"));
    let calm = saved_id(
        &c.post(
            "/journal",
            &[("kind", "free"), ("text", "A fine day"), ("mood", "5")],
        )
        .await,
    );
    assert!(!c
        .get(&format!("/journal/{calm}?saved"))
        .await
        .has("Something you wrote"));
    let low = saved_id(
        &c.post(
            "/journal",
            &[("kind", "free"), ("text", "Heavy"), ("mood", "1")],
        )
        .await,
    );
    assert!(c
        .get(&format!("/journal/{low}?saved"))
        .await
        .has("Something you wrote"));
    // The function other areas call.
    let me = unlocked(app, &c).await;
    let moment = app
        .trellis
        .journal(&me).good_moment_for_hard_day()
        .await
        .unwrap()
        .expect("a moment");
    assert!(["Tea on the balcony", "A kind text"].contains(&moment.as_str()));
    app.trellis
        .journal(&me).set_prefs(
            JournalPrefs {
                resurface_good_moments: false,
                ..JournalPrefs::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        app.trellis.journal(&me).good_moment_for_hard_day().await.unwrap(),
        None
    );
    // Unticking in the form turns it off.
    c.post("/journal/settings", &[("resurface", "on")]).await;
    c.post("/journal/settings", &[])
        .await
        .assert_redirect("/journal/settings?saved");
    assert!(!c.get("/journal/settings").await.body.contains("checked"));
}

// --- CSRF ------------------------------------------------------------------------------------

async fn journal_forms_need_the_page_token(app: &TestApp) {
    let mut c = app.set_up().await;
    let id = saved_id(
        &c.post("/journal", &[("kind", "free"), ("text", "mine")])
            .await,
    );
    let mut eve = app.client();
    let eve_token = eve.refresh_csrf().await;
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/journal".into(),
            vec![("kind", "free"), ("text", "forged")],
        ),
        (format!("/journal/{id}"), vec![("text", "forged")]),
        (format!("/journal/{id}/delete"), vec![]),
        (
            "/journal/draft".into(),
            vec![("form", "new:free"), ("text", "forged")],
        ),
        ("/journal/draft/discard".into(), vec![("form", "new:free")]),
        ("/journal/settings".into(), vec![("resurface", "on")]),
    ];
    for (path, fields) in forms {
        let before = app.digest().await;
        for token in ["", eve_token.as_str()] {
            let mut all = vec![("csrf", token)];
            all.extend(fields.iter().copied());
            let r = c.post_raw(&path, &all).await;
            assert_eq!(r.status.as_u16(), 403, "{path} with token {token:?}");
        }
        c.fetch_site = Some("cross-site".into());
        let r = c.post(&path, &fields).await;
        c.fetch_site = Some("same-origin".into());
        assert_eq!(r.status.as_u16(), 403, "{path} cross-site");
        assert_eq!(
            before,
            app.digest().await,
            "{path}: a refused form changed something"
        );
    }
}

// --- sealed storage (canary scans) -----------------------------------------------------------

/// Writes a canary into every text box of every kind, the tags, a draft and an edit, then
/// returns the canaries.
async fn write_canaries(app: &TestApp) -> Vec<String> {
    let mut c = app.set_up().await;
    let mut canaries = Vec::new();
    for kind in EntryKind::ALL {
        let mut fields: Vec<(String, String)> = vec![("kind".into(), kind.key().into())];
        for f in kind.fields() {
            let canary = format!("CANARY-{}-{}-7d1f", kind.key(), f.name);
            fields.push((f.name.to_owned(), format!("before {canary} after")));
            canaries.push(canary);
        }
        let tag = format!("CANARY-TAG-{}", kind.key());
        fields.push(("tags".into(), format!("{tag}, plain")));
        fields.push(("mood".into(), "2".into()));
        canaries.push(tag);
        let id = saved_id(&c.post("/journal", &as_refs(&fields)).await);
        let draft = format!("CANARY-DRAFT-{}", kind.key());
        c.post(
            "/journal/draft",
            &[
                ("form", &format!("new:{}", kind.key())),
                (kind.fields()[0].name, &draft),
            ],
        )
        .await
        .assert_status(204);
        canaries.push(draft);
        let edit = format!("CANARY-EDIT-{}", kind.key());
        c.post(
            "/journal/draft",
            &[
                ("form", &format!("edit:{id}")),
                (kind.fields()[0].name, &edit),
            ],
        )
        .await
        .assert_status(204);
        let changed = format!("CANARY-CHANGED-{}", kind.key());
        saved_id(
            &c.post(
                &format!("/journal/{id}"),
                &[(kind.fields()[0].name, &changed), ("tags", "CANARY-TAG2")],
            )
            .await,
        );
        canaries.push(edit);
        canaries.push(changed);
    }
    canaries.push("CANARY-TAG2".into());
    // Search for one: the words searched for are not kept either.
    c.get("/journal?q=CANARY-SEARCH-WORDS")
        .await
        .assert_status(200);
    canaries.push("CANARY-SEARCH-WORDS".into());
    c.post("/journal/settings", &[("resurface", "on")]).await;
    // The good-moment entries must open and show, proving the scan looks at real data.
    let r = c.get("/journal?q=canary").await;
    assert!(
        r.has(&format!("Found in {} entries.", EntryKind::ALL.len())),
        "{}",
        r.snippet()
    );
    canaries
}

fn assert_no_canary(bytes: &[u8], canaries: &[String], what: &str) {
    let found: Vec<&String> = canaries
        .iter()
        .filter(|c| count(bytes, c.as_bytes()) > 0 || count(bytes, c.to_lowercase().as_bytes()) > 0)
        .collect();
    assert!(found.is_empty(), "{what} holds {found:?}");
    // The search digest keeps a lower-cased copy: look for every case.
    for word in [&b"CANARY"[..], b"canary", b"Canary"] {
        assert_eq!(count(bytes, word), 0, "{what} holds some canary text");
    }
}

#[tokio::test]
async fn sqlite_file_wal_and_logs_hold_no_journal_text() {
    let logs = capture_logs();
    let app = TestApp::sqlite().await;
    let canaries = write_canaries(&app).await;
    let account = app.account().await.id.to_string();
    let read = scan_sqlite_open_and_closed(&app, |bytes, what| {
        assert_no_canary(bytes, &canaries, what);
        count(bytes, account.as_bytes()) + count(bytes, b"journal_entry")
    })
    .await;
    assert!(read >= 3, "the file, its WAL and shared memory were read");
    app.finish().await;
    let log = logs.bytes();
    assert!(!log.is_empty(), "logs were captured");
    assert_no_canary(&log, &canaries, "the logs");
}

#[tokio::test]
async fn postgres_dump_holds_no_journal_text() {
    let Some(app) = TestApp::postgres("journal_sealed").await else {
        return;
    };
    let canaries = write_canaries(&app).await;
    let dump = app.postgres_dump();
    assert!(
        count(&dump, b"journal_entry") > 0 && count(&dump, b"journal_draft") > 0,
        "control: the dump has the records"
    );
    assert_no_canary(&dump, &canaries, "pg_dump");
    app.finish().await;
}

/// "Three qualities this morning": off by default; when turned on, Home invites it (for the
/// morning: the page's script hides it after midday) until one is written that day.
async fn three_qualities_are_offered_in_the_morning_only_when_turned_on(app: &TestApp) {
    let mut c = app.set_up().await;
    let invite = "three qualities you like in yourself";
    assert!(!c.get("/").await.has(invite), "off by default");
    let settings = c.get("/journal/settings").await;
    assert!(settings.has("In the morning, offer to note three qualities I like in myself"));
    c.post("/journal/settings", &[("morning", "on")])
        .await
        .assert_redirect("/journal/settings?saved");
    let home = c.get("/").await;
    assert!(home.has(invite) && home.body.contains("data-morning"), "{}", home.snippet());
    assert!(home.body.contains("href=\"/journal/new?kind=qualities\""));
    // Another kind of entry today changes nothing; a qualities entry ends it for the day.
    c.post("/journal", &[("kind", "free"), ("text", "a walk")]).await.assert_status(303);
    assert!(c.get("/").await.has(invite));
    c.post("/journal", &[("kind", "qualities"), ("text", "patient, funny, brave")])
        .await
        .assert_status(303);
    assert!(!c.get("/").await.has(invite), "written today");
    // The next day it is offered again; turned off, never.
    app.clock.advance(86_400);
    let mut c = app.unlocked_client().await;
    assert!(c.get("/").await.has(invite));
    c.post("/journal/settings", &[]).await.assert_status(303);
    assert!(!c.get("/").await.has(invite));
}
