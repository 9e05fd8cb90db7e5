//! Recovery (off unless turned on in Settings): alcohol or drug use alongside trauma, noted
//! without judgement. Noting an urge leads straight to what can help now (a calm tool, a
//! person, a line for alcohol and drugs); how it went can be said later, or never. Thin
//! handlers: parse, authorise (`Me`, or `Own` for a record by id: 404 for anything not this
//! person's), call one use case, render.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_core::clock::Day;
use trellis_core::recovery::{read_urge, read_use, riding_out, Urge, UseNote};
use trellis_core::therapy::{FindingHelp, HelpCountry, Place};
use trellis_core::today::local_today;

use crate::ctx::{Chrome, Me, Own};
use crate::error::ErrorPage;
use crate::form::{Form, FormFields, Query};
use crate::registry::{Access, HomeCard, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("recovery", routes)
    .on_home(HomeCard {
        href: "/recovery",
        name: "Recovery",
        about: "For alcohol or drug use alongside trauma, without judgement.",
        hideable: true,
    })
    .off_by_default();

fn routes() -> Routes {
    Routes::new()
        .get("/recovery", Access::Unlocked, index)
        .post("/recovery/urges", Access::Unlocked, add_urge)
        .get("/recovery/urges/{id}", Access::Unlocked, urge)
        .post("/recovery/urges/{id}", Access::Unlocked, change_urge)
        .post("/recovery/urges/{id}/delete", Access::Unlocked, delete_urge)
        .post("/recovery/uses", Access::Unlocked, add_use)
        .get("/recovery/uses/{id}", Access::Unlocked, use_note)
        .post("/recovery/uses/{id}", Access::Unlocked, change_use)
        .post("/recovery/uses/{id}/delete", Access::Unlocked, delete_use)
}

/// A form's fields as typed, by name.
#[derive(Clone, Debug, Default)]
pub struct Typed(Vec<(String, String)>);

impl Typed {
    fn of(form: &FormFields, names: &[&str]) -> Self {
        Self(names.iter().map(|n| ((*n).to_owned(), form.get(n).to_owned())).collect())
    }

    /// The 0–10 choices of how strong.
    pub fn strengths(&self) -> Vec<String> {
        (0..=10).map(|n| n.to_string()).collect()
    }

    /// The value typed for `name` ("" when none).
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    fn urge(u: &Urge) -> Self {
        Self(vec![
            ("day".into(), u.day.to_string()),
            ("strength".into(), u.strength.map(|s| s.to_string()).unwrap_or_default()),
            ("what".into(), u.what.clone()),
            ("outcome".into(), u.outcome.map(|o| o.key().to_owned()).unwrap_or_default()),
        ])
    }

    fn use_note(n: &UseNote) -> Self {
        Self(vec![
            ("day".into(), n.day.to_string()),
            ("what".into(), n.what.clone()),
            ("amount".into(), n.amount.clone()),
            ("words".into(), n.words.clone()),
        ])
    }
}


/// Lines for alcohol and drugs, by country.
fn lines() -> Vec<(&'static HelpCountry, Vec<&'static Place>)> {
    FindingHelp::get().of_kind("substances")
}

/// `GET /recovery`.
#[derive(Template)]
#[template(path = "recovery/index.html")]
pub struct IndexView {
    /// Chrome.
    pub chrome: Chrome,
    /// Urges, newest first: id, day in words, the urge.
    pub urges: Vec<(String, String, Urge)>,
    /// Use notes, newest first: id, day in words, the note.
    pub uses: Vec<(String, String, UseNote)>,
    /// Riding urges out, in words (none before any outcome was said).
    pub riding: Option<&'static str>,
    /// The urge form as typed.
    pub urge_form: Typed,
    /// The use form as typed.
    pub use_form: Typed,
    /// Today (the latest day allowed).
    pub today: String,
    /// A calm word.
    pub message: Option<String>,
    /// Whether it is a problem (and which form: `urge` or `use`).
    pub problem_at: &'static str,
    /// Lines for alcohol and drugs.
    pub lines: Vec<(&'static HelpCountry, Vec<&'static Place>)>,
}

/// `GET /recovery/urges/{id}`: what can help now, and how it went.
#[derive(Template)]
#[template(path = "recovery/urge.html")]
pub struct UrgeView {
    /// Chrome.
    pub chrome: Chrome,
    /// Its id.
    pub id: String,
    /// The form as typed.
    pub form: Typed,
    /// Up to three people from the support network: name and a number to call, if any.
    pub people: Vec<(String, Option<String>)>,
    /// Lines for alcohol and drugs.
    pub lines: Vec<(&'static HelpCountry, Vec<&'static Place>)>,
    /// Today.
    pub today: String,
    /// What to change, in calm words.
    pub problem: Option<String>,
    /// Just noted (the page opened right after).
    pub fresh: bool,
}

/// `GET /recovery/uses/{id}`.
#[derive(Template)]
#[template(path = "recovery/use.html")]
pub struct UseView {
    /// Chrome.
    pub chrome: Chrome,
    /// Its id.
    pub id: String,
    /// The form as typed.
    pub form: Typed,
    /// Today.
    pub today: String,
    /// What to change.
    pub problem: Option<String>,
}

crate::render::html_pages!(IndexView, UrgeView, UseView);

/// `?day=` (the browser's date) and `?done=`.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RecoveryQuery {
    day: String,
    done: String,
}

