//! Progress: the person's own path, shown without streaks or grades. Today it holds the PCL-5
//! self-check ([`pcl5`]): its exact items, its scoring, and the person's past results.

mod cache;
pub mod hobbies;
pub mod pcl5;
pub mod trend;

use crate::access::Unlocked;
use crate::ids::RecordId;
use crate::records::{Item, RecordKind};
use crate::trellis::{Handle, ServiceError, Trellis};

pub(crate) use self::cache::{CALM as CACHE_CALM, CHECKINS as CACHE_CHECKINS};
pub use self::pcl5::{Pcl5, Pcl5Problem, Scores, Timeframe, ITEMS, RESPONSES};

/// Progress, for one person: [`Trellis::progress`] opens it.
pub enum Area {}

impl Trellis {
    /// Progress for this unlocked session.
    pub fn progress<'a>(&'a self, me: &'a Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}

impl Handle<'_, Area> {
    /// Every PCL-5 the person kept, newest first.
    pub async fn pcl5_results(self) -> Result<Vec<Item<Pcl5>>, ServiceError> {
        let mut items = self.trellis.records::<Pcl5>(self.me).list().await?;
        items.sort_by(|a, b| (b.value.taken, b.id.as_str()).cmp(&(a.value.taken, a.id.as_str())));
        Ok(items)
    }

    /// Keeps a completed PCL-5, taken now (strictly after the one before, so two kept within
    /// one second still keep their order). `attempt` is the form's own token: the same form
    /// sent twice (a double click, a resend after unlocking) keeps one result, not two.
    pub async fn save_pcl5(
        self,
        mut result: Pcl5,
        attempt: &str,
    ) -> Result<RecordId, ServiceError> {
        let id = match RecordId::parse(attempt) {
            Some(_) => Trellis::keyed_id(self.me, Pcl5::KIND, attempt)?,
            None => RecordId::generate(),
        };
        let kept = self.pcl5_results().await?;
        let latest = kept.iter().find(|r| r.id != id).map(|r| r.value.taken);
        result.taken = latest.map_or(self.trellis.now(), |t| self.trellis.now().max(t + 1));
        let created = kept.iter().find(|r| r.id == id).map(|r| r.created_day);
        let record = self.trellis.seal(self.me, id.clone(), created, &result)?;
        self.trellis.store.save_record(&record).await?;
        Ok(id)
    }

    /// One kept result, and the one taken before it (for the change), when `id` is this
    /// person's.
    pub async fn pcl5_with_previous(
        self,
        id: &RecordId,
    ) -> Result<Option<(Item<Pcl5>, Option<Item<Pcl5>>)>, ServiceError> {
        let all = self.pcl5_results().await?;
        let Some(at) = all.iter().position(|r| &r.id == id) else {
            return Ok(None);
        };
        let mut all = all.into_iter().skip(at);
        let this = all.next();
        Ok(this.map(|t| (t, all.next())))
    }

    /// Deletes one kept result (false when it is not this person's).
    pub async fn delete_pcl5(self, id: &RecordId) -> Result<bool, ServiceError> {
        self.trellis.records::<Pcl5>(self.me).delete(id).await
    }
}

/// Days of answers before a view's first day that are enough to draw its line (see
/// [`Handle::checkin_trends`]).
pub const WARM_UP_DAYS: i64 = 90;

/// One check-in question over time: its answers and the smoothed line through them.
#[derive(Clone, Debug)]
pub struct Trend {
    /// The question.
    pub question: &'static crate::today::Question,
    /// Every answer, oldest first (the answer's own number).
    pub answers: Vec<trend::Point>,
    /// The line (one value per day with an answer), oldest first.
    pub line: Vec<trend::Point>,
}

