//! The yes / no / maybe list: kinds of closeness in our own words, grouped, with items of
//! one's own. Each person answers privately (sealed); the partner sees an item only where both
//! said yes, or yes or maybe when both chose to show maybes. The server cannot learn the
//! answers: for each positive answer each side keeps a tag, HMAC(pair key, item, level), and the
//! matches are the tags both hold. A "no" never has a tag and is never shown to anyone.

use serde::{Deserialize, Serialize};

use super::*;
use crate::records::RecordKind;
use crate::text::{own_lines, TooLong};

/// The list's groups and items, in our own words.
pub const LIST_GROUPS: [(&str, &[&str]); 4] = [
    (
        "Being near",
        &[
            "Sitting close on the sofa",
            "Holding hands",
            "Falling asleep next to each other",
            "A long hug",
            "Being held from behind",
        ],
    ),
    (
        "Gentle touch",
        &[
            "A hand on my back or shoulder",
            "Having my hair stroked",
            "A back or shoulder massage",
            "A foot rub",
            "Kissing on the cheek or forehead",
        ],
    ),
    (
        "Kissing and more",
        &[
            "Kissing on the lips",
            "Long kisses",
            "Touching over clothes",
            "Touching under clothes",
            "Being naked together",
            "Sexual touch",
            "Sex",
        ],
    ),
    (
        "How we are together",
        &[
            "Being asked before each new touch",
            "Saying out loud what feels good",
            "Checking in with each other during",
            "Keeping the light on",
            "Talking afterwards about how it was",
        ],
    ),
];

/// How many items of one's own are kept.
pub const MAX_OWN_ITEMS: usize = 12;
/// The longest own item.
pub const OWN_ITEM_MAX_CHARS: usize = 80;

/// An answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// Yes.
    Yes,
    /// Maybe.
    Maybe,
    /// No.
    No,
    /// Not now.
    NotNow,
}

impl Answer {
    /// Every answer, in the order offered.
    pub const ALL: [Self; 4] = [Self::Yes, Self::Maybe, Self::No, Self::NotNow];

    /// Its form value.
    pub fn key(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::Maybe => "maybe",
            Self::No => "no",
            Self::NotNow => "not-now",
        }
    }

    /// From its form value.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Yes => "Yes",
            Self::Maybe => "Maybe",
            Self::No => "No",
            Self::NotNow => "Not now",
        }
    }
}

/// One person's answers, sealed under their data key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListAnswers {
    /// Each answered item with its answer.
    #[serde(default)]
    pub answers: Vec<(String, Answer)>,
    /// Items of one's own, answered like the others.
    #[serde(default)]
    pub own_items: Vec<String>,
    /// Whether "maybe" may count towards a match (only where both chose it).
    #[serde(default)]
    pub show_maybes: bool,
    /// The link these answers were last saved for ("partner id:since"; "" = none): answers
    /// given before a link (or for an earlier partner) count only once saved again.
    #[serde(default)]
    pub saved_for: String,
}

impl RecordKind for ListAnswers {
    const KIND: &'static str = "closeness_list";
    const SCHEMA_VERSION: u16 = 1;
}

/// The tag levels: a yes; a yes or maybe (kept only by someone who shows maybes).
const LEVEL_YES: u8 = 2;
const LEVEL_YES_OR_MAYBE: u8 = 1;

/// How two people's answers meet on one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// Both said yes.
    BothYes,
    /// Both said yes or maybe (and both show maybes).
    YesOrMaybe,
}

impl ListAnswers {
    /// Every item to show: ours, then the person's own.
    pub fn items(&self) -> Vec<String> {
        LIST_GROUPS
            .iter()
            .flat_map(|(_, items)| items.iter().map(|i| (*i).to_owned()))
            .chain(self.own_items.iter().cloned())
            .collect()
    }

    /// An item's answer, if given.
    pub fn answer(&self, item: &str) -> Option<Answer> {
        self.answers
            .iter()
            .find(|(i, _)| i == item)
            .map(|(_, a)| *a)
    }

    /// The name an item is tagged under: folded, so "Sex " and "sex" meet.
    fn tag_name(item: &str) -> String {
        item.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }

    /// The tags of this person's positive answers under `key`.
    pub fn tags(&self, key: &PairKey) -> Vec<[u8; 16]> {
        let mut tags = Vec::new();
        for (item, answer) in &self.answers {
            let name = Self::tag_name(item);
            if *answer == Answer::Yes {
                tags.push(key.match_tag(&name, LEVEL_YES));
            }
            if self.show_maybes && matches!(answer, Answer::Yes | Answer::Maybe) {
                tags.push(key.match_tag(&name, LEVEL_YES_OR_MAYBE));
            }
        }
        tags
    }

