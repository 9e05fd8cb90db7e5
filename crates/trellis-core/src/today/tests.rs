//! Unit tests.
#![expect(clippy::unwrap_used, reason = "tests")]
use super::*;

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn draft(pairs: &[(&str, &str)]) -> Draft {
    Draft::read(|f| pairs.iter().find(|(k, _)| *k == f).map_or("", |(_, v)| v))
}

const TODAY: &str = "2026-11-21";

#[test]
fn days_parse_only_real_dates_written_in_full() {
    assert_eq!(day("2026-11-21").to_string(), "2026-11-21");
    assert_eq!(day("2028-02-29").to_string(), "2028-02-29");
    for bad in [
        "",
        "2026-2-1",
        "2026/11/21",
        "2027-02-29",
        "2026-13-01",
        "1899-12-31",
        "+026-11-21",
        "2026-11-21x",
        "２０２６-11-21",
    ] {
        assert_eq!(Day::parse(bad), None, "{bad}");
    }
    assert_eq!(
        checkin_day("1999-12-31"),
        None,
        "a check-in is from 2000 on"
    );
    assert_eq!(Day::parse(" 1999-12-31 ").map(Day::year), Some(1999));
    assert_eq!(day("2026-03-03").date_words(), "3 March 2026");
    assert_eq!(Day::of_unix(1_800_000_000).to_string(), "2027-01-15");
    assert_eq!(day("2026-11-21").words(), "Saturday 21 November");
    assert_eq!(day("2026-03-01").previous().to_string(), "2026-02-28");
    assert_eq!(day("2026-12-31").next().to_string(), "2027-01-01");
    assert_eq!(day("2026-11-21").minus_days(13).to_string(), "2026-11-08");
    assert_eq!(
        Day::of_unix(day("2026-11-21").unix_midnight()),
        day("2026-11-21")
    );
}

#[test]
fn local_today_trusts_the_browser_only_within_a_day() {
    let now = day(TODAY).unix_midnight() + 3600;
    assert_eq!(local_today(now, ""), day(TODAY));
    assert_eq!(local_today(now, "2026-11-22"), day("2026-11-22"));
    assert_eq!(local_today(now, "2026-11-20"), day("2026-11-20"));
    assert_eq!(local_today(now, "2026-11-23"), day(TODAY));
    assert_eq!(local_today(now, "2020-01-01"), day(TODAY));
    assert_eq!(local_today(now, "nonsense"), day(TODAY));
}

#[test]
fn a_check_in_reads_every_answer_in_words() {
    let d = draft(&[
        ("day", "2026-11-20"),
        ("mood", "2"),
        ("sleep_hours", "7,5"),
        ("sleep_quality", "4"),
        ("nightmares", "some"),
        ("startle", "0"),
        ("numb", "4"),
        ("touch", "ask"),
        ("urge", "1"),
        ("connected", "no"),
        ("note", "  a walk helped\r\nthen rain  "),
    ]);
    let c = read_checkin(&d, day(TODAY)).unwrap();
    assert_eq!(c.day, day("2026-11-20"));
    assert_eq!(
        (c.mood, c.sleep_half_hours, c.sleep_quality),
        (Some(2), Some(15), Some(4))
    );
    assert_eq!(
        (c.nightmares, c.touch, c.connected),
        (Some(Nightmares::Some), Some(Touch::Ask), Some(false))
    );
    assert_eq!((c.startle, c.numb, c.urge), (Some(0), Some(4), Some(1)));
    assert_eq!(c.note, "a walk helped\nthen rain");
    // The stored check-in shows again as the same answers.
    let again = read_checkin(&c.draft(), day(TODAY)).unwrap();
    assert_eq!(again, c);
    assert_eq!(
        c.summary(),
        vec![
            ("Day", "Low".to_owned()),
            ("Sleep", "7.5 hours, restful: mostly".to_owned()),
            ("Nightmares", "Some".to_owned()),
            ("Jumpy", "Not at all".to_owned()),
            ("Numb", "A lot".to_owned()),
            ("Touch", "Ask me first".to_owned()),
            ("Urge", "A little".to_owned()),
            ("Connected", "Not today".to_owned()),
        ]
    );
}

#[test]
fn every_answer_is_optional_and_the_day_defaults_to_today() {
    let c = read_checkin(&draft(&[]), day(TODAY)).unwrap();
    assert!(c.is_blank());
    assert_eq!(c.day, day(TODAY));
    assert!(!Draft::for_day(day(TODAY)).has_answers());
    assert!(draft(&[("note", "x")]).has_answers());
    assert!(!draft(&[("note", "   ")]).has_answers());
}

