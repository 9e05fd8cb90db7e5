//! One template struct per page. Every page embeds [`Chrome`] and extends `layout.html`.

use askama::Template;
use trellis_core::helplines::{Country, HelpLines};
use trellis_core::settings::Device;

use crate::ctx::Chrome;
use crate::error::ErrorPage;

/// First visit: what Trellis keeps and what it cannot protect against.
#[derive(Template)]
#[template(path = "welcome.html")]
pub struct WelcomeView {
    /// Chrome.
    pub chrome: Chrome,
}

/// Choosing a passphrase.
#[derive(Template)]
#[template(path = "setup.html")]
pub struct SetupView {
    /// Chrome.
    pub chrome: Chrome,
    /// A calm message about what to change, if any.
    pub problem: Option<String>,
    /// Whether the recovery-code box was ticked.
    pub recovery: bool,
    /// Whether to ask for a name (others may share this Trellis).
    pub ask_name: bool,
    /// The name typed so far.
    pub name: String,
    /// The id this page chose for the new account (a repeated submit finds it).
    pub setup_id: String,
    /// Whether to ask for the operator's sign-up code (invitation only).
    pub ask_invite: bool,
    /// The code typed so far.
    pub invite: String,
}

/// The recovery code, shown once.
#[derive(Template)]
#[template(path = "recovery_code.html")]
pub struct RecoveryCodeView {
    /// Chrome.
    pub chrome: Chrome,
    /// The code, or None when it was already shown.
    pub code: Option<String>,
    /// Whether this code replaces one that was just used.
    pub replaced: bool,
}

/// The lock screen.
#[derive(Template)]
#[template(path = "unlock.html")]
pub struct UnlockView {
    /// Chrome.
    pub chrome: Chrome,
    /// A calm message, if any.
    pub message: Option<String>,
    /// Whether the message is a problem (alert) or information (status).
    pub is_problem: bool,
    /// Whether a recovery code exists.
    pub recovery_available: bool,
    /// Whether to ask for a name (several people share this Trellis).
    pub ask_name: bool,
    /// The name typed so far.
    pub name: String,
}

/// Using the recovery code.
#[derive(Template)]
#[template(path = "recover.html")]
pub struct RecoverView {
    /// Chrome.
    pub chrome: Chrome,
    /// A calm message, if any.
    pub problem: Option<String>,
    /// Whether to ask for a name (several people share this Trellis).
    pub ask_name: bool,
    /// The name typed so far.
    pub name: String,
}

/// Home when unlocked.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeView {
    /// Chrome.
    pub chrome: Chrome,
    /// The areas' cards the person has not hidden.
    pub areas: Vec<crate::registry::Shown>,
    /// Today at a glance (absent when the person hid Today).
    pub glance: Option<Glance>,
    /// Whether Calm now is shown (it offers one tool on Home).
    pub calm: bool,
}

/// Today at a glance, on Home.
pub struct Glance {
    /// The person's day (the browser's date when it said; see app.js).
    pub day: String,
    /// Whether there is a check-in for the day.
    pub checked_in: bool,
    /// How the day felt, when the check-in said.
    pub mood: Option<&'static str>,
    /// The first small thing on the list not yet done today.
    pub next_goal: Option<String>,
    /// How many small things are done today, of how many on the list.
    pub goals_done: usize,
    /// How many small things are on the list.
    pub goals: usize,
    /// Offer "three qualities" this morning (Journal setting, none written yet today).
    pub qualities: bool,
}

/// More: every area the person keeps (the phone's "More" tab).
#[derive(Template)]
#[template(path = "more.html")]
pub struct MoreView {
    /// Chrome.
    pub chrome: Chrome,
    /// The areas' cards the person has not hidden.
    pub areas: Vec<crate::registry::Shown>,
}

/// Help now.
#[derive(Template)]
#[template(path = "help.html")]
pub struct HelpView {
    /// Chrome.
    pub chrome: Chrome,
    /// All data (for the country list and directories).
    pub data: &'static HelpLines,
    /// The chosen or guessed country.
    pub country: Option<&'static Country>,
    /// Whether the country was guessed from the browser language.
    pub guessed: bool,
    // --- Safety (issue 4) ---
    /// The person's trusted contacts (only when unlocked; empty otherwise).
    pub people: Vec<crate::handlers::safety::views::ContactRow>,
}

impl HelpView {
    /// "1 November 2026" for a date the list was checked (as written when it is not a date).
    pub fn checked_on(&self, iso: &str) -> String {
        trellis_core::clock::Day::parse(iso).map_or_else(|| iso.to_owned(), |d| d.date_words())
    }
}

/// Settings.
#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsView {
    /// Chrome.
    pub chrome: Chrome,
    /// Current display name.
    pub display_name: String,
    /// Areas the person may show or hide.
    pub areas: Vec<AreaChoice>,
    /// Links to areas' own settings.
    pub more: Vec<crate::registry::SettingsLink>,
    /// Current auto-lock minutes.
    pub idle_minutes: u16,
    /// Which form a message belongs to (`name`, `autolock`, `passphrase`).
    pub section: &'static str,
    /// A calm message.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
    /// Whether a recovery code exists.
    pub has_recovery: bool,
}

/// An area as offered in settings.
pub struct AreaChoice {
    /// Area key.
    pub key: &'static str,
    /// Area name.
    pub name: &'static str,
    /// Whether it is shown now.
    pub shown: bool,
}

impl SettingsView {
    /// Whether the message belongs to `section`.
    pub fn message_for(&self, section: &str) -> Option<&str> {
        (self.section == section)
            .then_some(self.message.as_deref())
            .flatten()
    }
}

/// Signed-in devices.
#[derive(Template)]
#[template(path = "devices.html")]
pub struct DevicesView {
    /// Chrome.
    pub chrome: Chrome,
    /// The devices.
    pub devices: Vec<DeviceRow>,
    /// A calm message.
    pub message: Option<String>,
}

/// A device as shown.
pub struct DeviceRow {
    /// The device.
    pub device: Device,
    /// "21 Nov 2026, 10:02 UTC".
    pub since: String,
}

/// Delete everything.
#[derive(Template)]
#[template(path = "delete.html")]
pub struct DeleteView {
    /// Chrome.
    pub chrome: Chrome,
    /// A calm message.
    pub problem: Option<String>,
}

/// After deleting everything.
#[derive(Template)]
#[template(path = "deleted.html")]
pub struct DeletedView {
    /// Chrome.
    pub chrome: Chrome,
}

/// A calm error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorView {
    /// Chrome.
    pub chrome: Chrome,
    /// The error.
    pub page: ErrorPage,
    /// What the person had typed into the form that could not be saved, to copy.
    pub kept: Vec<String>,
}

crate::render::html_pages!(
    WelcomeView,
    SetupView,
    RecoveryCodeView,
    UnlockView,
    RecoverView,
    HomeView,
    MoreView,
    HelpView,
    SettingsView,
    DevicesView,
    DeleteView,
    DeletedView,
    ErrorView,
);

/// Formats Unix seconds as "21 Nov 2026, 10:02 UTC".
pub fn when(unix: i64) -> String {
    let fmt = time::macros::format_description!(
        "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
    );
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(fmt).ok())
        .unwrap_or_default()
}
