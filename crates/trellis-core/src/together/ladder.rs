//! The trust ladder: steps the person orders (ours to pick from, and their own), each try with
//! the comfort they expected, the peak and after (0–100) and a note. Stepping back is a normal
//! action, never a failure: it leaves a step's strength as it was. Strength is the smoothed
//! score of DESIGN §6 (no streaks): each day with a try moves it a little towards full, a day
//! without one leaves it unchanged. A step can be shared with the partner: its name, its
//! strength in words and what helps, never the notes.

use serde::{Deserialize, Serialize};

use super::*;
use crate::clock::day_of;
use crate::ids::RecordId;
use crate::records::RecordKind;
use crate::text::{Bounded, TooLong};

/// Steps offered to pick from, in our own words.
pub const SUGGESTED_STEPS: [&str; 6] = [
    "Holding hands",
    "A gentle hug",
    "Sitting close, watching something",
    "A short massage",
    "A walk together",
    "A shared meal",
];

/// The longest step name.
pub const STEP_MAX_CHARS: usize = 80;
/// The longest note or "what helps".
pub const NOTE_MAX_CHARS: usize = 1_000;
/// How often a step is meant to be tried (per day) in the strength score: about twice a week.
pub const TRIES_PER_DAY: f64 = 2.0 / 7.0;

/// One try of a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Try {
    /// Its own id (a second submit of the same form records nothing more).
    pub id: String,
    /// The day (Unix seconds at midnight UTC, as [`day_of`] gives).
    pub day: i64,
    /// Comfort expected before, 0–100 (none = not said).
    #[serde(default)]
    pub expected: Option<u8>,
    /// At the hardest moment.
    #[serde(default)]
    pub peak: Option<u8>,
    /// Afterwards.
    #[serde(default)]
    pub after: Option<u8>,
    /// Their note.
    #[serde(default)]
    pub note: String,
    /// They stepped back (a normal part of it).
    #[serde(default)]
    pub stepped_back: bool,
}

/// One step of the ladder, sealed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LadderStep {
    /// Its name.
    pub name: String,
    /// Its place (lower is earlier).
    #[serde(default)]
    pub position: i64,
    /// What helps with this step (shared with the step).
    #[serde(default)]
    pub helps: String,
    /// Its tries, oldest first.
    #[serde(default)]
    pub tries: Vec<Try>,
}

impl RecordKind for LadderStep {
    const KIND: &'static str = "ladder_step";
    const SCHEMA_VERSION: u16 = 1;
}

/// The smoothing factor for a practice tried `per_day` times a day (DESIGN §6).
pub fn smoothing(per_day: f64) -> f64 {
    0.5_f64.powf(per_day.sqrt() / 13.0)
}

impl LadderStep {
    /// Strength, 0–1: for each day with a try that was not a step back, in order,
    /// `score = score·m + 1·(1−m)`; other days leave it as it was.
    pub fn strength(&self) -> f64 {
        let m = smoothing(TRIES_PER_DAY);
        let mut days: Vec<i64> = self
            .tries
            .iter()
            .filter(|t| !t.stepped_back)
            .map(|t| t.day)
            .collect();
        days.sort_unstable();
        days.dedup();
        days.iter().fold(0.0, |score, _| score * m + (1.0 - m))
    }

    /// The strength in words (never a number to chase).
    pub fn strength_words(&self) -> &'static str {
        strength_words(self.strength())
    }
}

/// A strength (0–1) in words (never a number to chase).
pub fn strength_words(strength: f64) -> &'static str {
    match strength {
        s if s <= 0.0 => "Not tried yet",
        s if s < 0.1 => "Just beginning",
        s if s < 0.3 => "Growing",
        s if s < 0.6 => "Getting steadier",
        _ => "Well rooted",
    }
}

/// What a partner sees of a shared step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedStep {
    /// Its name.
    pub name: String,
    /// Its strength in words.
    pub strength: String,
    /// What helps.
    pub helps: String,
    /// How many tries (steps back included: they are part of it).
    pub tries: usize,
}

/// The item name a shared step is kept under.
pub fn step_item(id: &RecordId) -> String {
    format!("ladder/{id}")
}

/// A try as typed.
pub struct NewTry<'a> {
    /// The form's own id for this try.
    pub id: &'a str,
    /// 0–100, or none.
    pub expected: Option<u8>,
    /// 0–100, or none.
    pub peak: Option<u8>,
    /// 0–100, or none.
    pub after: Option<u8>,
    /// The note.
    pub note: &'a str,
    /// Stepped back.
    pub stepped_back: bool,
}

/// A rating as typed: a whole number 0–100, or none (empty or anything else).
pub fn rating(typed: &str) -> Option<u8> {
    typed.trim().parse::<u8>().ok().filter(|r| *r <= 100)
}

