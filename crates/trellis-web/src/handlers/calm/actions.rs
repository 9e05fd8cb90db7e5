//! Calm now's handlers: the tools (public), the ratings and what helped (unlocked).

use super::*;

pub(super) fn calm_js() -> String {
    Assets::url("calm.js")
}

pub(super) fn no_scale(legend: &'static str) -> Scale {
    Scale {
        legend,
        checked: None,
    }
}

pub(super) const BEFORE: &str =
    "How much distress do you feel right now, from 0 to 10? You can skip this.";
pub(super) const AFTER: &str =
    "How much distress do you feel now, from 0 to 10? You can skip this.";

/// `GET /calm`.
pub async fn list(ctx: Ctx) -> Response {
    CalmListView {
        chrome: ctx.chrome,
        tools: calm::tools(),
        calm_js: calm_js(),
    }
    .into_response()
}

pub(super) fn intro_view(chrome: Chrome, tool: &'static Tool, short: bool) -> CalmIntroView {
    let full = Links {
        tool,
        short: false,
        use_id: None,
        rhythm: None,
    };
    let shorter = Links {
        short: true,
        ..full.clone()
    };
    CalmIntroView {
        chrome,
        tool,
        short,
        start_href: full.href(Page::Step(1)),
        short_href: shorter.href(Page::Step(1)),
        scale: no_scale(BEFORE),
        problem: None,
        calm_js: calm_js(),
    }
}

pub(super) fn end_view(
    chrome: Chrome,
    tool: &'static Tool,
    short: bool,
    use_id: Option<&RecordId>,
) -> CalmEndView {
    CalmEndView {
        chrome,
        tool,
        short,
        stopped: false,
        rated: false,
        use_id: use_id.map(ToString::to_string),
        scale: no_scale(AFTER),
        problem: None,
        calm_js: calm_js(),
    }
}

