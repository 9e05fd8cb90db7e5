//! Writing a new entry: choosing a kind, the form, saving it.

use super::*;

/// `GET /journal/new` without a kind: the kinds and their prompts.
#[derive(Template)]
#[template(path = "journal/choose.html")]
pub struct ChooseView {
    /// Chrome.
    pub chrome: Chrome,
    /// The kinds.
    pub kinds: Vec<KindChoice>,
}

/// One box of the entry form.
pub struct FieldView {
    /// Form name (also the id, prefixed).
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// Hint ("" = none).
    pub hint: &'static str,
    /// Visible lines.
    pub rows: u8,
    /// What is typed in it.
    pub value: String,
}

/// A mood as offered in the form (the one mood scale).
pub struct MoodChoice {
    /// `"1"`…`"5"`.
    pub value: String,
    /// Its words.
    pub word: &'static str,
}

/// The entry form, new or editing.
#[derive(Template)]
#[template(path = "journal/form.html")]
pub struct FormView {
    /// Chrome.
    pub chrome: Chrome,
    /// The kind's name.
    pub kind_name: &'static str,
    /// The kind's key (a hidden field for new entries).
    pub kind_key: &'static str,
    /// The gentle prompt.
    pub prompt: &'static str,
    /// The boxes.
    pub fields: Vec<FieldView>,
    /// Mood choices ("Rather not say" is offered after them).
    pub moods: Vec<MoodChoice>,
    /// The mood as typed (`""`: none).
    pub mood: String,
    /// Tags as typed.
    pub tags: String,
    /// Day as typed.
    pub day: String,
    /// The latest day that may be chosen (tomorrow, for time zones).
    pub max_day: String,
    /// Where the form posts.
    pub action: String,
    /// Where "go back" leads.
    pub back_href: String,
    /// The draft key for autosave.
    pub draft_form: String,
    /// Whether this edits a saved entry.
    pub editing: bool,
    /// A calm problem, when the form came back.
    pub problem: Option<String>,
    /// Whether the text was restored from a draft.
    pub restored: bool,
    /// The autosave script.
    pub journal_js: String,
    /// Seconds of quiet before the page locks (the script keeps the session alive while the
    /// person types, so the layout's own timer is turned off on this page).
    pub idle_seconds: u32,
}

pub(super) fn form_view(
    mut chrome: Chrome,
    input: &EntryInput,
    editing: Option<&RecordId>,
    today: i64,
) -> FormView {
    let idle_seconds = chrome.idle_seconds;
    chrome.idle_seconds = 0;
    let kind = input.kind;
    let fields = kind
        .fields()
        .iter()
        .map(|f| FieldView {
            name: f.name,
            label: f.label,
            hint: f.hint,
            rows: f.rows,
            value: input.text(f.name).to_owned(),
        })
        .collect();
    let moods = MOODS
        .iter()
        .map(|(m, w)| MoodChoice {
            value: m.to_string(),
            word: w,
        })
        .collect();
    let (action, back_href, draft) = match editing {
        Some(id) => (
            format!("/journal/{id}"),
            format!("/journal/{id}"),
            DraftForm::Edit(id.clone()),
        ),
        None => (
            "/journal".to_owned(),
            "/journal".to_owned(),
            DraftForm::New(kind),
        ),
    };
    FormView {
        chrome,
        kind_name: kind.name(),
        kind_key: kind.key(),
        prompt: kind.prompt(),
        fields,
        moods,
        mood: input.mood.trim().to_owned(),
        tags: input.tags.clone(),
        day: if input.day.is_empty() && editing.is_none() {
            iso_day(today)
        } else {
            input.day.clone()
        },
        max_day: iso_day(today + 86_400),
        action,
        back_href,
        draft_form: draft.key(),
        editing: editing.is_some(),
        problem: None,
        restored: false,
        journal_js: Assets::url("journal.js"),
        idle_seconds,
    }
}

/// `GET /journal/new?kind=…`: the form for that kind (restoring its draft, if one was kept);
/// without a known kind, the choice of kinds with their prompts.
pub async fn new_form(
    State(state): State<AppState>,
    me: Me,
    pairs: QueryParams,
) -> Result<Response, ErrorPage> {
    let drafts = state.trellis.journal(&me.unlocked).drafts().await?;
    let Some(kind) = EntryKind::parse(pairs.get("kind")) else {
        let kinds = EntryKind::ALL
            .iter()
            .map(|k| KindChoice {
                key: k.key(),
                name: k.name(),
                prompt: k.prompt(),
                selected: false,
                has_draft: drafts.iter().any(|d| d.form == DraftForm::New(*k).key()),
            })
            .collect();
        return Ok(crate::render::page(
            StatusCode::OK,
            &ChooseView {
                chrome: me.ctx.chrome,
                kinds,
            },
        ));
    };
    let key = DraftForm::New(kind).key();
    let draft = drafts.into_iter().find(|d| d.form == key);
    let input = draft
        .as_ref()
        .map_or_else(|| EntryInput::blank(kind), |d| d.input.clone());
    let mut view = form_view(me.ctx.chrome, &input, None, day_of(state.trellis.now()));
    view.restored = draft.is_some();
    Ok(crate::render::page(StatusCode::OK, &view))
}

pub(super) fn problem_status(e: JournalError) -> Result<String, ErrorPage> {
    match e {
        JournalError::Input(p) => Ok(p.to_string()),
        JournalError::Service(s) => Err(s.into()),
    }
}

/// `POST /journal`: saves a new entry, then shows it. A problem re-shows the form (400) with
/// every word kept.
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let Some(kind) = EntryKind::parse(form.get("kind")) else {
        return Err(ErrorPage::bad_request());
    };
    let input = input_from(&form, kind);
    match state.trellis.journal(&me.unlocked).add(&input).await {
        Ok(id) => Ok(Redirect::to(&format!("/journal/{id}?saved")).into_response()),
        Err(e) => {
            let mut view = form_view(me.ctx.chrome, &input, None, day_of(state.trellis.now()));
            view.problem = Some(problem_status(e)?);
            Ok(crate::render::page(StatusCode::BAD_REQUEST, &view))
        }
    }
}