    /// Which of this person's items match, given the tags both hold.
    pub fn matches(&self, key: &PairKey, both: &[Vec<u8>]) -> Vec<(String, Match)> {
        self.matches_with(key, both, |t| t.to_vec())
    }

    /// [`ListAnswers::matches`] where the tags were stored as `stored(tag)`.
    pub fn matches_with(
        &self,
        key: &PairKey,
        both: &[Vec<u8>],
        stored: impl Fn(&[u8; 16]) -> Vec<u8>,
    ) -> Vec<(String, Match)> {
        let held = |name: &str, level| {
            let tag = stored(&key.match_tag(name, level));
            both.contains(&tag)
        };
        self.items()
            .into_iter()
            .filter_map(|item| {
                let name = Self::tag_name(&item);
                if held(&name, LEVEL_YES) {
                    Some((item, Match::BothYes))
                } else if held(&name, LEVEL_YES_OR_MAYBE) {
                    Some((item, Match::YesOrMaybe))
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Own items as typed: one per line, tidied, at most [`MAX_OWN_ITEMS`], each within
/// [`OWN_ITEM_MAX_CHARS`]; ours and repeats left out.
pub fn own_items(typed: &str) -> Result<Vec<String>, TooLong> {
    let ours: Vec<&str> = LIST_GROUPS
        .iter()
        .flat_map(|(_, i)| i.iter().copied())
        .collect();
    own_lines::<OWN_ITEM_MAX_CHARS>(typed, &ours, MAX_OWN_ITEMS)
}

impl Handle<'_, Area> {
    /// This person's answers (the default when never saved).
    pub async fn list_answers(self) -> Result<ListAnswers, ServiceError> {
        self.trellis.singleton::<ListAnswers>(self.me).get().await
    }

    /// Saves the answers and, when linked, replaces this person's tags (a withdrawn answer's
    /// match is gone at once). Saving while linked is what lets the answers count for this
    /// partner.
    pub async fn save_list(self, answers: &ListAnswers) -> Result<(), ServiceError> {
        let mut answers = answers.clone();
        answers.saved_for = self.link_name().await?;
        self.trellis
            .singleton::<ListAnswers>(self.me)
            .save(&answers)
            .await?;
        self.sync_tags(&answers).await?;
        Ok(())
    }

    /// "partner id:since" for the current link ("" when not linked).
    async fn link_name(self) -> Result<String, ServiceError> {
        Ok(self
            .trellis
            .store
            .partner(self.me.account_id())
            .await?
            .map(|(p, since)| format!("{p}:{since}"))
            .unwrap_or_default())
    }

    async fn sync_tags(self, answers: &ListAnswers) -> Result<Option<PairKey>, ServiceError> {
        let Some((partner, key)) = self.pair().await? else {
            return Ok(None);
        };
        let stored: Vec<[u8; 16]> = answers
            .tags(&key)
            .iter()
            .map(|t| self.trellis.blind_tag(t))
            .collect();
        self.trellis
            .store
            .set_match_tags(self.me.account_id(), &partner, &stored)
            .await?;
        Ok(Some(key))
    }

    /// The items both said yes to (or yes or maybe, where both show maybes), read without
    /// writing anything. Empty when not linked; `waiting` when this person has answers that
    /// were saved before this link (they count only once saved again, by choice).
    pub async fn list_matches(self) -> Result<ListMatches, ServiceError> {
        let answers = self.list_answers().await?;
        let link = self.link_name().await?;
        let Some((_, key)) = self.pair().await? else {
            return Ok(ListMatches::default());
        };
        if answers.saved_for != link {
            return Ok(ListMatches {
                matches: Vec::new(),
                waiting: !answers.answers.is_empty(),
            });
        }
        let both = self
            .trellis
            .store
            .matching_tags(self.me.account_id())
            .await?;
        // The stored tags are blinded: blind ours the same way to find them.
        let blind = |t: &[u8; 16]| self.trellis.blind_tag(t).to_vec();
        Ok(ListMatches {
            matches: answers.matches_with(&key, &both, blind),
            waiting: false,
        })
    }
}

/// What the list shows of the matches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListMatches {
    /// Each matching item.
    pub matches: Vec<(String, Match)>,
    /// This person's answers were saved before this link: they do not count yet.
    pub waiting: bool,
}

impl Trellis {
    /// A match tag as stored: blinded with the server's secret, so that the partner (who holds
    /// the pair key) cannot compute tags for every item and compare them with the other's rows
    /// in a copy of the database. Matching still works by equality.
    pub(crate) fn blind_tag(&self, tag: &[u8; 16]) -> [u8; 16] {
        let full = self
            .session_secret
            .keyed_hash("trellis/v1/match-blind", tag);
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }
}
