//! `GET /progress/trends`: each check-in question as a smoothed line over the person's own
//! answers, drawn on the server as SVG, with the same numbers as a table.

use std::fmt::Write as _;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trellis_core::clock::Day;
use trellis_core::progress::trend::Point;
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

/// One question's trend, ready to draw.
pub struct TrendView {
    /// The question.
    pub legend: &'static str,
    /// The drawing (numbers only; made here).
    pub svg: String,
    /// What the line did, in words.
    pub summary: String,
    /// Day, the answer in words, and where the line was, in words.
    pub rows: Vec<(String, &'static str, &'static str)>,
}

/// `GET /progress/trends`.
#[derive(Template)]
#[template(path = "progress/trends.html")]
pub struct TrendsView {
    /// Chrome.
    pub chrome: Chrome,
    /// The ranges: key, words, whether chosen.
    pub ranges: Vec<(&'static str, &'static str, bool)>,
    /// One per question with answers in the range.
    pub trends: Vec<TrendView>,
    /// Questions followed without answers in the range.
    pub quiet: Vec<&'static str>,
    /// Calm tools used with both ratings in the range.
    pub calm: Vec<SeriesView>,
    /// Trust ladder steps with tries in the range.
    pub ladder: Vec<SeriesView>,
}

/// A calm tool's or a ladder step's trend, ready to draw.
pub struct SeriesView {
    /// The tool's name.
    pub name: &'static str,
    /// The drawing.
    pub svg: String,
    /// Where the line is now, in words.
    pub summary: String,
    /// Each use: day and the change in words, newest first.
    pub rows: Vec<(String, String)>,
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

/// The drawing: the line (flat across days without an answer) over the answers as dots, on a
/// scale from `lo` to `hi`.
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
    for p in answers.iter().filter(|p| p.day >= from && p.day <= to) {
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
    for p in line.iter().filter(|p| p.day >= from && p.day <= to) {
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
    let all = state.trellis.progress(&me.unlocked).checkin_trends(since).await?;
    let first_day = all
        .iter()
        .filter_map(|t| t.answers.first().map(|p| p.day))
        .min()
        .unwrap_or(today);
    let from = range.2.map_or(first_day, |n| today.minus_days(n - 1));
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
        let rows = t
            .answers
            .iter()
            .filter(|p| p.day >= from && p.day <= today)
            .rev()
            .map(|p| {
                let line = t.line.iter().find(|l| l.day == p.day).map_or(p.value, |l| l.value);
                (p.day.words(), word_near(t, p.value), word_near(t, line))
            })
            .collect();
        trends.push(TrendView {
            legend: t.question.legend,
            svg: svg(t, from, today),
            summary,
            rows,
        });
    }
    let mut calm = Vec::new();
    for t in state.trellis.progress(&me.unlocked).calm_trends(since).await? {
        let Some(last) = t.line.iter().rev().find(|p| p.day >= from && p.day <= today) else {
            continue;
        };
        let summary = match last.value {
            v if v >= 0.5 => format!("Lately, distress has gone down by about {v:.1} points after it, on average."),
            v if v <= -0.5 => format!("Lately, distress has gone up by about {:.1} points after it, on average. That can happen; another tool may suit you better for now.", -v),
            _ => "Lately, distress has stayed about the same after it.".to_owned(),
        };
        calm.push(SeriesView {
            name: t.tool.name.as_str(),
            svg: drawing(&t.drops, &t.line, (-10.0, 10.0), from, today),
            summary,
            rows: t
                .drops
                .iter()
                .filter(|p| p.day >= from && p.day <= today)
                .rev()
                .map(|p| (p.day.words(), change(p.value)))
                .collect(),
        });
    }
    let mut ladder = Vec::new();
    for t in state.trellis.progress(&me.unlocked).ladder_trends().await? {
        let rows: Vec<(String, String)> = t
            .tries
            .iter()
            .filter(|p| p.day >= from && p.day <= today)
            .rev()
            .map(|p| {
                let what = if p.value > 0.0 { "a try" } else { "a step back (part of it)" };
                (p.day.words(), what.to_owned())
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        ladder.push(SeriesView {
            name: "",
            svg: drawing(&t.tries, &t.line, (0.0, 1.0), from, today),
            summary: format!("{}: {}.", t.name, t.words),
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
