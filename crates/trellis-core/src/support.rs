//! Support: the people and services that support the person, how to reach them, when the
//! person was last in touch, and an opt-in, gentle nudge when it has been a while. The nudge
//! never counts anything and never scolds; it is off unless the person turns it on.

use serde::{Deserialize, Serialize};

use crate::access::Unlocked;
use crate::clock::{day_of, parse_iso_day};
use crate::ids::RecordId;
use crate::records::{Item, RecordKind};
use crate::safety::dial_digits;
use crate::text::Bounded;
use crate::trellis::Handle;
use crate::trellis::{ServiceError, Trellis};

/// Support, for one person: [`Trellis::support`] opens it.
pub enum Area {}

impl Trellis {
    /// Support for this unlocked session.
    pub fn support<'a>(&'a self, me: &'a Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}

/// The longest name.
pub const NAME_MAX_CHARS: usize = 100;
/// The longest "how to reach them".
pub const REACH_MAX_CHARS: usize = 200;
/// The longest note.
pub const NOTE_MAX_CHARS: usize = 500;
/// The nudge may come after this many quiet days at the soonest …
pub const NUDGE_MIN_DAYS: u16 = 7;
/// … and at the latest.
pub const NUDGE_MAX_DAYS: u16 = 60;
/// Unless the person chooses otherwise.
pub const NUDGE_DEFAULT_DAYS: u16 = 14;

const DAY: i64 = 86_400;

/// Why something typed in the Support area was not saved. Calm sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SupportProblem {
    /// Neither a name nor a way to reach them.
    #[error("Please add a name or a way to reach them, so you know who this is.")]
    Empty,
    /// A kind we do not know.
    #[error("Please choose one of the kinds in the list.")]
    UnknownKind,
    /// Name over 100 characters.
    #[error("Please keep the name to 100 characters or fewer. What you typed is still below.")]
    NameTooLong,
    /// "How to reach" over 200 characters.
    #[error(
        "Please keep how to reach them to 200 characters or fewer. What you typed is still below."
    )]
    ReachTooLong,
    /// Note over 500 characters.
    #[error("Please keep the note to 500 characters or fewer. What you typed is still below.")]
    NoteTooLong,
    /// A date we could not read.
    #[error(
        "Please give the date as year, month and day, for example 2027-03-14, or leave it empty."
    )]
    BadDate,
    /// A date after today.
    #[error("That date is still to come. Please choose today or a day before, or leave it empty.")]
    FutureDate,
    /// Days outside 7–60.
    #[error("Please choose a whole number of days from 7 to 60.")]
    DaysOutOfRange,
}

/// What kind of support someone gives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    /// Friends and family.
    #[default]
    FriendsFamily,
    /// Professionals (therapist, doctor, support worker).
    Professional,
    /// Members of a support group.
    GroupMember,
    /// Counsellors at a support or crisis line.
    CrisisCounsellor,
}

impl SupportKind {
    /// Every kind, in the order shown.
    pub const ALL: [Self; 4] = [
        Self::FriendsFamily,
        Self::Professional,
        Self::GroupMember,
        Self::CrisisCounsellor,
    ];

    /// The form value.
    pub fn key(self) -> &'static str {
        match self {
            Self::FriendsFamily => "friends_family",
            Self::Professional => "professional",
            Self::GroupMember => "group_member",
            Self::CrisisCounsellor => "crisis_counsellor",
        }
    }

    /// The heading.
    pub fn name(self) -> &'static str {
        match self {
            Self::FriendsFamily => "Friends and family",
            Self::Professional => "Professionals",
            Self::GroupMember => "Group members",
            Self::CrisisCounsellor => "Crisis counsellors",
        }
    }

    /// By form value (empty = friends and family).
    pub fn from_key(key: &str) -> Option<Self> {
        if key.is_empty() {
            return Some(Self::default());
        }
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Someone in the person's support network.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportPerson {
    /// Kind of support.
    #[serde(default)]
    pub kind: SupportKind,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// How to reach them, in the person's words (a number, an address, "Tuesday group").
    #[serde(default)]
    pub reach: String,
    /// The day the person was last in touch (Unix seconds at midnight UTC), if noted.
    #[serde(default)]
    pub last_connected: Option<i64>,
    /// A note.
    #[serde(default)]
    pub note: String,
}

impl RecordKind for SupportPerson {
    const KIND: &'static str = "support_person";
    const SCHEMA_VERSION: u16 = 1;
}

