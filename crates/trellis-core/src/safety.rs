//! Safety: boundaries (dated, with their history), a personal safety plan in six parts, and
//! trusted contacts with call and text links. Every value here is sealed like everything else;
//! the store sees only the record kind, ids and coarse days.
//!
//! Editing the plan or the trusted contacts asks for the passphrase again (step-up), because
//! someone who finds an unlocked screen should not be able to change who the person calls in
//! a hard moment. Viewing does not ask.

use serde::{Deserialize, Serialize};

use crate::access::{Requester, UnlockError, Unlocked};
use crate::clock::day_of;
use crate::helplines::Country;
use crate::ids::RecordId;
use crate::records::{Item, RecordKind};
use crate::trellis::{ServiceError, Trellis};

/// The longest name a person may give their own group of boundaries.
pub const GROUP_MAX_CHARS: usize = 60;
/// The longest boundary.
pub const BOUNDARY_MAX_CHARS: usize = 1_000;
/// The longest part of the safety plan.
pub const PLAN_PART_MAX_CHARS: usize = 4_000;
/// The longest contact name.
pub const NAME_MAX_CHARS: usize = 100;
/// The longest phone number as typed.
pub const PHONE_MAX_CHARS: usize = 40;
/// The longest note about a contact.
pub const NOTE_MAX_CHARS: usize = 500;

/// Why something typed in the Safety area was not saved. Each reads as a calm sentence that
/// says the text is still there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SafetyProblem {
    /// The boundary has no words.
    #[error("Please write the boundary in a few words. It can be as short as you like.")]
    BoundaryEmpty,
    /// The boundary is over 1,000 characters.
    #[error("That boundary is longer than 1,000 characters, so it wasn't saved yet. Your words are still below: you could shorten it or split it into two.")]
    BoundaryTooLong,
    /// The new group name is over 60 characters.
    #[error("Please keep the group name to 60 characters or fewer. Your words are still below.")]
    GroupTooLong,
    /// A group key we do not know.
    #[error("Please choose one of the groups in the list, or name a new one.")]
    UnknownGroup,
    /// A state other than firm / for now / revisiting.
    #[error("Please choose firm, for now or revisiting.")]
    UnknownState,
    /// One part of the plan is over 4,000 characters.
    #[error("One part of the plan is longer than 4,000 characters, so the plan wasn't saved yet. Everything you typed is still below.")]
    PlanPartTooLong,
    /// A help-line country we do not have.
    #[error("Please choose a country from the list.")]
    UnknownCountry,
    /// A contact with neither a name nor a number.
    #[error("Please add a name or a number, so you know who this is.")]
    ContactEmpty,
    /// The name is over 100 characters.
    #[error("Please keep the name to 100 characters or fewer. What you typed is still below.")]
    NameTooLong,
    /// The number is over 40 characters.
    #[error("Please keep the number to 40 characters or fewer. What you typed is still below.")]
    PhoneTooLong,
    /// The note is over 500 characters.
    #[error("Please keep the note to 500 characters or fewer. What you typed is still below.")]
    NoteTooLong,
    /// The passphrase field was left empty (no attempt is counted).
    #[error("Please type your passphrase to confirm. Everything else you typed is still here.")]
    PassphraseNeeded,
}

/// Why an edit that needs the passphrase again was not saved.
#[derive(Debug, thiserror::Error)]
pub enum StepUpError {
    /// Something typed needs changing first (the passphrase was not checked).
    #[error(transparent)]
    Invalid(#[from] SafetyProblem),
    /// The passphrase check failed (wrong, or wait), or the service failed.
    #[error(transparent)]
    Unlock(#[from] UnlockError),
}

impl Trellis {
    /// Re-checks the passphrase before a change to the plan or the trusted contacts. An empty
    /// field is a reminder, not a failed attempt; a wrong one is throttled like unlock.
    async fn step_up(
        &self,
        unlocked: &Unlocked,
        current: &str,
        requester: &Requester,
    ) -> Result<(), StepUpError> {
        if current.is_empty() {
            return Err(SafetyProblem::PassphraseNeeded.into());
        }
        Ok(self
            .confirm_passphrase(unlocked, current, requester)
            .await?)
    }
}

impl From<ServiceError> for StepUpError {
    fn from(e: ServiceError) -> Self {
        Self::Unlock(UnlockError::Service(e))
    }
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

// ------------------------------------------------------------------------------------------
// Boundaries
// ------------------------------------------------------------------------------------------

/// The four groups every person starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartingGroup {
    /// Personal space.
    PersonalSpace,
    /// Topics I'm not ready to discuss.
    Topics,
    /// Touch.
    Touch,
    /// How I want people to communicate with me.
    Communication,
}

impl StartingGroup {
    /// Every starting group, in the order shown.
    pub const ALL: [Self; 4] = [
        Self::PersonalSpace,
        Self::Topics,
        Self::Touch,
        Self::Communication,
    ];

    /// The form value.
    pub fn key(self) -> &'static str {
        match self {
            Self::PersonalSpace => "personal_space",
            Self::Topics => "topics",
            Self::Touch => "touch",
            Self::Communication => "communication",
        }
    }

    /// The heading.
    pub fn name(self) -> &'static str {
        match self {
            Self::PersonalSpace => "Personal space",
            Self::Topics => "Topics I'm not ready to discuss",
            Self::Touch => "Touch",
            Self::Communication => "How I want people to communicate with me",
        }
    }

