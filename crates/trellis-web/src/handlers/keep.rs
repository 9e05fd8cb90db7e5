//! What a person typed is never lost to a lock. A form that asks for it (Today's check-in, the
//! PCL-5's answers) is posted by routes that take [`Ctx`] rather than [`Me`]: when no session
//! is unlocked, they answer with an unlock page that carries the typed fields along (hidden
//! inputs of a `no-store` page) and posts to the form's own unlock address, which unlocks and
//! then saves. With JavaScript, the page's auto-lock posts the form (`data-keep-on-lock`) to
//! the form's lock address, which ends the session and shows the same page.
//!
//! [`Me`]: crate::ctx::Me

use askama::Template;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::{SessionProblem, SetupState, Unlocked};
use trellis_vault::session::anonymous_csrf_token;

use crate::cookies::{clear_cookie, SESSION_COOKIE};
use crate::ctx::{Chrome, Ctx, ToUnlock};
use crate::error::ErrorPage;
use crate::form::FormFields;
use crate::handlers::access::{unlock_problem, with_session};
use crate::AppState;

/// The calm words shown when the page locked itself after a quiet while.
const QUIET: &str = "Your notes locked themselves after a quiet while. What you wrote is kept \
                     on this page, out of sight. Unlock, and it will be saved.";

/// A form kept across a lock.
pub(crate) struct Kept {
    /// What is kept, for the heading ("Unlock to save …"): "your check-in", "your answers".
    pub what: &'static str,
    /// Where the unlock page posts: unlocks, then saves what it carries.
    pub unlock_action: &'static str,
    /// The typed fields, name and value.
    pub carried: Vec<(String, String)>,
}

/// The unlock page that keeps what was typed while the session locked.
#[derive(Template)]
#[template(path = "keep.html")]
pub struct KeepView {
    /// Chrome.
    pub chrome: Chrome,
    /// A calm message.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
    /// What is kept, in words.
    pub what: &'static str,
    /// Where the form posts.
    pub action: &'static str,
    /// The typed fields, carried as hidden inputs.
    pub carried: Vec<(String, String)>,
    /// Whether to ask for a name (several people share this Trellis).
    pub ask_name: bool,
    /// The name typed so far.
    pub name: String,
}

crate::render::html_pages!(KeepView);

impl KeepView {
    fn new(chrome: Chrome, kept: Kept, message: Option<String>, is_problem: bool) -> Self {
        Self {
            chrome,
            message,
            is_problem,
            what: kept.what,
            action: kept.unlock_action,
            carried: kept.carried,
            ask_name: false,
            name: String::new(),
        }
    }
}

/// A form arrived without an unlocked session: keep `kept` on an unlock page (or, when nothing
/// was typed, go to the ordinary unlock page).
pub(crate) async fn keep_for_unlock(
    state: &AppState,
    ctx: Ctx,
    kept: Option<Kept>,
) -> Result<Response, ErrorPage> {
    if state.trellis.setup_state().await? == SetupState::NotSetUp {
        return Ok(Redirect::to("/welcome").into_response());
    }
    let quiet = ctx.problem == Some(SessionProblem::Expired);
    let mut response = match kept {
        Some(kept) => {
            let mut view = KeepView::new(ctx.chrome, kept, quiet.then(|| QUIET.to_owned()), false);
            view.ask_name = state.trellis.needs_name().await?;
            view.into_response()
        }
        None => ToUnlock { quiet }.into_response(),
    };
    if ctx.session_cookie.is_some() {
        response
            .headers_mut()
            .append(SET_COOKIE, clear_cookie(SESSION_COOKIE));
    }
    Ok(response)
}

/// The page's auto-lock sent the form here instead of dropping it: the session ends, and
/// `kept` waits on an unlock page.
pub(crate) async fn lock_and_keep(
    state: &AppState,
    ctx: Ctx,
    kept: Option<Kept>,
) -> Result<Response, ErrorPage> {
    if let Some(cookie) = &ctx.session_cookie {
        state.trellis.lock(cookie).await?;
    }
    let mut chrome = ctx.chrome;
    chrome.unlocked = false;
    chrome.idle_seconds = 0;
    chrome.title = "Notes".to_owned();
    chrome.csrf = anonymous_csrf_token(state.trellis.session_secret(), &ctx.anon_nonce);
    let mut response = match kept {
        Some(kept) => {
            let mut view = KeepView::new(chrome, kept, Some(QUIET.to_owned()), false);
            view.ask_name = state.trellis.needs_name().await?;
            view.into_response()
        }
        None => ToUnlock { quiet: true }.into_response(),
    };
    response
        .headers_mut()
        .append(SET_COOKIE, clear_cookie(SESSION_COOKIE));
    Ok(response)
}

/// The unlock page was sent: unlock with its name and passphrase, then `save` what it carried
/// (with the chrome of the session just opened). A wrong passphrase shows the page again with
/// everything still carried. Already unlocked (another tab): just `save`.
pub(crate) async fn unlock_then(
    state: &AppState,
    mut ctx: Ctx,
    form: &FormFields,
    kept: Kept,
    save: impl AsyncFnOnce(Chrome, &Unlocked) -> Result<Response, ErrorPage>,
) -> Result<Response, ErrorPage> {
    if let Some(unlocked) = ctx.unlocked.take() {
        return save(ctx.chrome, &unlocked).await;
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
            let mut view = KeepView::new(ctx.chrome, kept, Some(message), true);
            view.ask_name = ask_name;
            view.name = form.get("name").to_owned();
            return Ok((status, view).into_response());
        }
    };
    let Ok(unlocked) = t.authenticate(&session.cookie_value).await? else {
        return Err(ErrorPage::unavailable());
    };
    let chrome = chrome_for(state, ctx.chrome, &unlocked).await?;
    // Unlocked either way: even when what was carried cannot be saved (an unknown id), the
    // person keeps the session they just opened.
    let response = save(chrome, &unlocked)
        .await
        .unwrap_or_else(IntoResponse::into_response);
    Ok(with_session(response, &session))
}

/// Chrome for a page drawn for a session unlocked during this request.
pub(crate) async fn chrome_for(
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