impl SupportPerson {
    /// Checks what was typed (trimmed). `last_connected` is `YYYY-MM-DD` or empty, and not
    /// after `today` (Unix seconds at midnight UTC).
    pub fn new(
        kind: &str,
        name: &str,
        reach: &str,
        last_connected: &str,
        note: &str,
        today: i64,
    ) -> Result<Self, SupportProblem> {
        let kind = SupportKind::from_key(kind).ok_or(SupportProblem::UnknownKind)?;
        let name = Bounded::<NAME_MAX_CHARS>::new(name).map_err(|_| SupportProblem::NameTooLong)?;
        let reach =
            Bounded::<REACH_MAX_CHARS>::new(reach).map_err(|_| SupportProblem::ReachTooLong)?;
        let note = Bounded::<NOTE_MAX_CHARS>::new(note).map_err(|_| SupportProblem::NoteTooLong)?;
        if name.is_empty() && reach.is_empty() {
            return Err(SupportProblem::Empty);
        }
        let last_connected = parse_day(last_connected)?;
        if last_connected.is_some_and(|d| d > today) {
            return Err(SupportProblem::FutureDate);
        }
        Ok(Self {
            kind,
            name: name.into_string(),
            reach: reach.into_string(),
            last_connected,
            note: note.into_string(),
        })
    }

    /// A number to call or text when "how to reach" is just a phone number.
    pub fn dial(&self) -> Option<String> {
        let looks_like_a_number = self
            .reach
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        looks_like_a_number
            .then(|| dial_digits(&self.reach))
            .flatten()
    }
}

/// `YYYY-MM-DD` (as a date field sends it) to Unix seconds at midnight UTC; "" is None.
/// Years before 1900 are refused.
pub fn parse_day(text: &str) -> Result<Option<i64>, SupportProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let day = parse_iso_day(text).ok_or(SupportProblem::BadDate)?;
    let year = time::OffsetDateTime::from_unix_timestamp(day).map_or(0, |t| t.year());
    if year < 1900 {
        return Err(SupportProblem::BadDate);
    }
    Ok(Some(day))
}

/// The person's choices about the nudge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportPrefs {
    /// Whether to show a gentle nudge after a quiet while. Off unless chosen.
    #[serde(default)]
    pub nudge: bool,
    /// After how many days without being in touch (7–60).
    #[serde(default = "default_days")]
    pub nudge_after_days: u16,
}

fn default_days() -> u16 {
    NUDGE_DEFAULT_DAYS
}

impl Default for SupportPrefs {
    fn default() -> Self {
        Self {
            nudge: false,
            nudge_after_days: NUDGE_DEFAULT_DAYS,
        }
    }
}

impl RecordKind for SupportPrefs {
    const KIND: &'static str = "support_prefs";
    const SCHEMA_VERSION: u16 = 1;
}

impl SupportPrefs {
    /// Checks what was chosen: the days must be a whole number from 7 to 60.
    pub fn new(nudge: bool, days: &str) -> Result<Self, SupportProblem> {
        let days: u16 = days
            .trim()
            .parse()
            .map_err(|_| SupportProblem::DaysOutOfRange)?;
        if !(NUDGE_MIN_DAYS..=NUDGE_MAX_DAYS).contains(&days) {
            return Err(SupportProblem::DaysOutOfRange);
        }
        Ok(Self {
            nudge,
            nudge_after_days: days,
        })
    }
}

/// Whether to show the gentle nudge: only when the person turned it on, and the most recent
/// time they noted being in touch with anyone is more than the chosen number of days ago.
/// With no dates noted at all there is nothing to go on, so no nudge.
pub fn nudge_due(prefs: &SupportPrefs, people: &[SupportPerson], today: i64) -> bool {
    if !prefs.nudge {
        return false;
    }
    let Some(latest) = people.iter().filter_map(|p| p.last_connected).max() else {
        return false;
    };
    today - latest > i64::from(prefs.nudge_after_days) * DAY
}

/// The nudge, in our own words. Never a count, never a reproach.
pub const NUDGE_WORDS: &str = "It's been a little while since you were in touch with someone. Being alone with hard things can make healing harder; reaching out to one person, even briefly, can help.";

