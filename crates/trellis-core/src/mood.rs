//! How a day or a moment feels: one five-point scale, shared by Today's check-in and the
//! journal, and the way moods sealed before there was one scale are read.
//!
//! Until the scales were made one, Today asked 1 Very hard, 2 Hard, 3 Okay, 4 Good,
//! 5 Very good, and the journal offered 1 Very low, 2 Low, 3 Mixed, 4 Okay, 5 Good: "Okay" was
//! a different point on each. Moods live inside sealed records, so the server cannot change
//! them; a record says which scale its mood is on ([`MoodScale`], absent in older records),
//! and an older value is mapped by its meaning when the record is opened ([`MoodScale::read`]).
//! Saving the record again writes it on the one scale.

use serde::{Deserialize, Serialize};

/// The one scale, lowest first: the value kept and the words shown.
pub const MOODS: [(u8, &str); 5] = [
    (1, "Very low"),
    (2, "Low"),
    (3, "Okay"),
    (4, "Good"),
    (5, "Very good"),
];

/// The words for a mood.
pub fn mood_word(mood: u8) -> Option<&'static str> {
    MOODS.iter().find(|(m, _)| *m == mood).map(|(_, w)| *w)
}

/// "Low" or "Very low": what makes a check-in a hard day and a journal entry a hard moment.
pub fn is_low(mood: u8) -> bool {
    mood <= 2
}

/// The area a mood was sealed in, before the scales were one (each had its own words).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Before {
    /// Today: 1 Very hard, 2 Hard, 3 Okay, 4 Good, 5 Very good.
    Today,
    /// Journal: 1 Very low, 2 Low, 3 Mixed, 4 Okay, 5 Good.
    Journal,
}

/// Which scale a sealed record's mood is on. A record sealed before the scales were one has
/// no such field and reads as [`MoodScale::before`]; every value made now is on the one scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MoodScale(u8);

impl Default for MoodScale {
    fn default() -> Self {
        Self::ONE
    }
}

impl MoodScale {
    /// The one scale ([`MOODS`]).
    pub const ONE: Self = Self(1);

    /// What a record without the field was sealed on (the serde default).
    pub fn before() -> Self {
        Self(0)
    }

    /// A mood sealed on this scale (in `area`), on the one scale: by meaning, never by
    /// position. Today's values keep their numbers (Very hard is Very low, Hard is Low: the
    /// same point in gentler words); the journal's map by their words (Mixed and Okay are both
    /// Okay, Good is Good; nothing old becomes Very good). `None` for a value no scale had.
    pub fn read(self, area: Before, mood: u8) -> Option<u8> {
        if self == Self::ONE {
            return mood_word(mood).map(|_| mood);
        }
        match (area, mood) {
            (Before::Today, 1..=5) => Some(mood),
            (Before::Journal, 1 | 2) => Some(mood),
            (Before::Journal, 3 | 4) => Some(3),
            (Before::Journal, 5) => Some(4),
            _ => None,
        }
    }

    /// [`MoodScale::read`] for a mood kept as typed in a form (`""` or `"1"`…`"5"`); anything
    /// else is kept as it was.
    pub fn read_typed(self, area: Before, typed: &str) -> String {
        match typed.trim().parse::<u8>() {
            Ok(m) => self
                .read(area, m)
                .map_or_else(|| typed.to_owned(), |m| m.to_string()),
            Err(_) => typed.to_owned(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_one_scale_reads_as_it_is() {
        for (m, _) in MOODS {
            assert_eq!(MoodScale::ONE.read(Before::Today, m), Some(m));
            assert_eq!(MoodScale::ONE.read(Before::Journal, m), Some(m));
        }
        assert_eq!(MoodScale::ONE.read(Before::Journal, 0), None);
        assert_eq!(MoodScale::ONE.read(Before::Journal, 6), None);
        assert_eq!(
            MOODS.map(|(_, w)| w),
            ["Very low", "Low", "Okay", "Good", "Very good"]
        );
    }

    #[test]
    fn todays_old_moods_keep_their_points() {
        let old = MoodScale::before();
        let words = |m: u8| old.read(Before::Today, m).and_then(mood_word);
        assert_eq!(words(1), Some("Very low"), "Very hard");
        assert_eq!(words(2), Some("Low"), "Hard");
        assert_eq!(words(3), Some("Okay"), "Okay");
        assert_eq!(words(4), Some("Good"), "Good");
        assert_eq!(words(5), Some("Very good"), "Very good");
        assert_eq!(old.read(Before::Today, 0), None);
        assert_eq!(old.read(Before::Today, 6), None);
    }

    #[test]
    fn the_journals_old_moods_map_by_their_words() {
        let old = MoodScale::before();
        let words = |m: u8| old.read(Before::Journal, m).and_then(mood_word);
        assert_eq!(words(1), Some("Very low"), "Very low");
        assert_eq!(words(2), Some("Low"), "Low");
        assert_eq!(words(3), Some("Okay"), "Mixed");
        assert_eq!(words(4), Some("Okay"), "Okay");
        assert_eq!(words(5), Some("Good"), "Good");
        assert_eq!(old.read(Before::Journal, 0), None);
        assert_eq!(old.read(Before::Journal, 6), None);
        // Typed moods (drafts) map the same way; anything else stays as typed.
        assert_eq!(old.read_typed(Before::Journal, "4"), "3");
        assert_eq!(old.read_typed(Before::Journal, "5"), "4");
        assert_eq!(old.read_typed(Before::Journal, ""), "");
        assert_eq!(old.read_typed(Before::Journal, "happy"), "happy");
        assert_eq!(MoodScale::ONE.read_typed(Before::Journal, "4"), "4");
    }

    #[test]
    fn the_scale_is_kept_in_the_sealed_value() {
        #[derive(Serialize, Deserialize)]
        struct Sealed {
            #[serde(default = "MoodScale::before")]
            scale: MoodScale,
        }
        let old: Sealed = serde_json::from_str("{}").unwrap();
        assert_eq!(
            old.scale,
            MoodScale::before(),
            "absent: before the one scale"
        );
        let now = serde_json::to_string(&Sealed {
            scale: MoodScale::default(),
        })
        .unwrap();
        assert_eq!(now, r#"{"scale":1}"#);
        let again: Sealed = serde_json::from_str(&now).unwrap();
        assert_eq!(again.scale, MoodScale::ONE);
    }

    #[test]
    fn low_is_low_or_very_low() {
        let low: Vec<&str> = MOODS
            .iter()
            .filter(|(m, _)| is_low(*m))
            .map(|(_, w)| *w)
            .collect();
        assert_eq!(low, ["Very low", "Low"]);
    }
}
