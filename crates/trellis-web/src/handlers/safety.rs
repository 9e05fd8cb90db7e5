//! Safety: boundaries, the safety plan (with a print view) and trusted contacts.
//! Thin handlers: parse, authorise (the `Me` extractor, then loading the record by id, which
//! answers 404 for anything not this person's), call one use case, render.

pub mod views;

use axum::extract::{Path, RawQuery, State};
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::helplines::HelpLines;
use trellis_core::records::Item;
use trellis_core::safety::{
    group_boundaries, own_group_names, Boundary, BoundaryDraft, BoundaryState, Group, SafetyPlan,
    SafetyProblem, StartingGroup, StepUpError, TrustedContact, PLAN_PARTS,
};
use trellis_core::{UnlockError, Unlocked};

use crate::ctx::{Me, Own};
use crate::error::ErrorPage;
use crate::form::{FormFields, QueryParams};
use crate::pages::day_words;
use crate::registry::{Access, Routes, WebArea};
use crate::AppState;

use views::{
    BoundariesView, BoundaryDeleteView, BoundaryForm, BoundaryRow, BoundaryView, ContactEditView,
    ContactForm, ContactRow, ContactsView, CountryOption, GroupOption, GroupSection, PartView,
    PlanEditView, PlanPrintView, PlanView, SafetyIndexView, StateOption, VersionRow,
};

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("safety", routes);

fn routes() -> Routes {
    Routes::new()
        .get("/safety", Access::Unlocked, overview)
        .get("/safety/boundaries", Access::Unlocked, boundaries)
        .post("/safety/boundaries", Access::Unlocked, add_boundary)
        .get("/safety/boundaries/{id}", Access::Unlocked, boundary)
        .post("/safety/boundaries/{id}", Access::Unlocked, change_boundary)
        .get(
            "/safety/boundaries/{id}/delete",
            Access::Unlocked,
            delete_boundary_form,
        )
        .post(
            "/safety/boundaries/{id}/delete",
            Access::Unlocked,
            delete_boundary,
        )
        .get("/safety/plan", Access::Unlocked, plan)
        .post("/safety/plan", Access::StepUp, save_plan)
        .get("/safety/plan/edit", Access::Unlocked, plan_edit)
        .get("/safety/plan/print", Access::Unlocked, plan_print)
        .get("/safety/contacts", Access::Unlocked, contacts)
        .post("/safety/contacts", Access::StepUp, add_contact)
        .get("/safety/contacts/{id}/edit", Access::Unlocked, edit_contact)
        .post("/safety/contacts/{id}", Access::StepUp, change_contact)
        .post(
            "/safety/contacts/{id}/delete",
            Access::StepUp,
            delete_contact,
        )
}

/// Calm words for a failed step-up, or the error page when it was not the person's doing.
fn step_up_problem(e: StepUpError) -> Result<String, ErrorPage> {
    Ok(match e {
        StepUpError::Invalid(p) => p.to_string(),
        StepUpError::Unlock(UnlockError::Wrong) => {
            "That passphrase didn't match, so nothing was saved yet. Everything else you typed is still here: please type your passphrase again.".to_owned()
        }
        StepUpError::Unlock(UnlockError::Wait(s)) => format!(
            "There have been several passphrase tries in a row. Please wait {s} seconds, then try again. Everything you typed is still here."
        ),
        StepUpError::Unlock(other) => return Err(other.into()),
    })
}

fn bad(view: impl IntoResponse) -> Response {
    (StatusCode::BAD_REQUEST, view).into_response()
}

/// `GET /safety`.
pub async fn overview(me: Me) -> Response {
    SafetyIndexView {
        chrome: me.ctx.chrome,
    }
    .into_response()
}

// ------------------------------------------------------------------------------------------
// Boundaries
// ------------------------------------------------------------------------------------------

fn boundary_row(item: &Item<Boundary>) -> BoundaryRow {
    let state = item.value.state();
    BoundaryRow {
        id: item.id.to_string(),
        text: item.value.text().to_owned(),
        state: state.label(),
        state_key: state.key(),
        since: item.value.since().map(day_words).unwrap_or_default(),
    }
}

/// The form as typed (or as stored), with the group list for this person.
fn boundary_form(
    items: &[Item<Boundary>],
    group_value: &str,
    new_group: &str,
    text: &str,
    state: &str,
) -> BoundaryForm {
    let mut groups: Vec<GroupOption> = StartingGroup::ALL
        .into_iter()
        .map(Group::Starting)
        .chain(own_group_names(items).into_iter().map(Group::Own))
        .map(|g| {
            let value = g.form_value();
            GroupOption {
                selected: value == group_value,
                name: g.name().to_owned(),
                value,
            }
        })
        .collect();
    if !groups.iter().any(|g| g.selected) {
        if let Some(first) = groups.first_mut() {
            first.selected = true;
        }
    }
    let state = BoundaryState::from_key(state).unwrap_or_default();
    BoundaryForm {
        text: text.to_owned(),
        groups,
        new_group: new_group.to_owned(),
        states: BoundaryState::ALL
            .into_iter()
            .map(|s| StateOption {
                key: s.key(),
                label: s.label(),
                about: s.about(),
                checked: s == state,
            })
            .collect(),
    }
}

