//! Today: a gentle daily check-in, the items a person chose to follow, and tiny goals
//! (see ../shared/DESIGN.md §3). No streaks, no scores, no counts of missed days: a day
//! without a check-in is simply absent.
//!
//! Record kinds (all sealed like everything else):
//! - [`CheckIn`] (`checkin`): one per day the person chose to check in;
//! - [`TodayPrefs`] (`today_prefs`): which check-in items the person follows;
//! - [`Goal`] (`goal`): one small thing, with the days it was done.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::access::Unlocked;
use crate::ids::RecordId;
use crate::records::{Item, RecordKind};
use crate::trellis::{ServiceError, Trellis};

/// The longest check-in note kept (characters).
pub const NOTE_MAX_CHARS: usize = 2_000;
/// The longest tiny goal (characters).
pub const GOAL_MAX_CHARS: usize = 200;
/// How many days "recent days at a glance" covers (today included).
pub const RECENT_DAYS: i64 = 14;
/// How many done days a goal remembers (about a year; older ones are let go).
pub const GOAL_DAYS_KEPT: usize = 366;
/// The most goals one person keeps (a guard against runaway forms, far above real use).
pub const GOALS_MAX: usize = 100;

const SECS_PER_DAY: i64 = 86_400;

// ---------------------------------------------------------------------------------------------
// Days
// ---------------------------------------------------------------------------------------------

/// A calendar day as the person sees it, written `2026-11-21`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(time::Date);

impl Day {
    /// The UTC day of Unix seconds `unix`.
    pub fn of_unix(unix: i64) -> Self {
        let date = time::OffsetDateTime::from_unix_timestamp(unix)
            .map_or(time::Date::MIN, time::OffsetDateTime::date);
        Self(date)
    }

    /// Accepts only `YYYY-MM-DD` (a real date, year 2000 to 9999).
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !digits(0..4)
            || !digits(5..7)
            || !digits(8..10)
        {
            return None;
        }
        let year: i32 = s[0..4].parse().ok()?;
        let month: u8 = s[5..7].parse().ok()?;
        let day: u8 = s[8..10].parse().ok()?;
        if year < 2000 {
            return None;
        }
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(Self)
    }

    /// The day after.
    pub fn next(self) -> Self {
        Self(self.0.next_day().unwrap_or(self.0))
    }

    /// The day before.
    pub fn previous(self) -> Self {
        Self(self.0.previous_day().unwrap_or(self.0))
    }

    /// `n` days earlier.
    pub fn minus_days(self, n: i64) -> Self {
        Self(
            self.0
                .checked_sub(time::Duration::days(n))
                .unwrap_or(self.0),
        )
    }

    /// Unix seconds at midnight UTC of this day (the precision records keep in clear).
    pub fn unix_midnight(self) -> i64 {
        self.0.midnight().assume_utc().unix_timestamp()
    }

    /// "Saturday 21 November".
    pub fn words(self) -> String {
        format!("{} {} {}", self.0.weekday(), self.0.day(), self.0.month())
    }

    /// "Saturday 21 November 2026".
    pub fn words_with_year(self) -> String {
        format!("{} {}", self.words(), self.0.year())
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| serde::de::Error::custom("not a day"))
    }
}

/// The day a request means by "today": the person's own date when the page told us (their
/// browser's local date, within a day of the server's), otherwise the server's UTC date.
pub fn local_today(now_unix: i64, asked: &str) -> Day {
    let utc = Day::of_unix(now_unix);
    match Day::parse(asked) {
        Some(d) if d >= utc.previous() && d <= utc.next() => d,
        _ => utc,
    }
}

// ---------------------------------------------------------------------------------------------
// What a check-in can ask about
// ---------------------------------------------------------------------------------------------

/// An item a person may choose to follow in the check-in (how the day feels is always offered).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Followed {
    /// Hours and quality of sleep.
    Sleep,
    /// Nightmares.
    Nightmares,
    /// Being jumpy or startled easily.
    Startle,
    /// Feeling disconnected or numb.
    Numb,
    /// Comfort with touch today.
    Touch,
    /// Urge to drink or use.
    Urge,
    /// Having connected with someone.
    Connected,
}

impl Followed {
    /// Every item, in the order the check-in asks them.
    pub const ALL: [Self; 7] = [
        Self::Sleep,
        Self::Nightmares,
        Self::Startle,
        Self::Numb,
        Self::Touch,
        Self::Urge,
        Self::Connected,
    ];

    /// Stable key (stored in [`TodayPrefs`], used in forms).
    pub fn key(self) -> &'static str {
        match self {
            Self::Sleep => "sleep",
            Self::Nightmares => "nightmares",
            Self::Startle => "startle",
            Self::Numb => "numb",
            Self::Touch => "touch",
            Self::Urge => "urge",
            Self::Connected => "connected",
        }
    }

    /// The item by key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.key() == key)
    }

    /// Its name in settings.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sleep => "Sleep (hours and how restful)",
            Self::Nightmares => "Nightmares",
            Self::Startle => "Feeling jumpy or easily startled",
            Self::Numb => "Feeling disconnected or numb",
            Self::Touch => "Comfort with touch today",
            Self::Urge => "Urge to drink or use",
            Self::Connected => "Connecting with someone",
        }
    }
}

