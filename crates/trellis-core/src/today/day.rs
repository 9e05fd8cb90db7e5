//! Days as the person sees them.

use super::*;

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

    /// Accepts only `YYYY-MM-DD` (a real date, year 2000 to 9999).
    pub fn parse(s: &str) -> Option<Self> {
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
        if year < 2000 {
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

/// The day a request means by "today": the person's own date when the page told us (their
/// browser's local date, within a day of the server's), otherwise the server's UTC date.
pub fn local_today(now_unix: i64, asked: &str) -> Day {
    let utc = Day::of_unix(now_unix);
    match Day::parse(asked) {
        Some(d) if d >= utc.previous() && d <= utc.next() => d,
        _ => utc,
    }
}

// ---------------------------------------------------------------------------------------------
// What a check-in can ask about
// ---------------------------------------------------------------------------------------------
