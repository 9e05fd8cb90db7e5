//! Time, behind a trait so tests can move it.

use std::sync::atomic::{AtomicI64, Ordering};
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

/// `YYYY-MM-DD` for a day (Unix seconds at midnight UTC).
pub fn iso_day(day: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::from_unix_timestamp(day)
        .ok()
        .and_then(|t| t.format(fmt).ok())
        .unwrap_or_default()
}

/// The day (Unix seconds at midnight UTC) written as `YYYY-MM-DD`.
pub fn parse_iso_day(s: &str) -> Option<i64> {
    let s = s.trim();
    fn digits(part: &str, len: usize) -> Option<&str> {
        (part.len() == len && part.bytes().all(|b| b.is_ascii_digit())).then_some(part)
    }
    let mut parts = s.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let year: i32 = digits(year, 4)?.parse().ok()?;
    let month: u8 = digits(month, 2)?.parse().ok()?;
    let day: u8 = digits(day, 2)?.parse().ok()?;
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
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