impl Handle<'_, Area> {
    /// A trend for each check-in question answered with words on a numbered scale — how the day
    /// feels, and each item the person follows (or answered before). Smoothed as a daily
    /// practice (`f` = 1) over the check-ins from `since` on (all when `None`). A line shown
    /// from day D needs the answers of the weeks before D only: after [`WARM_UP_DAYS`] an
    /// answer weighs less than 1 % (`0.948^90`), so `since` = D − [`WARM_UP_DAYS`] draws the
    /// same line to within 1 %, and ten years of check-ins are not opened for a month's view.
    pub async fn checkin_trends(
        self,
        since: Option<crate::clock::Day>,
    ) -> Result<Vec<Trend>, ServiceError> {
        use crate::today::{CheckIn, QUESTIONS};
        let today = self.trellis.today(self.me);
        let prefs = today.prefs().await?;
        let numbered: Vec<&'static crate::today::Question> = QUESTIONS
            .iter()
            .filter(|q| q.choices.iter().all(|c| c.value.parse::<u8>().is_ok()))
            .collect();
        // Each check-in's day and its numbered answers (by question field).
        let numbers = |c: &Item<CheckIn>| {
            let answers: Vec<(String, u8)> = numbered
                .iter()
                .filter_map(|q| Some((q.field.to_owned(), c.value.value(q.field).parse().ok()?)))
                .collect();
            (c.value.day, answers)
        };
        // A recent view opens its weeks' check-ins; everything is read through the cache.
        let checkins: Vec<(crate::clock::Day, Vec<(String, u8)>)> = match since {
            Some(_) => today
                .checkins_since(self.me, since)
                .await?
                .iter()
                .map(numbers)
                .collect(),
            None => {
                self.trellis
                    .derived::<CheckIn, _>(self.me, cache::CHECKINS, numbers)
                    .await?
            }
        };
        let m = trend::smoothing(1.0);
        Ok(numbered
            .into_iter()
            .filter_map(|q| {
                let mut answers: Vec<trend::Point> = checkins
                    .iter()
                    .filter_map(|(day, values)| {
                        let v = values.iter().find(|(f, _)| f == q.field)?.1;
                        Some(trend::Point {
                            day: *day,
                            value: f64::from(v),
                        })
                    })
                    .collect();
                let shown = q.item.is_none_or(|i| prefs.follows(i)) || !answers.is_empty();
                shown.then(|| {
                    answers.sort_by_key(|p| p.day);
                    Trend {
                        question: q,
                        line: trend::smoothed(&answers, m),
                        answers,
                    }
                })
            })
            .collect())
    }
}

/// Something that went well, in the person's own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Win {
    /// The day.
    pub day: crate::clock::Day,
    /// Where it comes from: "A small thing done", or the journal prompt's name.
    pub source: &'static str,
    /// The words.
    pub text: String,
    /// The journal entry it comes from, if any (to open it).
    pub entry: Option<RecordId>,
}

impl Handle<'_, Area> {
    /// Wins, newest first: small things done (one per thing and day), "One thing I did well"
    /// and "Three good moments" entries. Never counted; `before` (a day) pages back.
    pub async fn wins(
        self,
        before: Option<crate::clock::Day>,
        max: usize,
    ) -> Result<Vec<Win>, ServiceError> {
        use crate::journal::{EntryKind, JournalEntry};
        use crate::today::Goal;
        let goals = self.trellis.records::<Goal>(self.me).list().await?;
        // Journal entries newest first by their clear day, opened only until the page is full:
        // an entry's own day is never after the day its record was made, so once `max` wins
        // are in hand and the next record was made before the oldest of them, none further
        // back can belong on this page.
        let mut kept_days: Vec<i64> = Vec::new();
        let mut entries = Vec::new();
        let mut failed = None;
        let me = self.me;
        let trellis = self.trellis;
        trellis
            .stored_newest_while::<JournalEntry>(me, |r| {
                if kept_days.len() >= max {
                    kept_days.sort_unstable_by(|a, b| b.cmp(a));
                    if kept_days
                        .get(max - 1)
                        .is_some_and(|&d| r.created_day + 86_400 < d)
                    {
                        return false;
                    }
                }
                match trellis.open_item::<JournalEntry>(me, r) {
                    Ok(e) => {
                        let day = if e.value.written_at > 0 {
                            e.value.written_at
                        } else {
                            e.created_day
                        };
                        let day = crate::clock::Day::of_unix(day);
                        let wanted =
                            matches!(e.value.kind, EntryKind::DidWell | EntryKind::GoodMoments);
                        if wanted && before.is_none_or(|b| day < b) {
                            kept_days.push(day.unix_midnight());
                            entries.push(e);
                        }
                        true
                    }
                    Err(err) => {
                        failed = Some(err);
                        false
                    }
                }
            })
            .await?;
        if let Some(err) = failed {
            return Err(err);
        }
        let mut wins: Vec<Win> = goals
            .iter()
            .flat_map(|g| {
                g.value.done_days.iter().map(|&day| Win {
                    day,
                    source: "A small thing done",
                    text: g.value.text.clone(),
                    entry: None,
                })
            })
            .chain(
                entries
                    .iter()
                    .filter(|e| matches!(e.value.kind, EntryKind::DidWell | EntryKind::GoodMoments))
                    .map(|e| Win {
                        day: crate::clock::Day::of_unix(if e.value.written_at > 0 {
                            e.value.written_at
                        } else {
                            e.created_day
                        }),
                        source: e.value.kind.name(),
                        text: e.value.full_text(),
                        entry: Some(e.id.clone()),
                    }),
            )
            .filter(|w| before.is_none_or(|b| w.day < b) && !w.text.is_empty())
            .collect();
        wins.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.text.cmp(&b.text)));
        wins.truncate(max);
        Ok(wins)
    }
}

