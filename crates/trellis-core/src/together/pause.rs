//! The pause: a signal (a safe word, what it means, the person's own words) kept sealed like
//! everything else, shared with the partner only if chosen; and the pause itself, which shows
//! a calm card on the person's own screen and, when the signal is shared, on the partner's
//! open pages within a second. A pause records nothing about why.

use serde::{Deserialize, Serialize};

use super::*;
use crate::events::Event;
use crate::records::RecordKind;
use crate::store::TogetherSignals;
use crate::text::{Bounded, TooLong};

/// The item name a shared pause signal is kept under.
pub const PAUSE_ITEM: &str = "pause-signal";

/// The longest safe word kept.
pub const SAFE_WORD_MAX_CHARS: usize = 60;
/// The longest own words for the card.
pub const PAUSE_WORDS_MAX_CHARS: usize = 300;

/// What a pause asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Meaning {
    /// Stop and step back; I'll say when I'm ready.
    #[default]
    Pause,
    /// Stop, then check in with me gently.
    CheckIn,
    /// I need some space on my own.
    Space,
}

impl Meaning {
    /// Every meaning, in the order offered.
    pub const ALL: [Self; 3] = [Self::Pause, Self::CheckIn, Self::Space];

    /// Its form value.
    pub fn key(self) -> &'static str {
        match self {
            Self::Pause => "pause",
            Self::CheckIn => "check-in",
            Self::Space => "space",
        }
    }

    /// From its form value.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// A short name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pause => "Pause",
            Self::CheckIn => "Stop and check in",
            Self::Space => "I need space",
        }
    }

    /// What the card on the person's own screen says, unless they wrote their own words.
    pub fn own_card(self) -> &'static str {
        match self {
            Self::Pause => "Pause. Please stop and step back. I'll tell you when I'm ready.",
            Self::CheckIn => "Please stop. Give me a moment, then check in with me gently.",
            Self::Space => {
                "I need some space right now. Please give me room. I'll come back to you."
            }
        }
    }

    /// What the partner's card asks of them.
    pub fn partner_steps(self) -> [&'static str; 4] {
        let first = match self {
            Self::Pause => "Stop what you are doing, gently, and step back a little.",
            Self::CheckIn => "Stop what you are doing, gently. Wait a moment before you check in.",
            Self::Space => "Stop what you are doing, gently, and give them room. Leave the room if they would like that.",
        };
        [
            first,
            "No questions for now, and no need to fix anything. Staying calm nearby is enough.",
            "It is not about you. A pause is a way of staying safe, and it is good that they could use it.",
            "When they are ready, you might ask: \u{201c}What would help?\u{201d}",
        ]
    }
}

/// A person's pause signal, sealed under their data key. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseSignal {
    /// What a pause asks for.
    #[serde(default)]
    pub meaning: Meaning,
    /// A safe word or sign, to say or show instead of pressing Pause.
    #[serde(default)]
    pub safe_word: String,
    /// Their own words for the card ("" = the words of the meaning).
    #[serde(default)]
    pub own_words: String,
}

impl RecordKind for PauseSignal {
    const KIND: &'static str = "pause_signal";
    const SCHEMA_VERSION: u16 = 1;
}

impl PauseSignal {
    /// Checks what was typed: the safe word and the own words within their lengths.
    pub fn new(meaning: Meaning, safe_word: &str, own_words: &str) -> Result<Self, TooLong> {
        Ok(Self {
            meaning,
            safe_word: Bounded::<SAFE_WORD_MAX_CHARS>::new(safe_word)?
                .as_str()
                .to_owned(),
            own_words: Bounded::<PAUSE_WORDS_MAX_CHARS>::new(own_words)?
                .as_str()
                .to_owned(),
        })
    }

    /// The words of the card.
    pub fn card(&self) -> &str {
        if self.own_words.is_empty() {
            self.meaning.own_card()
        } else {
            &self.own_words
        }
    }
}

/// What pressing Pause did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paused {
    /// The card is on this screen and the partner's.
    Told {
        /// Since when (a second press keeps the first time).
        since: i64,
    },
    /// The card is on this screen only (not linked, or the signal is not shared).
    HereOnly,
}

/// The partner's pause, as their partner sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerPause {
    /// Since when.
    pub since: i64,
    /// Their signal, when they share it (it always is when a pause reaches the partner, but
    /// a copy that does not open is left out rather than shown wrong).
    pub signal: Option<PauseSignal>,
}

impl Handle<'_, Area> {
    /// This person's pause signal (the default when never saved).
    pub async fn pause_signal(self) -> Result<PauseSignal, ServiceError> {
        self.trellis.singleton::<PauseSignal>(self.me).get().await
    }

    /// Saves the signal, and shares it with the partner when `share` (the partner's copy is
    /// replaced) or stops sharing it. Returns whether it is shared now (false while not
    /// linked: nothing can be shared then).
    pub async fn save_pause_signal(
        self,
        signal: &PauseSignal,
        share: bool,
    ) -> Result<bool, ServiceError> {
        self.trellis
            .singleton::<PauseSignal>(self.me)
            .save(signal)
            .await?;
        if share {
            self.share(PAUSE_ITEM, signal).await
        } else {
            self.stop_sharing(PAUSE_ITEM).await?;
            Ok(false)
        }
    }

    /// Pause: the card shows on this screen; when the signal is shared, on the partner's open
    /// pages too, at once.
    pub async fn pause(self) -> Result<Paused, ServiceError> {
        if !self.shares(PAUSE_ITEM).await? {
            return Ok(Paused::HereOnly);
        }
        let store = &self.trellis.store;
        let Some((partner, since)) = store
            .start_pause(self.me.account_id(), self.trellis.now())
            .await?
        else {
            return Ok(Paused::HereOnly);
        };
        self.trellis.publish(&partner, Event::PartnerPaused).await?;
        tracing::info!(event = "pause_shared");
        Ok(Paused::Told { since })
    }

    /// "I'm ready to talk": ends this person's pause (nothing happens when none is on).
    pub async fn resume(self) -> Result<(), ServiceError> {
        if let Some(partner) = self.trellis.store.end_pause(self.me.account_id()).await? {
            self.trellis
                .publish(&partner, Event::PartnerResumed)
                .await?;
        }
        Ok(())
    }

    /// Linked, own pause, the partner's pause: one query, for every page's frame.
    pub async fn signals(self) -> Result<TogetherSignals, ServiceError> {
        Ok(self
            .trellis
            .store
            .together_signals(self.me.account_id())
            .await?)
    }

    /// The partner's pause, if one is on.
    pub async fn partner_pause(self) -> Result<Option<PartnerPause>, ServiceError> {
        let Some(since) = self.signals().await?.partner_pause else {
            return Ok(None);
        };
        let signal = self.partner_signal().await?.map(|s| s.value);
        Ok(Some(PartnerPause { since, signal }))
    }

    /// The pause signal the partner shares, if they do.
    pub async fn partner_signal(self) -> Result<Option<SharedWithMe<PauseSignal>>, ServiceError> {
        Ok(self
            .shared_with_me::<PauseSignal>(|item| item == PAUSE_ITEM)
            .await?
            .into_iter()
            .next())
    }
}
