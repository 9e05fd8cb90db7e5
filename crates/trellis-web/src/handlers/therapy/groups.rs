//! Groups the person goes to: a private note of each time (the group, the day, how it felt),
//! which also shows as "last in touch" on the support network's entry for that group.

use super::*;
use trellis_core::clock::Day;
use trellis_core::therapy::{read_visit, GroupVisit};
use trellis_core::today::local_today;

/// `GET /therapy/groups` (and the form again on a problem).
#[derive(Template)]
#[template(path = "therapy/groups.html")]
pub struct VisitsView {
    /// Chrome.
    pub chrome: Chrome,
    /// Times noted, newest first: id, day in words, the visit.
    pub visits: Vec<(String, String, GroupVisit)>,
    /// Names to choose from: the support network's groups and groups noted before.
    pub names: Vec<String>,
    /// The form as typed: group, day, felt.
    pub typed: (String, String, String),
    /// The latest day allowed (today).
    pub today: String,
    /// A calm word: saved (and where it shows), deleted, or what to change.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
}

crate::render::html_pages!(VisitsView);

/// The query of `GET /therapy/groups`.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct VisitsQuery {
    done: String,
    day: String,
}

async fn visits_view(state: &AppState, me: Me, today: Day) -> Result<VisitsView, ErrorPage> {
    let visits = state.trellis.therapy(&me.unlocked).visits().await?;
    let mut names: Vec<String> = state
        .trellis
        .support(&me.unlocked)
        .people()
        .await?
        .into_iter()
        .filter(|p| p.value.kind == trellis_core::support::SupportKind::GroupMember)
        .map(|p| p.value.name)
        .chain(visits.iter().map(|v| v.value.group.clone()))
        .collect();
    names.sort_by_key(|n| n.to_lowercase());
    names.dedup_by_key(|n| n.to_lowercase());
    Ok(VisitsView {
        chrome: me.ctx.chrome,
        visits: visits
            .into_iter()
            .map(|v| (v.id.to_string(), v.value.day.date_words(), v.value))
            .collect(),
        names,
        typed: (String::new(), today.to_string(), String::new()),
        today: today.to_string(),
        message: None,
        is_problem: false,
    })
}

/// `GET /therapy/groups`: the times noted and a new one.
pub async fn visits(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<VisitsQuery>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), &q.day);
    let mut view = visits_view(&state, me, today).await?;
    view.message = match q.done.as_str() {
        "saved" => Some("Saved.".to_owned()),
        "shown" => Some("Saved. Your support network now shows when you were last with this group.".to_owned()),
        "deleted" => Some("That note is deleted.".to_owned()),
        _ => None,
    };
    Ok(view.into_response())
}

/// `POST /therapy/groups`: notes a time at a group → 303; a problem → 400 with every word kept.
pub async fn add_visit(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today"));
    match read_visit(|f| form.get(f).to_owned(), today) {
        Ok(visit) => {
            let shown = state.trellis.therapy(&me.unlocked).add_visit(&visit).await?;
            let done = if shown.is_empty() { "saved" } else { "shown" };
            Ok(Redirect::to(&format!("/therapy/groups?done={done}")).into_response())
        }
        Err(problem) => {
            let mut view = visits_view(&state, me, today).await?;
            view.typed = (
                form.get("group").to_owned(),
                form.get("day").to_owned(),
                form.get("felt").to_owned(),
            );
            view.message = Some(problem.to_string());
            view.is_problem = true;
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `POST /therapy/groups/{id}/delete` → 303 `/therapy/groups?done=deleted`.
pub async fn delete_visit(
    State(state): State<AppState>,
    Own { me, item }: Own<GroupVisit>,
) -> Result<Response, ErrorPage> {
    crate::handlers::found(state.trellis.therapy(&me.unlocked).delete_visit(&item.id).await?)?;
    Ok(Redirect::to("/therapy/groups?done=deleted").into_response())
}