/// `GET /calm/{tool}`: the introduction, a step, or the end, by `?step=`.
pub async fn tool(
    ctx: Ctx,
    Path(key): Path<String>,
    query: QueryParams,
) -> Result<Response, ErrorPage> {
    let Some(tool) = calm::tool(&key) else {
        return Err(ErrorPage::not_found());
    };
    let q = ToolQuery::read(&query);
    let Some(page) = q.page(tool) else {
        return Err(ErrorPage::not_found());
    };
    let (rhythm, problems) = if tool.has_rhythm() {
        Rhythm::from_typed(|p| {
            q.rhythm[Phase::ALL.iter().position(|&x| x == p).unwrap_or(0)].clone()
        })
    } else {
        (Rhythm::default(), Vec::new())
    };
    let links = Links {
        tool,
        short: q.short,
        use_id: q.use_id.as_ref(),
        rhythm: tool.has_rhythm().then_some(rhythm),
    };
    let n = match page {
        Page::Intro => return Ok(intro_view(ctx.chrome, tool, q.short).into_response()),
        Page::End => {
            let mut view = end_view(ctx.chrome, tool, q.short, q.use_id.as_ref());
            view.stopped = q.stopped;
            view.rated = q.rated;
            return Ok(view.into_response());
        }
        Page::Step(n) => n,
    };
    let mut step_n = n;
    let mut step = tool.step(n, q.short).ok_or_else(ErrorPage::not_found)?;
    // A rhythm we had to change: show the rhythm form again, kept as typed, with calm words.
    let bad_rhythm = !problems.is_empty();
    if bad_rhythm && !step.rhythm {
        if let Some(i) = (1..=tool.step_count(q.short))
            .find(|&i| tool.step(i, q.short).is_some_and(|s| s.rhythm))
        {
            step_n = i;
            step = tool.step(i, q.short).ok_or_else(ErrorPage::not_found)?;
        }
    }
    let count = tool.step_count(q.short);
    let back_href = links.href(if step_n == 1 {
        Page::Intro
    } else {
        Page::Step(step_n - 1)
    });
    let next_href = links.href(if step_n == count {
        Page::End
    } else {
        Page::Step(step_n + 1)
    });
    let stop_href = format!("{}&stopped=1", links.href(Page::End));
    let change_href = links.href(
        (1..=count)
            .find(|&i| tool.step(i, q.short).is_some_and(|s| s.rhythm))
            .map_or(Page::Intro, Page::Step),
    );
    // The rhythm form goes on to the pacer, or back to this page when the pacer is here too.
    let after_rhythm = if step.pacer { step_n } else { step_n + 1 };
    let mut hidden = vec![("step", after_rhythm.to_string())];
    if q.short {
        hidden.push(("short", "1".to_owned()));
    }
    if let Some(id) = &q.use_id {
        hidden.push(("use", id.to_string()));
    }
    let view = CalmStepView {
        chrome: ctx.chrome,
        tool,
        step,
        n: step_n,
        count,
        short: q.short,
        seconds: step.seconds_for(q.short),
        back_href,
        next_href,
        stop_href,
        problems: problems.iter().map(ToString::to_string).collect(),
        rhythm,
        typed: if q.rhythm_given {
            q.rhythm.clone()
        } else {
            Default::default()
        },
        hidden,
        change_href,
        calm_js: calm_js(),
    };
    let status = if bad_rhythm {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, view).into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RatingFields {
    short: String,
    moment: String,
    rating: String,
    #[serde(rename = "use")]
    use_id: String,
    stopped: String,
}

/// `POST /calm/{tool}/rating`: `moment=before|after`, `rating=0..10` (blank = skip), and for
/// "after" the `use` id from the rating before. Before: a new sealed use, then the first step.
/// After: completes that use (404 for an id that is not this person's use of this tool).
pub async fn rate(
    State(state): State<AppState>,
    me: Me,
    Path(key): Path<String>,
    Form(form): Form<RatingFields>,
) -> Result<Response, ErrorPage> {
    let Some(tool) = calm::tool(&key) else {
        return Err(ErrorPage::not_found());
    };
    let short = form.short.as_str() == "1";
    let moment = Moment::parse(form.moment.as_str());
    let rating = parse_rating(form.rating.as_str());
    let use_text = form.use_id.as_str();
    let use_id = RecordId::parse(use_text);
    if !use_text.is_empty() && use_id.is_none() && moment == Some(Moment::After) {
        return Err(ErrorPage::not_found());
    }
    let trellis = &state.trellis;
    match (moment, rating) {
        (Some(Moment::Before), Ok(rating)) => {
            let use_id = match rating {
                Some(r) => Some(trellis.calm(&me.unlocked).rate_before(tool, r).await?),
                None => None,
            };
            let links = Links {
                tool,
                short,
                use_id: use_id.as_ref(),
                rhythm: None,
            };
            Ok(Redirect::to(&links.href(Page::Step(1))).into_response())
        }
        (Some(Moment::After), Ok(rating)) => {
            let links = Links {
                tool,
                short,
                use_id: None,
                rhythm: None,
            };
            let Some(rating) = rating else {
                return Ok(Redirect::to(&links.href(Page::End)).into_response());
            };
            crate::handlers::found(trellis
                .calm(&me.unlocked).rate_after(tool, use_id.as_ref(), rating)
                .await?)?;
            Ok(Redirect::to(&format!("{}&rated=1", links.href(Page::End))).into_response())
        }
        (Some(Moment::After), Err(problem)) => {
            let mut view = end_view(me.ctx.chrome, tool, short, use_id.as_ref());
            view.stopped = form.stopped.as_str() == "1";
            view.problem = Some(problem.to_string());
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
        (before_or_unknown, rating) => {
            let mut view = intro_view(me.ctx.chrome, tool, short);
            view.problem = Some(match (before_or_unknown, rating) {
                (Some(_), Err(problem)) => problem.to_string(),
                _ => "We couldn't tell whether that rating was for before or after, so nothing was saved. You can choose again below, or just start.".to_owned(),
            });
            view.scale.checked = rating.ok().flatten();
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
    }
}

pub(super) fn helped_rows(ranking: &[Helped]) -> Vec<HelpedRow> {
    ranking
        .iter()
        .map(|h| {
            let x = h.average_drop_text();
            let points = if x == "1" { "1 point".to_owned() } else { format!("{x} points") };
            let words = match h.direction() {
                std::cmp::Ordering::Greater => format!("Your distress went down by about {points} on average."),
                std::cmp::Ordering::Equal => "Your distress was about the same before and after.".to_owned(),
                std::cmp::Ordering::Less => format!(
                    "Your distress went up by about {points} on average. That is worth knowing too: this one may not suit you right now, and that's okay."
                ),
            };
            HelpedRow {
                name: h.tool.name.clone(),
                href: format!("/calm/{}", h.tool.key),
                words,
                uses: if h.uses == 1 { "Based on 1 time.".to_owned() } else { format!("Based on {} times.", h.uses) },
            }
        })
        .collect()
}

pub(super) async fn helped_view(
    state: &AppState,
    me: Me,
    message: Option<String>,
    is_problem: bool,
) -> Result<CalmHelpedView, ErrorPage> {
    let ranking = state.trellis.calm(&me.unlocked).what_helped().await?;
    let kept = state.trellis.calm(&me.unlocked).rating_count().await?;
    Ok(CalmHelpedView {
        chrome: me.ctx.chrome,
        rows: helped_rows(&ranking),
        kept,
        message,
        is_problem,
        calm_js: calm_js(),
    })
}

/// `GET /calm/helped`: the private "what has helped you" ranking.
pub async fn helped(
    State(state): State<AppState>,
    me: Me,
    query: QueryParams,
) -> Result<Response, ErrorPage> {
    let message = query
        .has("forgotten")
        .then(|| "Done. Your ratings are forgotten.".to_owned());
    Ok(helped_view(&state, me, message, false)
        .await?
        .into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SureFields {
    sure: Tick,
}

/// `POST /calm/helped/forget`: forgets every rating (needs `sure=on`).
pub async fn forget(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<SureFields>,
) -> Result<Response, ErrorPage> {
    if !form.sure.0 {
        let message = "Please tick the box to confirm. Nothing was forgotten.".to_owned();
        let view = helped_view(&state, me, Some(message), true).await?;
        return Ok((StatusCode::BAD_REQUEST, view).into_response());
    }
    state.trellis.calm(&me.unlocked).forget_ratings().await?;
    Ok(Redirect::to("/calm/helped?forgotten").into_response())
}

// ---------------------------------------------------------------------------------------------
// Offline: the service worker.
// ---------------------------------------------------------------------------------------------
