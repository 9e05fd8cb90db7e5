//! Support's pages: what each template is given.

use super::*;

/// A kind in the kind list of a form.
pub struct KindOption {
    /// Form value.
    pub key: &'static str,
    /// Name.
    pub name: &'static str,
    /// Whether chosen.
    pub selected: bool,
}

/// The person form, as typed or stored.
pub struct PersonForm {
    /// Kind choices.
    pub kinds: Vec<KindOption>,
    /// Name.
    pub name: String,
    /// How to reach them.
    pub reach: String,
    /// Last in touch, `YYYY-MM-DD` or "".
    pub last_connected: String,
    /// Note.
    pub note: String,
    /// Today, `YYYY-MM-DD` (the date field's upper bound).
    pub today: String,
}

/// Someone as listed.
pub struct PersonRow {
    /// Record id.
    pub id: String,
    /// Name (or how to reach them when there is no name).
    pub label: String,
    /// How to reach them.
    pub reach: String,
    /// Digits to call or text, when "how to reach" is a plain number.
    pub dial: Option<String>,
    /// Last in touch, in words ("" when not noted).
    pub last: String,
    /// Whether that was today.
    pub today: bool,
    /// Note.
    pub note: String,
}

/// People of one kind.
pub struct KindSection {
    /// Heading.
    pub name: &'static str,
    /// Element id.
    pub anchor: &'static str,
    /// The people.
    pub people: Vec<PersonRow>,
}

/// The support network.
#[derive(Template)]
#[template(path = "support/index.html")]
pub struct SupportView {
    /// Chrome.
    pub chrome: Chrome,
    /// Kinds that have someone, in order.
    pub sections: Vec<KindSection>,
    /// The gentle nudge, when due.
    pub nudge: Option<&'static str>,
    /// Whether the nudge is turned on.
    pub nudge_on: bool,
    /// The add form.
    pub form: PersonForm,
    /// A calm message about the add form.
    pub problem: Option<String>,
}

/// Changing or removing someone.
#[derive(Template)]
#[template(path = "support/person_edit.html")]
pub struct PersonEditView {
    /// Chrome.
    pub chrome: Chrome,
    /// Record id.
    pub id: String,
    /// The form.
    pub form: PersonForm,
    /// A calm message.
    pub problem: Option<String>,
}

/// The nudge settings.
#[derive(Template)]
#[template(path = "support/settings.html")]
pub struct SupportSettingsView {
    /// Chrome.
    pub chrome: Chrome,
    /// Nudge on.
    pub nudge: bool,
    /// Days, as typed or stored.
    pub days: String,
    /// Smallest days.
    pub min: u16,
    /// Largest days.
    pub max: u16,
    /// A calm message.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
}

crate::render::html_pages!(SupportView, PersonEditView, SupportSettingsView);