/// One answer a question offers: the form value and its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The form value.
    pub value: &'static str,
    /// What the person sees.
    pub word: &'static str,
}

const fn c(value: &'static str, word: &'static str) -> Choice {
    Choice { value, word }
}

/// A question answered by choosing one of a few words (radio buttons; "Skip" is always offered).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    /// Form field name.
    pub field: &'static str,
    /// The item it belongs to (`None`: always offered).
    pub item: Option<Followed>,
    /// The question.
    pub legend: &'static str,
    /// The answers, in order.
    pub choices: &'static [Choice],
}

const AMOUNT: &[Choice] = &[
    c("0", "Not at all"),
    c("1", "A little"),
    c("2", "Some"),
    c("3", "Quite a bit"),
    c("4", "A lot"),
];

/// How the day feels: always offered.
pub const MOOD: Question = Question {
    field: "mood",
    item: None,
    legend: "How does today feel?",
    choices: &[
        c("1", "Very hard"),
        c("2", "Hard"),
        c("3", "Okay"),
        c("4", "Good"),
        c("5", "Very good"),
    ],
};

/// Every question with word answers, in the order the check-in asks them.
pub const QUESTIONS: &[Question] = &[
    MOOD,
    Question {
        field: "sleep_quality",
        item: Some(Followed::Sleep),
        legend: "How restful was your sleep?",
        choices: &[
            c("1", "Not at all"),
            c("2", "A little"),
            c("3", "Somewhat"),
            c("4", "Mostly"),
            c("5", "Very"),
        ],
    },
    Question {
        field: "nightmares",
        item: Some(Followed::Nightmares),
        legend: "Nightmares last night?",
        choices: &[c("none", "None"), c("some", "Some"), c("many", "Many")],
    },
    Question {
        field: "startle",
        item: Some(Followed::Startle),
        legend: "Feeling jumpy or easily startled today?",
        choices: AMOUNT,
    },
    Question {
        field: "numb",
        item: Some(Followed::Numb),
        legend: "Feeling disconnected or numb today?",
        choices: AMOUNT,
    },
    Question {
        field: "touch",
        item: Some(Followed::Touch),
        legend: "Comfort with touch today",
        choices: &[
            c("yes", "Touch is okay"),
            c("ask", "Ask me first"),
            c("no", "Not today"),
        ],
    },
    Question {
        field: "urge",
        item: Some(Followed::Urge),
        legend: "Urge to drink or use today?",
        choices: AMOUNT,
    },
    Question {
        field: "connected",
        item: Some(Followed::Connected),
        legend: "Connected with someone today?",
        choices: &[c("yes", "Yes"), c("no", "Not today")],
    },
];

/// Form field names of a check-in (also what a preserved form carries).
pub const FIELDS: &[&str] = &[
    "day",
    "mood",
    "sleep_hours",
    "sleep_quality",
    "nightmares",
    "startle",
    "numb",
    "touch",
    "urge",
    "connected",
    "note",
];

fn question(field: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.field == field)
}

/// The words of `value` in question `field`, if it is one of its choices.
pub fn word_of(field: &str, value: &str) -> Option<&'static str> {
    question(field)?
        .choices
        .iter()
        .find(|c| c.value == value)
        .map(|c| c.word)
}

// ---------------------------------------------------------------------------------------------
// The check-in record
// ---------------------------------------------------------------------------------------------

/// How many nightmares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Nightmares {
    /// None.
    None,
    /// Some.
    Some,
    /// Many.
    Many,
}

/// Comfort with touch today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Touch {
    /// Touch is okay.
    Yes,
    /// Ask first.
    Ask,
    /// Not today.
    No,
}

/// One day's check-in. Every answer is optional.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct CheckIn {
    /// The person's day it is about.
    pub day: Day,
    /// How the day feels, 1 (very hard) to 5 (very good).
    #[serde(default)]
    pub mood: Option<u8>,
    /// Hours slept, in half hours (0–48).
    #[serde(default)]
    pub sleep_half_hours: Option<u8>,
    /// How restful the sleep was, 1–5.
    #[serde(default)]
    pub sleep_quality: Option<u8>,
    /// Nightmares last night.
    #[serde(default)]
    pub nightmares: Option<Nightmares>,
    /// Jumpy or easily startled, 0 (not at all) – 4 (a lot).
    #[serde(default)]
    pub startle: Option<u8>,
    /// Disconnected or numb, 0–4.
    #[serde(default)]
    pub numb: Option<u8>,
    /// Comfort with touch today.
    #[serde(default)]
    pub touch: Option<Touch>,
    /// Urge to drink or use, 0–4.
    #[serde(default)]
    pub urge: Option<u8>,
    /// Connected with someone today.
    #[serde(default)]
    pub connected: Option<bool>,
    /// Anything else ("" = none), at most [`NOTE_MAX_CHARS`].
    #[serde(default)]
    pub note: String,
}

impl RecordKind for CheckIn {
    const KIND: &'static str = "checkin";
    const SCHEMA_VERSION: u16 = 1;
}

