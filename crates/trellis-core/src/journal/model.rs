//! What a journal entry is: its kinds and their boxes, the sealed entry, and matching
//! a filter.

use super::*;

/// The most characters one entry's text may hold (all its boxes together).
pub const MAX_ENTRY_CHARS: usize = 20_000;
/// The most tags on one entry.
pub const MAX_TAGS: usize = 20;
/// The longest tag.
pub const MAX_TAG_CHARS: usize = 40;
/// Entries per page of the list (a page always ends at the end of a day).
pub const PAGE_SIZE: usize = 30;
/// The longest search or tag filter kept (longer ones are cut).
pub const MAX_QUERY_CHARS: usize = 200;
/// Unfinished drafts kept per person (the oldest goes when a new form starts one more).
pub const MAX_DRAFTS: usize = 12;
/// The longest short field (mood, tags, day) a draft keeps, so a draft cannot balloon.
pub(super) const MAX_DRAFT_SHORT_CHARS: usize = 2_000;
pub(super) const DAY: i64 = 86_400;

/// The kinds of entry: a free one, and six with a gentle prompt the person can ignore.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    /// Free writing.
    #[default]
    #[serde(rename = "free")]
    Free,
    /// Three good moments today.
    #[serde(rename = "good_moments")]
    GoodMoments,
    /// One thing I did well.
    #[serde(rename = "did_well")]
    DidWell,
    /// Qualities I like in myself.
    #[serde(rename = "qualities")]
    Qualities,
    /// A harsh thought, then a kinder way to say it.
    #[serde(rename = "kinder_thought")]
    KinderThought,
    /// A trigger note: what happened, what the body did, what helped. Its key is the
    /// plainer `reaction`, because keys appear in addresses and browser history.
    #[serde(rename = "reaction")]
    TriggerNote,
    /// A mindful observation.
    #[serde(rename = "mindful")]
    Mindful,
}

/// One text box of an entry kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Form and storage name.
    pub name: &'static str,
    /// Its label.
    pub label: &'static str,
    /// A gentle hint under the label ("" = none).
    pub hint: &'static str,
    /// Visible lines of the box.
    pub rows: u8,
}

pub(super) const fn field(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    rows: u8,
) -> Field {
    Field {
        name,
        label,
        hint,
        rows,
    }
}

pub(super) const FREE_FIELDS: &[Field] = &[field("text", "Your words", "", 12)];
pub(super) const GOOD_FIELDS: &[Field] = &[
    field("moment1", "A good moment", "", 3),
    field("moment2", "Another good moment", "", 3),
    field("moment3", "One more good moment", "", 3),
];
pub(super) const DID_WELL_FIELDS: &[Field] = &[field("text", "What I did well", "", 5)];
pub(super) const QUALITIES_FIELDS: &[Field] = &[field("text", "Qualities I like in myself", "", 6)];
pub(super) const KINDER_FIELDS: &[Field] = &[
    field("harsh", "The harsh thought", "", 3),
    field(
        "kinder",
        "A kinder way to say it",
        "How might you say this to a friend you care about?",
        4,
    ),
];
pub(super) const TRIGGER_FIELDS: &[Field] = &[
    field(
        "what_happened",
        "What happened",
        "As much or as little as you like. You can leave this empty.",
        4,
    ),
    field(
        "body",
        "What my body did",
        "For example: a racing heart, tight shoulders, feeling far away.",
        3,
    ),
    field("what_helped", "What helped, even a little", "", 3),
];
pub(super) const MINDFUL_FIELDS: &[Field] = &[field("text", "What I noticed", "", 5)];

impl EntryKind {
    /// Every kind, in the order they are offered.
    pub const ALL: [Self; 7] = [
        Self::Free,
        Self::GoodMoments,
        Self::DidWell,
        Self::Qualities,
        Self::KinderThought,
        Self::TriggerNote,
        Self::Mindful,
    ];

