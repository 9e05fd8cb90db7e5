//! The yes / no / maybe list: the person's private answers (a form of groups), and, when
//! linked, only the items both want.

use super::*;
use crate::form::FormFields;
use trellis_core::together::{
    own_items, Answer, ListAnswers, Match, LIST_GROUPS, MAX_OWN_ITEMS, OWN_ITEM_MAX_CHARS,
};

/// One item on the form.
pub struct ItemRow {
    /// Its place on the form (the field names use it).
    pub index: usize,
    /// Its words.
    pub name: String,
    /// Its answer's key ("" = not answered).
    pub answer: &'static str,
}

/// A group on the form.
pub struct GroupRow {
    /// Its heading.
    pub title: &'static str,
    /// Its items.
    pub items: Vec<ItemRow>,
}

/// `GET /together/list`.
#[derive(Template)]
#[template(path = "together/list.html")]
pub struct ListView {
    chrome: Chrome,
    groups: Vec<GroupRow>,
    answers: Vec<(&'static str, &'static str)>,
    own_items: String,
    show_maybes: bool,
    linked: bool,
    /// Both said yes.
    both_yes: Vec<String>,
    /// Both said yes or maybe.
    yes_or_maybe: Vec<String>,
    problem: Option<String>,
    saved: bool,
    max_own: usize,
    /// Answers saved before this link: they count once saved again.
    waiting: bool,
}

crate::render::html_pages!(ListView);

async fn page(state: &AppState, me: Me, saved: bool) -> Result<ListView, ErrorPage> {
    let together = state.trellis.together(&me.unlocked);
    let answers = together.list_answers().await?;
    let found = together.list_matches().await?;
    let matches = found.matches;
    let row = |index: usize, name: String| ItemRow {
        index,
        answer: answers.answer(&name).map_or("", Answer::key),
        name,
    };
    let mut index = 0;
    let mut groups: Vec<GroupRow> = LIST_GROUPS
        .iter()
        .map(|(title, items)| GroupRow {
            title,
            items: items
                .iter()
                .map(|name| {
                    index += 1;
                    row(index - 1, (*name).to_owned())
                })
                .collect(),
        })
        .collect();
    if !answers.own_items.is_empty() {
        groups.push(GroupRow {
            title: "Your own",
            items: answers
                .own_items
                .iter()
                .map(|name| {
                    index += 1;
                    row(index - 1, name.clone())
                })
                .collect(),
        });
    }
    let pick = |wanted: Match| {
        matches
            .iter()
            .filter(|(_, m)| *m == wanted)
            .map(|(i, _)| i.clone())
            .collect()
    };
    Ok(ListView {
        groups,
        answers: Answer::ALL.iter().map(|a| (a.key(), a.label())).collect(),
        own_items: answers.own_items.join("\n"),
        show_maybes: answers.show_maybes,
        linked: together.signals().await?.linked,
        both_yes: pick(Match::BothYes),
        yes_or_maybe: pick(Match::YesOrMaybe),
        problem: None,
        saved,
        max_own: MAX_OWN_ITEMS,
        waiting: found.waiting,
        chrome: me.ctx.chrome,
    })
}

/// `GET /together/list`.
pub async fn show(
    State(state): State<AppState>,
    me: Me,
    query: QueryParams,
) -> Result<Response, ErrorPage> {
    Ok(page(&state, me, query.has("saved")).await?.into_response())
}

/// `POST /together/list`: `n{i}` an item and `a{i}` its answer, `own` (one per line),
/// `maybes=on`.
pub async fn save(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let Ok(own) = own_items(form.get("own")) else {
        let mut view = page(&state, me, false).await?;
        view.own_items = form.get("own").to_owned();
        view.problem = Some(format!(
            "Nothing was changed yet. Each item of your own can be up to {OWN_ITEM_MAX_CHARS} characters. What you typed is still here."
        ));
        return Ok((StatusCode::BAD_REQUEST, view).into_response());
    };
    let mut answers = ListAnswers {
        answers: Vec::new(),
        own_items: own,
        show_maybes: form.checked("maybes"),
        saved_for: String::new(),
    };
    let known = answers.items();
    answers.answers = form.rows(
        ("n", "a"),
        known.len() + MAX_OWN_ITEMS,
        &known,
        Answer::from_key,
    );
    state
        .trellis
        .together(&me.unlocked)
        .save_list(&answers)
        .await?;
    Ok(Redirect::to("/together/list?saved").into_response())
}
