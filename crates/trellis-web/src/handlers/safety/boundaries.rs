//! Boundaries: the list by group, adding, changing (with history), deleting.

use super::*;

pub(super) fn boundary_row(item: &Item<Boundary>) -> BoundaryRow {
    let state = item.value.state();
    BoundaryRow {
        id: item.id.to_string(),
        text: item.value.text().to_owned(),
        state: state.label(),
        state_key: state.key(),
        since: item.value.since().map(|d| Day::of_unix(d).date_words()).unwrap_or_default(),
    }
}

/// The form as typed (or as stored), with the group list for this person.
pub(super) fn boundary_form(
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

pub(super) fn boundaries_view(
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
    let items = state.trellis.safety(&me.unlocked).boundaries().await?;
    let form = boundary_form(&items, "", "", "", "");
    Ok(boundaries_view(me, items, form, None).into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct BoundaryFields {
    group: String,
    new_group: String,
    text: String,
    state: String,
}

impl BoundaryFields {
    /// The boundary as typed, if it can be kept.
    fn draft(&self) -> Result<BoundaryDraft, SafetyProblem> {
        BoundaryDraft::new(&self.group, &self.new_group, &self.text, &self.state)
    }

    /// The form as typed, to show again with the person's groups.
    fn as_typed(&self, items: &[Item<Boundary>]) -> BoundaryForm {
        boundary_form(items, &self.group, &self.new_group, &self.text, &self.state)
    }
}

/// `POST /safety/boundaries`: adds one.
pub async fn add_boundary(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<BoundaryFields>,
) -> Result<Response, ErrorPage> {
    match form.draft() {
        Ok(draft) => {
            let id = state.trellis.safety(&me.unlocked).add_boundary(draft).await?;
            Ok(Redirect::to(&format!("/safety/boundaries#b-{id}")).into_response())
        }
        Err(problem) => {
            let items = state.trellis.safety(&me.unlocked).boundaries().await?;
            let form = form.as_typed(&items);
            Ok(bad(boundaries_view(
                me,
                items,
                form,
                Some(problem.to_string()),
            )))
        }
    }
}

pub(super) async fn boundary_view(
    state: &AppState,
    me: Me,
    item: Item<Boundary>,
    form: Option<BoundaryForm>,
    problem: Option<String>,
    saved: bool,
) -> Result<BoundaryView, ErrorPage> {
    let items = state.trellis.safety(&me.unlocked).boundaries().await?;
    let b = &item.value;
    let form = form.unwrap_or_else(|| {
        boundary_form(&items, &b.group.form_value(), "", b.text(), b.state().key())
    });
    let history = b
        .history
        .iter()
        .rev()
        .map(|v| VersionRow {
            day: Day::of_unix(v.day).date_words(),
            state: v.state.label(),
            state_key: v.state.key(),
            text: v.text.clone(),
        })
        .collect();
    Ok(BoundaryView {
        chrome: me.ctx.chrome,
        group: b.group.name().to_owned(),
        first_day: b.first_day().map(|d| Day::of_unix(d).date_words()).unwrap_or_default(),
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
    Query(saved): Query<Saved>,
) -> Result<Response, ErrorPage> {
    let saved = saved.shown();
    Ok(boundary_view(&state, me, item, None, None, saved)
        .await?
        .into_response())
}

/// `POST /safety/boundaries/{id}`: changes it; the earlier version stays in its history.
pub async fn change_boundary(
    State(state): State<AppState>,
    Own { me, item }: Own<Boundary>,
    Form(form): Form<BoundaryFields>,
) -> Result<Response, ErrorPage> {
    match form.draft() {
        Ok(draft) => {
            crate::handlers::found(state
                .trellis
                .safety(&me.unlocked).change_boundary(&item.id, draft)
                .await?)?;
            Ok(Redirect::to(&format!("/safety/boundaries/{}?saved#main", item.id)).into_response())
        }
        Err(problem) => {
            let items = state.trellis.safety(&me.unlocked).boundaries().await?;
            let form = form.as_typed(&items);
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
    let id = crate::handlers::record_id(&id)?;
    crate::handlers::found(state.trellis.safety(&me.unlocked).delete_boundary(&id).await?)?;
    Ok(Redirect::to("/safety/boundaries").into_response())
}

// ------------------------------------------------------------------------------------------
// The plan
// ------------------------------------------------------------------------------------------
