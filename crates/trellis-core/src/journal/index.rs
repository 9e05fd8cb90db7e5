//! The journal's search digest: sealed records (kind `journal_index`) holding, for each entry,
//! its id, day, kind and mood, and a lower-cased copy of its text and tags. A month's digest is
//! split into chunks of at most [`CHUNK_ENTRIES`] entries and about [`CHUNK_TEXT_BYTES`] of
//! text, each its own record (with the month's first day as its day), so a save re-seals one
//! small chunk whatever the month holds, and no search or save ever needs one large buffer.
//! Searching ten years then means opening a few hundred sealed chunks instead of 20,000
//! entries, which is what keeps a search fast. Every chunk is sealed like every record and
//! opened in memory for one request only: nothing is indexed in clear. It is derived data:
//! the entries stay the truth, and a month whose chunks do not add up to the entries'
//! per-day counts is searched entry by entry instead (and rebuilt on its next write).
//!
//! Plaintext layout of a chunk (version 2, little-endian; an older digest that held a whole
//! month in one record reads as one large chunk):
//! `"JIX2" ‖ count: u32 ‖ count × (id: 16 bytes ‖ day: i64 ‖ written_at: i64 ‖ kind: u8 ‖
//! mood: u8 (0 = none) ‖ start: u32 ‖ mid: u32 ‖ end: u32) ‖ text (UTF-8)`.
//! Entry `i` owns `text[start..end]`: its boxes, each after a `\0`, in `[start, mid)`, then its
//! tags in `[mid, end)` as `\0tag\0tag\0` (empty without tags). Entries' ranges are contiguous
//! and in order. Because every box begins with `\0` and nothing searched contains one, a match
//! never spans two boxes or two entries. Version 1 (`"JIX1"`, the same layout) kept moods on
//! the journal's scale from before the one mood scale; they are mapped when read
//! ([`crate::mood::MoodScale::read`]), and the chunk is written as version 2 when it is
//! saved again.

use crate::ids::RecordId;
use crate::journal::{EntryKind, JournalEntry, JournalFilter};
use crate::mood::{Before, MoodScale};

/// The record kind of a digest chunk.
pub(crate) const INDEX_KIND: &str = "journal_index";
/// Its plaintext version.
pub(crate) const INDEX_SCHEMA: u16 = 1;
const MAGIC: &[u8; 4] = b"JIX2";
/// Version 1: moods on the journal's scale from before the one mood scale.
const MAGIC_BEFORE_ONE_SCALE: &[u8; 4] = b"JIX1";
const SEP: char = '\0';
const ENTRY_BYTES: usize = 16 + 8 + 8 + 1 + 1 + 4 + 4 + 4;
/// A chunk takes new entries while it holds fewer than this many.
pub(crate) const CHUNK_ENTRIES: usize = 128;
/// A chunk takes new entries while its text is shorter than this (an entry is never split,
/// so a chunk's text is at most this plus one entry's).
pub(crate) const CHUNK_TEXT_BYTES: usize = 64 * 1024;

/// An entry's id as the digest keeps it: its 16 bytes, so reading a chunk allocates nothing
/// per entry. Ordered like the ids (lowercase hex keeps the bytes' order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct EntryKey([u8; 16]);

impl EntryKey {
    /// The key of an entry id (ids are 32 lowercase hex characters by construction; anything
    /// else maps to zeros, which matches no entry).
    pub fn of(id: &RecordId) -> Self {
        let mut key = [0u8; 16];
        if hex::decode_to_slice(id.as_str(), &mut key).is_err() {
            key = [0; 16];
        }
        Self(key)
    }

    /// The entry id again.
    pub fn record_id(self) -> Option<RecordId> {
        RecordId::parse(&hex::encode(self.0))
    }
}

/// One entry as the digest knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IndexEntry {
    pub id: EntryKey,
    pub day: i64,
    pub written_at: i64,
    pub kind: EntryKind,
    pub mood: Option<u8>,
    start: usize,
    mid: usize,
    end: usize,
}

/// One chunk of a month's digest, owned (for changing it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Chunk {
    pub entries: Vec<IndexEntry>,
    text: String,
}

/// A chunk read in place from its opened plaintext (for searching).
#[derive(Debug)]
pub(crate) struct ChunkView<'a> {
    pub entries: Vec<IndexEntry>,
    text: &'a str,
}

/// Whether a chunk holding `entries` entries and `text` may take a new entry.
fn has_room(entries: usize, text: &str) -> bool {
    entries < CHUNK_ENTRIES && text.len() < CHUNK_TEXT_BYTES
}