impl CheckIn {
    /// An empty check-in for `day`.
    pub fn empty(day: Day) -> Self {
        Self {
            day,
            mood: None,
            sleep_half_hours: None,
            sleep_quality: None,
            nightmares: None,
            startle: None,
            numb: None,
            touch: None,
            urge: None,
            connected: None,
            note: String::new(),
        }
    }

    /// Whether nothing at all was answered.
    pub fn is_blank(&self) -> bool {
        *self == Self::empty(self.day)
    }

    /// A hard day: how it feels is hard or very hard, or an urge, startle or numbness is
    /// "quite a bit" or more. Such a check-in gently offers calm tools and Help now.
    pub fn is_hard(&self) -> bool {
        self.mood.is_some_and(|m| m <= 2)
            || [self.urge, self.startle, self.numb]
                .iter()
                .flatten()
                .any(|&v| v >= 3)
    }

    /// The form value of the answer to question or field `field` ("" when unanswered).
    pub fn value(&self, field: &str) -> String {
        let n = |v: Option<u8>| v.map(|v| v.to_string()).unwrap_or_default();
        match field {
            "day" => self.day.to_string(),
            "mood" => n(self.mood),
            "sleep_hours" => self.sleep_half_hours.map(hours_text).unwrap_or_default(),
            "sleep_quality" => n(self.sleep_quality),
            "nightmares" => self
                .nightmares
                .map(|v| match v {
                    Nightmares::None => "none",
                    Nightmares::Some => "some",
                    Nightmares::Many => "many",
                })
                .unwrap_or_default()
                .to_owned(),
            "startle" => n(self.startle),
            "numb" => n(self.numb),
            "touch" => self
                .touch
                .map(|v| match v {
                    Touch::Yes => "yes",
                    Touch::Ask => "ask",
                    Touch::No => "no",
                })
                .unwrap_or_default()
                .to_owned(),
            "urge" => n(self.urge),
            "connected" => match self.connected {
                Some(true) => "yes".to_owned(),
                Some(false) => "no".to_owned(),
                None => String::new(),
            },
            "note" => self.note.clone(),
            _ => String::new(),
        }
    }

    /// The form as it would be shown to change this check-in.
    pub fn draft(&self) -> Draft {
        Draft(FIELDS.iter().map(|&f| (f, self.value(f))).collect())
    }

    /// The answers in words, for the recent days at a glance: (what, answer), how the day
    /// feels first. The note is not included.
    pub fn summary(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let word = |field: &str| word_of(field, &self.value(field)).map(str::to_owned);
        if let Some(w) = word("mood") {
            out.push(("Day", w));
        }
        let sleep = match (self.sleep_half_hours, word("sleep_quality")) {
            (Some(h), Some(q)) => {
                Some(format!("{}, restful: {}", hours_words(h), q.to_lowercase()))
            }
            (Some(h), None) => Some(hours_words(h)),
            (None, Some(q)) => Some(format!("restful: {}", q.to_lowercase())),
            (None, None) => None,
        };
        if let Some(s) = sleep {
            out.push(("Sleep", s));
        }
        for (field, label) in [
            ("nightmares", "Nightmares"),
            ("startle", "Jumpy"),
            ("numb", "Numb"),
            ("touch", "Touch"),
            ("urge", "Urge"),
            ("connected", "Connected"),
        ] {
            if let Some(w) = word(field) {
                out.push((label, w.to_owned()));
            }
        }
        out
    }
}

/// "7.5" for 15 half hours.
fn hours_text(half_hours: u8) -> String {
    match half_hours % 2 {
        0 => format!("{}", half_hours / 2),
        _ => format!("{}.5", half_hours / 2),
    }
}

/// "7.5 hours", "1 hour".
pub fn hours_words(half_hours: u8) -> String {
    let unit = if half_hours == 2 { "hour" } else { "hours" };
    format!("{} {unit}", hours_text(half_hours))
}

// ---------------------------------------------------------------------------------------------
// Reading a check-in form
// ---------------------------------------------------------------------------------------------

/// A check-in form exactly as typed (field → text), so it can be shown again unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft(BTreeMap<&'static str, String>);

impl Draft {
    /// Reads the check-in fields through `get` ("" when absent).
    pub fn read<'a>(get: impl Fn(&str) -> &'a str) -> Self {
        Self(FIELDS.iter().map(|&f| (f, get(f).to_owned())).collect())
    }

    /// A new form for `day`, nothing answered.
    pub fn for_day(day: Day) -> Self {
        CheckIn::empty(day).draft()
    }

    /// A field's text ("" when absent).
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map_or("", String::as_str)
    }

    /// Every field and its text (to carry a form through unlocking).
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// Whether anything besides the day was typed or chosen.
    pub fn has_answers(&self) -> bool {
        self.0
            .iter()
            .any(|(k, v)| *k != "day" && !v.trim().is_empty())
    }

    /// Which followable items were answered in this form.
    pub fn answered_items(&self) -> Vec<Followed> {
        Followed::ALL
            .into_iter()
            .filter(|i| {
                let fields: &[&str] = match i {
                    Followed::Sleep => &["sleep_hours", "sleep_quality"],
                    _ => &[i.key()],
                };
                fields.iter().any(|f| !self.get(f).trim().is_empty())
            })
            .collect()
    }
}

