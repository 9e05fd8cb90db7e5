//! Progress: the person's own path, without streaks or grades. Today: the PCL-5 self-check,
//! offered at most monthly, always skippable, with a note before it and help lines beside every
//! result. Thin handlers: parse, authorise (`Me`; a result is loaded by id, so another person's
//! id is a 404), call one use case, render.

mod hobbies;
mod summary;
mod trends;
mod wins;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_core::clock::Day;
use trellis_core::progress::pcl5::{change_words, offered, CLUSTERS};
use trellis_core::progress::{Pcl5, Timeframe, ITEMS, RESPONSES};
use trellis_core::Unlocked;

use super::record_id;
use crate::ctx::{Chrome, Ctx, Me};
use crate::handlers::keep::{keep_for_unlock, unlock_then, Kept};
use crate::error::ErrorPage;
use crate::form::{Form, FormFields, Query};
use crate::registry::{Access, HomeCard, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("progress", routes).on_home(HomeCard {
    href: "/progress",
    name: "Progress",
    about: "Your own path, at your pace: a self-check now and then. No streaks, no grades.",
    hideable: true,
});

fn routes() -> Routes {
    Routes::new()
        .get("/progress", Access::Unlocked, overview)
        .get("/progress/trends", Access::Unlocked, trends::trends)
        .get("/progress/wins", Access::Unlocked, wins::wins)
        .get("/progress/hobbies", Access::Unlocked, hobbies::hobbies)
        .post("/progress/hobbies", Access::Unlocked, hobbies::add)
        .post("/progress/hobbies/joy", Access::Unlocked, hobbies::joy)
        .get("/progress/hobbies/{id}", Access::Unlocked, hobbies::hobby)
        .post("/progress/hobbies/{id}/note", Access::Unlocked, hobbies::note)
        .post("/progress/hobbies/{id}/delete", Access::Unlocked, hobbies::delete)
        .get("/progress/summary", Access::Unlocked, summary::choose)
        .post("/progress/summary", Access::Unlocked, summary::show)
        .get("/progress/pcl5", Access::Unlocked, intro)
        .get("/progress/pcl5/start", Access::Unlocked, start)
        .post("/progress/pcl5", Access::Unlocked, save)
        .post("/progress/pcl5/unlock", Access::Public, unlock_and_save)
        .post("/progress/pcl5/lock", Access::Public, lock_and_keep)
        .get("/progress/pcl5/{id}", Access::Unlocked, result)
        .post("/progress/pcl5/{id}/delete", Access::Unlocked, delete)
}

/// One kept result, as listed.
pub struct ResultRow {
    /// Its id.
    pub id: String,
    /// "21 November 2026".
    pub day: String,
    /// "past month" or "past week".
    pub timeframe: &'static str,
    /// 0–80.
    pub total: u8,
}

fn timeframe_words(t: Timeframe) -> &'static str {
    match t {
        Timeframe::Month => "past month",
        Timeframe::Week => "past week",
    }
}

/// `GET /progress`.
#[derive(Template)]
#[template(path = "progress/index.html")]
pub struct ProgressView {
    /// Chrome.
    pub chrome: Chrome,
    /// Kept results, newest first.
    pub results: Vec<ResultRow>,
    /// Whether the monthly self-check is offered now.
    pub offered: bool,
    /// When it is offered again, when it is not now.
    pub next: Option<String>,
    /// A result was just deleted.
    pub deleted: bool,
}

/// The query of `GET /progress`.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ProgressQuery {
    deleted: String,
}

