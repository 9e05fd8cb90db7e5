//! Unit tests.
#![allow(clippy::unwrap_used)]
use super::*;
use crate::helplines::HelpLines;

const DAY: i64 = 86_400;

fn item(group: Group, first_day: i64, id: &str) -> Item<Boundary> {
    Item {
        id: RecordId::parse(&format!("{id:0>32}")).unwrap(),
        created_day: first_day,
        updated_day: first_day,
        value: Boundary {
            group,
            history: vec![BoundaryVersion {
                day: first_day,
                text: "x".into(),
                state: BoundaryState::Firm,
            }],
        },
    }
}

#[test]
fn a_change_adds_a_version_and_keeps_the_old_ones() {
    let mut b = Boundary {
        group: Group::Starting(StartingGroup::Touch),
        history: Vec::new(),
    };
    assert!(b.apply(
        BoundaryDraft::new("touch", "", "Ask before hugging me", "firm").unwrap(),
        10 * DAY
    ));
    assert!(b.apply(
        BoundaryDraft::new("touch", "", "Ask before hugging me", "revisiting").unwrap(),
        40 * DAY
    ));
    assert!(b.apply(
        BoundaryDraft::new("touch", "", "Hugs from my sister are fine", "for_now").unwrap(),
        90 * DAY
    ));
    assert_eq!(b.history.len(), 3);
    assert_eq!(
        b.history[0],
        BoundaryVersion {
            day: 10 * DAY,
            text: "Ask before hugging me".into(),
            state: BoundaryState::Firm
        }
    );
    assert_eq!(b.history[1].state, BoundaryState::Revisiting);
    assert_eq!(b.text(), "Hugs from my sister are fine");
    assert_eq!(b.state(), BoundaryState::ForNow);
    assert_eq!(b.since(), Some(90 * DAY));
    assert_eq!(b.first_day(), Some(10 * DAY));
}

#[test]
fn saving_the_same_words_and_state_adds_no_version_but_may_move_the_group() {
    let mut b = Boundary {
        group: Group::Starting(StartingGroup::Touch),
        history: Vec::new(),
    };
    b.apply(
        BoundaryDraft::new("touch", "", "Knock first", "firm").unwrap(),
        DAY,
    );
    assert!(!b.apply(
        BoundaryDraft::new("personal_space", "", "  Knock first ", "firm").unwrap(),
        2 * DAY
    ));
    assert_eq!(b.history.len(), 1);
    assert_eq!(b.group, Group::Starting(StartingGroup::PersonalSpace));
}

#[test]
fn drafts_are_checked() {
    assert_eq!(
        BoundaryDraft::new("touch", "", "   ", "firm"),
        Err(SafetyProblem::BoundaryEmpty)
    );
    assert_eq!(
        BoundaryDraft::new("touch", "", &"a".repeat(1_001), "firm"),
        Err(SafetyProblem::BoundaryTooLong)
    );
    assert!(
        BoundaryDraft::new("touch", "", &"é".repeat(1_000), "firm").is_ok(),
        "characters, not bytes"
    );
    assert_eq!(
        BoundaryDraft::new("nope", "", "x", "firm"),
        Err(SafetyProblem::UnknownGroup)
    );
    assert_eq!(
        BoundaryDraft::new("touch", "", "x", "maybe"),
        Err(SafetyProblem::UnknownState)
    );
    assert_eq!(
        BoundaryDraft::new("touch", "", "x", "").unwrap().state,
        BoundaryState::ForNow
    );
    assert_eq!(
        BoundaryDraft::new("touch", &"g".repeat(61), "x", ""),
        Err(SafetyProblem::GroupTooLong)
    );
    assert_eq!(
        BoundaryDraft::new("own:", "", "x", ""),
        Err(SafetyProblem::UnknownGroup)
    );
}

#[test]
fn a_new_group_name_wins_and_matches_starting_groups_by_name() {
    assert_eq!(
        Group::choose("touch", " Work "),
        Ok(Group::Own("Work".into()))
    );
    assert_eq!(Group::choose("own:Work", ""), Ok(Group::Own("Work".into())));
    assert_eq!(
        Group::choose("topics", "touch"),
        Ok(Group::Starting(StartingGroup::Touch))
    );
    assert_eq!(
        Group::choose("communication", ""),
        Ok(Group::Starting(StartingGroup::Communication))
    );
    for g in StartingGroup::ALL {
        assert_eq!(
            Group::choose(&Group::Starting(g).form_value(), ""),
            Ok(Group::Starting(g))
        );
    }
    let own = Group::Own("Family visits".into());
    assert_eq!(Group::choose(&own.form_value(), ""), Ok(own));
}

#[test]
fn groups_start_with_the_four_then_own_groups_by_name_oldest_boundary_first() {
    let items = vec![
        item(Group::Own("work".into()), 5 * DAY, "1"),
        item(Group::Starting(StartingGroup::Touch), 9 * DAY, "2"),
        item(Group::Own("Appointments".into()), 3 * DAY, "3"),
        item(Group::Starting(StartingGroup::Touch), 2 * DAY, "4"),
    ];
    let groups = group_boundaries(items.clone());
    let names: Vec<&str> = groups.iter().map(|g| g.group.name()).collect();
    assert_eq!(
        names,
        [
            "Personal space",
            "Topics I'm not ready to discuss",
            "Touch",
            "How I want people to communicate with me",
            "Appointments",
            "work"
        ]
    );
    let touch: Vec<i64> = groups[2].boundaries.iter().map(|b| b.created_day).collect();
    assert_eq!(touch, [2 * DAY, 9 * DAY]);
    assert!(groups[0].boundaries.is_empty());
    assert_eq!(own_group_names(&items), ["Appointments", "work"]);
}

