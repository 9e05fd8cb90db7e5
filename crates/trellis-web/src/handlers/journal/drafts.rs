//! Drafts kept sealed while the person types, and the journal's settings.

use super::*;

/// `POST /journal/draft` (from the page's script while the person types): seals what is in
/// the form (`form` = `new:<kind>` or `edit:<id>`). Being a request, it also keeps the session
/// from locking while someone writes. 204 when kept; 400 when the form is unknown or over the
/// size limit; 404 for an entry that is not the person's.
pub async fn save_draft(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let Some(which) = DraftForm::parse(form.get("form")) else {
        return Err(ErrorPage::bad_request());
    };
    let kind = match &which {
        DraftForm::New(kind) => *kind,
        DraftForm::Edit(id) => match state.trellis.journal(&me.unlocked).entry(id).await? {
            Some(item) => item.value.kind,
            None => return Err(ErrorPage::not_found()),
        },
    };
    let input = input_from(&form, kind);
    match state
        .trellis
        .journal(&me.unlocked).save_draft(&which, &input)
        .await
    {
        Ok(true) => Ok(StatusCode::NO_CONTENT.into_response()),
        Ok(false) => Err(ErrorPage::not_found()),
        Err(JournalError::Input(p)) => Ok(too_long_draft(&p)),
        Err(JournalError::Service(s)) => Err(s.into()),
    }
}

pub(super) fn too_long_draft(problem: &EntryProblem) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [("content-type", "text/plain; charset=utf-8")],
        problem.to_string(),
    )
        .into_response()
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct DraftChoice {
    form: String,
}

/// `POST /journal/draft/discard`: throws the draft of `form` away and shows the form afresh.
pub async fn discard_draft(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<DraftChoice>,
) -> Result<Response, ErrorPage> {
    let Some(which) = DraftForm::parse(form.form.as_str()) else {
        return Err(ErrorPage::bad_request());
    };
    let back = match &which {
        DraftForm::New(kind) => format!("/journal/new?kind={}", kind.key()),
        DraftForm::Edit(id) => {
            if state
                .trellis
                .journal(&me.unlocked).entry(id)
                .await?
                .is_none()
            {
                return Err(ErrorPage::not_found());
            }
            format!("/journal/{id}/edit")
        }
    };
    state
        .trellis
        .journal(&me.unlocked).discard_draft(&which)
        .await?;
    Ok(Redirect::to(&back).into_response())
}

/// `GET /journal/settings`.
#[derive(Template)]
#[template(path = "journal/settings.html")]
pub struct SettingsView {
    /// Chrome.
    pub chrome: Chrome,
    /// Current preferences.
    pub resurface: bool,
    /// Offer three qualities in the morning.
    pub morning: bool,
    /// Just saved.
    pub saved: bool,
}

/// `GET /journal/settings`.
pub async fn settings(
    State(state): State<AppState>,
    me: Me,
    Query(saved): Query<Saved>,
) -> Result<Response, ErrorPage> {
    let prefs = state.trellis.journal(&me.unlocked).prefs().await?;
    let saved = saved.shown();
    Ok(crate::render::page(
        StatusCode::OK,
        &SettingsView {
            chrome: me.ctx.chrome,
            resurface: prefs.resurface_good_moments,
            morning: prefs.morning_qualities,
            saved,
        },
    ))
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct JournalSettingsFields {
    resurface: Tick,
    morning: Tick,
}

/// `POST /journal/settings`: `resurface=on` turns resurfacing on, `morning=on` the morning
/// offer of three qualities; anything else, off.
pub async fn save_settings(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<JournalSettingsFields>,
) -> Result<Response, ErrorPage> {
    let prefs = JournalPrefs {
        resurface_good_moments: form.resurface.0,
        morning_qualities: form.morning.0,
    };
    state.trellis.journal(&me.unlocked).set_prefs(prefs).await?;
    Ok(Redirect::to("/journal/settings?saved").into_response())
}