/// Lower-cased, with the separator made a space, for the digest.
fn folded(s: &str) -> String {
    s.to_lowercase().replace(SEP, " ")
}

fn kind_code(kind: EntryKind) -> u8 {
    EntryKind::ALL
        .iter()
        .position(|k| *k == kind)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}

impl Chunk {
    /// Adds (or replaces) an entry.
    pub fn upsert(&mut self, id: &RecordId, day: i64, entry: &JournalEntry) {
        self.remove(id);
        let start = self.text.len();
        for field in entry.kind.fields() {
            self.text.push(SEP);
            self.text.push_str(&folded(entry.text(field.name)));
        }
        let mid = self.text.len();
        if !entry.tags.is_empty() {
            self.text.push(SEP);
            for tag in &entry.tags {
                self.text.push_str(&folded(tag));
                self.text.push(SEP);
            }
        }
        let end = self.text.len();
        self.entries.push(IndexEntry {
            id: EntryKey::of(id),
            day,
            written_at: entry.written_at,
            kind: entry.kind,
            mood: entry.mood,
            start,
            mid,
            end,
        });
    }

    /// Whether a new entry may go into this chunk.
    pub fn has_room(&self) -> bool {
        has_room(self.entries.len(), &self.text)
    }

    /// Whether the entry is in this chunk.
    pub fn holds(&self, id: &RecordId) -> bool {
        let key = EntryKey::of(id);
        self.entries.iter().any(|e| e.id == key)
    }

    /// Removes an entry; false when it was not there.
    pub fn remove(&mut self, id: &RecordId) -> bool {
        let key = EntryKey::of(id);
        let Some(i) = self.entries.iter().position(|e| e.id == key) else {
            return false;
        };
        let gone = self.entries.remove(i);
        let len = gone.end - gone.start;
        self.text.replace_range(gone.start..gone.end, "");
        for e in &mut self.entries[i..] {
            e.start -= len;
            e.mid -= len;
            e.end -= len;
        }
        true
    }

    /// The sealed plaintext.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.entries.len() * ENTRY_BYTES + self.text.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(
            &u32::try_from(self.entries.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        for e in &self.entries {
            out.extend_from_slice(&e.id.0);
            out.extend_from_slice(&e.day.to_le_bytes());
            out.extend_from_slice(&e.written_at.to_le_bytes());
            out.push(kind_code(e.kind));
            out.push(e.mood.unwrap_or(0));
            for n in [e.start, e.mid, e.end] {
                out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
            }
        }
        out.extend_from_slice(self.text.as_bytes());
        out
    }

    /// An owned copy of a view.
    pub fn from_view(view: ChunkView<'_>) -> Self {
        Self {
            entries: view.entries,
            text: view.text.to_owned(),
        }
    }
}

fn take<const N: usize>(bytes: &[u8], at: &mut usize) -> Option<[u8; N]> {
    let chunk = bytes.get(*at..*at + N)?.try_into().ok()?;
    *at += N;
    Some(chunk)
}

impl<'a> ChunkView<'a> {
    /// Reads a digest's plaintext; `None` when it is not one (it is then rebuilt).
    pub fn decode(bytes: &'a [u8]) -> Option<Self> {
        let mut at = 0;
        let scale = match &take::<4>(bytes, &mut at)? {
            m if m == MAGIC => MoodScale::ONE,
            m if m == MAGIC_BEFORE_ONE_SCALE => MoodScale::before(),
            _ => return None,
        };
        let count = usize::try_from(u32::from_le_bytes(take(bytes, &mut at)?)).ok()?;
        let text_at = at.checked_add(count.checked_mul(ENTRY_BYTES)?)?;
        let text = std::str::from_utf8(bytes.get(text_at..)?).ok()?;
        let mut entries = Vec::with_capacity(count);
        let mut previous_end = 0;
        for _ in 0..count {
            let id = EntryKey(take::<16>(bytes, &mut at)?);
            let day = i64::from_le_bytes(take(bytes, &mut at)?);
            let written_at = i64::from_le_bytes(take(bytes, &mut at)?);
            let [kind, mood] = take::<2>(bytes, &mut at)?;
            let kind = *EntryKind::ALL.get(usize::from(kind))?;
            let mood = (mood != 0)
                .then_some(mood)
                .and_then(|m| scale.read(Before::Journal, m));
            let mut range = [0usize; 3];
            for n in &mut range {
                *n = usize::try_from(u32::from_le_bytes(take(bytes, &mut at)?)).ok()?;
            }
            let [start, mid, end] = range;
            // Contiguous, ordered, within the text and on character boundaries.
            let sound = start == previous_end
                && start <= mid
                && mid <= end
                && end <= text.len()
                && [start, mid, end].iter().all(|n| text.is_char_boundary(*n));
            if !sound {
                return None;
            }
            previous_end = end;
            entries.push(IndexEntry {
                id,
                day,
                written_at,
                kind,
                mood,
                start,
                mid,
                end,
            });
        }
        (previous_end == text.len()).then_some(Self { entries, text })
    }

