//! Therapy: the guide (public, offline, pages drawn like Learn's), finding help per country,
//! and the person's session notes (unlocked, sealed). Thin handlers: parse, authorise (`Me`,
//! or `Own` for a note by id, which answers 404 for anything not this person's), call one use
//! case, render.

mod groups;
mod notes;

use self::groups::*;
use self::notes::*;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_core::learn::Article;
use trellis_core::therapy::{self, FindingHelp};

use crate::assets::Assets;
use crate::ctx::{Chrome, Ctx, Me, Own};
use crate::error::ErrorPage;
use crate::form::{Form, FormFields, Query};
use crate::handlers::learn::{rendered, ArticleView};
use crate::registry::{Access, HomeCard, Offline, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("therapy", routes)
    .on_home(HomeCard {
        href: "/therapy",
        name: "Therapy and groups",
        about: "What therapy and groups are like, finding one, and notes for your sessions.",
        hideable: true,
    })
    .keeping(offline);

fn routes() -> Routes {
    Routes::new()
        .get("/therapy", Access::Public, index)
        .get("/therapy/notes", Access::Unlocked, notes)
        .post("/therapy/notes", Access::Unlocked, add)
        .get("/therapy/notes/{id}", Access::Unlocked, edit)
        .post("/therapy/notes/{id}", Access::Unlocked, change)
        .get("/therapy/notes/{id}/delete", Access::Unlocked, ask_delete)
        .post("/therapy/notes/{id}/delete", Access::Unlocked, delete)
        .get("/therapy/groups", Access::Unlocked, visits)
        .post("/therapy/groups", Access::Unlocked, add_visit)
        .post("/therapy/groups/{id}/delete", Access::Unlocked, delete_visit)
        .get("/therapy/{slug}", Access::Public, guide)
}

/// The guide kept for use offline (never the notes).
fn offline() -> Offline {
    let mut urls = vec!["/therapy".to_owned(), Assets::url("learn.js")];
    urls.extend(therapy::guides().iter().map(|a| format!("/therapy/{}", a.slug)));
    Offline {
        urls,
        sources: vec![
            include_str!("../../../templates/therapy/index.html").to_owned(),
            include_str!("../../../templates/learn/article.html").to_owned(),
            format!("{:?}{:?}", therapy::guides(), FindingHelp::get()),
        ],
    }
}

/// `GET /therapy`.
#[derive(Template)]
#[template(path = "therapy/index.html")]
pub struct IndexView {
    /// Chrome.
    pub chrome: Chrome,
    /// The kinds of therapy.
    pub kinds: Vec<&'static Article>,
    /// Before and during therapy.
    pub starting: Vec<&'static Article>,
    /// Groups and recovery.
    pub more: Vec<&'static Article>,
    /// Where to find help, per country.
    pub finding: &'static FindingHelp,
}

crate::render::html_pages!(IndexView);

/// `GET /therapy`: the guide, finding help, and (unlocked) the notes.
pub async fn index(ctx: Ctx) -> Response {
    let guides = therapy::guides();
    let pick = |slugs: &[&str]| -> Vec<&'static Article> {
        slugs.iter().filter_map(|s| guides.iter().find(|a| a.slug == *s)).collect()
    };
    IndexView {
        chrome: ctx.chrome,
        kinds: pick(&["trauma-informed-therapy", "cpt", "pe", "emdr", "sex-therapy", "group-therapy"]),
        starting: pick(&["questions-to-ask"]),
        more: pick(&["support-groups", "recovery-and-trauma"]),
        finding: FindingHelp::get(),
    }
    .into_response()
}

/// `GET /therapy/{slug}`: one guide page (unknown → 404).
pub async fn guide(ctx: Ctx, Path(slug): Path<String>) -> Result<Response, ErrorPage> {
    let article = therapy::guide(&slug).ok_or_else(ErrorPage::not_found)?;
    Ok(ArticleView {
        chrome: ctx.chrome,
        page: rendered(article),
        article,
        back: ("/therapy", "Therapy and groups"),
        learn_js: Assets::url("learn.js"),
    }
    .into_response())
}

