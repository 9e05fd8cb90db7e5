//! Welcome, set-up, unlock, recovery, lock and quick exit.

use axum::extract::State;
use axum::http::header::{HeaderValue, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::ids::AccountId;
use trellis_core::{NewSession, SessionProblem, SetUp, SetupState, UnlockError};
use trellis_vault::RecoveryCode;

use crate::cookies::{clear_cookie, set_session_cookie, ANON_COOKIE, SESSION_COOKIE};
use crate::ctx::{Chrome, Ctx};
use crate::error::ErrorPage;
use crate::form::{Form, QueryParams, Secret, Tick};
use serde::Deserialize;
use crate::pages::{RecoverView, RecoveryCodeView, SetupView, UnlockView, WelcomeView};
use crate::registry::{Access, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("access", routes);

fn routes() -> Routes {
    Routes::new()
        .get("/welcome", Access::Public, welcome)
        .get("/setup", Access::Public, setup_form)
        .post("/setup", Access::Public, setup)
        .get("/setup/recovery", Access::Public, recovery_code_again)
        .get("/unlock", Access::Public, unlock_form)
        .post("/unlock", Access::Public, unlock)
        .get("/unlock/recover", Access::Public, recover_form)
        .post("/unlock/recover", Access::Public, recover)
        .post("/keepalive", Access::Unlocked, keepalive)
        .post("/lock", Access::Public, lock)
        .post("/exit", Access::Public, exit)
}

/// `GET /welcome`.
pub async fn welcome(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    if state.trellis.setup_state().await? == SetupState::SetUp && !state.trellis.policy().signup_open() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(WelcomeView { chrome: ctx.chrome }.into_response())
}

/// `GET /setup`.
pub async fn setup_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    if state.trellis.setup_state().await? == SetupState::SetUp && !state.trellis.policy().signup_open() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(SetupView {
        chrome: ctx.chrome,
        problem: None,
        recovery: false,
        ask_name: state.trellis.policy().signup_open(),
        name: String::new(),
        setup_id: AccountId::generate().as_str().to_owned(),
        ask_invite: state.trellis.policy().invite_signup,
        invite: String::new(),
    }
    .into_response())
}

/// Adds the new session's cookie to `response`.
pub(crate) fn with_session(mut response: Response, session: &NewSession) -> Response {
    response.headers_mut().append(
        SET_COOKIE,
        set_session_cookie(SESSION_COOKIE, &session.cookie_value),
    );
    response
}

/// The page that shows a new recovery code once (`replaced`: it replaces one just used).
fn recovery_code_page(chrome: Chrome, code: &RecoveryCode, replaced: bool) -> Response {
    let mut chrome = chrome;
    chrome.unlocked = true;
    RecoveryCodeView {
        chrome,
        code: Some(code.display().to_string()),
        replaced,
    }
    .into_response()
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SetupFields {
    recovery: Tick,
    setup_id: String,
    name: String,
    passphrase: Secret,
    confirm: Secret,
    invite: String,
}

/// `POST /setup`: creates the account and signs in. When a recovery code was asked for, the
/// answer shows it once (it is never stored in clear, so it cannot be shown again). A second
/// submit of the same page (a double click) opens the account the first one made.
pub async fn setup(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SetupFields>,
) -> Result<Response, ErrorPage> {
    let want_code = form.recovery.0;
    let setup_id = AccountId::parse(form.setup_id.as_str());
    let request = SetUp {
        name: form.name.as_str(),
        passphrase: form.passphrase.as_str(),
        confirm: form.confirm.as_str(),
        want_recovery_code: want_code,
        setup_id: setup_id.clone(),
        invite: form.invite.as_str(),
    };
    let bad = |words: &str| (StatusCode::BAD_REQUEST, words.to_owned());
    let (status, problem) = match state.trellis.set_up_with(&request, &ctx.requester).await {
        Ok(session) => {
            // The code is shown by the page this redirects to, so that a reload never sends
            // the set-up form (and the passphrase) again.
            let mut to = "/";
            if session.recovery_code.is_some() {
                if let Ok(unlocked) = state.trellis.authenticate(&session.cookie_value).await? {
                    state.trellis.mark_recovery_code_unseen(&unlocked).await?;
                    to = "/setup/recovery";
                }
            }
            return Ok(with_session(Redirect::to(to).into_response(), &session));
        }
        Err(UnlockError::Passphrase(problem)) => (StatusCode::BAD_REQUEST, problem.to_string()),
        Err(UnlockError::NameTaken) => {
            bad("Someone here already uses that name. Please choose another one.")
        }
        Err(UnlockError::NameTooLong) => bad("Please choose a shorter name (up to 60 characters)."),
        Err(UnlockError::BadInvite) => bad(
            "That invitation code didn't work. It may have been used already, or its time may have ended. \
             Please check it, or ask whoever gave it to you for a new one.",
        ),
        Err(UnlockError::NoAccount | UnlockError::Wrong) => {
            return Ok(Redirect::to("/unlock").into_response())
        }
        // A wait (429) or a refusal, with its own status and calm words.
        Err(e) => unlock_problem(e, false)?,
    };
    Ok((
        status,
        SetupView {
            chrome: ctx.chrome,
            problem: Some(problem),
            recovery: want_code,
            ask_name: state.trellis.policy().signup_open(),
            name: form.name.as_str().to_owned(),
            setup_id: setup_id
                .unwrap_or_else(AccountId::generate)
                .as_str()
                .to_owned(),
            ask_invite: state.trellis.policy().invite_signup,
            invite: form.invite.clone(),
        },
    )
        .into_response())
}

/// `GET /setup/recovery`: the code set-up made, shown once; never again after that.
pub async fn recovery_code_again(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, ErrorPage> {
    let code = match &ctx.unlocked {
        Some(unlocked) => state.trellis.take_unseen_recovery_code(unlocked).await?,
        None => None,
    };
    Ok(match code {
        Some(code) => recovery_code_page(ctx.chrome, &code, false),
        None => RecoveryCodeView {
            chrome: ctx.chrome,
            code: None,
            replaced: false,
        }
        .into_response(),
    })
}

/// `GET /unlock`.
pub async fn unlock_form(
    State(state): State<AppState>,
    ctx: Ctx,
    query: QueryParams,
) -> Result<Response, ErrorPage> {
    if state.trellis.setup_state().await? == SetupState::NotSetUp {
        return Ok(Redirect::to("/welcome").into_response());
    }
    if ctx.unlocked.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let quiet = ctx.problem == Some(SessionProblem::Expired) || query.has("quiet");
    let message = quiet.then(|| {
        "Your notes locked themselves after a quiet while. Unlock again whenever you are ready."
            .to_owned()
    });
    let mut response = UnlockView {
        chrome: ctx.chrome,
        message,
        is_problem: false,
        recovery_available: state.trellis.recovery_available().await?,
        ask_name: state.trellis.needs_name().await?,
        name: String::new(),
    }
    .into_response();
    if ctx.problem.is_some() {
        response
            .headers_mut()
            .append(SET_COOKIE, clear_cookie(SESSION_COOKIE));
    }
    Ok(response)
}

/// Calm words and a status for an unlock that did not succeed (`ask_name`: the page asked
/// for a name too, and the words must not say which of the two was wrong).
pub(crate) fn unlock_problem(
    e: UnlockError,
    ask_name: bool,
) -> Result<(StatusCode, String), ErrorPage> {
    match e {
        UnlockError::Wrong | UnlockError::NameTooLong | UnlockError::NameTaken | UnlockError::BadInvite => Ok((
            StatusCode::UNAUTHORIZED,
            if ask_name {
                "That name and passphrase didn't match. Please try again, taking all the time you need."
            } else {
                "That passphrase didn't match. Please try again, taking all the time you need."
            }
            .to_owned(),
        )),
        UnlockError::Wait(secs) => Ok((
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "There have been several tries in a row, so we're pausing for a moment. Please try again in {}. \
                 This pause protects your notes, and it never locks you out for good.",
                wait_words(secs)
            ),
        )),
        UnlockError::Passphrase(p) => Ok((StatusCode::BAD_REQUEST, p.to_string())),
        other => Err(other.into()),
    }
}

fn wait_words(secs: i64) -> String {
    if secs < 60 {
        format!("{secs} second{}", if secs == 1 { "" } else { "s" })
    } else {
        let m = (secs + 59) / 60;
        format!("{m} minute{}", if m == 1 { "" } else { "s" })
    }
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct UnlockFields {
    name: String,
    passphrase: Secret,
}

/// `POST /unlock`: a new session on every unlock.
pub async fn unlock(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<UnlockFields>,
) -> Result<Response, ErrorPage> {
    match state
        .trellis
        .unlock_named(form.name.as_str(), form.passphrase.as_str(), &ctx.requester)
        .await
    {
        Ok(session) => Ok(with_session(Redirect::to("/").into_response(), &session)),
        Err(UnlockError::NoAccount) => Ok(Redirect::to("/welcome").into_response()),
        Err(e) => {
            let ask_name = state.trellis.needs_name().await?;
            let (status, message) = unlock_problem(e, ask_name)?;
            let view = UnlockView {
                chrome: ctx.chrome,
                message: Some(message),
                is_problem: true,
                recovery_available: state.trellis.recovery_available().await?,
                ask_name,
                name: form.name.as_str().to_owned(),
            };
            Ok((status, view).into_response())
        }
    }
}

/// `GET /unlock/recover`.
pub async fn recover_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    Ok(RecoverView {
        chrome: ctx.chrome,
        problem: None,
        ask_name: state.trellis.needs_name().await?,
        name: String::new(),
    }
    .into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RecoverFields {
    name: String,
    code: Secret,
    passphrase: Secret,
    confirm: Secret,
}

/// `POST /unlock/recover`: the code works once; the answer shows the new one.
pub async fn recover(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<RecoverFields>,
) -> Result<Response, ErrorPage> {
    let result = state
        .trellis
        .recover(
            form.name.as_str(),
            form.code.as_str(),
            form.passphrase.as_str(),
            form.confirm.as_str(),
            &ctx.requester,
        )
        .await;
    let ask_name = state.trellis.needs_name().await?;
    let (status, problem) = match result {
        Ok(session) => {
            let page = match &session.recovery_code {
                Some(code) => recovery_code_page(ctx.chrome, code, true),
                None => Redirect::to("/").into_response(),
            };
            return Ok(with_session(page, &session));
        }
        Err(UnlockError::NoAccount) => return Ok(Redirect::to("/welcome").into_response()),
        Err(UnlockError::Wrong | UnlockError::NameTooLong) => (
            StatusCode::UNAUTHORIZED,
            if ask_name {
                "That name and recovery code didn't match. Please check them and try again."
            } else {
                "That recovery code didn't match. Please check it and try again."
            }
            .to_owned(),
        ),
        Err(e) => unlock_problem(e, ask_name)?,
    };
    Ok((
        status,
        RecoverView {
            chrome: ctx.chrome,
            problem: Some(problem),
            ask_name,
            name: form.name.as_str().to_owned(),
        },
    )
        .into_response())
}

fn locked_response(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    h.append(SET_COOKIE, clear_cookie(SESSION_COOKIE));
    h.append(SET_COOKIE, clear_cookie(ANON_COOKIE));
    response
}

/// `POST /lock`: ends the session, clears what the browser holds for this site.
pub async fn lock(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    if let Some(cookie) = &ctx.session_cookie {
        state.trellis.lock(cookie).await?;
    }
    Ok(locked_response(Redirect::to("/unlock").into_response()))
}

/// `POST /exit`: quick exit without JavaScript. Locks, then leaves for the neutral site.
pub async fn exit(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    if let Some(cookie) = &ctx.session_cookie {
        state.trellis.lock(cookie).await?;
    }
    Ok(locked_response(
        Redirect::to(&state.exit_url).into_response(),
    ))
}

/// `POST /keepalive`: the page sends this while the person is typing, so a long piece of
/// writing does not auto-lock. Authenticating refreshes the session (at most once a minute).
pub async fn keepalive(_me: crate::ctx::Me) -> StatusCode {
    StatusCode::NO_CONTENT
}
