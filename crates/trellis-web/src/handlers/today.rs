//! Today: the check-in, tiny goals, recent days at a glance, and what the check-in follows.
//!
//! A check-in typed while the session locks itself is never lost: the check-in routes take
//! [`Ctx`] rather than [`Me`], and when no session is unlocked they answer with an unlock page
//! that carries the typed form along (hidden fields of a `no-store` page), posting to
//! `/today/checkin/unlock`, which unlocks and then saves. With JavaScript, the page's own
//! auto-lock posts the form to `/today/checkin/lock` instead of dropping it.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::SET_COOKIE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::ids::RecordId;
use trellis_core::records::Item;
use trellis_core::today::{
    self, local_today, read_checkin, read_follow_choice, read_goal_text, CheckIn, CheckInSaved,
    Day, Draft, Followed, Goal, Problem, Question, TodayPrefs, GOAL_IDEAS, QUESTIONS,
};
use trellis_core::{SessionProblem, SetupState, Unlocked};
use trellis_vault::session::anonymous_csrf_token;

use crate::cookies::{clear_cookie, SESSION_COOKIE};
use crate::ctx::{Chrome, Ctx, Me, Own, ToUnlock};
use crate::error::ErrorPage;
use crate::form::{FormFields, QueryParams};
use crate::handlers::access::{unlock_problem, with_session};
use crate::registry::{Access, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("today", routes);

fn routes() -> Routes {
    Routes::new()
        .get("/today", Access::Unlocked, show)
        .post("/today/checkin", Access::Unlocked, save)
        .post("/today/checkin/unlock", Access::Public, unlock_and_save)
        .post("/today/checkin/lock", Access::Public, lock_and_keep)
        .get("/today/earlier", Access::Unlocked, earlier)
        .get("/today/settings", Access::Unlocked, settings_form)
        .post("/today/settings", Access::Unlocked, save_settings)
        .post("/today/goals", Access::Unlocked, add_goal)
        .post("/today/goals/{id}/done", Access::Unlocked, toggle_goal)
        .post("/today/goals/{id}/aside", Access::Unlocked, set_goal_aside)
        .post("/today/goals/{id}/delete", Access::Unlocked, delete_goal)
        .post("/today/{id}", Access::Unlocked, update)
        .get("/today/{id}/edit", Access::Unlocked, edit_form)
        .get("/today/{id}/delete", Access::Unlocked, delete_form)
        .post("/today/{id}/delete", Access::Unlocked, delete)
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// The check-in form, as shown on Today and on the change page.
pub struct CheckInForm {
    /// Where it posts.
    pub action: String,
    /// The fields as typed (or as saved).
    pub draft: Draft,
    /// Questions answered with words, in order (how the day feels, then what is followed).
    pub questions: Vec<&'static Question>,
    /// Whether the hours-of-sleep field is shown.
    pub sleep: bool,
    /// What needs a small change.
    pub problems: Vec<Problem>,
    /// The check-in being changed, if any.
    pub id: Option<String>,
    /// The person's today (carried so a saved form comes back to the same day).
    pub today: String,
    /// The latest day the date field offers.
    pub max_day: String,
    /// Whether this is the change page (so a problem after unlocking shows that page again).
    pub from_edit: bool,
    /// When another check-in already holds the chosen day: its id and day in words.
    pub taken: Option<(String, String)>,
}

impl CheckInForm {
    fn new(
        action: String,
        draft: Draft,
        prefs: &TodayPrefs,
        id: Option<&RecordId>,
        today: Day,
    ) -> Self {
        let mut shown = prefs.followed();
        shown.extend(draft.answered_items());
        let questions = QUESTIONS
            .iter()
            .filter(|q| q.item.is_none_or(|i| shown.contains(&i)))
            .collect();
        Self {
            action,
            draft,
            questions,
            sleep: shown.contains(&Followed::Sleep),
            problems: Vec::new(),
            id: id.map(ToString::to_string),
            today: today.to_string(),
            max_day: today.next().to_string(),
            from_edit: false,
            taken: None,
        }
    }

    /// A field's text.
    pub fn value(&self, field: &str) -> &str {
        self.draft.get(field)
    }

    /// The words about a field that needs a change.
    pub fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    /// Whether the form asks only how the day feels.
    pub fn asks_only_mood(&self) -> bool {
        self.questions.len() == 1 && !self.sleep
    }
}

/// A tiny goal as shown.
pub struct GoalRow {
    /// Its id.
    pub id: String,
    /// Its words.
    pub text: String,
    /// Whether it is done today.
    pub done: bool,
}

/// One day in "recent days".
pub struct DayRow {
    /// "Saturday 21 November".
    pub words: String,
    /// The check-in's id, when there is one.
    pub id: Option<String>,
    /// Its answers in words.
    pub summary: Vec<(&'static str, String)>,
    /// The beginning of its note.
    pub note: String,
    /// Small things done that day.
    pub goals_done: Vec<String>,
}

/// `GET /today`.
#[derive(Template)]
#[template(path = "today/index.html")]
pub struct TodayView {
    /// Chrome.
    pub chrome: Chrome,
    /// The person's today, `2026-11-21`.
    pub today: String,
    /// "Saturday 21 November".
    pub today_words: String,
    /// A calm status line.
    pub message: Option<String>,
    /// Whether the check-in just saved was a hard one.
    pub hard: bool,
    /// On a hard day, one of the person's own past good moments (only if they turned this
    /// on in the journal's settings).
    pub moment: Option<crate::handlers::journal::MomentView>,
    /// Whether today already has a check-in (the form changes it).
    pub checked_in: bool,
    /// The check-in form.
    pub form: CheckInForm,
    /// Goals on today's list.
    pub goals: Vec<GoalRow>,
    /// Goals put aside for now.
    pub aside: Vec<GoalRow>,
    /// Ideas not yet on the list.
    pub ideas: Vec<&'static str>,
    /// A new goal as typed, when it needs a change.
    pub goal_text: String,
    /// Words about the new goal.
    pub goal_problem: Option<String>,
    /// Recent days with a check-in or a small thing done.
    pub days: Vec<DayRow>,
}

/// `GET /today/{id}/edit`.
#[derive(Template)]
#[template(path = "today/edit.html")]
pub struct EditView {
    /// Chrome.
    pub chrome: Chrome,
    /// The check-in's id.
    pub id: String,
    /// Its day in words.
    pub day_words: String,
    /// The form.
    pub form: CheckInForm,
}

/// `GET /today/{id}/delete`.
#[derive(Template)]
#[template(path = "today/delete.html")]
pub struct DeleteView {
    /// Chrome.
    pub chrome: Chrome,
    /// The check-in's id.
    pub id: String,
    /// Its day in words.
    pub day_words: String,
}

/// One item in the settings form.
pub struct FollowChoice {
    /// Key.
    pub key: &'static str,
    /// Name.
    pub name: &'static str,
    /// A short line about it.
    pub hint: &'static str,
    /// Whether it is followed.
    pub on: bool,
}

/// `GET /today/settings`.
#[derive(Template)]
#[template(path = "today/settings.html")]
pub struct SettingsView {
    /// Chrome.
    pub chrome: Chrome,
    /// The items.
    pub choices: Vec<FollowChoice>,
    /// A calm problem message.
    pub problem: Option<&'static str>,
}

/// `GET /today/earlier`.
#[derive(Template)]
#[template(path = "today/earlier.html")]
pub struct EarlierView {
    /// Chrome.
    pub chrome: Chrome,
    /// Check-ins before the recent days.
    pub days: Vec<DayRow>,
}

/// The unlock page that keeps a check-in typed while the session locked.
#[derive(Template)]
#[template(path = "today/unlock_to_save.html")]
pub struct UnlockToSaveView {
    /// Chrome.
    pub chrome: Chrome,
    /// A calm message.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
    /// The typed fields, carried as hidden inputs.
    pub carried: Vec<(&'static str, String)>,
    /// Whether to ask for a name (several people share this Trellis).
    pub ask_name: bool,
    /// The name typed so far.
    pub name: String,
}

crate::render::html_pages!(
    TodayView,
    EditView,
    DeleteView,
    SettingsView,
    EarlierView,
    UnlockToSaveView
);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The query of `GET /today`: `day` (the browser's local date), `saved` (a day just saved),
/// `done` (what just happened).
#[derive(Default)]
struct TodayQuery {
    day: String,
    saved: String,
    done: String,
}

fn read_query(query: Option<&str>) -> TodayQuery {
    let q = QueryParams::parse(query);
    TodayQuery {
        day: q.get("day").to_owned(),
        saved: q.get("saved").to_owned(),
        done: q.get("done").to_owned(),
    }
}

fn today_url(today: Day, rest: &str) -> String {
    format!("/today?day={today}{rest}")
}

fn note_excerpt(note: &str) -> String {
    const MAX: usize = 160;
    let first: String = note.chars().take(MAX).collect();
    if note.chars().count() > MAX {
        format!("{}…", first.trim_end())
    } else {
        first
    }
}

fn day_row(item: &Item<CheckIn>, goals: &[Item<Goal>], words: fn(Day) -> String) -> DayRow {
    DayRow {
        words: words(item.value.day),
        id: Some(item.id.to_string()),
        summary: item.value.summary(),
        note: note_excerpt(&item.value.note),
        goals_done: goals
            .iter()
            .filter(|g| g.value.done_on(item.value.day))
            .map(|g| g.value.text.clone())
            .collect(),
    }
}

/// Recent days: every day of the last two weeks with a check-in or a small thing done, newest
/// first. Days with neither are simply absent.
fn recent_rows(today: Day, checkins: &[Item<CheckIn>], goals: &[Item<Goal>]) -> Vec<DayRow> {
    let from = today.minus_days(today::RECENT_DAYS - 1);
    let mut days: Vec<Day> = checkins.iter().map(|c| c.value.day).collect();
    for g in goals {
        days.extend(
            g.value
                .done_days
                .iter()
                .copied()
                .filter(|d| *d >= from && *d <= today.next()),
        );
    }
    days.sort();
    days.dedup();
    days.reverse();
    days.into_iter()
        .map(|d| match checkins.iter().find(|c| c.value.day == d) {
            Some(c) => day_row(c, goals, Day::words),
            None => DayRow {
                words: d.words(),
                id: None,
                summary: Vec::new(),
                note: String::new(),
                goals_done: goals
                    .iter()
                    .filter(|g| g.value.done_on(d))
                    .map(|g| g.value.text.clone())
                    .collect(),
            },
        })
        .collect()
}

/// What a page knows before drawing Today.
struct TodayState {
    today: Day,
    prefs: TodayPrefs,
    checkins: Vec<Item<CheckIn>>,
    goals: Vec<Item<Goal>>,
}

async fn load(state: &AppState, unlocked: &Unlocked, today: Day) -> Result<TodayState, ErrorPage> {
    let t = &state.trellis;
    Ok(TodayState {
        today,
        prefs: t.today_prefs(unlocked).await?,
        checkins: t.recent_checkins(unlocked, today).await?,
        goals: t.goals(unlocked).await?,
    })
}

/// Today, with `form` (or today's check-in, or a new one) and whatever message.
fn today_view(chrome: Chrome, s: TodayState, form: Option<CheckInForm>) -> TodayView {
    let todays = s.checkins.iter().find(|c| c.value.day == s.today);
    let form = form.unwrap_or_else(|| {
        let draft = todays.map_or_else(|| Draft::for_day(s.today), |c| c.value.draft());
        CheckInForm::new(
            "/today/checkin".to_owned(),
            draft,
            &s.prefs,
            todays.map(|c| &c.id),
            s.today,
        )
    });
    let row = |g: &Item<Goal>| GoalRow {
        id: g.id.to_string(),
        text: g.value.text.clone(),
        done: g.value.done_on(s.today),
    };
    let ideas = GOAL_IDEAS
        .iter()
        .copied()
        .filter(|idea| {
            !s.goals
                .iter()
                .any(|g| g.value.text.eq_ignore_ascii_case(idea))
        })
        .collect();
    TodayView {
        chrome,
        today: s.today.to_string(),
        today_words: s.today.words(),
        message: None,
        hard: false,
        moment: None,
        checked_in: todays.is_some(),
        goals: s.goals.iter().filter(|g| g.value.active).map(row).collect(),
        aside: s
            .goals
            .iter()
            .filter(|g| !g.value.active)
            .map(row)
            .collect(),
        ideas,
        goal_text: String::new(),
        goal_problem: None,
        days: recent_rows(s.today, &s.checkins, &s.goals),
        form,
    }
}

/// Chrome for a page drawn for a session unlocked during this request.
async fn chrome_for(
    state: &AppState,
    mut chrome: Chrome,
    unlocked: &Unlocked,
) -> Result<Chrome, ErrorPage> {
    let profile = state.trellis.profile(unlocked).await?;
    chrome.csrf = unlocked.csrf_token(&state.trellis);
    chrome.unlocked = true;
    chrome.idle_seconds = u32::from(unlocked.account.idle_minutes) * 60;
    chrome.title = if profile.display_name.is_empty() {
        "Notes".to_owned()
    } else {
        profile.display_name
    };
    Ok(chrome)
}

/// The typed check-in and what comes with it (which check-in, which day is today, which page).
struct Typed {
    draft: Draft,
    id: String,
    today: String,
    from_edit: bool,
}

impl Typed {
    fn read(form: &FormFields) -> Self {
        Self {
            draft: Draft::read(|f| form.get(f)),
            id: form.get("id").to_owned(),
            today: form.get("today").to_owned(),
            from_edit: form.get("from") == "edit",
        }
    }

    fn carried(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = self
            .draft
            .fields()
            .map(|(k, v)| (k, v.to_owned()))
            .collect();
        out.push(("id", self.id.clone()));
        out.push(("today", self.today.clone()));
        if self.from_edit {
            out.push(("from", "edit".to_owned()));
        }
        out
    }
}

/// Validates and saves a typed check-in for an unlocked person: a redirect to Today when
/// saved, else the form again (400) exactly as typed.
async fn save_typed(
    state: &AppState,
    chrome: Chrome,
    unlocked: &Unlocked,
    typed: Typed,
) -> Result<Response, ErrorPage> {
    let t = &state.trellis;
    let today = local_today(t.now(), &typed.today);
    let id = match typed.id.trim() {
        "" => None,
        s => Some(super::record_id(s)?),
    };
    let prefs = t.today_prefs(unlocked).await?;
    let from_edit = typed.from_edit && id.is_some();
    let action = match (&id, from_edit) {
        (Some(id), true) => format!("/today/{id}"),
        _ => "/today/checkin".to_owned(),
    };
    let mut form = CheckInForm::new(action, typed.draft.clone(), &prefs, id.as_ref(), today);
    form.from_edit = from_edit;
    match read_checkin(&typed.draft, today) {
        Ok(checkin) if checkin.is_blank() && id.is_none() => {
            Ok(Redirect::to(&today_url(today, "&done=blank")).into_response())
        }
        Ok(checkin) if checkin.is_blank() => {
            form.problems.push(Problem {
                field: "mood",
                message: "Every answer is blank now. To remove this check-in, use Delete instead."
                    .to_owned(),
            });
            form_again(state, chrome, unlocked, form, today).await
        }
        Ok(checkin) => match t.save_checkin(unlocked, id.as_ref(), &checkin).await? {
            CheckInSaved::Saved(_) => {
                tracing::info!(event = "checkin_saved");
                Ok(
                    Redirect::to(&today_url(today, &format!("&saved={}", checkin.day)))
                        .into_response(),
                )
            }
            CheckInSaved::DayTaken(other) => {
                form.problems.push(Problem {
                    field: "day",
                    message: format!(
                        "There is already a check-in for {}. Your answers are still here: choose another day, \
                         or change that day's check-in instead.",
                        checkin.day.words()
                    ),
                });
                form.taken = Some((other.to_string(), checkin.day.words()));
                form_again(state, chrome, unlocked, form, today).await
            }
            CheckInSaved::NotFound => Err(ErrorPage::not_found()),
        },
        Err(problems) => {
            form.problems = problems;
            form_again(state, chrome, unlocked, form, today).await
        }
    }
}

/// The form shown again with its problems, on the page it came from (400).
async fn form_again(
    state: &AppState,
    chrome: Chrome,
    unlocked: &Unlocked,
    form: CheckInForm,
    today: Day,
) -> Result<Response, ErrorPage> {
    if form.from_edit {
        let day_words = Day::parse(form.value("day")).map_or_else(String::new, Day::words);
        let id = form.id.clone().unwrap_or_default();
        return Ok((
            StatusCode::BAD_REQUEST,
            EditView {
                chrome,
                id,
                day_words,
                form,
            },
        )
            .into_response());
    }
    let s = load(state, unlocked, today).await?;
    Ok((StatusCode::BAD_REQUEST, today_view(chrome, s, Some(form))).into_response())
}

/// The unlock page carrying the typed check-in.
fn unlock_to_save(
    chrome: Chrome,
    typed: &Typed,
    message: Option<String>,
    is_problem: bool,
) -> UnlockToSaveView {
    UnlockToSaveView {
        chrome,
        message,
        is_problem,
        carried: typed.carried(),
        ask_name: false,
        name: String::new(),
    }
}

/// When a check-in arrives without an unlocked session: keep it on an unlock page (or, when
/// nothing was typed, go to the ordinary unlock page).
async fn keep_for_unlock(state: &AppState, ctx: Ctx, typed: &Typed) -> Result<Response, ErrorPage> {
    if state.trellis.setup_state().await? == SetupState::NotSetUp {
        return Ok(Redirect::to("/welcome").into_response());
    }
    let quiet = ctx.problem == Some(SessionProblem::Expired);
    let mut response = if typed.draft.has_answers() {
        let message = quiet.then(|| {
            "Your notes locked themselves after a quiet while. What you wrote is kept on this page, out of \
             sight. Unlock, and it will be saved."
                .to_owned()
        });
        let mut view = unlock_to_save(ctx.chrome, typed, message, false);
        view.ask_name = state.trellis.needs_name().await?;
        view.into_response()
    } else {
        ToUnlock { quiet }.into_response()
    };
    if ctx.session_cookie.is_some() {
        response
            .headers_mut()
            .append(SET_COOKIE, clear_cookie(SESSION_COOKIE));
    }
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/// `GET /today`: the check-in (today's, when done), small things, recent days.
pub async fn show(
    State(state): State<AppState>,
    me: Me,
    RawQuery(query): RawQuery,
) -> Result<Response, ErrorPage> {
    let q = read_query(query.as_deref());
    let today = local_today(state.trellis.now(), &q.day);
    let s = load(&state, &me.unlocked, today).await?;
    let saved = match Day::parse(&q.saved) {
        Some(d) => match s.checkins.iter().find(|c| c.value.day == d) {
            Some(c) => Some(c.value.clone()),
            None => state
                .trellis
                .checkin_for_day(&me.unlocked, d)
                .await?
                .map(|c| c.value),
        },
        None => None,
    };
    let mut view = today_view(me.ctx.chrome, s, None);
    view.message = match (&saved, q.done.as_str()) {
        (Some(c), _) if c.day == today => Some("Your check-in is saved.".to_owned()),
        (Some(c), _) => Some(format!("Your check-in for {} is saved.", c.day.words())),
        (None, "blank") => {
            Some("Nothing was saved, and that is fine. Any day can be skipped.".to_owned())
        }
        (None, "deleted") => Some("That check-in is deleted.".to_owned()),
        (None, "followed") => Some("Saved. The check-in now asks about what you chose.".to_owned()),
        _ => None,
    };
    view.hard = saved.as_ref().is_some_and(CheckIn::is_hard);
    if view.hard {
        view.moment = state
            .trellis
            .past_good_moment(&me.unlocked)
            .await?
            .map(|m| crate::handlers::journal::MomentView {
                day: crate::pages::day_words(m.day),
                text: m.text,
            });
    }
    Ok(view.into_response())
}

/// `POST /today/checkin`: saves the check-in for its day (a change when `id` is given).
/// Without an unlocked session, the typed form is kept on an unlock page.
pub async fn save(
    State(state): State<AppState>,
    mut ctx: Ctx,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let typed = Typed::read(&form);
    match ctx.unlocked.take() {
        Some(unlocked) => save_typed(&state, ctx.chrome, &unlocked, typed).await,
        None => keep_for_unlock(&state, ctx, &typed).await,
    }
}

/// `POST /today/{id}`: saves a change to check-in `id`.
pub async fn update(
    State(state): State<AppState>,
    mut ctx: Ctx,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let mut typed = Typed::read(&form);
    typed.id = id;
    typed.from_edit = true;
    match ctx.unlocked.take() {
        Some(unlocked) => {
            super::record_id(&typed.id)?;
            save_typed(&state, ctx.chrome, &unlocked, typed).await
        }
        None => keep_for_unlock(&state, ctx, &typed).await,
    }
}

/// `POST /today/checkin/unlock`: unlocks with the passphrase, then saves the carried check-in.
pub async fn unlock_and_save(
    State(state): State<AppState>,
    mut ctx: Ctx,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let typed = Typed::read(&form);
    if let Some(unlocked) = ctx.unlocked.take() {
        return save_typed(&state, ctx.chrome, &unlocked, typed).await;
    }
    let t = &state.trellis;
    let session = match t
        .unlock_named(form.get("name"), form.get("passphrase"), &ctx.requester)
        .await
    {
        Ok(session) => session,
        Err(trellis_core::UnlockError::NoAccount) => {
            return Ok(Redirect::to("/welcome").into_response())
        }
        Err(e) => {
            let ask_name = t.needs_name().await?;
            let (status, message) = unlock_problem(e, ask_name)?;
            let mut view = unlock_to_save(ctx.chrome, &typed, Some(message), true);
            view.ask_name = ask_name;
            view.name = form.get("name").to_owned();
            return Ok((status, view).into_response());
        }
    };
    let Ok(unlocked) = t.authenticate(&session.cookie_value).await? else {
        return Err(ErrorPage::unavailable());
    };
    let chrome = chrome_for(&state, ctx.chrome, &unlocked).await?;
    // Unlocked either way: even when the check-in cannot be saved (an unknown id), the
    // person keeps the session they just opened.
    let response = save_typed(&state, chrome, &unlocked, typed)
        .await
        .unwrap_or_else(IntoResponse::into_response);
    Ok(with_session(response, &session))
}

/// `POST /today/checkin/lock`: the page's auto-lock (JavaScript) sends the check-in here
/// instead of dropping it: the session ends, and the typed form waits on an unlock page.
pub async fn lock_and_keep(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let typed = Typed::read(&form);
    if let Some(cookie) = &ctx.session_cookie {
        state.trellis.lock(cookie).await?;
    }
    let mut chrome = ctx.chrome;
    chrome.unlocked = false;
    chrome.idle_seconds = 0;
    chrome.title = "Notes".to_owned();
    chrome.csrf = anonymous_csrf_token(state.trellis.session_secret(), &ctx.anon_nonce);
    let mut response = if typed.draft.has_answers() {
        let message = "Your notes locked themselves after a quiet while. What you wrote is kept on this page, \
                       out of sight. Unlock, and it will be saved."
            .to_owned();
        let mut view = unlock_to_save(chrome, &typed, Some(message), false);
        view.ask_name = state.trellis.needs_name().await?;
        view.into_response()
    } else {
        ToUnlock { quiet: true }.into_response()
    };
    response
        .headers_mut()
        .append(SET_COOKIE, clear_cookie(SESSION_COOKIE));
    Ok(response)
}

/// `GET /today/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    Own { me, item }: Own<CheckIn>,
) -> Result<Response, ErrorPage> {
    let prefs = state.trellis.today_prefs(&me.unlocked).await?;
    let today = Day::of_unix(state.trellis.now()).max(item.value.day);
    let mut form = CheckInForm::new(
        format!("/today/{}", item.id),
        item.value.draft(),
        &prefs,
        Some(&item.id),
        today,
    );
    form.from_edit = true;
    Ok(EditView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        day_words: item.value.day.words(),
        form,
    }
    .into_response())
}

/// `GET /today/{id}/delete`: asks once.
pub async fn delete_form(Own { me, item }: Own<CheckIn>) -> Result<Response, ErrorPage> {
    Ok(DeleteView {
        chrome: me.ctx.chrome,
        id: item.id.to_string(),
        day_words: item.value.day.words_with_year(),
    }
    .into_response())
}

/// `POST /today/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
) -> Result<Response, ErrorPage> {
    let id = super::record_id(&id)?;
    if !state
        .trellis
        .delete_item::<CheckIn>(&me.unlocked, &id)
        .await?
    {
        return Err(ErrorPage::not_found());
    }
    Ok(Redirect::to("/today?done=deleted").into_response())
}

/// `POST /today/goals`: adds a small thing (`text`).
pub async fn add_goal(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today"));
    let typed = form.get("text");
    let problem = match read_goal_text(typed) {
        Ok(text) => match state.trellis.add_goal(&me.unlocked, text).await? {
            Ok(_) => return Ok(Redirect::to(&today_url(today, "#goals")).into_response()),
            Err(p) => p,
        },
        Err(p) => p,
    };
    let s = load(&state, &me.unlocked, today).await?;
    let mut view = today_view(me.ctx.chrome, s, None);
    view.goal_text = typed.to_owned();
    view.goal_problem = Some(problem.to_string());
    Ok((StatusCode::BAD_REQUEST, view).into_response())
}

async fn change_goal(
    state: &AppState,
    me: &Me,
    id: &str,
    change: impl FnOnce(&mut Goal),
) -> Result<(), ErrorPage> {
    let id = super::record_id(id)?;
    if state.trellis.change_goal(&me.unlocked, &id, change).await? {
        Ok(())
    } else {
        Err(ErrorPage::not_found())
    }
}

/// `POST /today/goals/{id}/done`: done today, or not done after all.
pub async fn toggle_goal(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today"));
    change_goal(&state, &me, &id, |g| g.toggle(today)).await?;
    Ok(Redirect::to(&today_url(today, "#goals")).into_response())
}

/// `POST /today/goals/{id}/aside`: puts a small thing aside for now, or brings it back.
pub async fn set_goal_aside(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today"));
    change_goal(&state, &me, &id, |g| g.active = !g.active).await?;
    Ok(Redirect::to(&today_url(today, "#goals")).into_response())
}

/// `POST /today/goals/{id}/delete`.
pub async fn delete_goal(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.get("today"));
    let id = super::record_id(&id)?;
    if !state.trellis.delete_item::<Goal>(&me.unlocked, &id).await? {
        return Err(ErrorPage::not_found());
    }
    Ok(Redirect::to(&today_url(today, "#goals")).into_response())
}

fn follow_hint(item: Followed) -> &'static str {
    match item {
        Followed::Sleep => "Hours slept and how restful it was.",
        Followed::Nightmares => "None, some or many.",
        Followed::Startle => "From not at all to a lot.",
        Followed::Numb => "From not at all to a lot.",
        Followed::Touch => "Touch is okay, ask me first, or not today.",
        Followed::Urge => "Noted without judgement. A strong urge brings calm tools within reach.",
        Followed::Connected => "Whether you connected with someone today.",
    }
}

fn settings_view(
    chrome: Chrome,
    followed: &[Followed],
    problem: Option<&'static str>,
) -> SettingsView {
    let choices = Followed::ALL
        .into_iter()
        .map(|i| FollowChoice {
            key: i.key(),
            name: i.name(),
            hint: follow_hint(i),
            on: followed.contains(&i),
        })
        .collect();
    SettingsView {
        chrome,
        choices,
        problem,
    }
}

/// `GET /today/settings`: which items the check-in follows.
pub async fn settings_form(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let prefs = state.trellis.today_prefs(&me.unlocked).await?;
    Ok(settings_view(me.ctx.chrome, &prefs.followed(), None).into_response())
}

/// `POST /today/settings`: `follow_<item>=on` for each item to follow.
pub async fn save_settings(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let fields: Vec<(Followed, String)> = Followed::ALL
        .into_iter()
        .map(|i| (i, format!("follow_{}", i.key())))
        .collect();
    let value = |i: Followed| {
        fields
            .iter()
            .find(|(f, _)| *f == i)
            .map_or("", |(_, name)| form.get(name))
    };
    let Some(chosen) = read_follow_choice(value) else {
        let prefs = state.trellis.today_prefs(&me.unlocked).await?;
        let problem = "We couldn't read one of the choices, so nothing was changed. Please tick the boxes again.";
        return Ok((
            StatusCode::BAD_REQUEST,
            settings_view(me.ctx.chrome, &prefs.followed(), Some(problem)),
        )
            .into_response());
    };
    state.trellis.set_followed(&me.unlocked, &chosen).await?;
    Ok(Redirect::to("/today?done=followed").into_response())
}

/// `GET /today/earlier`: check-ins before the recent days.
pub async fn earlier(
    State(state): State<AppState>,
    me: Me,
    RawQuery(query): RawQuery,
) -> Result<Response, ErrorPage> {
    let q = read_query(query.as_deref());
    let today = local_today(state.trellis.now(), &q.day);
    let t = &state.trellis;
    let checkins = t
        .earlier_checkins(&me.unlocked, today.minus_days(today::RECENT_DAYS - 1))
        .await?;
    let goals = t.goals(&me.unlocked).await?;
    let days = checkins
        .iter()
        .map(|c| day_row(c, &goals, Day::words_with_year))
        .collect();
    Ok(EarlierView {
        chrome: me.ctx.chrome,
        days,
    }
    .into_response())
}
