//! Distress ratings before and after, and what has helped.

use super::*;

/// One use of a calm tool with the optional distress ratings (0–10) before and after. Sealed
/// like every other record; only its id, kind and coarse days are in clear.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CalmRating {
    /// The tool's key.
    pub tool: String,
    /// Distress before starting.
    #[serde(default)]
    pub before: Option<u8>,
    /// Distress after finishing (or stopping).
    #[serde(default)]
    pub after: Option<u8>,
}

impl RecordKind for CalmRating {
    const KIND: &'static str = "calm_rating";
    const SCHEMA_VERSION: u16 = 1;
}

/// When a rating is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// Before starting.
    Before,
    /// After finishing.
    After,
}

impl Moment {
    /// Reads the form value `before` or `after`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "before" => Some(Self::Before),
            "after" => Some(Self::After),
            _ => None,
        }
    }
}

/// A rating we could not take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RatingProblem {
    /// Not one of 0 to 10.
    #[error("Please choose a number from 0 to 10, or leave it blank to skip. Nothing was saved.")]
    OutOfRange,
}

/// Reads a typed rating: blank means skipped (`None`), otherwise a whole number 0–10.
pub fn parse_rating(s: &str) -> Result<Option<u8>, RatingProblem> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<u8>() {
        Ok(n) if n <= RATING_MAX && s.len() <= 2 => Ok(Some(n)),
        _ => Err(RatingProblem::OutOfRange),
    }
}

/// How one tool has gone for this person: uses with both ratings and the sum of the drops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Helped {
    /// The tool.
    pub tool: &'static Tool,
    /// Uses that had both a before and an after rating.
    pub uses: u32,
    /// Sum over those uses of (before − after); negative when distress rose.
    pub total_drop: i32,
}

impl Helped {
    /// Average drop in tenths of a point, rounded half away from zero (e.g. 25 = 2.5 points).
    pub fn average_drop_tenths(&self) -> i32 {
        let uses = i32::try_from(self.uses.max(1)).unwrap_or(i32::MAX);
        let scaled = self.total_drop * 10;
        let half = uses / 2;
        if scaled >= 0 {
            (scaled + half) / uses
        } else {
            (scaled - half) / uses
        }
    }

    /// The average drop as words-ready text, e.g. "2.5" or "2" (never negative: the sign is
    /// said in words).
    pub fn average_drop_text(&self) -> String {
        let t = self.average_drop_tenths().unsigned_abs();
        if t.is_multiple_of(10) {
            format!("{}", t / 10)
        } else {
            format!("{}.{}", t / 10, t % 10)
        }
    }

    /// Which way distress went, on average.
    pub fn direction(&self) -> Ordering {
        self.average_drop_tenths().cmp(&0)
    }

    /// Compares by average drop exactly (a·m vs b·n, no rounding).
    pub(super) fn cmp_average(&self, other: &Self) -> Ordering {
        let a = i64::from(self.total_drop) * i64::from(other.uses);
        let b = i64::from(other.total_drop) * i64::from(self.uses);
        a.cmp(&b)
    }
}

/// The "what helped" ranking: tools by average drop in distress (before − after), over uses
/// that have both ratings. Uses with only one rating are left out; tools no longer offered are
/// left out; a rise in distress counts honestly (a negative drop). Ties: more uses first, then
/// the order the tools are offered in.
pub fn what_helped<'a>(ratings: impl IntoIterator<Item = &'a CalmRating>) -> Vec<Helped> {
    let all = tools();
    let mut by_tool: Vec<Helped> = Vec::new();
    for r in ratings {
        let (Some(before), Some(after)) = (r.before, r.after) else {
            continue;
        };
        if before > RATING_MAX || after > RATING_MAX {
            continue;
        }
        let Some(tool) = all.iter().find(|t| t.key == r.tool) else {
            continue;
        };
        let drop = i32::from(before) - i32::from(after);
        match by_tool.iter_mut().find(|h| std::ptr::eq(h.tool, tool)) {
            Some(h) => {
                h.uses += 1;
                h.total_drop += drop;
            }
            None => by_tool.push(Helped {
                tool,
                uses: 1,
                total_drop: drop,
            }),
        }
    }
    let position = |t: &Tool| {
        all.iter()
            .position(|x| std::ptr::eq(x, t))
            .unwrap_or(usize::MAX)
    };
    by_tool.sort_by(|a, b| {
        b.cmp_average(a)
            .then(b.uses.cmp(&a.uses))
            .then(position(a.tool).cmp(&position(b.tool)))
    });
    by_tool
}

impl Handle<'_, Area> {
    /// Notes the distress before starting `tool`; returns the id of this use, so the rating
    /// after can complete it.
    pub async fn rate_before(self, tool: &Tool, rating: u8) -> Result<RecordId, ServiceError> {
        let unlocked = self.me;
        let value = CalmRating {
            tool: tool.key.clone(),
            before: Some(rating.min(RATING_MAX)),
            after: None,
        };
        self.trellis.records(unlocked).add(&value).await
    }

    /// Notes the distress after `tool`. With the id of this use (from the rating before), it
    /// completes that record; returns false, changing nothing, when the id is unknown, someone
    /// else's, or a use of another tool. Without an id, it keeps a use with only this rating.
    pub async fn rate_after(
        self,
        tool: &Tool,
        use_id: Option<&RecordId>,
        rating: u8,
    ) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        let rating = rating.min(RATING_MAX);
        let Some(id) = use_id else {
            let value = CalmRating {
                tool: tool.key.clone(),
                before: None,
                after: Some(rating),
            };
            self.trellis.records(unlocked).add(&value).await?;
            return Ok(true);
        };
        let Some(item) = self.trellis.records::<CalmRating>(unlocked).get(id).await? else {
            return Ok(false);
        };
        if item.value.tool != tool.key {
            return Ok(false);
        }
        let value = CalmRating {
            after: Some(rating),
            ..item.value
        };
        self.trellis.records(unlocked).replace(id, &value).await
    }

    /// Whether `id` is one of this person's uses of `tool` (to carry it through the steps).
    pub async fn use_exists(self, tool: &Tool, id: &RecordId) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        Ok(self
            .trellis
            .records::<CalmRating>(unlocked)
            .get(id)
            .await?
            .is_some_and(|i| i.value.tool == tool.key))
    }

    /// The "what helped" ranking for this person.
    pub async fn what_helped(self) -> Result<Vec<Helped>, ServiceError> {
        let unlocked = self.me;
        let items = self.trellis.records::<CalmRating>(unlocked).list().await?;
        Ok(what_helped(items.iter().map(|i| &i.value)))
    }

    /// How many uses this person has kept (any ratings).
    pub async fn rating_count(self) -> Result<usize, ServiceError> {
        let unlocked = self.me;
        Ok(self
            .trellis
            .records::<CalmRating>(unlocked)
            .list()
            .await?
            .len())
    }

    /// Forgets every distress rating of this person. Returns how many were removed.
    pub async fn forget_ratings(self) -> Result<usize, ServiceError> {
        let unlocked = self.me;
        let items = self.trellis.records::<CalmRating>(unlocked).list().await?;
        let mut removed = 0;
        for item in items {
            if self
                .trellis
                .records::<CalmRating>(unlocked)
                .delete(&item.id)
                .await?
            {
                removed += 1;
            }
        }
        Ok(removed)
    }
}