fn boundaries_view(
    me: Me,
    items: Vec<Item<Boundary>>,
    form: BoundaryForm,
    problem: Option<String>,
) -> BoundariesView {
    let groups = group_boundaries(items)
        .into_iter()
        .enumerate()
        .map(|(i, g)| GroupSection {
            anchor: format!("group-{i}"),
            about: match g.group {
                Group::Starting(s) => s.about(),
                Group::Own(_) => "",
            },
            name: g.group.name().to_owned(),
            rows: g.boundaries.iter().map(boundary_row).collect(),
        })
        .collect();
    BoundariesView {
        chrome: me.ctx.chrome,
        groups,
        form,
        problem,
    }
}

/// `GET /safety/boundaries`.
pub async fn boundaries(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let items = state.trellis.boundaries(&me.unlocked).await?;
    let form = boundary_form(&items, "", "", "", "");
    Ok(boundaries_view(me, items, form, None).into_response())
}

/// `POST /safety/boundaries`: adds one.
pub async fn add_boundary(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let (group, new_group, text, st) = (
        form.get("group"),
        form.get("new_group"),
        form.get("text"),
        form.get("state"),
    );
    match BoundaryDraft::new(group, new_group, text, st) {
        Ok(draft) => {
            let id = state.trellis.add_boundary(&me.unlocked, draft).await?;
            Ok(Redirect::to(&format!("/safety/boundaries#b-{id}")).into_response())
        }
        Err(problem) => {
            let items = state.trellis.boundaries(&me.unlocked).await?;
            let form = boundary_form(&items, group, new_group, text, st);
            Ok(bad(boundaries_view(
                me,
                items,
                form,
                Some(problem.to_string()),
            )))
        }
    }
}

async fn boundary_view(
    state: &AppState,
    me: Me,
    item: Item<Boundary>,
    form: Option<BoundaryForm>,
    problem: Option<String>,
    saved: bool,
) -> Result<BoundaryView, ErrorPage> {
    let items = state.trellis.boundaries(&me.unlocked).await?;
    let b = &item.value;
    let form = form.unwrap_or_else(|| {
        boundary_form(&items, &b.group.form_value(), "", b.text(), b.state().key())
    });
    let history = b
        .history
        .iter()
        .rev()
        .map(|v| VersionRow {
            day: day_words(v.day),
            state: v.state.label(),
            state_key: v.state.key(),
            text: v.text.clone(),
        })
        .collect();
    Ok(BoundaryView {
        chrome: me.ctx.chrome,
        group: b.group.name().to_owned(),
        first_day: b.first_day().map(day_words).unwrap_or_default(),
        row: boundary_row(&item),
        history,
        form,
        problem,
        saved,
    })
}

/// `GET /safety/boundaries/{id}`: the boundary, a form to change it, and how it has changed.
pub async fn boundary(
    State(state): State<AppState>,
    Own { me, item }: Own<Boundary>,
    RawQuery(query): RawQuery,
) -> Result<Response, ErrorPage> {
    let saved = QueryParams::parse(query.as_deref()).has("saved");
    Ok(boundary_view(&state, me, item, None, None, saved)
        .await?
        .into_response())
}

/// `POST /safety/boundaries/{id}`: changes it; the earlier version stays in its history.
pub async fn change_boundary(
    State(state): State<AppState>,
    Own { me, item }: Own<Boundary>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let (group, new_group, text, st) = (
        form.get("group"),
        form.get("new_group"),
        form.get("text"),
        form.get("state"),
    );
    match BoundaryDraft::new(group, new_group, text, st) {
        Ok(draft) => {
            if !state
                .trellis
                .change_boundary(&me.unlocked, &item.id, draft)
                .await?
            {
                return Err(ErrorPage::not_found());
            }
            Ok(Redirect::to(&format!("/safety/boundaries/{}?saved#main", item.id)).into_response())
        }
        Err(problem) => {
            let items = state.trellis.boundaries(&me.unlocked).await?;
            let form = boundary_form(&items, group, new_group, text, st);
            Ok(bad(boundary_view(
                &state,
                me,
                item,
                Some(form),
                Some(problem.to_string()),
                false,
            )
            .await?))
        }
    }
}

