//! Page structs of the Safety area (one per page; each extends `layout.html`).

use askama::Template;

use crate::ctx::Chrome;

/// The Safety overview.
#[derive(Template)]
#[template(path = "safety/index.html")]
pub struct SafetyIndexView {
    /// Chrome.
    pub chrome: Chrome,
}

/// A group in the group list of a boundary form.
pub struct GroupOption {
    /// Form value.
    pub value: String,
    /// Shown name.
    pub name: String,
    /// Whether chosen.
    pub selected: bool,
}

/// A state choice in a boundary form.
pub struct StateOption {
    /// Form value.
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// Explanation.
    pub about: &'static str,
    /// Whether chosen.
    pub checked: bool,
}

/// The boundary form, as typed or as stored.
pub struct BoundaryForm {
    /// Words.
    pub text: String,
    /// Group choices.
    pub groups: Vec<GroupOption>,
    /// A new group name, as typed.
    pub new_group: String,
    /// State choices.
    pub states: Vec<StateOption>,
}

/// One boundary as listed.
pub struct BoundaryRow {
    /// Record id.
    pub id: String,
    /// Current words.
    pub text: String,
    /// Current state label.
    pub state: &'static str,
    /// Current state key (for styling).
    pub state_key: &'static str,
    /// Day the current version was set, in words.
    pub since: String,
}

/// A group of boundaries.
pub struct GroupSection {
    /// Element id.
    pub anchor: String,
    /// Heading.
    pub name: String,
    /// One line under a starting group's heading ("" for the person's own groups).
    pub about: &'static str,
    /// Its boundaries.
    pub rows: Vec<BoundaryRow>,
}

/// All boundaries, and the form to add one.
#[derive(Template)]
#[template(path = "safety/boundaries.html")]
pub struct BoundariesView {
    /// Chrome.
    pub chrome: Chrome,
    /// Groups, starting groups first.
    pub groups: Vec<GroupSection>,
    /// The add form.
    pub form: BoundaryForm,
    /// A calm message about the add form.
    pub problem: Option<String>,
}

/// One earlier (or the current) version of a boundary.
pub struct VersionRow {
    /// Day set, in words.
    pub day: String,
    /// State label.
    pub state: &'static str,
    /// State key (for styling).
    pub state_key: &'static str,
    /// Words.
    pub text: String,
}

/// One boundary, its change form and its history.
#[derive(Template)]
#[template(path = "safety/boundary.html")]
pub struct BoundaryView {
    /// Chrome.
    pub chrome: Chrome,
    /// Group name.
    pub group: String,
    /// The day it was first set, in words.
    pub first_day: String,
    /// The current version.
    pub row: BoundaryRow,
    /// Every version, newest first.
    pub history: Vec<VersionRow>,
    /// The change form.
    pub form: BoundaryForm,
    /// A calm message about the form.
    pub problem: Option<String>,
    /// Whether a change was just saved.
    pub saved: bool,
}

/// Asking once before deleting a boundary.
#[derive(Template)]
#[template(path = "safety/boundary_delete.html")]
pub struct BoundaryDeleteView {
    /// Chrome.
    pub chrome: Chrome,
    /// The boundary.
    pub row: BoundaryRow,
}

/// One part of the plan.
pub struct PartView {
    /// 1–6.
    pub number: usize,
    /// Form field.
    pub key: &'static str,
    /// Heading.
    pub title: &'static str,
    /// Guidance.
    pub hint: &'static str,
    /// The text as stored or typed.
    pub text: String,
    /// Its non-blank lines.
    pub lines: Vec<String>,
}

/// A trusted contact as shown.
pub struct ContactRow {
    /// Record id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Number as typed.
    pub phone: String,
    /// Note.
    pub note: String,
    /// Digits for `tel:` / `sms:` links.
    pub dial: Option<String>,
}

impl ContactRow {
    /// The name, or the number when there is no name.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.phone
        } else {
            &self.name
        }
    }
}

/// The plan.
#[derive(Template)]
#[template(path = "safety/plan.html")]
pub struct PlanView {
    /// Chrome.
    pub chrome: Chrome,
    /// Whether nothing is written yet.
    pub empty: bool,
    /// The six parts.
    pub parts: Vec<PartView>,
    /// Trusted contacts (shown in part 4).
    pub contacts: Vec<ContactRow>,
    /// Whether it was just saved.
    pub saved: bool,
}

/// The plan for printing.
#[derive(Template)]
#[template(path = "safety/plan_print.html")]
pub struct PlanPrintView {
    /// Chrome.
    pub chrome: Chrome,
    /// The six parts.
    pub parts: Vec<PartView>,
    /// Trusted contacts.
    pub contacts: Vec<ContactRow>,
}

/// A country in the help-lines choice.
pub struct CountryOption {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Whether chosen.
    pub selected: bool,
}

/// Changing the plan.
#[derive(Template)]
#[template(path = "safety/plan_edit.html")]
pub struct PlanEditView {
    /// Chrome.
    pub chrome: Chrome,
    /// The six parts as stored or typed.
    pub parts: Vec<PartView>,
    /// Countries for the help lines.
    pub countries: Vec<CountryOption>,
    /// Whether "add the help lines" is ticked.
    pub add_lines: bool,
    /// A calm message.
    pub problem: Option<String>,
}

/// A contact form as typed or stored.
#[derive(Default)]
pub struct ContactForm {
    /// Name.
    pub name: String,
    /// Number.
    pub phone: String,
    /// Note.
    pub note: String,
}

/// Trusted contacts and the form to add one.
#[derive(Template)]
#[template(path = "safety/contacts.html")]
pub struct ContactsView {
    /// Chrome.
    pub chrome: Chrome,
    /// The contacts.
    pub contacts: Vec<ContactRow>,
    /// The add form.
    pub form: ContactForm,
    /// A calm message about the add form.
    pub problem: Option<String>,
}

/// Changing or removing a contact.
#[derive(Template)]
#[template(path = "safety/contact_edit.html")]
pub struct ContactEditView {
    /// Chrome.
    pub chrome: Chrome,
    /// Record id.
    pub id: String,
    /// The form.
    pub form: ContactForm,
    /// A calm message about the change form.
    pub problem: Option<String>,
}

crate::render::html_pages!(
    SafetyIndexView,
    BoundariesView,
    BoundaryView,
    BoundaryDeleteView,
    PlanView,
    PlanPrintView,
    PlanEditView,
    ContactsView,
    ContactEditView,
);
