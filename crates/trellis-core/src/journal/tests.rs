//! The journal's unit tests.
#![allow(clippy::unwrap_used)]
use super::*;

const TODAY: i64 = 20_000 * DAY;

fn input(kind: EntryKind, texts: &[(&str, &str)]) -> EntryInput {
    EntryInput {
        kind,
        texts: texts
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..EntryInput::default()
    }
}

fn entry(kind: EntryKind, texts: &[(&str, &str)], tags: &[&str]) -> JournalEntry {
    JournalEntry {
        kind,
        texts: texts
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        ..JournalEntry::default()
    }
}

#[test]
fn every_kind_has_a_unique_key_a_prompt_and_boxes() {
    let mut keys = std::collections::BTreeSet::new();
    for k in EntryKind::ALL {
        assert!(keys.insert(k.key()));
        assert_eq!(EntryKind::parse(k.key()), Some(k));
        assert!(!k.prompt().is_empty() && !k.name().is_empty());
        assert!(!k.fields().is_empty());
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(
            json,
            format!("\"{}\"", k.key()),
            "the sealed name is the key"
        );
    }
    assert_eq!(EntryKind::GoodMoments.fields().len(), 3);
    assert_eq!(
        EntryKind::TriggerNote
            .fields()
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>(),
        ["what_happened", "body", "what_helped"]
    );
    assert_eq!(
        EntryKind::KinderThought
            .fields()
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>(),
        ["harsh", "kinder"]
    );
    assert_eq!(EntryKind::parse("trigger_note"), None);
    assert_eq!(EntryKind::parse(""), None);
}

#[test]
fn addresses_stay_neutral() {
    for k in EntryKind::ALL {
        for word in [
            "trauma", "abuse", "assault", "rape", "crisis", "ptsd", "sexual", "survivor", "trigger",
        ] {
            assert!(!k.key().contains(word), "{}", k.key());
        }
    }
}

#[test]
fn an_entry_keeps_only_its_own_boxes_and_the_chosen_day() {
    let mut i = input(
        EntryKind::KinderThought,
        &[
            ("harsh", "I ruin things"),
            ("kinder", "I'm learning"),
            ("text", "stray"),
        ],
    );
    i.day = "2024-02-29".into();
    i.mood = "3".into();
    i.tags = " sleep , Work,,sleep ,  long   day ".into();
    let (e, day) = i.to_entry(TODAY).unwrap();
    assert_eq!(e.texts.len(), 2, "a box from another kind is dropped");
    assert_eq!(e.text("kinder"), "I'm learning");
    assert_eq!(e.mood, Some(3));
    assert_eq!(e.tags, ["sleep", "Work", "long day"]);
    assert_eq!(iso_day(day), "2024-02-29");
    let (_, day) = input(EntryKind::Free, &[("text", "x")])
        .to_entry(TODAY)
        .unwrap();
    assert_eq!(day, TODAY, "empty day means today");
}

