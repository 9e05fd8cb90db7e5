//! Safety: boundaries, the safety plan (with a print view) and trusted contacts.
//! Thin handlers: parse, authorise (the `Me` extractor, then loading the record by id, which
//! answers 404 for anything not this person's), call one use case, render.

// The parts share the imports below (`use super::*`).
mod boundaries;
mod contacts;
mod plan;

use self::boundaries::*;
use self::contacts::*;
use self::plan::*;

/// For Help now: the person's trusted contacts, when unlocked.
pub(crate) use self::plan::help_contacts;

pub mod views;

use axum::extract::{Path, State};
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::helplines::HelpLines;
use trellis_core::records::Item;
use trellis_core::safety::{
    group_boundaries, own_group_names, Boundary, BoundaryDraft, BoundaryState, Group, SafetyPlan,
    SafetyProblem, StartingGroup, StepUpError, TrustedContact, PLAN_PARTS,
};
use trellis_core::{UnlockError, Unlocked};

use crate::ctx::{Me, Own};
use crate::error::ErrorPage;
use crate::form::{Confirm, Form, FormFields, Query, Saved, Secret};
use serde::Deserialize;
use trellis_core::clock::Day;
use crate::registry::{Access, HomeCard, Routes, WebArea};
use crate::AppState;

use views::{
    BoundariesView, BoundaryDeleteView, BoundaryForm, BoundaryRow, BoundaryView, ContactEditView,
    ContactForm, ContactRow, ContactsView, CountryOption, GroupOption, GroupSection, PartView,
    PlanEditView, PlanPrintView, PlanView, SafetyIndexView, StateOption, VersionRow,
};

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("safety", routes)
    .on_home(HomeCard {
        href: "/safety",
        name: "Safety",
        about: "Your boundaries, your safety plan and the people you trust.",
        hideable: true,
    });

fn routes() -> Routes {
    Routes::new()
        .get("/safety", Access::Unlocked, overview)
        .get("/safety/boundaries", Access::Unlocked, boundaries)
        .post("/safety/boundaries", Access::Unlocked, add_boundary)
        .get("/safety/boundaries/{id}", Access::Unlocked, boundary)
        .post("/safety/boundaries/{id}", Access::Unlocked, change_boundary)
        .get(
            "/safety/boundaries/{id}/delete",
            Access::Unlocked,
            delete_boundary_form,
        )
        .post(
            "/safety/boundaries/{id}/delete",
            Access::Unlocked,
            delete_boundary,
        )
        .get("/safety/plan", Access::Unlocked, plan)
        .post("/safety/plan", Access::StepUp, save_plan)
        .get("/safety/plan/edit", Access::Unlocked, plan_edit)
        .get("/safety/plan/print", Access::Unlocked, plan_print)
        .get("/safety/contacts", Access::Unlocked, contacts)
        .post("/safety/contacts", Access::StepUp, add_contact)
        .get("/safety/contacts/{id}/edit", Access::Unlocked, edit_contact)
        .post("/safety/contacts/{id}", Access::StepUp, change_contact)
        .post(
            "/safety/contacts/{id}/delete",
            Access::StepUp,
            delete_contact,
        )
}

/// Calm words for a failed step-up, or the error page when it was not the person's doing.
fn step_up_problem(e: StepUpError) -> Result<String, ErrorPage> {
    Ok(match e {
        StepUpError::Invalid(p) => p.to_string(),
        StepUpError::Unlock(UnlockError::Wrong) => {
            "That passphrase didn't match, so nothing was saved yet. Everything else you typed is still here: please type your passphrase again.".to_owned()
        }
        StepUpError::Unlock(UnlockError::Wait(s)) => format!(
            "There have been several passphrase tries in a row. Please wait {s} seconds, then try again. Everything you typed is still here."
        ),
        StepUpError::Unlock(other) => return Err(other.into()),
    })
}

fn bad(view: impl IntoResponse) -> Response {
    (StatusCode::BAD_REQUEST, view).into_response()
}

/// `GET /safety`.
pub async fn overview(me: Me) -> Response {
    SafetyIndexView {
        chrome: me.ctx.chrome,
    }
    .into_response()
}

// ------------------------------------------------------------------------------------------
// Boundaries
// ------------------------------------------------------------------------------------------
