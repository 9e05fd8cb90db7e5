//! Calm now: the calm tools (public: no unlock, nothing saved when locked), the optional
//! distress ratings and "what helped" (unlocked only), and the service worker that keeps the
//! public calm pages and Help now available offline.
//!
//! Every tool works without JavaScript as step-by-step pages: `GET /calm/{tool}` is the
//! introduction, `?step=N` a step, `?step=end` the end; `&short=1` is the shorter version.
//! `static/calm.js` adds timers, the breathing animation and read-aloud.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::calm::{self, parse_rating, Helped, Moment, Phase, Rhythm, Step, Tool};
use trellis_core::ids::RecordId;

use crate::assets::Assets;
use crate::ctx::{Chrome, Ctx, Me};
use crate::error::ErrorPage;
use crate::form::{FormFields, QueryParams};
use crate::registry::{Access, Offline, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("calm", routes).keeping(offline);

fn routes() -> Routes {
    Routes::new()
        .get("/calm", Access::Public, list)
        .get("/calm/helped", Access::Unlocked, helped)
        .post("/calm/helped/forget", Access::Unlocked, forget)
        .get("/calm/{tool}", Access::Public, tool)
        .post("/calm/{tool}/rating", Access::Unlocked, rate)
}

/// "about 3 minutes" ("under a minute" for 0).
fn minutes_words(n: u32) -> String {
    if n == 0 {
        "under a minute".to_owned()
    } else if n == 1 {
        "about 1 minute".to_owned()
    } else {
        format!("about {n} minutes")
    }
}

/// "45 seconds", "1 minute", "a minute and a half", "2 minutes".
fn seconds_words(s: u32) -> String {
    match s {
        60 => "1 minute".to_owned(),
        90 => "a minute and a half".to_owned(),
        s if s.is_multiple_of(60) => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// "6" or "4.5" from tenths.
fn tenths_words(t: u32) -> String {
    if t.is_multiple_of(10) {
        format!("{}", t / 10)
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}

/// Which page of a tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    Intro,
    Step(usize),
    End,
}

/// Builds the links of one run through a tool, carrying the chosen version, the use id (for
/// the rating after) and the breathing rhythm. Parameter order is fixed, so the same page
/// always has the same address (the service worker's cache keys depend on it).
#[derive(Clone)]
struct Links<'a> {
    tool: &'a Tool,
    short: bool,
    use_id: Option<&'a RecordId>,
    rhythm: Option<Rhythm>,
}

impl Links<'_> {
    fn href(&self, page: Page) -> String {
        let mut q: Vec<(&str, String)> = Vec::new();
        match page {
            Page::Intro => {}
            Page::Step(n) => q.push(("step", n.to_string())),
            Page::End => q.push(("step", "end".to_owned())),
        }
        if self.short {
            q.push(("short", "1".to_owned()));
        }
        if page != Page::Intro {
            if let Some(id) = self.use_id {
                q.push(("use", id.to_string()));
            }
            if let Some(r) = self.rhythm.filter(|r| *r != Rhythm::default()) {
                for phase in Phase::ALL {
                    q.push((phase.field(), r.seconds(phase).to_string()));
                }
            }
        }
        let base = format!("/calm/{}", self.tool.key);
        if q.is_empty() {
            base
        } else {
            format!(
                "{base}?{}",
                serde_urlencoded::to_string(&q).unwrap_or_default()
            )
        }
    }
}

/// The query of `GET /calm/{tool}`.
#[derive(Default)]
struct ToolQuery {
    step: String,
    short: bool,
    use_id: Option<RecordId>,
    stopped: bool,
    rated: bool,
    rhythm: [String; 4],
    rhythm_given: bool,
}

impl ToolQuery {
    fn parse(raw: Option<&str>) -> Self {
        let pairs = QueryParams::parse(raw);
        let first = |name: &str| pairs.first(name);
        let mut q = Self {
            step: first("step").unwrap_or("").to_owned(),
            short: first("short") == Some("1"),
            use_id: first("use").and_then(RecordId::parse),
            stopped: first("stopped") == Some("1"),
            rated: first("rated") == Some("1"),
            ..Self::default()
        };
        for (i, phase) in Phase::ALL.iter().enumerate() {
            if let Some(v) = first(phase.field()) {
                q.rhythm[i] = v.to_owned();
                q.rhythm_given = true;
            }
        }
        q
    }

    fn page(&self, tool: &Tool) -> Option<Page> {
        match self.step.as_str() {
            "" => Some(Page::Intro),
            "end" => Some(Page::End),
            s if s.len() <= 3 => {
                let n: usize = s.parse().ok()?;
                (1..=tool.step_count(self.short))
                    .contains(&n)
                    .then_some(Page::Step(n))
            }
            _ => None,
        }
    }
}

/// The 0–10 distress scale, shared by the forms before and after.
pub struct Scale {
    /// The question.
    pub legend: &'static str,
    /// The checked value, when the page is drawn again.
    pub checked: Option<u8>,
}

impl Scale {
    /// 0 to 10.
    pub fn points(&self) -> std::ops::RangeInclusive<u8> {
        0..=calm::RATING_MAX
    }
    /// Whether `n` is checked.
    pub fn is_checked(&self, n: &u8) -> bool {
        self.checked == Some(*n)
    }
}

/// `GET /calm`: every tool.
#[derive(Template)]
#[template(path = "calm/list.html")]
pub struct CalmListView {
    /// Chrome.
    pub chrome: Chrome,
    /// The tools.
    pub tools: &'static [Tool],
    /// The calm script.
    pub calm_js: String,
}

impl CalmListView {
    /// Where "Start" goes: straight to the first step when locked (nothing to rate), to the
    /// introduction (with the optional rating) when unlocked.
    pub fn start_href(&self, tool: &Tool, short: bool) -> String {
        let links = Links {
            tool,
            short,
            use_id: None,
            rhythm: None,
        };
        links.href(if self.chrome.unlocked {
            Page::Intro
        } else {
            Page::Step(1)
        })
    }
    /// "about 3 minutes".
    pub fn minutes(&self, n: &u32) -> String {
        minutes_words(*n)
    }
}

/// `GET /calm/{tool}`: what it is, what it may bring up, and the choices.
#[derive(Template)]
#[template(path = "calm/intro.html")]
pub struct CalmIntroView {
    /// Chrome.
    pub chrome: Chrome,
    /// The tool.
    pub tool: &'static Tool,
    /// The shorter version was chosen.
    pub short: bool,
    /// First step of the full version.
    pub start_href: String,
    /// First step of the shorter version.
    pub short_href: String,
    /// The rating form (unlocked only).
    pub scale: Scale,
    /// A calm message about the rating.
    pub problem: Option<String>,
    /// The calm script.
    pub calm_js: String,
}

impl CalmIntroView {
    /// "about 3 minutes".
    pub fn minutes(&self, n: &u32) -> String {
        minutes_words(*n)
    }
}

/// `GET /calm/{tool}?step=N`: one step.
#[derive(Template)]
#[template(path = "calm/step.html")]
pub struct CalmStepView {
    /// Chrome.
    pub chrome: Chrome,
    /// The tool.
    pub tool: &'static Tool,
    /// The step.
    pub step: &'static Step,
    /// Its number in the chosen version.
    pub n: usize,
    /// Steps in the chosen version.
    pub count: usize,
    /// The shorter version.
    pub short: bool,
    /// Suggested seconds (0 = none).
    pub seconds: u32,
    /// The previous step (or the introduction).
    pub back_href: String,
    /// The next step (or the end).
    pub next_href: String,
    /// "Stop here".
    pub stop_href: String,
    /// Calm messages about a typed rhythm.
    pub problems: Vec<String>,
    /// The rhythm in use.
    pub rhythm: Rhythm,
    /// The rhythm as typed (kept in the form).
    pub typed: [String; 4],
    /// Where the rhythm form goes, and its hidden fields.
    pub hidden: Vec<(&'static str, String)>,
    /// Back to the rhythm form with this rhythm.
    pub change_href: String,
    /// The calm script.
    pub calm_js: String,
}

/// One line of the text count of a breath.
pub struct CountLine {
    /// "Breathe in".
    pub cue: &'static str,
    /// "1, 2, 3, 4".
    pub count: String,
    /// Seconds.
    pub seconds: u8,
}

/// A field of the rhythm form.
pub struct RhythmField {
    /// Name and id.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// Allowed range, in words.
    pub hint: String,
    /// As typed (or the value in use).
    pub value: String,
}

impl CalmStepView {
    /// "45 seconds".
    pub fn seconds_words(&self) -> String {
        seconds_words(self.seconds)
    }
    /// The text count of one breath.
    pub fn count_lines(&self) -> Vec<CountLine> {
        self.rhythm
            .phases()
            .into_iter()
            .map(|(phase, s)| CountLine {
                cue: phase.cue(),
                count: (1..=s)
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                seconds: s,
            })
            .collect()
    }
    /// "6" breaths a minute.
    pub fn per_minute(&self) -> String {
        tenths_words(self.rhythm.breaths_per_minute_tenths())
    }
    /// Breaths suggested for this step.
    pub fn breaths(&self) -> u32 {
        self.rhythm.breaths_in(self.seconds)
    }
    /// The rhythm form's fields.
    pub fn rhythm_fields(&self) -> Vec<RhythmField> {
        Phase::ALL
            .iter()
            .enumerate()
            .map(|(i, &phase)| {
                let r = phase.range();
                let typed = &self.typed[i];
                RhythmField {
                    name: phase.field(),
                    label: match phase {
                        Phase::Inhale => "Breathe in for (seconds)",
                        Phase::Hold => "Pause after breathing in (seconds, optional)",
                        Phase::Exhale => "Breathe out for (seconds)",
                        Phase::Rest => "Pause after breathing out (seconds, optional)",
                    },
                    hint: format!("{} to {}", r.start(), r.end()),
                    value: if typed.is_empty() {
                        self.rhythm.seconds(phase).to_string()
                    } else {
                        typed.clone()
                    },
                }
            })
            .collect()
    }
}

/// `GET /calm/{tool}?step=end`.
#[derive(Template)]
#[template(path = "calm/end.html")]
pub struct CalmEndView {
    /// Chrome.
    pub chrome: Chrome,
    /// The tool.
    pub tool: &'static Tool,
    /// The shorter version.
    pub short: bool,
    /// The person stopped before the end.
    pub stopped: bool,
    /// The rating after was just saved.
    pub rated: bool,
    /// This use's id (from the rating before), carried into the form.
    pub use_id: Option<String>,
    /// The rating form.
    pub scale: Scale,
    /// A calm message about the rating.
    pub problem: Option<String>,
    /// The calm script.
    pub calm_js: String,
}

/// One row of "what has helped you".
pub struct HelpedRow {
    /// Tool name.
    pub name: String,
    /// Where it lives.
    pub href: String,
    /// Plain words about how it went.
    pub words: String,
    /// "based on 3 times".
    pub uses: String,
}

/// `GET /calm/helped` (unlocked).
#[derive(Template)]
#[template(path = "calm/helped.html")]
pub struct CalmHelpedView {
    /// Chrome.
    pub chrome: Chrome,
    /// The ranking, most helpful first.
    pub rows: Vec<HelpedRow>,
    /// How many uses are kept at all (for the forget form).
    pub kept: usize,
    /// A message.
    pub message: Option<String>,
    /// Whether the message is a problem.
    pub is_problem: bool,
    /// The calm script.
    pub calm_js: String,
}

crate::render::html_pages!(
    CalmListView,
    CalmIntroView,
    CalmStepView,
    CalmEndView,
    CalmHelpedView
);

fn calm_js() -> String {
    Assets::url("calm.js")
}

fn no_scale(legend: &'static str) -> Scale {
    Scale {
        legend,
        checked: None,
    }
}

const BEFORE: &str = "How much distress do you feel right now, from 0 to 10? You can skip this.";
const AFTER: &str = "How much distress do you feel now, from 0 to 10? You can skip this.";

/// `GET /calm`.
pub async fn list(ctx: Ctx) -> Response {
    CalmListView {
        chrome: ctx.chrome,
        tools: calm::tools(),
        calm_js: calm_js(),
    }
    .into_response()
}

fn intro_view(chrome: Chrome, tool: &'static Tool, short: bool) -> CalmIntroView {
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

fn end_view(
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
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorPage> {
    let Some(tool) = calm::tool(&key) else {
        return Err(ErrorPage::not_found());
    };
    let q = ToolQuery::parse(raw.as_deref());
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
    let mut hidden = vec![("step", (step_n + 1).to_string())];
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

/// `POST /calm/{tool}/rating`: `moment=before|after`, `rating=0..10` (blank = skip), and for
/// "after" the `use` id from the rating before. Before: a new sealed use, then the first step.
/// After: completes that use (404 for an id that is not this person's use of this tool).
pub async fn rate(
    State(state): State<AppState>,
    me: Me,
    Path(key): Path<String>,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    let Some(tool) = calm::tool(&key) else {
        return Err(ErrorPage::not_found());
    };
    let short = form.get("short") == "1";
    let moment = Moment::parse(form.get("moment"));
    let rating = parse_rating(form.get("rating"));
    let use_text = form.get("use");
    let use_id = RecordId::parse(use_text);
    if !use_text.is_empty() && use_id.is_none() && moment == Some(Moment::After) {
        return Err(ErrorPage::not_found());
    }
    let trellis = &state.trellis;
    match (moment, rating) {
        (Some(Moment::Before), Ok(rating)) => {
            let use_id = match rating {
                Some(r) => Some(trellis.calm_rate_before(&me.unlocked, tool, r).await?),
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
            if !trellis
                .calm_rate_after(&me.unlocked, tool, use_id.as_ref(), rating)
                .await?
            {
                return Err(ErrorPage::not_found());
            }
            Ok(Redirect::to(&format!("{}&rated=1", links.href(Page::End))).into_response())
        }
        (Some(Moment::After), Err(problem)) => {
            let mut view = end_view(me.ctx.chrome, tool, short, use_id.as_ref());
            view.stopped = form.get("stopped") == "1";
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

fn helped_rows(ranking: &[Helped]) -> Vec<HelpedRow> {
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

async fn helped_view(
    state: &AppState,
    me: Me,
    message: Option<String>,
    is_problem: bool,
) -> Result<CalmHelpedView, ErrorPage> {
    let ranking = state.trellis.calm_what_helped(&me.unlocked).await?;
    let kept = state.trellis.calm_rating_count(&me.unlocked).await?;
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
    RawQuery(raw): RawQuery,
) -> Result<Response, ErrorPage> {
    let message = (raw.as_deref() == Some("forgotten"))
        .then(|| "Done. Your ratings are forgotten.".to_owned());
    Ok(helped_view(&state, me, message, false)
        .await?
        .into_response())
}

/// `POST /calm/helped/forget`: forgets every rating (needs `sure=on`).
pub async fn forget(
    State(state): State<AppState>,
    me: Me,
    form: FormFields,
) -> Result<Response, ErrorPage> {
    if !form.checked("sure") {
        let message = "Please tick the box to confirm. Nothing was forgotten.".to_owned();
        let view = helped_view(&state, me, Some(message), true).await?;
        return Ok((StatusCode::BAD_REQUEST, view).into_response());
    }
    state.trellis.calm_forget_ratings(&me.unlocked).await?;
    Ok(Redirect::to("/calm/helped?forgotten").into_response())
}

// ---------------------------------------------------------------------------------------------
// Offline: the service worker.
// ---------------------------------------------------------------------------------------------

/// The calm pages kept for use offline: every tool, full and shorter, every step.
fn offline() -> Offline {
    let mut urls = vec!["/calm".to_owned()];
    for tool in calm::tools() {
        for short in [false, true] {
            let links = Links {
                tool,
                short,
                use_id: None,
                rhythm: None,
            };
            urls.push(links.href(Page::Intro));
            for n in 1..=tool.step_count(short) {
                urls.push(links.href(Page::Step(n)));
            }
            urls.push(links.href(Page::End));
        }
    }
    urls.push(Assets::url("calm.js"));
    let mut sources: Vec<String> = [
        include_str!("../../templates/calm/base.html"),
        include_str!("../../templates/calm/list.html"),
        include_str!("../../templates/calm/intro.html"),
        include_str!("../../templates/calm/step.html"),
        include_str!("../../templates/calm/end.html"),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    sources.push(format!("{:?}", calm::tools()));
    Offline { urls, sources }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn links_keep_one_order_so_each_page_has_one_address() {
        let tool = calm::tool("breathing").unwrap();
        let id = RecordId::parse(&"a".repeat(32)).unwrap();
        let custom = Rhythm {
            inhale: 5,
            hold: 1,
            exhale: 7,
            rest: 0,
        };
        let l = Links {
            tool,
            short: true,
            use_id: Some(&id),
            rhythm: Some(custom),
        };
        assert_eq!(
            l.href(Page::Step(2)),
            format!(
                "/calm/breathing?step=2&short=1&use={}&inhale=5&hold=1&exhale=7&rest=0",
                "a".repeat(32)
            )
        );
        assert_eq!(l.href(Page::Intro), "/calm/breathing?short=1");
        let plain = Links {
            tool,
            short: false,
            use_id: None,
            rhythm: Some(Rhythm::default()),
        };
        assert_eq!(
            plain.href(Page::Step(2)),
            "/calm/breathing?step=2",
            "the default rhythm is not spelled out"
        );
        assert_eq!(plain.href(Page::End), "/calm/breathing?step=end");
    }

    #[test]
    fn words_for_time() {
        assert_eq!(seconds_words(45), "45 seconds");
        assert_eq!(seconds_words(60), "1 minute");
        assert_eq!(seconds_words(90), "a minute and a half");
        assert_eq!(seconds_words(120), "2 minutes");
        assert_eq!(minutes_words(0), "under a minute");
        assert_eq!(minutes_words(1), "about 1 minute");
        assert_eq!(minutes_words(7), "about 7 minutes");
        assert_eq!(tenths_words(60), "6");
        assert_eq!(tenths_words(45), "4.5");
    }
}