    /// The key used in forms, addresses and the sealed value.
    pub fn key(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::GoodMoments => "good_moments",
            Self::DidWell => "did_well",
            Self::Qualities => "qualities",
            Self::KinderThought => "kinder_thought",
            Self::TriggerNote => "reaction",
            Self::Mindful => "mindful",
        }
    }

    /// The kind with this key.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Free => "Free writing",
            Self::GoodMoments => "Three good moments",
            Self::DidWell => "One thing I did well",
            Self::Qualities => "Qualities I like in myself",
            Self::KinderThought => "A kinder thought",
            Self::TriggerNote => "A hard moment",
            Self::Mindful => "A mindful moment",
        }
    }

    /// The gentle prompt: an offer, never an instruction.
    pub fn prompt(self) -> &'static str {
        match self {
            Self::Free => "Write whatever is on your mind. There is no right way to do it, and you can stop whenever you like.",
            Self::GoodMoments => "Three things from today that were good, even a little: a warm drink, a kind word, a quiet minute. Small things count.",
            Self::DidWell => "One thing you did well today, however small. Getting through a hard day counts too.",
            Self::Qualities => "A few qualities you like in yourself, and perhaps a moment when one of them showed.",
            Self::KinderThought => "If a harsh thought about yourself keeps coming back, you could write it down, then try saying it the way you would to a friend.",
            Self::TriggerNote => "If something stirred up a strong reaction, you can note it here. Write only what feels okay: you never have to describe what happened.",
            Self::Mindful => "Pause and notice one thing right now: a sound, a colour, the feel of your breath. Describe it as it is, without judging it.",
        }
    }

    /// Whether lists keep its words folded away until the person opens them: a hard moment,
    /// so someone looking back for good moments is not met by it. Its own page shows it all.
    pub fn folded_in_lists(self) -> bool {
        self == Self::TriggerNote
    }

    /// Its text boxes, in order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Self::Free => FREE_FIELDS,
            Self::GoodMoments => GOOD_FIELDS,
            Self::DidWell => DID_WELL_FIELDS,
            Self::Qualities => QUALITIES_FIELDS,
            Self::KinderThought => KINDER_FIELDS,
            Self::TriggerNote => TRIGGER_FIELDS,
            Self::Mindful => MINDFUL_FIELDS,
        }
    }
}

/// One journal entry, as sealed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Which prompt it answers.
    pub kind: EntryKind,
    /// The text of each box, by field name (only the kind's own fields are kept).
    #[serde(default)]
    pub texts: BTreeMap<String, String>,
    /// How the person felt, on the one scale ([`MOODS`]), if they said.
    #[serde(default)]
    pub mood: Option<u8>,
    /// Which scale `mood` was sealed on (none in entries sealed before the one scale; such a
    /// mood is mapped when the entry is opened, see [`RecordKind::upgrade`]).
    #[serde(default = "MoodScale::before")]
    pub scale: MoodScale,
    /// The person's own tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// When it was first saved (Unix seconds): orders the entries within a day. Sealed, so
    /// the time of day never reaches the database in clear.
    #[serde(default)]
    pub written_at: i64,
}

impl RecordKind for JournalEntry {
    const KIND: &'static str = "journal_entry";
    const SCHEMA_VERSION: u16 = 1;

    fn upgrade(&mut self) {
        self.mood = self.mood.and_then(|m| self.scale.read(Before::Journal, m));
        self.scale = MoodScale::ONE;
    }
}

impl JournalEntry {
    /// The text of one box ("" when empty or not part of this kind).
    pub fn text(&self, name: &str) -> &str {
        self.texts.get(name).map_or("", String::as_str)
    }

    /// The kind's boxes that hold something, in order.
    pub fn filled(&self) -> Vec<(Field, &str)> {
        self.kind
            .fields()
            .iter()
            .map(|f| (*f, self.text(f.name)))
            .filter(|(_, t)| !t.trim().is_empty())
            .collect()
    }