    /// One line under the heading.
    pub fn about(self) -> &'static str {
        match self {
            Self::PersonalSpace => "How close people come, your room, your time alone.",
            Self::Topics => "Things you would rather not talk about, for now or for good.",
            Self::Touch => "What kind of touch is welcome, when, and from whom.",
            Self::Communication => "Tone, timing, and how you'd like to be asked.",
        }
    }

    /// By form value.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.key() == key)
    }
}

/// Which group a boundary belongs to: a starting one, or one the person named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// One of the four starting groups.
    Starting(StartingGroup),
    /// A group the person named.
    Own(String),
}

impl Group {
    /// The heading.
    pub fn name(&self) -> &str {
        match self {
            Self::Starting(g) => g.name(),
            Self::Own(name) => name,
        }
    }

    /// The value used in the group list of a form: a starting key, or `own:` + the name.
    pub fn form_value(&self) -> String {
        match self {
            Self::Starting(g) => g.key().to_owned(),
            Self::Own(name) => format!("own:{name}"),
        }
    }

    /// The group for a chosen list value and an optional new name (which wins when given).
    /// A new name equal to a starting group's name (ignoring case) is that starting group.
    pub fn choose(value: &str, new_name: &str) -> Result<Self, SafetyProblem> {
        let new_name = new_name.trim();
        if !new_name.is_empty() {
            if too_long(new_name, GROUP_MAX_CHARS) {
                return Err(SafetyProblem::GroupTooLong);
            }
            if let Some(g) = StartingGroup::ALL
                .into_iter()
                .find(|g| g.name().eq_ignore_ascii_case(new_name))
            {
                return Ok(Self::Starting(g));
            }
            return Ok(Self::Own(new_name.to_owned()));
        }
        if let Some(name) = value.strip_prefix("own:") {
            let name = name.trim();
            if name.is_empty() {
                return Err(SafetyProblem::UnknownGroup);
            }
            if too_long(name, GROUP_MAX_CHARS) {
                return Err(SafetyProblem::GroupTooLong);
            }
            return Ok(Self::Own(name.to_owned()));
        }
        StartingGroup::from_key(value)
            .map(Self::Starting)
            .ok_or(SafetyProblem::UnknownGroup)
    }
}

/// How settled a boundary feels: the person's choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryState {
    /// Not up for discussion.
    Firm,
    /// True for now; may change later.
    #[default]
    ForNow,
    /// Being thought about again.
    Revisiting,
}

impl BoundaryState {
    /// Every state, in the order offered.
    pub const ALL: [Self; 3] = [Self::Firm, Self::ForNow, Self::Revisiting];

    /// The form value.
    pub fn key(self) -> &'static str {
        match self {
            Self::Firm => "firm",
            Self::ForNow => "for_now",
            Self::Revisiting => "revisiting",
        }
    }

    /// The label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Firm => "Firm",
            Self::ForNow => "For now",
            Self::Revisiting => "Revisiting",
        }
    }

    /// A short explanation beside the choice.
    pub fn about(self) -> &'static str {
        match self {
            Self::Firm => "This stays as it is.",
            Self::ForNow => "This is right for now and may change later.",
            Self::Revisiting => "I'm thinking about this one again.",
        }
    }

    /// By form value; an empty value is the default ("for now").
    pub fn from_key(key: &str) -> Option<Self> {
        if key.is_empty() {
            return Some(Self::default());
        }
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One version of a boundary: what it said, how settled it was, and the day it was set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundaryVersion {
    /// Day set (Unix seconds at midnight UTC).
    pub day: i64,
    /// The words.
    pub text: String,
    /// How settled it was.
    #[serde(default)]
    pub state: BoundaryState,
}

/// A boundary and every version it has had (oldest first; the last is the current one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boundary {
    /// Its group.
    pub group: Group,
    /// Every version, oldest first. Never empty once saved.
    #[serde(default)]
    pub history: Vec<BoundaryVersion>,
}

