//! The trust ladder: the steps in order with their strength (words, a small drawing and a
//! table), a step's tries, recording a try, what helps, sharing, moving and deleting.

use axum::extract::Path;

use super::*;
use crate::handlers::{found, record_id};
use trellis_core::ids::RecordId;
use trellis_core::together::{
    rating, LadderStep, NewTry, SharedStep, NOTE_MAX_CHARS, STEP_MAX_CHARS, SUGGESTED_STEPS,
};

/// A step on the ladder page.
pub struct StepRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its strength in words.
    pub strength: &'static str,
    /// Its strength as the bar's width (0–100).
    pub percent: u8,
    /// How many tries.
    pub tries: usize,
    /// Shared with the partner.
    pub shared: bool,
    /// First or last (no "earlier" or "later" button then).
    pub first: bool,
    /// Last.
    pub last: bool,
}

/// `GET /together/ladder`.
#[derive(Template)]
#[template(path = "together/ladder.html")]
pub struct LadderView {
    chrome: Chrome,
    steps: Vec<StepRow>,
    suggestions: Vec<&'static str>,
    partner_steps: Vec<PartnerStep>,
    problem: Option<String>,
    typed: String,
}

/// A step the partner shares, read-only.
pub struct PartnerStep {
    /// What they share.
    pub step: SharedStep,
    /// When it was last shared ("29 November 2026").
    pub since: String,
}

/// A try as the step page shows it.
pub struct TryRow {
    /// "29 November 2026".
    pub on: String,
    /// "40" or "–".
    pub expected: String,
    /// At the hardest moment.
    pub peak: String,
    /// Afterwards.
    pub after: String,
    /// Their note.
    pub note: String,
    /// Stepped back.
    pub stepped_back: bool,
}

/// `GET /together/ladder/{id}`.
#[derive(Template)]
#[template(path = "together/step.html")]
pub struct StepView {
    chrome: Chrome,
    id: String,
    name: String,
    strength: &'static str,
    helps: String,
    shared: bool,
    linked: bool,
    tries: Vec<TryRow>,
    try_id: String,
    problem: Option<String>,
    saved: bool,
}

crate::render::html_pages!(LadderView, StepView);

fn percent(step: &LadderStep) -> u8 {
    // 0–100 by construction (strength is 0–1).
    (step.strength() * 100.0).round().clamp(0.0, 100.0) as u8
}

async fn ladder_page(state: &AppState, me: Me) -> Result<LadderView, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    let steps = together.ladder().await?;
    let shared = together.my_shares().await?;
    let count = steps.len();
    let suggestions = SUGGESTED_STEPS
        .iter()
        .copied()
        .filter(|s| !steps.iter().any(|t| t.value.name.eq_ignore_ascii_case(s)))
        .collect();
    Ok(LadderView {
        steps: steps
            .into_iter()
            .enumerate()
            .map(|(i, s)| StepRow {
                shared: shared.iter().any(|x| x.item == format!("ladder/{}", s.id)),
                id: s.id.to_string(),
                strength: s.value.strength_words(),
                percent: percent(&s.value),
                tries: s.value.tries.len(),
                name: s.value.name,
                first: i == 0,
                last: i + 1 == count,
            })
            .collect(),
        suggestions,
        partner_steps: together
            .partner_steps()
            .await?
            .into_iter()
            .map(|s| PartnerStep {
                since: Day::of_unix(s.shared_at).date_words(),
                step: s.value,
            })
            .collect(),
        problem: None,
        typed: String::new(),
        chrome: me.ctx.chrome,
    })
}

/// `GET /together/ladder`.
pub async fn show(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    Ok(ladder_page(&state, me).await?.into_response())
}

/// A new step's name.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NameFields {
    name: String,
}

