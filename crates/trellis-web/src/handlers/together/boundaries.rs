//! Choosing which boundaries the partner may read.

use super::*;
use trellis_core::ids::RecordId;
use trellis_core::together::boundary_item;

/// One boundary on the form.
pub struct BoundaryRow {
    /// Its id.
    pub id: String,
    /// Its group.
    pub group: String,
    /// Its words now.
    pub text: String,
    /// Shared now.
    pub shared: bool,
}

/// `GET /together/boundaries`.
#[derive(Template)]
#[template(path = "together/boundaries.html")]
pub struct BoundariesView {
    chrome: Chrome,
    linked: bool,
    rows: Vec<BoundaryRow>,
    saved: bool,
}

crate::render::html_pages!(BoundariesView);

/// One of the partner's boundaries, read-only.
pub struct PartnerBoundary {
    /// Its group.
    pub group: String,
    /// Its words.
    pub text: String,
    /// Its state.
    pub state: String,
    /// "29 November 2026".
    pub since: String,
}

/// The partner's shared boundaries, for the Together page.
pub async fn partner_view(
    state: &AppState,
    me: &trellis_core::Unlocked,
) -> Result<Vec<PartnerBoundary>, ErrorPage> {
    Ok(state
        .trellis
        .together(me)
        .partner_boundaries()
        .await?
        .into_iter()
        .map(|s| PartnerBoundary {
            group: s.value.group,
            text: s.value.text,
            state: s.value.state,
            since: Day::of_unix(s.shared_at).date_words(),
        })
        .collect())
}

/// `GET /together/boundaries`.
pub async fn show(
    State(state): State<AppState>,
    me: Me,
    query: QueryParams,
) -> Result<Response, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    let shared = together.my_shares().await?;
    let rows = state
        .trellis
        .safety(&me.unlocked)
        .boundaries()
        .await?
        .into_iter()
        .map(|b| BoundaryRow {
            shared: shared.iter().any(|s| s.item == boundary_item(&b.id)),
            id: b.id.to_string(),
            group: b.value.group.name().to_owned(),
            text: b.value.text().to_owned(),
        })
        .collect();
    Ok(BoundariesView {
        linked: together.signals().await?.linked,
        rows,
        saved: query.has("saved"),
        chrome: me.ctx.chrome,
    }
    .into_response())
}

/// `POST /together/boundaries`: `b` once for each boundary to share (the rest stop).
pub async fn save(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, ErrorPage> {
    let chosen: Vec<RecordId> = form
        .iter()
        .filter(|(k, _)| k == "b")
        .filter_map(|(_, v)| RecordId::parse(v))
        .collect();
    state
        .trellis
        .together(&me.unlocked)
        .share_boundaries(&chosen)
        .await?;
    Ok(Redirect::to("/together/boundaries?saved").into_response())
}
