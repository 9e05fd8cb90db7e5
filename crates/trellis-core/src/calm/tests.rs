//! Unit tests.
#![expect(clippy::unwrap_used, reason = "tests")]
use super::*;

fn r(tool: &str, before: Option<u8>, after: Option<u8>) -> CalmRating {
    CalmRating {
        tool: tool.to_owned(),
        before,
        after,
    }
}

#[test]
fn every_tool_parses_with_a_note_steps_and_a_valid_shorter_version() {
    let all = tools();
    let keys: Vec<&str> = all.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "senses",
            "breathing",
            "three-breaths",
            "feet",
            "body-scan",
            "kindness",
            "movement",
            "thoughts"
        ]
    );
    for (t, (file, _)) in all.iter().zip(SOURCES) {
        assert_eq!(t.key, *file, "the file name is the key");
        assert!(
            t.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}: neutral, plain key",
            t.key
        );
        assert!(
            !t.note.is_empty() && !t.summary.is_empty() && !t.closing.is_empty(),
            "{}",
            t.key
        );
        assert!(
            !t.evidence.is_empty() && !t.source.is_empty(),
            "{}: evidence with a source",
            t.key
        );
        assert!(
            !t.source.contains("://"),
            "{}: sources are citations, not links",
            t.key
        );
        assert!(!t.steps.is_empty(), "{}", t.key);
        assert!(
            !t.short.is_empty() && t.short.len() <= t.steps.len(),
            "{}",
            t.key
        );
        assert!(
            t.short.windows(2).all(|w| w[0] < w[1]),
            "{}: short steps in order",
            t.key
        );
        assert!(
            t.short.iter().all(|&i| (1..=t.steps.len()).contains(&i)),
            "{}: short steps exist",
            t.key
        );
        assert!(t.short_minutes <= t.minutes && t.minutes > 0, "{}", t.key);
        for s in &t.steps {
            assert!(
                !s.title.is_empty() && !s.text.is_empty(),
                "{}: {}",
                t.key,
                s.title
            );
            assert_eq!(
                s.figure.is_empty(),
                s.figure_alt.is_empty(),
                "{}: every drawing is described",
                s.title
            );
            if !s.figure.is_empty() {
                assert!(
                    s.figure_svg().is_some(),
                    "{}: drawing {} exists",
                    s.title,
                    s.figure
                );
            }
        }
        for text in std::iter::once(&t.note).chain(t.steps.iter().flat_map(|s| &s.text)) {
            assert!(
                !text.contains('!'),
                "{}: calm words, no exclamation marks: {text}",
                t.key
            );
        }
    }
}

#[test]
fn the_minutes_shown_match_the_suggested_times() {
    for t in tools() {
        for short in [false, true] {
            let total: u32 = (1..=t.step_count(short))
                .filter_map(|n| t.step(n, short))
                .map(|s| s.seconds_for(short))
                .sum();
            let shown = t.minutes_for(short) * 60;
            assert!(
                shown.abs_diff(total) <= 60,
                "{} (short: {short}): {shown} s shown, {total} s of steps",
                t.key
            );
        }
    }
}

#[test]
fn the_notes_say_what_each_tool_may_bring_up() {
    assert!(tool("body-scan")
        .unwrap()
        .note
        .contains("mentions parts of the body"));
    assert!(tool("movement").unwrap().note.contains("stay seated"));
    assert!(tool("breathing").unwrap().note.contains("breath"));
    assert!(tool("kindness").unwrap().note.contains("skip"));
}

#[test]
fn every_body_part_of_the_body_scan_can_be_skipped() {
    let scan = tool("body-scan").unwrap();
    let parts: Vec<&Step> = scan.steps.iter().filter(|s| s.skip).collect();
    assert!(parts.len() >= 5);
    for s in &scan.steps[1..scan.steps.len() - 1] {
        assert!(s.skip, "{} can be skipped", s.title);
    }
}

#[test]
fn gentle_movement_lasts_five_to_ten_minutes_and_every_pose_has_a_drawing() {
    let m = tool("movement").unwrap();
    let total: u32 = m.steps.iter().map(|s| s.seconds).sum();
    assert!((300..=600).contains(&total), "{total} s");
    assert!((5..=10).contains(&m.minutes));
    let poses: Vec<&str> = m
        .steps
        .iter()
        .filter(|s| !s.figure.is_empty())
        .map(|s| s.title.as_str())
        .collect();
    assert!(
        poses.contains(&"Mountain pose") && poses.contains(&"Child's pose"),
        "{poses:?}"
    );
    assert!(poses.len() >= 5);
}

