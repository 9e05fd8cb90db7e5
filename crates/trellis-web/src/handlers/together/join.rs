//! Creating an account with an invitation, from the unlock page (`/together/join`).

use super::*;

/// `GET /together/join`: making an account with an invitation.
#[derive(Template)]
#[template(path = "together/join.html")]
pub struct JoinView {
    chrome: Chrome,
    problem: Option<String>,
    name: String,
    code: String,
    recovery: bool,
    setup_id: String,
    code_words: usize,
}

crate::render::html_pages!(JoinView);

/// `GET /together/join`: make an account with an invitation (locked only).
pub async fn form(ctx: Ctx) -> Result<Response, ErrorPage> {
    if ctx.unlocked.is_some() {
        return Ok(Redirect::to("/together").into_response());
    }
    Ok(JoinView {
        chrome: ctx.chrome,
        problem: None,
        name: String::new(),
        code: String::new(),
        recovery: false,
        setup_id: AccountId::generate().as_str().to_owned(),
        code_words: CODE_WORDS,
    }
    .into_response())
}

/// The fields of the join form.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct JoinFields {
    name: String,
    code: String,
    passphrase: Secret,
    confirm: Secret,
    recovery: Tick,
    setup_id: String,
}

/// `POST /together/join`: makes a named account with the invitation, links it, signs in.
pub async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<JoinFields>,
) -> Result<Response, ErrorPage> {
    if ctx.unlocked.is_some() {
        return Ok(Redirect::to("/together").into_response());
    }
    let setup_id = AccountId::parse(&form.setup_id);
    let request = SetUp {
        name: form.name.as_str(),
        passphrase: form.passphrase.as_str(),
        confirm: form.confirm.as_str(),
        want_recovery_code: form.recovery.0,
        setup_id: setup_id.clone(),
        // A partner's invitation is its own way in; no operator code is asked.
        invite: "",
    };
    let (status, problem) = match state
        .trellis
        .join_with_invitation(&request, &form.code, &ctx.requester)
        .await
    {
        Ok(joined) => {
            let mut to = if joined.linked {
                "/together"
            } else {
                "/together?not-linked"
            };
            if joined.session.recovery_code.is_some() {
                if let Ok(me) = state.trellis.authenticate(&joined.session.cookie_value).await? {
                    state.trellis.mark_recovery_code_unseen(&me).await?;
                    to = "/setup/recovery";
                }
            }
            return Ok(with_session(Redirect::to(to).into_response(), &joined.session));
        }
        Err(JoinError::Code(TogetherProblem::Wait(secs))) => (
            StatusCode::TOO_MANY_REQUESTS,
            TogetherProblem::Wait(secs).to_string(),
        ),
        Err(JoinError::Code(p)) => (StatusCode::BAD_REQUEST, p.to_string()),
        Err(JoinError::SetUp(UnlockError::Passphrase(p))) => (StatusCode::BAD_REQUEST, p.to_string()),
        Err(JoinError::SetUp(UnlockError::NameTaken)) => (
            StatusCode::BAD_REQUEST,
            "Someone here already uses that name. Please choose another one.".to_owned(),
        ),
        Err(JoinError::SetUp(UnlockError::NameTooLong)) => (
            StatusCode::BAD_REQUEST,
            "Please choose a shorter name (up to 60 characters).".to_owned(),
        ),
        Err(JoinError::SetUp(UnlockError::NoAccount | UnlockError::Wrong)) => (
            StatusCode::BAD_REQUEST,
            "Please choose a name to unlock with. It can be anything.".to_owned(),
        ),
        Err(JoinError::SetUp(UnlockError::Wait(secs))) => (
            StatusCode::TOO_MANY_REQUESTS,
            TogetherProblem::Wait(secs).to_string(),
        ),
        Err(JoinError::SetUp(e)) => return Err(e.into()),
    };
    Ok((
        status,
        JoinView {
            chrome: ctx.chrome,
            problem: Some(problem),
            name: form.name.clone(),
            code: form.code.clone(),
            recovery: form.recovery.0,
            setup_id: setup_id
                .unwrap_or_else(AccountId::generate)
                .as_str()
                .to_owned(),
            code_words: CODE_WORDS,
        },
    )
        .into_response())
}
