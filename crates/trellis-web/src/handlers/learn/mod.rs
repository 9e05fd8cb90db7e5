//! Learn: short articles in our own words, each with its sources (public: works locked and
//! offline, like Calm now). The pages' Markdown (`trellis_core::learn`) is made into HTML once,
//! at the first request, with an id on each section heading for the table of contents;
//! `static/learn.js` adds read-aloud and a print button.

mod render;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use trellis_core::learn::{self, Article, Audience};

use crate::assets::Assets;
use crate::ctx::{Chrome, Ctx};
use crate::error::ErrorPage;
use crate::registry::{Access, HomeCard, Offline, Routes, StaticFile, WebArea};

pub(crate) use self::render::{rendered, Rendered};

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("learn", routes)
    .on_home(HomeCard {
        href: "/learn",
        name: "Learn",
        about: "Short, gentle reads about trauma, healing and closeness, with their sources.",
        hideable: true,
    })
    .serving(&[StaticFile::script("learn.js", include_bytes!("../../../static/learn.js"))])
    .keeping(offline);

fn routes() -> Routes {
    Routes::new()
        .get("/learn", Access::Public, list)
        .get("/learn/{slug}", Access::Public, article)
}

/// Learn's pages kept for use offline: the list and every article.
fn offline() -> Offline {
    let mut urls = vec!["/learn".to_owned(), Assets::url("learn.js")];
    urls.extend(learn::articles().iter().map(|a| format!("/learn/{}", a.slug)));
    Offline {
        urls,
        sources: vec![
            include_str!("../../../templates/learn/index.html").to_owned(),
            include_str!("../../../templates/learn/article.html").to_owned(),
            format!("{:?}", learn::articles()),
        ],
    }
}

/// `GET /learn`.
#[derive(Template)]
#[template(path = "learn/index.html")]
pub struct ListView {
    /// Chrome.
    pub chrome: Chrome,
    /// For the person healing.
    pub yours: Vec<&'static Article>,
    /// For partners.
    pub partners: Vec<&'static Article>,
    /// The script's address.
    pub learn_js: String,
}

/// `GET /learn/{slug}`.
#[derive(Template)]
#[template(path = "learn/article.html")]
pub struct ArticleView {
    /// Chrome.
    pub chrome: Chrome,
    /// The article.
    pub article: &'static Article,
    /// Its HTML and contents.
    pub page: &'static Rendered,
    /// Where "back" goes, and its name.
    pub back: (&'static str, &'static str),
    /// The script's address.
    pub learn_js: String,
}

crate::render::html_pages!(ListView, ArticleView);

/// `GET /learn`: the articles, for the person healing and for partners.
pub async fn list(ctx: Ctx) -> Response {
    let articles = learn::articles();
    ListView {
        chrome: ctx.chrome,
        yours: articles.iter().filter(|a| a.audience != Audience::Partner).collect(),
        partners: articles.iter().filter(|a| a.audience == Audience::Partner).collect(),
        learn_js: Assets::url("learn.js"),
    }
    .into_response()
}

/// `GET /learn/{slug}`: one article (unknown → 404).
pub async fn article(ctx: Ctx, Path(slug): Path<String>) -> Result<Response, ErrorPage> {
    let article = learn::article(&slug).ok_or_else(ErrorPage::not_found)?;
    Ok(ArticleView {
        chrome: ctx.chrome,
        page: rendered(article),
        article,
        back: ("/learn", "Learn"),
        learn_js: Assets::url("learn.js"),
    }
    .into_response())
}