/// One calm tool over time: how much distress went down each time both ratings were given
/// (before − after; below zero when it rose), and the smoothed line through those.
#[derive(Clone, Debug)]
pub struct CalmTrend {
    /// The tool.
    pub tool: &'static crate::calm::Tool,
    /// Each use's drop, on its day, oldest first.
    pub drops: Vec<trend::Point>,
    /// The line.
    pub line: Vec<trend::Point>,
}

impl Handle<'_, Area> {
    /// For each calm tool used with a rating before and after, the drop in distress over time,
    /// from `since` on (see [`Handle::checkin_trends`]), in the order the tools are offered.
    pub async fn calm_trends(
        self,
        since: Option<crate::clock::Day>,
    ) -> Result<Vec<CalmTrend>, ServiceError> {
        use crate::calm::CalmRating;
        // Each use rated before and after: its tool, day and drop in distress.
        let numbers = |item: &Item<CalmRating>| match (item.value.before, item.value.after) {
            (Some(before), Some(after)) => Some((
                item.value.tool.clone(),
                crate::clock::Day::of_unix(item.created_day),
                f64::from(before) - f64::from(after),
            )),
            _ => None,
        };
        let uses: Vec<(String, crate::clock::Day, f64)> = match since {
            Some(since) => {
                let floor = since.unix_midnight();
                let stored = self
                    .trellis
                    .stored_newest_while::<CalmRating>(self.me, |r| r.created_day >= floor)
                    .await?;
                let mut uses = Vec::new();
                for r in stored.iter().filter(|r| r.created_day >= floor) {
                    uses.extend(numbers(&self.trellis.open_item::<CalmRating>(self.me, r)?));
                }
                uses
            }
            None => self
                .trellis
                .derived::<CalmRating, _>(self.me, cache::CALM, numbers)
                .await?
                .into_iter()
                .flatten()
                .collect(),
        };
        let m = trend::smoothing(1.0);
        Ok(crate::calm::tools()
            .iter()
            .filter_map(|tool| {
                let mut drops: Vec<trend::Point> = uses
                    .iter()
                    .filter(|(key, _, _)| *key == tool.key)
                    .map(|&(_, day, value)| trend::Point { day, value })
                    .collect();
                drops.sort_by_key(|p| p.day);
                (!drops.is_empty()).then(|| CalmTrend {
                    tool,
                    line: trend::smoothed(&drops, m),
                    drops,
                })
            })
            .collect())
    }
}

/// One step of the person's trust ladder over time: its tries (steps back included, as dots)
/// and its strength after each day with a try that was not a step back (the ladder's own rule:
/// `m` for two tries a week; other days leave it).
#[derive(Clone, Debug)]
pub struct LadderTrend {
    /// The step's name.
    pub name: String,
    /// Each try: its day, 1 (0 for a step back).
    pub tries: Vec<trend::Point>,
    /// The strength, 0–1, after each day that counted.
    pub line: Vec<trend::Point>,
    /// Its strength now, in words.
    pub words: &'static str,
}

impl Handle<'_, Area> {
    /// The person's own ladder steps that have tries, in ladder order.
    pub async fn ladder_trends(self) -> Result<Vec<LadderTrend>, ServiceError> {
        use crate::together::{smoothing, strength_words, LadderStep, TRIES_PER_DAY};
        let mut steps = self.trellis.records::<LadderStep>(self.me).list().await?;
        steps.sort_by_key(|s| s.value.position);
        let m = smoothing(TRIES_PER_DAY);
        Ok(steps
            .into_iter()
            .filter(|s| !s.value.tries.is_empty())
            .map(|s| {
                let day = crate::clock::Day::of_unix;
                let mut tries: Vec<trend::Point> = s
                    .value
                    .tries
                    .iter()
                    .map(|t| trend::Point {
                        day: day(t.day),
                        value: if t.stepped_back { 0.0 } else { 1.0 },
                    })
                    .collect();
                tries.sort_by_key(|p| p.day);
                let mut counted: Vec<crate::clock::Day> = tries
                    .iter()
                    .filter(|p| p.value > 0.0)
                    .map(|p| p.day)
                    .collect();
                counted.dedup();
                let mut strength = 0.0;
                let line = counted
                    .into_iter()
                    .map(|d| {
                        strength = strength * m + (1.0 - m);
                        trend::Point {
                            day: d,
                            value: strength,
                        }
                    })
                    .collect();
                LadderTrend {
                    words: strength_words(s.value.strength()),
                    name: s.value.name,
                    tries,
                    line,
                }
            })
            .collect())
    }
}
