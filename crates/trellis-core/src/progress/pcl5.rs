//! The PCL-5 (PTSD Checklist for DSM-5; US Department of Veterans Affairs, National Center for
//! PTSD, Weathers et al. 2013; public domain): the 20 items in their official wording and the
//! official answer labels (changed wording can change what the scores mean), its scoring (total
//! 0–80; clusters B 1–5, C 6–7, D 8–14, E 15–20) and what a change between two results means
//! (5 points: a response; 10: clinically meaningful). See ../shared/reference/facts.md §2.
//!
//! It is a self-check, never a diagnosis, and never labelled as one.

use serde::{Deserialize, Serialize};

use crate::records::RecordKind;

/// The 20 items, in order, as the official form words them. Each completes "In the past month
/// (or week), how much were you bothered by:".
pub const ITEMS: [&str; 20] = [
    "Repeated, disturbing, and unwanted memories of the stressful experience?",
    "Repeated, disturbing dreams of the stressful experience?",
    "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?",
    "Feeling very upset when something reminded you of the stressful experience?",
    "Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?",
    "Avoiding memories, thoughts, or feelings related to the stressful experience?",
    "Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?",
    "Trouble remembering important parts of the stressful experience?",
    "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?",
    "Blaming yourself or someone else for the stressful experience or what happened after it?",
    "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
    "Loss of interest in activities that you used to enjoy?",
    "Feeling distant or cut off from other people?",
    "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?",
    "Irritable behavior, angry outbursts, or acting aggressively?",
    "Taking too many risks or doing things that could cause you harm?",
    "Being \u{201c}superalert\u{201d} or watchful or on guard?",
    "Feeling jumpy or easily startled?",
    "Having difficulty concentrating?",
    "Trouble falling or staying asleep?",
];

/// The official answers, 0 to 4.
pub const RESPONSES: [&str; 5] = [
    "Not at all",
    "A little bit",
    "Moderately",
    "Quite a bit",
    "Extremely",
];

/// The four clusters: a name in plain words and the items (1-based, inclusive) each sums.
pub const CLUSTERS: [(&str, &str, std::ops::RangeInclusive<usize>); 4] = [
    ("B", "Coming back: memories, dreams, reminders", 1..=5),
    ("C", "Keeping away from reminders", 6..=7),
    ("D", "Thoughts and feelings", 8..=14),
    ("E", "On edge: alertness, sleep, concentration", 15..=20),
];

/// Change between two totals that counts as a response (NCPTSD guidance).
pub const RESPONSE_POINTS: u8 = 5;
/// Change that counts as clinically meaningful (NCPTSD guidance).
pub const MEANINGFUL_POINTS: u8 = 10;

/// Which version: the standard past-month one, or the past-week one for tracking more often.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeframe {
    /// "In the past month" (the standard form).
    #[default]
    Month,
    /// "In the past week".
    Week,
}

impl Timeframe {
    /// From a form or address value.
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "month" => Some(Self::Month),
            "week" => Some(Self::Week),
            _ => None,
        }
    }

    /// Its form value.
    pub fn key(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Week => "week",
        }
    }

    /// The question the items complete.
    pub fn stem(self) -> &'static str {
        match self {
            Self::Month => "In the past month, how much were you bothered by:",
            Self::Week => "In the past week, how much were you bothered by:",
        }
    }

    /// How long after one check this version is offered again, in days.
    pub fn offered_every_days(self) -> i64 {
        match self {
            Self::Month => 30,
            Self::Week => 7,
        }
    }
}

/// Why a filled-in PCL-5 was not kept. Calm sentences.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Pcl5Problem {
    /// Some items have no answer (1-based numbers).
    #[error("A score needs an answer to every question. These are still open: {}. Your other answers are kept below.", list(.0))]
    Missing(Vec<usize>),
    /// An answer outside 0–4 (1-based numbers).
    #[error("Please choose one of the five answers for: {}. Your other answers are kept below.", list(.0))]
    OutOfRange(Vec<usize>),
    /// A version we do not know.
    #[error("Please choose the past month or the past week.")]
    UnknownTimeframe,
}

