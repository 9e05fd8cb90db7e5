//! One entry: reading it, changing it, deleting it.

use super::*;

/// One box of a saved entry.
pub struct BoxView {
    /// Its label.
    pub label: &'static str,
    /// The person's words.
    pub text: String,
}

/// A past good moment, as offered.
pub struct MomentView {
    /// "3 March 2026".
    pub day: String,
    /// Their words.
    pub text: String,
}

/// `GET /journal/{id}`.
#[derive(Template)]
#[template(path = "journal/entry.html")]
pub struct EntryView {
    /// Chrome.
    pub chrome: Chrome,
    /// The id.
    pub id: String,
    /// The kind's name.
    pub kind_name: &'static str,
    /// "Tuesday 3 March 2026".
    pub day: String,
    /// The boxes that hold something.
    pub boxes: Vec<BoxView>,
    /// Mood in words.
    pub mood: Option<&'static str>,
    /// Tags.
    pub tags: Vec<TagLink>,
    /// Just saved.
    pub saved: bool,
    /// One of their own past good moments, on a hard day, when they turned it on.
    pub moment: Option<MomentView>,
}

/// `GET /journal/{id}` (`?saved` after saving: says so and, after a hard moment, may offer
/// a past good moment).
pub async fn show(
    State(state): State<AppState>,
    Own { me, item }: Own<JournalEntry>,
    Query(saved): Query<Saved>,
) -> Result<Response, ErrorPage> {
    let saved = saved.shown();
    let moment =
        if saved && item.value.is_hard() {
            state.trellis.journal(&me.unlocked).past_good_moment().await?.map(
                |PastGoodMoment { day, text }| MomentView {
                    day: Day::of_unix(day).date_words(),
                    text,
                },
            )
        } else {
            None
        };
    let e = &item.value;
    let view = EntryView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        kind_name: e.kind.name(),
        day: Day::of_unix(item.created_day).words_with_year(),
        boxes: e
            .filled()
            .into_iter()
            .map(|(f, t)| BoxView {
                label: f.label,
                text: t.to_owned(),
            })
            .collect(),
        mood: e.mood_word(),
        tags: tag_links(&e.tags),
        saved,
        moment,
    };
    Ok(crate::render::page(StatusCode::OK, &view))
}

/// `GET /journal/{id}/edit` (restoring a draft of these changes, if one was kept).
pub async fn edit_form(
    State(state): State<AppState>,
    Own { me, item }: Own<JournalEntry>,
) -> Result<Response, ErrorPage> {
    let id = item.id.clone();
    let draft = state
        .trellis
        .journal(&me.unlocked).draft(&DraftForm::Edit(id.clone()))
        .await?;
    let input = draft
        .as_ref()
        .map_or_else(|| EntryInput::from_entry(&item), |d| d.input.clone());
    let mut view = form_view(
        me.ctx.chrome,
        &input,
        Some(&id),
        day_of(state.trellis.now()),
    );
    view.restored = draft.is_some();
    Ok(crate::render::page(StatusCode::OK, &view))
}

/// `POST /journal/{id}`: saves the changes. Another person's id → 404, nothing changes.
pub async fn update(
    State(state): State<AppState>,
    Own { me, item }: Own<JournalEntry>,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let id = item.id.clone();
    let input = input_from(&form, item.value.kind);
    match state
        .trellis
        .journal(&me.unlocked).update(&id, &input)
        .await
    {
        Ok(true) => Ok(Redirect::to(&format!("/journal/{id}?saved")).into_response()),
        Ok(false) => Err(ErrorPage::not_found()),
        Err(e) => {
            let mut view = form_view(
                me.ctx.chrome,
                &input,
                Some(&id),
                day_of(state.trellis.now()),
            );
            view.problem = Some(problem_status(e)?);
            Ok(crate::render::page(StatusCode::BAD_REQUEST, &view))
        }
    }
}

/// `GET /journal/{id}/delete`: asks once.
#[derive(Template)]
#[template(path = "journal/delete.html")]
pub struct DeleteView {
    /// Chrome.
    pub chrome: Chrome,
    /// The id.
    pub id: String,
    /// The kind's name.
    pub kind_name: &'static str,
    /// Its day.
    pub day: String,
    /// The start of its text.
    pub preview: String,
}

/// `GET /journal/{id}/delete`.
pub async fn delete_form(Own { me, item }: Own<JournalEntry>) -> Result<Response, ErrorPage> {
    let view = DeleteView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        kind_name: item.value.kind.name(),
        day: Day::of_unix(item.created_day).words_with_year(),
        preview: item.value.preview(PREVIEW_CHARS),
    };
    Ok(crate::render::page(StatusCode::OK, &view))
}

/// `POST /journal/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    uri: Uri,
) -> Result<Response, ErrorPage> {
    let id = path_id(&uri).ok_or_else(ErrorPage::not_found)?;
    crate::handlers::found(state
        .trellis
        .journal(&me.unlocked).delete(&id)
        .await?)?;
    Ok(Redirect::to("/journal?deleted").into_response())
}
