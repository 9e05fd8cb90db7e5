//! The support network: the list by kind, adding, changing, "in touch today", deleting.

use super::*;

pub(super) fn person_form(
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

/// The fields of the person form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PersonFields {
    kind: String,
    name: String,
    reach: String,
    last_connected: String,
    note: String,
}

impl PersonFields {
    /// The person as typed, if it can be kept.
    fn person(&self, today: i64) -> Result<SupportPerson, SupportProblem> {
        SupportPerson::new(
            &self.kind,
            &self.name,
            &self.reach,
            &self.last_connected,
            &self.note,
            today,
        )
    }

    /// The form as typed, to show again.
    fn as_typed(&self, today: i64) -> PersonForm {
        person_form(
            today,
            &self.kind,
            &self.name,
            &self.reach,
            &self.last_connected,
            &self.note,
        )
    }
}

pub(super) fn today(state: &AppState) -> i64 {
    day_of(state.trellis.now())
}

pub(super) async fn support_view(
    state: &AppState,
    me: Me,
    form: PersonForm,
    problem: Option<String>,
) -> Result<SupportView, ErrorPage> {
    let support = state.trellis.support(&me.unlocked);
    let items = support.people().await?;
    let prefs = support.prefs().await?;
    let nudge = support.nudge_due(&prefs, &items).then_some(NUDGE_WORDS);
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
                        last: p.last_connected.map(|d| Day::of_unix(d).date_words()).unwrap_or_default(),
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
    Form(form): Form<PersonFields>,
) -> Result<Response, ErrorPage> {
    let today = today(&state);
    match form.person(today) {
        Ok(p) => {
            state.trellis.support(&me.unlocked).add(&p).await?;
            Ok(Redirect::to(&format!("/support#{}", p.kind.key())).into_response())
        }
        Err(problem) => {
            let view = support_view(
                &state,
                me,
                form.as_typed(today),
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
    Form(form): Form<PersonFields>,
) -> Result<Response, ErrorPage> {
    let today = today(&state);
    match form.person(today) {
        Ok(p) => {
            crate::handlers::found(state
                .trellis
                .support(&me.unlocked).change(&item.id, &p)
                .await?)?;
            Ok(Redirect::to(&format!("/support#{}", p.kind.key())).into_response())
        }
        Err(problem) => Ok((
            StatusCode::BAD_REQUEST,
            PersonEditView {
                chrome: me.ctx.chrome,
                id: item.id.to_string(),
                form: form.as_typed(today),
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
    crate::handlers::found(state
        .trellis
        .support(&me.unlocked).mark_connected_today(&id)
        .await?)?;
    Ok(Redirect::to(&format!("/support#p-{id}")).into_response())
}

/// `POST /support/people/{id}/delete`.
pub async fn delete_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    me: Me,
) -> Result<Response, ErrorPage> {
    let id = record_id(&id)?;
    crate::handlers::found(state
        .trellis
        .support(&me.unlocked).delete(&id)
        .await?)?;
    Ok(Redirect::to("/support").into_response())
}
