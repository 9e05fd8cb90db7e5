//! Journal (issue 4): free entries and gently prompted ones, sealed drafts kept while the
//! person types, a page-by-page list, filters and search opened in memory for one request
//! only, and (only when the person turned it on) one of their own past good moments on a
//! hard day.
//!
//! Every entry is one sealed record of kind `journal_entry`, whatever its prompt. The prompt
//! (a trigger note, say) lives inside the sealed value, so the database cannot tell which
//! days held a hard moment. As for every record, only the ids and coarse days are in clear:
//! the entry's day is its `created_day`, which the person may set (writing about yesterday).

mod index;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use trellis_vault::record::{open_record, seal_record};
use trellis_vault::{RecordContext, SealedParts};
use zeroize::Zeroizing;

use self::index::{
    month_of, next_month, Chunk, ChunkView, IndexEntry, Matcher, MonthDigest, INDEX_KIND,
    INDEX_SCHEMA,
};

use crate::access::Unlocked;
use crate::clock::{day_of, iso_day, parse_iso_day};
use crate::ids::RecordId;
use crate::records::{Item, RecordKind};
use crate::store::{PageStart, StoreError, StoredRecord};
use crate::trellis::{ServiceError, Trellis};

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
const MAX_DRAFT_SHORT_CHARS: usize = 2_000;
const DAY: i64 = 86_400;

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

const fn field(name: &'static str, label: &'static str, hint: &'static str, rows: u8) -> Field {
    Field {
        name,
        label,
        hint,
        rows,
    }
}

const FREE_FIELDS: &[Field] = &[field("text", "Your words", "", 12)];
const GOOD_FIELDS: &[Field] = &[
    field("moment1", "A good moment", "", 3),
    field("moment2", "Another good moment", "", 3),
    field("moment3", "One more good moment", "", 3),
];
const DID_WELL_FIELDS: &[Field] = &[field("text", "What I did well", "", 5)];
const QUALITIES_FIELDS: &[Field] = &[field("text", "Qualities I like in myself", "", 6)];
const KINDER_FIELDS: &[Field] = &[
    field("harsh", "The harsh thought", "", 3),
    field(
        "kinder",
        "A kinder way to say it",
        "How might you say this to a friend you care about?",
        4,
    ),
];
const TRIGGER_FIELDS: &[Field] = &[
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
const MINDFUL_FIELDS: &[Field] = &[field("text", "What I noticed", "", 5)];

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
            Self::TriggerNote => "A trigger note",
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

/// Moods, in the person's words (optional; 1 is the lowest).
pub const MOODS: [(u8, &str); 5] = [
    (1, "Very low"),
    (2, "Low"),
    (3, "Mixed"),
    (4, "Okay"),
    (5, "Good"),
];

/// The word for a mood value.
pub fn mood_word(mood: u8) -> Option<&'static str> {
    MOODS.iter().find(|(m, _)| *m == mood).map(|(_, w)| *w)
}

/// One journal entry, as sealed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Which prompt it answers.
    pub kind: EntryKind,
    /// The text of each box, by field name (only the kind's own fields are kept).
    #[serde(default)]
    pub texts: BTreeMap<String, String>,
    /// How the person felt (see [`MOODS`]), if they said.
    #[serde(default)]
    pub mood: Option<u8>,
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

    /// A hard moment: a trigger note, or a low mood.
    pub fn is_hard(&self) -> bool {
        self.kind == EntryKind::TriggerNote || self.mood.is_some_and(|m| m <= 2)
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
fn fold(s: &str) -> String {
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
    tag_folded: Option<String>,
    query_folded: Option<String>,
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

/// Why an entry (or a draft) was not saved. Each message is calm and says the words are kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    /// Nothing written in any box.
    #[error("There is nothing written yet, so nothing was saved. Write as little or as much as you like, or come back another time.")]
    Empty,
    /// Over [`MAX_ENTRY_CHARS`].
    #[error("This entry has {0} characters, and one entry can hold up to 20,000. Nothing was saved yet and your words are still here: you could shorten it, or move part of it into a new entry.")]
    TooLong(usize),
    /// Over [`MAX_TAGS`].
    #[error("Please use up to 20 tags (there are {0} now). Nothing was saved yet; your words are still here.")]
    TooManyTags(usize),
    /// A tag over [`MAX_TAG_CHARS`].
    #[error("Each tag can be up to 40 characters. Please shorten the long one. Nothing was saved yet; your words are still here.")]
    TagTooLong,
    /// Not one of [`MOODS`].
    #[error("Please choose one of the words for how you feel, or leave it empty. Nothing was saved yet; your words are still here.")]
    Mood,
    /// Not a date from 1900 to tomorrow.
    #[error("Please give a date from 1900 up to today, written like 2026-03-03, or leave it empty for today. Nothing was saved yet; your words are still here.")]
    Day,
}

/// An entry as typed into the form: every value raw, so a refused form comes back exactly
/// as it was, and a draft restores exactly what was typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInput {
    /// The kind.
    #[serde(default)]
    pub kind: EntryKind,
    /// Each box, by field name.
    #[serde(default)]
    pub texts: BTreeMap<String, String>,
    /// `""` or `"1"`…`"5"`.
    #[serde(default)]
    pub mood: String,
    /// Comma-separated tags.
    #[serde(default)]
    pub tags: String,
    /// `YYYY-MM-DD`, or `""` for today.
    #[serde(default)]
    pub day: String,
}