#[test]
fn boundary_json_is_stable() {
    let b = Boundary {
        group: Group::Own("Work".into()),
        history: vec![BoundaryVersion {
            day: DAY,
            text: "t".into(),
            state: BoundaryState::ForNow,
        }],
    };
    let json = serde_json::to_string(&b).unwrap();
    assert_eq!(
        json,
        r#"{"group":{"own":"Work"},"history":[{"day":86400,"text":"t","state":"for_now"}]}"#
    );
    let starting: Boundary =
        serde_json::from_str(r#"{"group":{"starting":"touch"},"history":[{"day":0,"text":"a"}]}"#)
            .unwrap();
    assert_eq!(starting.group, Group::Starting(StartingGroup::Touch));
    assert_eq!(
        starting.state(),
        BoundaryState::ForNow,
        "a missing state opens as the default"
    );
}

#[test]
fn the_plan_has_six_parts_and_checks_their_length() {
    let plan = SafetyPlan::from_parts(|k| {
        if k == "signs" {
            "Not sleeping\r\n\r\n  Snapping at people "
        } else {
            ""
        }
    });
    assert_eq!(plan.lines("signs"), ["Not sleeping", "Snapping at people"]);
    assert!(!plan.is_empty());
    assert!(SafetyPlan::default().is_empty());
    assert!(plan.check().is_ok());
    let keys: Vec<&str> = PLAN_PARTS.iter().map(|p| p.key).collect();
    assert_eq!(keys.len(), 6);
    for key in keys {
        let long = "x".repeat(PLAN_PART_MAX_CHARS + 1);
        let plan = SafetyPlan::from_parts(|k| if k == key { long.as_str() } else { "" });
        assert_eq!(
            plan.part(key).len(),
            PLAN_PART_MAX_CHARS + 1,
            "{key} is read"
        );
        assert_eq!(plan.check(), Err(SafetyProblem::PlanPartTooLong), "{key}");
    }
    let at_limit = "x".repeat(PLAN_PART_MAX_CHARS);
    assert!(SafetyPlan::from_parts(|_| at_limit.as_str())
        .check()
        .is_ok());
}

#[test]
fn help_lines_are_added_once_as_editable_lines() {
    let gb = HelpLines::get().country("GB").unwrap();
    let mut plan = SafetyPlan {
        professionals: "My counsellor, Dr Ade: 01632 960 001".into(),
        ..Default::default()
    };
    plan.add_help_lines(gb);
    let lines: Vec<String> = plan
        .lines("professionals")
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        lines[0], "My counsellor, Dr Ade: 01632 960 001",
        "the person's own words come first, unchanged"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Samaritans") && l.contains("116 123")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "Emergency in United Kingdom: 999"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 1 + gb.lines.len() + 1);
    let before = plan.clone();
    plan.add_help_lines(gb);
    assert_eq!(plan, before, "adding twice changes nothing");
    for l in &gb.lines {
        assert!(
            lines.iter().any(|p| p.starts_with(&l.name)),
            "{} missing",
            l.name
        );
    }
}

#[test]
fn dial_digits_keeps_digits_and_a_leading_plus() {
    assert_eq!(dial_digits("07700 900123").as_deref(), Some("07700900123"));
    assert_eq!(
        dial_digits("+44 (0)7700 900-123").as_deref(),
        Some("+447700900123")
    );
    assert_eq!(
        dial_digits(" +1 (555) 010-0199 ").as_deref(),
        Some("+15550100199")
    );
    assert_eq!(dial_digits("(555) 010-0199").as_deref(), Some("5550100199"));
    assert_eq!(
        dial_digits("0044 20 7946 0000").as_deref(),
        Some("00442079460000")
    );
    assert_eq!(dial_digits("999").as_deref(), Some("999"));
    assert_eq!(dial_digits("12"), None);
    assert_eq!(dial_digits("ask Mum"), None);
    assert_eq!(dial_digits("\"><script>1</script>"), None);
    assert_eq!(
        dial_digits("tel:123;javascript:alert(1)").as_deref(),
        Some("1231"),
        "only digits survive"
    );
}

#[test]
fn contacts_are_checked() {
    assert_eq!(
        TrustedContact::new(" ", "", "note"),
        Err(SafetyProblem::ContactEmpty)
    );
    assert_eq!(
        TrustedContact::new(&"n".repeat(101), "", ""),
        Err(SafetyProblem::NameTooLong)
    );
    assert_eq!(
        TrustedContact::new("Ana", &"1".repeat(41), ""),
        Err(SafetyProblem::PhoneTooLong)
    );
    assert_eq!(
        TrustedContact::new("Ana", "", &"n".repeat(501)),
        Err(SafetyProblem::NoteTooLong)
    );
    let c = TrustedContact::new(" Ana ", " +44 7700 900123 ", "Evenings\r\nbest").unwrap();
    assert_eq!(
        c.phone, "+44 7700 900123",
        "shown exactly as typed, trimmed"
    );
    assert_eq!(c.note, "Evenings\nbest");
    assert_eq!(c.dial().as_deref(), Some("+447700900123"));
    assert!(
        TrustedContact::new("", "0800 1111", "").is_ok(),
        "a number alone is enough"
    );
}