async fn index_view(state: &AppState, me: Me, today: Day) -> Result<IndexView, ErrorPage> {
    let r = state.trellis.recovery(&me.unlocked);
    let urges = r.urges().await?;
    let riding = riding_out(&urges.iter().map(|u| u.value.clone()).collect::<Vec<_>>())
        .map(trellis_core::together::strength_words);
    let uses = r.uses().await?;
    Ok(IndexView {
        chrome: me.ctx.chrome,
        urges: urges.into_iter().map(|u| (u.id.to_string(), u.value.day.date_words(), u.value)).collect(),
        uses: uses.into_iter().map(|u| (u.id.to_string(), u.value.day.date_words(), u.value)).collect(),
        riding,
        urge_form: Typed::default(),
        use_form: Typed::default(),
        today: today.to_string(),
        message: None,
        problem_at: "",
        lines: lines(),
    })
}

/// `GET /recovery`.
pub async fn index(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<RecoveryQuery>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), &q.day);
    let mut view = index_view(&state, me, today).await?;
    view.message = match q.done.as_str() {
        "saved" => Some("Saved.".to_owned()),
        "deleted" => Some("Deleted.".to_owned()),
        _ => None,
    };
    Ok(view.into_response())
}

async fn urge_view(state: &AppState, me: Me, id: String, form: Typed) -> Result<UrgeView, ErrorPage> {
    let people = state
        .trellis
        .support(&me.unlocked)
        .people()
        .await?
        .into_iter()
        .take(3)
        .map(|p| (p.value.name.clone(), trellis_core::safety::dial_digits(&p.value.reach)))
        .collect();
    Ok(UrgeView {
        chrome: me.ctx.chrome,
        id,
        form,
        people,
        lines: lines(),
        today: Day::of_unix(state.trellis.now()).to_string(),
        problem: None,
        fresh: false,
    })
}

