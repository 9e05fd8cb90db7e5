//! The therapist summary: the person chooses what goes on one page (a time, check-in trends,
//! self-check totals, journal entries they pick, boundaries, what helped, notes for the next
//! session), sees it, and prints it. Nothing is sent anywhere and nothing of it is kept: the
//! choices travel in a POST body (never in an address, so never in history) and the page is
//! drawn from the person's own sealed records each time.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use trellis_core::clock::Day;
use trellis_core::journal::EntryKind;
use trellis_core::today::local_today;

use super::trends::{line_ends, svg};
use crate::ctx::{Chrome, Me};
use crate::error::ErrorPage;
use crate::form::{Form, FormFields};
use crate::AppState;

/// The longest note for the next session.
const NOTES_MAX: usize = 2_000;
/// How many journal entries are offered to pick from (newest in the time chosen).
const ENTRIES_OFFERED: usize = 40;

/// A journal entry offered, or chosen.
pub struct EntryChoice {
    /// Its id.
    pub id: String,
    /// Day in words and the prompt's name.
    pub label: String,
    /// Its words (shown when chosen).
    pub text: String,
    /// Whether it is chosen.
    pub chosen: bool,
}

/// One trend on the page.
pub struct TrendLine {
    /// The question.
    pub legend: &'static str,
    /// The sentence.
    pub summary: String,
    /// The drawing.
    pub svg: String,
}