impl RecordKind for Boundary {
    const KIND: &'static str = "boundary";
    const SCHEMA_VERSION: u16 = 1;
}

impl Boundary {
    /// The version in force now.
    pub fn current(&self) -> Option<&BoundaryVersion> {
        self.history.last()
    }

    /// The words now ("" when there are none).
    pub fn text(&self) -> &str {
        self.current().map_or("", |v| v.text.as_str())
    }

    /// The state now.
    pub fn state(&self) -> BoundaryState {
        self.current().map(|v| v.state).unwrap_or_default()
    }

    /// The day the current version was set.
    pub fn since(&self) -> Option<i64> {
        self.current().map(|v| v.day)
    }

    /// The day the boundary was first set.
    pub fn first_day(&self) -> Option<i64> {
        self.history.first().map(|v| v.day)
    }

    /// Applies a change: a new version is added only when the words or the state differ; the
    /// group simply moves. Returns whether a version was added.
    pub fn apply(&mut self, draft: BoundaryDraft, day: i64) -> bool {
        self.group = draft.group;
        let changed = self
            .current()
            .is_none_or(|c| c.text != draft.text || c.state != draft.state);
        if changed {
            self.history.push(BoundaryVersion {
                day,
                text: draft.text,
                state: draft.state,
            });
        }
        changed
    }
}

/// A checked boundary as typed: the only way to add or change one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundaryDraft {
    group: Group,
    text: String,
    state: BoundaryState,
}

impl BoundaryDraft {
    /// Checks what was typed: a group from the list (or a new name), words (1–1,000
    /// characters, trimmed), and a state (empty = for now).
    pub fn new(
        group: &str,
        new_group: &str,
        text: &str,
        state: &str,
    ) -> Result<Self, SafetyProblem> {
        let text = text.replace("\r\n", "\n");
        let text = text.trim();
        if text.is_empty() {
            return Err(SafetyProblem::BoundaryEmpty);
        }
        if too_long(text, BOUNDARY_MAX_CHARS) {
            return Err(SafetyProblem::BoundaryTooLong);
        }
        let group = Group::choose(group, new_group)?;
        let state = BoundaryState::from_key(state).ok_or(SafetyProblem::UnknownState)?;
        Ok(Self {
            group,
            text: text.to_owned(),
            state,
        })
    }
}

/// Boundaries gathered under one heading.
#[derive(Clone, Debug)]
pub struct BoundaryGroup {
    /// The group.
    pub group: Group,
    /// Its boundaries, oldest first.
    pub boundaries: Vec<Item<Boundary>>,
}

/// Sorts boundaries into groups: the four starting groups first (always present, perhaps
/// empty), then the person's own groups by name. Within a group, oldest first.
pub fn group_boundaries(items: Vec<Item<Boundary>>) -> Vec<BoundaryGroup> {
    let mut groups: Vec<BoundaryGroup> = StartingGroup::ALL
        .into_iter()
        .map(|g| BoundaryGroup {
            group: Group::Starting(g),
            boundaries: Vec::new(),
        })
        .collect();
    for item in items {
        match groups.iter_mut().find(|g| g.group == item.value.group) {
            Some(g) => g.boundaries.push(item),
            None => groups.push(BoundaryGroup {
                group: item.value.group.clone(),
                boundaries: vec![item],
            }),
        }
    }
    groups[StartingGroup::ALL.len()..].sort_by_key(|g| g.group.name().to_lowercase());
    for g in &mut groups {
        g.boundaries.sort_by(|a, b| {
            (a.value.first_day(), a.created_day, a.id.as_str()).cmp(&(
                b.value.first_day(),
                b.created_day,
                b.id.as_str(),
            ))
        });
    }
    groups
}

/// The names of the person's own groups (for the group list in forms), by name.
pub fn own_group_names(items: &[Item<Boundary>]) -> Vec<String> {
    let mut names: Vec<String> = items
        .iter()
        .filter_map(|i| match &i.value.group {
            Group::Own(n) => Some(n.clone()),
            Group::Starting(_) => None,
        })
        .collect();
    names.sort_by_key(|n| n.to_lowercase());
    names.dedup();
    names
}

impl Trellis {
    /// Every boundary of this person, grouped for showing.
    pub async fn boundaries(
        &self,
        unlocked: &Unlocked,
    ) -> Result<Vec<Item<Boundary>>, ServiceError> {
        self.items::<Boundary>(unlocked).await
    }

    /// Adds a boundary, dated today.
    pub async fn add_boundary(
        &self,
        unlocked: &Unlocked,
        draft: BoundaryDraft,
    ) -> Result<RecordId, ServiceError> {
        let mut boundary = Boundary {
            group: draft.group.clone(),
            history: Vec::new(),
        };
        boundary.apply(draft, day_of(self.now()));
        self.add_item(unlocked, &boundary).await
    }

