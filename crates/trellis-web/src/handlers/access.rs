//! Welcome, set-up, unlock, recovery, lock and quick exit.

use axum::extract::{RawQuery, State};
use axum::http::header::{HeaderValue, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::{NewSession, SessionProblem, SetupState, UnlockError};

use crate::cookies::{clear_cookie, set_cookie, ANON_COOKIE, SESSION_COOKIE};
use crate::ctx::Ctx;
use crate::error::ErrorPage;
use crate::form::FormFields;
use crate::pages::{RecoverView, RecoveryCodeView, SetupView, UnlockView, WelcomeView};
use crate::AppState;

/// `GET /welcome`.
pub async fn welcome(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    if state.trellis.setup_state().await? == SetupState::SetUp
        && !state.trellis.policy().open_signup
    {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(WelcomeView { chrome: ctx.chrome }.into_response())
}

/// `GET /setup`.
pub async fn setup_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, ErrorPage> {
    if state.trellis.setup_state().await? == SetupState::SetUp
        && !state.trellis.policy().open_signup
    {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(SetupView {
        chrome: ctx.chrome,
        problem: None,
        recovery: false,
    }
    .into_response())
}

/// Adds the new session's cookie to `response`.
pub(crate) fn with_session(mut response: Response, session: &NewSession) -> Response {
    response.headers_mut().append(
        SET_COOKIE,
        set_cookie(SESSION_COOKIE, &session.cookie_value, session.max_age_secs),
    );
    response
}

/// `POST /setup`: creates the account and signs in. When a recovery code was asked for, the
/// answer shows it once (it is never stored in clear, so it cannot be shown again).
pub async fn setup(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let want_code = form.checked("recovery");
    match state
        .trellis
        .set_up(
            form.get("passphrase"),
            form.get("confirm"),
            want_code,
            &ctx.requester,
        )
        .await
    {
        Ok(session) => {
            let page = match &session.recovery_code {
                Some(code) => {
                    let mut chrome = ctx.chrome;
                    chrome.unlocked = true;
                    RecoveryCodeView {
                        chrome,
                        code: Some(code.display().to_string()),
                    }
                    .into_response()
                }
                None => Redirect::to("/").into_response(),
            };
            Ok(with_session(page, &session))
        }
        Err(UnlockError::Passphrase(problem)) => Ok((
            StatusCode::BAD_REQUEST,
            SetupView {
                chrome: ctx.chrome,
                problem: Some(problem.to_string()),
                recovery: want_code,
            },
        )
            .into_response()),
        Err(UnlockError::NoAccount) => Ok(Redirect::to("/unlock").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `GET /setup/recovery`: the code is never shown twice.
pub async fn recovery_code_again(ctx: Ctx) -> Response {
    RecoveryCodeView {
        chrome: ctx.chrome,
        code: None,
    }
    .into_response()
}

/// `GET /unlock`.
pub async fn unlock_form(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(query): RawQuery,
) -> Result<Response, ErrorPage> {
    if state.trellis.setup_state().await? == SetupState::NotSetUp {
        return Ok(Redirect::to("/welcome").into_response());
    }
    if ctx.unlocked.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let quiet = ctx.problem == Some(SessionProblem::Expired) || query.as_deref() == Some("quiet");
    let message = quiet.then(|| {
        "Your notes locked themselves after a quiet while. Unlock again whenever you are ready."
            .to_owned()
    });
    let mut response = UnlockView {
        chrome: ctx.chrome,
        message,
        is_problem: false,
        recovery_available: state.trellis.recovery_available().await?,
    }
    .into_response();
    if ctx.problem.is_some() {
        response
            .headers_mut()
            .append(SET_COOKIE, clear_cookie(SESSION_COOKIE));
    }
    Ok(response)
}

/// Calm words and a status for an unlock that did not succeed.
pub(crate) fn unlock_problem(e: UnlockError) -> Result<(StatusCode, String), ErrorPage> {
    match e {
        UnlockError::Wrong => Ok((
            StatusCode::UNAUTHORIZED,
            "That passphrase didn't match. Please try again, taking all the time you need.".to_owned(),
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

/// `POST /unlock`: a new session on every unlock.
pub async fn unlock(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    match state
        .trellis
        .unlock(form.get("passphrase"), &ctx.requester)
        .await
    {
        Ok(session) => Ok(with_session(Redirect::to("/").into_response(), &session)),
        Err(UnlockError::NoAccount) => Ok(Redirect::to("/welcome").into_response()),
        Err(e) => {
            let (status, message) = unlock_problem(e)?;
            let view = UnlockView {
                chrome: ctx.chrome,
                message: Some(message),
                is_problem: true,
                recovery_available: state.trellis.recovery_available().await?,
            };
            Ok((status, view).into_response())
        }
    }
}

/// `GET /unlock/recover`.
pub async fn recover_form(ctx: Ctx) -> Response {
    RecoverView {
        chrome: ctx.chrome,
        problem: None,
    }
    .into_response()
}

/// `POST /unlock/recover`.
pub async fn recover(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    match state
        .trellis
        .recover(
            form.get("code"),
            form.get("passphrase"),
            form.get("confirm"),
            &ctx.requester,
        )
        .await
    {
        Ok(session) => Ok(with_session(Redirect::to("/").into_response(), &session)),
        Err(UnlockError::NoAccount) => Ok(Redirect::to("/welcome").into_response()),
        Err(UnlockError::Wrong) => Ok((
            StatusCode::UNAUTHORIZED,
            RecoverView {
                chrome: ctx.chrome,
                problem: Some(
                    "That recovery code didn't match. Please check it and try again.".to_owned(),
                ),
            },
        )
            .into_response()),
        Err(e) => {
            let (status, message) = unlock_problem(e)?;
            Ok((
                status,
                RecoverView {
                    chrome: ctx.chrome,
                    problem: Some(message),
                },
            )
                .into_response())
        }
    }
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
