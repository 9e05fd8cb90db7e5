//! The one list of record kinds a person takes with them: for each, the Markdown file it is
//! written into, its words there, whether a person keeps it once, and how its content is
//! checked before it comes back in. Export, import and their tests read this list only.

use crate::records::{Profile, RecordKind};
use crate::{calm, journal, progress, recovery, safety, support, therapy, today, together};

/// One exported kind of record.
#[derive(Clone, Copy, Debug)]
pub struct ExportKind {
    /// The stored kind name (`RecordKind::KIND`).
    pub kind: &'static str,
    /// The newest schema version this build reads.
    pub schema_version: u16,
    /// The Markdown file it is written into (`journal.md`…).
    pub file: &'static str,
    /// Its name in that file ("Journal entry").
    pub title: &'static str,
    /// Kept once per person (the safety plan, preferences): an import never adds a second.
    pub once: bool,
    /// Whether plaintext reads as this kind (checked before anything is sealed on import).
    reads: fn(&[u8]) -> bool,
}

impl ExportKind {
    const fn of<T: RecordKind>(file: &'static str, title: &'static str, once: bool) -> Self {
        Self {
            kind: T::KIND,
            schema_version: T::SCHEMA_VERSION,
            file,
            title,
            once,
            reads: reads_as::<T>,
        }
    }

    /// Whether `plaintext` opens as this kind.
    pub fn reads(&self, plaintext: &[u8]) -> bool {
        (self.reads)(plaintext)
    }
}

fn reads_as<T: RecordKind>(plaintext: &[u8]) -> bool {
    serde_json::from_slice::<T>(plaintext).is_ok()
}

/// Every kind a person's export holds, in the order the Markdown files list them. The
/// journal's search digest is not here: it is derived from the entries and made again.
pub const EXPORTED: &[ExportKind] = &[
    ExportKind::of::<journal::JournalEntry>("journal.md", "Journal entry", false),
    ExportKind::of::<journal::JournalDraft>("journal.md", "Draft", false),
    ExportKind::of::<journal::JournalPrefs>("journal.md", "Journal settings", true),
    ExportKind::of::<today::CheckIn>("today.md", "Check-in", false),
    ExportKind::of::<today::Goal>("today.md", "Small thing", false),
    ExportKind::of::<today::TodayPrefs>("today.md", "Today settings", true),
    ExportKind::of::<safety::Boundary>("safety.md", "Boundary", false),
    ExportKind::of::<safety::SafetyPlan>("safety.md", "Safety plan", true),
    ExportKind::of::<safety::TrustedContact>("safety.md", "Trusted contact", false),
    ExportKind::of::<support::SupportPerson>("support.md", "Support person", false),
    ExportKind::of::<support::SupportPrefs>("support.md", "Support settings", true),
    ExportKind::of::<calm::CalmRating>("calm.md", "Calm rating", false),
    ExportKind::of::<together::LadderStep>("together.md", "Ladder step", false),
    ExportKind::of::<together::ComfortToday>("together.md", "Comfort today", true),
    ExportKind::of::<together::ListAnswers>("together.md", "Yes, no, maybe", true),
    ExportKind::of::<together::PauseSignal>("together.md", "Pause signal", true),
    ExportKind::of::<together::ShareLogLine>("together.md", "Sharing log", false),
    ExportKind::of::<progress::Pcl5>("progress.md", "Self-check (PCL-5)", false),
    ExportKind::of::<progress::hobbies::Hobby>("progress.md", "Something you enjoy", false),
    ExportKind::of::<progress::hobbies::ProgressPrefs>("progress.md", "Progress settings", true),
    ExportKind::of::<therapy::SessionNote>("therapy.md", "Session note", false),
    ExportKind::of::<therapy::GroupVisit>("therapy.md", "Support group", false),
    ExportKind::of::<recovery::Urge>("recovery.md", "An urge", false),
    ExportKind::of::<recovery::UseNote>("recovery.md", "Use, noted", false),
    ExportKind::of::<Profile>("settings.md", "Your settings", true),
];

/// The Markdown files of an export and their headings.
pub const FILES: &[(&str, &str)] = &[
    ("journal.md", "Journal"),
    ("today.md", "Today: check-ins and small things"),
    ("safety.md", "Safety: boundaries, plan and contacts"),
    ("support.md", "Support people"),
    ("calm.md", "Calm ratings"),
    ("together.md", "Together"),
    ("progress.md", "Progress: self-checks and things you enjoy"),
    (
        "therapy.md",
        "Therapy and groups: session notes and group visits",
    ),
    ("recovery.md", "Recovery: urges and use"),
    ("settings.md", "Settings"),
];

/// The kinds left out of an export on purpose (derived, and made again after an import).
pub const DERIVED: &[&str] = &[
    crate::journal::INDEX_KIND_NAME,
    crate::progress::CACHE_CHECKINS,
    crate::progress::CACHE_CALM,
];

/// The exported kind named `kind`, if this build knows it.
pub fn exported(kind: &str) -> Option<&'static ExportKind> {
    EXPORTED.iter().find(|k| k.kind == kind)
}
