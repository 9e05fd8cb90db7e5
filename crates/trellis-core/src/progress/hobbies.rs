//! Hobbies: up to three activities in the person's own words, ten minutes at a time, with a
//! note of how it felt; and the joy jar: on a hard day, one of their own past notes, only when
//! they turned it on.

use serde::{Deserialize, Serialize};

use crate::clock::Day;
use crate::ids::RecordId;
use crate::records::{Item, RecordKind};
use crate::text::Bounded;
use crate::trellis::{Handle, ServiceError, Trellis};

use super::Area;

/// At most this many hobbies at once (a few, not a list to keep up with).
pub const MAX_HOBBIES: usize = 3;
/// The longest name.
pub const NAME_MAX: usize = 60;
/// The longest note.
pub const NOTE_MAX: usize = 500;
/// Ideas offered when adding one (never required).
pub const IDEAS: [&str; 8] = [
    "Painting or drawing",
    "Dancing",
    "Growing plants",
    "Walking outside",
    "Cooking something simple",
    "Playing or listening to music",
    "Writing or reading",
    "Making something with your hands",
];

/// Why a hobby or note was not kept. Calm sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HobbyProblem {
    /// No name.
    #[error("Please give it a name, in your own words.")]
    Empty,
    /// Too long a name.
    #[error("Please keep the name to 60 characters or fewer.")]
    NameTooLong,
    /// Already three.
    #[error("Three is plenty for now. You can remove one to make room for another.")]
    Full,
    /// Too long a note.
    #[error("Please keep the note to 500 characters or fewer. What you wrote is still below.")]
    NoteTooLong,
}

/// One note of how a time felt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HobbyNote {
    /// The day.
    pub day: Day,
    /// How it felt (may be empty: doing it is enough).
    #[serde(default)]
    pub felt: String,
}

/// One hobby, as sealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hobby {
    /// Its name.
    pub name: String,
    /// When it was added (Unix seconds), for a steady order.
    #[serde(default)]
    pub added: i64,
    /// Notes, oldest first.
    #[serde(default)]
    pub notes: Vec<HobbyNote>,
}

impl RecordKind for Hobby {
    const KIND: &'static str = "hobby";
    const SCHEMA_VERSION: u16 = 1;
}

/// The person's choices for Progress (one sealed record).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressPrefs {
    /// On a hard check-in, show one of their own past hobby notes (off unless turned on).
    #[serde(default)]
    pub joy_jar: bool,
}

impl RecordKind for ProgressPrefs {
    const KIND: &'static str = "progress_prefs";
    const SCHEMA_VERSION: u16 = 1;
}

impl Handle<'_, Area> {
    /// The hobbies, oldest first.
    pub async fn hobbies(self) -> Result<Vec<Item<Hobby>>, ServiceError> {
        let mut all = self.trellis.records::<Hobby>(self.me).list().await?;
        all.sort_by(|a, b| (a.value.added, a.id.as_str()).cmp(&(b.value.added, b.id.as_str())));
        Ok(all)
    }

    /// One hobby, when `id` is this person's.
    pub async fn hobby(self, id: &RecordId) -> Result<Option<Item<Hobby>>, ServiceError> {
        self.trellis.records::<Hobby>(self.me).get(id).await
    }

    /// Adds a hobby (at most [`MAX_HOBBIES`]).
    pub async fn add_hobby(
        self,
        name: &str,
    ) -> Result<Result<RecordId, HobbyProblem>, ServiceError> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(Err(HobbyProblem::Empty));
        }
        let Ok(name) = Bounded::<NAME_MAX>::new(name) else {
            return Ok(Err(HobbyProblem::NameTooLong));
        };
        let kept = self.hobbies().await?;
        // The same name again (a double click, or added before): the one already kept, with
        // its notes. Its id comes from its name, so two adds at once write one record.
        let key = name.as_str().to_lowercase();
        if let Some(same) = kept.iter().find(|h| h.value.name.to_lowercase() == key) {
            return Ok(Ok(same.id.clone()));
        }
        if kept.len() >= MAX_HOBBIES {
            return Ok(Err(HobbyProblem::Full));
        }
        // Strictly after the one before, so the order stays the order they were added.
        let after = kept.last().map_or(i64::MIN, |h| h.value.added + 1);
        let hobby = Hobby {
            name: name.into_string(),
            added: self.trellis.now().max(after),
            notes: Vec::new(),
        };
        let id = Trellis::keyed_id(self.me, Hobby::KIND, &key)?;
        let record = self.trellis.seal(self.me, id.clone(), None, &hobby)?;
        self.trellis.store.save_record(&record).await?;
        Ok(Ok(id))
    }

    /// Notes how a time felt (`None` when `id` is not this person's hobby).
    pub async fn note_hobby(
        self,
        id: &RecordId,
        day: Day,
        felt: &str,
    ) -> Result<Option<Result<(), HobbyProblem>>, ServiceError> {
        let records = self.trellis.records::<Hobby>(self.me);
        let Some(mut item) = records.get(id).await? else {
            return Ok(None);
        };
        let Ok(felt) = Bounded::<NOTE_MAX>::new(felt.trim()) else {
            return Ok(Some(Err(HobbyProblem::NoteTooLong)));
        };
        item.value.notes.push(HobbyNote {
            day,
            felt: felt.into_string(),
        });
        records.replace(id, &item.value).await?;
        Ok(Some(Ok(())))
    }

    /// Removes a hobby and its notes (false when not this person's).
    pub async fn delete_hobby(self, id: &RecordId) -> Result<bool, ServiceError> {
        self.trellis.records::<Hobby>(self.me).delete(id).await
    }

    /// The person's Progress choices.
    pub async fn prefs(self) -> Result<ProgressPrefs, ServiceError> {
        self.trellis.singleton::<ProgressPrefs>(self.me).get().await
    }

    /// Turns the joy jar on or off.
    pub async fn set_joy_jar(self, on: bool) -> Result<(), ServiceError> {
        self.trellis
            .singleton::<ProgressPrefs>(self.me)
            .update(|p| p.joy_jar = on)
            .await
    }

    /// From the joy jar, when it is on: one of the person's own past notes (not today's), the
    /// hobby's name and the day, chosen by the day so it stays the same all day.
    pub async fn joy(self, today: Day) -> Result<Option<(String, HobbyNote)>, ServiceError> {
        if !self.prefs().await?.joy_jar {
            return Ok(None);
        }
        let notes: Vec<(String, HobbyNote)> = self
            .hobbies()
            .await?
            .into_iter()
            .flat_map(|h| {
                let name = h.value.name;
                h.value
                    .notes
                    .into_iter()
                    .filter(|n| !n.felt.is_empty() && n.day < today)
                    .map(move |n| (name.clone(), n))
            })
            .collect();
        if notes.is_empty() {
            return Ok(None);
        }
        let pick = usize::try_from(today.unix_midnight() / 86_400).unwrap_or(0) % notes.len();
        Ok(notes.into_iter().nth(pick))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_calm_sentences() {
        for p in [
            HobbyProblem::Empty,
            HobbyProblem::NameTooLong,
            HobbyProblem::Full,
            HobbyProblem::NoteTooLong,
        ] {
            let s = p.to_string();
            assert!(s.ends_with('.') && !s.contains('!'), "{s}");
        }
        assert_eq!(IDEAS.len(), 8);
    }
}
