//! Unit tests.
#![expect(clippy::unwrap_used, reason = "tests")]
use super::*;

#[test]
fn a_code_is_eight_words_from_the_list_however_it_is_typed() {
    let code = "creek toast knot straw walnut petal sled salmon";
    let parsed = InvitationCode::parse(code).unwrap();
    assert_eq!(parsed.as_str(), code);
    for typed in [
        "Creek-Toast-Knot-Straw-Walnut-Petal-Sled-Salmon",
        "  creek toast knot straw\nwalnut petal sled salmon  ",
        "creek, toast, knot, straw, walnut, petal, sled, salmon.",
    ] {
        assert_eq!(
            InvitationCode::parse(typed).unwrap().as_str(),
            code,
            "{typed:?}"
        );
    }
    for bad in [
        "",
        "creek toast knot straw walnut petal sled",
        "creek toast knot straw walnut petal sled salmon salmon",
        "creek toast knot straw walnut petal sled zebra",
        "creektoast knot straw walnut petal sled salmon",
    ] {
        assert!(InvitationCode::parse(bad).is_none(), "{bad:?}");
    }
    let fresh = InvitationCode::generate();
    assert!(InvitationCode::parse(fresh.as_str()).is_some());
}

#[test]
fn comfort_ends_at_the_end_of_the_persons_own_day_or_after_the_hours_chosen() {
    // 2026-11-29 22:30 UTC.
    let now = 1_795_991_400 - 1_795_991_400 % 86_400 + 22 * 3600 + 30 * 60;
    let midnight_utc = now - now % 86_400 + 86_400;
    assert_eq!(Lasts::EndOfDay.ends_at(now, 0), midnight_utc);
    // In Berlin (UTC+1, offset −60) it is already 23:30: their midnight is 23:00 UTC.
    assert_eq!(Lasts::EndOfDay.ends_at(now, -60), midnight_utc - 3600);
    // In New York (UTC−5, offset 300) it is 17:30: their midnight is 05:00 UTC tomorrow.
    assert_eq!(Lasts::EndOfDay.ends_at(now, 300), midnight_utc + 5 * 3600);
    assert_eq!(Lasts::from_key("2h").ends_at(now, 300), now + 2 * 3600);
    assert_eq!(Lasts::from_key("nonsense"), Lasts::EndOfDay);
    let comfort = ComfortToday {
        set: vec![("A hug".to_owned(), Comfort::AskFirst)],
        own_kinds: Vec::new(),
        set_at: now,
        ends_at: now + 60,
    };
    assert_eq!(comfort.status("A hug", now), Some(Comfort::AskFirst));
    assert_eq!(comfort.status("Kissing", now), None, "not set");
    assert_eq!(comfort.status("A hug", now + 60), None, "ended: please ask");
    assert!(comfort.is_live(now) && !comfort.is_live(now + 60));
}

#[test]
fn own_kinds_are_tidied_and_bounded() {
    let typed = "  Lying close \n\na hug\nLying close\nReading aloud together\n";
    assert_eq!(
        own_kinds(typed).unwrap(),
        vec![
            "Lying close".to_owned(),
            "Reading aloud together".to_owned()
        ]
    );
    assert!(own_kinds(&"x".repeat(OWN_KIND_MAX_CHARS + 1)).is_err());
    let many: String = (0..20).map(|i| format!("kind {i}\n")).collect();
    assert_eq!(own_kinds(&many).unwrap().len(), MAX_OWN_KINDS);
}

#[test]
fn a_no_never_has_a_tag_and_maybes_count_only_when_shown() {
    let key = trellis_vault::PairSecret::generate()
        .pair_key(&trellis_vault::PairSecret::generate().public())
        .unwrap();
    let mut mine = ListAnswers {
        answers: vec![
            ("Holding hands".to_owned(), Answer::Yes),
            ("A long hug".to_owned(), Answer::Maybe),
            ("Sex".to_owned(), Answer::No),
            ("Long kisses".to_owned(), Answer::NotNow),
        ],
        own_items: Vec::new(),
        show_maybes: false,
        saved_for: String::new(),
    };
    assert_eq!(mine.tags(&key).len(), 1, "only the yes");
    mine.show_maybes = true;
    let tags = mine.tags(&key);
    assert_eq!(tags.len(), 3, "the yes twice, the maybe once");
    for level in 0..=u8::MAX {
        for item in ["sex", "long kisses"] {
            assert!(
                !tags.contains(&key.match_tag(item, level)),
                "{item} {level}"
            );
        }
    }
    // Matched against itself: the yes and the yes-or-maybe.
    let both: Vec<Vec<u8>> = tags.iter().map(|t| t.to_vec()).collect();
    let matches = mine.matches(&key, &both);
    assert_eq!(
        matches,
        vec![
            ("Holding hands".to_owned(), Match::BothYes),
            ("A long hug".to_owned(), Match::YesOrMaybe)
        ]
    );
}

#[test]
fn a_steps_strength_grows_with_tries_and_a_step_back_leaves_it_as_it_was() {
    let m = smoothing(TRIES_PER_DAY);
    assert!((m - 0.971_9).abs() < 0.000_1, "{m}");
    let try_on = |day: i64, stepped_back: bool| Try {
        id: format!("{day}-{stepped_back}"),
        day,
        expected: Some(40),
        peak: Some(30),
        after: Some(60),
        note: String::new(),
        stepped_back,
    };
    let mut step = LadderStep::default();
    assert_eq!(step.strength_words(), "Not tried yet");
    step.tries.push(try_on(10, false));
    assert!((step.strength() - (1.0 - m)).abs() < 1e-12);
    assert_eq!(step.strength_words(), "Just beginning");
    let once = step.strength();
    // A second try the same day, and a step back: unchanged.
    step.tries.push(try_on(10, false));
    step.tries.push(try_on(11, true));
    assert!((step.strength() - once).abs() < 1e-12);
    // Weeks without a try change nothing; each day with one moves it towards full.
    for day in 20..45 {
        step.tries.push(try_on(day, false));
    }
    let s = step.strength();
    assert!((s - (1.0 - m.powi(26))).abs() < 1e-12, "{s}");
    assert_eq!(step.strength_words(), "Getting steadier");
    assert_eq!(rating("55"), Some(55));
    assert_eq!(rating("101"), None);
    assert_eq!(rating(""), None);
}
