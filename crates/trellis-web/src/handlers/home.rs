//! The start page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::SetupState;

use crate::ctx::Ctx;
use crate::error::ErrorPage;
use crate::pages::{Area, HomeView};
use crate::AppState;

/// The areas that exist so far.
fn areas() -> Vec<Area> {
    vec![
        Area { href: "/help", name: "Help now", about: "People to call, text or chat with, any time." },
        Area { href: "/settings", name: "Settings", about: "Passphrase, auto-lock, name and devices." },
    ]
}

/// `GET /`: welcome, unlock or home.
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    if ctx.unlocked.is_some() {
        return Ok(HomeView { chrome: ctx.chrome, areas: areas() }.into_response());
    }
    Ok(match state.trellis.setup_state().await? {
        SetupState::NotSetUp => Redirect::to("/welcome").into_response(),
        SetupState::SetUp => Redirect::to("/unlock").into_response(),
    })
}
