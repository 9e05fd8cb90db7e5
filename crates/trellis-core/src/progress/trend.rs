//! Trends without streaks: a smoothed line over the person's own answers (DESIGN §6). For a
//! practice expected `f` times a day, `m = 0.5^(sqrt(f)/13)`; each day with an answer moves the
//! line `line = line·m + answer·(1−m)`; a day without one leaves it where it was. So a missed
//! day costs nothing, and one hard day bends the line a little, not a lot.

use crate::clock::Day;

/// The smoothing factor for something answered `per_day` times a day.
pub fn smoothing(per_day: f64) -> f64 {
    0.5_f64.powf(per_day.sqrt() / 13.0)
}

/// One answer: its day and its value (on the answer's own scale).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// The day.
    pub day: Day,
    /// The value.
    pub value: f64,
}

/// The line over `points` (in any order; several on one day count as their mean), starting at
/// the first answer: one value per day that had an answer, oldest first. Days without an
/// answer have no value of their own: the line stays where it was until the next answer.
pub fn smoothed(points: &[Point], m: f64) -> Vec<Point> {
    let mut sorted: Vec<Point> = points.to_vec();
    sorted.sort_by_key(|p| p.day);
    let mut line: Option<f64> = None;
    gathered(&sorted, Span::Day)
        .into_iter()
        .map(|Point { day, value: answer }| {
            let value = line.map_or(answer, |l| l * m + answer * (1.0 - m));
            line = Some(value);
            Point { day, value }
        })
        .collect()
}

/// How answers are gathered to be drawn and read: one dot and one table row per day, per
/// week or per month, so ten years stay a page a person can read (and a screen reader can
/// walk) rather than three thousand rows. The line itself is always worked out day by day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// Each day.
    Day,
    /// Each week, from Monday.
    Week,
    /// Each month.
    Month,
}

impl Span {
    /// The span for a time of `days` days: days up to two months, weeks up to about a year
    /// and a quarter, months beyond (at most about 60 dots or rows a year shown).
    pub fn for_days(days: i64) -> Self {
        if days <= 62 {
            Self::Day
        } else if days <= 400 {
            Self::Week
        } else {
            Self::Month
        }
    }

    /// The first day of the span holding `day`.
    pub fn start(self, day: Day) -> Day {
        match self {
            Self::Day => day,
            Self::Week => day.week_start(),
            Self::Month => day.month_start(),
        }
    }

    /// The span holding `day`, in words: "Saturday 21 November", "Week of 16 November 2026",
    /// "November 2026".
    pub fn words(self, day: Day) -> String {
        match self {
            Self::Day => day.words(),
            Self::Week => format!("Week of {}", day.week_start().date_words()),
            Self::Month => day.month_words(),
        }
    }
}

/// `points` (oldest first) gathered by `span`: for each span with any, its first day and the
/// mean of its values, oldest first.
pub fn gathered(points: &[Point], span: Span) -> Vec<Point> {
    let mut out: Vec<(Day, f64, u32)> = Vec::new();
    for p in points {
        let start = span.start(p.day);
        match out.last_mut() {
            Some((d, sum, n)) if *d == start => {
                *sum += p.value;
                *n += 1;
            }
            _ => out.push((start, p.value, 1)),
        }
    }
    out.into_iter()
        .map(|(day, sum, n)| Point {
            day,
            value: sum / f64::from(n),
        })
        .collect()
}

/// The line (oldest first) as it stood at the end of each span it moved in: the last point of
/// each span, at its own day.
pub fn line_by(line: &[Point], span: Span) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::new();
    for p in line {
        match out.last_mut() {
            Some(last) if span.start(last.day) == span.start(p.day) => *last = *p,
            _ => out.push(*p),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> Day {
        Day::of_unix(n * 86_400)
    }

    #[test]
    fn the_factor_follows_the_design() {
        // Once a day: 0.5^(1/13).
        assert!((smoothing(1.0) - 0.948_078_4).abs() < 1e-6);
        assert!((smoothing(0.5) - 0.5_f64.powf(0.5_f64.sqrt() / 13.0)).abs() < 1e-12);
    }

    #[test]
    fn a_hand_computed_series_with_skipped_days() {
        let m = 0.5;
        // Days 0, 1, (2 and 3 skipped), 4, 4 again (mean), 7.
        let pts = [
            Point {
                day: day(4),
                value: 3.0,
            },
            Point {
                day: day(0),
                value: 1.0,
            },
            Point {
                day: day(1),
                value: 3.0,
            },
            Point {
                day: day(4),
                value: 5.0,
            },
            Point {
                day: day(7),
                value: 1.0,
            },
        ];
        let line = smoothed(&pts, m);
        let got: Vec<(Day, f64)> = line.iter().map(|p| (p.day, p.value)).collect();
        // 1 → 1·.5+3·.5 = 2 → (skips change nothing) 2·.5 + 4·.5 = 3 → 3·.5 + 1·.5 = 2.
        assert_eq!(
            got,
            vec![(day(0), 1.0), (day(1), 2.0), (day(4), 3.0), (day(7), 2.0)]
        );
        assert!(smoothed(&[], m).is_empty());
    }

    #[test]
    fn gathering_by_week_and_month_takes_the_mean_of_each() {
        // 2026-11-02 is a Monday.
        let d = |s: &str| Day::parse(s).unwrap_or_else(|| day(0));
        let p = |s: &str, value: f64| Point { day: d(s), value };
        let pts = [
            p("2026-10-31", 1.0),
            p("2026-11-01", 3.0),
            p("2026-11-02", 2.0),
            p("2026-11-08", 4.0),
            p("2026-11-09", 5.0),
        ];
        assert_eq!(
            gathered(&pts, Span::Week),
            vec![
                p("2026-10-26", 2.0),
                p("2026-11-02", 3.0),
                p("2026-11-09", 5.0)
            ]
        );
        assert_eq!(
            gathered(&pts, Span::Month),
            vec![p("2026-10-01", 1.0), p("2026-11-01", 3.5)]
        );
        assert_eq!(gathered(&pts, Span::Day), pts.to_vec());
        // The line keeps the last point of each span, at its own day.
        assert_eq!(
            line_by(&pts, Span::Week),
            vec![
                p("2026-11-01", 3.0),
                p("2026-11-08", 4.0),
                p("2026-11-09", 5.0)
            ]
        );
        assert_eq!(Span::Week.words(d("2026-11-08")), "Week of 2 November 2026");
        assert_eq!(Span::Month.words(d("2026-11-08")), "November 2026");
        assert_eq!(Span::for_days(30), Span::Day);
        assert_eq!(Span::for_days(183), Span::Week);
        assert_eq!(Span::for_days(3_650), Span::Month);
    }

    #[test]
    fn one_hard_day_bends_the_line_a_little() {
        let m = smoothing(1.0);
        let mut pts: Vec<Point> = (0..30)
            .map(|d| Point {
                day: day(d),
                value: 4.0,
            })
            .collect();
        pts.push(Point {
            day: day(30),
            value: 1.0,
        });
        let last = smoothed(&pts, m).last().map(|p| p.value).unwrap_or(0.0);
        assert!(last > 3.8 && last < 4.0, "{last}");
    }
}
