//! The journal's use cases: pages, search, entries, drafts, preferences and a past good
//! moment on a hard day.

use super::*;

impl Handle<'_, Area> {
    /// One page of the journal, newest first, in whole days, from the day before `before`
    /// (or from the newest). Only this page's records are fetched and opened.
    pub async fn page(self, before: Option<i64>) -> Result<JournalPage, ServiceError> {
        let unlocked = self.me;
        let account = unlocked.account_id();
        let start = before.map_or(PageStart::Newest, PageStart::BeforeDay);
        let limit = u32::try_from(PAGE_SIZE + 1).unwrap_or(u32::MAX);
        let mut records = self
            .trellis
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
                    .trellis
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
            .map(|r| self.trellis.open_item(unlocked, r))
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
    pub async fn search(
        self,
        filter: &JournalFilter,
        before: Option<i64>,
    ) -> Result<JournalPage, ServiceError> {
        let unlocked = self.me;
        let mut hits = self
            .trellis
            .journal_hits(unlocked, filter, |_| true)
            .await?;
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
            if let Some(item) = self.entry(&id).await? {
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

    /// Whether to offer "three qualities" on `day`: the person turned it on, and has not
    /// written a "Qualities I like in myself" entry that day.
    pub async fn offer_qualities(self, day: crate::clock::Day) -> Result<bool, ServiceError> {
        if !self.prefs().await?.morning_qualities {
            return Ok(false);
        }
        let written = self.written_between(day, day).await?;
        Ok(!written.iter().any(|e| e.value.kind == EntryKind::Qualities))
    }

    /// The entries written from `from` to `to` (by the day each was written), newest first:
    /// only the records kept in those days (a day either side) are read and opened.
    pub async fn written_between(
        self,
        from: crate::clock::Day,
        to: crate::clock::Day,
    ) -> Result<Vec<Item<JournalEntry>>, ServiceError> {
        const DAY: i64 = 86_400;
        let written = |e: &Item<JournalEntry>| e.value.written_at.max(e.created_day);
        let records = self
            .trellis
            .store
            .records_of_kind_in_days(
                self.me.account_id(),
                JournalEntry::KIND,
                from.unix_midnight() - DAY,
                to.unix_midnight() + 2 * DAY,
            )
            .await?;
        let mut out = Vec::new();
        for r in &records {
            let e = self.trellis.open_item::<JournalEntry>(self.me, r)?;
            let d = crate::clock::Day::of_unix(written(&e));
            if d >= from && d <= to {
                out.push(e);
            }
        }
        out.sort_by_key(|e| std::cmp::Reverse(written(e)));
        Ok(out)
    }

    /// One entry; `None` when the id is unknown, someone else's, or not an entry (→ 404).
    pub async fn entry(self, id: &RecordId) -> Result<Option<Item<JournalEntry>>, ServiceError> {
        let unlocked = self.me;
        self.trellis.records::<JournalEntry>(unlocked).get(id).await
    }

    /// Saves a new entry from the form and drops the form's draft.
    pub async fn add(self, input: &EntryInput) -> Result<RecordId, JournalError> {
        let unlocked = self.me;
        let today = day_of(self.trellis.now());
        let (mut entry, day) = input.to_entry(today)?;
        entry.written_at = self.trellis.now();
        let id = RecordId::generate();
        let record = self.trellis.seal(unlocked, id.clone(), Some(day), &entry)?;
        let _one_at_a_time = INDEX_WRITES.lock().await;
        let month = month_of(day);
        let mut digest = self.trellis.month_for_change(unlocked, month, &id).await?;
        digest.upsert(&id, day, &entry);
        let (mut save, delete) = self.trellis.seal_month(unlocked, month, digest)?;
        save.push(record);
        self.trellis
            .store
            .write_records(unlocked.account_id(), &save, &delete)
            .await?;
        self.discard_draft(&DraftForm::New(input.kind)).await?;
        Ok(id)
    }

    /// Replaces an entry from the edit form and drops its draft. `Ok(false)` (nothing
    /// changed) when the id is unknown, someone else's or not an entry.
    pub async fn update(self, id: &RecordId, input: &EntryInput) -> Result<bool, JournalError> {
        let unlocked = self.me;
        let Some(existing) = self.entry(id).await? else {
            return Ok(false);
        };
        let mut input = input.clone();
        input.kind = existing.value.kind;
        let (mut entry, day) = input.to_entry(day_of(self.trellis.now()))?;
        entry.written_at = existing.value.written_at;
        let record = self.trellis.seal(unlocked, id.clone(), Some(day), &entry)?;
        let _one_at_a_time = INDEX_WRITES.lock().await;
        let (old_month, new_month) = (month_of(existing.created_day), month_of(day));
        let mut save = vec![record];
        let mut delete = Vec::new();
        if old_month != new_month {
            let mut old = self
                .trellis
                .month_for_change(unlocked, old_month, id)
                .await?;
            old.remove(id);
            let (chunks, gone) = self.trellis.seal_month(unlocked, old_month, old)?;
            save.extend(chunks);
            delete.extend(gone);
        }
        let mut new = self
            .trellis
            .month_for_change(unlocked, new_month, id)
            .await?;
        new.upsert(id, day, &entry);
        let (chunks, gone) = self.trellis.seal_month(unlocked, new_month, new)?;
        save.extend(chunks);
        delete.extend(gone);
        self.write_edit(&save, &delete, id).await?;
        Ok(true)
    }

    /// Deletes an entry (and any draft of its edit form). False when the id is unknown,
    /// someone else's or not an entry: nothing changes.
    pub async fn delete(self, id: &RecordId) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        let Some(existing) = self.entry(id).await? else {
            return Ok(false);
        };
        let _one_at_a_time = INDEX_WRITES.lock().await;
        let month = month_of(existing.created_day);
        let mut digest = self.trellis.month_for_change(unlocked, month, id).await?;
        digest.remove(id);
        let (save, mut delete) = self.trellis.seal_month(unlocked, month, digest)?;
        delete.push(id.clone());
        self.write_edit(&save, &delete, id).await?;
        Ok(true)
    }

    /// Writes an entry's change (its record and its month's digest) in one transaction, then
    /// drops the draft of its edit form.
    async fn write_edit(
        self,
        save: &[StoredRecord],
        delete: &[RecordId],
        id: &RecordId,
    ) -> Result<(), ServiceError> {
        self.trellis
            .store
            .write_records(self.me.account_id(), save, delete)
            .await?;
        self.discard_draft(&DraftForm::Edit(id.clone())).await?;
        Ok(())
    }

    pub(super) async fn draft_items(
        self,
        unlocked: &Unlocked,
    ) -> Result<Vec<Item<JournalDraft>>, ServiceError> {
        let mut drafts = self
            .trellis
            .records::<JournalDraft>(unlocked)
            .list()
            .await?;
        drafts.sort_by_key(|d| std::cmp::Reverse(d.value.saved_at));
        Ok(drafts)
    }

    /// Seals what is being typed into `form` (replacing its previous draft). `Ok(false)`
    /// (nothing saved) when the form edits an entry that is unknown or someone else's.
    pub async fn save_draft(
        self,
        form: &DraftForm,
        input: &EntryInput,
    ) -> Result<bool, JournalError> {
        let unlocked = self.me;
        let mut input = input.clone();
        match form {
            DraftForm::New(kind) => input.kind = *kind,
            DraftForm::Edit(id) => match self.entry(id).await? {
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
            saved_at: self.trellis.now(),
            scale: MoodScale::ONE,
        };
        let (id, created) = match existing {
            Some(d) => (d.id.clone(), Some(d.created_day)),
            None => (RecordId::generate(), None),
        };
        let record = self.trellis.seal(unlocked, id, created, &draft)?;
        self.trellis.store.save_record(&record).await?;
        if existing.is_none() {
            // Keep the newest few: the oldest unfinished drafts go.
            for old in drafts.iter().skip(MAX_DRAFTS - 1) {
                self.trellis
                    .store
                    .delete_record(unlocked.account_id(), &old.id)
                    .await?;
            }
        }
        Ok(true)
    }

    /// The draft kept for `form`, if any.
    pub async fn draft(self, form: &DraftForm) -> Result<Option<JournalDraft>, ServiceError> {
        let unlocked = self.me;
        let key = form.key();
        Ok(self
            .draft_items(unlocked)
            .await?
            .into_iter()
            .map(|d| d.value)
            .find(|d| d.form == key))
    }

    /// Every unfinished draft, latest first.
    pub async fn drafts(self) -> Result<Vec<JournalDraft>, ServiceError> {
        let unlocked = self.me;
        Ok(self
            .draft_items(unlocked)
            .await?
            .into_iter()
            .map(|d| d.value)
            .collect())
    }

    /// Throws away the draft of `form`; false when there was none.
    pub async fn discard_draft(self, form: &DraftForm) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        let key = form.key();
        let mut any = false;
        for d in self
            .draft_items(unlocked)
            .await?
            .iter()
            .filter(|d| d.value.form == key)
        {
            any |= self
                .trellis
                .store
                .delete_record(unlocked.account_id(), &d.id)
                .await?;
        }
        Ok(any)
    }

    /// The person's journal preferences (defaults when never saved).
    pub async fn prefs(self) -> Result<JournalPrefs, ServiceError> {
        let unlocked = self.me;
        self.trellis.singleton::<JournalPrefs>(unlocked).get().await
    }

    /// Saves the journal preferences (one sealed record per person).
    pub async fn set_prefs(self, prefs: JournalPrefs) -> Result<(), ServiceError> {
        let unlocked = self.me;
        self.trellis.singleton(unlocked).save(&prefs).await
    }

    /// One of the person's own past good moments (from "three good moments", "one thing I
    /// did well" and "qualities I like in myself" entries before today), with its day, or
    /// `None` when they have not turned this on or have none yet. The choice changes once a
    /// day and stays the same within a day.
    pub async fn past_good_moment(self) -> Result<Option<PastGoodMoment>, ServiceError> {
        let unlocked = self.me;
        if !self.prefs().await?.resurface_good_moments {
            return Ok(None);
        }
        let today = day_of(self.trellis.now());
        let good = |e: &IndexEntry| {
            e.day < today
                && matches!(
                    e.kind,
                    EntryKind::GoodMoments | EntryKind::DidWell | EntryKind::Qualities
                )
        };
        let mut candidates = self
            .trellis
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
            if let Some(item) = self.entry(&id).await? {
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
    /// past good moments, only when they turned resurfacing on (see [`Handle::past_good_moment`],
    /// which also gives its day). Stable signature for other areas to call.
    pub async fn good_moment_for_hard_day(self) -> Result<Option<String>, ServiceError> {
        Ok(self.past_good_moment().await?.map(|m| m.text))
    }
}

/// Picks one position by the day, so the choice is steady within a day and moves on the next.
pub(super) fn pick_for_day<T>(items: &[T], today: i64) -> Option<usize> {
    if items.is_empty() {
        return None;
    }
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    usize::try_from((today / DAY).rem_euclid(len)).ok()
}