impl Handle<'_, Area> {
    /// The steps, in order.
    pub async fn ladder(self) -> Result<Vec<crate::records::Item<LadderStep>>, ServiceError> {
        let mut steps = self.trellis.records::<LadderStep>(self.me).list().await?;
        steps.sort_by_key(|s| (s.value.position, s.created_day));
        Ok(steps)
    }

    /// Adds a step at the end.
    pub async fn add_step(self, name: &str) -> Result<Result<RecordId, TooLong>, ServiceError> {
        let name = match Bounded::<STEP_MAX_CHARS>::new(name) {
            Ok(n) if !n.is_empty() => n.as_str().to_owned(),
            Ok(_) => return Ok(Err(TooLong { chars: 0 })),
            Err(e) => return Ok(Err(e)),
        };
        let last = self.ladder().await?.last().map_or(0, |s| s.value.position);
        let id = self
            .trellis
            .records::<LadderStep>(self.me)
            .add(&LadderStep {
                name,
                position: last + 1,
                ..LadderStep::default()
            })
            .await?;
        Ok(Ok(id))
    }

    /// One step; `None` when the id is not one of this person's steps.
    pub async fn step(
        self,
        id: &RecordId,
    ) -> Result<Option<crate::records::Item<LadderStep>>, ServiceError> {
        self.trellis.records::<LadderStep>(self.me).get(id).await
    }

    /// Records a try (once per form). False when the step is not this person's.
    pub async fn record_try(
        self,
        id: &RecordId,
        typed: &NewTry<'_>,
    ) -> Result<Result<bool, TooLong>, ServiceError> {
        let note = match Bounded::<NOTE_MAX_CHARS>::new(typed.note) {
            Ok(n) => n.as_str().to_owned(),
            Err(e) => return Ok(Err(e)),
        };
        let Some(mut step) = self.step(id).await? else {
            return Ok(Ok(false));
        };
        if !step.value.tries.iter().any(|t| t.id == typed.id) {
            step.value.tries.push(Try {
                id: typed.id.to_owned(),
                day: day_of(self.trellis.now()),
                expected: typed.expected,
                peak: typed.peak,
                after: typed.after,
                note,
                stepped_back: typed.stepped_back,
            });
        }
        self.save_step(id, &step.value).await?;
        Ok(Ok(true))
    }

    /// Changes what helps, and shares the step (or stops sharing it). False when the step is
    /// not this person's.
    pub async fn update_step(
        self,
        id: &RecordId,
        helps: &str,
        share: bool,
    ) -> Result<Result<bool, TooLong>, ServiceError> {
        let helps = match Bounded::<NOTE_MAX_CHARS>::new(helps) {
            Ok(h) => h.as_str().to_owned(),
            Err(e) => return Ok(Err(e)),
        };
        let Some(mut step) = self.step(id).await? else {
            return Ok(Ok(false));
        };
        step.value.helps = helps;
        self.trellis
            .records::<LadderStep>(self.me)
            .replace(id, &step.value)
            .await?;
        if share {
            self.share(&step_item(id), &shared(&step.value)).await?;
        } else {
            self.stop_sharing(&step_item(id)).await?;
        }
        Ok(Ok(true))
    }

    /// Saves a step, keeping a shared copy up to date.
    async fn save_step(self, id: &RecordId, step: &LadderStep) -> Result<(), ServiceError> {
        self.trellis
            .records::<LadderStep>(self.me)
            .replace(id, step)
            .await?;
        self.refresh_if_shared(&step_item(id), &shared(step)).await
    }

    /// Moves a step one place earlier (`earlier`) or later. False when it is not this
    /// person's (at either end nothing changes).
    pub async fn move_step(self, id: &RecordId, earlier: bool) -> Result<bool, ServiceError> {
        let steps = self.ladder().await?;
        let Some(at) = steps.iter().position(|s| s.id == *id) else {
            return Ok(false);
        };
        let other = if earlier {
            at.checked_sub(1)
        } else {
            Some(at + 1)
        };
        let Some(other) = other.filter(|o| *o < steps.len()) else {
            return Ok(true);
        };
        // Renumber all, then swap: positions stay distinct whatever they were before.
        let mut order: Vec<usize> = (0..steps.len()).collect();
        order.swap(at, other);
        let records = self.trellis.records::<LadderStep>(self.me);
        for (place, index) in order.into_iter().enumerate() {
            let step = &steps[index];
            let place = i64::try_from(place).unwrap_or(i64::MAX);
            if step.value.position != place {
                let mut value = step.value.clone();
                value.position = place;
                records.replace(&step.id, &value).await?;
            }
        }
        Ok(true)
    }

    /// Deletes a step (and the partner's copy). False when it is not this person's.
    pub async fn delete_step(self, id: &RecordId) -> Result<bool, ServiceError> {
        self.stop_sharing(&step_item(id)).await?;
        self.trellis.records::<LadderStep>(self.me).delete(id).await
    }

    /// The steps the partner shares, in the order they keep them (newest share first when
    /// equal).
    pub async fn partner_steps(self) -> Result<Vec<SharedWithMe<SharedStep>>, ServiceError> {
        self.shared_with_me::<SharedStep>(|item| item.starts_with("ladder/"))
            .await
    }
}

fn shared(step: &LadderStep) -> SharedStep {
    SharedStep {
        name: step.name.clone(),
        strength: step.strength_words().to_owned(),
        helps: step.helps.clone(),
        tries: step.tries.len(),
    }
}