/// Something in a check-in form that needs a small change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field.
    pub field: &'static str,
    /// Calm words about it.
    pub message: String,
}

fn choice_value(field: &'static str, raw: &str) -> Result<Option<&'static str>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let q = question(field).ok_or_else(|| Problem {
        field,
        message: String::new(),
    })?;
    q.choices
        .iter()
        .find(|c| c.value == raw)
        .map(|c| Some(c.value))
        .ok_or_else(|| Problem {
            field,
            message: format!(
                "For \u{201c}{}\u{201d}, please choose one of the answers, or Skip.",
                q.legend
            ),
        })
}

fn number_choice(field: &'static str, raw: &str) -> Result<Option<u8>, Problem> {
    // The choices of numeric questions are numbers, so this parse cannot fail once accepted.
    Ok(choice_value(field, raw)?.and_then(|v| v.parse().ok()))
}

/// Reads "7", "7.5" or "7,5" as half hours, rounded to the nearest half hour.
fn sleep_half_hours(raw: &str) -> Result<Option<u8>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let problem = || Problem {
        field: "sleep_hours",
        message: "Please write the hours of sleep as a number from 0 to 24, like 7 or 7.5."
            .to_owned(),
    };
    if raw.len() > 8
        || !raw
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(problem());
    }
    let hours: f64 = raw.replace(',', ".").parse().map_err(|_| problem())?;
    if !(0.0..=24.0).contains(&hours) {
        return Err(problem());
    }
    // In range 0..=48 after the check above, so the cast keeps the value.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "0 ≤ hours·2 ≤ 48"
    )]
    let half = (hours * 2.0).round() as u8;
    Ok(Some(half))
}

/// Reads a check-in form. `today` is the person's today: a day after it is refused (a day
/// ahead of it is allowed, for people whose date is already tomorrow). On problems, every one
/// is returned so the form can be shown again as typed.
pub fn read_checkin(draft: &Draft, today: Day) -> Result<CheckIn, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut ok = |r: Result<Option<u8>, Problem>| match r {
        Ok(v) => v,
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let mood = ok(number_choice("mood", draft.get("mood")));
    let sleep_half_hours = ok(sleep_half_hours(draft.get("sleep_hours")));
    let sleep_quality = ok(number_choice("sleep_quality", draft.get("sleep_quality")));
    let startle = ok(number_choice("startle", draft.get("startle")));
    let numb = ok(number_choice("numb", draft.get("numb")));
    let urge = ok(number_choice("urge", draft.get("urge")));
    let mut named = |field: &'static str| match choice_value(field, draft.get(field)) {
        Ok(v) => v,
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let nightmares = named("nightmares").map(|v| match v {
        "many" => Nightmares::Many,
        "some" => Nightmares::Some,
        _ => Nightmares::None,
    });
    let touch = named("touch").map(|v| match v {
        "yes" => Touch::Yes,
        "ask" => Touch::Ask,
        _ => Touch::No,
    });
    let connected = named("connected").map(|v| v == "yes");
    let note = draft.get("note").replace("\r\n", "\n").trim().to_owned();
    let note_chars = note.chars().count();
    if note_chars > NOTE_MAX_CHARS {
        problems.push(Problem {
            field: "note",
            message: format!(
                "The note can be up to 2,000 characters, and this one has {}. Everything you wrote is \
                 still here, so you can shorten it.",
                thousands(note_chars)
            ),
        });
    }
    let typed_day = draft.get("day").trim();
    let day = match Day::parse(typed_day) {
        Some(d) if d > today.next() => {
            problems.push(Problem {
                field: "day",
                message: "That date is still to come. Please choose today or an earlier day."
                    .to_owned(),
            });
            None
        }
        Some(d) => Some(d),
        None if typed_day.is_empty() => Some(today),
        None => {
            problems.push(Problem {
                field: "day",
                message: format!("Please choose a date, written like {today}."),
            });
            None
        }
    };
    match day {
        Some(day) if problems.is_empty() => Ok(CheckIn {
            day,
            mood,
            sleep_half_hours,
            sleep_quality,
            nightmares,
            startle,
            numb,
            touch,
            urge,
            connected,
            note,
        }),
        _ => Err(problems),
    }
}

/// 2000 → "2,000".
fn thousands(n: usize) -> String {
    let digits: Vec<char> = n.to_string().chars().rev().collect();
    let groups: Vec<String> = digits.chunks(3).map(|g| g.iter().rev().collect()).collect();
    groups.into_iter().rev().collect::<Vec<_>>().join(",")
}

// ---------------------------------------------------------------------------------------------
// Preferences and goals
// ---------------------------------------------------------------------------------------------

/// Which check-in items the person follows. By default none: the check-in asks only how the
/// day feels (and offers a note), and the person adds what they want to follow. Symptoms such
/// as urges or touch are personal; Trellis never asks about them unless chosen.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TodayPrefs {
    /// Keys of followed items ([`Followed::key`]).
    #[serde(default)]
    pub follow: Vec<String>,
}

impl RecordKind for TodayPrefs {
    const KIND: &'static str = "today_prefs";
    const SCHEMA_VERSION: u16 = 1;
}