    /// Every filled box's words, in the kind's order, a box to a line.
    pub fn full_text(&self) -> String {
        self.filled()
            .iter()
            .map(|(_, t)| t.trim())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The mood in words.
    pub fn mood_word(&self) -> Option<&'static str> {
        self.mood.and_then(mood_word)
    }

    /// The start of the entry's text, for the list (at most `max` characters, whole words
    /// where possible, with "…" when cut).
    pub fn preview(&self, max: usize) -> String {
        let joined = self
            .filled()
            .iter()
            .map(|(_, t)| t.trim())
            .collect::<Vec<_>>()
            .join(" · ");
        let flat: String = joined.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() <= max {
            return flat;
        }
        let cut: String = flat.chars().take(max).collect();
        let cut = match cut.rfind(' ') {
            Some(i) if i > max / 2 => cut[..i].to_owned(),
            _ => cut,
        };
        format!("{}…", cut.trim_end())
    }

    /// A hard moment: a trigger note, or a mood of Low or Very low.
    pub fn is_hard(&self) -> bool {
        self.kind == EntryKind::TriggerNote || self.mood.is_some_and(is_low)
    }

    /// The person's own good moments in this entry: each of three good moments, the thing
    /// they did well, the qualities they like.
    pub fn good_moments(&self) -> Vec<&str> {
        match self.kind {
            EntryKind::GoodMoments | EntryKind::DidWell | EntryKind::Qualities => {
                self.filled().into_iter().map(|(_, t)| t.trim()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether the entry passes every part of `filter`.
    pub fn matches(&self, filter: &JournalFilter) -> bool {
        if filter.kind.is_some_and(|k| k != self.kind) {
            return false;
        }
        if let Some(tag) = &filter.tag_folded {
            if !self.tags.iter().any(|t| fold(t) == *tag) {
                return false;
            }
        }
        match &filter.query_folded {
            None => true,
            Some(q) => {
                self.kind
                    .fields()
                    .iter()
                    .any(|f| contains_folded(self.text(f.name), q))
                    || self.tags.iter().any(|t| contains_folded(t, q))
            }
        }
    }
}

/// Lower-cased for comparing without regard to case.
pub(super) fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// Whether `hay` contains `needle` (already lower-cased), ignoring case. Plain ASCII text,
/// by far the common case, is compared in place without allocating.
pub fn contains_folded(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        if n.len() > h.len() {
            return false;
        }
        let first = n[0];
        return h
            .windows(n.len())
            .any(|w| w[0].to_ascii_lowercase() == first && w.eq_ignore_ascii_case(n));
    }
    hay.to_lowercase().contains(needle)
}

/// What the list is narrowed to. Unknown kinds are ignored; long values are cut.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JournalFilter {
    /// Only this kind.
    pub kind: Option<EntryKind>,
    /// Only entries with this tag (as typed, for showing back).
    pub tag: Option<String>,
    /// Only entries containing these words (as typed, for showing back).
    pub query: Option<String>,
    pub(super) tag_folded: Option<String>,
    pub(super) query_folded: Option<String>,
}

impl JournalFilter {
    /// From the list's query parameters (`kind`, `tag`, `q`); empty ones mean "any".
    pub fn new(kind: &str, tag: &str, query: &str) -> Self {
        let clean = |s: &str| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_QUERY_CHARS)
                .collect();
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_owned())
        };
        let tag = clean(tag);
        let query = clean(query);
        Self {
            kind: EntryKind::parse(kind.trim()),
            tag_folded: tag.as_deref().map(fold),
            query_folded: query.as_deref().map(fold),
            tag,
            query,
        }
    }

    /// Whether nothing narrows the list.
    pub fn is_empty(&self) -> bool {
        self.kind.is_none() && self.tag.is_none() && self.query.is_none()
    }
}
