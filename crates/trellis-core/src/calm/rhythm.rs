//! Paced breathing: the person's rhythm and its limits.

use super::*;

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

    pub(super) fn set(&mut self, phase: Phase, value: u8) {
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