    /// Changes a boundary, keeping every earlier version. False (nothing changed) when the id
    /// is unknown or someone else's.
    pub async fn change_boundary(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
        draft: BoundaryDraft,
    ) -> Result<bool, ServiceError> {
        let Some(mut item) = self.item::<Boundary>(unlocked, id).await? else {
            return Ok(false);
        };
        item.value.apply(draft, day_of(self.now()));
        self.replace_item(unlocked, id, &item.value).await
    }

    /// Deletes a boundary and its history. False when the id is unknown or someone else's.
    pub async fn delete_boundary(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
    ) -> Result<bool, ServiceError> {
        self.delete_item::<Boundary>(unlocked, id).await
    }
}

// ------------------------------------------------------------------------------------------
// The safety plan
// ------------------------------------------------------------------------------------------

/// One of the six parts of the plan: its key, heading and a line of guidance (our own words).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanPart {
    /// Form field and stored key.
    pub key: &'static str,
    /// Heading.
    pub title: &'static str,
    /// Guidance under the heading.
    pub hint: &'static str,
}

/// The six parts, in order. The structure follows the widely used six-step plan (Stanley &
/// Brown 2012, reference/facts.md "Safety plan"); every word here is our own.
pub const PLAN_PARTS: [PlanPart; 6] = [
    PlanPart {
        key: "signs",
        title: "Signs that a hard time is coming",
        hint: "Thoughts, feelings, body signals or situations that tell you things are getting heavier.",
    },
    PlanPart {
        key: "on_my_own",
        title: "Things I can do on my own",
        hint: "Small things that help you through a hard moment by yourself: a calm tool, music, a walk, a shower.",
    },
    PlanPart {
        key: "people_places",
        title: "People and places that help me feel better",
        hint: "People whose company eases things, or places where you feel a little lighter, even without talking about how you feel.",
    },
    PlanPart {
        key: "ask_for_help",
        title: "People I can ask for help",
        hint: "People you could tell that you are having a hard time. Your trusted contacts are shown here too.",
    },
    PlanPart {
        key: "professionals",
        title: "Professionals and help lines",
        hint: "Your counsellor, doctor or support worker, and lines you can call or text any time.",
    },
    PlanPart {
        key: "surroundings",
        title: "Making my surroundings safer",
        hint: "Steps that make where you are safer while things are hard, such as putting away, or asking someone to keep, anything you might use to hurt yourself.",
    },
];

/// The person's safety plan: six parts, each free text (one thing per line works well).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyPlan {
    /// Signs that a hard time is coming.
    #[serde(default)]
    pub signs: String,
    /// Things I can do on my own.
    #[serde(default)]
    pub on_my_own: String,
    /// People and places that help me feel better.
    #[serde(default)]
    pub people_places: String,
    /// People I can ask for help.
    #[serde(default)]
    pub ask_for_help: String,
    /// Professionals and help lines.
    #[serde(default)]
    pub professionals: String,
    /// Making my surroundings safer.
    #[serde(default)]
    pub surroundings: String,
}

impl RecordKind for SafetyPlan {
    const KIND: &'static str = "safety_plan";
    const SCHEMA_VERSION: u16 = 1;
}

impl SafetyPlan {
    /// A part by key ("" for an unknown key).
    pub fn part(&self, key: &str) -> &str {
        match key {
            "signs" => &self.signs,
            "on_my_own" => &self.on_my_own,
            "people_places" => &self.people_places,
            "ask_for_help" => &self.ask_for_help,
            "professionals" => &self.professionals,
            "surroundings" => &self.surroundings,
            _ => "",
        }
    }

