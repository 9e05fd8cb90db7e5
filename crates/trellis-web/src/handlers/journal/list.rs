//! The journal list, its search and filters, in whole-day pages.

use super::*;

/// Characters of an entry shown in the list.
pub(super) const PREVIEW_CHARS: usize = 240;

/// `/journal?…` with these parameters (empty ones left out).
pub(super) fn list_href(params: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    match serde_urlencoded::to_string(&kept) {
        Ok(q) if !q.is_empty() => format!("/journal?{q}"),
        _ => "/journal".to_owned(),
    }
}

/// The record id in `/journal/{id}…`, when it is one. Read from the raw path, so that no
/// address (not even one that is not UTF-8) gets anything but a calm 404.
pub(super) fn path_id(uri: &Uri) -> Option<RecordId> {
    uri.path()
        .strip_prefix("/journal/")?
        .split('/')
        .next()
        .and_then(RecordId::parse)
}

/// The entry form's fields as typed (Windows line ends made plain).
pub(super) fn input_from(form: &FormFields, kind: EntryKind) -> EntryInput {
    let clean = |s: &str| s.replace("\r\n", "\n");
    EntryInput {
        kind,
        texts: kind
            .fields()
            .iter()
            .map(|f| (f.name.to_owned(), clean(form.get(f.name))))
            .collect(),
        mood: form.get("mood").to_owned(),
        tags: form.get("tags").to_owned(),
        day: form.get("day").to_owned(),
    }
}

/// A tag as a link to the entries with it.
pub struct TagLink {
    /// The tag.
    pub name: String,
    /// `/journal?tag=…`.
    pub href: String,
}

pub(super) fn tag_links(tags: &[String]) -> Vec<TagLink> {
    tags.iter()
        .map(|t| TagLink {
            name: t.clone(),
            href: list_href(&[("tag", t)]),
        })
        .collect()
}

/// An entry in the list.
pub struct EntryCard {
    /// Its id.
    pub id: String,
    /// The kind's name.
    pub kind_name: &'static str,
    /// Whether its preview, mood and tags are folded away until opened (a hard moment).
    pub folded: bool,
    /// The start of its text.
    pub preview: String,
    /// The mood in words.
    pub mood: Option<&'static str>,
    /// Its tags.
    pub tags: Vec<TagLink>,
}

/// The entries of one day.
pub struct DayGroup {
    /// "Tuesday 3 March 2026".
    pub heading: String,
    /// `YYYY-MM-DD` (for the heading's id).
    pub iso: String,
    /// Its entries, latest first.
    pub entries: Vec<EntryCard>,
}

pub(super) fn group_by_day(entries: &[Item<JournalEntry>]) -> Vec<DayGroup> {
    let mut days: Vec<DayGroup> = Vec::new();
    for e in entries {
        let card = EntryCard {
            id: e.id.to_string(),
            kind_name: e.value.kind.name(),
            folded: e.value.kind.folded_in_lists(),
            preview: e.value.preview(PREVIEW_CHARS),
            mood: e.value.mood_word(),
            tags: tag_links(&e.value.tags),
        };
        match days.last_mut() {
            Some(d) if d.iso == iso_day(e.created_day) => d.entries.push(card),
            _ => days.push(DayGroup {
                heading: Day::of_unix(e.created_day).words_with_year(),
                iso: iso_day(e.created_day),
                entries: vec![card],
            }),
        }
    }
    days
}

/// A kind as offered in a choice.
pub struct KindChoice {
    /// Its key.
    pub key: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Its prompt.
    pub prompt: &'static str,
    /// Whether it is the one chosen now.
    pub selected: bool,
    /// Whether an unfinished draft waits for it.
    pub has_draft: bool,
}

/// An unfinished draft, as a link back to its form.
pub struct DraftLink {
    /// Where to continue.
    pub href: String,
    /// What it is ("Free writing", "Editing an entry").
    pub what: String,
}

/// `GET /journal`.
#[derive(Template)]
#[template(path = "journal/list.html")]
pub struct ListView {
    /// Chrome.
    pub chrome: Chrome,
    /// Kinds for the filter.
    pub kinds: Vec<KindChoice>,
    /// The tag filter as typed.
    pub tag: String,
    /// The words searched for.
    pub q: String,
    /// Whether a filter or search is in force.
    pub filtering: bool,
    /// How many entries matched (when filtering).
    pub found: usize,
    /// The entries, by day.
    pub days: Vec<DayGroup>,
    /// The next (older) page.
    pub older_href: Option<String>,
    /// Unfinished drafts.
    pub drafts: Vec<DraftLink>,
    /// A calm status line ("The entry was deleted.").
    pub status: Option<&'static str>,
}

/// `GET /journal`: the newest days (30 entries a page, whole days), or the entries matching
/// `kind`, `tag` and `q`; `before=YYYY-MM-DD` pages back. Unreadable values are ignored.
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    pairs: QueryParams,
) -> Result<Response, ErrorPage> {
    let filter = JournalFilter::new(pairs.get("kind"), pairs.get("tag"), pairs.get("q"));
    let before = parse_iso_day(pairs.get("before"));
    let trellis = &state.trellis;
    let (page, found): (JournalPage, usize) = if filter.is_empty() {
        (trellis.journal(&me.unlocked).page(before).await?, 0)
    } else {
        let page = trellis
            .journal(&me.unlocked).search(&filter, before)
            .await?;
        let found = page.found.unwrap_or(0);
        (page, found)
    };
    let kind_key = filter.kind.map_or("", EntryKind::key);
    let tag = filter.tag.clone().unwrap_or_default();
    let q = filter.query.clone().unwrap_or_default();
    let older_href = page.older.map(|d| {
        list_href(&[
            ("kind", kind_key),
            ("tag", &tag),
            ("q", &q),
            ("before", &iso_day(d)),
        ])
    });
    let drafts = trellis
        .journal(&me.unlocked).drafts()
        .await?
        .into_iter()
        .filter_map(|d| match DraftForm::parse(&d.form)? {
            DraftForm::New(kind) => Some(DraftLink {
                href: format!("/journal/new?kind={}", kind.key()),
                what: kind.name().to_owned(),
            }),
            DraftForm::Edit(id) => Some(DraftLink {
                href: format!("/journal/{id}/edit"),
                what: "Changes to an entry".to_owned(),
            }),
        })
        .collect();
    let view = ListView {
        chrome: me.ctx.chrome,
        kinds: EntryKind::ALL
            .iter()
            .map(|k| KindChoice {
                key: k.key(),
                name: k.name(),
                prompt: k.prompt(),
                selected: filter.kind == Some(*k),
                has_draft: false,
            })
            .collect(),
        filtering: !filter.is_empty(),
        found,
        tag,
        q,
        days: group_by_day(&page.entries),
        older_href,
        drafts,
        status: pairs.has("deleted").then_some("The entry was deleted."),
    };
    Ok(crate::render::page(StatusCode::OK, &view))
}