impl EntryInput {
    /// A blank form of `kind`.
    pub fn blank(kind: EntryKind) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }

    /// The form for editing a saved entry.
    pub fn from_entry(item: &Item<JournalEntry>) -> Self {
        let e = &item.value;
        Self {
            kind: e.kind,
            texts: e
                .kind
                .fields()
                .iter()
                .map(|f| (f.name.to_owned(), e.text(f.name).to_owned()))
                .collect(),
            mood: e.mood.map(|m| m.to_string()).unwrap_or_default(),
            tags: e.tags.join(", "),
            day: iso_day(item.created_day),
        }
    }

    /// The typed text of one box.
    pub fn text(&self, name: &str) -> &str {
        self.texts.get(name).map_or("", String::as_str)
    }

    /// Characters across the kind's boxes.
    pub fn text_chars(&self) -> usize {
        self.kind
            .fields()
            .iter()
            .map(|f| self.text(f.name).chars().count())
            .sum()
    }

    /// Checks the input and makes the entry and its day. `today` is Unix seconds at midnight.
    pub fn to_entry(&self, today: i64) -> Result<(JournalEntry, i64), EntryProblem> {
        let chars = self.text_chars();
        if chars > MAX_ENTRY_CHARS {
            return Err(EntryProblem::TooLong(chars));
        }
        let tags = parse_tags(&self.tags)?;
        let mood = match self.mood.trim() {
            "" => None,
            m => Some(
                m.parse::<u8>()
                    .ok()
                    .filter(|m| mood_word(*m).is_some())
                    .ok_or(EntryProblem::Mood)?,
            ),
        };
        let day = match self.day.trim() {
            "" => today,
            d => parse_iso_day(d)
                .filter(|d| (EARLIEST_DAY..=today + DAY).contains(d))
                .ok_or(EntryProblem::Day)?,
        };
        let texts: BTreeMap<String, String> = self
            .kind
            .fields()
            .iter()
            .map(|f| (f.name.to_owned(), self.text(f.name).replace('\0', " ")))
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
        if texts.is_empty() && tags.is_empty() && mood.is_none() {
            return Err(EntryProblem::Empty);
        }
        Ok((
            JournalEntry {
                kind: self.kind,
                texts,
                mood,
                tags,
                written_at: 0,
            },
            day,
        ))
    }

    /// Checks a draft: only its size matters (a draft may be half-typed in any way).
    fn check_draft(&self) -> Result<(), EntryProblem> {
        let chars = self.text_chars();
        if chars > MAX_ENTRY_CHARS {
            return Err(EntryProblem::TooLong(chars));
        }
        let short = [&self.mood, &self.tags, &self.day]
            .iter()
            .map(|s| s.chars().count())
            .sum::<usize>();
        if short > MAX_DRAFT_SHORT_CHARS {
            return Err(EntryProblem::TooLong(chars + short));
        }
        Ok(())
    }
}

/// 1900-01-01 as Unix seconds: the earliest day an entry may be about.
const EARLIEST_DAY: i64 = -2_208_988_800;

/// Splits comma-separated tags: trimmed, inner spaces collapsed, empty ones dropped,
/// repeats (ignoring case) kept once. At most [`MAX_TAGS`] of at most [`MAX_TAG_CHARS`].
pub fn parse_tags(raw: &str) -> Result<Vec<String>, EntryProblem> {
    let mut tags: Vec<String> = Vec::new();
    for part in raw.split(',') {
        let tag = part
            .replace('\0', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if tag.is_empty() || tags.iter().any(|t| fold(t) == fold(&tag)) {
            continue;
        }
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(EntryProblem::TagTooLong);
        }
        tags.push(tag);
    }
    if tags.len() > MAX_TAGS {
        return Err(EntryProblem::TooManyTags(tags.len()));
    }
    Ok(tags)
}

/// Which form a draft belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftForm {
    /// A new entry of this kind.
    New(EntryKind),
    /// Editing this entry.
    Edit(RecordId),
}

impl DraftForm {
    /// `new:<kind>` or `edit:<id>`.
    pub fn key(&self) -> String {
        match self {
            Self::New(kind) => format!("new:{}", kind.key()),
            Self::Edit(id) => format!("edit:{id}"),
        }
    }

    /// Reads a key made by [`DraftForm::key`].
    pub fn parse(key: &str) -> Option<Self> {
        match key.split_once(':')? {
            ("new", kind) => EntryKind::parse(kind).map(Self::New),
            ("edit", id) => RecordId::parse(id).map(Self::Edit),
            _ => None,
        }
    }
}

/// What someone was typing, sealed as they go (one per form, replaced as they type,
/// deleted when the entry is saved).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalDraft {
    /// The form ([`DraftForm::key`]).
    #[serde(default)]
    pub form: String,
    /// Exactly what was typed.
    #[serde(default)]
    pub input: EntryInput,
    /// When it was last saved (Unix seconds).
    #[serde(default)]
    pub saved_at: i64,
}

impl RecordKind for JournalDraft {
    const KIND: &'static str = "journal_draft";
    const SCHEMA_VERSION: u16 = 1;
}

/// The person's journal preferences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPrefs {
    /// On a hard day, offer one of their own past good moments. Off unless they turn it on.
    #[serde(default)]
    pub resurface_good_moments: bool,
}

impl RecordKind for JournalPrefs {
    const KIND: &'static str = "journal_prefs";
    const SCHEMA_VERSION: u16 = 1;
}

/// One page of the list: whole days, newest first.
#[derive(Clone, Debug, Default)]
pub struct JournalPage {
    /// The entries, newest day first, latest written first within a day.
    pub entries: Vec<Item<JournalEntry>>,
    /// The day to pass as `before` for the next (older) page, when there is one.
    pub older: Option<i64>,
    /// For a search: how many entries matched in all (on every page).
    pub found: Option<usize>,
}

/// A good moment from the person's own past entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastGoodMoment {
    /// The day of the entry it comes from.
    pub day: i64,
    /// Their words.
    pub text: String,
}

/// Why a journal change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The person's input needs a change (shown calmly, with their words kept).
    #[error(transparent)]
    Input(#[from] EntryProblem),
    /// Something on our side.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<StoreError> for JournalError {
    fn from(e: StoreError) -> Self {
        Self::Service(e.into())
    }
}

/// Cuts a newest-first list into one page of whole days: at most `size` items, ending at a
/// day's end; a single day with more than `size` items is shown whole. Returns the page and,
/// when older items remain, the day to continue before.
pub fn whole_days<T>(
    mut items: Vec<T>,
    size: usize,
    day: impl Fn(&T) -> i64,
) -> (Vec<T>, Option<i64>) {
    if items.len() <= size {
        return (items, None);
    }
    let boundary = day(&items[size]);
    let keep = items[..size]
        .iter()
        .take_while(|i| day(i) != boundary)
        .count();
    if keep > 0 {
        items.truncate(keep);
        let older = items.last().map(&day);
        return (items, older);
    }
    let whole = items.iter().take_while(|i| day(i) == boundary).count();
    let older = (whole < items.len()).then_some(boundary);
    items.truncate(whole);
    (items, older)
}

/// Newest day first, then latest written first (the ids' order breaks ties).
fn sort_newest_first(entries: &mut [Item<JournalEntry>]) {
    entries.sort_by(|a, b| {
        b.created_day
            .cmp(&a.created_day)
            .then_with(|| b.value.written_at.cmp(&a.value.written_at))
    });
}