    fn part_mut(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "signs" => &mut self.signs,
            "on_my_own" => &mut self.on_my_own,
            "people_places" => &mut self.people_places,
            "ask_for_help" => &mut self.ask_for_help,
            "professionals" => &mut self.professionals,
            "surroundings" => &mut self.surroundings,
            _ => return None,
        })
    }

    /// A plan from the typed parts (`get(key)` gives each part's text). Line endings are
    /// normalised; nothing else is changed.
    pub fn from_parts<'a>(get: impl Fn(&str) -> &'a str) -> Self {
        let mut plan = Self::default();
        for p in PLAN_PARTS {
            if let Some(slot) = plan.part_mut(p.key) {
                *slot = get(p.key).replace("\r\n", "\n");
            }
        }
        plan
    }

    /// The non-blank lines of a part, trimmed, for showing as a list.
    pub fn lines(&self, key: &str) -> Vec<&str> {
        self.part(key)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// Whether nothing has been written in any part.
    pub fn is_empty(&self) -> bool {
        PLAN_PARTS
            .iter()
            .all(|p| self.part(p.key).trim().is_empty())
    }

    /// Checks every part's length.
    pub fn check(&self) -> Result<(), SafetyProblem> {
        if PLAN_PARTS
            .iter()
            .any(|p| too_long(self.part(p.key), PLAN_PART_MAX_CHARS))
        {
            return Err(SafetyProblem::PlanPartTooLong);
        }
        Ok(())
    }

    /// Adds a country's help lines (and its emergency number) to "Professionals and help
    /// lines", one per line, skipping lines already there. They are then the person's own
    /// words to change or remove.
    pub fn add_help_lines(&mut self, country: &Country) {
        let existing: Vec<String> = self
            .professionals
            .lines()
            .map(|l| l.trim().to_owned())
            .collect();
        let mut added: Vec<String> = help_line_entries(country)
            .into_iter()
            .filter(|l| !existing.iter().any(|e| e == l))
            .collect();
        added.dedup();
        if added.is_empty() {
            return;
        }
        let mut text = self.professionals.trim_end().to_owned();
        for line in added {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&line);
        }
        self.professionals = text;
    }
}

/// A country's help lines as short plan lines: "Name (region): call …; text …; chat at …. Hours",
/// then the emergency number.
pub fn help_line_entries(country: &Country) -> Vec<String> {
    let mut out = Vec::new();
    for l in &country.lines {
        let mut ways = Vec::new();
        if !l.call.is_empty() {
            ways.push(format!("call {}", l.call));
        }
        if !l.text.is_empty() {
            let t = l.text.trim();
            ways.push(if t.to_ascii_lowercase().starts_with("text") {
                t.to_owned()
            } else {
                format!("text {t}")
            });
        }
        if !l.chat.is_empty() {
            ways.push(format!("chat at {}", l.chat));
        }
        let region = if l.region.is_empty() {
            String::new()
        } else {
            format!(" ({})", l.region)
        };
        let hours = if l.hours.is_empty() {
            String::new()
        } else {
            format!(". {}", l.hours)
        };
        out.push(format!("{}{region}: {}{hours}", l.name, ways.join("; ")));
    }
    if !country.emergency.is_empty() {
        out.push(format!(
            "Emergency in {}: {}",
            country.name, country.emergency
        ));
    }
    out
}

impl Trellis {
    /// The person's plan, if they have saved one.
    pub async fn safety_plan(
        &self,
        unlocked: &Unlocked,
    ) -> Result<Option<Item<SafetyPlan>>, ServiceError> {
        Ok(self.items::<SafetyPlan>(unlocked).await?.into_iter().next())
    }

