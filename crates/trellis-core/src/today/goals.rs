//! What the check-in follows, and tiny goals (done days, never counts).

use super::*;

/// Which check-in items the person follows. By default none: the check-in asks only how the
/// day feels (and offers a note), and the person adds what they want to follow. Symptoms such
/// as urges or touch are personal; Trellis never asks about them unless chosen.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TodayPrefs {
    /// Keys of followed items ([`Followed::key`]).
    #[serde(default)]
    pub follow: Vec<String>,
}

impl RecordKind for TodayPrefs {
    const KIND: &'static str = "today_prefs";
    const SCHEMA_VERSION: u16 = 1;
}

impl TodayPrefs {
    /// Whether `item` is followed.
    pub fn follows(&self, item: Followed) -> bool {
        self.follow.iter().any(|k| k == item.key())
    }

    /// The followed items, in check-in order.
    pub fn followed(&self) -> Vec<Followed> {
        Followed::ALL
            .into_iter()
            .filter(|&i| self.follows(i))
            .collect()
    }
}

/// Reads the settings form: `value(item)` is what the checkbox of `item` sent ("" when not
/// ticked, "on" when ticked). Anything else is refused (`None`: nothing changes).
pub fn read_follow_choice<'a>(value: impl Fn(Followed) -> &'a str) -> Option<Vec<Followed>> {
    let mut out = Vec::new();
    for item in Followed::ALL {
        match value(item) {
            "" => {}
            "on" => out.push(item),
            _ => return None,
        }
    }
    Some(out)
}

pub(super) fn yes() -> bool {
    true
}

/// One small thing the person wants to do (get dressed, a short walk…). Done days are kept
/// for about a year; Trellis never counts or shows days it was not done.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Goal {
    /// The words, at most [`GOAL_MAX_CHARS`].
    pub text: String,
    /// Whether it is on today's list (false: put aside for now).
    #[serde(default = "yes")]
    pub active: bool,
    /// When it was added (Unix seconds), for a steady order.
    #[serde(default)]
    pub added: i64,
    /// Days it was done, oldest first.
    #[serde(default)]
    pub done_days: Vec<Day>,
}

impl RecordKind for Goal {
    const KIND: &'static str = "goal";
    const SCHEMA_VERSION: u16 = 1;
}

impl Goal {
    /// Whether it was done on `day`.
    pub fn done_on(&self, day: Day) -> bool {
        self.done_days.contains(&day)
    }

    /// Marks `day` done, or not done when it already was. Keeps at most [`GOAL_DAYS_KEPT`] days.
    pub fn toggle(&mut self, day: Day) {
        if let Some(i) = self.done_days.iter().position(|d| *d == day) {
            self.done_days.remove(i);
        } else {
            self.done_days.push(day);
            self.done_days.sort();
            let extra = self.done_days.len().saturating_sub(GOAL_DAYS_KEPT);
            self.done_days.drain(..extra);
        }
    }
}

/// Why a goal was not added.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GoalProblem {
    /// Nothing written.
    #[error("Please write a few words, like \u{201c}get dressed\u{201d}.")]
    Empty,
    /// Over 200 characters.
    #[error("Please keep it to 200 characters or fewer. Your words are still here.")]
    TooLong,
    /// Too many goals already.
    #[error("That's a long list already. To add this one, please delete one you no longer need.")]
    TooMany,
}

/// Checks the words of a new goal: trimmed, 1–200 characters, on one line.
pub fn read_goal_text(raw: &str) -> Result<String, GoalProblem> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(GoalProblem::Empty);
    }
    if text.chars().count() > GOAL_MAX_CHARS {
        return Err(GoalProblem::TooLong);
    }
    Ok(text)
}

/// Small things offered as one-tap starting points.
pub const GOAL_IDEAS: &[&str] = &[
    "Get dressed",
    "A short walk",
    "Drink some water",
    "Eat something",
    "Step outside for a minute",
    "Message a friend",
];

// ---------------------------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------------------------
