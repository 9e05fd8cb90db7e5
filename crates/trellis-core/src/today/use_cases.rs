//! Today's use cases on the service.

use super::*;

/// What became of saving a check-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckInSaved {
    /// Saved under this id.
    Saved(RecordId),
    /// Another check-in already holds that day (its id): nothing was changed.
    DayTaken(RecordId),
    /// The check-in to change does not exist (or is someone else's): nothing was changed.
    NotFound,
}

impl Handle<'_, Area> {
    /// Check-ins whose day may fall on or after `from`, opened. A check-in is saved with its
    /// record's clear `created_day` no earlier than the day before its own day (the form refuses
    /// days after tomorrow, and moving a check-in to another day makes a new record), so older
    /// records are skipped without being opened.
    pub(crate) async fn checkins_since(
        self,
        unlocked: &Unlocked,
        from: Option<Day>,
    ) -> Result<Vec<Item<CheckIn>>, ServiceError> {
        let floor = from.map_or(i64::MIN, |d| d.unix_midnight() - 2 * SECS_PER_DAY);
        // Recent days (Home, on every visit): only those days' records, a handful of rows
        // that the local cache can keep; everything: page through, newest first.
        let records = match from {
            Some(_) => {
                self.trellis
                    .store
                    .records_of_kind_in_days(unlocked.account_id(), CheckIn::KIND, floor, i64::MAX)
                    .await?
            }
            None => {
                self.trellis
                    .stored_newest_while::<CheckIn>(unlocked, |_| true)
                    .await?
            }
        };
        let mut out = Vec::new();
        for r in records.iter().filter(|r| r.created_day >= floor) {
            let item = self.trellis.open_item::<CheckIn>(unlocked, r)?;
            if from.is_none_or(|f| item.value.day >= f) {
                out.push(item);
            }
        }
        out.sort_by(|a, b| {
            b.value
                .day
                .cmp(&a.value.day)
                .then(b.updated_day.cmp(&a.updated_day))
        });
        Ok(out)
    }

    /// The check-ins of the [`RECENT_DAYS`] days up to `today` (and tomorrow's, if any), newest
    /// day first, one per day.
    pub async fn recent_checkins(self, today: Day) -> Result<Vec<Item<CheckIn>>, ServiceError> {
        let unlocked = self.me;
        let mut items = self
            .checkins_since(unlocked, Some(today.minus_days(RECENT_DAYS - 1)))
            .await?;
        items.dedup_by(|b, a| a.value.day == b.value.day);
        Ok(items)
    }

    /// Check-ins before `before`, newest day first.
    pub async fn earlier_checkins(self, before: Day) -> Result<Vec<Item<CheckIn>>, ServiceError> {
        let unlocked = self.me;
        let mut items = self.checkins_since(unlocked, None).await?;
        items.retain(|i| i.value.day < before);
        Ok(items)
    }

    /// The check-in for `day`, if there is one.
    pub async fn checkin_for_day(self, day: Day) -> Result<Option<Item<CheckIn>>, ServiceError> {
        let unlocked = self.me;
        Ok(self
            .checkins_since(unlocked, Some(day))
            .await?
            .into_iter()
            .find(|i| i.value.day == day))
    }

    /// Saves a check-in: a new one when `id` is `None`, else a change to check-in `id`.
    /// A day holds one check-in: when another check-in already has that day, nothing changes
    /// and its id is returned, so the person can choose what to do.
    pub async fn save_checkin(
        self,
        id: Option<&RecordId>,
        checkin: &CheckIn,
    ) -> Result<CheckInSaved, ServiceError> {
        let unlocked = self.me;
        let existing = match id {
            Some(id) => match self.trellis.records::<CheckIn>(unlocked).get(id).await? {
                Some(e) => Some(e),
                None => return Ok(CheckInSaved::NotFound),
            },
            None => None,
        };
        if let Some(other) = self.checkin_for_day(checkin.day).await? {
            if existing.as_ref().is_none_or(|e| e.id != other.id) {
                return Ok(CheckInSaved::DayTaken(other.id));
            }
        }
        match existing {
            Some(e) if e.value.day == checkin.day => {
                self.trellis
                    .records(unlocked)
                    .replace(&e.id, checkin)
                    .await?;
                Ok(CheckInSaved::Saved(e.id))
            }
            Some(e) => {
                // A new day: a new record, so its clear created_day stays close to its day.
                let new_id = self.trellis.records(unlocked).add(checkin).await?;
                self.trellis
                    .records::<CheckIn>(unlocked)
                    .delete(&e.id)
                    .await?;
                Ok(CheckInSaved::Saved(new_id))
            }
            None => Ok(CheckInSaved::Saved(
                self.trellis.records(unlocked).add(checkin).await?,
            )),
        }
    }

    /// The person's Today preferences (none followed when never saved).
    pub async fn prefs(self) -> Result<TodayPrefs, ServiceError> {
        let unlocked = self.me;
        self.trellis.singleton::<TodayPrefs>(unlocked).get().await
    }

    /// Saves which items the check-in follows (one sealed record per person).
    pub async fn set_followed(self, items: &[Followed]) -> Result<(), ServiceError> {
        let unlocked = self.me;
        let prefs = TodayPrefs {
            follow: items.iter().map(|i| i.key().to_owned()).collect(),
        };
        self.trellis.singleton(unlocked).save(&prefs).await
    }

    /// Every goal, in the order added.
    pub async fn goals(self) -> Result<Vec<Item<Goal>>, ServiceError> {
        let unlocked = self.me;
        let mut goals = self.trellis.records::<Goal>(unlocked).list().await?;
        goals.sort_by(|a, b| a.value.added.cmp(&b.value.added).then(a.id.cmp(&b.id)));
        Ok(goals)
    }

    /// Adds a goal (the words already checked with [`read_goal_text`]).
    pub async fn add_goal(
        self,
        text: String,
    ) -> Result<Result<RecordId, GoalProblem>, ServiceError> {
        let unlocked = self.me;
        let goals = self.trellis.records::<Goal>(unlocked).list().await?;
        if goals.len() >= GOALS_MAX {
            return Ok(Err(GoalProblem::TooMany));
        }
        // Strictly after every other goal, so the list keeps the order things were added.
        let added = goals
            .iter()
            .map(|g| g.value.added + 1)
            .fold(self.trellis.now(), i64::max);
        let goal = Goal {
            text,
            active: true,
            added,
            done_days: Vec::new(),
        };
        Ok(Ok(self.trellis.records(unlocked).add(&goal).await?))
    }

    /// Changes goal `id` with `change`. False (and nothing changed) when it is not this
    /// person's goal.
    pub async fn change_goal(
        self,
        id: &RecordId,
        change: impl FnOnce(&mut Goal),
    ) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        let Some(mut goal) = self.trellis.records::<Goal>(unlocked).get(id).await? else {
            return Ok(false);
        };
        change(&mut goal.value);
        self.trellis
            .records(unlocked)
            .replace(id, &goal.value)
            .await
    }
}
