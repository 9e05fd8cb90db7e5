//! The start page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::{SessionProblem, SetupState};

use crate::ctx::Ctx;
use crate::error::ErrorPage;
use crate::pages::HomeView;
use crate::registry::{Access, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("home", routes);

fn routes() -> Routes {
    Routes::new().get("/", Access::Unlocked, home)
}

/// `GET /`: welcome, unlock or home.
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    if ctx.unlocked.is_some() {
        let areas = crate::registry::visible(&ctx.profile.hidden_areas).collect();
        return Ok(HomeView {
            chrome: ctx.chrome,
            areas,
        }
        .into_response());
    }
    Ok(match state.trellis.setup_state().await? {
        SetupState::NotSetUp => Redirect::to("/welcome").into_response(),
        SetupState::SetUp if ctx.problem == Some(SessionProblem::Expired) => {
            Redirect::to("/unlock?quiet").into_response()
        }
        SetupState::SetUp => Redirect::to("/unlock").into_response(),
    })
}
