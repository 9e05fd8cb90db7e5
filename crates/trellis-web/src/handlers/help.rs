//! Help now: public, no unlock needed.

use axum::extract::State;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use trellis_core::helplines::HelpLines;

use crate::ctx::Ctx;
use crate::form::Query;
use crate::pages::HelpView;
use crate::registry::{Access, HomeCard, Offline, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("help", routes)
    .on_home(HomeCard {
        href: "/help",
        name: "Help now",
        about: "People to call, text or chat with, any time.",
        hideable: true,
    })
    .keeping(offline);

fn routes() -> Routes {
    Routes::new().get("/help", Access::Public, help)
}

/// Help now, for every country, kept for use offline.
fn offline() -> Offline {
    let mut urls = vec!["/help".to_owned()];
    for c in &HelpLines::get().countries {
        urls.push(format!("/help?country={}", c.code));
    }
    Offline {
        urls,
        sources: [
            include_str!("../../templates/help.html"),
            include_str!("../../../../content/helplines.toml"),
        ]
        .into_iter()
        .map(str::to_owned)
        .collect(),
    }
}

/// Help now's query: `?country=GB`.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct HelpQuery {
    country: String,
}

/// `GET /help`: the chosen country, else a guess from the browser's language. When unlocked,
/// the person's trusted contacts come first.
pub async fn help(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(query): Query<HelpQuery>,
) -> Response {
    let data = HelpLines::get();
    let chosen = data.country(&query.country);
    let (country, guessed) = match chosen {
        Some(c) => (Some(c), false),
        None => {
            let lang = headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let g = data.guess(lang);
            (g, g.is_some())
        }
    };
    // --- Safety (issue 4): trusted contacts while unlocked ---
    let people = crate::handlers::safety::help_contacts(&state, ctx.unlocked.as_ref()).await;
    HelpView {
        chrome: ctx.chrome,
        data,
        country,
        guessed,
        people,
    }
    .into_response()
}