impl Trellis {
    fn open_entry(
        &self,
        unlocked: &Unlocked,
        r: &StoredRecord,
    ) -> Result<Item<JournalEntry>, ServiceError> {
        Ok(Item {
            id: r.id.clone(),
            created_day: r.created_day,
            updated_day: r.updated_day,
            value: self.open(unlocked, r)?,
        })
    }

    /// Opens a sealed record's plaintext bytes (the digest is not JSON).
    fn open_bytes(
        &self,
        unlocked: &Unlocked,
        r: StoredRecord,
    ) -> Result<Zeroizing<Vec<u8>>, ServiceError> {
        if r.account_id != unlocked.account.id {
            return Err(ServiceError::Keys);
        }
        let ctx = RecordContext {
            account_id: r.account_id.as_str(),
            record_type: &r.kind,
            record_id: r.id.as_str(),
            schema_version: r.schema_version,
            key_id: r.key_id,
        };
        let parts = SealedParts {
            enc_cek: r.enc_cek,
            ciphertext: r.ciphertext,
        };
        open_record(&unlocked.udk, &ctx, &parts).map_err(|_| ServiceError::Keys)
    }

    /// Seals one chunk of a month's digest under its record id.
    fn seal_chunk(
        &self,
        unlocked: &Unlocked,
        month: i64,
        id: RecordId,
        chunk: &Chunk,
    ) -> Result<StoredRecord, ServiceError> {
        let mut record = StoredRecord {
            account_id: unlocked.account.id.clone(),
            id,
            kind: INDEX_KIND.to_owned(),
            schema_version: INDEX_SCHEMA,
            key_id: unlocked.udk.key_id(),
            enc_cek: Vec::new(),
            ciphertext: Vec::new(),
            created_day: month,
            updated_day: day_of(self.now()),
        };
        let ctx = RecordContext {
            account_id: record.account_id.as_str(),
            record_type: INDEX_KIND,
            record_id: record.id.as_str(),
            schema_version: INDEX_SCHEMA,
            key_id: record.key_id,
        };
        let plaintext = Zeroizing::new(chunk.encode());
        let SealedParts {
            enc_cek,
            ciphertext,
        } = seal_record(&unlocked.udk, &ctx, &plaintext).map_err(|_| ServiceError::Keys)?;
        record.enc_cek = enc_cek;
        record.ciphertext = ciphertext;
        Ok(record)
    }

    /// A month's digest changes, sealed: the chunks to save and the records to delete.
    fn seal_month(
        &self,
        unlocked: &Unlocked,
        month: i64,
        digest: MonthDigest,
    ) -> Result<(Vec<StoredRecord>, Vec<RecordId>), ServiceError> {
        let (chunks, delete) = digest.into_changes();
        let save = chunks
            .into_iter()
            .map(|(id, chunk)| self.seal_chunk(unlocked, month, id, &chunk))
            .collect::<Result<_, _>>()?;
        Ok((save, delete))
    }

    /// How many entries each month holds, from the clear per-day counts.
    async fn entries_per_month(
        &self,
        unlocked: &Unlocked,
        from_day: i64,
        until_day: i64,
    ) -> Result<BTreeMap<i64, usize>, ServiceError> {
        let mut months: BTreeMap<i64, usize> = BTreeMap::new();
        for (day, n) in self
            .store
            .count_records_by_day(
                unlocked.account_id(),
                JournalEntry::KIND,
                from_day,
                until_day,
            )
            .await?
        {
            *months.entry(month_of(day)).or_default() += usize::try_from(n).unwrap_or(usize::MAX);
        }
        Ok(months)
    }

    /// The stored records of one kind whose day falls in `month`.
    async fn records_of_month(
        &self,
        unlocked: &Unlocked,
        kind: &str,
        month: i64,
    ) -> Result<Vec<StoredRecord>, ServiceError> {
        Ok(self
            .store
            .records_of_kind_in_days(unlocked.account_id(), kind, month, next_month(month))
            .await?)
    }

    /// The entries of one month, opened (for months whose digest is missing or stale).
    async fn entries_of_month(
        &self,
        unlocked: &Unlocked,
        month: i64,
    ) -> Result<Vec<Item<JournalEntry>>, ServiceError> {
        self.records_of_month(unlocked, JournalEntry::KIND, month)
            .await?
            .iter()
            .map(|r| self.open_entry(unlocked, r))
            .collect()
    }

    /// A month's digest for a change to the entry `target`: the stored chunks when they all
    /// open and add up to the month's entries (by count), otherwise rebuilt from the entries
    /// themselves.
    async fn month_for_change(
        &self,
        unlocked: &Unlocked,
        month: i64,
        target: &RecordId,
    ) -> Result<MonthDigest, ServiceError> {
        let (expected, stored) = tokio::join!(
            self.entries_per_month(unlocked, month, next_month(month)),
            self.records_of_month(unlocked, INDEX_KIND, month)
        );
        let expected = expected?.get(&month).copied().unwrap_or(0);
        let stored = stored?;
        let ids: Vec<RecordId> = stored.iter().map(|r| r.id.clone()).collect();
        let mut digest = MonthDigest::default();
        let mut sound = true;
        for r in stored {
            let id = r.id.clone();
            let opened = self.open_bytes(unlocked, r).ok();
            match opened.as_deref().and_then(|b| ChunkView::decode(b)) {
                Some(view) => digest.scan(id, view, target),
                None => sound = false,
            }
        }
        if sound && digest.len() == expected {
            return Ok(digest);
        }
        let entries = self.entries_of_month(unlocked, month).await?;
        if expected > 0 {
            tracing::warn!(event = "journal_index_rebuilt");
        }
        Ok(MonthDigest::rebuilt(
            entries
                .iter()
                .map(|item| (&item.id, item.created_day, &item.value)),
            ids,
        ))
    }