/// `GET /safety/boundaries/{id}/delete`: asks once.
pub async fn delete_boundary_form(Own { me, item }: Own<Boundary>) -> Result<Response, ErrorPage> {
    Ok(BoundaryDeleteView {
        chrome: me.ctx.chrome,
        row: boundary_row(&item),
    }
    .into_response())
}

/// `POST /safety/boundaries/{id}/delete`.
pub async fn delete_boundary(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
) -> Result<Response, ErrorPage> {
    let id = super::record_id(&id)?;
    if !state.trellis.delete_boundary(&me.unlocked, &id).await? {
        return Err(ErrorPage::not_found());
    }
    Ok(Redirect::to("/safety/boundaries").into_response())
}

// ------------------------------------------------------------------------------------------
// The plan
// ------------------------------------------------------------------------------------------

fn part_views(plan: &SafetyPlan) -> Vec<PartView> {
    PLAN_PARTS
        .iter()
        .enumerate()
        .map(|(i, p)| PartView {
            number: i + 1,
            key: p.key,
            title: p.title,
            hint: p.hint,
            text: plan.part(p.key).to_owned(),
            lines: plan.lines(p.key).into_iter().map(str::to_owned).collect(),
        })
        .collect()
}

fn contact_row(item: &Item<TrustedContact>) -> ContactRow {
    let c = &item.value;
    ContactRow {
        id: item.id.to_string(),
        name: c.name.clone(),
        phone: c.phone.clone(),
        note: c.note.clone(),
        dial: c.dial(),
    }
}

async fn contact_rows(state: &AppState, unlocked: &Unlocked) -> Result<Vec<ContactRow>, ErrorPage> {
    Ok(state
        .trellis
        .trusted_contacts(unlocked)
        .await?
        .iter()
        .map(contact_row)
        .collect())
}

/// Trusted contacts for Help now when unlocked. Help now must always answer, so a problem
/// here means no contacts are shown (and is logged), never an error page.
pub async fn help_contacts(state: &AppState, unlocked: Option<&Unlocked>) -> Vec<ContactRow> {
    let Some(unlocked) = unlocked else {
        return Vec::new();
    };
    match state.trellis.trusted_contacts(unlocked).await {
        Ok(items) => items.iter().map(contact_row).collect(),
        Err(e) => {
            tracing::error!(event = "help_contacts_unavailable", cause = %e);
            Vec::new()
        }
    }
}

/// `GET /safety/plan`.
pub async fn plan(
    State(state): State<AppState>,
    me: Me,
    RawQuery(query): RawQuery,
) -> Result<Response, ErrorPage> {
    let plan = state
        .trellis
        .safety_plan(&me.unlocked)
        .await?
        .map(|i| i.value)
        .unwrap_or_default();
    let contacts = contact_rows(&state, &me.unlocked).await?;
    Ok(PlanView {
        chrome: me.ctx.chrome,
        empty: plan.is_empty(),
        parts: part_views(&plan),
        contacts,
        saved: QueryParams::parse(query.as_deref()).has("saved"),
    }
    .into_response())
}

/// `GET /safety/plan/print`: plain and clear, for paper or a PDF.
pub async fn plan_print(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let plan = state
        .trellis
        .safety_plan(&me.unlocked)
        .await?
        .map(|i| i.value)
        .unwrap_or_default();
    let contacts = contact_rows(&state, &me.unlocked).await?;
    Ok(PlanPrintView {
        chrome: me.ctx.chrome,
        parts: part_views(&plan),
        contacts,
    }
    .into_response())
}

fn countries(selected: &str) -> Vec<CountryOption> {
    HelpLines::get()
        .countries
        .iter()
        .map(|c| CountryOption {
            code: c.code.clone(),
            name: c.name.clone(),
            selected: c.code.eq_ignore_ascii_case(selected),
        })
        .collect()
}

/// `GET /safety/plan/edit`.
pub async fn plan_edit(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
) -> Result<Response, ErrorPage> {
    let plan = state
        .trellis
        .safety_plan(&me.unlocked)
        .await?
        .map(|i| i.value)
        .unwrap_or_default();
    let lang = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let guess = HelpLines::get()
        .guess(lang)
        .map(|c| c.code.clone())
        .unwrap_or_default();
    Ok(PlanEditView {
        chrome: me.ctx.chrome,
        // Offer the lines at once when that part is still empty and the country is known;
        // the person can untick it or choose another country.
        add_lines: plan.professionals.trim().is_empty() && !guess.is_empty(),
        parts: part_views(&plan),
        countries: countries(&guess),
        problem: None,
    }
    .into_response())
}

