//! Help now: public, no unlock needed.

use axum::extract::RawQuery;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trellis_core::helplines::HelpLines;

use crate::ctx::Ctx;
use crate::pages::HelpView;

/// Query of `GET /help`.
#[derive(Deserialize)]
pub struct HelpQuery {
    /// ISO country code.
    #[serde(default)]
    country: String,
}

/// `GET /help`: the chosen country, else a guess from the browser's language.
pub async fn help(ctx: Ctx, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let data = HelpLines::get();
    let chosen = query
        .and_then(|q| serde_urlencoded::from_str::<HelpQuery>(&q).ok())
        .and_then(|q| data.country(&q.country));
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
    HelpView {
        chrome: ctx.chrome,
        data,
        country,
        guessed,
    }
    .into_response()
}
