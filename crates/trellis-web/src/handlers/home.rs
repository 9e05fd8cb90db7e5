//! The start page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_core::today::{local_today, word_of};
use trellis_core::{SessionProblem, SetupState, Unlocked};

use crate::ctx::{Ctx, Me};
use crate::error::ErrorPage;
use crate::form::Query;
use crate::pages::{Glance, HomeView, MoreView};
use crate::registry::{Access, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("home", routes);

fn routes() -> Routes {
    Routes::new()
        .get("/", Access::Unlocked, home)
        .get("/more", Access::Unlocked, more)
}

/// The query of `GET /`: `day`, the browser's own date (as on Today).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct HomeQuery {
    day: String,
}

/// Today at a glance, when the person keeps Today: whether they checked in (and how the day
/// felt), and the next small thing not yet done.
async fn glance(
    state: &AppState,
    me: &Unlocked,
    asked_day: &str,
    journal: bool,
) -> Result<Glance, ErrorPage> {
    let day = local_today(state.trellis.now(), asked_day);
    let today = state.trellis.today(me);
    let checkin = today.checkin_for_day(day).await?;
    let goals = today.goals().await?;
    let active: Vec<_> = goals.iter().filter(|g| g.value.active).collect();
    Ok(Glance {
        day: day.to_string(),
        checked_in: checkin.is_some(),
        mood: checkin.and_then(|c| word_of("mood", &c.value.value("mood"))),
        next_goal: active
            .iter()
            .find(|g| !g.value.done_on(day))
            .map(|g| g.value.text.clone()),
        goals_done: active.iter().filter(|g| g.value.done_on(day)).count(),
        goals: active.len(),
        qualities: journal && state.trellis.journal(me).offer_qualities(day).await?,
    })
}

/// `GET /more`: every area the person keeps, and Settings (the phone's "More" tab).
pub async fn more(me: Me) -> Result<Response, ErrorPage> {
    // What the tab bar does not already hold comes first.
    let mut areas: Vec<_> = crate::registry::visible(&me.ctx.profile).collect();
    areas.sort_by_key(|a| crate::registry::has_tab(a.key));
    Ok(MoreView {
        chrome: me.ctx.chrome,
        areas,
    }
    .into_response())
}

/// `GET /`: welcome, unlock or home.
pub async fn home(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HomeQuery>,
) -> Result<Response, ErrorPage> {
    if let Some(me) = &ctx.unlocked {
        let areas: Vec<_> = crate::registry::visible(&ctx.profile).collect();
        let glance = match areas.iter().any(|a| a.key == "today") {
            true => {
                let journal = areas.iter().any(|a| a.key == "journal");
                Some(glance(&state, me, &q.day, journal).await?)
            }
            false => None,
        };
        let calm = areas.iter().any(|a| a.key == "calm");
        return Ok(HomeView {
            chrome: ctx.chrome,
            areas,
            glance,
            calm,
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