#[test]
fn problems_are_named_and_nothing_is_lost() {
    let long = "a".repeat(MAX_ENTRY_CHARS + 1);
    assert_eq!(
        input(EntryKind::Free, &[("text", &long)]).to_entry(TODAY),
        Err(EntryProblem::TooLong(20_001))
    );
    // The limit is for all boxes together, counted in characters.
    let half = "é".repeat(10_000);
    let i = input(
        EntryKind::GoodMoments,
        &[("moment1", &half), ("moment2", &half), ("moment3", "x")],
    );
    assert_eq!(i.to_entry(TODAY), Err(EntryProblem::TooLong(20_001)));
    let exactly = input(
        EntryKind::GoodMoments,
        &[("moment1", &half), ("moment2", &half)],
    );
    assert!(exactly.to_entry(TODAY).is_ok(), "20,000 is allowed");
    assert_eq!(
        input(EntryKind::Free, &[("text", "   \n ")]).to_entry(TODAY),
        Err(EntryProblem::Empty)
    );
    for bad in ["0", "6", "x", "-1", "2.5", "1;DROP"] {
        let mut i = input(EntryKind::Free, &[("text", "x")]);
        i.mood = bad.into();
        assert_eq!(i.to_entry(TODAY), Err(EntryProblem::Mood), "{bad}");
    }
    for bad in [
        "yesterday",
        "2024-02-30",
        "1899-12-31",
        "2024-1-1",
        &iso_day(TODAY + 2 * DAY),
    ] {
        let mut i = input(EntryKind::Free, &[("text", "x")]);
        i.day = bad.to_owned();
        assert_eq!(i.to_entry(TODAY), Err(EntryProblem::Day), "{bad}");
    }
    let mut i = input(EntryKind::Free, &[("text", "x")]);
    i.day = iso_day(TODAY + DAY);
    assert!(
        i.to_entry(TODAY).is_ok(),
        "tomorrow is allowed (time zones)"
    );
    // A mood or tags alone are something.
    let mut i = input(EntryKind::Free, &[]);
    i.mood = "4".into();
    assert!(i.to_entry(TODAY).is_ok());
    for p in [
        EntryProblem::Empty,
        EntryProblem::TooLong(3),
        EntryProblem::Mood,
        EntryProblem::Day,
        EntryProblem::TagTooLong,
        EntryProblem::TooManyTags(21),
    ] {
        let words = p.to_string();
        assert!(
            !words.contains('!')
                && !words.to_lowercase().contains("error")
                && !words.to_lowercase().contains("invalid"),
            "{words}"
        );
    }
}

#[test]
fn tags_are_limited_in_number_and_length() {
    let twenty: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
    assert_eq!(parse_tags(&twenty.join(",")).unwrap().len(), 20);
    let twenty_one = format!("{},extra", twenty.join(","));
    assert_eq!(parse_tags(&twenty_one), Err(EntryProblem::TooManyTags(21)));
    assert_eq!(parse_tags(&"x".repeat(41)), Err(EntryProblem::TagTooLong));
    assert_eq!(parse_tags(&"é".repeat(40)).unwrap().len(), 1);
    assert_eq!(parse_tags(" , ,").unwrap(), Vec::<String>::new());
    assert_eq!(parse_tags("Calm, calm, CALM").unwrap(), ["Calm"]);
}

#[test]
fn search_ignores_case_in_every_box_and_tag_only() {
    let e = entry(
        EntryKind::TriggerNote,
        &[
            ("what_happened", "A loud Door slammed"),
            ("what_helped", "Tea with Ünal"),
        ],
        &["Evening"],
    );
    let q = |s: &str| JournalFilter::new("", "", s);
    assert!(e.matches(&q("door")));
    assert!(e.matches(&q("DOOR SLAMMED")));
    assert!(e.matches(&q("ünal")), "non-ASCII folds too");
    assert!(e.matches(&q("ÜNAL")));
    assert!(e.matches(&q("eveni")), "tags are searched");
    assert!(!e.matches(&q("window")));
    assert!(!e.matches(&q("reaction")), "the kind's key is not text");
    assert!(e.matches(&JournalFilter::new("reaction", "", "")));
    assert!(!e.matches(&JournalFilter::new("free", "", "")));
    assert!(
        e.matches(&JournalFilter::new("nonsense", "", "")),
        "an unknown kind is ignored"
    );
    assert!(
        e.matches(&JournalFilter::new("", "evening", "")),
        "tags match ignoring case"
    );
    assert!(!e.matches(&JournalFilter::new("", "even", "")), "but whole");
    assert!(e.matches(&JournalFilter::new("reaction", "Evening", "tea")));
    assert!(!e.matches(&JournalFilter::new("reaction", "Evening", "coffee")));
    // A box that is not part of the kind is never searched.
    let mut stray = e.clone();
    stray.texts.insert("text".into(), "hidden words".into());
    assert!(!stray.matches(&q("hidden")));
    assert!(JournalFilter::new(" ", "  ", "").is_empty());
    let long = JournalFilter::new("", "", &"y".repeat(500));
    assert_eq!(long.query.map(|q| q.chars().count()), Some(MAX_QUERY_CHARS));
}

