//! Boundaries: groups, states and a dated history of every change.

use super::*;

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
        let group_name = |typed: &str| {
            Bounded::<GROUP_MAX_CHARS>::new(typed).map_err(|_| SafetyProblem::GroupTooLong)
        };
        let new_name = group_name(new_name)?;
        if !new_name.is_empty() {
            if let Some(g) = StartingGroup::ALL
                .into_iter()
                .find(|g| g.name().eq_ignore_ascii_case(new_name.as_str()))
            {
                return Ok(Self::Starting(g));
            }
            return Ok(Self::Own(new_name.into_string()));
        }
        if let Some(name) = value.strip_prefix("own:") {
            let name = group_name(name)?;
            if name.is_empty() {
                return Err(SafetyProblem::UnknownGroup);
            }
            return Ok(Self::Own(name.into_string()));
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
    pub(super) group: Group,
    pub(super) text: String,
    pub(super) state: BoundaryState,
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
        let text =
            Bounded::<BOUNDARY_MAX_CHARS>::new(text).map_err(|_| SafetyProblem::BoundaryTooLong)?;
        if text.is_empty() {
            return Err(SafetyProblem::BoundaryEmpty);
        }
        let group = Group::choose(group, new_group)?;
        let state = BoundaryState::from_key(state).ok_or(SafetyProblem::UnknownState)?;
        Ok(Self {
            group,
            text: text.into_string(),
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

impl Handle<'_, Area> {
    /// Every boundary of this person, grouped for showing.
    pub async fn boundaries(self) -> Result<Vec<Item<Boundary>>, ServiceError> {
        let unlocked = self.me;
        self.trellis.records::<Boundary>(unlocked).list().await
    }

    /// Adds a boundary, dated today.
    pub async fn add_boundary(self, draft: BoundaryDraft) -> Result<RecordId, ServiceError> {
        let unlocked = self.me;
        let mut boundary = Boundary {
            group: draft.group.clone(),
            history: Vec::new(),
        };
        boundary.apply(draft, day_of(self.trellis.now()));
        self.trellis.records(unlocked).add(&boundary).await
    }

    /// Changes a boundary, keeping every earlier version. False (nothing changed) when the id
    /// is unknown or someone else's.
    pub async fn change_boundary(
        self,
        id: &RecordId,
        draft: BoundaryDraft,
    ) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        let Some(mut item) = self.trellis.records::<Boundary>(unlocked).get(id).await? else {
            return Ok(false);
        };
        item.value.apply(draft, day_of(self.trellis.now()));
        let changed = self
            .trellis
            .records(unlocked)
            .replace(id, &item.value)
            .await?;
        // A copy shared with a partner follows the change.
        self.trellis
            .together(unlocked)
            .refresh_if_shared(
                &crate::together::boundary_item(id),
                &crate::together::SharedBoundary::of(&item.value),
            )
            .await?;
        Ok(changed)
    }

    /// Deletes a boundary and its history. False when the id is unknown or someone else's.
    pub async fn delete_boundary(self, id: &RecordId) -> Result<bool, ServiceError> {
        let unlocked = self.me;
        let deleted = self
            .trellis
            .records::<Boundary>(unlocked)
            .delete(id)
            .await?;
        if deleted {
            // The partner's copy goes with it.
            self.trellis
                .together(unlocked)
                .stop_sharing(&crate::together::boundary_item(id))
                .await?;
        }
        Ok(deleted)
    }
}

// ------------------------------------------------------------------------------------------
// The safety plan
// ------------------------------------------------------------------------------------------
