//! The safety plan: its parts, their limits, and help lines copied in as the person's own.

use super::*;

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

    pub(super) fn part_mut(&mut self, key: &str) -> Option<&mut String> {
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
            .any(|p| Bounded::<PLAN_PART_MAX_CHARS>::new(self.part(p.key)).is_err())
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

impl Handle<'_, Area> {
    /// The person's plan (blank until they save one).
    pub async fn plan(self) -> Result<SafetyPlan, ServiceError> {
        self.trellis.singleton::<SafetyPlan>(self.me).get().await
    }

    /// Saves the plan after checking it (one plan per person).
    pub async fn save_plan(self, plan: &SafetyPlan) -> Result<(), PlanError> {
        plan.check()?;
        Ok(self.trellis.singleton(self.me).save(plan).await?)
    }
}

// ------------------------------------------------------------------------------------------
// Trusted contacts
// ------------------------------------------------------------------------------------------