/// `POST /together/ladder`: adds a step at the end.
pub async fn add(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<NameFields>,
) -> Result<Response, ErrorPage> {
    match state.trellis.together(&me.unlocked).add_step(&form.name).await? {
        Ok(_) => Ok(Redirect::to("/together/ladder").into_response()),
        Err(_) => {
            let mut page = ladder_page(&state, me).await?;
            page.problem = Some(format!(
                "Nothing was added yet. A step needs a name of up to {STEP_MAX_CHARS} characters."
            ));
            page.typed = form.name;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

async fn step_page(
    state: &AppState,
    me: Me,
    id: &RecordId,
) -> Result<StepView, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    let step = together.step(id).await?.ok_or_else(ErrorPage::not_found)?;
    let shown = |r: Option<u8>| r.map_or("–".to_owned(), |r| r.to_string());
    Ok(StepView {
        id: id.to_string(),
        strength: step.value.strength_words(),
        shared: together.shares(&format!("ladder/{id}")).await?,
        linked: together.signals().await?.linked,
        tries: step
            .value
            .tries
            .iter()
            .rev()
            .map(|t| TryRow {
                on: Day::of_unix(t.day).date_words(),
                expected: shown(t.expected),
                peak: shown(t.peak),
                after: shown(t.after),
                note: t.note.clone(),
                stepped_back: t.stepped_back,
            })
            .collect(),
        name: step.value.name,
        helps: step.value.helps,
        try_id: RecordId::generate().to_string(),
        problem: None,
        saved: false,
        chrome: me.ctx.chrome,
    })
}

/// `GET /together/ladder/{id}`.
pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
    query: QueryParams,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    let mut page = step_page(&state, me, &id).await?;
    page.saved = query.has("saved");
    Ok(page.into_response())
}

/// A try's form.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TryFields {
    try_id: String,
    expected: String,
    peak: String,
    after: String,
    note: String,
    stepped_back: Tick,
}

/// `POST /together/ladder/{id}/try`: records a try (a second submit of the same form records
/// nothing more).
pub async fn record_try(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
    Form(form): Form<TryFields>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    let try_id = RecordId::parse(&form.try_id).unwrap_or_else(RecordId::generate);
    let typed = NewTry {
        id: try_id.as_str(),
        expected: rating(&form.expected),
        peak: rating(&form.peak),
        after: rating(&form.after),
        note: &form.note,
        stepped_back: form.stepped_back.0,
    };
    match state.trellis.together(&me.unlocked).record_try(&id, &typed).await? {
        Ok(done) => {
            found(done)?;
            Ok(Redirect::to(&format!("/together/ladder/{id}?saved")).into_response())
        }
        Err(_) => {
            let mut page = step_page(&state, me, &id).await?;
            page.problem = Some(format!(
                "Nothing was saved yet. A note can be up to {NOTE_MAX_CHARS} characters. What you typed is still here."
            ));
            page.try_id = try_id.to_string();
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// What helps, and sharing.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct StepFields {
    helps: String,
    share: Tick,
}

/// `POST /together/ladder/{id}`: what helps, and sharing the step.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
    Form(form): Form<StepFields>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    let together = state.trellis.together(&me.unlocked);
    match together.update_step(&id, &form.helps, form.share.0).await? {
        Ok(done) => {
            found(done)?;
            Ok(Redirect::to(&format!("/together/ladder/{id}?saved")).into_response())
        }
        Err(_) => {
            let mut page = step_page(&state, me, &id).await?;
            page.helps = form.helps;
            page.problem = Some(format!(
                "Nothing was saved yet. What helps can be up to {NOTE_MAX_CHARS} characters. What you typed is still here."
            ));
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// Which way to move.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct MoveFields {
    to: String,
}

/// `POST /together/ladder/{id}/move`: `to=earlier` or `to=later`.
pub async fn move_step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
    Form(form): Form<MoveFields>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    let earlier = form.to == "earlier";
    found(state.trellis.together(&me.unlocked).move_step(&id, earlier).await?)?;
    Ok(Redirect::to("/together/ladder").into_response())
}

/// `POST /together/ladder/{id}/delete` (with the tick).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
    Form(form): Form<EndFields>,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    if !form.sure.0 {
        let mut page = step_page(&state, me, &id).await?;
        page.problem =
            Some("Nothing was deleted. To delete this step, please tick the box first.".to_owned());
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    found(state.trellis.together(&me.unlocked).delete_step(&id).await?)?;
    Ok(Redirect::to("/together/ladder").into_response())
}
