//! Today's handlers: parse, authorise, call one use case, render.

use super::*;

/// `GET /today`: the check-in (today's, when done), small things, recent days.
pub async fn show(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<TodayQuery>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), &q.day);
    let s = load(&state, &me.unlocked, today).await?;
    let saved = match Day::parse(&q.saved) {
        Some(d) => match s.checkins.iter().find(|c| c.value.day == d) {
            Some(c) => Some(c.value.clone()),
            None => state
                .trellis
                .today(&me.unlocked).checkin_for_day(d)
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
        add_hard_day_comfort(&state, &me.unlocked, today, &mut view).await?;
    }
    Ok(view.into_response())
}

/// `POST /today/checkin`: saves the check-in for its day (a change when `id` is given).
/// Without an unlocked session, the typed form is kept on an unlock page.
pub async fn save(
    State(state): State<AppState>,
    mut ctx: Ctx,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let typed = Typed::read(&form);
    match ctx.unlocked.take() {
        Some(unlocked) => save_typed(&state, ctx.chrome, &unlocked, typed).await,
        None => keep_for_unlock(&state, ctx, typed.kept()).await,
    }
}

/// `POST /today/{id}`: saves a change to check-in `id`.
pub async fn update(
    State(state): State<AppState>,
    mut ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let mut typed = Typed::read(&form);
    typed.id = id;
    typed.from_edit = true;
    match ctx.unlocked.take() {
        Some(unlocked) => {
            crate::handlers::record_id(&typed.id)?;
            save_typed(&state, ctx.chrome, &unlocked, typed).await
        }
        None => keep_for_unlock(&state, ctx, typed.kept()).await,
    }
}

/// `POST /today/checkin/unlock`: unlocks with the passphrase, then saves the carried check-in.
pub async fn unlock_and_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let typed = Typed::read(&form);
    let kept = typed.carried_form();
    unlock_then(&state, ctx, &form, kept, async |chrome, unlocked: &Unlocked| {
        save_typed(&state, chrome, unlocked, typed).await
    })
    .await
}

/// `POST /today/checkin/lock`: the page's auto-lock (JavaScript) sends the check-in here
/// instead of dropping it: the session ends, and the typed form waits on an unlock page.
pub async fn lock_and_keep(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    crate::handlers::keep::lock_and_keep(&state, ctx, Typed::read(&form).kept()).await
}

/// `GET /today/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    Own { me, item }: Own<CheckIn>,
) -> Result<Response, ErrorPage> {
    let prefs = state.trellis.today(&me.unlocked).prefs().await?;
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
    let id = crate::handlers::record_id(&id)?;
    crate::handlers::found(state
        .trellis
        .records::<CheckIn>(&me.unlocked).delete(&id)
        .await?)?;
    Ok(Redirect::to("/today?done=deleted").into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct GoalFields {
    today: String,
    text: String,
}

/// `POST /today/goals`: adds a small thing (`text`).
pub async fn add_goal(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<GoalFields>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), form.today.as_str());
    let typed = form.text.as_str();
    let problem = match read_goal_text(typed) {
        Ok(text) => match state.trellis.today(&me.unlocked).add_goal(text).await? {
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

/// The fields of a small thing's buttons: the browser's own date.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct DayFields {
    today: String,
}

/// What a small thing's button does.
enum GoalStep {
    /// Done today, or not done after all.
    Toggle,
    /// Put aside for now, or brought back.
    Aside,
    /// Gone.
    Delete,
}

/// One small thing's button: finds it (404 when it is not this person's), does `step`, and
/// goes back to the day's goals.
async fn goal_step(
    state: &AppState,
    me: &Me,
    id: &str,
    form: &DayFields,
    step: GoalStep,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), &form.today);
    let id = crate::handlers::record_id(id)?;
    let goals = state.trellis.today(&me.unlocked);
    let found = match step {
        GoalStep::Toggle => goals.change_goal(&id, |g| g.toggle(today)).await?,
        GoalStep::Aside => goals.change_goal(&id, |g| g.active = !g.active).await?,
        GoalStep::Delete => {
            state
                .trellis
                .records::<Goal>(&me.unlocked)
                .delete(&id)
                .await?
        }
    };
    crate::handlers::found(found)?;
    Ok(Redirect::to(&today_url(today, "#goals")).into_response())
}

/// `POST /today/goals/{id}/done`: done today, or not done after all.
pub async fn toggle_goal(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
    Form(form): Form<DayFields>,
) -> Result<Response, ErrorPage> {
    goal_step(&state, &me, &id, &form, GoalStep::Toggle).await
}

/// `POST /today/goals/{id}/aside`: puts a small thing aside for now, or brings it back.
pub async fn set_goal_aside(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
    Form(form): Form<DayFields>,
) -> Result<Response, ErrorPage> {
    goal_step(&state, &me, &id, &form, GoalStep::Aside).await
}

/// `POST /today/goals/{id}/delete`.
pub async fn delete_goal(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<String>,
    Form(form): Form<DayFields>,
) -> Result<Response, ErrorPage> {
    goal_step(&state, &me, &id, &form, GoalStep::Delete).await
}

pub(super) fn follow_hint(item: Followed) -> &'static str {
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

pub(super) fn settings_view(
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
    let prefs = state.trellis.today(&me.unlocked).prefs().await?;
    Ok(settings_view(me.ctx.chrome, &prefs.followed(), None).into_response())
}

/// `POST /today/settings`: `follow_<item>=on` for each item to follow.
pub async fn save_settings(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
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
        let prefs = state.trellis.today(&me.unlocked).prefs().await?;
        let problem = "We couldn't read one of the choices, so nothing was changed. Please tick the boxes again.";
        return Ok((
            StatusCode::BAD_REQUEST,
            settings_view(me.ctx.chrome, &prefs.followed(), Some(problem)),
        )
            .into_response());
    };
    state.trellis.today(&me.unlocked).set_followed(&chosen).await?;
    Ok(Redirect::to("/today?done=followed").into_response())
}

/// `GET /today/earlier`: check-ins before the recent days.
pub async fn earlier(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<TodayQuery>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), &q.day);
    let t = &state.trellis;
    let checkins = t
        .today(&me.unlocked).earlier_checkins(today.minus_days(today::RECENT_DAYS - 1))
        .await?;
    let goals = t.today(&me.unlocked).goals().await?;
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