#[test]
fn drawings_are_plain_line_art_with_nothing_active() {
    for (name, svg) in FIGURES {
        assert!(svg.trim_start().starts_with("<svg"), "{name}");
        assert!(
            svg.contains("aria-hidden=\"true\""),
            "{name}: described by the page, hidden from readers"
        );
        assert!(
            svg.contains("currentColor"),
            "{name}: follows the text colour (light and dark)"
        );
        for banned in [
            "<script",
            "style=",
            "<image",
            "href",
            " on",
            "<foreignObject",
        ] {
            assert!(!svg.contains(banned), "{name} contains {banned}");
        }
        assert!(svg.len() < 1200, "{name} is small");
    }
    assert_eq!(figure(""), None);
    assert_eq!(figure("nope"), None);
}

#[test]
fn steps_of_the_shorter_version_come_from_the_full_one() {
    let t = tool("senses").unwrap();
    assert_eq!(t.step_count(false), 5);
    assert_eq!(t.step_count(true), 3);
    assert_eq!(t.step(1, true).unwrap().title, t.steps[0].title);
    assert_eq!(t.step(3, true).unwrap().title, t.steps[2].title);
    assert!(t.step(4, true).is_none());
    assert!(t.step(0, false).is_none());
    assert!(t.step(6, false).is_none());
    let k = tool("kindness").unwrap();
    assert_eq!(k.step(1, true).unwrap().title, "This is hard");
}

#[test]
fn default_rhythm_is_about_six_breaths_a_minute() {
    let r = Rhythm::default();
    assert_eq!((r.inhale, r.hold, r.exhale, r.rest), (4, 0, 6, 0));
    assert_eq!(r.cycle_seconds(), 10);
    assert_eq!(r.breaths_per_minute_tenths(), 60);
    assert_eq!(r.breaths_in(120), 12);
    assert_eq!(r.breaths_in(3), 1, "at least one");
    assert_eq!(r.phases(), vec![(Phase::Inhale, 4), (Phase::Exhale, 6)]);
}

#[test]
fn a_typed_rhythm_is_used_clamped_or_defaulted_with_words() {
    let typed = |i: &str, h: &str, e: &str, r: &str| {
        let (i, h, e, r) = (i.to_owned(), h.to_owned(), e.to_owned(), r.to_owned());
        Rhythm::from_typed(move |p| match p {
            Phase::Inhale => i.clone(),
            Phase::Hold => h.clone(),
            Phase::Exhale => e.clone(),
            Phase::Rest => r.clone(),
        })
    };
    let (r, p) = typed("5", "2", "7", "1");
    assert_eq!(
        r,
        Rhythm {
            inhale: 5,
            hold: 2,
            exhale: 7,
            rest: 1
        }
    );
    assert!(p.is_empty());
    assert_eq!(r.breaths_per_minute_tenths(), 40);

    let (r, p) = typed("", " ", "", "");
    assert_eq!(r, Rhythm::default());
    assert!(p.is_empty(), "blank takes the default quietly");

    let (r, p) = typed("99", "-1", "1", "11");
    assert_eq!(
        r,
        Rhythm {
            inhale: 12,
            hold: 0,
            exhale: 2,
            rest: 10
        }
    );
    assert_eq!(p.len(), 4);
    assert_eq!(
        p[0].to_string(),
        "For breathing in, we can use 2 to 12 seconds, so we used 12."
    );

    let (r, p) = typed("four", "1.5", &"9".repeat(5000), "<b>");
    assert_eq!((r.inhale, r.hold, r.exhale, r.rest), (4, 0, 6, 0));
    assert_eq!(p.len(), 4);
    assert!(matches!(
        p[0],
        RhythmProblem::NotWhole {
            phase: Phase::Inhale,
            used: 4
        }
    ));
    assert!(p[0].to_string().contains("whole number"));
    for problem in &p {
        assert!(!problem.to_string().contains('!'));
    }
}

#[test]
fn ratings_are_0_to_10_or_skipped() {
    assert_eq!(parse_rating(""), Ok(None));
    assert_eq!(parse_rating("  "), Ok(None));
    assert_eq!(parse_rating("0"), Ok(Some(0)));
    assert_eq!(parse_rating("10"), Ok(Some(10)));
    assert_eq!(parse_rating(" 7 "), Ok(Some(7)));
    for bad in [
        "11",
        "-1",
        "abc",
        "3.5",
        "255",
        "256",
        "007",
        &"1".repeat(20_000),
    ] {
        assert_eq!(
            parse_rating(bad),
            Err(RatingProblem::OutOfRange),
            "{bad:.20}"
        );
    }
    assert_eq!(Moment::parse("before"), Some(Moment::Before));
    assert_eq!(Moment::parse("after"), Some(Moment::After));
    assert_eq!(Moment::parse("during"), None);
}

