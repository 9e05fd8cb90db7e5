//! Today's comfort: the form (a status for each kind, how long it lasts, kinds of one's own,
//! sharing) and the partner's read-only view of what they share.

use super::*;
use crate::form::FormFields;
use trellis_core::together::{
    own_kinds, Comfort, ComfortToday, Lasts, COMFORT_ITEM, MAX_OWN_KINDS, OWN_KIND_MAX_CHARS,
};

/// One kind on the form.
pub struct KindRow {
    /// Its place on the form (the field names use it).
    pub index: usize,
    /// Its name.
    pub name: String,
    /// Its status's key now ("" = not set, or ended).
    pub status: &'static str,
}

/// One kind as the partner sees it.
pub struct PartnerKind {
    /// Its name.
    pub name: String,
    /// Its status in words ("Not set: please ask" when not set or ended).
    pub status: &'static str,
    /// A welcome yes (shown a little differently, never by colour alone).
    pub yes: bool,
}

/// `GET /together/comfort`.
#[derive(Template)]
#[template(path = "together/comfort.html")]
pub struct ComfortView {
    chrome: Chrome,
    kinds: Vec<KindRow>,
    statuses: Vec<(&'static str, &'static str)>,
    lasts: [(&'static str, &'static str); 3],
    own_kinds: String,
    linked: bool,
    shared: bool,
    /// "until 23:59" is unknowable here (the person's clock is theirs): the date it was set.
    set_on: String,
    live: bool,
    problem: Option<String>,
    saved: bool,
    max_own: usize,
}

crate::render::html_pages!(ComfortView);

/// The partner's comfort, for the Together page: each kind and when it was set, or nothing
/// shared.
pub fn partner_view(
    comfort: Option<trellis_core::together::SharedWithMe<ComfortToday>>,
    now: i64,
) -> Option<(Vec<PartnerKind>, String)> {
    let shared = comfort?;
    let since = Day::of_unix(shared.shared_at).date_words();
    let comfort = shared.value;
    Some((
        comfort
            .kinds()
            .into_iter()
            .map(|name| {
                let status = comfort.status(&name, now);
                PartnerKind {
                    status: status.map_or("Not set: please ask", Comfort::label),
                    yes: status == Some(Comfort::Yes),
                    name,
                }
            })
            .collect(),
        since,
    ))
}

async fn page(state: &AppState, me: Me, saved: bool) -> Result<ComfortView, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    let comfort = together.comfort().await?;
    let now = state.trellis.now();
    Ok(ComfortView {
        kinds: comfort
            .kinds()
            .into_iter()
            .enumerate()
            .map(|(index, name)| KindRow {
                index,
                status: comfort.status(&name, now).map_or("", Comfort::key),
                name,
            })
            .collect(),
        statuses: Comfort::ALL.iter().map(|c| (c.key(), c.label())).collect(),
        lasts: Lasts::CHOICES,
        own_kinds: comfort.own_kinds.join("\n"),
        linked: together.signals().await?.linked,
        shared: together.shares(COMFORT_ITEM).await?,
        set_on: if comfort.set_at == 0 {
            String::new()
        } else {
            Day::of_unix(comfort.set_at).date_words()
        },
        live: comfort.is_live(now),
        problem: None,
        saved,
        max_own: MAX_OWN_KINDS,
        chrome: me.ctx.chrome,
    })
}

/// `GET /together/comfort`.
pub async fn show(
    State(state): State<AppState>,
    me: Me,
    query: QueryParams,
) -> Result<Response, ErrorPage> {
    Ok(page(&state, me, query.has("saved")).await?.into_response())
}

/// `POST /together/comfort`: `c{i}` a status for kind `n{i}`, `lasts`, `offset` (the
/// browser's minutes behind UTC), `own` (one kind per line), `share=on`.
pub async fn save(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let Ok(own) = own_kinds(form.get("own")) else {
        let mut view = page(&state, me, false).await?;
        view.own_kinds = form.get("own").to_owned();
        view.problem = Some(format!(
            "Nothing was changed yet. Each kind of your own can be up to {OWN_KIND_MAX_CHARS} characters. What you typed is still here."
        ));
        return Ok((StatusCode::BAD_REQUEST, view).into_response());
    };
    let now = state.trellis.now();
    let offset = form.get("offset").parse::<i64>().unwrap_or(0);
    let mut comfort = ComfortToday {
        set: Vec::new(),
        own_kinds: own,
        set_at: now,
        ends_at: Lasts::from_key(form.get("lasts")).ends_at(now, offset),
    };
    let known = comfort.kinds();
    comfort.set = form.rows(
        ("n", "c"),
        known.len() + MAX_OWN_KINDS,
        &known,
        Comfort::from_key,
    );
    state
        .trellis
        .together(&me.unlocked)
        .save_comfort(&comfort, form.checked("share"))
        .await?;
    Ok(Redirect::to("/together/comfort?saved").into_response())
}
