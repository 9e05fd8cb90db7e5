//! Session notes: before a session, what to bring up; after it, what was noticed, what to
//! try and how it felt (0–10). Sealed; every box optional, not all empty.

use super::*;
use trellis_core::therapy::{read_note, SessionNote};

/// `GET /therapy/notes` (and the form again on a problem).
#[derive(Template)]
#[template(path = "therapy/notes.html")]
pub struct NotesView {
    /// Chrome.
    pub chrome: Chrome,
    /// The notes, newest session first: id, the day in words, the note.
    pub notes: Vec<(String, String, SessionNote)>,
    /// The form (new or as typed).
    pub form: NoteForm,
    /// A calm word: saved, deleted, or what to change.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
}

/// `GET /therapy/notes/{id}`.
#[derive(Template)]
#[template(path = "therapy/edit.html")]
pub struct EditView {
    /// Chrome.
    pub chrome: Chrome,
    /// The note's id.
    pub id: String,
    /// The form.
    pub form: NoteForm,
    /// What to change, in calm words.
    pub problem: Option<String>,
}

/// `GET /therapy/notes/{id}/delete`.
#[derive(Template)]
#[template(path = "therapy/delete.html")]
pub struct DeleteView {
    /// Chrome.
    pub chrome: Chrome,
    /// The note's id.
    pub id: String,
    /// Its day, in words.
    pub day: String,
}

crate::render::html_pages!(NotesView, EditView, DeleteView);

/// A note's boxes as typed.
#[derive(Clone, Debug, Default)]
pub struct NoteForm {
    /// `YYYY-MM-DD` or "".
    pub day: String,
    /// Before.
    pub bring_up: String,
    /// After.
    pub noticed: String,
    /// After.
    pub try_next: String,
    /// "" or 0–10.
    pub feeling: String,
}

impl NoteForm {
    fn typed(form: &FormFields) -> Self {
        Self {
            day: form.get("day").to_owned(),
            bring_up: form.get("bring_up").to_owned(),
            noticed: form.get("noticed").to_owned(),
            try_next: form.get("try_next").to_owned(),
            feeling: form.get("feeling").to_owned(),
        }
    }

    fn of(note: &SessionNote) -> Self {
        Self {
            day: note.day.map(|d| d.to_string()).unwrap_or_default(),
            bring_up: note.bring_up.clone(),
            noticed: note.noticed.clone(),
            try_next: note.try_next.clone(),
            feeling: note.feeling.map(|f| f.to_string()).unwrap_or_default(),
        }
    }

    /// The feeling scale's choices: value and whether chosen.
    pub fn feelings(&self) -> Vec<(String, bool)> {
        (0..=10)
            .map(|n| {
                let v = n.to_string();
                let chosen = v == self.feeling;
                (v, chosen)
            })
            .collect()
    }
}

/// The query of `GET /therapy/notes`.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NotesQuery {
    done: String,
}

async fn notes_view(state: &AppState, me: Me, form: NoteForm) -> Result<NotesView, ErrorPage> {
    let notes = state
        .trellis
        .therapy(&me.unlocked)
        .notes()
        .await?
        .into_iter()
        .map(|n| {
            let day = n.value.day.map_or_else(|| "No day given".to_owned(), |d| d.date_words());
            (n.id.to_string(), day, n.value)
        })
        .collect();
    Ok(NotesView {
        chrome: me.ctx.chrome,
        notes,
        form,
        message: None,
        is_problem: false,
    })
}

/// `GET /therapy/notes`: the notes and a new one.
pub async fn notes(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<NotesQuery>,
) -> Result<Response, ErrorPage> {
    let mut view = notes_view(&state, me, NoteForm::default()).await?;
    view.message = match q.done.as_str() {
        "saved" => Some("Your note is saved.".to_owned()),
        "deleted" => Some("That note is deleted.".to_owned()),
        _ => None,
    };
    Ok(view.into_response())
}

/// `POST /therapy/notes`: keeps a new note → 303; a problem → 400 with every word kept.
pub async fn add(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    match read_note(|f| form.get(f).to_owned()) {
        Ok(note) => {
            state.trellis.therapy(&me.unlocked).add(&note).await?;
            Ok(Redirect::to("/therapy/notes?done=saved").into_response())
        }
        Err(problem) => {
            let mut view = notes_view(&state, me, NoteForm::typed(&form)).await?;
            view.message = Some(problem.to_string());
            view.is_problem = true;
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

/// `GET /therapy/notes/{id}`: change a note.
pub async fn edit(Own { me, item }: Own<SessionNote>) -> Response {
    EditView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        form: NoteForm::of(&item.value),
        problem: None,
    }
    .into_response()
}

/// `POST /therapy/notes/{id}`: saves a change → 303; a problem → 400 with every word kept.
pub async fn change(
    State(state): State<AppState>,
    Own { me, item }: Own<SessionNote>,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    match read_note(|f| form.get(f).to_owned()) {
        Ok(note) => {
            crate::handlers::found(state.trellis.therapy(&me.unlocked).change(&item.id, &note).await?)?;
            Ok(Redirect::to("/therapy/notes?done=saved").into_response())
        }
        Err(problem) => Ok((
            StatusCode::BAD_REQUEST,
            EditView {
                chrome: me.ctx.chrome,
                id: item.id.to_string(),
                form: NoteForm::typed(&form),
                problem: Some(problem.to_string()),
            },
        )
            .into_response()),
    }
}

/// `GET /therapy/notes/{id}/delete`: asks once.
pub async fn ask_delete(Own { me, item }: Own<SessionNote>) -> Response {
    DeleteView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        day: item.value.day.map_or_else(|| "with no day given".to_owned(), |d| d.date_words()),
    }
    .into_response()
}

/// `POST /therapy/notes/{id}/delete` → 303 `/therapy/notes?done=deleted`.
pub async fn delete(
    State(state): State<AppState>,
    Own { me, item }: Own<SessionNote>,
) -> Result<Response, ErrorPage> {
    crate::handlers::found(state.trellis.therapy(&me.unlocked).delete(&item.id).await?)?;
    Ok(Redirect::to("/therapy/notes?done=deleted").into_response())
}
