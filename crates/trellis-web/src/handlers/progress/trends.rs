//! `GET /progress/trends`: each check-in question as a smoothed line over the person's own
//! answers, drawn on the server as SVG, with the same numbers as a table.

use std::fmt::Write as _;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trellis_core::clock::Day;
use trellis_core::progress::trend::{gathered, line_by, Point, Span};
use trellis_core::progress::Trend;
use trellis_core::today::local_today;

use crate::ctx::{Chrome, Me};
use crate::error::ErrorPage;
use crate::form::Query;
use crate::AppState;

/// The ranges offered: their key, words, and days (`None`: everything).
const RANGES: [(&str, &str, Option<i64>); 3] = [
    ("30", "30 days", Some(30)),
    ("180", "6 months", Some(183)),
    ("all", "Everything", None),
];

/// The query: `range` (30, 180, all), `day` (the browser's date).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TrendsQuery {
    range: String,
    day: String,
}

/// `GET /progress/trends`.
#[derive(Template)]
#[template(path = "progress/trends.html")]
pub struct TrendsView {
    /// Chrome.
    pub chrome: Chrome,
    /// The ranges: key, words, whether chosen.
    pub ranges: Vec<(&'static str, &'static str, bool)>,
    /// One per check-in question with answers in the range.
    pub trends: Vec<SeriesView>,
    /// Questions followed without answers in the range.
    pub quiet: Vec<&'static str>,
    /// Calm tools used with both ratings in the range.
    pub calm: Vec<SeriesView>,
    /// Trust ladder steps with tries in the range.
    pub ladder: Vec<SeriesView>,
}

/// One trend — a check-in question, a calm tool, a ladder step — ready to draw and to read.
pub struct SeriesView {
    /// Its name.
    pub name: String,
    /// Where the line went, in words.
    pub summary: String,
    /// The drawing (numbers only; made here).
    pub svg: String,
    /// The table's caption.
    pub caption: String,
    /// The table's column headings.
    pub head: [&'static str; 3],
    /// The table's rows, newest first.
    pub rows: Vec<[String; 3]>,
}

/// A change in distress in words: "down 3 points", "up 1 point", "no change".
fn change(drop: f64) -> String {
    let points = drop.abs().round();
    let unit = if (points - 1.0).abs() < f64::EPSILON { "point" } else { "points" };
    match drop {
        d if d.round() > 0.0 => format!("down {points} {unit}"),
        d if d.round() < 0.0 => format!("up {points} {unit}"),
        _ => "no change".to_owned(),
    }
}

crate::render::html_pages!(TrendsView);

/// The word of the choice nearest to `value`.
pub(super) fn word_near(trend: &Trend, value: f64) -> &'static str {
    trend
        .question
        .choices
        .iter()
        .min_by(|a, b| {
            let d = |c: &&trellis_core::today::Choice| {
                (c.value.parse::<f64>().unwrap_or(0.0) - value).abs()
            };
            d(a).total_cmp(&d(b))
        })
        .map_or("", |c| c.word)
}

/// Where the line stood, in words, on the first and the last day it has between `from` and
/// `to` (none when it has no day there).
pub(super) fn line_ends(trend: &Trend, from: Day, to: Day) -> Option<(&'static str, &'static str)> {
    let mut shown = trend.line.iter().filter(|p| p.day >= from && p.day <= to);
    let first = shown.next()?;
    let last = shown.next_back().unwrap_or(first);
    Some((word_near(trend, first.value), word_near(trend, last.value)))
}

/// The drawing of a check-in question: its answers' range is its scale.
pub(super) fn svg(trend: &Trend, from: Day, to: Day) -> String {
    let values: Vec<f64> = trend
        .question
        .choices
        .iter()
        .filter_map(|c| c.value.parse::<f64>().ok())
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    drawing(&trend.answers, &trend.line, (lo, hi), from, to)
}

/// How a time from `from` to `to` is gathered (see [`Span::for_days`]).
fn span_of(from: Day, to: Day) -> Span {
    Span::for_days((to.unix_midnight() - from.unix_midnight()) / 86_400 + 1)
}