/// `POST /safety/plan`: saves the plan after the passphrase is confirmed again.
pub async fn save_plan(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let typed = SafetyPlan::from_parts(|k| form.get(k));
    let add_lines = form.checked("add_lines");
    let mut plan = typed.clone();
    let country = form.get("lines_country");
    // Ticked with no country chosen adds nothing; an unknown country is asked about.
    let result = match (add_lines, country, HelpLines::get().country(country)) {
        (true, c, None) if !c.is_empty() => {
            Err(StepUpError::Invalid(SafetyProblem::UnknownCountry))
        }
        (true, _, Some(c)) => {
            plan.add_help_lines(c);
            Ok(())
        }
        _ => Ok(()),
    };
    let result = match result {
        Ok(()) => {
            state
                .trellis
                .save_safety_plan(&me.unlocked, form.get("current"), &me.ctx.requester, &plan)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/safety/plan?saved").into_response()),
        Err(e) => {
            let problem = step_up_problem(e)?;
            Ok(bad(PlanEditView {
                chrome: me.ctx.chrome,
                add_lines,
                parts: part_views(&typed),
                countries: countries(form.get("lines_country")),
                problem: Some(problem),
            }))
        }
    }
}

// ------------------------------------------------------------------------------------------
// Trusted contacts
// ------------------------------------------------------------------------------------------

fn contact_form(form: &FormFields) -> ContactForm {
    ContactForm {
        name: form.get("name").to_owned(),
        phone: form.get("phone").to_owned(),
        note: form.get("note").to_owned(),
    }
}

/// `GET /safety/contacts`.
pub async fn contacts(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let contacts = contact_rows(&state, &me.unlocked).await?;
    Ok(ContactsView {
        chrome: me.ctx.chrome,
        contacts,
        form: ContactForm::default(),
        problem: None,
    }
    .into_response())
}

/// `POST /safety/contacts`: adds one (passphrase again).
pub async fn add_contact(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let result = match TrustedContact::new(form.get("name"), form.get("phone"), form.get("note")) {
        Ok(c) => {
            state
                .trellis
                .add_trusted_contact(&me.unlocked, form.get("current"), &me.ctx.requester, &c)
                .await
        }
        Err(p) => Err(p.into()),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/safety/contacts#c-{id}")).into_response()),
        Err(e) => {
            let problem = step_up_problem(e)?;
            let contacts = contact_rows(&state, &me.unlocked).await?;
            Ok(bad(ContactsView {
                chrome: me.ctx.chrome,
                contacts,
                form: contact_form(&form),
                problem: Some(problem),
            }))
        }
    }
}

/// `GET /safety/contacts/{id}/edit`.
pub async fn edit_contact(Own { me, item }: Own<TrustedContact>) -> Result<Response, ErrorPage> {
    let c = item.value;
    Ok(ContactEditView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        form: ContactForm {
            name: c.name,
            phone: c.phone,
            note: c.note,
        },
        section: "",
        problem: None,
    }
    .into_response())
}

/// `POST /safety/contacts/{id}`: changes one (passphrase again).
pub async fn change_contact(
    State(state): State<AppState>,
    Own { me, item }: Own<TrustedContact>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let result = match TrustedContact::new(form.get("name"), form.get("phone"), form.get("note")) {
        Ok(c) => {
            state
                .trellis
                .change_trusted_contact(
                    &me.unlocked,
                    &item.id,
                    form.get("current"),
                    &me.ctx.requester,
                    &c,
                )
                .await
        }
        Err(p) => Err(p.into()),
    };
    match result {
        Ok(true) => Ok(Redirect::to(&format!("/safety/contacts#c-{}", item.id)).into_response()),
        Ok(false) => Err(ErrorPage::not_found()),
        Err(e) => Ok(bad(ContactEditView {
            chrome: me.ctx.chrome,
            id: item.id.to_string(),
            form: contact_form(&form),
            section: "change",
            problem: Some(step_up_problem(e)?),
        })),
    }
}

/// `POST /safety/contacts/{id}/delete`: removes one (passphrase again).
pub async fn delete_contact(
    State(state): State<AppState>,
    Own { me, item }: Own<TrustedContact>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    match state
        .trellis
        .delete_trusted_contact(
            &me.unlocked,
            &item.id,
            form.get("current"),
            &me.ctx.requester,
        )
        .await
    {
        Ok(true) => Ok(Redirect::to("/safety/contacts").into_response()),
        Ok(false) => Err(ErrorPage::not_found()),
        Err(e) => {
            let c = item.value;
            Ok(bad(ContactEditView {
                chrome: me.ctx.chrome,
                id: item.id.to_string(),
                form: ContactForm {
                    name: c.name,
                    phone: c.phone,
                    note: c.note,
                },
                section: "delete",
                problem: Some(step_up_problem(e)?),
            }))
        }
    }
}
