//! Hobbies: up to three, ten minutes at a time (stop whenever), a note of how it felt; and the
//! joy jar switch.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_core::clock::Day;
use trellis_core::progress::hobbies::{IDEAS, MAX_HOBBIES};
use trellis_core::today::local_today;

use super::record_id;
use crate::assets::Assets;
use crate::ctx::{Chrome, Me};
use crate::error::ErrorPage;
use crate::form::{Form, FormFields, Query};
use crate::AppState;

/// One hobby, as listed.
pub struct HobbyRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The latest note: day in words and how it felt.
    pub last: Option<(String, String)>,
}

/// `GET /progress/hobbies`.
#[derive(Template)]
#[template(path = "progress/hobbies.html")]
pub struct HobbiesView {
    /// Chrome.
    pub chrome: Chrome,
    /// The hobbies.
    pub hobbies: Vec<HobbyRow>,
    /// Ideas.
    pub ideas: &'static [&'static str],
    /// Whether another can be added.
    pub room: bool,
    /// The name as typed, when it needs a change.
    pub typed: String,
    /// A calm word.
    pub problem: Option<String>,
    /// Whether the joy jar is on.
    pub joy_jar: bool,
    /// What just happened.
    pub status: Option<&'static str>,
}

/// `GET /progress/hobbies/{id}`: ten minutes.
#[derive(Template)]
#[template(path = "progress/hobby.html")]
pub struct HobbyView {
    /// Chrome.
    pub chrome: Chrome,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The note as typed, when it needs a change.
    pub felt: String,
    /// A calm word.
    pub problem: Option<String>,
    /// The timer script (Calm now's).
    pub calm_js: String,
}

crate::render::html_pages!(HobbiesView, HobbyView);

/// The query of `GET /progress/hobbies`.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct HobbiesQuery {
    done: String,
}

async fn list(
    state: &AppState,
    me: Me,
    typed: String,
    problem: Option<String>,
    status: Option<&'static str>,
) -> Result<HobbiesView, ErrorPage> {
    let progress = state.trellis.progress(&me.unlocked);
    let hobbies = progress.hobbies().await?;
    Ok(HobbiesView {
        room: hobbies.len() < MAX_HOBBIES,
        hobbies: hobbies
            .into_iter()
            .map(|h| HobbyRow {
                id: h.id.to_string(),
                last: h.value.notes.last().map(|n| (n.day.words(), n.felt.clone())),
                name: h.value.name,
            })
            .collect(),
        ideas: &IDEAS,
        typed,
        problem,
        joy_jar: progress.prefs().await?.joy_jar,
        status,
        chrome: me.ctx.chrome,
    })
}

/// `GET /progress/hobbies`.
pub async fn hobbies(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<HobbiesQuery>,
) -> Result<Response, ErrorPage> {
    let status = match q.done.as_str() {
        "noted" => Some("Noted. Doing it was enough; the words are a bonus."),
        "deleted" => Some("Removed."),
        "joy" => Some("Saved."),
        _ => None,
    };
    Ok(list(&state, me, String::new(), None, status).await?.into_response())
}

/// `POST /progress/hobbies`: `name` (≤ 60; at most three) → 303 back.
pub async fn add(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let name = form.get("name");
    match state.trellis.progress(&me.unlocked).add_hobby(name).await? {
        Ok(_) => Ok(Redirect::to("/progress/hobbies").into_response()),
        Err(p) => {
            let view = list(&state, me, name.to_owned(), Some(p.to_string()), None).await?;
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `GET /progress/hobbies/{id}`.
pub async fn hobby(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    let h = state
        .trellis
        .progress(&me.unlocked)
        .hobby(&id)
        .await?
        .ok_or_else(ErrorPage::not_found)?;
    Ok(HobbyView {
        chrome: me.ctx.chrome,
        id: h.id.to_string(),
        name: h.value.name,
        felt: String::new(),
        problem: None,
        calm_js: Assets::url("calm.js"),
    }
    .into_response())
}

/// `POST /progress/hobbies/{id}/note`: `felt` (optional, ≤ 500), `day` → 303 back.
pub async fn note(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    let day: Day = local_today(state.trellis.now(), form.get("day"));
    let progress = state.trellis.progress(&me.unlocked);
    match progress.note_hobby(&id, day, form.get("felt")).await? {
        None => Err(ErrorPage::not_found()),
        Some(Ok(())) => Ok(Redirect::to("/progress/hobbies?done=noted").into_response()),
        Some(Err(p)) => {
            let name = progress
                .hobby(&id)
                .await?
                .map(|h| h.value.name)
                .unwrap_or_default();
            let view = HobbyView {
                chrome: me.ctx.chrome,
                id: id.to_string(),
                name,
                felt: form.get("felt").to_owned(),
                problem: Some(p.to_string()),
                calm_js: Assets::url("calm.js"),
            };
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `POST /progress/hobbies/{id}/delete` → 303 back.
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    super::super::found(state.trellis.progress(&me.unlocked).delete_hobby(&id).await?)?;
    Ok(Redirect::to("/progress/hobbies?done=deleted").into_response())
}

/// `POST /progress/hobbies/joy`: `joy_jar=on` turns the joy jar on; absent, off.
pub async fn joy(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    state
        .trellis
        .progress(&me.unlocked)
        .set_joy_jar(form.get("joy_jar") == "on")
        .await?;
    Ok(Redirect::to("/progress/hobbies?done=joy").into_response())
}
