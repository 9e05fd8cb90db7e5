//! The opt-in nudge (off by default; never a count).

use super::*;

/// `GET /support/settings`.
pub async fn settings(
    State(state): State<AppState>,
    me: Me,
    Query(saved): Query<Saved>,
) -> Result<Response, ErrorPage> {
    let prefs = state.trellis.support(&me.unlocked).prefs().await?;
    let saved = saved.shown();
    Ok(SupportSettingsView {
        chrome: me.ctx.chrome,
        nudge: prefs.nudge,
        days: prefs.nudge_after_days.to_string(),
        min: NUDGE_MIN_DAYS,
        max: NUDGE_MAX_DAYS,
        message: saved.then(|| {
            if prefs.nudge {
                format!(
                    "Saved. A gentle reminder will appear on Support after {} quiet days.",
                    prefs.nudge_after_days
                )
            } else {
                "Saved. No reminders will appear.".to_owned()
            }
        }),
        is_problem: false,
    }
    .into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NudgeFields {
    nudge: Tick,
    days: String,
}

/// `POST /support/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<NudgeFields>,
) -> Result<Response, ErrorPage> {
    let nudge = form.nudge.0;
    let days = form.days.as_str();
    // Turning the reminder off never fails over the days field.
    let result = SupportPrefs::new(nudge, days).or_else(|problem| {
        if nudge {
            Err(problem)
        } else {
            Ok(SupportPrefs {
                nudge,
                nudge_after_days: NUDGE_DEFAULT_DAYS,
            })
        }
    });
    match result {
        Ok(prefs) => {
            state
                .trellis
                .support(&me.unlocked).save_prefs(&prefs)
                .await?;
            Ok(Redirect::to("/support/settings?saved").into_response())
        }
        Err(problem) => Ok((
            StatusCode::BAD_REQUEST,
            SupportSettingsView {
                chrome: me.ctx.chrome,
                nudge,
                days: days.to_owned(),
                min: NUDGE_MIN_DAYS,
                max: NUDGE_MAX_DAYS,
                message: Some(format!("{problem} Nothing was changed.")),
                is_problem: true,
            },
        )
            .into_response()),
    }
}
