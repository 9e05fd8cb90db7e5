//! Therapy: the guide to trauma-informed therapy (pages in `content/therapy/`, read like
//! Learn's: [`guides`]) and the person's own session notes — before a session, what they want
//! to bring up; after it, what they noticed, what they want to try and how they feel (0–10).
//! Every field is optional; the notes are sealed like every record.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::clock::Day;
use crate::ids::RecordId;
use crate::learn::Article;
use crate::records::{Item, RecordKind};
use crate::text::Bounded;
use crate::trellis::{Handle, ServiceError, Trellis};

/// Therapy, for one person: [`Trellis::therapy`] opens it.
pub enum Area {}

impl Trellis {
    /// Therapy for this unlocked session.
    pub fn therapy<'a>(&'a self, me: &'a crate::access::Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}

/// The longest box of a note.
pub const TEXT_MAX: usize = 2_000;

/// One session's notes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionNote {
    /// The session's day.
    pub day: Option<Day>,
    /// Before: what I want to bring up.
    #[serde(default)]
    pub bring_up: String,
    /// After: what I noticed.
    #[serde(default)]
    pub noticed: String,
    /// After: what I want to try.
    #[serde(default)]
    pub try_next: String,
    /// After: how I feel, 0 (very low) to 10 (very good).
    #[serde(default)]
    pub feeling: Option<u8>,
}

impl RecordKind for SessionNote {
    const KIND: &'static str = "session_note";
    const SCHEMA_VERSION: u16 = 1;
}

impl SessionNote {
    /// Whether anything was written or chosen.
    pub fn is_empty(&self) -> bool {
        self.bring_up.trim().is_empty()
            && self.noticed.trim().is_empty()
            && self.try_next.trim().is_empty()
            && self.feeling.is_none()
    }
}

/// Why a note was not saved. Calm sentences; what was typed stays on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteProblem {
    /// Nothing at all.
    #[error(
        "There is nothing to save yet. Every box is optional, but one of them needs a few words."
    )]
    Empty,
    /// A box over 2,000 characters.
    #[error("Please keep each box to 2,000 characters or fewer. What you wrote is still below.")]
    TooLong,
    /// Not a date.
    #[error("Please give the day as a date, like 2026-11-29, or leave it empty.")]
    Day,
    /// Not 0–10.
    #[error("How you feel is a number from 0 to 10, or can be left out.")]
    Feeling,
}

/// A note from a form's boxes (`field` reads one); the typed words are kept as typed.
pub fn read_note(field: impl Fn(&str) -> String) -> Result<SessionNote, NoteProblem> {
    let text = |name: &str| -> Result<String, NoteProblem> {
        let t = field(name).trim().to_owned();
        Bounded::<TEXT_MAX>::new(&t)
            .map(Bounded::into_string)
            .map_err(|_| NoteProblem::TooLong)
    };
    let day = match field("day").trim() {
        "" => None,
        d => Some(Day::parse(d).ok_or(NoteProblem::Day)?),
    };
    let feeling = match field("feeling").trim() {
        "" => None,
        f => Some(
            f.parse::<u8>()
                .ok()
                .filter(|n| *n <= 10)
                .ok_or(NoteProblem::Feeling)?,
        ),
    };
    let note = SessionNote {
        day,
        bring_up: text("bring_up")?,
        noticed: text("noticed")?,
        try_next: text("try_next")?,
        feeling,
    };
    if note.is_empty() {
        return Err(NoteProblem::Empty);
    }
    Ok(note)
}

