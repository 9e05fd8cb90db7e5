//! Today's comfort: for each kind of touch or closeness, yes / ask me first / not today, set in
//! a couple of taps, ending by itself at a time the person picks (by default the end of their
//! day). Sealed like everything else; shared with the partner only if chosen, and then kept up
//! to date each time it changes. An ended setting reads "not set: please ask".

use serde::{Deserialize, Serialize};

use super::*;
use crate::records::RecordKind;
use crate::text::{own_lines, TooLong};

/// The item name shared comfort is kept under.
pub const COMFORT_ITEM: &str = "comfort";

/// The kinds offered to everyone, in our own words.
pub const COMFORT_KINDS: [&str; 6] = [
    "Holding hands",
    "A hug",
    "Sitting close",
    "A massage",
    "Kissing",
    "Sexual touch",
];

/// How many kinds of one's own are kept.
pub const MAX_OWN_KINDS: usize = 8;
/// The longest own kind.
pub const OWN_KIND_MAX_CHARS: usize = 60;

/// How welcome one kind of closeness is today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Comfort {
    /// Welcome.
    Yes,
    /// Ask me first.
    AskFirst,
    /// Not today.
    NotToday,
}

impl Comfort {
    /// Every status, in the order offered.
    pub const ALL: [Self; 3] = [Self::Yes, Self::AskFirst, Self::NotToday];

    /// Its form value.
    pub fn key(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::AskFirst => "ask",
            Self::NotToday => "not-today",
        }
    }

    /// From its form value.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Yes => "Yes",
            Self::AskFirst => "Ask me first",
            Self::NotToday => "Not today",
        }
    }
}

/// How long a setting lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lasts {
    /// Until the end of the person's day.
    EndOfDay,
    /// For this many hours.
    Hours(i64),
}

impl Lasts {
    /// The choices offered, as (form value, words).
    pub const CHOICES: [(&'static str, &'static str); 3] = [
        ("day", "Until the end of today"),
        ("2h", "For the next 2 hours"),
        ("6h", "For the next 6 hours"),
    ];

    /// From its form value (the end of the day when unknown).
    pub fn from_key(key: &str) -> Self {
        match key {
            "2h" => Self::Hours(2),
            "6h" => Self::Hours(6),
            _ => Self::EndOfDay,
        }
    }

    /// When a setting made at `now` ends, for someone whose clock is `offset_minutes` behind
    /// UTC (as browsers say it: UTC − local; 0 without a browser's help).
    pub fn ends_at(self, now: i64, offset_minutes: i64) -> i64 {
        match self {
            Self::Hours(h) => now + h * 3600,
            Self::EndOfDay => {
                let offset = offset_minutes.clamp(-14 * 60, 14 * 60) * 60;
                let local = now - offset;
                let local_midnight = local.div_euclid(86_400) * 86_400 + 86_400;
                local_midnight + offset
            }
        }
    }
}

/// One person's comfort today, sealed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComfortToday {
    /// Each kind named with its status; kinds left unset are not listed.
    #[serde(default)]
    pub set: Vec<(String, Comfort)>,
    /// Kinds of one's own, offered beside [`COMFORT_KINDS`].
    #[serde(default)]
    pub own_kinds: Vec<String>,
    /// When it was set.
    #[serde(default)]
    pub set_at: i64,
    /// When it ends by itself.
    #[serde(default)]
    pub ends_at: i64,
}

impl RecordKind for ComfortToday {
    const KIND: &'static str = "comfort";
    const SCHEMA_VERSION: u16 = 1;
}

impl ComfortToday {
    /// Every kind to show: ours, then the person's own.
    pub fn kinds(&self) -> Vec<String> {
        COMFORT_KINDS
            .iter()
            .map(|k| (*k).to_owned())
            .chain(self.own_kinds.iter().cloned())
            .collect()
    }

    /// A kind's status at `now`: `None` when not set or ended ("not set: please ask").
    pub fn status(&self, kind: &str, now: i64) -> Option<Comfort> {
        if now >= self.ends_at {
            return None;
        }
        self.set.iter().find(|(k, _)| k == kind).map(|(_, c)| *c)
    }

    /// Whether anything is set and not ended at `now`.
    pub fn is_live(&self, now: i64) -> bool {
        now < self.ends_at && !self.set.is_empty()
    }
}

/// Own kinds as typed: one per line, tidied, at most [`MAX_OWN_KINDS`], each within
/// [`OWN_KIND_MAX_CHARS`]; ours and repeats left out.
pub fn own_kinds(typed: &str) -> Result<Vec<String>, TooLong> {
    own_lines::<OWN_KIND_MAX_CHARS>(typed, &COMFORT_KINDS, MAX_OWN_KINDS)
}

impl Handle<'_, Area> {
    /// This person's comfort (the default when never set).
    pub async fn comfort(self) -> Result<ComfortToday, ServiceError> {
        self.trellis.singleton::<ComfortToday>(self.me).get().await
    }

    /// Saves today's comfort; shares it (replacing the partner's copy) when `share`, or stops
    /// sharing it. Returns whether it is shared now.
    pub async fn save_comfort(
        self,
        comfort: &ComfortToday,
        share: bool,
    ) -> Result<bool, ServiceError> {
        self.trellis
            .singleton::<ComfortToday>(self.me)
            .save(comfort)
            .await?;
        if share {
            self.share(COMFORT_ITEM, comfort).await
        } else {
            self.stop_sharing(COMFORT_ITEM).await?;
            Ok(false)
        }
    }

    /// The comfort the partner shares, if they do (ended or not: the caller asks
    /// [`ComfortToday::status`] with the time).
    pub async fn partner_comfort(self) -> Result<Option<SharedWithMe<ComfortToday>>, ServiceError> {
        Ok(self
            .shared_with_me::<ComfortToday>(|item| item == COMFORT_ITEM)
            .await?
            .into_iter()
            .next())
    }
}
