//! The search digest's use cases: sealing and opening chunks, reading a month for a change,
//! and searching every chunk (the format and matching are in `index.rs`).

use super::*;

impl Trellis {
    /// A month's digest changes, sealed: the chunks to save and the records to delete.
    pub(super) fn seal_month(
        &self,
        unlocked: &Unlocked,
        month: i64,
        digest: MonthDigest,
    ) -> Result<(Vec<StoredRecord>, Vec<RecordId>), ServiceError> {
        let (chunks, delete) = digest.into_changes();
        let save = chunks
            .into_iter()
            .map(|(id, chunk)| {
                self.seal_bytes(
                    unlocked,
                    (id, INDEX_KIND, INDEX_SCHEMA),
                    Some(month),
                    &Zeroizing::new(chunk.encode()),
                )
            })
            .collect::<Result<_, _>>()?;
        Ok((save, delete))
    }

    /// How many entries each month holds, from the clear per-day counts.
    pub(super) async fn entries_per_month(
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
    pub(super) async fn records_of_month(
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
    pub(super) async fn entries_of_month(
        &self,
        unlocked: &Unlocked,
        month: i64,
    ) -> Result<Vec<Item<JournalEntry>>, ServiceError> {
        self.records_of_month(unlocked, JournalEntry::KIND, month)
            .await?
            .iter()
            .map(|r| self.open_item(unlocked, r))
            .collect()
    }

    /// A month's digest for a change to the entry `target`: the stored chunks when they all
    /// open and add up to the month's entries (by count), otherwise rebuilt from the entries
    /// themselves.
    pub(super) async fn month_for_change(
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
    pub(super) fn search_digests(
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
        let sealed_bytes: usize = digests.iter().map(|r| r.sealed.len()).sum();
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
    pub(super) async fn journal_hits(
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
}

/// One digest chunk, searched.
pub(super) struct SearchedChunk {
    /// Its month (the month's first day).
    month: i64,
    /// How many entries the chunk holds.
    entries: usize,
    /// Those that matched.
    hits: Vec<IndexEntry>,
}

/// Below this many sealed bytes of digests, one thread searches them all; the search reads
/// the digests in batches of about this size.
pub(super) const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Digest changes run one at a time in this process, so two saves in the same month cannot
/// lose each other's update. (Across processes a lost added or deleted entry is caught by the
/// per-month counts and the month is rebuilt; a lost edit can leave a chunk with an entry's
/// older words until that entry's next save. A hit is always checked against the entry
/// itself, so a search never shows a wrong entry.)
pub(super) static INDEX_WRITES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