/// `GET /progress`: the self-check when it is due, and past results.
pub async fn overview(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<ProgressQuery>,
) -> Result<Response, ErrorPage> {
    let kept = state.trellis.progress(&me.unlocked).pcl5_results().await?;
    let last_month = kept
        .iter()
        .find(|r| r.value.timeframe == Timeframe::Month)
        .map(|r| r.value.taken);
    let now = state.trellis.now();
    let is_offered = offered(last_month, Timeframe::Month, now);
    Ok(ProgressView {
        chrome: me.ctx.chrome,
        next: last_month.filter(|_| !is_offered).map(|t| {
            Day::of_unix(t + Timeframe::Month.offered_every_days() * 86_400).date_words()
        }),
        offered: is_offered,
        results: kept
            .iter()
            .map(|r| ResultRow {
                id: r.id.to_string(),
                day: Day::of_unix(r.value.taken).date_words(),
                timeframe: timeframe_words(r.value.timeframe),
                total: r.value.scores().total,
            })
            .collect(),
        deleted: !q.deleted.is_empty(),
    }
    .into_response())
}

/// `GET /progress/pcl5`: what it is, the note before it, and the choices (preview, skip, a
/// calm tool first, or start).
#[derive(Template)]
#[template(path = "progress/pcl5_intro.html")]
pub struct IntroView {
    /// Chrome.
    pub chrome: Chrome,
    /// Show every question first, without answering.
    pub preview: bool,
    /// The items.
    pub items: &'static [&'static str],
}

/// The query of `GET /progress/pcl5`.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct IntroQuery {
    preview: String,
}

/// `GET /progress/pcl5`.
pub async fn intro(me: Me, Query(q): Query<IntroQuery>) -> Result<Response, ErrorPage> {
    Ok(IntroView {
        chrome: me.ctx.chrome,
        preview: !q.preview.is_empty(),
        items: &ITEMS,
    }
    .into_response())
}

/// The questions, answered so far.
#[derive(Template)]
#[template(path = "progress/pcl5_form.html")]
pub struct FormView {
    /// Chrome.
    pub chrome: Chrome,
    /// Past month or week.
    pub timeframe: Timeframe,
    /// The items with what was chosen ("" for none yet), in order.
    pub rows: Vec<(usize, &'static str, String)>,
    /// The answers' labels.
    pub responses: &'static [&'static str],
    /// What needs answering, in calm words.
    pub problem: Option<String>,
    /// This form's own token: sent twice, it keeps one result.
    pub attempt: String,
}

/// The query of `GET /progress/pcl5/start`.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct StartQuery {
    timeframe: String,
}

fn form_view(chrome: Chrome, timeframe: Timeframe, answer: impl Fn(usize) -> String) -> FormView {
    FormView {
        chrome,
        timeframe,
        rows: ITEMS
            .iter()
            .enumerate()
            .map(|(i, item)| (i + 1, *item, answer(i + 1)))
            .collect(),
        responses: &RESPONSES,
        problem: None,
        attempt: trellis_core::ids::RecordId::generate().to_string(),
    }
}

/// `GET /progress/pcl5/start`: the 20 questions (`?timeframe=week` for the past-week version).
pub async fn start(me: Me, Query(q): Query<StartQuery>) -> Result<Response, ErrorPage> {
    let timeframe = Timeframe::from_key(&q.timeframe).unwrap_or_default();
    Ok(form_view(me.ctx.chrome, timeframe, |_| String::new()).into_response())
}

/// The answers as typed, carried by an unlock page (`None` when nothing was answered).
fn kept_answers(form: &FormFields) -> Option<Kept> {
    let mut carried: Vec<(String, String)> = (1..=ITEMS.len())
        .map(|n| format!("a{n}"))
        .filter_map(|name| {
            let v = form.get(&name);
            (!v.is_empty()).then(|| (name.clone(), v.to_owned()))
        })
        .collect();
    if carried.is_empty() {
        return None;
    }
    for name in ["timeframe", "attempt"] {
        carried.push((name.to_owned(), form.get(name).to_owned()));
    }
    Some(Kept {
        what: "your answers",
        unlock_action: "/progress/pcl5/unlock",
        carried,
    })
}