/// `GET /progress/summary` (the choices) and `POST /progress/summary` (the page).
#[derive(Template)]
#[template(path = "progress/summary.html")]
pub struct SummaryView {
    /// Chrome.
    pub chrome: Chrome,
    /// Whether this is the page to print (after choosing).
    pub page: bool,
    /// The time, as typed (`YYYY-MM-DD`).
    pub from: String,
    /// The end of the time, as typed.
    pub to: String,
    /// The time in words.
    pub span: String,
    /// What to include.
    pub with_trends: bool,
    /// Self-check totals.
    pub with_pcl5: bool,
    /// Boundaries.
    pub with_boundaries: bool,
    /// What helped.
    pub with_helped: bool,
    /// What to bring up (session notes).
    pub with_bring_up: bool,
    /// Journal entries offered (the form) or chosen (the page).
    pub entries: Vec<EntryChoice>,
    /// Notes for the next session.
    pub notes: String,
    /// Trends in the time.
    pub trends: Vec<TrendLine>,
    /// Self-checks in the time: day, version, total.
    pub pcl5: Vec<(String, &'static str, u8)>,
    /// Boundaries: words and state.
    pub boundaries: Vec<(String, &'static str)>,
    /// What helped: tool and the average drop in words.
    pub helped: Vec<(&'static str, String)>,
    /// What to bring up: the session's day in words ("" for none) and the words.
    pub bring_up: Vec<(String, String)>,
    /// A calm word about something typed.
    pub problem: Option<&'static str>,
}

crate::render::html_pages!(SummaryView);


/// Builds the form or the page from what was chosen (`get` reads a field).
async fn build<'a>(
    state: &AppState,
    me: Me,
    page: bool,
    get: impl Fn(&str) -> &'a str,
) -> Result<SummaryView, ErrorPage> {
    let now = state.trellis.now();
    let today = local_today(now, get("day"));
    let to = Day::parse(get("to")).filter(|d| *d <= today).unwrap_or(today);
    let from = Day::parse(get("from"))
        .filter(|d| *d <= to)
        .unwrap_or_else(|| to.minus_days(29));
    let tick = |name: &str| !page || get(name) == "on";
    let unlocked = &me.unlocked;
    let notes: String = get("notes").chars().take(NOTES_MAX).collect();
    let problem = (get("notes").chars().count() > NOTES_MAX)
        .then_some("Your notes were longer than 2,000 characters, so the end was left off.");

    let in_time = state.trellis.journal(unlocked).written_between(from, to).await?;
    let entries = in_time
        .iter()
        .take(ENTRIES_OFFERED)
        .filter(|e| !page || get(&format!("e_{}", e.id)) == "on")
        .map(|e| EntryChoice {
            id: e.id.to_string(),
            label: format!(
                "{} · {}",
                Day::of_unix(e.value.written_at.max(e.created_day)).words(),
                if e.value.kind == EntryKind::TriggerNote { "A hard moment" } else { e.value.kind.name() }
            ),
            text: e.value.full_text(),
            chosen: get(&format!("e_{}", e.id)) == "on",
        })
        .collect();

    let mut view = SummaryView {
        page,
        span: format!("{} to {}", from.date_words(), to.date_words()),
        from: from.to_string(),
        to: to.to_string(),
        with_trends: tick("with_trends"),
        with_pcl5: tick("with_pcl5"),
        with_boundaries: tick("with_boundaries"),
        with_helped: tick("with_helped"),
        with_bring_up: tick("with_bring_up"),
        entries,
        notes,
        trends: Vec::new(),
        pcl5: Vec::new(),
        boundaries: Vec::new(),
        helped: Vec::new(),
        bring_up: Vec::new(),
        problem,
        chrome: me.ctx.chrome,
    };
    if !page {
        return Ok(view);
    }
    let progress = state.trellis.progress(unlocked);
    if view.with_trends {
        let since = from.minus_days(trellis_core::progress::WARM_UP_DAYS);
        for t in progress.checkin_trends(Some(since)).await? {
            if let Some((a, b)) = line_ends(&t, from, to) {
                view.trends.push(TrendLine {
                    legend: t.question.legend,
                    summary: if a == b {
                        format!("Stayed near \u{201c}{a}\u{201d}.")
                    } else {
                        format!("Moved from near \u{201c}{a}\u{201d} to near \u{201c}{b}\u{201d}.")
                    },
                    svg: svg(&t, from, to),
                });
            }
        }
    }
    if view.with_pcl5 {
        view.pcl5 = progress
            .pcl5_results()
            .await?
            .iter()
            .filter(|r| {
                let d = Day::of_unix(r.value.taken);
                d >= from && d <= to
            })
            .map(|r| {
                (
                    Day::of_unix(r.value.taken).date_words(),
                    super::timeframe_words(r.value.timeframe),
                    r.value.scores().total,
                )
            })
            .collect();
    }
    if view.with_boundaries {
        view.boundaries = state
            .trellis
            .safety(unlocked)
            .boundaries()
            .await?
            .iter()
            .map(|b| (b.value.text().to_owned(), b.value.state().label()))
            .collect();
    }
    if view.with_bring_up {
        view.bring_up = state
            .trellis
            .therapy(unlocked)
            .to_bring_up(from)
            .await?
            .into_iter()
            .map(|(day, text)| (day.map(Day::date_words).unwrap_or_default(), text))
            .collect();
    }
    if view.with_helped {
        view.helped = state
            .trellis
            .calm(unlocked)
            .what_helped()
            .await?
            .iter()
            .map(|h| {
                let t = h.average_drop_tenths();
                let words = format!(
                    "distress {} by about {}.{} points on average, over {} uses",
                    if t >= 0 { "went down" } else { "went up" },
                    t.abs() / 10,
                    t.abs() % 10,
                    h.uses
                );
                (h.tool.name.as_str(), words)
            })
            .collect();
    }
    Ok(view)
}

/// `GET /progress/summary`: choose what goes on the page.
pub async fn choose(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    Ok(build(&state, me, false, |_| "").await?.into_response())
}

/// `POST /progress/summary`: the page, as chosen (`page=1`), or the choices again for a new
/// time (`page` absent). Fields: `from`, `to` (`YYYY-MM-DD`), `with_trends`, `with_pcl5`,
/// `with_boundaries`, `with_helped`, `with_bring_up` (`on`), `e_<id>` (`on`, the person's own entries only),
/// `notes` (≤ 2,000 characters).
pub async fn show(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let page = form.get("page") == "1";
    Ok(build(&state, me, page, |name| form.get(name)).await?.into_response())
}
