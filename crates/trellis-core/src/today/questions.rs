//! The check-in questions, their choices and their words.

use crate::mood::MOODS;

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

pub(super) const fn c(value: &'static str, word: &'static str) -> Choice {
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

pub(super) const AMOUNT: &[Choice] = &[
    c("0", "Not at all"),
    c("1", "A little"),
    c("2", "Some"),
    c("3", "Quite a bit"),
    c("4", "A lot"),
];

/// How the day feels: always offered. The answers are the one mood scale
/// ([`crate::mood::MOODS`]), shared with the journal.
pub const MOOD: Question = Question {
    field: "mood",
    item: None,
    legend: "How does today feel?",
    choices: &[
        c("1", MOODS[0].1),
        c("2", MOODS[1].1),
        c("3", MOODS[2].1),
        c("4", MOODS[3].1),
        c("5", MOODS[4].1),
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

pub(super) fn question(field: &str) -> Option<&'static Question> {
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
