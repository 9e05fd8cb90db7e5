//! Calm now: the calm tools (scripts compiled in from `content/calm/*.toml`), the paced
//! breathing rhythm the person sets, the optional distress rating before and after a tool
//! (a sealed record), and the private "what helped" ranking.
//!
//! The tools themselves are public: they work for someone who never set Trellis up and for a
//! locked person. Only the ratings are stored, and only when unlocked.

use std::cmp::Ordering;
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::access::Unlocked;
use crate::ids::RecordId;
use crate::records::RecordKind;
use crate::trellis::{ServiceError, Trellis};

/// One step of a tool.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Step {
    /// Short heading.
    pub title: String,
    /// Paragraphs, in our own words.
    pub text: Vec<String>,
    /// A suggested time for this step (0 = none); with JavaScript, a gentle timer shows it.
    #[serde(default)]
    pub seconds: u32,
    /// The suggested time in the shorter version (0 = same as `seconds`).
    #[serde(default)]
    pub short_seconds: u32,
    /// Offers a box to type what the person notices (never saved, never sent).
    #[serde(default)]
    pub write: bool,
    /// Offers "Skip this part" (body parts, optional touch, poses).
    #[serde(default)]
    pub skip: bool,
    /// The breathing rhythm form.
    #[serde(default)]
    pub rhythm: bool,
    /// The breathing pacer.
    #[serde(default)]
    pub pacer: bool,
    /// Name of a line drawing in `content/calm/figures` ("" = none).
    #[serde(default)]
    pub figure: String,
    /// Plain description of the drawing.
    #[serde(default)]
    pub figure_alt: String,
}

impl Step {
    /// The suggested seconds in the chosen version.
    pub fn seconds_for(&self, short: bool) -> u32 {
        if short && self.short_seconds > 0 {
            self.short_seconds
        } else {
            self.seconds
        }
    }

    /// The SVG markup of this step's drawing, if it has one.
    pub fn figure_svg(&self) -> Option<&'static str> {
        figure(&self.figure)
    }
}

/// One calm tool.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Tool {
    /// Stable key, used in the URL (`/calm/<key>`) and in ratings.
    pub key: String,
    /// Its name.
    pub name: String,
    /// One line: what it is.
    pub summary: String,
    /// What it is and what it may bring up ("this one mentions parts of the body").
    pub note: String,
    /// About how long the full version takes.
    pub minutes: u32,
    /// About how long the shorter version takes.
    pub short_minutes: u32,
    /// Which steps (1-based, in order) the shorter version keeps.
    pub short: Vec<usize>,
    /// Words for the end.
    pub closing: String,
    /// Where the idea comes from, in plain words.
    pub evidence: String,
    /// The source, as a citation (never a link: calm pages make no requests to other hosts).
    pub source: String,
    /// The steps of the full version.
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
}

impl Tool {
    /// How many steps the chosen version has.
    pub fn step_count(&self, short: bool) -> usize {
        if short {
            self.short.len()
        } else {
            self.steps.len()
        }
    }

    /// Step `n` (1-based) of the chosen version.
    pub fn step(&self, n: usize, short: bool) -> Option<&Step> {
        let index = if short {
            *self.short.get(n.checked_sub(1)?)?
        } else {
            n
        };
        self.steps.get(index.checked_sub(1)?)
    }

    /// Minutes the chosen version takes, about.
    pub fn minutes_for(&self, short: bool) -> u32 {
        if short {
            self.short_minutes
        } else {
            self.minutes
        }
    }

    /// Whether this tool sets a breathing rhythm.
    pub fn has_rhythm(&self) -> bool {
        self.steps.iter().any(|s| s.rhythm || s.pacer)
    }
}

const SOURCES: &[(&str, &str)] = &[
    ("senses", include_str!("../../../content/calm/senses.toml")),
    (
        "breathing",
        include_str!("../../../content/calm/breathing.toml"),
    ),
    (
        "three-breaths",
        include_str!("../../../content/calm/three-breaths.toml"),
    ),
    ("feet", include_str!("../../../content/calm/feet.toml")),
    (
        "body-scan",
        include_str!("../../../content/calm/body-scan.toml"),
    ),
    (
        "kindness",
        include_str!("../../../content/calm/kindness.toml"),
    ),
    (
        "movement",
        include_str!("../../../content/calm/movement.toml"),
    ),
];