/// Keeps a completed check for an unlocked person and shows its result; anything missing or
/// out of range is the form again (400) with every answer kept.
async fn save_answers(
    state: &AppState,
    chrome: Chrome,
    unlocked: &Unlocked,
    form: &FormFields,
) -> Result<Response, ErrorPage> {
    let answer = |n: usize| form.get(&format!("a{n}"));
    match Pcl5::read(form.get("timeframe"), answer) {
        Ok(check) => {
            let id = state
                .trellis
                .progress(unlocked)
                .save_pcl5(check, form.get("attempt"))
                .await?;
            Ok(Redirect::to(&format!("/progress/pcl5/{id}")).into_response())
        }
        Err(problem) => {
            let timeframe = Timeframe::from_key(form.get("timeframe")).unwrap_or_default();
            let mut view = form_view(chrome, timeframe, |n| answer(n).to_owned());
            view.attempt = form.get("attempt").to_owned();
            view.problem = Some(problem.to_string());
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `POST /progress/pcl5`: keeps a completed check (fields `timeframe`, `a1`…`a20`, 0–4,
/// `attempt`). Sent after the session locked, the answers wait on an unlock page.
pub async fn save(
    State(state): State<AppState>,
    mut ctx: Ctx,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    match ctx.unlocked.take() {
        Some(unlocked) => save_answers(&state, ctx.chrome, &unlocked, &form).await,
        None => keep_for_unlock(&state, ctx, kept_answers(&form)).await,
    }
}

/// `POST /progress/pcl5/unlock`: unlocks, then keeps the carried answers.
pub async fn unlock_and_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let Some(kept) = kept_answers(&form) else {
        return Ok(Redirect::to("/unlock").into_response());
    };
    unlock_then(&state, ctx, &form, kept, async |chrome, unlocked: &Unlocked| {
        save_answers(&state, chrome, unlocked, &form).await
    })
    .await
}

/// `POST /progress/pcl5/lock`: the page's auto-lock sends the answers here instead of
/// dropping them: the session ends, and they wait on an unlock page.
pub async fn lock_and_keep(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    crate::handlers::keep::lock_and_keep(&state, ctx, kept_answers(&form)).await
}

/// One result.
#[derive(Template)]
#[template(path = "progress/pcl5_result.html")]
pub struct ResultView {
    /// Chrome.
    pub chrome: Chrome,
    /// Its id.
    pub id: String,
    /// The day it was taken, in words.
    pub day: String,
    /// "past month" or "past week".
    pub timeframe: &'static str,
    /// 0–80.
    pub total: u8,
    /// Each cluster: its name, sum and most possible.
    pub clusters: Vec<(&'static str, u8, usize)>,
    /// What changed since the one before, in words.
    pub change: Option<String>,
}

/// `GET /progress/pcl5/{id}`: the total, the four groups, the change since last time, and help
/// lines; never a diagnosis.
pub async fn result(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    let (this, before) = state
        .trellis
        .progress(&me.unlocked)
        .pcl5_with_previous(&id)
        .await?
        .ok_or_else(ErrorPage::not_found)?;
    let scores = this.value.scores();
    Ok(ResultView {
        chrome: me.ctx.chrome,
        id: this.id.to_string(),
        day: Day::of_unix(this.value.taken).date_words(),
        timeframe: timeframe_words(this.value.timeframe),
        total: scores.total,
        clusters: CLUSTERS
            .iter()
            .zip(scores.clusters)
            .map(|((_, name, items), sum)| (*name, sum, items.clone().count() * 4))
            .collect(),
        change: before.map(|b| change_words(b.value.scores().total, scores.total)),
    }
    .into_response())
}

/// `POST /progress/pcl5/{id}/delete`: deletes one kept result → 303 `/progress?deleted=1`.
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    super::found(state.trellis.progress(&me.unlocked).delete_pcl5(&id).await?)?;
    Ok(Redirect::to("/progress?deleted=1").into_response())
}

crate::render::html_pages!(ProgressView, IntroView, FormView, ResultView);
