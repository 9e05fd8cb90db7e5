//! Together (issue 9): linking two accounts with a one-time invitation (also creating the
//! partner's account with it, from the unlock page), the safety number, ending the link; the
//! pause signal and the pause (`pause`), the event stream that brings a partner's pause to an
//! open page (`events`), what is shared (`shares`), today's comfort (`comfort`), the
//! yes/no/maybe list (`list`), the trust ladder (`ladder`) and the guide for partners.

mod boundaries;
mod comfort;
mod events;
mod join;
mod ladder;
mod list;
mod pause;
mod shares;

use self::pause::{meanings, SignalView};

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trellis_core::clock::Day;
use trellis_core::ids::AccountId;
use trellis_core::together::{
    JoinError, TogetherProblem, CODE_WORDS, INVITATION_SECONDS, PAUSE_ITEM,
};
use trellis_core::{SetUp, UnlockError};

use crate::ctx::{Chrome, Ctx, Me};
use crate::error::ErrorPage;
use crate::form::{Form, QueryParams, Secret, Tick};
use crate::handlers::access::with_session;
use crate::registry::{Access, HomeCard, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("together", routes).on_home(HomeCard {
    href: "/together",
    name: "Together",
    about: "Link with a partner, at your pace: a pause signal, today's comfort, what you both want, and small steps back to closeness.",
    hideable: true,
});

fn routes() -> Routes {
    Routes::new()
        .get("/together", Access::Unlocked, show)
        .post("/together/invite", Access::Unlocked, invite)
        .post("/together/accept", Access::Unlocked, accept)
        .post("/together/end", Access::Unlocked, end)
        .get("/together/guide", Access::Public, guide)
        .get("/together/join", Access::Public, join::form)
        .post("/together/join", Access::Public, join::join)
        .post("/together/signal", Access::Unlocked, pause::save_signal)
        .get("/together/list", Access::Unlocked, list::show)
        .post("/together/list", Access::Unlocked, list::save)
        .get("/together/ladder", Access::Unlocked, ladder::show)
        .post("/together/ladder", Access::Unlocked, ladder::add)
        .get("/together/ladder/{id}", Access::Unlocked, ladder::step)
        .post("/together/ladder/{id}", Access::Unlocked, ladder::update)
        .post("/together/ladder/{id}/try", Access::Unlocked, ladder::record_try)
        .post("/together/ladder/{id}/move", Access::Unlocked, ladder::move_step)
        .post("/together/ladder/{id}/delete", Access::Unlocked, ladder::delete)
        .get("/together/boundaries", Access::Unlocked, boundaries::show)
        .post("/together/boundaries", Access::Unlocked, boundaries::save)
        .get("/together/comfort", Access::Unlocked, comfort::show)
        .post("/together/comfort", Access::Unlocked, comfort::save)
        .get("/together/paused", Access::Unlocked, pause::partner_card)
        .get("/together/shares", Access::Unlocked, shares::list)
        .post("/together/shares/stop", Access::Unlocked, shares::stop)
        .get("/pause", Access::Unlocked, pause::card)
        .post("/pause", Access::Unlocked, pause::start)
        .post("/pause/end", Access::Unlocked, pause::end)
        .get("/events", Access::Unlocked, events::stream)
}

/// The link, as the page shows it.
pub struct LinkView {
    /// "21 November 2026".
    pub since: String,
    /// The safety number's words, when both keys are kept.
    pub words: Vec<&'static str>,
    /// False when the key kept for this person is not theirs.
    pub own_key_kept_right: bool,
}

/// `GET /together`.
#[derive(Template)]
#[template(path = "together/index.html")]
pub struct TogetherView {
    chrome: Chrome,
    link: Option<LinkView>,
    /// The code as typed, given back with a problem.
    typed_code: String,
    problem: Option<String>,
    /// Which form the problem belongs to: `accept` or `end`.
    problem_at: &'static str,
    /// How many words a code has.
    code_words: usize,
    /// The pause signal's form.
    signal: SignalView,
    /// The meanings offered, as (key, label).
    meanings: Vec<(&'static str, &'static str)>,
    /// The pause signal the partner shares with this person, if they do.
    partner_signal: Option<PartnerSignalView>,
    /// A calm line after saving or ending a pause.
    note: &'static str,
    /// The partner's comfort today, when they share it.
    partner_comfort: Option<(Vec<comfort::PartnerKind>, String)>,
    /// The boundaries the partner shares.
    partner_boundaries: Vec<boundaries::PartnerBoundary>,
}

/// The pause signal a partner shares, read-only.
pub struct PartnerSignalView {
    /// What a pause means.
    pub meaning: &'static str,
    /// Their safe word ("" = none).
    pub safe_word: String,
    /// Their card's words.
    pub card: String,
    /// When they shared it ("29 November 2026").
    pub since: String,
}

/// The page that shows a new code, once.
#[derive(Template)]
#[template(path = "together/code.html")]
pub struct CodeView {
    chrome: Chrome,
    code: String,
    hours: i64,
}

crate::render::html_pages!(TogetherView, CodeView);

async fn view(
    state: &AppState,
    me: Me,
    typed_code: String,
    problem: Option<(TogetherProblem, &'static str)>,
) -> Result<TogetherView, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    let link = together.link().await?;
    let signal = SignalView::saved(
        together.pause_signal().await?,
        together.shares(PAUSE_ITEM).await?,
    );
    let partner_signal = together
        .partner_signal()
        .await?
        .map(|s| PartnerSignalView {
            meaning: s.value.meaning.label(),
            card: s.value.card().to_owned(),
            safe_word: s.value.safe_word,
            since: Day::of_unix(s.shared_at).date_words(),
        });
    let partner_comfort = comfort::partner_view(together.partner_comfort().await?, state.trellis.now());
    let partner_boundaries = boundaries::partner_view(state, &me.unlocked).await?;
    Ok(TogetherView {
        chrome: me.ctx.chrome,
        partner_comfort,
        partner_boundaries,
        link: link.map(|l| LinkView {
            since: Day::of_unix(l.since).date_words(),
            words: l.safety_number.map(Vec::from).unwrap_or_default(),
            own_key_kept_right: l.own_key_kept_right,
        }),
        typed_code,
        problem: problem.map(|(p, _)| p.to_string()),
        problem_at: problem.map_or("", |(_, at)| at),
        code_words: CODE_WORDS,
        signal,
        meanings: meanings(),
        partner_signal,
        note: "",
    })
}

/// `GET /together`: the link (with the safety number and a way to end it), or how to make
/// one.
pub async fn show(
    State(state): State<AppState>,
    me: Me,
    query: QueryParams,
) -> Result<Response, ErrorPage> {
    let mut page = view(&state, me, String::new(), None).await?;
    // Just made with a code whose maker linked with someone else (or left) meanwhile.
    if query.has("not-linked") && page.link.is_none() {
        page.problem = Some(NOT_LINKED.to_owned());
        page.problem_at = "accept";
    }
    if query.has("saved") {
        page.note = "Your pause signal is saved.";
    } else if query.has("ready") {
        page.note = "Your pause has ended. Take your time.";
    }
    Ok(page.into_response())
}

/// Said after an account was made with a code but could not be linked.
const NOT_LINKED: &str = "Your account is ready, but the link could not be made: the person who \
     invited you may have linked with someone else meanwhile. Please ask them for a new code \
     and enter it below.";

/// `POST /together/invite`: a new code, shown once.
pub async fn invite(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    match state.trellis.together(&me.unlocked).invite().await? {
        Ok(code) => Ok(CodeView {
            chrome: me.ctx.chrome,
            code: code.as_str().to_owned(),
            hours: INVITATION_SECONDS / 3600,
        }
        .into_response()),
        Err(problem) => {
            let page = view(&state, me, String::new(), Some((problem, "invite"))).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// The code someone was given.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CodeFields {
    code: String,
}

/// `POST /together/accept`: links with whoever made the code.
pub async fn accept(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<CodeFields>,
) -> Result<Response, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    match together.accept(&form.code, &me.ctx.requester).await? {
        Ok(_) => Ok(Redirect::to("/together#link").into_response()),
        Err(problem) => {
            let status = match problem {
                TogetherProblem::Wait(_) => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::BAD_REQUEST,
            };
            let page = view(&state, me, form.code, Some((problem, "accept"))).await?;
            Ok((status, page).into_response())
        }
    }
}

/// Ending the link: the tick that says so.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct EndFields {
    sure: Tick,
}

/// `POST /together/end`: ends the link on both sides (with the box ticked).
pub async fn end(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<EndFields>,
) -> Result<Response, ErrorPage> {
    if !form.sure.0 {
        let mut page = view(&state, me, String::new(), None).await?;
        page.problem = Some(
            "Nothing was changed. To end the link, please tick the box first.".to_owned(),
        );
        page.problem_at = "end";
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    state.trellis.together(&me.unlocked).end_link().await?;
    Ok(Redirect::to("/together").into_response())
}

/// `GET /together/guide`: for partners, in our own words, with sources.
#[derive(Template)]
#[template(path = "together/guide.html")]
pub struct GuideView {
    chrome: Chrome,
}

crate::render::html_pages!(GuideView);

/// `GET /together/guide`: readable locked or unlocked (a partner may read it before they have
/// an account).
pub async fn guide(ctx: Ctx) -> Response {
    GuideView { chrome: ctx.chrome }.into_response()
}
