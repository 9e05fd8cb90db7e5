//! The safety plan: reading, printing, changing it with the passphrase asked again.

use super::*;

pub(super) fn part_views(plan: &SafetyPlan) -> Vec<PartView> {
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

pub(super) fn contact_row(item: &Item<TrustedContact>) -> ContactRow {
    let c = &item.value;
    ContactRow {
        id: item.id.to_string(),
        name: c.name.clone(),
        phone: c.phone.clone(),
        note: c.note.clone(),
        dial: c.dial(),
    }
}

pub(super) async fn contact_rows(
    state: &AppState,
    unlocked: &Unlocked,
) -> Result<Vec<ContactRow>, ErrorPage> {
    Ok(state
        .trellis
        .safety(unlocked).contacts()
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
    match state.trellis.safety(unlocked).contacts().await {
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
    Query(saved): Query<Saved>,
) -> Result<Response, ErrorPage> {
    let plan = state.trellis.safety(&me.unlocked).plan().await?;
    let contacts = contact_rows(&state, &me.unlocked).await?;
    Ok(PlanView {
        chrome: me.ctx.chrome,
        empty: plan.is_empty(),
        parts: part_views(&plan),
        contacts,
        saved: saved.shown(),
    }
    .into_response())
}

/// `GET /safety/plan/print`: plain and clear, for paper or a PDF.
pub async fn plan_print(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let plan = state.trellis.safety(&me.unlocked).plan().await?;
    let contacts = contact_rows(&state, &me.unlocked).await?;
    Ok(PlanPrintView {
        chrome: me.ctx.chrome,
        parts: part_views(&plan),
        contacts,
    }
    .into_response())
}

pub(super) fn countries(selected: &str) -> Vec<CountryOption> {
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
    let plan = state.trellis.safety(&me.unlocked).plan().await?;
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

/// `POST /safety/plan`: saves the plan.
pub async fn save_plan(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let typed = SafetyPlan::from_parts(|k| form.get(k));
    let add_lines = form.checked("add_lines");
    let mut plan = typed.clone();
    let country = form.get("lines_country");
    // Ticked with no country chosen adds nothing; an unknown country is asked about.
    let result = match (add_lines, country, HelpLines::get().country(country)) {
        (true, c, None) if !c.is_empty() => Err(SafetyProblem::UnknownCountry.into()),
        (true, _, Some(c)) => {
            plan.add_help_lines(c);
            Ok(())
        }
        _ => Ok(()),
    };
    let result = match result {
        Ok(()) => state.trellis.safety(&me.unlocked).save_plan(&plan).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/safety/plan?saved").into_response()),
        Err(PlanError::Invalid(problem)) => Ok(bad(PlanEditView {
            chrome: me.ctx.chrome,
            add_lines,
            parts: part_views(&typed),
            countries: countries(form.get("lines_country")),
            problem: Some(problem.to_string()),
        })),
        Err(PlanError::Service(e)) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------------------------
// Trusted contacts
// ------------------------------------------------------------------------------------------
