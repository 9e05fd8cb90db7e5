//! Support: the support network, "I was in touch today", and the opt-in nudge.
//! Thin handlers: parse, authorise (the `Me` extractor, then loading the record by id, which
//! answers 404 for anything not this person's), call one use case, render.

// The parts share the imports below (`use super::*`).
mod nudge;
mod people;
mod views;

use self::nudge::*;
use self::people::*;
use self::views::*;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::clock::{day_of, iso_day};
use trellis_core::support::{
    SupportKind, SupportPerson, SupportPrefs, SupportProblem, NUDGE_DEFAULT_DAYS, NUDGE_MAX_DAYS, NUDGE_MIN_DAYS,
    NUDGE_WORDS,
};

use super::record_id;
use crate::ctx::{Chrome, Me, Own};
use crate::error::ErrorPage;
use crate::form::{Form, Query, Saved, Tick};
use serde::Deserialize;
use trellis_core::clock::Day;
use crate::registry::{Access, HomeCard, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("support", routes)
    .on_home(HomeCard {
        href: "/support",
        name: "Support",
        about: "The people and services that support you.",
        hideable: true,
    })
    .settings_at("/support/settings", "A reminder to stay in touch");

fn routes() -> Routes {
    Routes::new()
        .get("/support", Access::Unlocked, overview)
        .post("/support/people", Access::Unlocked, add_person)
        .get("/support/people/{id}/edit", Access::Unlocked, edit_person)
        .post("/support/people/{id}", Access::Unlocked, change_person)
        .post(
            "/support/people/{id}/connected",
            Access::Unlocked,
            connected_today,
        )
        .post(
            "/support/people/{id}/delete",
            Access::Unlocked,
            delete_person,
        )
        .get("/support/settings", Access::Unlocked, settings)
        .post("/support/settings", Access::Unlocked, save_settings)
}