const FIGURES: &[(&str, &str)] = &[
    (
        "mountain",
        include_str!("../../../content/calm/figures/mountain.svg"),
    ),
    (
        "shoulders",
        include_str!("../../../content/calm/figures/shoulders.svg"),
    ),
    (
        "side",
        include_str!("../../../content/calm/figures/side.svg"),
    ),
    (
        "fold",
        include_str!("../../../content/calm/figures/fold.svg"),
    ),
    (
        "child",
        include_str!("../../../content/calm/figures/child.svg"),
    ),
    (
        "rest",
        include_str!("../../../content/calm/figures/rest.svg"),
    ),
];

/// The SVG markup of a line drawing by name.
pub fn figure(name: &str) -> Option<&'static str> {
    FIGURES
        .iter()
        .find(|(n, _)| *n == name && !name.is_empty())
        .map(|(_, svg)| svg.trim())
}

/// Every calm tool, in the order they are offered.
pub fn tools() -> &'static [Tool] {
    static TOOLS: OnceLock<Vec<Tool>> = OnceLock::new();
    TOOLS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(name, text)| {
                #[expect(
                    clippy::panic,
                    reason = "compiled-in content; the unit tests prove every file parses"
                )]
                toml::from_str(text).unwrap_or_else(|e| panic!("content/calm/{name}.toml: {e}"))
            })
            .collect()
    })
}

/// A tool by key.
pub fn tool(key: &str) -> Option<&'static Tool> {
    tools().iter().find(|t| t.key == key)
}

// ---------------------------------------------------------------------------------------------
// Paced breathing: the person's rhythm.
// ---------------------------------------------------------------------------------------------

/// Seconds allowed for breathing in or out.
pub const BREATH_SECONDS: RangeInclusive<u8> = 2..=12;
/// Seconds allowed for either pause (0 = no pause).
pub const HOLD_SECONDS: RangeInclusive<u8> = 0..=10;

/// A breathing rhythm, in whole seconds. The default (in 4, out 6, no pauses) is about six
/// breaths a minute: offered, never imposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rhythm {
    /// Breathing in.
    pub inhale: u8,
    /// Pause after breathing in.
    pub hold: u8,
    /// Breathing out.
    pub exhale: u8,
    /// Pause after breathing out.
    pub rest: u8,
}

impl Default for Rhythm {
    fn default() -> Self {
        Self {
            inhale: 4,
            hold: 0,
            exhale: 6,
            rest: 0,
        }
    }
}

/// One part of the rhythm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Breathing in.
    Inhale,
    /// Pause after breathing in.
    Hold,
    /// Breathing out.
    Exhale,
    /// Pause after breathing out.
    Rest,
}

impl Phase {
    /// The form field and query name.
    pub fn field(self) -> &'static str {
        match self {
            Self::Inhale => "inhale",
            Self::Hold => "hold",
            Self::Exhale => "exhale",
            Self::Rest => "rest",
        }
    }
    /// Words for it.
    pub fn words(self) -> &'static str {
        match self {
            Self::Inhale => "breathing in",
            Self::Hold => "the pause after breathing in",
            Self::Exhale => "breathing out",
            Self::Rest => "the pause after breathing out",
        }
    }
    /// What the person is asked to do.
    pub fn cue(self) -> &'static str {
        match self {
            Self::Inhale => "Breathe in",
            Self::Hold | Self::Rest => "Pause",
            Self::Exhale => "Breathe out",
        }
    }
    /// Allowed seconds.
    pub fn range(self) -> RangeInclusive<u8> {
        match self {
            Self::Inhale | Self::Exhale => BREATH_SECONDS,
            Self::Hold | Self::Rest => HOLD_SECONDS,
        }
    }
    /// Every phase, in order.
    pub const ALL: [Phase; 4] = [Self::Inhale, Self::Hold, Self::Exhale, Self::Rest];
}