#[test]
fn the_ranking_orders_tools_by_average_drop() {
    let ratings = [
        r("feet", Some(8), Some(6)),      // feet: 2
        r("feet", Some(6), Some(2)),      // feet: 4 → average 3
        r("senses", Some(9), Some(4)),    // senses: 5
        r("breathing", Some(5), Some(5)), // breathing: 0
    ];
    let ranked = what_helped(&ratings);
    let keys: Vec<&str> = ranked.iter().map(|h| h.tool.key.as_str()).collect();
    assert_eq!(keys, ["senses", "feet", "breathing"]);
    assert_eq!((ranked[1].uses, ranked[1].total_drop), (2, 6));
    assert_eq!(ranked[1].average_drop_tenths(), 30);
    assert_eq!(ranked[1].average_drop_text(), "3");
    assert_eq!(ranked[2].direction(), Ordering::Equal);
}

#[test]
fn uses_with_only_one_rating_are_left_out() {
    let ratings = [
        r("feet", Some(8), None),
        r("feet", None, Some(1)),
        r("senses", None, None),
        r("kindness", Some(4), Some(3)),
    ];
    let ranked = what_helped(&ratings);
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0].tool.key, "kindness");
    assert_eq!(ranked[0].uses, 1);
    assert!(what_helped(&[r("feet", Some(3), None)]).is_empty());
    assert!(what_helped(&[]).is_empty());
}

#[test]
fn a_rise_in_distress_counts_honestly_and_ranks_below() {
    let ratings = [
        r("breathing", Some(3), Some(6)),
        r("breathing", Some(4), Some(4)),
        r("feet", Some(5), Some(5)),
    ];
    let ranked = what_helped(&ratings);
    assert_eq!(ranked[0].tool.key, "feet", "no change ranks above a rise");
    assert_eq!(ranked[1].tool.key, "breathing");
    assert_eq!(ranked[1].total_drop, -3);
    assert_eq!(ranked[1].average_drop_tenths(), -15);
    assert_eq!(
        ranked[1].average_drop_text(),
        "1.5",
        "the sign is said in words"
    );
    assert_eq!(ranked[1].direction(), Ordering::Less);
}

#[test]
fn ties_go_to_more_uses_then_to_the_order_tools_are_offered() {
    // Same average (2): movement has more uses, so it comes first.
    let ratings = [
        r("senses", Some(5), Some(3)),
        r("movement", Some(6), Some(4)),
        r("movement", Some(7), Some(5)),
        r("feet", Some(4), Some(2)),
    ];
    let keys: Vec<String> = what_helped(&ratings)
        .into_iter()
        .map(|h| h.tool.key.clone())
        .collect();
    assert_eq!(
        keys,
        ["movement", "senses", "feet"],
        "senses is offered before feet"
    );
    // Exact comparison, not rounded: 5/3 (1.67) beats 3/2 (1.5) and 7/4 (1.75) beats 5/3.
    let ratings = [
        r("feet", Some(3), Some(1)),
        r("feet", Some(2), Some(1)),
        r("senses", Some(3), Some(1)),
        r("senses", Some(3), Some(2)),
        r("senses", Some(3), Some(1)),
        r("kindness", Some(3), Some(1)),
        r("kindness", Some(3), Some(1)),
        r("kindness", Some(3), Some(2)),
        r("kindness", Some(3), Some(1)),
    ];
    let keys: Vec<String> = what_helped(&ratings)
        .into_iter()
        .map(|h| h.tool.key.clone())
        .collect();
    assert_eq!(keys, ["kindness", "senses", "feet"]);
}

#[test]
fn unknown_tools_and_impossible_ratings_are_ignored() {
    let ratings = [
        r("retired-tool", Some(9), Some(1)),
        r("feet", Some(200), Some(0)),
        r("feet", Some(2), Some(1)),
    ];
    let ranked = what_helped(&ratings);
    assert_eq!(ranked.len(), 1);
    assert_eq!((ranked[0].uses, ranked[0].total_drop), (1, 1));
}

#[test]
fn averages_round_half_away_from_zero() {
    let feet = tool("feet").unwrap();
    let h = |uses, total_drop| Helped {
        tool: feet,
        uses,
        total_drop,
    };
    assert_eq!(h(3, 5).average_drop_tenths(), 17);
    assert_eq!(h(3, 5).average_drop_text(), "1.7");
    assert_eq!(h(4, 1).average_drop_tenths(), 3, "0.25 → 0.3");
    assert_eq!(h(4, -1).average_drop_tenths(), -3);
    assert_eq!(h(1, 10).average_drop_text(), "10");
    assert_eq!(h(2, -1).average_drop_text(), "0.5");
}

#[test]
fn the_rating_record_keeps_its_shape() {
    let v = r("feet", Some(7), None);
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(json, r#"{"tool":"feet","before":7,"after":null}"#);
    let old: CalmRating = serde_json::from_str(r#"{"tool":"feet"}"#).unwrap();
    assert_eq!(old, r("feet", None, None));
    assert_eq!(CalmRating::KIND, "calm_rating");
}