/// The points between `from` and `to` (oldest first).
fn within(points: &[Point], from: Day, to: Day) -> &[Point] {
    let a = points.partition_point(|p| p.day < from);
    let b = points.partition_point(|p| p.day <= to);
    &points[a..b.max(a)]
}

/// The drawing: the line (flat across days without an answer) over the answers as dots, on a
/// scale from `lo` to `hi`. Over long times a dot is a week's or a month's mean, and the line
/// is drawn through where it stood at the end of each (see [`span_of`]).
pub(super) fn drawing(
    answers: &[Point],
    line: &[Point],
    (lo, hi): (f64, f64),
    from: Day,
    to: Day,
) -> String {
    const W: f64 = 600.0;
    const H: f64 = 140.0;
    const PAD: f64 = 8.0;
    let span_days = (to.unix_midnight() - from.unix_midnight()).max(86_400) as f64;
    let x = |d: Day| PAD + (d.unix_midnight() - from.unix_midnight()) as f64 / span_days * (W - 2.0 * PAD);
    let y = |v: f64| PAD + (hi - v) / (hi - lo).max(1.0) * (H - 2.0 * PAD);
    let mut out = format!(
        r#"<svg class="trend" viewBox="0 0 {W} {H}" width="100%" height="{H}" aria-hidden="true" focusable="false"><rect class="trend-bg" x="0" y="0" width="{W}" height="{H}" rx="6"/>"#
    );
    let span = span_of(from, to);
    for p in gathered(within(answers, from, to), span) {
        let _ = write!(out, r#"<circle class="trend-dot" cx="{:.1}" cy="{:.1}" r="3"/>"#, x(p.day), y(p.value));
    }
    // The line: where it stood at `from` (the last value before it), then each day's value,
    // held flat until the next answer.
    let mut pts: Vec<(f64, f64)> = Vec::new();
    let before: Option<&Point> = line.iter().rev().find(|p| p.day < from);
    let mut last = before.map(|p| p.value);
    if let Some(v) = last {
        pts.push((x(from), y(v)));
    }
    for p in line_by(within(line, from, to), span) {
        if let Some(v) = last {
            pts.push((x(p.day), y(v)));
        }
        pts.push((x(p.day), y(p.value)));
        last = Some(p.value);
    }
    if let Some(v) = last {
        pts.push((x(to), y(v)));
    }
    if pts.len() > 1 {
        out.push_str(r#"<polyline class="trend-line" points=""#);
        for (px, py) in pts {
            let _ = write!(out, "{px:.1},{py:.1} ");
        }
        out.push_str(r#""/>"#);
    }
    out.push_str("</svg>");
    out
}

/// Each span's rows for a table, newest first: the span in words, then `cells` of the points
/// in it (oldest first, never empty).
fn rows(
    points: &[Point],
    span: Span,
    cells: impl Fn(&[Point]) -> [String; 2],
) -> Vec<[String; 3]> {
    points
        .chunk_by(|a, b| span.start(a.day) == span.start(b.day))
        .rev()
        .map(|chunk| {
            let [a, b] = cells(chunk);
            [span.words(chunk[0].day), a, b]
        })
        .collect()
}

/// The mean value of `points`.
fn mean(points: &[Point]) -> f64 {
    points.iter().map(|p| p.value).sum::<f64>() / points.len().max(1) as f64
}

/// `GET /progress/trends`: 30 days, 6 months or everything.
pub async fn trends(
    State(state): State<AppState>,
    me: Me,
    Query(q): Query<TrendsQuery>,
) -> Result<Response, ErrorPage> {
    let today = local_today(state.trellis.now(), &q.day);
    let range = RANGES.iter().find(|r| r.0 == q.range).unwrap_or(&RANGES[0]);
    let since = range
        .2
        .map(|n| today.minus_days(n - 1 + trellis_core::progress::WARM_UP_DAYS));
    let progress = state.trellis.progress(&me.unlocked);
    let all = progress.checkin_trends(since).await?;
    let first_day = all
        .iter()
        .filter_map(|t| t.answers.first().map(|p| p.day))
        .min()
        .unwrap_or(today);
    let from = range.2.map_or(first_day, |n| today.minus_days(n - 1));
    let span = span_of(from, today);
    let (each, on_average) = match span {
        Span::Day => ("each answer", ""),
        Span::Week => ("each week", " (on average)"),
        Span::Month => ("each month", " (on average)"),
    };
    let first = match span {
        Span::Day => "Day",
        Span::Week => "Week",
        Span::Month => "Month",
    };
    let mut trends = Vec::new();
    let mut quiet = Vec::new();
    for t in &all {
        let Some((a, b)) = line_ends(t, from, today) else {
            quiet.push(t.question.legend);
            continue;
        };
        let summary = if a == b {
            format!("The line stayed near \u{201c}{a}\u{201d}.")
        } else {
            format!("The line moved from near \u{201c}{a}\u{201d} to near \u{201c}{b}\u{201d}.")
        };
        let rows = rows(within(&t.answers, from, today), span, |chunk| {
            let end = chunk[chunk.len() - 1].day;
            let line = t.line.iter().rev().find(|l| l.day <= end).map_or(0.0, |l| l.value);
            [word_near(t, mean(chunk)).to_owned(), word_near(t, line).to_owned()]
        });
        trends.push(SeriesView {
            name: t.question.legend.to_owned(),
            summary,
            svg: svg(t, from, today),
            caption: format!("{}: {each}, newest first", t.question.legend),
            head: [first, if span == Span::Day { "Your answer" } else { "Your answers (on average)" }, "The line"],
            rows,
        });
    }
    let mut calm = Vec::new();
    for t in progress.calm_trends(since).await? {
        let Some(last) = t.line.iter().rev().find(|p| p.day >= from && p.day <= today) else {
            continue;
        };
        let summary = match last.value {
            v if v >= 0.5 => format!("Lately, distress has gone down by about {v:.1} points after it, on average."),
            v if v <= -0.5 => format!("Lately, distress has gone up by about {:.1} points after it, on average. That can happen; another tool may suit you better for now.", -v),
            _ => "Lately, distress has stayed about the same after it.".to_owned(),
        };
        let name = t.tool.name.as_str();
        calm.push(SeriesView {
            name: name.to_owned(),
            summary,
            svg: drawing(&t.drops, &t.line, (-10.0, 10.0), from, today),
            caption: format!("{name}: {}, newest first", if span == Span::Day { "each time" } else { each }),
            head: [first, "Distress", ""],
            rows: rows(within(&t.drops, from, today), span, |chunk| {
                [format!("{}{on_average}", change(mean(chunk))), String::new()]
            }),
        });
    }
    let mut ladder = Vec::new();
    for t in progress.ladder_trends().await? {
        let rows = rows(within(&t.tries, from, today), span, |chunk| {
            let tries = chunk.iter().filter(|p| p.value > 0.0).count();
            let back = chunk.len() - tries;
            let tries = match tries {
                0 => None,
                1 => Some("a try".to_owned()),
                n => Some(format!("{n} tries")),
            };
            let back = match back {
                0 => None,
                1 => Some("a step back".to_owned()),
                n => Some(format!("{n} steps back")),
            };
            let words = match (tries, back) {
                (Some(t), Some(b)) => format!("{t} and {b}"),
                (Some(t), None) => t,
                (None, b) => format!("{} (part of it)", b.unwrap_or_default()),
            };
            [words, String::new()]
        });
        if rows.is_empty() {
            continue;
        }
        ladder.push(SeriesView {
            summary: format!("Strength now: {}.", t.words),
            svg: drawing(&t.tries, &t.line, (0.0, 1.0), from, today),
            caption: format!("{}: {}, newest first", t.name, if span == Span::Day { "each try" } else { each }),
            head: [first, "What happened", ""],
            name: t.name,
            rows,
        });
    }
    Ok(TrendsView {
        ladder,
        chrome: me.ctx.chrome,
        ranges: RANGES.iter().map(|r| (r.0, r.1, r.0 == range.0)).collect(),
        trends,
        quiet,
        calm,
    }
    .into_response())
}
