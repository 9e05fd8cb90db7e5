//! A check-in: what it holds and how it reads.

use super::*;

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
    /// How the day feels, on the one scale ([`crate::mood::MOODS`]).
    #[serde(default)]
    pub mood: Option<u8>,
    /// Which scale `mood` was sealed on (none in records sealed before the one scale; such a
    /// mood is mapped when the record is opened, see [`RecordKind::upgrade`]).
    #[serde(default = "MoodScale::before")]
    pub scale: MoodScale,
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

    fn upgrade(&mut self) {
        self.mood = self.mood.and_then(|m| self.scale.read(Before::Today, m));
        self.scale = MoodScale::ONE;
    }
}

impl CheckIn {
    /// An empty check-in for `day`.
    pub fn empty(day: Day) -> Self {
        Self {
            day,
            mood: None,
            scale: MoodScale::ONE,
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
        *self
            == Self {
                scale: self.scale,
                ..Self::empty(self.day)
            }
    }

    /// A hard day: how it feels is low or very low, or an urge, startle or numbness is
    /// "quite a bit" or more. Such a check-in gently offers calm tools and Help now.
    pub fn is_hard(&self) -> bool {
        self.mood.is_some_and(is_low)
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
pub(super) fn hours_text(half_hours: u8) -> String {
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