fn list(items: &[usize]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One completed PCL-5, as sealed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pcl5 {
    /// Past month or past week.
    #[serde(default)]
    pub timeframe: Timeframe,
    /// The 20 answers, 0–4, in item order.
    pub answers: Vec<u8>,
    /// When it was kept (Unix seconds; sealed).
    #[serde(default)]
    pub taken: i64,
}

impl RecordKind for Pcl5 {
    const KIND: &'static str = "pcl5";
    const SCHEMA_VERSION: u16 = 1;
}

/// The scores of one PCL-5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scores {
    /// 0–80.
    pub total: u8,
    /// The cluster sums B, C, D, E.
    pub clusters: [u8; 4],
}

impl Pcl5 {
    /// Reads the answers as typed: `answer(n)` gives item n's value (1-based), "" when none.
    /// Every item must have an answer from 0 to 4.
    pub fn read<'a>(
        timeframe: &str,
        answer: impl Fn(usize) -> &'a str,
    ) -> Result<Self, Pcl5Problem> {
        let timeframe = Timeframe::from_key(timeframe).ok_or(Pcl5Problem::UnknownTimeframe)?;
        let mut answers = Vec::with_capacity(ITEMS.len());
        let (mut missing, mut bad) = (Vec::new(), Vec::new());
        for n in 1..=ITEMS.len() {
            match answer(n).trim() {
                "" => missing.push(n),
                raw => match raw.parse::<u8>() {
                    Ok(v) if usize::from(v) < RESPONSES.len() => answers.push(v),
                    _ => bad.push(n),
                },
            }
        }
        if !bad.is_empty() {
            return Err(Pcl5Problem::OutOfRange(bad));
        }
        if !missing.is_empty() {
            return Err(Pcl5Problem::Missing(missing));
        }
        Ok(Self {
            timeframe,
            answers,
            taken: 0,
        })
    }

    /// The total and the cluster sums.
    pub fn scores(&self) -> Scores {
        let at = |n: usize| self.answers.get(n - 1).copied().unwrap_or(0);
        let sum = |r: std::ops::RangeInclusive<usize>| r.map(at).sum::<u8>();
        Scores {
            total: sum(1..=ITEMS.len()),
            clusters: CLUSTERS.map(|(_, _, items)| sum(items)),
        }
    }
}

/// What a change between two totals means, in plain words (`then` is the earlier total).
pub fn change_words(then: u8, now: u8) -> String {
    let diff = i16::from(now) - i16::from(then);
    let size = diff.unsigned_abs();
    let points = |n: u16| {
        if n == 1 {
            "1 point".to_owned()
        } else {
            format!("{n} points")
        }
    };
    if size < u16::from(RESPONSE_POINTS) {
        return match diff {
            0 => "The same total as last time. Changes under 5 points are usually within the ordinary ups and downs.".to_owned(),
            d if d < 0 => format!("{} lower than last time. Changes under 5 points are usually within the ordinary ups and downs.", points(size)),
            _ => format!("{} higher than last time. Changes under 5 points are usually within the ordinary ups and downs.", points(size)),
        };
    }
    let meaning = if size >= u16::from(MEANINGFUL_POINTS) {
        "a change of 10 points or more is what clinicians count as clinically meaningful"
    } else {
        "a change of 5 points or more is what clinicians count as a response"
    };
    if diff < 0 {
        format!("{} lower than last time: {meaning}.", points(size))
    } else {
        format!(
            "{} higher than last time: {meaning}. Harder stretches are part of healing; it may help to talk this through with someone you trust or a professional.",
            points(size)
        )
    }
}

