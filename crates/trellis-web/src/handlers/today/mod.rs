//! Today: the check-in, tiny goals, recent days at a glance, and what the check-in follows.
//!
//! A check-in typed while the session locks itself is never lost ([`crate::handlers::keep`]):
//! its unlock page posts to `/today/checkin/unlock`, and the page's own auto-lock to
//! `/today/checkin/lock`.

// The parts share the imports below (`use super::*`).
mod actions;
mod helpers;
mod views;

use self::actions::*;
use self::helpers::*;
use self::views::*;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::clock::Day;
use trellis_core::ids::RecordId;
use trellis_core::records::Item;
use trellis_core::today::{
    self, local_today, read_checkin, read_follow_choice, read_goal_text, CheckIn, CheckInSaved,
    Draft, Followed, Goal, Problem, Question, TodayPrefs, GOAL_IDEAS, QUESTIONS,
};
use trellis_core::Unlocked;

use crate::ctx::{Chrome, Ctx, Me, Own};
use crate::error::ErrorPage;
use crate::form::{Form, FormFields, Query};
use serde::Deserialize;
use crate::handlers::keep::{keep_for_unlock, unlock_then, Kept};
use crate::registry::{Access, HomeCard, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("today", routes)
    .in_tabs("Today")
    .on_home(HomeCard {
        href: "/today",
        name: "Today",
        about: "A gentle check-in and small things to do today.",
        hideable: true,
    })
    .settings_at("/today/settings", "What the Today check-in asks about");

fn routes() -> Routes {
    Routes::new()
        .get("/today", Access::Unlocked, show)
        .post("/today/checkin", Access::Unlocked, save)
        .post("/today/checkin/unlock", Access::Public, unlock_and_save)
        .post("/today/checkin/lock", Access::Public, lock_and_keep)
        .get("/today/earlier", Access::Unlocked, earlier)
        .get("/today/settings", Access::Unlocked, settings_form)
        .post("/today/settings", Access::Unlocked, save_settings)
        .post("/today/goals", Access::Unlocked, add_goal)
        .post("/today/goals/{id}/done", Access::Unlocked, toggle_goal)
        .post("/today/goals/{id}/aside", Access::Unlocked, set_goal_aside)
        .post("/today/goals/{id}/delete", Access::Unlocked, delete_goal)
        .post("/today/{id}", Access::Unlocked, update)
        .get("/today/{id}/edit", Access::Unlocked, edit_form)
        .get("/today/{id}/delete", Access::Unlocked, delete_form)
        .post("/today/{id}/delete", Access::Unlocked, delete)
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------
