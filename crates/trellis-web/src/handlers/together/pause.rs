//! The pause: the card on one's own screen, "I'm ready to talk", the signal's settings, and
//! the partner's card (the page the banner leads to without JavaScript).

use super::*;
use trellis_core::together::{Meaning, PauseSignal, Paused, PAUSE_WORDS_MAX_CHARS, SAFE_WORD_MAX_CHARS};

/// `GET /pause`: the person's own pause card.
#[derive(Template)]
#[template(path = "together/pause.html")]
pub struct PauseView {
    chrome: Chrome,
    /// The card's words.
    card: String,
    /// The partner's screen shows it too.
    told: bool,
    /// Linked, but the signal is not shared (so only this screen shows it).
    linked_not_shared: bool,
}

/// `GET /together/paused`: the partner's pause, as their partner sees it.
#[derive(Template)]
#[template(path = "together/paused.html")]
pub struct PartnerPauseView {
    chrome: Chrome,
    /// Whether a pause is on.
    on: bool,
    /// Their card's words (their own, or the meaning's).
    card: String,
    /// What to do.
    steps: [&'static str; 4],
    /// Their safe word, when they wrote one.
    safe_word: String,
}

crate::render::html_pages!(PauseView, PartnerPauseView);

/// `GET /pause`: the card, large, on this screen.
pub async fn card(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    let signal = together.pause_signal().await?;
    let signals = together.signals().await?;
    let shared = together.shares(PAUSE_ITEM).await?;
    Ok(PauseView {
        chrome: me.ctx.chrome,
        card: signal.card().to_owned(),
        told: signals.my_pause.is_some(),
        linked_not_shared: signals.linked && !shared,
    }
    .into_response())
}

/// `POST /pause`: pause (the partner's open pages show it at once when the signal is shared),
/// then the card.
pub async fn start(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    match state.trellis.together(&me.unlocked).pause().await? {
        Paused::Told { .. } | Paused::HereOnly => Ok(Redirect::to("/pause").into_response()),
    }
}

/// `POST /pause/end`: "I'm ready to talk".
pub async fn end(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    state.trellis.together(&me.unlocked).resume().await?;
    Ok(Redirect::to("/together?ready").into_response())
}

/// `GET /together/paused`: the partner's card and what helps.
pub async fn partner_card(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let pause = state.trellis.together(&me.unlocked).partner_pause().await?;
    let signal = pause
        .as_ref()
        .and_then(|p| p.signal.clone())
        .unwrap_or_default();
    // This page is the card: no banner pointing to it.
    let mut chrome = me.ctx.chrome;
    chrome.partner_paused = false;
    Ok(PartnerPauseView {
        chrome,
        on: pause.is_some(),
        card: signal.card().to_owned(),
        steps: signal.meaning.partner_steps(),
        safe_word: signal.safe_word,
    }
    .into_response())
}

/// The signal's form.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SignalFields {
    meaning: String,
    safe_word: String,
    own_words: String,
    share: Tick,
}

/// `POST /together/signal`: saves the pause signal (and shares it, or stops sharing it).
pub async fn save_signal(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<SignalFields>,
) -> Result<Response, ErrorPage> {
    let meaning = Meaning::from_key(&form.meaning).unwrap_or_default();
    let Ok(signal) = PauseSignal::new(meaning, &form.safe_word, &form.own_words) else {
        let mut page = view(&state, me, String::new(), None).await?;
        page.signal = SignalView::typed(&form, meaning);
        page.problem = Some(format!(
            "Nothing was changed yet. The safe word can be up to {SAFE_WORD_MAX_CHARS} characters, and your words up to {PAUSE_WORDS_MAX_CHARS}. What you typed is still here."
        ));
        page.problem_at = "signal";
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    };
    state
        .trellis
        .together(&me.unlocked)
        .save_pause_signal(&signal, form.share.0)
        .await?;
    Ok(Redirect::to("/together?saved#signal").into_response())
}

/// The signal as the form shows it.
#[derive(Default)]
pub struct SignalView {
    /// The chosen meaning's key.
    pub meaning: &'static str,
    /// The safe word.
    pub safe_word: String,
    /// The own words.
    pub own_words: String,
    /// Shared with the partner now.
    pub shared: bool,
}

impl SignalView {
    pub(super) fn saved(signal: PauseSignal, shared: bool) -> Self {
        Self {
            meaning: signal.meaning.key(),
            safe_word: signal.safe_word,
            own_words: signal.own_words,
            shared,
        }
    }

    fn typed(form: &SignalFields, meaning: Meaning) -> Self {
        Self {
            meaning: meaning.key(),
            safe_word: form.safe_word.clone(),
            own_words: form.own_words.clone(),
            shared: form.share.0,
        }
    }
}

/// The meanings offered, as (key, label).
pub fn meanings() -> Vec<(&'static str, &'static str)> {
    Meaning::ALL.iter().map(|m| (m.key(), m.label())).collect()
}
