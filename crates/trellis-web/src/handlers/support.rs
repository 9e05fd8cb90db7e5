//! Support: the support network, "I was in touch today", and the opt-in nudge.
//! Thin handlers: parse, authorise (the `Me` extractor, then loading the record by id, which
//! answers 404 for anything not this person's), call one use case, render.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::clock::{day_of, iso_day};
use trellis_core::support::{
    SupportKind, SupportPerson, SupportPrefs, NUDGE_DEFAULT_DAYS, NUDGE_MAX_DAYS, NUDGE_MIN_DAYS,
    NUDGE_WORDS,
};

use super::record_id;
use crate::ctx::{Chrome, Me, Own};
use crate::error::ErrorPage;
use crate::form::{FormFields, QueryParams};
use crate::pages::day_words;
use crate::registry::{Access, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("support", routes);

fn routes() -> Routes {
    Routes::new()
        .get("/support", Access::Unlocked, overview)
        .post("/support/people", Access::Unlocked, add_person)
        .get("/support/people/{id}/edit", Access::Unlocked, edit_person)
        .post("/support/people/{id}", Access::Unlocked, change_person)
        .post(
            "/support/people/{id}/connected",
            Access::Unlocked,
            connected_today,
        )
        .post(
            "/support/people/{id}/delete",
            Access::Unlocked,
            delete_person,
        )
        .get("/support/settings", Access::Unlocked, settings)
        .post("/support/settings", Access::Unlocked, save_settings)
}

/// A kind in the kind list of a form.
pub struct KindOption {
    /// Form value.
    pub key: &'static str,
    /// Name.
    pub name: &'static str,
    /// Whether chosen.
    pub selected: bool,
}

/// The person form, as typed or stored.
pub struct PersonForm {
    /// Kind choices.
    pub kinds: Vec<KindOption>,
    /// Name.
    pub name: String,
    /// How to reach them.
    pub reach: String,
    /// Last in touch, `YYYY-MM-DD` or "".
    pub last_connected: String,
    /// Note.
    pub note: String,
    /// Today, `YYYY-MM-DD` (the date field's upper bound).
    pub today: String,
}

/// Someone as listed.
pub struct PersonRow {
    /// Record id.
    pub id: String,
    /// Name (or how to reach them when there is no name).
    pub label: String,
    /// How to reach them.
    pub reach: String,
    /// Digits to call or text, when "how to reach" is a plain number.
    pub dial: Option<String>,
    /// Last in touch, in words ("" when not noted).
    pub last: String,
    /// Whether that was today.
    pub today: bool,
    /// Note.
    pub note: String,
}

/// People of one kind.
pub struct KindSection {
    /// Heading.
    pub name: &'static str,
    /// Element id.
    pub anchor: &'static str,
    /// The people.
    pub people: Vec<PersonRow>,
}

/// The support network.
#[derive(Template)]
#[template(path = "support/index.html")]
pub struct SupportView {
    /// Chrome.
    pub chrome: Chrome,
    /// Kinds that have someone, in order.
    pub sections: Vec<KindSection>,
    /// The gentle nudge, when due.
    pub nudge: Option<&'static str>,
    /// Whether the nudge is turned on.
    pub nudge_on: bool,
    /// The add form.
    pub form: PersonForm,
    /// A calm message about the add form.
    pub problem: Option<String>,
}

/// Changing or removing someone.
#[derive(Template)]
#[template(path = "support/person_edit.html")]
pub struct PersonEditView {
    /// Chrome.
    pub chrome: Chrome,
    /// Record id.
    pub id: String,
    /// The form.
    pub form: PersonForm,
    /// A calm message.
    pub problem: Option<String>,
}

/// The nudge settings.
#[derive(Template)]
#[template(path = "support/settings.html")]
pub struct SupportSettingsView {
    /// Chrome.
    pub chrome: Chrome,
    /// Nudge on.
    pub nudge: bool,
    /// Days, as typed or stored.
    pub days: String,
    /// Smallest days.
    pub min: u16,
    /// Largest days.
    pub max: u16,
    /// A calm message.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
}

crate::render::html_pages!(SupportView, PersonEditView, SupportSettingsView);

fn person_form(
    today: i64,
    kind: &str,
    name: &str,
    reach: &str,
    last: &str,
    note: &str,
) -> PersonForm {
    let chosen = SupportKind::from_key(kind).unwrap_or_default();
    PersonForm {
        kinds: SupportKind::ALL
            .into_iter()
            .map(|k| KindOption {
                key: k.key(),
                name: k.name(),
                selected: k == chosen,
            })
            .collect(),
        name: name.to_owned(),
        reach: reach.to_owned(),
        last_connected: last.to_owned(),
        note: note.to_owned(),
        today: iso_day(today),
    }
}

fn typed_form(today: i64, form: &FormFields) -> PersonForm {
    person_form(
        today,
        form.get("kind"),
        form.get("name"),
        form.get("reach"),
        form.get("last_connected"),
        form.get("note"),
    )
}

fn today(state: &AppState) -> i64 {
    day_of(state.trellis.now())
}

async fn support_view(
    state: &AppState,
    me: Me,
    form: PersonForm,
    problem: Option<String>,
) -> Result<SupportView, ErrorPage> {
    let items = state.trellis.support_people(&me.unlocked).await?;
    let prefs = state.trellis.support_prefs(&me.unlocked).await?;
    let nudge = state
        .trellis
        .support_nudge_due(&prefs, &items)
        .then_some(NUDGE_WORDS);
    let today = today(state);
    let sections = SupportKind::ALL
        .into_iter()
        .map(|k| KindSection {
            name: k.name(),
            anchor: k.key(),
            people: items
                .iter()
                .filter(|i| i.value.kind == k)
                .map(|i| {
                    let p = &i.value;
                    PersonRow {
                        id: i.id.to_string(),
                        label: if p.name.is_empty() {
                            p.reach.clone()
                        } else {
                            p.name.clone()
                        },
                        reach: if p.name.is_empty() {
                            String::new()
                        } else {
                            p.reach.clone()
                        },
                        dial: p.dial(),
                        last: p.last_connected.map(day_words).unwrap_or_default(),
                        today: p.last_connected == Some(today),
                        note: p.note.clone(),
                    }
                })
                .collect(),
        })
        .filter(|s| !s.people.is_empty())
        .collect();
    Ok(SupportView {
        chrome: me.ctx.chrome,
        sections,
        nudge,
        nudge_on: prefs.nudge,
        form,
        problem,
    })
}

/// `GET /support`.
pub async fn overview(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let form = person_form(today(&state), "", "", "", "", "");
    Ok(support_view(&state, me, form, None).await?.into_response())
}

/// `POST /support/people`: adds someone.
pub async fn add_person(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let today = today(&state);
    let f = |k| form.get(k);
    match SupportPerson::new(
        f("kind"),
        f("name"),
        f("reach"),
        f("last_connected"),
        f("note"),
        today,
    ) {
        Ok(p) => {
            state.trellis.add_support_person(&me.unlocked, &p).await?;
            Ok(Redirect::to(&format!("/support#{}", p.kind.key())).into_response())
        }
        Err(problem) => {
            let view = support_view(
                &state,
                me,
                typed_form(today, &form),
                Some(problem.to_string()),
            )
            .await?;
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `GET /support/people/{id}/edit`.
pub async fn edit_person(
    State(state): State<AppState>,
    Own { me, item }: Own<SupportPerson>,
) -> Result<Response, ErrorPage> {
    let p = &item.value;
    let last = p.last_connected.map(iso_day).unwrap_or_default();
    let form = person_form(
        today(&state),
        p.kind.key(),
        &p.name,
        &p.reach,
        &last,
        &p.note,
    );
    Ok(PersonEditView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        form,
        problem: None,
    }
    .into_response())
}

/// `POST /support/people/{id}`: changes someone.
pub async fn change_person(
    State(state): State<AppState>,
    Own { me, item }: Own<SupportPerson>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let today = today(&state);
    let f = |k| form.get(k);
    match SupportPerson::new(
        f("kind"),
        f("name"),
        f("reach"),
        f("last_connected"),
        f("note"),
        today,
    ) {
        Ok(p) => {
            if !state
                .trellis
                .change_support_person(&me.unlocked, &item.id, &p)
                .await?
            {
                return Err(ErrorPage::not_found());
            }
            Ok(Redirect::to(&format!("/support#{}", p.kind.key())).into_response())
        }
        Err(problem) => Ok((
            StatusCode::BAD_REQUEST,
            PersonEditView {
                chrome: me.ctx.chrome,
                id: item.id.to_string(),
                form: typed_form(today, &form),
                problem: Some(problem.to_string()),
            },
        )
            .into_response()),
    }
}

/// `POST /support/people/{id}/connected`: "I was in touch today".
pub async fn connected_today(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    if !state
        .trellis
        .mark_connected_today(&me.unlocked, &id)
        .await?
    {
        return Err(ErrorPage::not_found());
    }
    Ok(Redirect::to(&format!("/support#p-{id}")).into_response())
}

/// `POST /support/people/{id}/delete`.
pub async fn delete_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    if !state
        .trellis
        .delete_support_person(&me.unlocked, &id)
        .await?
    {
        return Err(ErrorPage::not_found());
    }
    Ok(Redirect::to("/support").into_response())
}

/// `GET /support/settings`.
pub async fn settings(
    State(state): State<AppState>,
    me: Me,
    RawQuery(query): RawQuery,
) -> Result<Response, ErrorPage> {
    let prefs = state.trellis.support_prefs(&me.unlocked).await?;
    let saved = QueryParams::parse(query.as_deref()).has("saved");
    Ok(SupportSettingsView {
        chrome: me.ctx.chrome,
        nudge: prefs.nudge,
        days: prefs.nudge_after_days.to_string(),
        min: NUDGE_MIN_DAYS,
        max: NUDGE_MAX_DAYS,
        message: saved.then(|| {
            if prefs.nudge {
                format!(
                    "Saved. A gentle reminder will appear on Support after {} quiet days.",
                    prefs.nudge_after_days
                )
            } else {
                "Saved. No reminders will appear.".to_owned()
            }
        }),
        is_problem: false,
    }
    .into_response())
}

/// `POST /support/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let nudge = form.checked("nudge");
    let days = form.get("days");
    // Turning the reminder off never fails over the days field.
    let result = SupportPrefs::new(nudge, days).or_else(|problem| {
        if nudge {
            Err(problem)
        } else {
            Ok(SupportPrefs {
                nudge,
                nudge_after_days: NUDGE_DEFAULT_DAYS,
            })
        }
    });
    match result {
        Ok(prefs) => {
            state
                .trellis
                .save_support_prefs(&me.unlocked, &prefs)
                .await?;
            Ok(Redirect::to("/support/settings?saved").into_response())
        }
        Err(problem) => Ok((
            StatusCode::BAD_REQUEST,
            SupportSettingsView {
                chrome: me.ctx.chrome,
                nudge,
                days: days.to_owned(),
                min: NUDGE_MIN_DAYS,
                max: NUDGE_MAX_DAYS,
                message: Some(format!("{problem} Nothing was changed.")),
                is_problem: true,
            },
        )
            .into_response()),
    }
}