impl TodayPrefs {
    /// Whether `item` is followed.
    pub fn follows(&self, item: Followed) -> bool {
        self.follow.iter().any(|k| k == item.key())
    }

    /// The followed items, in check-in order.
    pub fn followed(&self) -> Vec<Followed> {
        Followed::ALL
            .into_iter()
            .filter(|&i| self.follows(i))
            .collect()
    }
}

/// Reads the settings form: `value(item)` is what the checkbox of `item` sent ("" when not
/// ticked, "on" when ticked). Anything else is refused (`None`: nothing changes).
pub fn read_follow_choice<'a>(value: impl Fn(Followed) -> &'a str) -> Option<Vec<Followed>> {
    let mut out = Vec::new();
    for item in Followed::ALL {
        match value(item) {
            "" => {}
            "on" => out.push(item),
            _ => return None,
        }
    }
    Some(out)
}

fn yes() -> bool {
    true
}

/// One small thing the person wants to do (get dressed, a short walk…). Done days are kept
/// for about a year; Trellis never counts or shows days it was not done.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Goal {
    /// The words, at most [`GOAL_MAX_CHARS`].
    pub text: String,
    /// Whether it is on today's list (false: put aside for now).
    #[serde(default = "yes")]
    pub active: bool,
    /// When it was added (Unix seconds), for a steady order.
    #[serde(default)]
    pub added: i64,
    /// Days it was done, oldest first.
    #[serde(default)]
    pub done_days: Vec<Day>,
}

impl RecordKind for Goal {
    const KIND: &'static str = "goal";
    const SCHEMA_VERSION: u16 = 1;
}

impl Goal {
    /// Whether it was done on `day`.
    pub fn done_on(&self, day: Day) -> bool {
        self.done_days.contains(&day)
    }

    /// Marks `day` done, or not done when it already was. Keeps at most [`GOAL_DAYS_KEPT`] days.
    pub fn toggle(&mut self, day: Day) {
        if let Some(i) = self.done_days.iter().position(|d| *d == day) {
            self.done_days.remove(i);
        } else {
            self.done_days.push(day);
            self.done_days.sort();
            let extra = self.done_days.len().saturating_sub(GOAL_DAYS_KEPT);
            self.done_days.drain(..extra);
        }
    }
}

/// Why a goal was not added.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GoalProblem {
    /// Nothing written.
    #[error("Please write a few words, like \u{201c}get dressed\u{201d}.")]
    Empty,
    /// Over 200 characters.
    #[error("Please keep it to 200 characters or fewer. Your words are still here.")]
    TooLong,
    /// Too many goals already.
    #[error("That's a long list already. To add this one, please delete one you no longer need.")]
    TooMany,
}

/// Checks the words of a new goal: trimmed, 1–200 characters, on one line.
pub fn read_goal_text(raw: &str) -> Result<String, GoalProblem> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(GoalProblem::Empty);
    }
    if text.chars().count() > GOAL_MAX_CHARS {
        return Err(GoalProblem::TooLong);
    }
    Ok(text)
}

/// Small things offered as one-tap starting points.
pub const GOAL_IDEAS: &[&str] = &[
    "Get dressed",
    "A short walk",
    "Drink some water",
    "Eat something",
    "Step outside for a minute",
    "Message a friend",
];

// ---------------------------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------------------------

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