    /// Opens and searches every digest chunk, spread over the machine's cores (each chunk is
    /// independent). A chunk that does not open or read is left out: it is only derived
    /// data, and its month is then searched entry by entry.
    fn search_digests(
        &self,
        unlocked: &Unlocked,
        digests: Vec<StoredRecord>,
        matcher: &Matcher,
        keep: &(impl Fn(&IndexEntry) -> bool + Sync),
    ) -> Vec<SearchedChunk> {
        let work = |chunk: Vec<StoredRecord>| -> Vec<SearchedChunk> {
            let mut out = Vec::new();
            for r in chunk {
                let month = r.created_day;
                let Ok(bytes) = self.open_bytes(unlocked, r) else {
                    continue;
                };
                let Some(view) = ChunkView::decode(&bytes) else {
                    continue;
                };
                let hits = view
                    .matching(matcher)
                    .into_iter()
                    .filter(|e| keep(e))
                    .cloned()
                    .collect();
                out.push(SearchedChunk {
                    month,
                    entries: view.entries.len(),
                    hits,
                });
            }
            out
        };
        let sealed_bytes: usize = digests.iter().map(|r| r.ciphertext.len()).sum();
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .min(4);
        if threads < 2 || sealed_bytes < PARALLEL_FROM_BYTES {
            return work(digests);
        }
        let mut chunks: Vec<Vec<StoredRecord>> = (0..threads).map(|_| Vec::new()).collect();
        for (i, r) in digests.into_iter().enumerate() {
            chunks[i % threads].push(r);
        }
        let mine = chunks.pop().unwrap_or_default();
        std::thread::scope(|scope| {
            let others: Vec<_> = chunks
                .into_iter()
                .map(|c| scope.spawn(move || work(c)))
                .collect();
            let mut out = work(mine);
            for handle in others {
                // A thread that failed only means its months are searched entry by entry.
                out.extend(handle.join().unwrap_or_default());
            }
            out
        })
    }

    /// The entries passing `filter` (and `keep`), from the sealed monthly digests, opened in
    /// memory for this request only. When the digests' entries do not add up to the entries
    /// stored, the months that disagree with the entries' per-day counts are searched entry
    /// by entry instead, so results stay complete. Nothing is written here (a GET never
    /// changes anything); the next write in such a month rebuilds its digest.
    async fn journal_hits(
        &self,
        unlocked: &Unlocked,
        filter: &JournalFilter,
        keep: impl Fn(&IndexEntry) -> bool + Sync,
    ) -> Result<Vec<IndexEntry>, ServiceError> {
        // The chunks and the entries' count in one snapshot: a save landing meanwhile is in
        // both or in neither, so a busy month is not searched entry by entry for nothing. The
        // chunks come in batches, each searched and dropped before the next is read.
        let matcher = Matcher::new(filter);
        let mut months: BTreeMap<i64, (usize, Vec<IndexEntry>)> = BTreeMap::new();
        let total = self
            .store
            .visit_records_of_kind_counting(
                unlocked.account_id(),
                INDEX_KIND,
                JournalEntry::KIND,
                PARALLEL_FROM_BYTES,
                &mut |batch| {
                    for chunk in self.search_digests(unlocked, batch, &matcher, &keep) {
                        let month = months.entry(chunk.month).or_default();
                        month.0 += chunk.entries;
                        month.1.extend(chunk.hits);
                    }
                },
            )
            .await?;
        let total = usize::try_from(total).unwrap_or(usize::MAX);
        if months.values().map(|(n, _)| n).sum::<usize>() == total {
            return Ok(months.into_values().flat_map(|(_, hits)| hits).collect());
        }
        tracing::warn!(event = "journal_index_stale");
        let mut expected = self.entries_per_month(unlocked, i64::MIN, i64::MAX).await?;
        let mut hits = Vec::new();
        for (month, (entries, found)) in months {
            if expected.get(&month) == Some(&entries) {
                hits.extend(found);
                expected.remove(&month);
            }
        }
        for &month in expected.keys() {
            let mut chunk = Chunk::default();
            for item in self.entries_of_month(unlocked, month).await? {
                if item.value.matches(filter) {
                    chunk.upsert(&item.id, item.created_day, &item.value);
                }
            }
            hits.extend(chunk.entries.into_iter().filter(|e| keep(e)));
        }
        Ok(hits)
    }

    /// One page of the journal, newest first, in whole days, from the day before `before`
    /// (or from the newest). Only this page's records are fetched and opened.
    pub async fn journal_page(
        &self,
        unlocked: &Unlocked,
        before: Option<i64>,
    ) -> Result<JournalPage, ServiceError> {
        let account = unlocked.account_id();
        let start = before.map_or(PageStart::Newest, PageStart::BeforeDay);
        let limit = u32::try_from(PAGE_SIZE + 1).unwrap_or(u32::MAX);
        let mut records = self
            .store
            .records_of_kind_page(account, JournalEntry::KIND, &start, limit)
            .await?;
        let (mut records, mut older) =
            whole_days(std::mem::take(&mut records), PAGE_SIZE, |r| r.created_day);
        if records.len() > PAGE_SIZE {
            // One day holds more than a page: fetch the rest of that day.
            older = None;
            while let Some(last) = records.last() {
                let day = last.created_day;
                let after = PageStart::After {
                    created_day: day,
                    id: last.id.clone(),
                };
                let more = self
                    .store
                    .records_of_kind_page(account, JournalEntry::KIND, &after, 200)
                    .await?;
                let got = more.len();
                let same: Vec<StoredRecord> = more
                    .into_iter()
                    .take_while(|r| r.created_day == day)
                    .collect();
                if same.len() < got {
                    older = Some(day);
                }
                let done = same.len() < 200;
                records.extend(same);
                if done {
                    break;
                }
            }
        }
        let mut entries = records
            .iter()
            .map(|r| self.open_entry(unlocked, r))
            .collect::<Result<Vec<_>, _>>()?;
        sort_newest_first(&mut entries);
        Ok(JournalPage {
            entries,
            older,
            found: None,
        })
    }
    /// The entries that pass `filter` (kind, tag, words), newest first, in whole-day pages.
    /// Searched in the sealed monthly digests, opened in memory for this request only;
    /// nothing is indexed in clear. Only the page's own entries are then opened.
    pub async fn journal_search(
        &self,
        unlocked: &Unlocked,
        filter: &JournalFilter,
        before: Option<i64>,
    ) -> Result<JournalPage, ServiceError> {
        let mut hits = self.journal_hits(unlocked, filter, |_| true).await?;
        let found = hits.len();
        hits.retain(|e| before.is_none_or(|b| e.day < b));
        hits.sort_by(|a, b| {
            b.day
                .cmp(&a.day)
                .then_with(|| b.written_at.cmp(&a.written_at))
        });
        let (page, older) = whole_days(hits, PAGE_SIZE, |e| e.day);
        let mut entries = Vec::with_capacity(page.len());
        for hit in page {
            // The entry is the truth: a digest that lagged behind cannot show a wrong entry.
            let Some(id) = hit.id.record_id() else {
                continue;
            };
            if let Some(item) = self.journal_entry(unlocked, &id).await? {
                if item.value.matches(filter) {
                    entries.push(item);
                }
            }
        }
        sort_newest_first(&mut entries);
        Ok(JournalPage {
            entries,
            older,
            found: Some(found),
        })
    }