#[test]
fn out_of_range_and_wrong_types_are_refused_each_with_words() {
    let d = draft(&[
        ("day", "2026-11-23"),
        ("mood", "6"),
        ("sleep_hours", "25"),
        ("sleep_quality", "0"),
        ("nightmares", "lots"),
        ("startle", "-1"),
        ("numb", "4.0"),
        ("touch", "maybe"),
        ("urge", "five"),
        ("connected", "true"),
    ]);
    let problems = read_checkin(&d, day(TODAY)).unwrap_err();
    let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
    for f in [
        "day",
        "mood",
        "sleep_hours",
        "sleep_quality",
        "nightmares",
        "startle",
        "numb",
        "touch",
        "urge",
        "connected",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert!(problems
        .iter()
        .all(|p| !p.message.is_empty() && !p.message.contains('!')));
    for bad in [
        "-1",
        "abc",
        "1e2",
        "NaN",
        "inf",
        "24.5",
        "7.5.5",
        "123456789",
    ] {
        assert!(
            read_checkin(&draft(&[("sleep_hours", bad)]), day(TODAY)).is_err(),
            "{bad}"
        );
    }
    for good in ["0", "24", "7", "7.25", " 6.5 ", "8,0"] {
        assert!(
            read_checkin(&draft(&[("sleep_hours", good)]), day(TODAY)).is_ok(),
            "{good}"
        );
    }
    let c = read_checkin(&draft(&[("sleep_hours", "7.3")]), day(TODAY)).unwrap();
    assert_eq!(
        c.sleep_half_hours,
        Some(15),
        "rounded to the nearest half hour"
    );
    assert!(read_checkin(&draft(&[("day", "21/11/2026")]), day(TODAY)).is_err());
}

#[test]
fn a_day_ahead_is_allowed_two_are_not() {
    assert!(read_checkin(&draft(&[("day", "2026-11-22")]), day(TODAY)).is_ok());
    assert!(read_checkin(&draft(&[("day", "2026-11-23")]), day(TODAY)).is_err());
    assert!(read_checkin(&draft(&[("day", "2020-01-01")]), day(TODAY)).is_ok());
}

#[test]
fn the_note_holds_up_to_2000_characters() {
    let ok = "é".repeat(NOTE_MAX_CHARS);
    assert_eq!(
        read_checkin(&draft(&[("note", &ok)]), day(TODAY))
            .unwrap()
            .note,
        ok
    );
    let long = "a".repeat(NOTE_MAX_CHARS + 1);
    let p = read_checkin(&draft(&[("note", &long)]), day(TODAY)).unwrap_err();
    assert_eq!(p.len(), 1);
    assert!(p[0].message.contains("2,001"), "{}", p[0].message);
    // Windows line ends count once.
    let lines = "ab\r\n".repeat(NOTE_MAX_CHARS / 3);
    assert!(read_checkin(&draft(&[("note", &lines)]), day(TODAY)).is_ok());
}

#[test]
fn a_hard_day_is_a_hard_mood_or_a_strong_urge_startle_or_numbness() {
    let base = CheckIn::empty(day(TODAY));
    assert!(!base.is_hard());
    for (mood, hard) in [(1, true), (2, true), (3, false), (4, false), (5, false)] {
        assert_eq!(
            CheckIn {
                mood: Some(mood),
                ..base.clone()
            }
            .is_hard(),
            hard,
            "mood {mood}"
        );
    }
    for v in 0..=4u8 {
        let hard = v >= 3;
        assert_eq!(
            CheckIn {
                urge: Some(v),
                ..base.clone()
            }
            .is_hard(),
            hard
        );
        assert_eq!(
            CheckIn {
                startle: Some(v),
                ..base.clone()
            }
            .is_hard(),
            hard
        );
        assert_eq!(
            CheckIn {
                numb: Some(v),
                ..base.clone()
            }
            .is_hard(),
            hard
        );
    }
    assert!(!CheckIn {
        nightmares: Some(Nightmares::Many),
        touch: Some(Touch::No),
        connected: Some(false),
        ..base
    }
    .is_hard());
}

#[test]
fn answered_items_keep_unfollowed_answers_visible() {
    let c = CheckIn {
        sleep_quality: Some(3),
        urge: Some(0),
        ..CheckIn::empty(day(TODAY))
    };
    assert_eq!(
        c.draft().answered_items(),
        vec![Followed::Sleep, Followed::Urge]
    );
}

#[test]
fn follow_choices_accept_known_keys_only() {
    let ticked = |keys: &'static [&'static str]| {
        move |i: Followed| if keys.contains(&i.key()) { "on" } else { "" }
    };
    assert_eq!(
        read_follow_choice(ticked(&["urge", "sleep"])),
        Some(vec![Followed::Sleep, Followed::Urge])
    );
    assert_eq!(read_follow_choice(ticked(&[])), Some(vec![]));
    assert_eq!(
        read_follow_choice(|i| if i == Followed::Numb { "yes" } else { "" }),
        None
    );
    let prefs = TodayPrefs {
        follow: vec!["touch".into(), "sleep".into()],
    };
    assert_eq!(prefs.followed(), vec![Followed::Sleep, Followed::Touch]);
    assert!(TodayPrefs::default().followed().is_empty());
    for i in Followed::ALL {
        assert_eq!(Followed::from_key(i.key()), Some(i));
        assert!(QUESTIONS.iter().any(|q| q.item == Some(i)) || i == Followed::Sleep);
    }
}

