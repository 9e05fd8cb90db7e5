//! Recovery (an area that stays off unless the person turns it on): alcohol or drug use
//! alongside trauma, in words with no shame. An urge is noted (how strong, what was going on)
//! and, later and only if the person wants, how it went; use can be noted too, never judged and
//! never totalled. The only number over time is the strength of riding urges out (DESIGN §6:
//! `m = 0.5^(sqrt(f)/13)`, a day without an urge leaves it), never a count of sober days.

use serde::{Deserialize, Serialize};

use crate::clock::Day;
use crate::ids::RecordId;
use crate::progress::trend;
use crate::records::{Item, RecordKind};
use crate::text::Bounded;
use crate::trellis::{Handle, ServiceError, Trellis};

/// Recovery, for one person: [`Trellis::recovery`] opens it.
pub enum Area {}

impl Trellis {
    /// Recovery for this unlocked session.
    pub fn recovery<'a>(&'a self, me: &'a crate::access::Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}

/// The longest "what was going on" or use note.
pub const WORDS_MAX: usize = 1_000;
/// The longest "what" or "how much".
pub const SHORT_MAX: usize = 200;

/// How an urge went, when the person says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It passed without using.
    RodeOut,
    /// It was too strong this time.
    Used,
}

impl Outcome {
    /// The form value.
    pub fn key(self) -> &'static str {
        match self {
            Self::RodeOut => "rode_out",
            Self::Used => "used",
        }
    }

    /// In words, without judgement.
    pub fn words(self) -> &'static str {
        match self {
            Self::RodeOut => "It passed",
            Self::Used => "It was too strong this time",
        }
    }
}

/// An urge, noted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Urge {
    /// The day.
    pub day: Day,
    /// How strong, 0–10 (optional).
    #[serde(default)]
    pub strength: Option<u8>,
    /// What was going on (optional).
    #[serde(default)]
    pub what: String,
    /// How it went, when said.
    #[serde(default)]
    pub outcome: Option<Outcome>,
}

impl RecordKind for Urge {
    const KIND: &'static str = "recovery_urge";
    const SCHEMA_VERSION: u16 = 1;
}

/// Use, noted in the person's own words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseNote {
    /// The day.
    pub day: Day,
    /// What (optional).
    #[serde(default)]
    pub what: String,
    /// How much (optional).
    #[serde(default)]
    pub amount: String,
    /// Anything else (optional).
    #[serde(default)]
    pub words: String,
}

impl RecordKind for UseNote {
    const KIND: &'static str = "recovery_use";
    const SCHEMA_VERSION: u16 = 1;
}

/// Why something was not saved. Calm sentences; what was typed stays on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryProblem {
    /// Not 0–10.
    #[error("How strong is a number from 0 to 10, or can be left out.")]
    Strength,
    /// Too long.
    #[error("That is longer than this box can keep (1,000 characters, or 200 for what and how much). What you wrote is still below.")]
    TooLong,
    /// Not a date, or later than today.
    #[error("Please give the day as a date, no later than today.")]
    Day,
    /// Nothing at all in a use note.
    #[error(
        "There is nothing to save yet. Every box is optional, but one of them needs a few words."
    )]
    Empty,
    /// An outcome we do not know.
    #[error("Please choose one of the answers, or leave it for now.")]
    Outcome,
}

fn day(field: &str, today: Day) -> Result<Day, RecoveryProblem> {
    match field.trim() {
        "" => Ok(today),
        d => Day::parse(d)
            .filter(|d| *d <= today)
            .ok_or(RecoveryProblem::Day),
    }
}

fn bounded<const N: usize>(text: &str) -> Result<String, RecoveryProblem> {
    Bounded::<N>::new(text.trim())
        .map(Bounded::into_string)
        .map_err(|_| RecoveryProblem::TooLong)
}

/// An urge from a form (`field` reads one): `day`, `strength`, `what`, `outcome`.
pub fn read_urge(field: impl Fn(&str) -> String, today: Day) -> Result<Urge, RecoveryProblem> {
    let strength = match field("strength").trim() {
        "" => None,
        s => Some(
            s.parse::<u8>()
                .ok()
                .filter(|n| *n <= 10)
                .ok_or(RecoveryProblem::Strength)?,
        ),
    };
    let outcome = match field("outcome").trim() {
        "" => None,
        "rode_out" => Some(Outcome::RodeOut),
        "used" => Some(Outcome::Used),
        _ => return Err(RecoveryProblem::Outcome),
    };
    Ok(Urge {
        day: day(&field("day"), today)?,
        strength,
        what: bounded::<WORDS_MAX>(&field("what"))?,
        outcome,
    })
}

/// A use note from a form: `day`, `what`, `amount`, `words`.
pub fn read_use(field: impl Fn(&str) -> String, today: Day) -> Result<UseNote, RecoveryProblem> {
    let note = UseNote {
        day: day(&field("day"), today)?,
        what: bounded::<SHORT_MAX>(&field("what"))?,
        amount: bounded::<SHORT_MAX>(&field("amount"))?,
        words: bounded::<WORDS_MAX>(&field("words"))?,
    };
    if note.what.is_empty() && note.amount.is_empty() && note.words.is_empty() {
        return Err(RecoveryProblem::Empty);
    }
    Ok(note)
}

