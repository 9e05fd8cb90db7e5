//! `GET /progress/wins`: small things done, things done well and good moments, in one gentle
//! page, newest first, never counted.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trellis_core::clock::Day;

use crate::ctx::{Chrome, Me};
use crate::error::ErrorPage;
use crate::form::Query;
use crate::AppState;

/// How many wins a page shows, about (a page ends at a day's end).
const PAGE: usize = 60;

/// The query: `before` (a day; earlier wins).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct WinsQuery {
    before: String,
}

/// One win, as shown.
pub struct WinRow {
    /// The day in words.
    pub day: String,
    /// Where it comes from.
    pub source: &'static str,
    /// The words.
    pub text: String,
    /// The journal entry to open, if any.
    pub href: Option<String>,
}

/// `GET /progress/wins`.
#[derive(Template)]
#[template(path = "progress/wins.html")]
pub struct WinsView {
    /// Chrome.
    pub chrome: Chrome,
    /// Newest first.
    pub wins: Vec<WinRow>,
    /// The address of earlier ones, when there are more.
    pub earlier: Option<String>,
    /// Whether this is a page further back.
    pub paged: bool,
}

crate::render::html_pages!(WinsView);

/// `GET /progress/wins`.
pub async fn wins(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<WinsQuery>,
) -> Result<Response, ErrorPage> {
    let before = Day::parse(&q.before);
    let mut wins = state
        .trellis
        .progress(&me.unlocked)
        .wins(before, PAGE + 1)
        .await?;
    // A page ends where a day ends, so "earlier" never splits one.
    let earlier = if wins.len() > PAGE {
        let last = wins[PAGE].day;
        let keep = wins.iter().take_while(|w| w.day > last).count();
        if keep > 0 {
            wins.truncate(keep);
        } else {
            wins.retain(|w| w.day == last);
        }
        wins.last().map(|w| format!("/progress/wins?before={}", w.day))
    } else {
        None
    };
    Ok(WinsView {
        chrome: me.ctx.chrome,
        wins: wins
            .into_iter()
            .map(|w| WinRow {
                day: w.day.words_with_year(),
                source: w.source,
                text: w.text,
                href: w.entry.map(|id| format!("/journal/{id}")),
            })
            .collect(),
        earlier,
        paged: before.is_some(),
    }
    .into_response())
}
