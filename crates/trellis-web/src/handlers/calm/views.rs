//! Calm now's pages: what each template is given.

use super::*;

/// The 0–10 distress scale, shared by the forms before and after.
pub struct Scale {
    /// The question.
    pub legend: &'static str,
    /// The checked value, when the page is drawn again.
    pub checked: Option<u8>,
}

impl Scale {
    /// 0 to 10.
    pub fn points(&self) -> std::ops::RangeInclusive<u8> {
        0..=calm::RATING_MAX
    }
    /// Whether `n` is checked.
    pub fn is_checked(&self, n: &u8) -> bool {
        self.checked == Some(*n)
    }
}

/// `GET /calm`: every tool.
#[derive(Template)]
#[template(path = "calm/list.html")]
pub struct CalmListView {
    /// Chrome.
    pub chrome: Chrome,
    /// The tools.
    pub tools: &'static [Tool],
    /// The calm script.
    pub calm_js: String,
}

impl CalmListView {
    /// "Start with three breaths": its first step at once, with nothing to choose or rate first.
    pub fn first_breaths(&self) -> String {
        self.tools
            .iter()
            .find(|t| t.key == "three-breaths")
            .map_or_else(
                || "/calm".to_owned(),
                |tool| {
                    Links {
                        tool,
                        short: false,
                        use_id: None,
                        rhythm: None,
                    }
                    .href(Page::Step(1))
                },
            )
    }

    /// "about 3 minutes".
    pub fn minutes(&self, n: &u32) -> String {
        minutes_words(*n)
    }
}

/// `GET /calm/{tool}`: what it is, what it may bring up, and the choices.
#[derive(Template)]
#[template(path = "calm/intro.html")]
pub struct CalmIntroView {
    /// Chrome.
    pub chrome: Chrome,
    /// The tool.
    pub tool: &'static Tool,
    /// The shorter version was chosen.
    pub short: bool,
    /// First step of the full version.
    pub start_href: String,
    /// First step of the shorter version.
    pub short_href: String,
    /// The rating form (unlocked only).
    pub scale: Scale,
    /// A calm message about the rating.
    pub problem: Option<String>,
    /// The calm script.
    pub calm_js: String,
}

impl CalmIntroView {
    /// "about 3 minutes".
    pub fn minutes(&self, n: &u32) -> String {
        minutes_words(*n)
    }
}

/// `GET /calm/{tool}?step=N`: one step.
#[derive(Template)]
#[template(path = "calm/step.html")]
pub struct CalmStepView {
    /// Chrome.
    pub chrome: Chrome,
    /// The tool.
    pub tool: &'static Tool,
    /// The step.
    pub step: &'static Step,
    /// Its number in the chosen version.
    pub n: usize,
    /// Steps in the chosen version.
    pub count: usize,
    /// The shorter version.
    pub short: bool,
    /// Suggested seconds (0 = none).
    pub seconds: u32,
    /// The previous step (or the introduction).
    pub back_href: String,
    /// The next step (or the end).
    pub next_href: String,
    /// "Stop here".
    pub stop_href: String,
    /// Calm messages about a typed rhythm.
    pub problems: Vec<String>,
    /// The rhythm in use.
    pub rhythm: Rhythm,
    /// The rhythm as typed (kept in the form).
    pub typed: [String; 4],
    /// Where the rhythm form goes, and its hidden fields.
    pub hidden: Vec<(&'static str, String)>,
    /// Back to the rhythm form with this rhythm.
    pub change_href: String,
    /// The calm script.
    pub calm_js: String,
}

/// One line of the text count of a breath.
pub struct CountLine {
    /// "Breathe in".
    pub cue: &'static str,
    /// "1, 2, 3, 4".
    pub count: String,
    /// Seconds.
    pub seconds: u8,
}

/// A field of the rhythm form.
pub struct RhythmField {
    /// Name and id.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// Allowed range, in words.
    pub hint: String,
    /// As typed (or the value in use).
    pub value: String,
}

impl CalmStepView {
    /// "45 seconds".
    pub fn seconds_words(&self) -> String {
        seconds_words(self.seconds)
    }
    /// The text count of one breath.
    pub fn count_lines(&self) -> Vec<CountLine> {
        self.rhythm
            .phases()
            .into_iter()
            .map(|(phase, s)| CountLine {
                cue: phase.cue(),
                count: (1..=s)
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                seconds: s,
            })
            .collect()
    }
    /// "6" breaths a minute.
    pub fn per_minute(&self) -> String {
        tenths_words(self.rhythm.breaths_per_minute_tenths())
    }
    /// Breaths suggested for this step.
    pub fn breaths(&self) -> u32 {
        self.rhythm.breaths_in(self.seconds)
    }
    /// The rhythm form's fields.
    pub fn rhythm_fields(&self) -> Vec<RhythmField> {
        Phase::ALL
            .iter()
            .enumerate()
            .map(|(i, &phase)| {
                let r = phase.range();
                let typed = &self.typed[i];
                RhythmField {
                    name: phase.field(),
                    label: match phase {
                        Phase::Inhale => "Breathe in for (seconds)",
                        Phase::Hold => "Pause after breathing in (seconds, optional)",
                        Phase::Exhale => "Breathe out for (seconds)",
                        Phase::Rest => "Pause after breathing out (seconds, optional)",
                    },
                    hint: format!("{} to {}", r.start(), r.end()),
                    value: if typed.is_empty() {
                        self.rhythm.seconds(phase).to_string()
                    } else {
                        typed.clone()
                    },
                }
            })
            .collect()
    }
}

/// `GET /calm/{tool}?step=end`.
#[derive(Template)]
#[template(path = "calm/end.html")]
pub struct CalmEndView {
    /// Chrome.
    pub chrome: Chrome,
    /// The tool.
    pub tool: &'static Tool,
    /// The shorter version.
    pub short: bool,
    /// The person stopped before the end.
    pub stopped: bool,
    /// The rating after was just saved.
    pub rated: bool,
    /// This use's id (from the rating before), carried into the form.
    pub use_id: Option<String>,
    /// The rating form.
    pub scale: Scale,
    /// A calm message about the rating.
    pub problem: Option<String>,
    /// The calm script.
    pub calm_js: String,
}

/// One row of "what has helped you".
pub struct HelpedRow {
    /// Tool name.
    pub name: String,
    /// Where it lives.
    pub href: String,
    /// Plain words about how it went.
    pub words: String,
    /// "based on 3 times".
    pub uses: String,
}

/// `GET /calm/helped` (unlocked).
#[derive(Template)]
#[template(path = "calm/helped.html")]
pub struct CalmHelpedView {
    /// Chrome.
    pub chrome: Chrome,
    /// The ranking, most helpful first.
    pub rows: Vec<HelpedRow>,
    /// How many uses are kept at all (for the forget form).
    pub kept: usize,
    /// A message.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
    /// The calm script.
    pub calm_js: String,
}

crate::render::html_pages!(
    CalmListView,
    CalmIntroView,
    CalmStepView,
    CalmEndView,
    CalmHelpedView
);
