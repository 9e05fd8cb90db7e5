//! The calm tools and their steps, read from content/calm.

use super::*;

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

pub(super) const SOURCES: &[(&str, &str)] = &[
    (
        "senses",
        include_str!("../../../../content/calm/senses.toml"),
    ),
    (
        "breathing",
        include_str!("../../../../content/calm/breathing.toml"),
    ),
    (
        "three-breaths",
        include_str!("../../../../content/calm/three-breaths.toml"),
    ),
    ("feet", include_str!("../../../../content/calm/feet.toml")),
    (
        "body-scan",
        include_str!("../../../../content/calm/body-scan.toml"),
    ),
    (
        "kindness",
        include_str!("../../../../content/calm/kindness.toml"),
    ),
    (
        "movement",
        include_str!("../../../../content/calm/movement.toml"),
    ),
    (
        "thoughts",
        include_str!("../../../../content/calm/thoughts.toml"),
    ),
];

pub(super) const FIGURES: &[(&str, &str)] = &[
    (
        "mountain",
        include_str!("../../../../content/calm/figures/mountain.svg"),
    ),
    (
        "shoulders",
        include_str!("../../../../content/calm/figures/shoulders.svg"),
    ),
    (
        "side",
        include_str!("../../../../content/calm/figures/side.svg"),
    ),
    (
        "fold",
        include_str!("../../../../content/calm/figures/fold.svg"),
    ),
    (
        "child",
        include_str!("../../../../content/calm/figures/child.svg"),
    ),
    (
        "rest",
        include_str!("../../../../content/calm/figures/rest.svg"),
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