#[test]
fn contains_folded_agrees_with_lowercasing() {
    let cases = [
        "",
        "a",
        "abc",
        "ABCabc",
        "straße",
        "İstanbul",
        "ὈΔΥΣΣΕΎΣ",
        "日本語のテキスト",
        "x\u{301}y",
    ];
    for hay in cases {
        for needle in cases {
            let n = needle.to_lowercase();
            assert_eq!(
                contains_folded(hay, &n),
                hay.to_lowercase().contains(&n),
                "{hay:?} / {needle:?}"
            );
        }
    }
}

#[test]
fn previews_are_short_and_flat() {
    let e = entry(
        EntryKind::GoodMoments,
        &[("moment1", "Sun\non my  face"), ("moment3", "A call")],
        &[],
    );
    assert_eq!(e.preview(100), "Sun on my face · A call");
    let long = entry(EntryKind::Free, &[("text", &"word ".repeat(100))], &[]);
    let p = long.preview(50);
    assert!(p.ends_with('…') && p.chars().count() <= 51, "{p}");
}

#[test]
fn hard_days_and_good_moments() {
    assert!(entry(EntryKind::TriggerNote, &[], &[]).is_hard());
    let mut low = entry(EntryKind::Free, &[("text", "x")], &[]);
    assert!(!low.is_hard());
    low.mood = Some(2);
    assert!(low.is_hard());
    low.mood = Some(3);
    assert!(!low.is_hard());
    let good = entry(
        EntryKind::GoodMoments,
        &[("moment1", " sun "), ("moment2", ""), ("moment3", "tea")],
        &[],
    );
    assert_eq!(good.good_moments(), ["sun", "tea"]);
    assert!(entry(EntryKind::Free, &[("text", "happy")], &[])
        .good_moments()
        .is_empty());
    assert!(entry(EntryKind::KinderThought, &[("kinder", "fine")], &[])
        .good_moments()
        .is_empty());
    assert_eq!(
        entry(EntryKind::Qualities, &[("text", "patient")], &[]).good_moments(),
        ["patient"]
    );
}

#[test]
fn the_pick_is_steady_within_a_day_and_moves_on() {
    let items = ["a", "b", "c"];
    assert_eq!(pick_for_day(&items, TODAY), pick_for_day(&items, TODAY));
    let picks: std::collections::BTreeSet<_> = (0..3)
        .map(|d| pick_for_day(&items, TODAY + d * DAY))
        .collect();
    assert_eq!(picks.len(), 3, "three days, three moments");
    assert_eq!(pick_for_day::<&str>(&[], TODAY), None);
    assert_eq!(pick_for_day(&["only"], -5 * DAY), Some(0));
}

#[test]
fn pages_end_at_the_end_of_a_day() {
    let days = |v: &[i64]| v.to_vec();
    // Fits: no older page.
    assert_eq!(
        whole_days(days(&[5, 5, 4]), 3, |d| *d),
        (vec![5, 5, 4], None)
    );
    // Cut inside day 4: day 4 moves to the next page.
    assert_eq!(
        whole_days(days(&[5, 5, 4, 4, 3]), 3, |d| *d),
        (vec![5, 5], Some(5))
    );
    // Cut exactly at a day's end.
    assert_eq!(
        whole_days(days(&[5, 4, 4, 3]), 3, |d| *d),
        (vec![5, 4, 4], Some(4))
    );
    // One day larger than a page is shown whole.
    assert_eq!(
        whole_days(days(&[7, 7, 7, 7, 6]), 3, |d| *d),
        (vec![7, 7, 7, 7], Some(7))
    );
    assert_eq!(
        whole_days(days(&[7, 7, 7, 7]), 3, |d| *d),
        (vec![7, 7, 7, 7], None)
    );
    // Walking every page visits everything once, in order.
    let all: Vec<i64> = vec![9, 9, 8, 8, 8, 8, 8, 7, 6, 6, 5, 4, 4, 4, 3];
    for size in 1..6 {
        let mut seen = Vec::new();
        let mut before: Option<i64> = None;
        loop {
            let rest: Vec<i64> = all
                .iter()
                .copied()
                .filter(|d| before.is_none_or(|b| *d < b))
                .collect();
            let (page, older) = whole_days(rest, size, |d| *d);
            seen.extend(page);
            match older {
                Some(o) => before = Some(o),
                None => break,
            }
        }
        assert_eq!(seen, all, "page size {size}");
    }
}

