//! `GET /events`: a person's events as a server-sent event stream, so their partner's pause
//! reaches an open page at once. On opening, and after each event, it sends where things
//! stand ("pause" with the card, or "calm"), worked out as that person; the stream itself
//! holds no key (only the cookie), never counts as activity, and ends within
//! [`LIVENESS_EVERY`] of the session ending.

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event as SseEvent, Sse};
use futures_util::stream;
use tokio::sync::broadcast::error::RecvError;

use super::*;

/// How often a quiet stream checks that its session still lives (and says so, which keeps
/// proxies from closing it).
pub const LIVENESS_EVERY: Duration = Duration::from_secs(15);

/// `GET /events`.
pub async fn stream(State(state): State<AppState>, me: Me) -> Response {
    let Some(cookie) = me.ctx.session_cookie else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let events = state.trellis.subscribe(me.unlocked.account_id());
    // The key goes now: each answer is worked out with the cookie, as the person.
    drop(me.unlocked);
    let start = (state, cookie, events, Some("start"));
    let answers = stream::unfold(start, |(state, cookie, mut events, why)| async move {
        let why = match why {
            Some(why) => why,
            None => tokio::select! {
                got = events.recv() => match got {
                    Ok(event) => event.name(),
                    // Missed some: say where things stand now.
                    Err(RecvError::Lagged(_)) => "shared",
                    Err(RecvError::Closed) => return None,
                },
                () = tokio::time::sleep(LIVENESS_EVERY) => {
                    if !state.trellis.session_is_live(&cookie).await.unwrap_or(false) {
                        return None;
                    }
                    let alive = SseEvent::default().comment("");
                    return Some((Ok::<_, Infallible>(alive), (state, cookie, events, None)));
                }
            },
        };
        let answer = where_things_stand(&state, &cookie, why).await?;
        Some((Ok(answer), (state, cookie, events, None)))
    });
    Sse::new(answers).into_response()
}

/// "pause" with the partner's card, or "calm"; `None` when the session has ended.
async fn where_things_stand(state: &AppState, cookie: &str, why: &str) -> Option<SseEvent> {
    // Quietly: an event arriving must never keep a quiet session from locking.
    let me = state.trellis.authenticate_quietly(cookie).await.ok()?.ok()?;
    let pause = state.trellis.together(&me).partner_pause().await.ok()?;
    Some(match pause {
        Some(pause) => {
            let signal = pause.signal.unwrap_or_default();
            SseEvent::default().event("pause").data(
                serde_json::json!({
                    "why": why,
                    "card": signal.card(),
                    "steps": signal.meaning.partner_steps(),
                    "safe_word": signal.safe_word,
                })
                .to_string(),
            )
        }
        None => SseEvent::default()
            .event("calm")
            .data(serde_json::json!({ "why": why }).to_string()),
    })
}