/// `POST /recovery/urges`: notes an urge → 303 to what can help now; a problem → 400.
pub async fn add_urge(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today"));
    match read_urge(|f| form.get(f).to_owned(), today) {
        Ok(u) => {
            let id = state.trellis.recovery(&me.unlocked).add_urge(&u).await?;
            Ok(Redirect::to(&format!("/recovery/urges/{id}?done=noted")).into_response())
        }
        Err(p) => {
            let mut view = index_view(&state, me, today).await?;
            view.urge_form = Typed::of(&form, &["day", "strength", "what"]);
            view.message = Some(p.to_string());
            view.problem_at = "urge";
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `GET /recovery/urges/{id}`.
pub async fn urge(
    State(state): State<AppState>,
    Own { me, item }: Own<Urge>,
    Query(q): Query<RecoveryQuery>,
) -> Result<Response, ErrorPage> {
    let mut view = urge_view(&state, me, item.id.to_string(), Typed::urge(&item.value)).await?;
    view.fresh = q.done == "noted";
    Ok(view.into_response())
}

/// `POST /recovery/urges/{id}`: how it went, or a change → 303; a problem → 400.
pub async fn change_urge(
    State(state): State<AppState>,
    Own { me, item }: Own<Urge>,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today")).max(item.value.day);
    match read_urge(|f| form.get(f).to_owned(), today) {
        Ok(u) => {
            crate::handlers::found(state.trellis.recovery(&me.unlocked).change_urge(&item.id, &u).await?)?;
            Ok(Redirect::to("/recovery?done=saved").into_response())
        }
        Err(p) => {
            let typed = Typed::of(&form, &["day", "strength", "what", "outcome"]);
            let mut view = urge_view(&state, me, item.id.to_string(), typed).await?;
            view.problem = Some(p.to_string());
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `POST /recovery/urges/{id}/delete` → 303.
pub async fn delete_urge(State(state): State<AppState>, Own { me, item }: Own<Urge>) -> Result<Response, ErrorPage> {
    crate::handlers::found(state.trellis.recovery(&me.unlocked).delete_urge(&item.id).await?)?;
    Ok(Redirect::to("/recovery?done=deleted").into_response())
}

/// `POST /recovery/uses`: notes use → 303; a problem → 400 with every word kept.
pub async fn add_use(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today"));
    match read_use(|f| form.get(f).to_owned(), today) {
        Ok(n) => {
            state.trellis.recovery(&me.unlocked).add_use(&n).await?;
            Ok(Redirect::to("/recovery?done=saved").into_response())
        }
        Err(p) => {
            let mut view = index_view(&state, me, today).await?;
            view.use_form = Typed::of(&form, &["day", "what", "amount", "words"]);
            view.message = Some(p.to_string());
            view.problem_at = "use";
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `GET /recovery/uses/{id}`.
pub async fn use_note(State(state): State<AppState>, Own { me, item }: Own<UseNote>) -> Response {
    UseView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        form: Typed::use_note(&item.value),
        today: Day::of_unix(state.trellis.now()).to_string(),
        problem: None,
    }
    .into_response()
}

/// `POST /recovery/uses/{id}` → 303; a problem → 400 with every word kept.
pub async fn change_use(
    State(state): State<AppState>,
    Own { me, item }: Own<UseNote>,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today")).max(item.value.day);
    match read_use(|f| form.get(f).to_owned(), today) {
        Ok(n) => {
            crate::handlers::found(state.trellis.recovery(&me.unlocked).change_use(&item.id, &n).await?)?;
            Ok(Redirect::to("/recovery?done=saved").into_response())
        }
        Err(p) => Ok((
            StatusCode::BAD_REQUEST,
            UseView {
                chrome: me.ctx.chrome,
                id: item.id.to_string(),
                form: Typed::of(&form, &["day", "what", "amount", "words"]),
                today: today.to_string(),
                problem: Some(p.to_string()),
            },
        )
            .into_response()),
    }
}

/// `POST /recovery/uses/{id}/delete` → 303.
pub async fn delete_use(State(state): State<AppState>, Own { me, item }: Own<UseNote>) -> Result<Response, ErrorPage> {
    crate::handlers::found(state.trellis.recovery(&me.unlocked).delete_use(&item.id).await?)?;
    Ok(Redirect::to("/recovery?done=deleted").into_response())
}
