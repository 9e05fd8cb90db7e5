//! Time, behind a trait so tests can move it, and the one type for a calendar day ([`Day`]).

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;

/// A source of the current time in Unix seconds.
pub trait Clock: Send + Sync + 'static {
    /// Now, in Unix seconds (UTC).
    fn now(&self) -> i64;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp()
    }
}

/// A clock tests can set and advance.
#[derive(Clone, Debug, Default)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock standing at `now`.
    pub fn starting_at(now: i64) -> Self {
        Self(Arc::new(AtomicI64::new(now)))
    }
    /// Moves the clock forward.
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Rounds Unix seconds down to midnight UTC: the only precision kept in clear for records.
pub fn day_of(unix: i64) -> i64 {
    unix - unix.rem_euclid(86_400)
}

/// A calendar day as the person sees it, written `2026-11-21`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(time::Date);

impl Day {
    /// The UTC day of Unix seconds `unix`.
    pub fn of_unix(unix: i64) -> Self {
        let date = time::OffsetDateTime::from_unix_timestamp(unix)
            .map_or(time::Date::MIN, time::OffsetDateTime::date);
        Self(date)
    }

    /// Reads `YYYY-MM-DD` (a real date, year 1900 to 9999; spaces around it are ignored).
    /// Each area keeps its own range on top (a check-in from 2000, nothing in the future).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !digits(0..4)
            || !digits(5..7)
            || !digits(8..10)
        {
            return None;
        }
        let year: i32 = s[0..4].parse().ok()?;
        let month: u8 = s[5..7].parse().ok()?;
        let day: u8 = s[8..10].parse().ok()?;
        if year < 1900 {
            return None;
        }
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(Self)
    }

    /// The day after.
    pub fn next(self) -> Self {
        Self(self.0.next_day().unwrap_or(self.0))
    }

    /// The day before.
    pub fn previous(self) -> Self {
        Self(self.0.previous_day().unwrap_or(self.0))
    }

    /// `n` days earlier.
    pub fn minus_days(self, n: i64) -> Self {
        Self(
            self.0
                .checked_sub(time::Duration::days(n))
                .unwrap_or(self.0),
        )
    }

    /// Unix seconds at midnight UTC of this day (the precision records keep in clear).
    pub fn unix_midnight(self) -> i64 {
        self.0.midnight().assume_utc().unix_timestamp()
    }

    /// "Saturday 21 November".
    pub fn words(self) -> String {
        format!("{} {} {}", self.0.weekday(), self.0.day(), self.0.month())
    }

    /// "Saturday 21 November 2026".
    pub fn words_with_year(self) -> String {
        format!("{} {}", self.words(), self.0.year())
    }

    /// "21 November 2026".
    pub fn date_words(self) -> String {
        format!("{} {} {}", self.0.day(), self.0.month(), self.0.year())
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// "November 2026".
    pub fn month_words(self) -> String {
        format!("{} {}", self.0.month(), self.0.year())
    }

    /// The Monday of this day's week.
    pub fn week_start(self) -> Self {
        self.minus_days(i64::from(self.0.weekday().number_days_from_monday()))
    }

    /// The first day of this day's month.
    pub fn month_start(self) -> Self {
        Self(self.0.replace_day(1).unwrap_or(self.0))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| serde::de::Error::custom("not a day"))
    }
}

/// `YYYY-MM-DD` for a day kept as Unix seconds at midnight UTC (the records' days in clear).
pub fn iso_day(day: i64) -> String {
    Day::of_unix(day).to_string()
}

/// The day (Unix seconds at midnight UTC) written as `YYYY-MM-DD`.
pub fn parse_iso_day(s: &str) -> Option<i64> {
    Day::parse(s).map(Day::unix_midnight)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn iso_days_round_trip() {
        for s in ["1900-01-01", "1970-01-01", "2024-02-29", "2099-12-31"] {
            assert_eq!(iso_day(parse_iso_day(s).expect("a real date")), s);
        }
        assert_eq!(parse_iso_day("1970-01-02"), Some(DAY));
        assert_eq!(parse_iso_day(" 2024-03-03 "), parse_iso_day("2024-03-03"));
        assert_eq!(parse_iso_day("2024-13-01"), None);
    }
}