    /// One entry; `None` when the id is unknown, someone else's, or not an entry (→ 404).
    pub async fn journal_entry(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
    ) -> Result<Option<Item<JournalEntry>>, ServiceError> {
        self.item::<JournalEntry>(unlocked, id).await
    }

    /// Saves a new entry from the form and drops the form's draft.
    pub async fn add_journal_entry(
        &self,
        unlocked: &Unlocked,
        input: &EntryInput,
    ) -> Result<RecordId, JournalError> {
        let today = day_of(self.now());
        let (mut entry, day) = input.to_entry(today)?;
        entry.written_at = self.now();
        let id = RecordId::generate();
        let record = self.seal(unlocked, id.clone(), Some(day), &entry)?;
        let _one_at_a_time = INDEX_WRITES.lock().await;
        let month = month_of(day);
        let mut digest = self.month_for_change(unlocked, month, &id).await?;
        digest.upsert(&id, day, &entry);
        let (mut save, delete) = self.seal_month(unlocked, month, digest)?;
        save.push(record);
        self.store
            .write_records(unlocked.account_id(), &save, &delete)
            .await?;
        self.discard_journal_draft(unlocked, &DraftForm::New(input.kind))
            .await?;
        Ok(id)
    }

    /// Replaces an entry from the edit form and drops its draft. `Ok(false)` (nothing
    /// changed) when the id is unknown, someone else's or not an entry.
    pub async fn update_journal_entry(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
        input: &EntryInput,
    ) -> Result<bool, JournalError> {
        let Some(existing) = self.journal_entry(unlocked, id).await? else {
            return Ok(false);
        };
        let mut input = input.clone();
        input.kind = existing.value.kind;
        let (mut entry, day) = input.to_entry(day_of(self.now()))?;
        entry.written_at = existing.value.written_at;
        let record = self.seal(unlocked, id.clone(), Some(day), &entry)?;
        let _one_at_a_time = INDEX_WRITES.lock().await;
        let (old_month, new_month) = (month_of(existing.created_day), month_of(day));
        let mut save = vec![record];
        let mut delete = Vec::new();
        if old_month != new_month {
            let mut old = self.month_for_change(unlocked, old_month, id).await?;
            old.remove(id);
            let (chunks, gone) = self.seal_month(unlocked, old_month, old)?;
            save.extend(chunks);
            delete.extend(gone);
        }
        let mut new = self.month_for_change(unlocked, new_month, id).await?;
        new.upsert(id, day, &entry);
        let (chunks, gone) = self.seal_month(unlocked, new_month, new)?;
        save.extend(chunks);
        delete.extend(gone);
        self.store
            .write_records(unlocked.account_id(), &save, &delete)
            .await?;
        self.discard_journal_draft(unlocked, &DraftForm::Edit(id.clone()))
            .await?;
        Ok(true)
    }

    /// Deletes an entry (and any draft of its edit form). False when the id is unknown,
    /// someone else's or not an entry: nothing changes.
    pub async fn delete_journal_entry(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
    ) -> Result<bool, ServiceError> {
        let Some(existing) = self.journal_entry(unlocked, id).await? else {
            return Ok(false);
        };
        let _one_at_a_time = INDEX_WRITES.lock().await;
        let month = month_of(existing.created_day);
        let mut digest = self.month_for_change(unlocked, month, id).await?;
        digest.remove(id);
        let (save, mut delete) = self.seal_month(unlocked, month, digest)?;
        delete.push(id.clone());
        self.store
            .write_records(unlocked.account_id(), &save, &delete)
            .await?;
        self.discard_journal_draft(unlocked, &DraftForm::Edit(id.clone()))
            .await?;
        Ok(true)
    }

    async fn draft_items(
        &self,
        unlocked: &Unlocked,
    ) -> Result<Vec<Item<JournalDraft>>, ServiceError> {
        let mut drafts = self.items::<JournalDraft>(unlocked).await?;
        drafts.sort_by_key(|d| std::cmp::Reverse(d.value.saved_at));
        Ok(drafts)
    }

    /// Seals what is being typed into `form` (replacing its previous draft). `Ok(false)`
    /// (nothing saved) when the form edits an entry that is unknown or someone else's.
    pub async fn save_journal_draft(
        &self,
        unlocked: &Unlocked,
        form: &DraftForm,
        input: &EntryInput,
    ) -> Result<bool, JournalError> {
        let mut input = input.clone();
        match form {
            DraftForm::New(kind) => input.kind = *kind,
            DraftForm::Edit(id) => match self.journal_entry(unlocked, id).await? {
                Some(e) => input.kind = e.value.kind,
                None => return Ok(false),
            },
        }
        input.check_draft()?;
        input
            .texts
            .retain(|name, _| input.kind.fields().iter().any(|f| f.name == name));
        let key = form.key();
        let drafts = self.draft_items(unlocked).await?;
        let existing = drafts.iter().find(|d| d.value.form == key);
        let draft = JournalDraft {
            form: key.clone(),
            input,
            saved_at: self.now(),
        };
        let (id, created) = match existing {
            Some(d) => (d.id.clone(), Some(d.created_day)),
            None => (RecordId::generate(), None),
        };
        let record = self.seal(unlocked, id, created, &draft)?;
        self.store.save_record(&record).await?;
        if existing.is_none() {
            // Keep the newest few: the oldest unfinished drafts go.
            for old in drafts.iter().skip(MAX_DRAFTS - 1) {
                self.store
                    .delete_record(unlocked.account_id(), &old.id)
                    .await?;
            }
        }
        Ok(true)
    }

    /// The draft kept for `form`, if any.
    pub async fn journal_draft(
        &self,
        unlocked: &Unlocked,
        form: &DraftForm,
    ) -> Result<Option<JournalDraft>, ServiceError> {
        let key = form.key();
        Ok(self
            .draft_items(unlocked)
            .await?
            .into_iter()
            .map(|d| d.value)
            .find(|d| d.form == key))
    }