/// Something about a typed rhythm that we had to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RhythmProblem {
    /// Not a whole number; the default was used.
    NotWhole {
        /// Which part.
        phase: Phase,
        /// What was used instead.
        used: u8,
    },
    /// Outside the allowed range; the nearest allowed value was used.
    OutOfRange {
        /// Which part.
        phase: Phase,
        /// What was used instead.
        used: u8,
    },
}

impl fmt::Display for RhythmProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotWhole { phase, used } => write!(
                f,
                "For {}, please use a whole number of seconds. We used {used} for now.",
                phase.words()
            ),
            Self::OutOfRange { phase, used } => {
                let r = phase.range();
                write!(
                    f,
                    "For {}, we can use {} to {} seconds, so we used {used}.",
                    phase.words(),
                    r.start(),
                    r.end()
                )
            }
        }
    }
}

impl Rhythm {
    /// Seconds of one phase.
    pub fn seconds(&self, phase: Phase) -> u8 {
        match phase {
            Phase::Inhale => self.inhale,
            Phase::Hold => self.hold,
            Phase::Exhale => self.exhale,
            Phase::Rest => self.rest,
        }
    }

    fn set(&mut self, phase: Phase, value: u8) {
        match phase {
            Phase::Inhale => self.inhale = value,
            Phase::Hold => self.hold = value,
            Phase::Exhale => self.exhale = value,
            Phase::Rest => self.rest = value,
        }
    }

    /// Reads a typed rhythm. Empty fields take the default; anything else that is not a whole
    /// number takes the default with a problem; whole numbers outside the range are clamped with
    /// a problem. The rhythm returned is always usable.
    pub fn from_typed(typed: impl Fn(Phase) -> String) -> (Self, Vec<RhythmProblem>) {
        let mut rhythm = Self::default();
        let mut problems = Vec::new();
        for phase in Phase::ALL {
            let text = typed(phase);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let fallback = rhythm.seconds(phase);
            let range = phase.range();
            let parsed = (text.len() <= 12)
                .then(|| text.parse::<i64>().ok())
                .flatten();
            match parsed {
                None => problems.push(RhythmProblem::NotWhole {
                    phase,
                    used: fallback,
                }),
                Some(n) => {
                    let clamped = n.clamp(i64::from(*range.start()), i64::from(*range.end()));
                    let used = u8::try_from(clamped).unwrap_or(fallback);
                    if clamped != n {
                        problems.push(RhythmProblem::OutOfRange { phase, used });
                    }
                    rhythm.set(phase, used);
                }
            }
        }
        (rhythm, problems)
    }

    /// Seconds for one whole breath.
    pub fn cycle_seconds(&self) -> u32 {
        Phase::ALL.iter().map(|&p| u32::from(self.seconds(p))).sum()
    }

    /// Breaths a minute, in tenths (60 ÷ cycle), e.g. 60 for six breaths a minute.
    pub fn breaths_per_minute_tenths(&self) -> u32 {
        let cycle = self.cycle_seconds().max(1);
        (600 + cycle / 2) / cycle
    }

    /// About how many breaths fit in `seconds` (at least one).
    pub fn breaths_in(&self, seconds: u32) -> u32 {
        let cycle = self.cycle_seconds().max(1);
        ((seconds + cycle / 2) / cycle).max(1)
    }

