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
    PlanError, SafetyProblem, StartingGroup, TrustedContact, PLAN_PARTS,
};
use trellis_core::Unlocked;

use crate::ctx::{Me, Own};
use crate::error::ErrorPage;
use crate::form::{Form, FormFields, Query, Saved};
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
        .post("/safety/plan", Access::Unlocked, save_plan)
        .get("/safety/plan/edit", Access::Unlocked, plan_edit)
        .get("/safety/plan/print", Access::Unlocked, plan_print)
        .get("/safety/contacts", Access::Unlocked, contacts)
        .post("/safety/contacts", Access::Unlocked, add_contact)
        .get("/safety/contacts/{id}/edit", Access::Unlocked, edit_contact)
        .post("/safety/contacts/{id}", Access::Unlocked, change_contact)
        .post(
            "/safety/contacts/{id}/delete",
            Access::Unlocked,
            delete_contact,
        )
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