    /// Every unfinished draft, latest first.
    pub async fn journal_drafts(
        &self,
        unlocked: &Unlocked,
    ) -> Result<Vec<JournalDraft>, ServiceError> {
        Ok(self
            .draft_items(unlocked)
            .await?
            .into_iter()
            .map(|d| d.value)
            .collect())
    }

    /// Throws away the draft of `form`; false when there was none.
    pub async fn discard_journal_draft(
        &self,
        unlocked: &Unlocked,
        form: &DraftForm,
    ) -> Result<bool, ServiceError> {
        let key = form.key();
        let mut any = false;
        for d in self
            .draft_items(unlocked)
            .await?
            .iter()
            .filter(|d| d.value.form == key)
        {
            any |= self
                .store
                .delete_record(unlocked.account_id(), &d.id)
                .await?;
        }
        Ok(any)
    }

    /// The person's journal preferences (defaults when never saved).
    pub async fn journal_prefs(&self, unlocked: &Unlocked) -> Result<JournalPrefs, ServiceError> {
        Ok(self
            .items::<JournalPrefs>(unlocked)
            .await?
            .into_iter()
            .next()
            .map(|i| i.value)
            .unwrap_or_default())
    }

    /// Saves the journal preferences (one sealed record per person).
    pub async fn set_journal_prefs(
        &self,
        unlocked: &Unlocked,
        prefs: JournalPrefs,
    ) -> Result<(), ServiceError> {
        match self.items::<JournalPrefs>(unlocked).await?.first() {
            Some(existing) => {
                self.replace_item(unlocked, &existing.id, &prefs).await?;
            }
            None => {
                self.add_item(unlocked, &prefs).await?;
            }
        }
        Ok(())
    }

    /// One of the person's own past good moments (from "three good moments", "one thing I
    /// did well" and "qualities I like in myself" entries before today), with its day, or
    /// `None` when they have not turned this on or have none yet. The choice changes once a
    /// day and stays the same within a day.
    pub async fn past_good_moment(
        &self,
        unlocked: &Unlocked,
    ) -> Result<Option<PastGoodMoment>, ServiceError> {
        if !self.journal_prefs(unlocked).await?.resurface_good_moments {
            return Ok(None);
        }
        let today = day_of(self.now());
        let good = |e: &IndexEntry| {
            e.day < today
                && matches!(
                    e.kind,
                    EntryKind::GoodMoments | EntryKind::DidWell | EntryKind::Qualities
                )
        };
        let mut candidates = self
            .journal_hits(unlocked, &JournalFilter::default(), good)
            .await?;
        candidates.sort_by(|a, b| {
            b.day
                .cmp(&a.day)
                .then_with(|| b.written_at.cmp(&a.written_at))
                .then_with(|| a.id.cmp(&b.id))
        });
        let Some(first) = pick_for_day(&candidates, today) else {
            return Ok(None);
        };
        // From the day's pick onwards, the first entry that still holds a good moment.
        for hit in candidates.iter().cycle().skip(first).take(candidates.len()) {
            let Some(id) = hit.id.record_id() else {
                continue;
            };
            if let Some(item) = self.journal_entry(unlocked, &id).await? {
                let moments: Vec<&str> = item.value.good_moments();
                if let Some(i) = pick_for_day(&moments, today) {
                    return Ok(Some(PastGoodMoment {
                        day: item.created_day,
                        text: moments[i].to_owned(),
                    }));
                }
            }
        }
        Ok(None)
    }

    /// For a hard day (a hard check-in, a trigger note): the text of one of the person's own
    /// past good moments, only when they turned resurfacing on (see [`Trellis::past_good_moment`],
    /// which also gives its day). Stable signature for other areas to call.
    pub async fn good_moment_for_hard_day(
        &self,
        unlocked: &Unlocked,
    ) -> Result<Option<String>, ServiceError> {
        Ok(self.past_good_moment(unlocked).await?.map(|m| m.text))
    }
}

/// Picks one position by the day, so the choice is steady within a day and moves on the next.
fn pick_for_day<T>(items: &[T], today: i64) -> Option<usize> {
    if items.is_empty() {
        return None;
    }
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    usize::try_from((today / DAY).rem_euclid(len)).ok()
}

/// One digest chunk, searched.
struct SearchedChunk {
    /// Its month (the month's first day).
    month: i64,
    /// How many entries the chunk holds.
    entries: usize,
    /// Those that matched.
    hits: Vec<IndexEntry>,
}