#[test]
fn draft_forms_round_trip_and_refuse_nonsense() {
    let id = RecordId::generate();
    for f in [DraftForm::New(EntryKind::TriggerNote), DraftForm::Edit(id)] {
        assert_eq!(DraftForm::parse(&f.key()), Some(f));
    }
    for bad in [
        "",
        "new",
        "new:",
        "new:nope",
        "edit:123",
        "other:free",
        "edit:",
    ] {
        assert_eq!(DraftForm::parse(bad), None, "{bad}");
    }
    let mut big = input(
        EntryKind::Free,
        &[("text", &"x".repeat(MAX_ENTRY_CHARS + 1))],
    );
    assert!(big.check_draft().is_err());
    big.texts.clear();
    big.tags = "t,".repeat(1_500);
    assert!(big.check_draft().is_err());
    assert!(
        input(EntryKind::Free, &[]).check_draft().is_ok(),
        "an empty draft is fine"
    );
}

#[test]
fn sealed_values_tolerate_missing_fields() {
    let e: JournalEntry = serde_json::from_str(r#"{"kind":"mindful"}"#).unwrap();
    assert_eq!(e.kind, EntryKind::Mindful);
    assert!(e.texts.is_empty() && e.tags.is_empty() && e.mood.is_none());
    let p: JournalPrefs = serde_json::from_str("{}").unwrap();
    assert!(!p.resurface_good_moments, "off by default");
    let d: JournalDraft = serde_json::from_str("{}").unwrap();
    assert_eq!(d.input.kind, EntryKind::Free);
}

#[test]
fn an_entry_sealed_before_the_one_mood_scale_reads_its_mood_by_its_words() {
    // The journal's old words: 1 Very low, 2 Low, 3 Mixed, 4 Okay, 5 Good.
    for (old, word, hard) in [
        (1, "Very low", true),
        (2, "Low", true),
        (3, "Okay", false),
        (4, "Okay", false),
        (5, "Good", false),
    ] {
        let sealed = format!(r#"{{"kind":"free","texts":{{"text":"a day"}},"mood":{old}}}"#);
        let mut e: JournalEntry = serde_json::from_str(&sealed).unwrap();
        e.upgrade();
        assert_eq!(e.mood_word(), Some(word), "old {old}");
        assert_eq!(e.is_hard(), hard, "old {old}");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""scale":1"#), "{json}");
        let mut again: JournalEntry = serde_json::from_str(&json).unwrap();
        again.upgrade();
        assert_eq!(again, e, "read again, it stays");
        // A draft typed before the change maps the same way.
        let sealed = format!(r#"{{"form":"new:free","input":{{"kind":"free","mood":"{old}"}}}}"#);
        let mut d: JournalDraft = serde_json::from_str(&sealed).unwrap();
        d.upgrade();
        assert_eq!(d.input.mood, e.mood.unwrap().to_string(), "draft {old}");
    }
    let mut none: JournalEntry =
        serde_json::from_str(r#"{"kind":"free","texts":{"text":"a day"}}"#).unwrap();
    none.upgrade();
    assert_eq!(none.mood, None);
}
