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
    let mut days: Vec<(Day, f64, u32)> = Vec::new();
    let mut sorted: Vec<Point> = points.to_vec();
    sorted.sort_by_key(|p| p.day);
    for p in sorted {
        match days.last_mut() {
            Some((d, sum, n)) if *d == p.day => {
                *sum += p.value;
                *n += 1;
            }
            _ => days.push((p.day, p.value, 1)),
        }
    }
    let mut line: Option<f64> = None;
    days.into_iter()
        .map(|(day, sum, n)| {
            let answer = sum / f64::from(n);
            let value = line.map_or(answer, |l| l * m + answer * (1.0 - m));
            line = Some(value);
            Point { day, value }
        })
        .collect()
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
