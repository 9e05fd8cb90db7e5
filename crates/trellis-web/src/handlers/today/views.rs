//! Today's pages: what each template is given.

use super::*;

/// The check-in form, as shown on Today and on the change page.
pub struct CheckInForm {
    /// Where it posts.
    pub action: String,
    /// The fields as typed (or as saved).
    pub draft: Draft,
    /// Questions answered with words, in order (how the day feels, then what is followed).
    pub questions: Vec<&'static Question>,
    /// Whether the hours-of-sleep field is shown.
    pub sleep: bool,
    /// What needs a small change.
    pub problems: Vec<Problem>,
    /// The check-in being changed, if any.
    pub id: Option<String>,
    /// The person's today (carried so a saved form comes back to the same day).
    pub today: String,
    /// The latest day the date field offers.
    pub max_day: String,
    /// Whether this is the change page (so a problem after unlocking shows that page again).
    pub from_edit: bool,
    /// When another check-in already holds the chosen day: its id and day in words.
    pub taken: Option<(String, String)>,
}

impl CheckInForm {
    pub(super) fn new(
        action: String,
        draft: Draft,
        prefs: &TodayPrefs,
        id: Option<&RecordId>,
        today: Day,
    ) -> Self {
        let mut shown = prefs.followed();
        shown.extend(draft.answered_items());
        let questions = QUESTIONS
            .iter()
            .filter(|q| q.item.is_none_or(|i| shown.contains(&i)))
            .collect();
        Self {
            action,
            draft,
            questions,
            sleep: shown.contains(&Followed::Sleep),
            problems: Vec::new(),
            id: id.map(ToString::to_string),
            today: today.to_string(),
            max_day: today.next().to_string(),
            from_edit: false,
            taken: None,
        }
    }

    /// A field's text.
    pub fn value(&self, field: &str) -> &str {
        self.draft.get(field)
    }

    /// The words about a field that needs a change.
    pub fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    /// How the day feels, in words, when the form says.
    pub fn mood_word(&self) -> Option<&'static str> {
        today::word_of("mood", self.value("mood"))
    }

    /// Whether the form asks only how the day feels.
    pub fn asks_only_mood(&self) -> bool {
        self.questions.len() == 1 && !self.sleep
    }
}

/// A tiny goal as shown.
pub struct GoalRow {
    /// Its id.
    pub id: String,
    /// Its words.
    pub text: String,
    /// Whether it is done today.
    pub done: bool,
}

/// One day in "recent days".
pub struct DayRow {
    /// "Saturday 21 November".
    pub words: String,
    /// The check-in's id, when there is one.
    pub id: Option<String>,
    /// Its answers in words.
    pub summary: Vec<(&'static str, String)>,
    /// The beginning of its note.
    pub note: String,
    /// Small things done that day.
    pub goals_done: Vec<String>,
}

/// `GET /today`.
#[derive(Template)]
#[template(path = "today/index.html")]
pub struct TodayView {
    /// Chrome.
    pub chrome: Chrome,
    /// The person's today, `2026-11-21`.
    pub today: String,
    /// "Saturday 21 November".
    pub today_words: String,
    /// A calm status line.
    pub message: Option<String>,
    /// Whether the check-in just saved was a hard one.
    pub hard: bool,
    /// On a hard day, one of the person's own past good moments (only if they turned this
    /// on in the journal's settings).
    pub moment: Option<crate::handlers::journal::MomentView>,
    /// On a hard day, from the joy jar (only if turned on in Progress): a hobby's name, the
    /// day in words and what the person wrote of it.
    pub joy: Option<(String, String, String)>,
    /// Whether today already has a check-in (the form changes it).
    pub checked_in: bool,
    /// The check-in form.
    pub form: CheckInForm,
    /// Goals on today's list.
    pub goals: Vec<GoalRow>,
    /// Goals put aside for now.
    pub aside: Vec<GoalRow>,
    /// Ideas not yet on the list.
    pub ideas: Vec<&'static str>,
    /// A new goal as typed, when it needs a change.
    pub goal_text: String,
    /// Words about the new goal.
    pub goal_problem: Option<String>,
    /// Recent days with a check-in or a small thing done.
    pub days: Vec<DayRow>,
}

/// `GET /today/{id}/edit`.
#[derive(Template)]
#[template(path = "today/edit.html")]
pub struct EditView {
    /// Chrome.
    pub chrome: Chrome,
    /// The check-in's id.
    pub id: String,
    /// Its day in words.
    pub day_words: String,
    /// The form.
    pub form: CheckInForm,
}

/// `GET /today/{id}/delete`.
#[derive(Template)]
#[template(path = "today/delete.html")]
pub struct DeleteView {
    /// Chrome.
    pub chrome: Chrome,
    /// The check-in's id.
    pub id: String,
    /// Its day in words.
    pub day_words: String,
}

/// One item in the settings form.
pub struct FollowChoice {
    /// Key.
    pub key: &'static str,
    /// Name.
    pub name: &'static str,
    /// A short line about it.
    pub hint: &'static str,
    /// Whether it is followed.
    pub on: bool,
}

/// `GET /today/settings`.
#[derive(Template)]
#[template(path = "today/settings.html")]
pub struct SettingsView {
    /// Chrome.
    pub chrome: Chrome,
    /// The items.
    pub choices: Vec<FollowChoice>,
    /// A calm problem message.
    pub problem: Option<&'static str>,
}

/// `GET /today/earlier`.
#[derive(Template)]
#[template(path = "today/earlier.html")]
pub struct EarlierView {
    /// Chrome.
    pub chrome: Chrome,
    /// Check-ins before the recent days.
    pub days: Vec<DayRow>,
}

crate::render::html_pages!(
    TodayView,
    EditView,
    DeleteView,
    SettingsView,
    EarlierView
);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------