    /// The entries of this chunk that pass `matcher`.
    pub fn matching(&self, matcher: &Matcher) -> Vec<&IndexEntry> {
        let passes = |e: &IndexEntry| {
            matcher.kind.is_none_or(|k| k == e.kind)
                && matcher
                    .tag
                    .as_deref()
                    .is_none_or(|t| self.text[e.mid..e.end].contains(t))
        };
        let Some(query) = &matcher.query else {
            return self.entries.iter().filter(|e| passes(e)).collect();
        };
        // Every occurrence of the words, mapped to its entry, skipping to the next entry
        // after a hit.
        let text = self.text.as_bytes();
        let mut hits = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(found) = query.find(&text[pos..]) else {
                break;
            };
            let at = pos + found;
            let i = self.entries.partition_point(|e| e.end <= at);
            let Some(e) = self.entries.get(i) else {
                break;
            };
            if passes(e) {
                hits.push(e);
            }
            pos = e.end;
        }
        hits
    }
}

/// A filter made ready for searching digests (built once per search, shared by threads).
pub(crate) struct Matcher {
    kind: Option<EntryKind>,
    /// `\0tag\0`, lower-cased.
    tag: Option<String>,
    /// The lower-cased words; `None` when there are none.
    query: Option<memchr::memmem::Finder<'static>>,
}

impl Matcher {
    /// Prepares `filter`.
    pub fn new(filter: &JournalFilter) -> Self {
        let query = filter
            .query_folded
            .as_deref()
            .map(|q| q.replace(SEP, ""))
            .filter(|q| !q.is_empty())
            .map(|q| memchr::memmem::Finder::new(q.as_bytes()).into_owned());
        Self {
            kind: filter.kind,
            tag: filter
                .tag_folded
                .as_deref()
                .map(|t| format!("{SEP}{}{SEP}", t.replace(SEP, " "))),
            query,
        }
    }
}

/// The first day of the month holding `day` (Unix seconds at midnight UTC).
pub(crate) fn month_of(day: i64) -> i64 {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(day) else {
        return day;
    };
    let d = t.date();
    time::Date::from_calendar_date(d.year(), d.month(), 1)
        .map(|d| d.midnight().assume_utc().unix_timestamp())
        .unwrap_or(day)
}

/// The first day of the month after `month`.
pub(crate) fn next_month(month: i64) -> i64 {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(month) else {
        return month + 31 * 86_400;
    };
    let d = t.date();
    let (year, m) = if d.month() == time::Month::December {
        (d.year() + 1, time::Month::January)
    } else {
        (d.year(), d.month().next())
    };
    time::Date::from_calendar_date(year, m, 1)
        .map(|d| d.midnight().assume_utc().unix_timestamp())
        .unwrap_or(month + 31 * 86_400)
}

/// A month's digest for changing it: how many entries its chunks hold, the chunks a change
/// may touch (the one holding the entry being changed, and the first with room), opened, and
/// what a save must write and delete. A change re-seals one chunk; the others are read only
/// to count their entries, one at a time, and are written only when the month is rebuilt.
#[derive(Debug, Default)]
pub(crate) struct MonthDigest {
    entries: usize,
    open: Vec<(RecordId, Chunk, bool)>,
    gone: Vec<RecordId>,
}

impl MonthDigest {
    /// Counts a stored chunk's entries, and keeps it open when a change to `target` (the
    /// entry about to be saved or deleted) may touch it.
    pub fn scan(&mut self, id: RecordId, view: ChunkView<'_>, target: &RecordId) {
        self.entries += view.entries.len();
        let key = EntryKey::of(target);
        let holds = view.entries.iter().any(|e| e.id == key);
        let room = has_room(view.entries.len(), view.text);
        let have_room = self.open.iter().any(|(_, c, _)| c.has_room());
        if holds || (room && !have_room) {
            self.open.push((id, Chunk::from_view(view), false));
        }
    }