/// Whether the check is offered on `now` (Unix seconds), given when it was last taken in this
/// version: at most once a month (or once a week for the past-week version).
pub fn offered(last_taken: Option<i64>, timeframe: Timeframe, now: i64) -> bool {
    last_taken.is_none_or(|t| now - t >= timeframe.offered_every_days() * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(answers: [u8; 20]) -> Pcl5 {
        Pcl5 {
            timeframe: Timeframe::Month,
            answers: answers.to_vec(),
            taken: 0,
        }
    }

    #[test]
    fn totals_and_clusters_match_hand_computed_vectors() {
        // All zeros and all fours: the two ends of every score.
        assert_eq!(
            with([0; 20]).scores(),
            Scores {
                total: 0,
                clusters: [0, 0, 0, 0]
            }
        );
        assert_eq!(
            with([4; 20]).scores(),
            Scores {
                total: 80,
                clusters: [20, 8, 28, 24]
            }
        );
        // Each cluster boundary: one item at each edge set to 4, the rest 0.
        let mut a = [0; 20];
        a[4] = 4; // item 5, last of B
        a[5] = 3; // item 6, first of C
        a[6] = 2; // item 7, last of C
        a[7] = 1; // item 8, first of D
        a[13] = 4; // item 14, last of D
        a[14] = 2; // item 15, first of E
        a[19] = 3; // item 20, last of E
        assert_eq!(
            with(a).scores(),
            Scores {
                total: 19,
                clusters: [4, 5, 5, 5]
            }
        );
        // Items 1..20 answered 0,1,2,3,4,0,1,…: B = 0+1+2+3+4 = 10, C = 0+1 = 1,
        // D = 2+3+4+0+1+2+3 = 15, E = 4+0+1+2+3+4 = 14; total 40.
        let mut b = [0; 20];
        for (i, v) in b.iter_mut().enumerate() {
            *v = u8::try_from(i % 5).unwrap_or(0);
        }
        assert_eq!(
            with(b).scores(),
            Scores {
                total: 40,
                clusters: [10, 1, 15, 14]
            }
        );
    }

    #[test]
    fn every_item_needs_an_answer_from_0_to_4() {
        let all = |v: &'static str| move |_n: usize| v;
        assert_eq!(
            Pcl5::read("month", all("2")).map(|p| p.scores().total),
            Ok(40)
        );
        assert_eq!(
            Pcl5::read("week", all("0")).map(|p| p.timeframe),
            Ok(Timeframe::Week)
        );
        assert_eq!(
            Pcl5::read("year", all("0")),
            Err(Pcl5Problem::UnknownTimeframe)
        );
        let missing = Pcl5::read("month", |n| if n == 3 || n == 20 { "" } else { "1" });
        assert_eq!(missing, Err(Pcl5Problem::Missing(vec![3, 20])));
        for bad in ["5", "-1", "x", "4.0", "99999"] {
            let r = Pcl5::read("month", |n| if n == 7 { bad } else { "1" });
            assert_eq!(r, Err(Pcl5Problem::OutOfRange(vec![7])), "{bad}");
        }
        assert!(Pcl5Problem::Missing(vec![3, 20])
            .to_string()
            .contains("3, 20"));
    }

    #[test]
    fn changes_say_what_the_published_thresholds_mean() {
        assert!(change_words(30, 30).starts_with("The same total"));
        assert!(
            change_words(30, 26).starts_with("4 points lower")
                && change_words(30, 26).contains("ordinary ups and downs")
        );
        assert!(
            change_words(30, 25).starts_with("5 points lower")
                && change_words(30, 25).contains("a response")
        );
        assert!(
            change_words(30, 21).contains("a response")
                && !change_words(30, 21).contains("meaningful")
        );
        assert!(
            change_words(30, 20).starts_with("10 points lower")
                && change_words(30, 20).contains("clinically meaningful")
        );
        assert!(
            change_words(20, 31).starts_with("11 points higher")
                && change_words(20, 31).contains("someone you trust")
        );
        assert!(change_words(20, 21).starts_with("1 point higher"));
    }

    #[test]
    fn offered_at_most_monthly_or_weekly() {
        let day = 86_400;
        assert!(offered(None, Timeframe::Month, 0));
        assert!(!offered(Some(0), Timeframe::Month, 29 * day));
        assert!(offered(Some(0), Timeframe::Month, 30 * day));
        assert!(!offered(Some(0), Timeframe::Week, 6 * day));
        assert!(offered(Some(0), Timeframe::Week, 7 * day));
    }

    #[test]
    fn the_official_items_are_all_there() {
        assert_eq!(ITEMS.len(), 20);
        assert!(ITEMS.iter().all(|i| i.ends_with('?')));
        assert_eq!(
            RESPONSES,
            [
                "Not at all",
                "A little bit",
                "Moderately",
                "Quite a bit",
                "Extremely"
            ]
        );
        assert_eq!(
            CLUSTERS.iter().map(|c| c.2.clone().count()).sum::<usize>(),
            20
        );
    }
}
