//! Journal (issue 4): list by day, filters and search, the kinds of entry with their gentle
//! prompts, write / view / edit / delete, sealed drafts saved as the person types, and the
//! resurfacing preference. Handlers parse, authorise through `Me`, call one use case, render.
//! Every id in a path is checked against the unlocked person's own records: anything else
//! (unknown, someone else's, another kind) is a 404 that changes nothing.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::clock::{day_of, iso_day, parse_iso_day};
use trellis_core::ids::RecordId;
use trellis_core::journal::{
    DraftForm, EntryInput, EntryKind, EntryProblem, JournalEntry, JournalError, JournalFilter,
    JournalPage, JournalPrefs, PastGoodMoment, MOODS,
};
use trellis_core::records::Item;

use crate::assets::Assets;
use crate::ctx::{Chrome, Me, Own};
use crate::error::ErrorPage;
use crate::form::{FormFields, QueryParams};
use crate::registry::{Access, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("journal", routes);

fn routes() -> Routes {
    Routes::new()
        .get("/journal", Access::Unlocked, list)
        .post("/journal", Access::Unlocked, create)
        .get("/journal/new", Access::Unlocked, new_form)
        .post("/journal/draft", Access::Unlocked, save_draft)
        .post("/journal/draft/discard", Access::Unlocked, discard_draft)
        .get("/journal/settings", Access::Unlocked, settings)
        .post("/journal/settings", Access::Unlocked, save_settings)
        .get("/journal/{id}", Access::Unlocked, show)
        .post("/journal/{id}", Access::Unlocked, update)
        .get("/journal/{id}/edit", Access::Unlocked, edit_form)
        .get("/journal/{id}/delete", Access::Unlocked, delete_form)
        .post("/journal/{id}/delete", Access::Unlocked, delete)
}

/// Characters of an entry shown in the list.
const PREVIEW_CHARS: usize = 240;

/// "Tuesday 3 March 2026".
fn day_heading(day: i64) -> String {
    let fmt =
        time::macros::format_description!("[weekday] [day padding:none] [month repr:long] [year]");
    time::OffsetDateTime::from_unix_timestamp(day)
        .ok()
        .and_then(|t| t.format(fmt).ok())
        .unwrap_or_default()
}

/// `/journal?…` with these parameters (empty ones left out).
fn list_href(params: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    match serde_urlencoded::to_string(&kept) {
        Ok(q) if !q.is_empty() => format!("/journal?{q}"),
        _ => "/journal".to_owned(),
    }
}

/// The record id in `/journal/{id}…`, when it is one. Read from the raw path, so that no
/// address (not even one that is not UTF-8) gets anything but a calm 404.
fn path_id(uri: &Uri) -> Option<RecordId> {
    uri.path()
        .strip_prefix("/journal/")?
        .split('/')
        .next()
        .and_then(RecordId::parse)
}

/// The entry form's fields as typed (Windows line ends made plain).
fn input_from(form: &FormFields, kind: EntryKind) -> EntryInput {
    let clean = |s: &str| s.replace("\r\n", "\n");
    EntryInput {
        kind,
        texts: kind
            .fields()
            .iter()
            .map(|f| (f.name.to_owned(), clean(form.get(f.name))))
            .collect(),
        mood: form.get("mood").to_owned(),
        tags: form.get("tags").to_owned(),
        day: form.get("day").to_owned(),
    }
}

/// A tag as a link to the entries with it.
pub struct TagLink {
    /// The tag.
    pub name: String,
    /// `/journal?tag=…`.
    pub href: String,
}

fn tag_links(tags: &[String]) -> Vec<TagLink> {
    tags.iter()
        .map(|t| TagLink {
            name: t.clone(),
            href: list_href(&[("tag", t)]),
        })
        .collect()
}

/// An entry in the list.
pub struct EntryCard {
    /// Its id.
    pub id: String,
    /// The kind's name.
    pub kind_name: &'static str,
    /// The start of its text.
    pub preview: String,
    /// The mood in words.
    pub mood: Option<&'static str>,
    /// Its tags.
    pub tags: Vec<TagLink>,
}

/// The entries of one day.
pub struct DayGroup {
    /// "Tuesday 3 March 2026".
    pub heading: String,
    /// `YYYY-MM-DD` (for the heading's id).
    pub iso: String,
    /// Its entries, latest first.
    pub entries: Vec<EntryCard>,
}

fn group_by_day(entries: &[Item<JournalEntry>]) -> Vec<DayGroup> {
    let mut days: Vec<DayGroup> = Vec::new();
    for e in entries {
        let card = EntryCard {
            id: e.id.to_string(),
            kind_name: e.value.kind.name(),
            preview: e.value.preview(PREVIEW_CHARS),
            mood: e.value.mood_word(),
            tags: tag_links(&e.value.tags),
        };
        match days.last_mut() {
            Some(d) if d.iso == iso_day(e.created_day) => d.entries.push(card),
            _ => days.push(DayGroup {
                heading: day_heading(e.created_day),
                iso: iso_day(e.created_day),
                entries: vec![card],
            }),
        }
    }
    days
}

/// A kind as offered in a choice.
pub struct KindChoice {
    /// Its key.
    pub key: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Its prompt.
    pub prompt: &'static str,
    /// Whether it is the one chosen now.
    pub selected: bool,
    /// Whether an unfinished draft waits for it.
    pub has_draft: bool,
}

/// An unfinished draft, as a link back to its form.
pub struct DraftLink {
    /// Where to continue.
    pub href: String,
    /// What it is ("Free writing", "Editing an entry").
    pub what: String,
}

/// `GET /journal`.
#[derive(Template)]
#[template(path = "journal/list.html")]
pub struct ListView {
    /// Chrome.
    pub chrome: Chrome,
    /// Kinds for the filter.
    pub kinds: Vec<KindChoice>,
    /// The tag filter as typed.
    pub tag: String,
    /// The words searched for.
    pub q: String,
    /// Whether a filter or search is in force.
    pub filtering: bool,
    /// How many entries matched (when filtering).
    pub found: usize,
    /// The entries, by day.
    pub days: Vec<DayGroup>,
    /// The next (older) page.
    pub older_href: Option<String>,
    /// Unfinished drafts.
    pub drafts: Vec<DraftLink>,
    /// A calm status line ("The entry was deleted.").
    pub status: Option<&'static str>,
}

/// `GET /journal`: the newest days (30 entries a page, whole days), or the entries matching
/// `kind`, `tag` and `q`; `before=YYYY-MM-DD` pages back. Unreadable values are ignored.
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorPage> {
    let pairs = QueryParams::parse(raw.as_deref());
    let filter = JournalFilter::new(pairs.get("kind"), pairs.get("tag"), pairs.get("q"));
    let before = parse_iso_day(pairs.get("before"));
    let trellis = &state.trellis;
    let (page, found): (JournalPage, usize) = if filter.is_empty() {
        (trellis.journal_page(&me.unlocked, before).await?, 0)
    } else {
        let page = trellis
            .journal_search(&me.unlocked, &filter, before)
            .await?;
        let found = page.found.unwrap_or(0);
        (page, found)
    };
    let kind_key = filter.kind.map_or("", EntryKind::key);
    let tag = filter.tag.clone().unwrap_or_default();
    let q = filter.query.clone().unwrap_or_default();
    let older_href = page.older.map(|d| {
        list_href(&[
            ("kind", kind_key),
            ("tag", &tag),
            ("q", &q),
            ("before", &iso_day(d)),
        ])
    });
    let drafts = trellis
        .journal_drafts(&me.unlocked)
        .await?
        .into_iter()
        .filter_map(|d| match DraftForm::parse(&d.form)? {
            DraftForm::New(kind) => Some(DraftLink {
                href: format!("/journal/new?kind={}", kind.key()),
                what: kind.name().to_owned(),
            }),
            DraftForm::Edit(id) => Some(DraftLink {
                href: format!("/journal/{id}/edit"),
                what: "Changes to an entry".to_owned(),
            }),
        })
        .collect();
    let view = ListView {
        chrome: me.ctx.chrome,
        kinds: EntryKind::ALL
            .iter()
            .map(|k| KindChoice {
                key: k.key(),
                name: k.name(),
                prompt: k.prompt(),
                selected: filter.kind == Some(*k),
                has_draft: false,
            })
            .collect(),
        filtering: !filter.is_empty(),
        found,
        tag,
        q,
        days: group_by_day(&page.entries),
        older_href,
        drafts,
        status: pairs.has("deleted").then_some("The entry was deleted."),
    };
    Ok(crate::render::page(StatusCode::OK, &view))
}

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

/// A mood as offered in the form.
pub struct MoodChoice {
    /// `"1"`…`"5"`, or `""` for none.
    pub value: String,
    /// Its word.
    pub word: &'static str,
    /// Whether it is chosen.
    pub checked: bool,
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
    /// Mood choices.
    pub moods: Vec<MoodChoice>,
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

fn form_view(
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
    let mut moods = vec![MoodChoice {
        value: String::new(),
        word: "Rather not say",
        checked: input.mood.trim().is_empty(),
    }];
    moods.extend(MOODS.iter().map(|(m, w)| MoodChoice {
        value: m.to_string(),
        word: w,
        checked: input.mood.trim() == m.to_string(),
    }));
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
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorPage> {
    let pairs = QueryParams::parse(raw.as_deref());
    let drafts = state.trellis.journal_drafts(&me.unlocked).await?;
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

fn problem_status(e: JournalError) -> Result<String, ErrorPage> {
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
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let Some(kind) = EntryKind::parse(form.get("kind")) else {
        return Err(ErrorPage::bad_request());
    };
    let input = input_from(&form, kind);
    match state.trellis.add_journal_entry(&me.unlocked, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/journal/{id}?saved")).into_response()),
        Err(e) => {
            let mut view = form_view(me.ctx.chrome, &input, None, day_of(state.trellis.now()));
            view.problem = Some(problem_status(e)?);
            Ok(crate::render::page(StatusCode::BAD_REQUEST, &view))
        }
    }
}

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
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorPage> {
    let saved = QueryParams::parse(raw.as_deref()).has("saved");
    let moment =
        if saved && item.value.is_hard() {
            state.trellis.past_good_moment(&me.unlocked).await?.map(
                |PastGoodMoment { day, text }| MomentView {
                    day: crate::pages::day_words(day),
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
        day: day_heading(item.created_day),
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
        .journal_draft(&me.unlocked, &DraftForm::Edit(id.clone()))
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
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let id = item.id.clone();
    let input = input_from(&form, item.value.kind);
    match state
        .trellis
        .update_journal_entry(&me.unlocked, &id, &input)
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
        day: day_heading(item.created_day),
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
    if !state
        .trellis
        .delete_journal_entry(&me.unlocked, &id)
        .await?
    {
        return Err(ErrorPage::not_found());
    }
    Ok(Redirect::to("/journal?deleted").into_response())
}

/// `POST /journal/draft` (from the page's script while the person types): seals what is in
/// the form (`form` = `new:<kind>` or `edit:<id>`). Being a request, it also keeps the session
/// from locking while someone writes. 204 when kept; 400 when the form is unknown or over the
/// size limit; 404 for an entry that is not the person's.
pub async fn save_draft(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let Some(which) = DraftForm::parse(form.get("form")) else {
        return Err(ErrorPage::bad_request());
    };
    let kind = match &which {
        DraftForm::New(kind) => *kind,
        DraftForm::Edit(id) => match state.trellis.journal_entry(&me.unlocked, id).await? {
            Some(item) => item.value.kind,
            None => return Err(ErrorPage::not_found()),
        },
    };
    let input = input_from(&form, kind);
    match state
        .trellis
        .save_journal_draft(&me.unlocked, &which, &input)
        .await
    {
        Ok(true) => Ok(StatusCode::NO_CONTENT.into_response()),
        Ok(false) => Err(ErrorPage::not_found()),
        Err(JournalError::Input(p)) => Ok(too_long_draft(&p)),
        Err(JournalError::Service(s)) => Err(s.into()),
    }
}

fn too_long_draft(problem: &EntryProblem) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [("content-type", "text/plain; charset=utf-8")],
        problem.to_string(),
    )
        .into_response()
}

/// `POST /journal/draft/discard`: throws the draft of `form` away and shows the form afresh.
pub async fn discard_draft(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let Some(which) = DraftForm::parse(form.get("form")) else {
        return Err(ErrorPage::bad_request());
    };
    let back = match &which {
        DraftForm::New(kind) => format!("/journal/new?kind={}", kind.key()),
        DraftForm::Edit(id) => {
            if state
                .trellis
                .journal_entry(&me.unlocked, id)
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
        .discard_journal_draft(&me.unlocked, &which)
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
    /// Just saved.
    pub saved: bool,
}

/// `GET /journal/settings`.
pub async fn settings(
    State(state): State<AppState>,
    me: Me,
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorPage> {
    let prefs = state.trellis.journal_prefs(&me.unlocked).await?;
    let saved = QueryParams::parse(raw.as_deref()).has("saved");
    Ok(crate::render::page(
        StatusCode::OK,
        &SettingsView {
            chrome: me.ctx.chrome,
            resurface: prefs.resurface_good_moments,
            saved,
        },
    ))
}

/// `POST /journal/settings`: `resurface=on` turns resurfacing on; anything else, off.
pub async fn save_settings(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let prefs = JournalPrefs {
        resurface_good_moments: form.checked("resurface"),
    };
    state.trellis.set_journal_prefs(&me.unlocked, prefs).await?;
    Ok(Redirect::to("/journal/settings?saved").into_response())
}