impl Trellis {
    /// Check-ins whose day may fall on or after `from`, opened. A check-in is saved with its
    /// record's clear `created_day` no earlier than the day before its own day (the form refuses
    /// days after tomorrow, and moving a check-in to another day makes a new record), so older
    /// records are skipped without being opened.
    async fn checkins_since(
        &self,
        unlocked: &Unlocked,
        from: Option<Day>,
    ) -> Result<Vec<Item<CheckIn>>, ServiceError> {
        let floor = from.map_or(i64::MIN, |d| d.unix_midnight() - 2 * SECS_PER_DAY);
        let records = self
            .store
            .records_of_kind(unlocked.account_id(), CheckIn::KIND)
            .await?;
        let mut out = Vec::new();
        for r in records.iter().filter(|r| r.created_day >= floor) {
            let value = self.open::<CheckIn>(unlocked, r)?;
            if from.is_none_or(|f| value.day >= f) {
                out.push(Item {
                    id: r.id.clone(),
                    created_day: r.created_day,
                    updated_day: r.updated_day,
                    value,
                });
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
    pub async fn recent_checkins(
        &self,
        unlocked: &Unlocked,
        today: Day,
    ) -> Result<Vec<Item<CheckIn>>, ServiceError> {
        let mut items = self
            .checkins_since(unlocked, Some(today.minus_days(RECENT_DAYS - 1)))
            .await?;
        items.dedup_by(|b, a| a.value.day == b.value.day);
        Ok(items)
    }

    /// Check-ins before `before`, newest day first.
    pub async fn earlier_checkins(
        &self,
        unlocked: &Unlocked,
        before: Day,
    ) -> Result<Vec<Item<CheckIn>>, ServiceError> {
        let mut items = self.checkins_since(unlocked, None).await?;
        items.retain(|i| i.value.day < before);
        Ok(items)
    }

    /// The check-in for `day`, if there is one.
    pub async fn checkin_for_day(
        &self,
        unlocked: &Unlocked,
        day: Day,
    ) -> Result<Option<Item<CheckIn>>, ServiceError> {
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
        &self,
        unlocked: &Unlocked,
        id: Option<&RecordId>,
        checkin: &CheckIn,
    ) -> Result<CheckInSaved, ServiceError> {
        let existing = match id {
            Some(id) => match self.item::<CheckIn>(unlocked, id).await? {
                Some(e) => Some(e),
                None => return Ok(CheckInSaved::NotFound),
            },
            None => None,
        };
        if let Some(other) = self.checkin_for_day(unlocked, checkin.day).await? {
            if existing.as_ref().is_none_or(|e| e.id != other.id) {
                return Ok(CheckInSaved::DayTaken(other.id));
            }
        }
        match existing {
            Some(e) if e.value.day == checkin.day => {
                self.replace_item(unlocked, &e.id, checkin).await?;
                Ok(CheckInSaved::Saved(e.id))
            }
            Some(e) => {
                // A new day: a new record, so its clear created_day stays close to its day.
                let new_id = self.add_item(unlocked, checkin).await?;
                self.delete_item::<CheckIn>(unlocked, &e.id).await?;
                Ok(CheckInSaved::Saved(new_id))
            }
            None => Ok(CheckInSaved::Saved(self.add_item(unlocked, checkin).await?)),
        }
    }

    /// The person's Today preferences (none followed when never saved).
    pub async fn today_prefs(&self, unlocked: &Unlocked) -> Result<TodayPrefs, ServiceError> {
        Ok(self
            .items::<TodayPrefs>(unlocked)
            .await?
            .into_iter()
            .next()
            .map(|i| i.value)
            .unwrap_or_default())
    }

    /// Saves which items the check-in follows (one sealed record per person).
    pub async fn set_followed(
        &self,
        unlocked: &Unlocked,
        items: &[Followed],
    ) -> Result<(), ServiceError> {
        let prefs = TodayPrefs {
            follow: items.iter().map(|i| i.key().to_owned()).collect(),
        };
        match self.items::<TodayPrefs>(unlocked).await?.first() {
            Some(existing) => {
                self.replace_item(unlocked, &existing.id, &prefs).await?;
            }
            None => {
                self.add_item(unlocked, &prefs).await?;
            }
        }
        Ok(())
    }

    /// Every goal, in the order added.
    pub async fn goals(&self, unlocked: &Unlocked) -> Result<Vec<Item<Goal>>, ServiceError> {
        let mut goals = self.items::<Goal>(unlocked).await?;
        goals.sort_by(|a, b| a.value.added.cmp(&b.value.added).then(a.id.cmp(&b.id)));
        Ok(goals)
    }

    /// Adds a goal (the words already checked with [`read_goal_text`]).
    pub async fn add_goal(
        &self,
        unlocked: &Unlocked,
        text: String,
    ) -> Result<Result<RecordId, GoalProblem>, ServiceError> {
        let goals = self.items::<Goal>(unlocked).await?;
        if goals.len() >= GOALS_MAX {
            return Ok(Err(GoalProblem::TooMany));
        }
        // Strictly after every other goal, so the list keeps the order things were added.
        let added = goals
            .iter()
            .map(|g| g.value.added + 1)
            .fold(self.now(), i64::max);
        let goal = Goal {
            text,
            active: true,
            added,
            done_days: Vec::new(),
        };
        Ok(Ok(self.add_item(unlocked, &goal).await?))
    }

    /// Changes goal `id` with `change`. False (and nothing changed) when it is not this
    /// person's goal.
    pub async fn change_goal(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
        change: impl FnOnce(&mut Goal),
    ) -> Result<bool, ServiceError> {
        let Some(mut goal) = self.item::<Goal>(unlocked, id).await? else {
            return Ok(false);
        };
        change(&mut goal.value);
        self.replace_item(unlocked, id, &goal.value).await
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    fn draft(pairs: &[(&str, &str)]) -> Draft {
        Draft::read(|f| pairs.iter().find(|(k, _)| *k == f).map_or("", |(_, v)| v))
    }

    const TODAY: &str = "2026-11-21";

    #[test]
    fn days_parse_only_real_dates_written_in_full() {
        assert_eq!(day("2026-11-21").to_string(), "2026-11-21");
        assert_eq!(day("2028-02-29").to_string(), "2028-02-29");
        for bad in [
            "",
            "2026-2-1",
            "2026/11/21",
            "2027-02-29",
            "2026-13-01",
            "1999-12-31",
            "+026-11-21",
            "2026-11-21x",
            "２０２６-11-21",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        assert_eq!(Day::of_unix(1_800_000_000).to_string(), "2027-01-15");
        assert_eq!(day("2026-11-21").words(), "Saturday 21 November");
        assert_eq!(day("2026-03-01").previous().to_string(), "2026-02-28");
        assert_eq!(day("2026-12-31").next().to_string(), "2027-01-01");
        assert_eq!(day("2026-11-21").minus_days(13).to_string(), "2026-11-08");
        assert_eq!(
            Day::of_unix(day("2026-11-21").unix_midnight()),
            day("2026-11-21")
        );
    }

    #[test]
    fn local_today_trusts_the_browser_only_within_a_day() {
        let now = day(TODAY).unix_midnight() + 3600;
        assert_eq!(local_today(now, ""), day(TODAY));
        assert_eq!(local_today(now, "2026-11-22"), day("2026-11-22"));
        assert_eq!(local_today(now, "2026-11-20"), day("2026-11-20"));
        assert_eq!(local_today(now, "2026-11-23"), day(TODAY));
        assert_eq!(local_today(now, "2020-01-01"), day(TODAY));
        assert_eq!(local_today(now, "nonsense"), day(TODAY));
    }

    #[test]
    fn a_check_in_reads_every_answer_in_words() {
        let d = draft(&[
            ("day", "2026-11-20"),
            ("mood", "2"),
            ("sleep_hours", "7,5"),
            ("sleep_quality", "4"),
            ("nightmares", "some"),
            ("startle", "0"),
            ("numb", "4"),
            ("touch", "ask"),
            ("urge", "1"),
            ("connected", "no"),
            ("note", "  a walk helped\r\nthen rain  "),
        ]);
        let c = read_checkin(&d, day(TODAY)).unwrap();
        assert_eq!(c.day, day("2026-11-20"));
        assert_eq!(
            (c.mood, c.sleep_half_hours, c.sleep_quality),
            (Some(2), Some(15), Some(4))
        );
        assert_eq!(
            (c.nightmares, c.touch, c.connected),
            (Some(Nightmares::Some), Some(Touch::Ask), Some(false))
        );
        assert_eq!((c.startle, c.numb, c.urge), (Some(0), Some(4), Some(1)));
        assert_eq!(c.note, "a walk helped\nthen rain");
        // The stored check-in shows again as the same answers.
        let again = read_checkin(&c.draft(), day(TODAY)).unwrap();
        assert_eq!(again, c);
        assert_eq!(
            c.summary(),
            vec![
                ("Day", "Hard".to_owned()),
                ("Sleep", "7.5 hours, restful: mostly".to_owned()),
                ("Nightmares", "Some".to_owned()),
                ("Jumpy", "Not at all".to_owned()),
                ("Numb", "A lot".to_owned()),
                ("Touch", "Ask me first".to_owned()),
                ("Urge", "A little".to_owned()),
                ("Connected", "Not today".to_owned()),
            ]
        );
    }

    #[test]
    fn every_answer_is_optional_and_the_day_defaults_to_today() {
        let c = read_checkin(&draft(&[]), day(TODAY)).unwrap();
        assert!(c.is_blank());
        assert_eq!(c.day, day(TODAY));
        assert!(!Draft::for_day(day(TODAY)).has_answers());
        assert!(draft(&[("note", "x")]).has_answers());
        assert!(!draft(&[("note", "   ")]).has_answers());
    }

    #[test]
    fn out_of_range_and_wrong_types_are_refused_each_with_words() {
        let d = draft(&[
            ("day", "2026-11-23"),
            ("mood", "6"),
            ("sleep_hours", "25"),
            ("sleep_quality", "0"),
            ("nightmares", "lots"),
            ("startle", "-1"),
            ("numb", "4.0"),
            ("touch", "maybe"),
            ("urge", "five"),
            ("connected", "true"),
        ]);
        let problems = read_checkin(&d, day(TODAY)).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        for f in [
            "day",
            "mood",
            "sleep_hours",
            "sleep_quality",
            "nightmares",
            "startle",
            "numb",
            "touch",
            "urge",
            "connected",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        assert!(problems
            .iter()
            .all(|p| !p.message.is_empty() && !p.message.contains('!')));
        for bad in [
            "-1",
            "abc",
            "1e2",
            "NaN",
            "inf",
            "24.5",
            "7.5.5",
            "123456789",
        ] {
            assert!(
                read_checkin(&draft(&[("sleep_hours", bad)]), day(TODAY)).is_err(),
                "{bad}"
            );
        }
        for good in ["0", "24", "7", "7.25", " 6.5 ", "8,0"] {
            assert!(
                read_checkin(&draft(&[("sleep_hours", good)]), day(TODAY)).is_ok(),
                "{good}"
            );
        }
        let c = read_checkin(&draft(&[("sleep_hours", "7.3")]), day(TODAY)).unwrap();
        assert_eq!(
            c.sleep_half_hours,
            Some(15),
            "rounded to the nearest half hour"
        );
        assert!(read_checkin(&draft(&[("day", "21/11/2026")]), day(TODAY)).is_err());
    }

    #[test]
    fn a_day_ahead_is_allowed_two_are_not() {
        assert!(read_checkin(&draft(&[("day", "2026-11-22")]), day(TODAY)).is_ok());
        assert!(read_checkin(&draft(&[("day", "2026-11-23")]), day(TODAY)).is_err());
        assert!(read_checkin(&draft(&[("day", "2020-01-01")]), day(TODAY)).is_ok());
    }

    #[test]
    fn the_note_holds_up_to_2000_characters() {
        let ok = "é".repeat(NOTE_MAX_CHARS);
        assert_eq!(
            read_checkin(&draft(&[("note", &ok)]), day(TODAY))
                .unwrap()
                .note,
            ok
        );
        let long = "a".repeat(NOTE_MAX_CHARS + 1);
        let p = read_checkin(&draft(&[("note", &long)]), day(TODAY)).unwrap_err();
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("2,001"), "{}", p[0].message);
        // Windows line ends count once.
        let lines = "ab\r\n".repeat(NOTE_MAX_CHARS / 3);
        assert!(read_checkin(&draft(&[("note", &lines)]), day(TODAY)).is_ok());
    }

    #[test]
    fn a_hard_day_is_a_hard_mood_or_a_strong_urge_startle_or_numbness() {
        let base = CheckIn::empty(day(TODAY));
        assert!(!base.is_hard());
        for (mood, hard) in [(1, true), (2, true), (3, false), (4, false), (5, false)] {
            assert_eq!(
                CheckIn {
                    mood: Some(mood),
                    ..base.clone()
                }
                .is_hard(),
                hard,
                "mood {mood}"
            );
        }
        for v in 0..=4u8 {
            let hard = v >= 3;
            assert_eq!(
                CheckIn {
                    urge: Some(v),
                    ..base.clone()
                }
                .is_hard(),
                hard
            );
            assert_eq!(
                CheckIn {
                    startle: Some(v),
                    ..base.clone()
                }
                .is_hard(),
                hard
            );
            assert_eq!(
                CheckIn {
                    numb: Some(v),
                    ..base.clone()
                }
                .is_hard(),
                hard
            );
        }
        assert!(!CheckIn {
            nightmares: Some(Nightmares::Many),
            touch: Some(Touch::No),
            connected: Some(false),
            ..base
        }
        .is_hard());
    }

    #[test]
    fn answered_items_keep_unfollowed_answers_visible() {
        let c = CheckIn {
            sleep_quality: Some(3),
            urge: Some(0),
            ..CheckIn::empty(day(TODAY))
        };
        assert_eq!(
            c.draft().answered_items(),
            vec![Followed::Sleep, Followed::Urge]
        );
    }

    #[test]
    fn follow_choices_accept_known_keys_only() {
        let ticked = |keys: &'static [&'static str]| {
            move |i: Followed| if keys.contains(&i.key()) { "on" } else { "" }
        };
        assert_eq!(
            read_follow_choice(ticked(&["urge", "sleep"])),
            Some(vec![Followed::Sleep, Followed::Urge])
        );
        assert_eq!(read_follow_choice(ticked(&[])), Some(vec![]));
        assert_eq!(
            read_follow_choice(|i| if i == Followed::Numb { "yes" } else { "" }),
            None
        );
        let prefs = TodayPrefs {
            follow: vec!["touch".into(), "sleep".into()],
        };
        assert_eq!(prefs.followed(), vec![Followed::Sleep, Followed::Touch]);
        assert!(TodayPrefs::default().followed().is_empty());
        for i in Followed::ALL {
            assert_eq!(Followed::from_key(i.key()), Some(i));
            assert!(QUESTIONS.iter().any(|q| q.item == Some(i)) || i == Followed::Sleep);
        }
    }

    #[test]
    fn goals_toggle_without_counting_and_forget_after_a_year() {
        let mut g = Goal {
            text: "Get dressed".into(),
            active: true,
            added: 0,
            done_days: vec![],
        };
        g.toggle(day(TODAY));
        assert!(g.done_on(day(TODAY)));
        g.toggle(day(TODAY));
        assert!(!g.done_on(day(TODAY)));
        let start = day("2024-01-01");
        let mut d = start;
        for _ in 0..(GOAL_DAYS_KEPT + 10) {
            g.toggle(d);
            d = d.next();
        }
        assert_eq!(g.done_days.len(), GOAL_DAYS_KEPT);
        assert!(!g.done_on(start), "the oldest days are let go");
        assert!(g.done_on(d.previous()));
        assert!(g.done_days.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn goal_words_are_trimmed_and_capped() {
        assert_eq!(
            read_goal_text("  get   dressed \n"),
            Ok("get dressed".to_owned())
        );
        assert_eq!(read_goal_text("   "), Err(GoalProblem::Empty));
        assert_eq!(read_goal_text(&"a".repeat(200)).map(|t| t.len()), Ok(200));
        assert_eq!(read_goal_text(&"a".repeat(201)), Err(GoalProblem::TooLong));
    }

    #[test]
    fn records_keep_their_shape_in_json() {
        let c = CheckIn {
            mood: Some(3),
            touch: Some(Touch::Ask),
            ..CheckIn::empty(day(TODAY))
        };
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            json.contains("\"day\":\"2026-11-21\"") && json.contains("\"touch\":\"ask\""),
            "{json}"
        );
        // Older or smaller records still open: everything but the day has a default.
        let small: CheckIn = serde_json::from_str(r#"{"day":"2026-11-21"}"#).unwrap();
        assert!(small.is_blank());
        let goal: Goal = serde_json::from_str(r#"{"text":"Walk"}"#).unwrap();
        assert!(goal.active && goal.done_days.is_empty());
        assert!(serde_json::from_str::<CheckIn>(r#"{"day":"2026-02-30"}"#).is_err());
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(2001), "2,001");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
