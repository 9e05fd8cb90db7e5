//! Journal (issue 4): list by day, filters and search, the kinds of entry with their gentle
//! prompts, write / view / edit / delete, sealed drafts saved as the person types, and the
//! resurfacing preference. Handlers parse, authorise through `Me`, call one use case, render.
//! Every id in a path is checked against the unlocked person's own records: anything else
//! (unknown, someone else's, another kind) is a 404 that changes nothing.

// The parts share the imports below (`use super::*`).
mod drafts;
mod entry;
mod list;
mod write;

use self::drafts::*;
use self::entry::*;
use self::list::*;
use self::write::*;

/// For other areas: a past good moment, as Today shows it on a hard day.
pub(crate) use self::entry::MomentView;

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::clock::Day;
use trellis_core::clock::{day_of, iso_day, parse_iso_day};
use trellis_core::ids::RecordId;
use trellis_core::journal::{
    DraftForm, EntryInput, EntryKind, EntryProblem, JournalEntry, JournalError, JournalFilter,
    JournalPage, JournalPrefs, PastGoodMoment, MOODS,
};
use trellis_core::records::Item;

use crate::assets::Assets;
use crate::ctx::{Chrome, Me, Own};
use crate::error::ErrorPage;
use crate::form::{Form, FormFields, Query, QueryParams, Saved, Tick};
use serde::Deserialize;
use crate::registry::{Access, HomeCard, Routes, StaticFile, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("journal", routes)
    .in_tabs("Journal")
    .on_home(HomeCard {
        href: "/journal",
        name: "Journal",
        about: "Write freely, or use a gentle prompt. Only you can read it.",
        hideable: true,
    })
    .settings_at("/journal/settings", "Journal")
    .serving(&[StaticFile::script("journal.js", include_bytes!("../../../static/journal.js"))]);

fn routes() -> Routes {
    Routes::new()
        .get("/journal", Access::Unlocked, list)
        .post("/journal", Access::Unlocked, create)
        .get("/journal/new", Access::Unlocked, new_form)
        .post("/journal/draft", Access::Unlocked, save_draft)
        .post("/journal/draft/discard", Access::Unlocked, discard_draft)
        .get("/journal/settings", Access::Unlocked, settings)
        .post("/journal/settings", Access::Unlocked, save_settings)
        .get("/journal/{id}", Access::Unlocked, show)
        .post("/journal/{id}", Access::Unlocked, update)
        .get("/journal/{id}/edit", Access::Unlocked, edit_form)
        .get("/journal/{id}/delete", Access::Unlocked, delete_form)
        .post("/journal/{id}/delete", Access::Unlocked, delete)
}