    /// The phases that take any time, with their seconds.
    pub fn phases(&self) -> Vec<(Phase, u8)> {
        Phase::ALL
            .iter()
            .map(|&p| (p, self.seconds(p)))
            .filter(|(_, s)| *s > 0)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Distress ratings and "what helped".
// ---------------------------------------------------------------------------------------------

/// The highest distress rating.
pub const RATING_MAX: u8 = 10;

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
    fn cmp_average(&self, other: &Self) -> Ordering {
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

impl Trellis {
    /// Notes the distress before starting `tool`; returns the id of this use, so the rating
    /// after can complete it.
    pub async fn calm_rate_before(
        &self,
        unlocked: &Unlocked,
        tool: &Tool,
        rating: u8,
    ) -> Result<RecordId, ServiceError> {
        let value = CalmRating {
            tool: tool.key.clone(),
            before: Some(rating.min(RATING_MAX)),
            after: None,
        };
        self.add_item(unlocked, &value).await
    }

    /// Notes the distress after `tool`. With the id of this use (from the rating before), it
    /// completes that record; returns false, changing nothing, when the id is unknown, someone
    /// else's, or a use of another tool. Without an id, it keeps a use with only this rating.
    pub async fn calm_rate_after(
        &self,
        unlocked: &Unlocked,
        tool: &Tool,
        use_id: Option<&RecordId>,
        rating: u8,
    ) -> Result<bool, ServiceError> {
        let rating = rating.min(RATING_MAX);
        let Some(id) = use_id else {
            let value = CalmRating {
                tool: tool.key.clone(),
                before: None,
                after: Some(rating),
            };
            self.add_item(unlocked, &value).await?;
            return Ok(true);
        };
        let Some(item) = self.item::<CalmRating>(unlocked, id).await? else {
            return Ok(false);
        };
        if item.value.tool != tool.key {
            return Ok(false);
        }
        let value = CalmRating {
            after: Some(rating),
            ..item.value
        };
        self.replace_item(unlocked, id, &value).await
    }

    /// Whether `id` is one of this person's uses of `tool` (to carry it through the steps).
    pub async fn calm_use_exists(
        &self,
        unlocked: &Unlocked,
        tool: &Tool,
        id: &RecordId,
    ) -> Result<bool, ServiceError> {
        Ok(self
            .item::<CalmRating>(unlocked, id)
            .await?
            .is_some_and(|i| i.value.tool == tool.key))
    }

    /// The "what helped" ranking for this person.
    pub async fn calm_what_helped(&self, unlocked: &Unlocked) -> Result<Vec<Helped>, ServiceError> {
        let items = self.items::<CalmRating>(unlocked).await?;
        Ok(what_helped(items.iter().map(|i| &i.value)))
    }

    /// How many uses this person has kept (any ratings).
    pub async fn calm_rating_count(&self, unlocked: &Unlocked) -> Result<usize, ServiceError> {
        Ok(self.items::<CalmRating>(unlocked).await?.len())
    }

    /// Forgets every distress rating of this person. Returns how many were removed.
    pub async fn calm_forget_ratings(&self, unlocked: &Unlocked) -> Result<usize, ServiceError> {
        let items = self.items::<CalmRating>(unlocked).await?;
        let mut removed = 0;
        for item in items {
            if self.delete_item::<CalmRating>(unlocked, &item.id).await? {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn r(tool: &str, before: Option<u8>, after: Option<u8>) -> CalmRating {
        CalmRating {
            tool: tool.to_owned(),
            before,
            after,
        }
    }

    #[test]
    fn every_tool_parses_with_a_note_steps_and_a_valid_shorter_version() {
        let all = tools();
        let keys: Vec<&str> = all.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "senses",
                "breathing",
                "three-breaths",
                "feet",
                "body-scan",
                "kindness",
                "movement"
            ]
        );
        for (t, (file, _)) in all.iter().zip(SOURCES) {
            assert_eq!(t.key, *file, "the file name is the key");
            assert!(
                t.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}: neutral, plain key",
                t.key
            );
            assert!(
                !t.note.is_empty() && !t.summary.is_empty() && !t.closing.is_empty(),
                "{}",
                t.key
            );
            assert!(
                !t.evidence.is_empty() && !t.source.is_empty(),
                "{}: evidence with a source",
                t.key
            );
            assert!(
                !t.source.contains("://"),
                "{}: sources are citations, not links",
                t.key
            );
            assert!(!t.steps.is_empty(), "{}", t.key);
            assert!(
                !t.short.is_empty() && t.short.len() <= t.steps.len(),
                "{}",
                t.key
            );
            assert!(
                t.short.windows(2).all(|w| w[0] < w[1]),
                "{}: short steps in order",
                t.key
            );
            assert!(
                t.short.iter().all(|&i| (1..=t.steps.len()).contains(&i)),
                "{}: short steps exist",
                t.key
            );
            assert!(t.short_minutes <= t.minutes && t.minutes > 0, "{}", t.key);
            for s in &t.steps {
                assert!(
                    !s.title.is_empty() && !s.text.is_empty(),
                    "{}: {}",
                    t.key,
                    s.title
                );
                assert_eq!(
                    s.figure.is_empty(),
                    s.figure_alt.is_empty(),
                    "{}: every drawing is described",
                    s.title
                );
                if !s.figure.is_empty() {
                    assert!(
                        s.figure_svg().is_some(),
                        "{}: drawing {} exists",
                        s.title,
                        s.figure
                    );
                }
            }
            for text in std::iter::once(&t.note).chain(t.steps.iter().flat_map(|s| &s.text)) {
                assert!(
                    !text.contains('!'),
                    "{}: calm words, no exclamation marks: {text}",
                    t.key
                );
            }
        }
    }

    #[test]
    fn the_minutes_shown_match_the_suggested_times() {
        for t in tools() {
            for short in [false, true] {
                let total: u32 = (1..=t.step_count(short))
                    .filter_map(|n| t.step(n, short))
                    .map(|s| s.seconds_for(short))
                    .sum();
                let shown = t.minutes_for(short) * 60;
                assert!(
                    shown.abs_diff(total) <= 60,
                    "{} (short: {short}): {shown} s shown, {total} s of steps",
                    t.key
                );
            }
        }
    }

    #[test]
    fn the_notes_say_what_each_tool_may_bring_up() {
        assert!(tool("body-scan")
            .unwrap()
            .note
            .contains("mentions parts of the body"));
        assert!(tool("movement").unwrap().note.contains("stay seated"));
        assert!(tool("breathing").unwrap().note.contains("breath"));
        assert!(tool("kindness").unwrap().note.contains("skip"));
    }

    #[test]
    fn every_body_part_of_the_body_scan_can_be_skipped() {
        let scan = tool("body-scan").unwrap();
        let parts: Vec<&Step> = scan.steps.iter().filter(|s| s.skip).collect();
        assert!(parts.len() >= 5);
        for s in &scan.steps[1..scan.steps.len() - 1] {
            assert!(s.skip, "{} can be skipped", s.title);
        }
    }

    #[test]
    fn gentle_movement_lasts_five_to_ten_minutes_and_every_pose_has_a_drawing() {
        let m = tool("movement").unwrap();
        let total: u32 = m.steps.iter().map(|s| s.seconds).sum();
        assert!((300..=600).contains(&total), "{total} s");
        assert!((5..=10).contains(&m.minutes));
        let poses: Vec<&str> = m
            .steps
            .iter()
            .filter(|s| !s.figure.is_empty())
            .map(|s| s.title.as_str())
            .collect();
        assert!(
            poses.contains(&"Mountain pose") && poses.contains(&"Child's pose"),
            "{poses:?}"
        );
        assert!(poses.len() >= 5);
    }

    #[test]
    fn drawings_are_plain_line_art_with_nothing_active() {
        for (name, svg) in FIGURES {
            assert!(svg.trim_start().starts_with("<svg"), "{name}");
            assert!(
                svg.contains("aria-hidden=\"true\""),
                "{name}: described by the page, hidden from readers"
            );
            assert!(
                svg.contains("currentColor"),
                "{name}: follows the text colour (light and dark)"
            );
            for banned in [
                "<script",
                "style=",
                "<image",
                "href",
                " on",
                "<foreignObject",
            ] {
                assert!(!svg.contains(banned), "{name} contains {banned}");
            }
            assert!(svg.len() < 1200, "{name} is small");
        }
        assert_eq!(figure(""), None);
        assert_eq!(figure("nope"), None);
    }

    #[test]
    fn steps_of_the_shorter_version_come_from_the_full_one() {
        let t = tool("senses").unwrap();
        assert_eq!(t.step_count(false), 5);
        assert_eq!(t.step_count(true), 3);
        assert_eq!(t.step(1, true).unwrap().title, t.steps[0].title);
        assert_eq!(t.step(3, true).unwrap().title, t.steps[2].title);
        assert!(t.step(4, true).is_none());
        assert!(t.step(0, false).is_none());
        assert!(t.step(6, false).is_none());
        let k = tool("kindness").unwrap();
        assert_eq!(k.step(1, true).unwrap().title, "This is hard");
    }

    #[test]
    fn default_rhythm_is_about_six_breaths_a_minute() {
        let r = Rhythm::default();
        assert_eq!((r.inhale, r.hold, r.exhale, r.rest), (4, 0, 6, 0));
        assert_eq!(r.cycle_seconds(), 10);
        assert_eq!(r.breaths_per_minute_tenths(), 60);
        assert_eq!(r.breaths_in(120), 12);
        assert_eq!(r.breaths_in(3), 1, "at least one");
        assert_eq!(r.phases(), vec![(Phase::Inhale, 4), (Phase::Exhale, 6)]);
    }

    #[test]
    fn a_typed_rhythm_is_used_clamped_or_defaulted_with_words() {
        let typed = |i: &str, h: &str, e: &str, r: &str| {
            let (i, h, e, r) = (i.to_owned(), h.to_owned(), e.to_owned(), r.to_owned());
            Rhythm::from_typed(move |p| match p {
                Phase::Inhale => i.clone(),
                Phase::Hold => h.clone(),
                Phase::Exhale => e.clone(),
                Phase::Rest => r.clone(),
            })
        };
        let (r, p) = typed("5", "2", "7", "1");
        assert_eq!(
            r,
            Rhythm {
                inhale: 5,
                hold: 2,
                exhale: 7,
                rest: 1
            }
        );
        assert!(p.is_empty());
        assert_eq!(r.breaths_per_minute_tenths(), 40);

        let (r, p) = typed("", " ", "", "");
        assert_eq!(r, Rhythm::default());
        assert!(p.is_empty(), "blank takes the default quietly");

        let (r, p) = typed("99", "-1", "1", "11");
        assert_eq!(
            r,
            Rhythm {
                inhale: 12,
                hold: 0,
                exhale: 2,
                rest: 10
            }
        );
        assert_eq!(p.len(), 4);
        assert_eq!(
            p[0].to_string(),
            "For breathing in, we can use 2 to 12 seconds, so we used 12."
        );

        let (r, p) = typed("four", "1.5", &"9".repeat(5000), "<b>");
        assert_eq!((r.inhale, r.hold, r.exhale, r.rest), (4, 0, 6, 0));
        assert_eq!(p.len(), 4);
        assert!(matches!(
            p[0],
            RhythmProblem::NotWhole {
                phase: Phase::Inhale,
                used: 4
            }
        ));
        assert!(p[0].to_string().contains("whole number"));
        for problem in &p {
            assert!(!problem.to_string().contains('!'));
        }
    }

    #[test]
    fn ratings_are_0_to_10_or_skipped() {
        assert_eq!(parse_rating(""), Ok(None));
        assert_eq!(parse_rating("  "), Ok(None));
        assert_eq!(parse_rating("0"), Ok(Some(0)));
        assert_eq!(parse_rating("10"), Ok(Some(10)));
        assert_eq!(parse_rating(" 7 "), Ok(Some(7)));
        for bad in [
            "11",
            "-1",
            "abc",
            "3.5",
            "255",
            "256",
            "007",
            &"1".repeat(20_000),
        ] {
            assert_eq!(
                parse_rating(bad),
                Err(RatingProblem::OutOfRange),
                "{bad:.20}"
            );
        }
        assert_eq!(Moment::parse("before"), Some(Moment::Before));
        assert_eq!(Moment::parse("after"), Some(Moment::After));
        assert_eq!(Moment::parse("during"), None);
    }

    #[test]
    fn the_ranking_orders_tools_by_average_drop() {
        let ratings = [
            r("feet", Some(8), Some(6)),      // feet: 2
            r("feet", Some(6), Some(2)),      // feet: 4 → average 3
            r("senses", Some(9), Some(4)),    // senses: 5
            r("breathing", Some(5), Some(5)), // breathing: 0
        ];
        let ranked = what_helped(&ratings);
        let keys: Vec<&str> = ranked.iter().map(|h| h.tool.key.as_str()).collect();
        assert_eq!(keys, ["senses", "feet", "breathing"]);
        assert_eq!((ranked[1].uses, ranked[1].total_drop), (2, 6));
        assert_eq!(ranked[1].average_drop_tenths(), 30);
        assert_eq!(ranked[1].average_drop_text(), "3");
        assert_eq!(ranked[2].direction(), Ordering::Equal);
    }

    #[test]
    fn uses_with_only_one_rating_are_left_out() {
        let ratings = [
            r("feet", Some(8), None),
            r("feet", None, Some(1)),
            r("senses", None, None),
            r("kindness", Some(4), Some(3)),
        ];
        let ranked = what_helped(&ratings);
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].tool.key, "kindness");
        assert_eq!(ranked[0].uses, 1);
        assert!(what_helped(&[r("feet", Some(3), None)]).is_empty());
        assert!(what_helped(&[]).is_empty());
    }

    #[test]
    fn a_rise_in_distress_counts_honestly_and_ranks_below() {
        let ratings = [
            r("breathing", Some(3), Some(6)),
            r("breathing", Some(4), Some(4)),
            r("feet", Some(5), Some(5)),
        ];
        let ranked = what_helped(&ratings);
        assert_eq!(ranked[0].tool.key, "feet", "no change ranks above a rise");
        assert_eq!(ranked[1].tool.key, "breathing");
        assert_eq!(ranked[1].total_drop, -3);
        assert_eq!(ranked[1].average_drop_tenths(), -15);
        assert_eq!(
            ranked[1].average_drop_text(),
            "1.5",
            "the sign is said in words"
        );
        assert_eq!(ranked[1].direction(), Ordering::Less);
    }

    #[test]
    fn ties_go_to_more_uses_then_to_the_order_tools_are_offered() {
        // Same average (2): movement has more uses, so it comes first.
        let ratings = [
            r("senses", Some(5), Some(3)),
            r("movement", Some(6), Some(4)),
            r("movement", Some(7), Some(5)),
            r("feet", Some(4), Some(2)),
        ];
        let keys: Vec<String> = what_helped(&ratings)
            .into_iter()
            .map(|h| h.tool.key.clone())
            .collect();
        assert_eq!(
            keys,
            ["movement", "senses", "feet"],
            "senses is offered before feet"
        );
        // Exact comparison, not rounded: 5/3 (1.67) beats 3/2 (1.5) and 7/4 (1.75) beats 5/3.
        let ratings = [
            r("feet", Some(3), Some(1)),
            r("feet", Some(2), Some(1)),
            r("senses", Some(3), Some(1)),
            r("senses", Some(3), Some(2)),
            r("senses", Some(3), Some(1)),
            r("kindness", Some(3), Some(1)),
            r("kindness", Some(3), Some(1)),
            r("kindness", Some(3), Some(2)),
            r("kindness", Some(3), Some(1)),
        ];
        let keys: Vec<String> = what_helped(&ratings)
            .into_iter()
            .map(|h| h.tool.key.clone())
            .collect();
        assert_eq!(keys, ["kindness", "senses", "feet"]);
    }

    #[test]
    fn unknown_tools_and_impossible_ratings_are_ignored() {
        let ratings = [
            r("retired-tool", Some(9), Some(1)),
            r("feet", Some(200), Some(0)),
            r("feet", Some(2), Some(1)),
        ];
        let ranked = what_helped(&ratings);
        assert_eq!(ranked.len(), 1);
        assert_eq!((ranked[0].uses, ranked[0].total_drop), (1, 1));
    }

    #[test]
    fn averages_round_half_away_from_zero() {
        let feet = tool("feet").unwrap();
        let h = |uses, total_drop| Helped {
            tool: feet,
            uses,
            total_drop,
        };
        assert_eq!(h(3, 5).average_drop_tenths(), 17);
        assert_eq!(h(3, 5).average_drop_text(), "1.7");
        assert_eq!(h(4, 1).average_drop_tenths(), 3, "0.25 → 0.3");
        assert_eq!(h(4, -1).average_drop_tenths(), -3);
        assert_eq!(h(1, 10).average_drop_text(), "10");
        assert_eq!(h(2, -1).average_drop_text(), "0.5");
    }

    #[test]
    fn the_rating_record_keeps_its_shape() {
        let v = r("feet", Some(7), None);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"{"tool":"feet","before":7,"after":null}"#);
        let old: CalmRating = serde_json::from_str(r#"{"tool":"feet"}"#).unwrap();
        assert_eq!(old, r("feet", None, None));
        assert_eq!(CalmRating::KIND, "calm_rating");
    }
}