/// Riding urges out, over time (like a trust ladder step): it starts at 0, and each day with
/// an urge that passed moves it towards 1 (`s = s·m + (1 − m)`, `f` = 1 a day). A day with only
/// urges that were too strong, or with none, leaves it where it was: nothing lowers it. `None`
/// until an urge has passed.
pub fn riding_out(urges: &[Urge]) -> Option<f64> {
    let mut days: Vec<Day> = urges
        .iter()
        .filter(|u| u.outcome == Some(Outcome::RodeOut))
        .map(|u| u.day)
        .collect();
    days.sort_unstable();
    days.dedup();
    let m = trend::smoothing(1.0);
    (!days.is_empty()).then(|| days.iter().fold(0.0, |s, _| s * m + (1.0 - m)))
}

impl Handle<'_, Area> {
    /// Every urge, newest first.
    pub async fn urges(self) -> Result<Vec<Item<Urge>>, ServiceError> {
        let mut v = self.trellis.records::<Urge>(self.me).list().await?;
        crate::records::newest_first(&mut v, |u| u.day);
        Ok(v)
    }

    /// One urge (`None` when it is not this person's).
    pub async fn urge(self, id: &RecordId) -> Result<Option<Item<Urge>>, ServiceError> {
        self.trellis.records::<Urge>(self.me).get(id).await
    }

    /// Notes an urge.
    pub async fn add_urge(self, urge: &Urge) -> Result<RecordId, ServiceError> {
        self.trellis.records::<Urge>(self.me).add(urge).await
    }

    /// Changes an urge (false when it is not this person's).
    pub async fn change_urge(self, id: &RecordId, urge: &Urge) -> Result<bool, ServiceError> {
        self.trellis
            .records::<Urge>(self.me)
            .replace(id, urge)
            .await
    }

    /// Deletes an urge (false when it is not this person's).
    pub async fn delete_urge(self, id: &RecordId) -> Result<bool, ServiceError> {
        self.trellis.records::<Urge>(self.me).delete(id).await
    }

    /// Every use note, newest first.
    pub async fn uses(self) -> Result<Vec<Item<UseNote>>, ServiceError> {
        let mut v = self.trellis.records::<UseNote>(self.me).list().await?;
        crate::records::newest_first(&mut v, |u| u.day);
        Ok(v)
    }

    /// Notes use.
    pub async fn add_use(self, note: &UseNote) -> Result<RecordId, ServiceError> {
        self.trellis.records::<UseNote>(self.me).add(note).await
    }

    /// Changes a use note (false when it is not this person's).
    pub async fn change_use(self, id: &RecordId, note: &UseNote) -> Result<bool, ServiceError> {
        self.trellis
            .records::<UseNote>(self.me)
            .replace(id, note)
            .await
    }

    /// Deletes a use note (false when it is not this person's).
    pub async fn delete_use(self, id: &RecordId) -> Result<bool, ServiceError> {
        self.trellis.records::<UseNote>(self.me).delete(id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urge(d: &str, outcome: Option<Outcome>) -> Urge {
        Urge {
            day: Day::parse(d).unwrap_or_else(|| Day::of_unix(0)),
            strength: Some(5),
            what: String::new(),
            outcome,
        }
    }

    #[test]
    fn riding_out_is_a_smoothed_strength_that_nothing_lowers() {
        assert_eq!(riding_out(&[]), None);
        assert_eq!(
            riding_out(&[urge("2026-11-01", None)]),
            None,
            "no outcome said yet"
        );
        assert_eq!(riding_out(&[urge("2026-11-01", Some(Outcome::Used))]), None);
        let m = trend::smoothing(1.0);
        // Passed, then too strong (changes nothing), then a week later passed twice in a day
        // (one day): 0 → 1 − m → (1 − m)·m + (1 − m).
        let got = riding_out(&[
            urge("2026-11-01", Some(Outcome::RodeOut)),
            urge("2026-11-02", Some(Outcome::Used)),
            urge("2026-11-09", Some(Outcome::RodeOut)),
            urge("2026-11-09", Some(Outcome::RodeOut)),
        ])
        .unwrap_or(-1.0);
        assert!((got - ((1.0 - m) * m + (1.0 - m))).abs() < 1e-12, "{got}");
        let without = riding_out(&[
            urge("2026-11-01", Some(Outcome::RodeOut)),
            urge("2026-11-09", Some(Outcome::RodeOut)),
        ]);
        assert_eq!(
            Some(got),
            without,
            "an urge that was too strong lowers nothing"
        );
        // It grows slowly: after a month of urges that passed it is about 0.78 ("Well rooted").
        let run: Vec<Urge> = (1..=28)
            .map(|d| urge(&format!("2026-11-{d:02}"), Some(Outcome::RodeOut)))
            .collect();
        let s = riding_out(&run).unwrap_or(0.0);
        assert!(s > 0.7 && s < 0.8, "{s}");
    }

    #[test]
    fn forms_are_read_calmly() {
        let today = Day::parse("2026-11-29").unwrap_or_else(|| Day::of_unix(0));
        let f = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map_or(String::new(), |(_, v)| (*v).to_owned())
            }
        };
        let u = read_urge(
            f(&[("strength", "7"), ("what", " a text from him ")]),
            today,
        );
        assert_eq!(
            u.map(|u| (u.day, u.strength, u.what)),
            Ok((today, Some(7), "a text from him".to_owned()))
        );
        assert_eq!(
            read_urge(f(&[("strength", "11")]), today),
            Err(RecoveryProblem::Strength)
        );
        assert_eq!(
            read_urge(f(&[("outcome", "failed")]), today),
            Err(RecoveryProblem::Outcome)
        );
        assert_eq!(
            read_urge(f(&[("day", "2026-11-30")]), today),
            Err(RecoveryProblem::Day)
        );
        assert_eq!(read_use(f(&[]), today), Err(RecoveryProblem::Empty));
        assert!(read_use(f(&[("what", "wine")]), today).is_ok());
    }
}
