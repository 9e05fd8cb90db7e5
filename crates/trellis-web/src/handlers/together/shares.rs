//! "What you share": everything this person shares with their partner now, with the date,
//! a way to stop sharing each, and the log of every share and stop.

use super::*;
use trellis_core::together::ShareLogLine;

/// One shared item as the page lists it.
pub struct ShareLine {
    /// The item's name (the stop form sends it back).
    pub item: String,
    /// What it is, in words.
    pub label: &'static str,
    /// "29 November 2026".
    pub since: String,
}

/// One line of the log as the page shows it.
pub struct LogLine {
    /// What it is, in words.
    pub label: &'static str,
    /// Shared, or stopped.
    pub shared: bool,
    /// "29 November 2026".
    pub on: String,
}

/// `GET /together/shares`.
#[derive(Template)]
#[template(path = "together/shares.html")]
pub struct SharesView {
    chrome: Chrome,
    linked: bool,
    shares: Vec<ShareLine>,
    log: Vec<LogLine>,
}

crate::render::html_pages!(SharesView);

/// What an item is, in words.
pub fn item_label(item: &str) -> &'static str {
    match item {
        PAUSE_ITEM => "Your pause signal: what a pause means, your safe word and your words",
        trellis_core::together::COMFORT_ITEM => "Your comfort today",
        i if i.starts_with("ladder/") => "A step of your trust ladder",
        i if i.starts_with("boundary/") => "One of your boundaries",
        _ => "Something you shared",
    }
}

/// `GET /together/shares`: what is shared now, and the log.
pub async fn list(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    let shares = together
        .my_shares()
        .await?
        .into_iter()
        .map(|s| ShareLine {
            label: item_label(&s.item),
            item: s.item,
            since: Day::of_unix(s.shared_at).date_words(),
        })
        .collect();
    let log = together
        .sharing_log()
        .await?
        .into_iter()
        .map(|ShareLogLine { item, shared, at }| LogLine {
            label: item_label(&item),
            shared,
            on: Day::of_unix(at).date_words(),
        })
        .collect();
    Ok(SharesView {
        chrome: me.ctx.chrome,
        linked: together.signals().await?.linked,
        shares,
        log,
    }
    .into_response())
}

/// Which item to stop sharing.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct StopFields {
    item: String,
}

/// `POST /together/shares/stop`: the partner's copy is deleted at once.
pub async fn stop(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<StopFields>,
) -> Result<Response, ErrorPage> {
    state
        .trellis
        .together(&me.unlocked)
        .stop_sharing(&form.item)
        .await?;
    Ok(Redirect::to("/together/shares").into_response())
}