impl Handle<'_, Area> {
    /// Every note, newest session first (notes without a day by when they were written).
    pub async fn notes(self) -> Result<Vec<Item<SessionNote>>, ServiceError> {
        let mut notes = self.trellis.records::<SessionNote>(self.me).list().await?;
        notes.sort_by(|a, b| {
            let day = |n: &Item<SessionNote>| n.value.day.map_or(n.created_day, Day::unix_midnight);
            day(b).cmp(&day(a)).then(b.created_day.cmp(&a.created_day))
        });
        Ok(notes)
    }

    /// One note (`None` when it is not this person's).
    pub async fn note(self, id: &RecordId) -> Result<Option<Item<SessionNote>>, ServiceError> {
        self.trellis.records::<SessionNote>(self.me).get(id).await
    }

    /// Keeps a new note.
    pub async fn add(self, note: &SessionNote) -> Result<RecordId, ServiceError> {
        self.trellis.records::<SessionNote>(self.me).add(note).await
    }

    /// Changes a note (false when it is not this person's).
    pub async fn change(self, id: &RecordId, note: &SessionNote) -> Result<bool, ServiceError> {
        self.trellis
            .records::<SessionNote>(self.me)
            .replace(id, note)
            .await
    }

    /// Deletes a note (false when it is not this person's).
    pub async fn delete(self, id: &RecordId) -> Result<bool, ServiceError> {
        self.trellis
            .records::<SessionNote>(self.me)
            .delete(id)
            .await
    }

    /// What the person wants to bring up next: the "bring up" boxes of notes for sessions from
    /// `from` on (or without a day), oldest first — for the therapist summary.
    pub async fn to_bring_up(self, from: Day) -> Result<Vec<(Option<Day>, String)>, ServiceError> {
        let mut out: Vec<(Option<Day>, String)> = self
            .notes()
            .await?
            .into_iter()
            .filter(|n| !n.value.bring_up.is_empty() && n.value.day.is_none_or(|d| d >= from))
            .map(|n| (n.value.day, n.value.bring_up))
            .collect();
        out.reverse();
        Ok(out)
    }
}

/// The longest group name.
pub const GROUP_MAX: usize = 100;
/// The longest "how it felt".
pub const FELT_MAX: usize = 500;

/// A time the person went to a support group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupVisit {
    /// The group, in the person's words.
    pub group: String,
    /// The day.
    pub day: Day,
    /// How it felt (optional).
    #[serde(default)]
    pub felt: String,
}

impl RecordKind for GroupVisit {
    const KIND: &'static str = "group_visit";
    const SCHEMA_VERSION: u16 = 1;
}

/// Why a group visit was not saved. Calm sentences; what was typed stays on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VisitProblem {
    /// No group name.
    #[error("Please give the group a name, in your own words.")]
    NoGroup,
    /// Too long a name or note.
    #[error("Please keep the name to 100 characters and how it felt to 500. What you wrote is still below.")]
    TooLong,
    /// Not a date, or later than today.
    #[error("Please give the day as a date, no later than today.")]
    Day,
}

/// A visit from a form (`field` reads one); `today` is the latest day allowed.
pub fn read_visit(field: impl Fn(&str) -> String, today: Day) -> Result<GroupVisit, VisitProblem> {
    let group = field("group").trim().to_owned();
    if group.is_empty() {
        return Err(VisitProblem::NoGroup);
    }
    let group = Bounded::<GROUP_MAX>::new(&group).map_err(|_| VisitProblem::TooLong)?;
    let felt = Bounded::<FELT_MAX>::new(field("felt").trim()).map_err(|_| VisitProblem::TooLong)?;
    let day = match field("day").trim() {
        "" => today,
        d => Day::parse(d)
            .filter(|d| *d <= today)
            .ok_or(VisitProblem::Day)?,
    };
    Ok(GroupVisit {
        group: group.into_string(),
        day,
        felt: felt.into_string(),
    })
}