#[test]
fn goals_toggle_without_counting_and_forget_after_a_year() {
    let mut g = Goal {
        text: "Get dressed".into(),
        active: true,
        added: 0,
        done_days: vec![],
    };
    g.toggle(day(TODAY));
    assert!(g.done_on(day(TODAY)));
    g.toggle(day(TODAY));
    assert!(!g.done_on(day(TODAY)));
    let start = day("2024-01-01");
    let mut d = start;
    for _ in 0..(GOAL_DAYS_KEPT + 10) {
        g.toggle(d);
        d = d.next();
    }
    assert_eq!(g.done_days.len(), GOAL_DAYS_KEPT);
    assert!(!g.done_on(start), "the oldest days are let go");
    assert!(g.done_on(d.previous()));
    assert!(g.done_days.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn goal_words_are_trimmed_and_capped() {
    assert_eq!(
        read_goal_text("  get   dressed \n"),
        Ok("get dressed".to_owned())
    );
    assert_eq!(read_goal_text("   "), Err(GoalProblem::Empty));
    assert_eq!(read_goal_text(&"a".repeat(200)).map(|t| t.len()), Ok(200));
    assert_eq!(read_goal_text(&"a".repeat(201)), Err(GoalProblem::TooLong));
}

#[test]
fn records_keep_their_shape_in_json() {
    let c = CheckIn {
        mood: Some(3),
        touch: Some(Touch::Ask),
        ..CheckIn::empty(day(TODAY))
    };
    let json = serde_json::to_string(&c).unwrap();
    assert!(
        json.contains("\"day\":\"2026-11-21\"") && json.contains("\"touch\":\"ask\""),
        "{json}"
    );
    // Older or smaller records still open: everything but the day has a default.
    let small: CheckIn = serde_json::from_str(r#"{"day":"2026-11-21"}"#).unwrap();
    assert!(small.is_blank());
    let goal: Goal = serde_json::from_str(r#"{"text":"Walk"}"#).unwrap();
    assert!(goal.active && goal.done_days.is_empty());
    assert!(serde_json::from_str::<CheckIn>(r#"{"day":"2026-02-30"}"#).is_err());
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(thousands(7), "7");
    assert_eq!(thousands(2001), "2,001");
    assert_eq!(thousands(1_234_567), "1,234,567");
}

#[test]
fn how_the_day_feels_is_asked_on_the_one_mood_scale() {
    let asked: Vec<(u8, &str)> = MOOD
        .choices
        .iter()
        .map(|c| (c.value.parse().unwrap(), c.word))
        .collect();
    assert_eq!(asked, crate::mood::MOODS);
}

#[test]
fn a_check_in_sealed_before_the_one_mood_scale_keeps_its_points_in_gentler_words() {
    // Today's old words: 1 Very hard, 2 Hard, 3 Okay, 4 Good, 5 Very good.
    for (old, word, hard) in [
        (1, "Very low", true),
        (2, "Low", true),
        (3, "Okay", false),
        (4, "Good", false),
        (5, "Very good", false),
    ] {
        let sealed = format!(r#"{{"day":"2026-11-21","mood":{old}}}"#);
        let mut c: CheckIn = serde_json::from_str(&sealed).unwrap();
        c.upgrade();
        assert_eq!(c.summary(), [("Day", word.to_owned())], "old {old}");
        assert_eq!(c.is_hard(), hard, "old {old}");
        // Saved again, it says it is on the one scale, and reads the same.
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains(r#""scale":1"#), "{json}");
        let mut again: CheckIn = serde_json::from_str(&json).unwrap();
        again.upgrade();
        assert_eq!(again, c);
    }
    let mut blank: CheckIn = serde_json::from_str(r#"{"day":"2026-11-21"}"#).unwrap();
    blank.upgrade();
    assert!(blank.is_blank() && blank.mood.is_none());
}