/// Below this many sealed bytes of digests, one thread searches them all; the search reads
/// the digests in batches of about this size.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Digest changes run one at a time in this process, so two saves in the same month cannot
/// lose each other's update. (Across processes a lost added or deleted entry is caught by the
/// per-month counts and the month is rebuilt; a lost edit can leave a chunk with an entry's
/// older words until that entry's next save. A hit is always checked against the entry
/// itself, so a search never shows a wrong entry.)
static INDEX_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TODAY: i64 = 20_000 * DAY;

    fn input(kind: EntryKind, texts: &[(&str, &str)]) -> EntryInput {
        EntryInput {
            kind,
            texts: texts
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..EntryInput::default()
        }
    }

    fn entry(kind: EntryKind, texts: &[(&str, &str)], tags: &[&str]) -> JournalEntry {
        JournalEntry {
            kind,
            texts: texts
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..JournalEntry::default()
        }
    }

    #[test]
    fn every_kind_has_a_unique_key_a_prompt_and_boxes() {
        let mut keys = std::collections::BTreeSet::new();
        for k in EntryKind::ALL {
            assert!(keys.insert(k.key()));
            assert_eq!(EntryKind::parse(k.key()), Some(k));
            assert!(!k.prompt().is_empty() && !k.name().is_empty());
            assert!(!k.fields().is_empty());
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", k.key()),
                "the sealed name is the key"
            );
        }
        assert_eq!(EntryKind::GoodMoments.fields().len(), 3);
        assert_eq!(
            EntryKind::TriggerNote
                .fields()
                .iter()
                .map(|f| f.name)
                .collect::<Vec<_>>(),
            ["what_happened", "body", "what_helped"]
        );
        assert_eq!(
            EntryKind::KinderThought
                .fields()
                .iter()
                .map(|f| f.name)
                .collect::<Vec<_>>(),
            ["harsh", "kinder"]
        );
        assert_eq!(EntryKind::parse("trigger_note"), None);
        assert_eq!(EntryKind::parse(""), None);
    }

    #[test]
    fn addresses_stay_neutral() {
        for k in EntryKind::ALL {
            for word in [
                "trauma", "abuse", "assault", "rape", "crisis", "ptsd", "sexual", "survivor",
                "trigger",
            ] {
                assert!(!k.key().contains(word), "{}", k.key());
            }
        }
    }

    #[test]
    fn an_entry_keeps_only_its_own_boxes_and_the_chosen_day() {
        let mut i = input(
            EntryKind::KinderThought,
            &[
                ("harsh", "I ruin things"),
                ("kinder", "I'm learning"),
                ("text", "stray"),
            ],
        );
        i.day = "2024-02-29".into();
        i.mood = "3".into();
        i.tags = " sleep , Work,,sleep ,  long   day ".into();
        let (e, day) = i.to_entry(TODAY).unwrap();
        assert_eq!(e.texts.len(), 2, "a box from another kind is dropped");
        assert_eq!(e.text("kinder"), "I'm learning");
        assert_eq!(e.mood, Some(3));
        assert_eq!(e.tags, ["sleep", "Work", "long day"]);
        assert_eq!(iso_day(day), "2024-02-29");
        let (_, day) = input(EntryKind::Free, &[("text", "x")])
            .to_entry(TODAY)
            .unwrap();
        assert_eq!(day, TODAY, "empty day means today");
    }

    #[test]
    fn problems_are_named_and_nothing_is_lost() {
        let long = "a".repeat(MAX_ENTRY_CHARS + 1);
        assert_eq!(
            input(EntryKind::Free, &[("text", &long)]).to_entry(TODAY),
            Err(EntryProblem::TooLong(20_001))
        );
        // The limit is for all boxes together, counted in characters.
        let half = "é".repeat(10_000);
        let i = input(
            EntryKind::GoodMoments,
            &[("moment1", &half), ("moment2", &half), ("moment3", "x")],
        );
        assert_eq!(i.to_entry(TODAY), Err(EntryProblem::TooLong(20_001)));
        let exactly = input(
            EntryKind::GoodMoments,
            &[("moment1", &half), ("moment2", &half)],
        );
        assert!(exactly.to_entry(TODAY).is_ok(), "20,000 is allowed");
        assert_eq!(
            input(EntryKind::Free, &[("text", "   \n ")]).to_entry(TODAY),
            Err(EntryProblem::Empty)
        );
        for bad in ["0", "6", "x", "-1", "2.5", "1;DROP"] {
            let mut i = input(EntryKind::Free, &[("text", "x")]);
            i.mood = bad.into();
            assert_eq!(i.to_entry(TODAY), Err(EntryProblem::Mood), "{bad}");
        }
        for bad in [
            "yesterday",
            "2024-02-30",
            "1899-12-31",
            "2024-1-1",
            &iso_day(TODAY + 2 * DAY),
        ] {
            let mut i = input(EntryKind::Free, &[("text", "x")]);
            i.day = bad.to_owned();
            assert_eq!(i.to_entry(TODAY), Err(EntryProblem::Day), "{bad}");
        }
        let mut i = input(EntryKind::Free, &[("text", "x")]);
        i.day = iso_day(TODAY + DAY);
        assert!(
            i.to_entry(TODAY).is_ok(),
            "tomorrow is allowed (time zones)"
        );
        // A mood or tags alone are something.
        let mut i = input(EntryKind::Free, &[]);
        i.mood = "4".into();
        assert!(i.to_entry(TODAY).is_ok());
        for p in [
            EntryProblem::Empty,
            EntryProblem::TooLong(3),
            EntryProblem::Mood,
            EntryProblem::Day,
            EntryProblem::TagTooLong,
            EntryProblem::TooManyTags(21),
        ] {
            let words = p.to_string();
            assert!(
                !words.contains('!')
                    && !words.to_lowercase().contains("error")
                    && !words.to_lowercase().contains("invalid"),
                "{words}"
            );
        }
    }

    #[test]
    fn tags_are_limited_in_number_and_length() {
        let twenty: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
        assert_eq!(parse_tags(&twenty.join(",")).unwrap().len(), 20);
        let twenty_one = format!("{},extra", twenty.join(","));
        assert_eq!(parse_tags(&twenty_one), Err(EntryProblem::TooManyTags(21)));
        assert_eq!(parse_tags(&"x".repeat(41)), Err(EntryProblem::TagTooLong));
        assert_eq!(parse_tags(&"é".repeat(40)).unwrap().len(), 1);
        assert_eq!(parse_tags(" , ,").unwrap(), Vec::<String>::new());
        assert_eq!(parse_tags("Calm, calm, CALM").unwrap(), ["Calm"]);
    }

    #[test]
    fn search_ignores_case_in_every_box_and_tag_only() {
        let e = entry(
            EntryKind::TriggerNote,
            &[
                ("what_happened", "A loud Door slammed"),
                ("what_helped", "Tea with Ünal"),
            ],
            &["Evening"],
        );
        let q = |s: &str| JournalFilter::new("", "", s);
        assert!(e.matches(&q("door")));
        assert!(e.matches(&q("DOOR SLAMMED")));
        assert!(e.matches(&q("ünal")), "non-ASCII folds too");
        assert!(e.matches(&q("ÜNAL")));
        assert!(e.matches(&q("eveni")), "tags are searched");
        assert!(!e.matches(&q("window")));
        assert!(!e.matches(&q("reaction")), "the kind's key is not text");
        assert!(e.matches(&JournalFilter::new("reaction", "", "")));
        assert!(!e.matches(&JournalFilter::new("free", "", "")));
        assert!(
            e.matches(&JournalFilter::new("nonsense", "", "")),
            "an unknown kind is ignored"
        );
        assert!(
            e.matches(&JournalFilter::new("", "evening", "")),
            "tags match ignoring case"
        );
        assert!(!e.matches(&JournalFilter::new("", "even", "")), "but whole");
        assert!(e.matches(&JournalFilter::new("reaction", "Evening", "tea")));
        assert!(!e.matches(&JournalFilter::new("reaction", "Evening", "coffee")));
        // A box that is not part of the kind is never searched.
        let mut stray = e.clone();
        stray.texts.insert("text".into(), "hidden words".into());
        assert!(!stray.matches(&q("hidden")));
        assert!(JournalFilter::new(" ", "  ", "").is_empty());
        let long = JournalFilter::new("", "", &"y".repeat(500));
        assert_eq!(long.query.map(|q| q.chars().count()), Some(MAX_QUERY_CHARS));
    }

    #[test]
    fn contains_folded_agrees_with_lowercasing() {
        let cases = [
            "",
            "a",
            "abc",
            "ABCabc",
            "straße",
            "İstanbul",
            "ὈΔΥΣΣΕΎΣ",
            "日本語のテキスト",
            "x\u{301}y",
        ];
        for hay in cases {
            for needle in cases {
                let n = needle.to_lowercase();
                assert_eq!(
                    contains_folded(hay, &n),
                    hay.to_lowercase().contains(&n),
                    "{hay:?} / {needle:?}"
                );
            }
        }
    }

    #[test]
    fn previews_are_short_and_flat() {
        let e = entry(
            EntryKind::GoodMoments,
            &[("moment1", "Sun\non my  face"), ("moment3", "A call")],
            &[],
        );
        assert_eq!(e.preview(100), "Sun on my face · A call");
        let long = entry(EntryKind::Free, &[("text", &"word ".repeat(100))], &[]);
        let p = long.preview(50);
        assert!(p.ends_with('…') && p.chars().count() <= 51, "{p}");
    }

    #[test]
    fn hard_days_and_good_moments() {
        assert!(entry(EntryKind::TriggerNote, &[], &[]).is_hard());
        let mut low = entry(EntryKind::Free, &[("text", "x")], &[]);
        assert!(!low.is_hard());
        low.mood = Some(2);
        assert!(low.is_hard());
        low.mood = Some(3);
        assert!(!low.is_hard());
        let good = entry(
            EntryKind::GoodMoments,
            &[("moment1", " sun "), ("moment2", ""), ("moment3", "tea")],
            &[],
        );
        assert_eq!(good.good_moments(), ["sun", "tea"]);
        assert!(entry(EntryKind::Free, &[("text", "happy")], &[])
            .good_moments()
            .is_empty());
        assert!(entry(EntryKind::KinderThought, &[("kinder", "fine")], &[])
            .good_moments()
            .is_empty());
        assert_eq!(
            entry(EntryKind::Qualities, &[("text", "patient")], &[]).good_moments(),
            ["patient"]
        );
    }

    #[test]
    fn the_pick_is_steady_within_a_day_and_moves_on() {
        let items = ["a", "b", "c"];
        assert_eq!(pick_for_day(&items, TODAY), pick_for_day(&items, TODAY));
        let picks: std::collections::BTreeSet<_> = (0..3)
            .map(|d| pick_for_day(&items, TODAY + d * DAY))
            .collect();
        assert_eq!(picks.len(), 3, "three days, three moments");
        assert_eq!(pick_for_day::<&str>(&[], TODAY), None);
        assert_eq!(pick_for_day(&["only"], -5 * DAY), Some(0));
    }

    #[test]
    fn pages_end_at_the_end_of_a_day() {
        let days = |v: &[i64]| v.to_vec();
        // Fits: no older page.
        assert_eq!(
            whole_days(days(&[5, 5, 4]), 3, |d| *d),
            (vec![5, 5, 4], None)
        );
        // Cut inside day 4: day 4 moves to the next page.
        assert_eq!(
            whole_days(days(&[5, 5, 4, 4, 3]), 3, |d| *d),
            (vec![5, 5], Some(5))
        );
        // Cut exactly at a day's end.
        assert_eq!(
            whole_days(days(&[5, 4, 4, 3]), 3, |d| *d),
            (vec![5, 4, 4], Some(4))
        );
        // One day larger than a page is shown whole.
        assert_eq!(
            whole_days(days(&[7, 7, 7, 7, 6]), 3, |d| *d),
            (vec![7, 7, 7, 7], Some(7))
        );
        assert_eq!(
            whole_days(days(&[7, 7, 7, 7]), 3, |d| *d),
            (vec![7, 7, 7, 7], None)
        );
        // Walking every page visits everything once, in order.
        let all: Vec<i64> = vec![9, 9, 8, 8, 8, 8, 8, 7, 6, 6, 5, 4, 4, 4, 3];
        for size in 1..6 {
            let mut seen = Vec::new();
            let mut before: Option<i64> = None;
            loop {
                let rest: Vec<i64> = all
                    .iter()
                    .copied()
                    .filter(|d| before.is_none_or(|b| *d < b))
                    .collect();
                let (page, older) = whole_days(rest, size, |d| *d);
                seen.extend(page);
                match older {
                    Some(o) => before = Some(o),
                    None => break,
                }
            }
            assert_eq!(seen, all, "page size {size}");
        }
    }

    #[test]
    fn draft_forms_round_trip_and_refuse_nonsense() {
        let id = RecordId::generate();
        for f in [DraftForm::New(EntryKind::TriggerNote), DraftForm::Edit(id)] {
            assert_eq!(DraftForm::parse(&f.key()), Some(f));
        }
        for bad in [
            "",
            "new",
            "new:",
            "new:nope",
            "edit:123",
            "other:free",
            "edit:",
        ] {
            assert_eq!(DraftForm::parse(bad), None, "{bad}");
        }
        let mut big = input(
            EntryKind::Free,
            &[("text", &"x".repeat(MAX_ENTRY_CHARS + 1))],
        );
        assert!(big.check_draft().is_err());
        big.texts.clear();
        big.tags = "t,".repeat(1_500);
        assert!(big.check_draft().is_err());
        assert!(
            input(EntryKind::Free, &[]).check_draft().is_ok(),
            "an empty draft is fine"
        );
    }

    #[test]
    fn sealed_values_tolerate_missing_fields() {
        let e: JournalEntry = serde_json::from_str(r#"{"kind":"mindful"}"#).unwrap();
        assert_eq!(e.kind, EntryKind::Mindful);
        assert!(e.texts.is_empty() && e.tags.is_empty() && e.mood.is_none());
        let p: JournalPrefs = serde_json::from_str("{}").unwrap();
        assert!(!p.resurface_good_moments, "off by default");
        let d: JournalDraft = serde_json::from_str("{}").unwrap();
        assert_eq!(d.input.kind, EntryKind::Free);
    }
}
