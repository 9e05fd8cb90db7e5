//! Calm now: the calm tools (public: no unlock, nothing saved when locked), the optional
//! distress ratings and "what helped" (unlocked only), and the service worker that keeps the
//! public calm pages and Help now available offline.
//!
//! Every tool works without JavaScript as step-by-step pages: `GET /calm/{tool}` is the
//! introduction, `?step=N` a step, `?step=end` the end; `&short=1` is the shorter version.
//! `static/calm.js` adds timers, the breathing animation and read-aloud.

// The parts share the imports below (`use super::*`).
mod actions;
mod offline;
#[cfg(test)]
mod tests;
mod views;
mod words;

use self::actions::*;
use self::offline::*;
use self::views::*;
use self::words::*;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::calm::{self, parse_rating, Helped, Moment, Phase, Rhythm, Step, Tool};
use trellis_core::ids::RecordId;

use crate::assets::Assets;
use crate::ctx::{Chrome, Ctx, Me};
use crate::error::ErrorPage;
use crate::form::{Form, QueryParams, Tick};
use serde::Deserialize;
use crate::registry::{Access, HomeCard, Offline, Routes, StaticFile, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("calm", routes)
    .in_tabs("Calm")
    .on_home(HomeCard {
        href: "/calm",
        name: "Calm now",
        about: "Grounding, breathing and gentle movement, whenever you need them.",
        hideable: true,
    })
    .serving(&[StaticFile::script("calm.js", include_bytes!("../../../static/calm.js"))])
    .keeping(offline);

fn routes() -> Routes {
    Routes::new()
        .get("/calm", Access::Public, list)
        .get("/calm/helped", Access::Unlocked, helped)
        .post("/calm/helped/forget", Access::Unlocked, forget)
        .get("/calm/{tool}", Access::Public, tool)
        .post("/calm/{tool}/rating", Access::Unlocked, rate)
}
