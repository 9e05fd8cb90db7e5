//! What the person sends: entry forms and their problems, tags, drafts and preferences, and
//! the shapes of pages and answers.

use super::*;

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
                scale: MoodScale::ONE,
                tags,
                written_at: 0,
            },
            day,
        ))
    }

    /// Checks a draft: only its size matters (a draft may be half-typed in any way).
    pub(super) fn check_draft(&self) -> Result<(), EntryProblem> {
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
pub(super) const EARLIEST_DAY: i64 = -2_208_988_800;

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
    /// Which scale the typed mood was sealed on (none in drafts sealed before the one scale).
    #[serde(default = "MoodScale::before")]
    pub scale: MoodScale,
}

impl RecordKind for JournalDraft {
    const KIND: &'static str = "journal_draft";
    const SCHEMA_VERSION: u16 = 1;

    fn upgrade(&mut self) {
        self.input.mood = self.scale.read_typed(Before::Journal, &self.input.mood);
        self.scale = MoodScale::ONE;
    }
}

/// The person's journal preferences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPrefs {
    /// On a hard day, offer one of their own past good moments. Off unless they turn it on.
    #[serde(default)]
    pub resurface_good_moments: bool,
    /// In the morning, offer to note three qualities the person likes in themselves (on
    /// Home, until one is written that day). Off unless they turn it on.
    #[serde(default)]
    pub morning_qualities: bool,
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
pub(super) fn sort_newest_first(entries: &mut [Item<JournalEntry>]) {
    entries.sort_by(|a, b| {
        b.created_day
            .cmp(&a.created_day)
            .then_with(|| b.value.written_at.cmp(&a.value.written_at))
    });
}