impl Handle<'_, Area> {
    /// Everyone in the support network: by kind (in the order of [`SupportKind::ALL`]), then name.
    pub async fn people(self) -> Result<Vec<Item<SupportPerson>>, ServiceError> {
        let unlocked = self.me;
        let mut items = self
            .trellis
            .records::<SupportPerson>(unlocked)
            .list()
            .await?;
        let order = |k: SupportKind| {
            SupportKind::ALL
                .iter()
                .position(|x| *x == k)
                .unwrap_or(usize::MAX)
        };
        items.sort_by(|a, b| {
            (
                order(a.value.kind),
                a.value.name.to_lowercase(),
                a.id.as_str(),
            )
                .cmp(&(
                    order(b.value.kind),
                    b.value.name.to_lowercase(),
                    b.id.as_str(),
                ))
        });
        Ok(items)
    }

    /// One person (None when unknown or someone else's).
    pub async fn person(self, id: &RecordId) -> Result<Option<Item<SupportPerson>>, ServiceError> {
        let unlocked = self.me;
        self.trellis
            .records::<SupportPerson>(unlocked)
            .get(id)
            .await
    }

    /// Adds someone.
    pub async fn add(self, person: &SupportPerson) -> Result<RecordId, ServiceError> {
        let unlocked = self.me;
        self.trellis.records(unlocked).add(person).await
    }

    /// Changes someone. False when the id is unknown or someone else's.
    pub async fn change(self, id: &RecordId, person: &SupportPerson) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        self.trellis.records(unlocked).replace(id, person).await
    }

    /// Notes that the person was in touch with someone today. False when the id is unknown
    /// or someone else's.
    pub async fn mark_connected_today(self, id: &RecordId) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        let Some(mut item) = self.person(id).await? else {
            return Ok(false);
        };
        item.value.last_connected = Some(day_of(self.trellis.now()));
        self.trellis
            .records(unlocked)
            .replace(id, &item.value)
            .await
    }

    /// Notes that the person was with their group `name` on `day` (Unix seconds at midnight):
    /// every support-group entry of that name (any case) now shows it as "last in touch",
    /// unless it already shows a later day. Returns the names it changed.
    pub async fn in_touch_with_group(
        self,
        name: &str,
        day: i64,
    ) -> Result<Vec<String>, ServiceError> {
        let key = name.trim().to_lowercase();
        let mut changed = Vec::new();
        for mut p in self.people().await? {
            let same = p.value.kind == SupportKind::GroupMember
                && p.value.name.trim().to_lowercase() == key;
            if same && p.value.last_connected.is_none_or(|d| d < day) {
                p.value.last_connected = Some(day);
                self.trellis
                    .records(self.me)
                    .replace(&p.id, &p.value)
                    .await?;
                changed.push(p.value.name);
            }
        }
        Ok(changed)
    }

    /// Removes someone. False when the id is unknown or someone else's.
    pub async fn delete(self, id: &RecordId) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        self.trellis
            .records::<SupportPerson>(unlocked)
            .delete(id)
            .await
    }

    /// The nudge choices (defaults when never saved: off, 14 days).
    pub async fn prefs(self) -> Result<SupportPrefs, ServiceError> {
        let unlocked = self.me;
        self.trellis.singleton::<SupportPrefs>(unlocked).get().await
    }

    /// Saves the nudge choices (one record per person).
    pub async fn save_prefs(self, prefs: &SupportPrefs) -> Result<(), ServiceError> {
        let unlocked = self.me;
        self.trellis.singleton(unlocked).save(prefs).await
    }

    /// Whether the gentle nudge is due today for this person.
    pub fn nudge_due(self, prefs: &SupportPrefs, people: &[Item<SupportPerson>]) -> bool {
        let people: Vec<SupportPerson> = people.iter().map(|i| i.value.clone()).collect();
        nudge_due(prefs, &people, day_of(self.trellis.now()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TODAY: i64 = 20_000 * DAY;

    fn person(last: Option<i64>) -> SupportPerson {
        SupportPerson {
            last_connected: last,
            ..Default::default()
        }
    }

    #[test]
    fn the_nudge_is_off_unless_chosen() {
        let prefs = SupportPrefs::default();
        assert!(!prefs.nudge);
        assert_eq!(prefs.nudge_after_days, 14);
        assert!(!nudge_due(
            &prefs,
            &[person(Some(TODAY - 365 * DAY))],
            TODAY
        ));
    }

    #[test]
    fn the_nudge_comes_only_after_the_chosen_quiet_days_counting_the_latest_contact() {
        let prefs = SupportPrefs {
            nudge: true,
            nudge_after_days: 14,
        };
        assert!(
            !nudge_due(&prefs, &[person(Some(TODAY - 14 * DAY))], TODAY),
            "exactly 14 days: not yet"
        );
        assert!(nudge_due(&prefs, &[person(Some(TODAY - 15 * DAY))], TODAY));
        assert!(
            !nudge_due(
                &prefs,
                &[
                    person(Some(TODAY - 90 * DAY)),
                    person(Some(TODAY - 2 * DAY)),
                    person(None)
                ],
                TODAY
            ),
            "one recent contact is enough"
        );
        assert!(
            !nudge_due(&prefs, &[], TODAY),
            "nobody noted: nothing to go on"
        );
        assert!(
            !nudge_due(&prefs, &[person(None)], TODAY),
            "no dates noted: nothing to go on"
        );
        let weekly = SupportPrefs {
            nudge: true,
            nudge_after_days: 7,
        };
        assert!(nudge_due(&weekly, &[person(Some(TODAY - 8 * DAY))], TODAY));
    }

    #[test]
    fn the_nudge_words_never_count_or_scold() {
        let lower = NUDGE_WORDS.to_lowercase();
        assert!(!lower.chars().any(|c| c.is_ascii_digit()), "no counts");
        for word in ["missed", "failed", "streak", "should", "!"] {
            assert!(!lower.contains(word), "{word}");
        }
    }

    #[test]
    fn prefs_are_checked() {
        assert_eq!(
            SupportPrefs::new(true, "7"),
            Ok(SupportPrefs {
                nudge: true,
                nudge_after_days: 7
            })
        );
        assert_eq!(
            SupportPrefs::new(false, " 60 "),
            Ok(SupportPrefs {
                nudge: false,
                nudge_after_days: 60
            })
        );
        for bad in ["6", "61", "", "abc", "-3", "14.5", "99999999"] {
            assert_eq!(
                SupportPrefs::new(true, bad),
                Err(SupportProblem::DaysOutOfRange),
                "{bad}"
            );
        }
        let old: SupportPrefs = serde_json::from_str("{}").unwrap();
        assert_eq!(
            old,
            SupportPrefs::default(),
            "missing fields open as the defaults"
        );
    }

    #[test]
    fn people_are_checked() {
        let p = SupportPerson::new(
            "professional",
            " Dr Ade ",
            " 01632 960001 ",
            "2024-09-03",
            "Tuesdays",
            TODAY,
        )
        .unwrap();
        assert_eq!(p.kind, SupportKind::Professional);
        assert_eq!(p.name, "Dr Ade");
        assert_eq!(
            p.last_connected,
            Some(parse_day("2024-09-03").unwrap().unwrap())
        );
        assert_eq!(
            crate::clock::iso_day(p.last_connected.unwrap()),
            "2024-09-03"
        );
        assert_eq!(p.dial().as_deref(), Some("01632960001"));
        assert_eq!(
            SupportPerson::new("", "", " ", "", "", TODAY),
            Err(SupportProblem::Empty)
        );
        assert_eq!(
            SupportPerson::new("boss", "A", "", "", "", TODAY),
            Err(SupportProblem::UnknownKind)
        );
        assert_eq!(
            SupportPerson::new("", &"a".repeat(101), "", "", "", TODAY),
            Err(SupportProblem::NameTooLong)
        );
        assert_eq!(
            SupportPerson::new("", "A", &"a".repeat(201), "", "", TODAY),
            Err(SupportProblem::ReachTooLong)
        );
        assert_eq!(
            SupportPerson::new("", "A", "", "", &"a".repeat(501), TODAY),
            Err(SupportProblem::NoteTooLong)
        );
        assert_eq!(
            SupportPerson::new("", "A", "", "14/03/2027", "", TODAY),
            Err(SupportProblem::BadDate)
        );
        assert_eq!(
            SupportPerson::new("", "A", "", "1850-01-01", "", TODAY),
            Err(SupportProblem::BadDate)
        );
        for bad in [
            "2027-02-30",
            "2027-13-01",
            "27-03-14",
            "2027-3-14",
            "2027-03-14-01",
            "2027-03",
            "２０２７-03-14",
        ] {
            assert_eq!(parse_day(bad), Err(SupportProblem::BadDate), "{bad}");
        }
        assert_eq!(parse_day("1970-01-02"), Ok(Some(DAY)));
        assert_eq!(
            SupportPerson::new("", "A", "", &crate::clock::iso_day(TODAY + DAY), "", TODAY),
            Err(SupportProblem::FutureDate)
        );
        assert!(
            SupportPerson::new("", "A", "", &crate::clock::iso_day(TODAY), "", TODAY).is_ok(),
            "today is fine"
        );
        assert_eq!(
            SupportPerson::new("", "A", "", "", "", TODAY).unwrap().kind,
            SupportKind::FriendsFamily
        );
    }

    #[test]
    fn only_a_plain_number_becomes_a_call_link() {
        let with = |reach: &str| SupportPerson {
            reach: reach.into(),
            ..Default::default()
        };
        assert_eq!(
            with("+44 7700 900123").dial().as_deref(),
            Some("+447700900123")
        );
        assert_eq!(with("Tuesday group, room 4").dial(), None);
        assert_eq!(with("sam@example.org").dial(), None);
        assert_eq!(with("").dial(), None);
    }
}