    /// Saves the plan after checking it and re-checking the passphrase (one plan per person).
    pub async fn save_safety_plan(
        &self,
        unlocked: &Unlocked,
        current: &str,
        requester: &Requester,
        plan: &SafetyPlan,
    ) -> Result<(), StepUpError> {
        plan.check()?;
        self.step_up(unlocked, current, requester).await?;
        match self.safety_plan(unlocked).await? {
            Some(existing) => {
                self.replace_item(unlocked, &existing.id, plan).await?;
            }
            None => {
                self.add_item(unlocked, plan).await?;
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------------------------------
// Trusted contacts
// ------------------------------------------------------------------------------------------

/// Someone the person trusts, with a number to call or text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedContact {
    /// Name (up to 100 characters).
    #[serde(default)]
    pub name: String,
    /// Number exactly as typed (up to 40 characters).
    #[serde(default)]
    pub phone: String,
    /// A note (up to 500 characters).
    #[serde(default)]
    pub note: String,
}

impl RecordKind for TrustedContact {
    const KIND: &'static str = "trusted_contact";
    const SCHEMA_VERSION: u16 = 1;
}

impl TrustedContact {
    /// Checks what was typed (trimmed): a name or a number, each within its limit.
    pub fn new(name: &str, phone: &str, note: &str) -> Result<Self, SafetyProblem> {
        let note = note.replace("\r\n", "\n");
        let (name, phone, note) = (name.trim(), phone.trim(), note.trim());
        if name.is_empty() && phone.is_empty() {
            return Err(SafetyProblem::ContactEmpty);
        }
        if too_long(name, NAME_MAX_CHARS) {
            return Err(SafetyProblem::NameTooLong);
        }
        if too_long(phone, PHONE_MAX_CHARS) {
            return Err(SafetyProblem::PhoneTooLong);
        }
        if too_long(note, NOTE_MAX_CHARS) {
            return Err(SafetyProblem::NoteTooLong);
        }
        Ok(Self {
            name: name.to_owned(),
            phone: phone.to_owned(),
            note: note.to_owned(),
        })
    }

    /// The number to dial, for `tel:` and `sms:` links (None when there is none).
    pub fn dial(&self) -> Option<String> {
        dial_digits(&self.phone)
    }
}

/// The digits to dial for a number as people write it: digits only, with a leading `+` kept,
/// and the "(0)" that some countries write after the country code dropped
/// ("+44 (0)7700 900123" → "+447700900123"). None when fewer than three digits remain.
pub fn dial_digits(typed: &str) -> Option<String> {
    let typed = typed.trim();
    let plus = typed.starts_with('+');
    let without_trunk = if plus {
        typed.replacen("(0)", "", 1)
    } else {
        typed.to_owned()
    };
    let digits: String = without_trunk.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 3 {
        return None;
    }
    Some(if plus { format!("+{digits}") } else { digits })
}

impl Trellis {
    /// Every trusted contact, by name.
    pub async fn trusted_contacts(
        &self,
        unlocked: &Unlocked,
    ) -> Result<Vec<Item<TrustedContact>>, ServiceError> {
        let mut items = self.items::<TrustedContact>(unlocked).await?;
        items.sort_by(|a, b| {
            (a.value.name.to_lowercase(), &a.value.phone, a.id.as_str()).cmp(&(
                b.value.name.to_lowercase(),
                &b.value.phone,
                b.id.as_str(),
            ))
        });
        Ok(items)
    }

    /// One trusted contact (None when unknown or someone else's).
    pub async fn trusted_contact(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
    ) -> Result<Option<Item<TrustedContact>>, ServiceError> {
        self.item::<TrustedContact>(unlocked, id).await
    }

    /// Adds a trusted contact after re-checking the passphrase.
    pub async fn add_trusted_contact(
        &self,
        unlocked: &Unlocked,
        current: &str,
        requester: &Requester,
        contact: &TrustedContact,
    ) -> Result<RecordId, StepUpError> {
        self.step_up(unlocked, current, requester).await?;
        Ok(self.add_item(unlocked, contact).await?)
    }

    /// Changes a trusted contact after re-checking the passphrase. False (nothing checked,
    /// nothing changed) when the id is unknown or someone else's.
    pub async fn change_trusted_contact(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
        current: &str,
        requester: &Requester,
        contact: &TrustedContact,
    ) -> Result<bool, StepUpError> {
        if self.trusted_contact(unlocked, id).await?.is_none() {
            return Ok(false);
        }
        self.step_up(unlocked, current, requester).await?;
        Ok(self.replace_item(unlocked, id, contact).await?)
    }

    /// Deletes a trusted contact after re-checking the passphrase. False (nothing checked,
    /// nothing changed) when the id is unknown or someone else's.
    pub async fn delete_trusted_contact(
        &self,
        unlocked: &Unlocked,
        id: &RecordId,
        current: &str,
        requester: &Requester,
    ) -> Result<bool, StepUpError> {
        if self.trusted_contact(unlocked, id).await?.is_none() {
            return Ok(false);
        }
        self.step_up(unlocked, current, requester).await?;
        Ok(self.delete_item::<TrustedContact>(unlocked, id).await?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::helplines::HelpLines;

    const DAY: i64 = 86_400;

    fn item(group: Group, first_day: i64, id: &str) -> Item<Boundary> {
        Item {
            id: RecordId::parse(&format!("{id:0>32}")).unwrap(),
            created_day: first_day,
            updated_day: first_day,
            value: Boundary {
                group,
                history: vec![BoundaryVersion {
                    day: first_day,
                    text: "x".into(),
                    state: BoundaryState::Firm,
                }],
            },
        }
    }

    #[test]
    fn a_change_adds_a_version_and_keeps_the_old_ones() {
        let mut b = Boundary {
            group: Group::Starting(StartingGroup::Touch),
            history: Vec::new(),
        };
        assert!(b.apply(
            BoundaryDraft::new("touch", "", "Ask before hugging me", "firm").unwrap(),
            10 * DAY
        ));
        assert!(b.apply(
            BoundaryDraft::new("touch", "", "Ask before hugging me", "revisiting").unwrap(),
            40 * DAY
        ));
        assert!(b.apply(
            BoundaryDraft::new("touch", "", "Hugs from my sister are fine", "for_now").unwrap(),
            90 * DAY
        ));
        assert_eq!(b.history.len(), 3);
        assert_eq!(
            b.history[0],
            BoundaryVersion {
                day: 10 * DAY,
                text: "Ask before hugging me".into(),
                state: BoundaryState::Firm
            }
        );
        assert_eq!(b.history[1].state, BoundaryState::Revisiting);
        assert_eq!(b.text(), "Hugs from my sister are fine");
        assert_eq!(b.state(), BoundaryState::ForNow);
        assert_eq!(b.since(), Some(90 * DAY));
        assert_eq!(b.first_day(), Some(10 * DAY));
    }

    #[test]
    fn saving_the_same_words_and_state_adds_no_version_but_may_move_the_group() {
        let mut b = Boundary {
            group: Group::Starting(StartingGroup::Touch),
            history: Vec::new(),
        };
        b.apply(
            BoundaryDraft::new("touch", "", "Knock first", "firm").unwrap(),
            DAY,
        );
        assert!(!b.apply(
            BoundaryDraft::new("personal_space", "", "  Knock first ", "firm").unwrap(),
            2 * DAY
        ));
        assert_eq!(b.history.len(), 1);
        assert_eq!(b.group, Group::Starting(StartingGroup::PersonalSpace));
    }

    #[test]
    fn drafts_are_checked() {
        assert_eq!(
            BoundaryDraft::new("touch", "", "   ", "firm"),
            Err(SafetyProblem::BoundaryEmpty)
        );
        assert_eq!(
            BoundaryDraft::new("touch", "", &"a".repeat(1_001), "firm"),
            Err(SafetyProblem::BoundaryTooLong)
        );
        assert!(
            BoundaryDraft::new("touch", "", &"é".repeat(1_000), "firm").is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            BoundaryDraft::new("nope", "", "x", "firm"),
            Err(SafetyProblem::UnknownGroup)
        );
        assert_eq!(
            BoundaryDraft::new("touch", "", "x", "maybe"),
            Err(SafetyProblem::UnknownState)
        );
        assert_eq!(
            BoundaryDraft::new("touch", "", "x", "").unwrap().state,
            BoundaryState::ForNow
        );
        assert_eq!(
            BoundaryDraft::new("touch", &"g".repeat(61), "x", ""),
            Err(SafetyProblem::GroupTooLong)
        );
        assert_eq!(
            BoundaryDraft::new("own:", "", "x", ""),
            Err(SafetyProblem::UnknownGroup)
        );
    }

    #[test]
    fn a_new_group_name_wins_and_matches_starting_groups_by_name() {
        assert_eq!(
            Group::choose("touch", " Work "),
            Ok(Group::Own("Work".into()))
        );
        assert_eq!(Group::choose("own:Work", ""), Ok(Group::Own("Work".into())));
        assert_eq!(
            Group::choose("topics", "touch"),
            Ok(Group::Starting(StartingGroup::Touch))
        );
        assert_eq!(
            Group::choose("communication", ""),
            Ok(Group::Starting(StartingGroup::Communication))
        );
        for g in StartingGroup::ALL {
            assert_eq!(
                Group::choose(&Group::Starting(g).form_value(), ""),
                Ok(Group::Starting(g))
            );
        }
        let own = Group::Own("Family visits".into());
        assert_eq!(Group::choose(&own.form_value(), ""), Ok(own));
    }

    #[test]
    fn groups_start_with_the_four_then_own_groups_by_name_oldest_boundary_first() {
        let items = vec![
            item(Group::Own("work".into()), 5 * DAY, "1"),
            item(Group::Starting(StartingGroup::Touch), 9 * DAY, "2"),
            item(Group::Own("Appointments".into()), 3 * DAY, "3"),
            item(Group::Starting(StartingGroup::Touch), 2 * DAY, "4"),
        ];
        let groups = group_boundaries(items.clone());
        let names: Vec<&str> = groups.iter().map(|g| g.group.name()).collect();
        assert_eq!(
            names,
            [
                "Personal space",
                "Topics I'm not ready to discuss",
                "Touch",
                "How I want people to communicate with me",
                "Appointments",
                "work"
            ]
        );
        let touch: Vec<i64> = groups[2].boundaries.iter().map(|b| b.created_day).collect();
        assert_eq!(touch, [2 * DAY, 9 * DAY]);
        assert!(groups[0].boundaries.is_empty());
        assert_eq!(own_group_names(&items), ["Appointments", "work"]);
    }

    #[test]
    fn boundary_json_is_stable() {
        let b = Boundary {
            group: Group::Own("Work".into()),
            history: vec![BoundaryVersion {
                day: DAY,
                text: "t".into(),
                state: BoundaryState::ForNow,
            }],
        };
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(
            json,
            r#"{"group":{"own":"Work"},"history":[{"day":86400,"text":"t","state":"for_now"}]}"#
        );
        let starting: Boundary = serde_json::from_str(
            r#"{"group":{"starting":"touch"},"history":[{"day":0,"text":"a"}]}"#,
        )
        .unwrap();
        assert_eq!(starting.group, Group::Starting(StartingGroup::Touch));
        assert_eq!(
            starting.state(),
            BoundaryState::ForNow,
            "a missing state opens as the default"
        );
    }

    #[test]
    fn the_plan_has_six_parts_and_checks_their_length() {
        let plan = SafetyPlan::from_parts(|k| {
            if k == "signs" {
                "Not sleeping\r\n\r\n  Snapping at people "
            } else {
                ""
            }
        });
        assert_eq!(plan.lines("signs"), ["Not sleeping", "Snapping at people"]);
        assert!(!plan.is_empty());
        assert!(SafetyPlan::default().is_empty());
        assert!(plan.check().is_ok());
        let keys: Vec<&str> = PLAN_PARTS.iter().map(|p| p.key).collect();
        assert_eq!(keys.len(), 6);
        for key in keys {
            let long = "x".repeat(PLAN_PART_MAX_CHARS + 1);
            let plan = SafetyPlan::from_parts(|k| if k == key { long.as_str() } else { "" });
            assert_eq!(
                plan.part(key).len(),
                PLAN_PART_MAX_CHARS + 1,
                "{key} is read"
            );
            assert_eq!(plan.check(), Err(SafetyProblem::PlanPartTooLong), "{key}");
        }
        let at_limit = "x".repeat(PLAN_PART_MAX_CHARS);
        assert!(SafetyPlan::from_parts(|_| at_limit.as_str())
            .check()
            .is_ok());
    }

    #[test]
    fn help_lines_are_added_once_as_editable_lines() {
        let gb = HelpLines::get().country("GB").unwrap();
        let mut plan = SafetyPlan {
            professionals: "My counsellor, Dr Ade: 01632 960 001".into(),
            ..Default::default()
        };
        plan.add_help_lines(gb);
        let lines: Vec<String> = plan
            .lines("professionals")
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            lines[0], "My counsellor, Dr Ade: 01632 960 001",
            "the person's own words come first, unchanged"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Samaritans") && l.contains("116 123")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l == "Emergency in United Kingdom: 999"),
            "{lines:?}"
        );
        assert_eq!(lines.len(), 1 + gb.lines.len() + 1);
        let before = plan.clone();
        plan.add_help_lines(gb);
        assert_eq!(plan, before, "adding twice changes nothing");
        for l in &gb.lines {
            assert!(
                lines.iter().any(|p| p.starts_with(&l.name)),
                "{} missing",
                l.name
            );
        }
    }

    #[test]
    fn dial_digits_keeps_digits_and_a_leading_plus() {
        assert_eq!(dial_digits("07700 900123").as_deref(), Some("07700900123"));
        assert_eq!(
            dial_digits("+44 (0)7700 900-123").as_deref(),
            Some("+447700900123")
        );
        assert_eq!(
            dial_digits(" +1 (555) 010-0199 ").as_deref(),
            Some("+15550100199")
        );
        assert_eq!(dial_digits("(555) 010-0199").as_deref(), Some("5550100199"));
        assert_eq!(
            dial_digits("0044 20 7946 0000").as_deref(),
            Some("00442079460000")
        );
        assert_eq!(dial_digits("999").as_deref(), Some("999"));
        assert_eq!(dial_digits("12"), None);
        assert_eq!(dial_digits("ask Mum"), None);
        assert_eq!(dial_digits("\"><script>1</script>"), None);
        assert_eq!(
            dial_digits("tel:123;javascript:alert(1)").as_deref(),
            Some("1231"),
            "only digits survive"
        );
    }

    #[test]
    fn contacts_are_checked() {
        assert_eq!(
            TrustedContact::new(" ", "", "note"),
            Err(SafetyProblem::ContactEmpty)
        );
        assert_eq!(
            TrustedContact::new(&"n".repeat(101), "", ""),
            Err(SafetyProblem::NameTooLong)
        );
        assert_eq!(
            TrustedContact::new("Ana", &"1".repeat(41), ""),
            Err(SafetyProblem::PhoneTooLong)
        );
        assert_eq!(
            TrustedContact::new("Ana", "", &"n".repeat(501)),
            Err(SafetyProblem::NoteTooLong)
        );
        let c = TrustedContact::new(" Ana ", " +44 7700 900123 ", "Evenings\r\nbest").unwrap();
        assert_eq!(
            c.phone, "+44 7700 900123",
            "shown exactly as typed, trimmed"
        );
        assert_eq!(c.note, "Evenings\nbest");
        assert_eq!(c.dial().as_deref(), Some("+447700900123"));
        assert!(
            TrustedContact::new("", "0800 1111", "").is_ok(),
            "a number alone is enough"
        );
    }
}