    /// A month rebuilt from its entries; the chunks stored before (`stale`) are deleted.
    pub fn rebuilt<'a>(
        entries: impl IntoIterator<Item = (&'a RecordId, i64, &'a JournalEntry)>,
        stale: Vec<RecordId>,
    ) -> Self {
        let mut month = Self {
            entries: 0,
            open: Vec::new(),
            gone: stale,
        };
        for (id, day, entry) in entries {
            let at = month.chunk_with_room();
            month.put(at, id, day, entry);
            month.entries += 1;
        }
        month
    }

    /// Puts an entry into open chunk `at`, which then needs saving.
    fn put(&mut self, at: usize, id: &RecordId, day: i64, entry: &JournalEntry) {
        let (_, chunk, changed) = &mut self.open[at];
        chunk.upsert(id, day, entry);
        *changed = true;
    }

    /// The first open chunk with room for a new entry (a new chunk when none has).
    fn chunk_with_room(&mut self) -> usize {
        if let Some(i) = self.open.iter().position(|(_, c, _)| c.has_room()) {
            return i;
        }
        self.open
            .push((RecordId::generate(), Chunk::default(), false));
        self.open.len() - 1
    }

    /// How many entries the month's chunks held when they were read.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Adds or replaces an entry: in the chunk that holds it, else in the first chunk with
    /// room, else in a new chunk.
    pub fn upsert(&mut self, id: &RecordId, day: i64, entry: &JournalEntry) {
        let at = match self.open.iter().position(|(_, c, _)| c.holds(id)) {
            Some(i) => i,
            None => self.chunk_with_room(),
        };
        self.put(at, id, day, entry);
    }

    /// Removes an entry; false when it was not there.
    pub fn remove(&mut self, id: &RecordId) -> bool {
        for (_, chunk, changed) in &mut self.open {
            if chunk.remove(id) {
                *changed = true;
                return true;
            }
        }
        false
    }

    /// The changed chunks to save, and the record ids to delete (emptied chunks and the
    /// chunks a rebuild replaced).
    pub fn into_changes(self) -> (Vec<(RecordId, Chunk)>, Vec<RecordId>) {
        let mut save = Vec::new();
        let mut delete = self.gone;
        for (id, chunk, changed) in self.open {
            if chunk.entries.is_empty() {
                delete.push(id);
            } else if changed {
                save.push((id, chunk));
            }
        }
        (save, delete)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::clock::{iso_day, parse_iso_day};

    fn entry(kind: EntryKind, texts: &[(&str, &str)], tags: &[&str]) -> JournalEntry {
        JournalEntry {
            kind,
            texts: texts
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            mood: Some(2),
            scale: MoodScale::ONE,
            written_at: 77,
        }
    }

    fn sample() -> (Chunk, Vec<(RecordId, JournalEntry)>) {
        let entries = vec![
            (
                RecordId::generate(),
                entry(
                    EntryKind::Free,
                    &[("text", "Walked by the Lighthouse")],
                    &["Sea", "evening"],
                ),
            ),
            (
                RecordId::generate(),
                entry(
                    EntryKind::KinderThought,
                    &[("harsh", "I never"), ("kinder", "get it right — ÉCLAIR")],
                    &[],
                ),
            ),
            (
                RecordId::generate(),
                entry(
                    EntryKind::TriggerNote,
                    &[("body", "tight shoulders")],
                    &["garden"],
                ),
            ),
        ];
        let mut index = Chunk::default();
        for (i, (id, e)) in entries.iter().enumerate() {
            index.upsert(id, 86_400 * i64::try_from(i).unwrap(), e);
        }
        (index, entries)
    }

    fn found(index: &Chunk, filter: &JournalFilter) -> Vec<RecordId> {
        let bytes = index.encode();
        let view = ChunkView::decode(&bytes).unwrap();
        view.matching(&Matcher::new(filter))
            .into_iter()
            .map(|e| e.id.record_id().unwrap())
            .collect()
    }

    #[test]
    fn the_digest_agrees_with_matching_entries_one_by_one() {
        let (index, entries) = sample();
        let queries = [
            "",
            "lighthouse",
            "LIGHT",
            "never get",
            "i never",
            "éclair",
            "sea",
            "evening",
            "garden",
            "tight",
            "tight shoulders",
            "shoulders",
            "byt",
            "e",
            "\0",
            "free",
            "text",
            "reaction",
        ];
        let kinds = ["", "free", "kinder_thought", "reaction"];
        let tags = ["", "sea", "Evening", "garden", "gard", "nothing"];
        for q in queries {
            for k in kinds {
                for t in tags {
                    let filter = JournalFilter::new(k, t, q);
                    let want: Vec<RecordId> = entries
                        .iter()
                        .filter(|(_, e)| e.matches(&filter))
                        .map(|(id, _)| id.clone())
                        .collect();
                    assert_eq!(found(&index, &filter), want, "q={q:?} kind={k:?} tag={t:?}");
                }
            }
        }
    }

    #[test]
    fn a_match_never_spans_two_boxes_or_two_entries() {
        let (index, _) = sample();
        // "i never" ends the first box of entry 2; "get" starts its second box.
        assert!(found(&index, &JournalFilter::new("", "", "never get")).is_empty());
        // The end of entry 1's tags and the start of entry 2.
        assert!(found(&index, &JournalFilter::new("", "", "evening i")).is_empty());
    }

    #[test]
    fn remove_and_replace_keep_the_digest_sound() {
        let (mut index, entries) = sample();
        assert!(index.remove(&entries[0].0));
        assert!(!index.remove(&entries[0].0));
        assert!(found(&index, &JournalFilter::new("", "", "lighthouse")).is_empty());
        assert_eq!(
            found(&index, &JournalFilter::new("", "", "garden")),
            [entries[2].0.clone()]
        );
        let mut changed = entries[2].1.clone();
        changed.texts.insert("body".into(), "calm now".into());
        index.upsert(&entries[2].0, 5, &changed);
        assert!(found(&index, &JournalFilter::new("", "", "tight")).is_empty());
        assert_eq!(
            found(&index, &JournalFilter::new("", "", "calm")),
            [entries[2].0.clone()]
        );
        assert_eq!(index.entries.len(), 2);
        let bytes = index.encode();
        let view = ChunkView::decode(&bytes).unwrap();
        assert_eq!(Chunk::from_view(view), index, "round trip");
        for e in &index.entries {
            assert_eq!(e.written_at, 77);
            assert_eq!(e.mood, Some(2));
        }
    }

    #[test]
    fn a_digest_from_before_the_one_mood_scale_reads_its_moods_by_meaning() {
        // The same layout under "JIX1" held the journal's old moods: 1 Very low, 2 Low,
        // 3 Mixed, 4 Okay, 5 Good.
        let mut old = Chunk::default();
        let ids: Vec<RecordId> = (0..6).map(|_| RecordId::generate()).collect();
        for (id, mood) in ids
            .iter()
            .zip([None, Some(1), Some(2), Some(3), Some(4), Some(5)])
        {
            let mut e = entry(EntryKind::Free, &[("text", "a day")], &[]);
            e.mood = mood;
            old.upsert(id, 1, &e);
        }
        let mut bytes = old.encode();
        assert_eq!(&bytes[..4], b"JIX2", "written on the one scale");
        bytes[..4].copy_from_slice(b"JIX1");
        let view = ChunkView::decode(&bytes).unwrap();
        let moods: Vec<Option<u8>> = view.entries.iter().map(|e| e.mood).collect();
        assert_eq!(
            moods,
            [None, Some(1), Some(2), Some(3), Some(3), Some(4)],
            "none, Very low, Low, Mixed → Okay, Okay → Okay, Good → Good"
        );
        // Written again, it is version 2 with the mapped moods.
        let again = Chunk::from_view(view).encode();
        assert_eq!(&again[..4], b"JIX2");
        let moods: Vec<Option<u8>> = ChunkView::decode(&again)
            .unwrap()
            .entries
            .iter()
            .map(|e| e.mood)
            .collect();
        assert_eq!(moods, [None, Some(1), Some(2), Some(3), Some(3), Some(4)]);
    }

    #[test]
    fn damaged_digests_are_refused() {
        let (index, _) = sample();
        let bytes = index.encode();
        assert!(ChunkView::decode(&bytes).is_some());
        assert!(
            ChunkView::decode(&bytes[..bytes.len() - 1]).is_none(),
            "cut short"
        );
        assert!(ChunkView::decode(b"").is_none());
        assert!(ChunkView::decode(b"JIX3\0\0\0\0").is_none());
        let mut extra = bytes.clone();
        extra.push(b'x');
        assert!(ChunkView::decode(&extra).is_none(), "text nobody owns");
        let mut bad_kind = bytes.clone();
        bad_kind[8 + 32] = 99;
        assert!(ChunkView::decode(&bad_kind).is_none());
        let mut huge = bytes;
        huge[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(ChunkView::decode(&huge).is_none());
        assert!(
            ChunkView::decode(&Chunk::default().encode()).is_some(),
            "an empty month"
        );
    }

    #[test]
    fn months() {
        let day = |s: &str| parse_iso_day(s).unwrap();
        assert_eq!(iso_day(month_of(day("2024-02-29"))), "2024-02-01");
        assert_eq!(iso_day(month_of(day("1900-01-01"))), "1900-01-01");
        assert_eq!(iso_day(next_month(day("2024-12-01"))), "2025-01-01");
        assert_eq!(iso_day(next_month(day("2024-01-01"))), "2024-02-01");
        assert_eq!(month_of(day("2024-02-03")), month_of(day("2024-02-28")));
    }

    #[test]
    fn a_month_fills_chunk_after_chunk_and_a_change_touches_one() {
        let ids: Vec<RecordId> = (0..CHUNK_ENTRIES * 2 + 3)
            .map(|_| RecordId::generate())
            .collect();
        let e = entry(EntryKind::Free, &[("text", "small")], &[]);
        let month = MonthDigest::rebuilt(ids.iter().map(|id| (id, 5, &e)), Vec::new());
        assert_eq!(month.len(), ids.len());
        let (save, delete) = month.into_changes();
        assert_eq!(save.len(), 3, "two full chunks and one more");
        assert!(delete.is_empty());
        assert!(save.iter().all(|(_, c)| c.entries.len() <= CHUNK_ENTRIES));

        // A change touches only the chunk that holds the entry; only that chunk and the
        // first with room are kept open.
        let stored: Vec<(RecordId, Chunk)> = save.clone();
        let read = |target: &RecordId| {
            let mut month = MonthDigest::default();
            for (id, chunk) in &stored {
                let bytes = chunk.encode();
                month.scan(id.clone(), ChunkView::decode(&bytes).unwrap(), target);
            }
            month
        };
        let mut month = read(&ids[0]);
        assert_eq!((month.len(), month.open.len()), (ids.len(), 2));
        let mut changed = e.clone();
        changed.texts.insert("text".into(), "changed".into());
        month.upsert(&ids[0], 5, &changed);
        let (saved, deleted) = month.into_changes();
        assert_eq!(saved.len(), 1);
        assert!(saved[0].1.holds(&ids[0]));
        assert!(deleted.is_empty());

        // A new entry goes into the chunk with room, never into a full one.
        let new = RecordId::generate();
        let mut month = read(&new);
        assert_eq!(month.open.len(), 1);
        month.upsert(&new, 6, &e);
        let (saved, _) = month.into_changes();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].1.entries.len(), 4);

        // Emptying a chunk deletes its record; a rebuild deletes the chunks it replaced.
        let (small_id, small) = stored
            .iter()
            .find(|(_, c)| c.entries.len() == 3)
            .cloned()
            .unwrap();
        for entry in &small.entries {
            let id = entry.id.record_id().unwrap();
            let mut month = read(&id);
            assert!(month.remove(&id));
        }
        let first = small.entries[0].id.record_id().unwrap();
        let mut month = read(&first);
        for entry in &small.entries {
            assert!(month.remove(&entry.id.record_id().unwrap()));
        }
        assert!(!month.remove(&first));
        assert_eq!(month.into_changes(), (Vec::new(), vec![small_id]));
        let old: Vec<RecordId> = stored.iter().map(|(id, _)| id.clone()).collect();
        let (saved, deleted) = MonthDigest::rebuilt([(&ids[0], 5, &e)], old.clone()).into_changes();
        assert_eq!((saved.len(), deleted), (1, old));
    }

    #[test]
    fn a_chunk_stops_taking_entries_at_its_text_budget() {
        let long = "word ".repeat(CHUNK_TEXT_BYTES / 5 / 3 + 1);
        let e = entry(EntryKind::Free, &[("text", &long)], &[]);
        let ids: Vec<RecordId> = (0..7).map(|_| RecordId::generate()).collect();
        let (save, _) =
            MonthDigest::rebuilt(ids.iter().map(|id| (id, 1, &e)), Vec::new()).into_changes();
        assert_eq!(
            save.iter()
                .map(|(_, c)| c.entries.len())
                .collect::<Vec<_>>(),
            [3, 3, 1]
        );
        assert!(save
            .iter()
            .all(|(_, c)| c.text.len() < CHUNK_TEXT_BYTES + long.len() + 2));
    }
}