impl Handle<'_, Area> {
    /// Every group visit, newest first.
    pub async fn visits(self) -> Result<Vec<Item<GroupVisit>>, ServiceError> {
        let mut v = self.trellis.records::<GroupVisit>(self.me).list().await?;
        crate::records::newest_first(&mut v, |g| g.day);
        Ok(v)
    }

    /// Keeps a visit, and shows it as "last in touch" on the support-group entries of that
    /// name (returns their names).
    pub async fn add_visit(self, visit: &GroupVisit) -> Result<Vec<String>, ServiceError> {
        self.trellis
            .records::<GroupVisit>(self.me)
            .add(visit)
            .await?;
        self.trellis
            .support(self.me)
            .in_touch_with_group(&visit.group, visit.day.unix_midnight())
            .await
    }

    /// Deletes a visit (false when it is not this person's).
    pub async fn delete_visit(self, id: &RecordId) -> Result<bool, ServiceError> {
        self.trellis.records::<GroupVisit>(self.me).delete(id).await
    }
}

/// The therapy guide's pages, in the order they are offered.
pub fn guides() -> &'static [Article] {
    static GUIDES: OnceLock<Vec<Article>> = OnceLock::new();
    GUIDES.get_or_init(|| crate::learn::read_all(crate::learn::THERAPY))
}

/// One guide page.
pub fn guide(slug: &str) -> Option<&'static Article> {
    guides().iter().find(|a| a.slug == slug)
}

/// Where to find a therapist, a sexual-assault centre, a group or help with alcohol and drugs,
/// per country (`content/therapy/finding-help.toml`, every entry from facts.md with its source).
#[derive(Clone, Debug, Deserialize)]
pub struct FindingHelp {
    /// By country.
    pub country: Vec<HelpCountry>,
}

/// One country's places.
#[derive(Clone, Debug, Deserialize)]
pub struct HelpCountry {
    /// `US`, `GB`… (`INT` for international).
    pub code: String,
    /// Its name.
    pub name: String,
    /// A word about what is and is not here.
    #[serde(default)]
    pub note: String,
    /// Its places.
    #[serde(default)]
    pub place: Vec<Place>,
}

/// One directory, centre or line.
#[derive(Clone, Debug, Deserialize)]
pub struct Place {
    /// Its name.
    pub name: String,
    /// What it is, in a sentence of our own.
    pub what: String,
    /// Where in the country, when not all of it.
    #[serde(default)]
    pub region: String,
    /// How to call (as written), if it has a line.
    #[serde(default)]
    pub phone: String,
    /// How to text, if it can be texted.
    #[serde(default)]
    pub text: String,
    /// When it is open, in words.
    #[serde(default)]
    pub hours: String,
    /// Its web address, if any.
    #[serde(default)]
    pub web: String,
    /// `therapist`, `centre`, `group` or `substances`.
    pub kind: String,
    /// Where this comes from (a source in facts.md).
    pub source: String,
}

impl Place {
    /// The same service's call address on Help now (`content/helplines.toml`, kept and checked
    /// there), when Help now lists it for `country`: so a number is dialled as Help now dials it.
    pub fn call_uri(&self, country: &str) -> Option<&'static str> {
        crate::helplines::HelpLines::get()
            .country(country)?
            .lines
            .iter()
            .find(|l| l.name == self.name && !l.call_uri.is_empty())
            .map(|l| l.call_uri.as_str())
    }
}

impl FindingHelp {
    /// The compiled-in list.
    pub fn get() -> &'static FindingHelp {
        static FINDING: OnceLock<FindingHelp> = OnceLock::new();
        FINDING.get_or_init(|| {
            #[expect(
                clippy::panic,
                reason = "compiled-in content; the unit tests prove it parses"
            )]
            toml::from_str(include_str!("../../../content/therapy/finding-help.toml"))
                .unwrap_or_else(|e| panic!("content/therapy/finding-help.toml: {e}"))
        })
    }

    /// The places of one kind, per country (countries without any left out).
    pub fn of_kind(&self, kind: &str) -> Vec<(&HelpCountry, Vec<&Place>)> {
        self.country
            .iter()
            .map(|c| {
                (
                    c,
                    c.place
                        .iter()
                        .filter(|p| p.kind == kind)
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, p)| !p.is_empty())
            .collect()
    }
}
