//! Days as the person sees them.

use super::*;

/// A day a check-in may be for: a real date from 2000 on (the check-in came long after).
pub fn checkin_day(s: &str) -> Option<Day> {
    Day::parse(s).filter(|d| d.year() >= 2000)
}

/// The day a request means by "today": the person's own date when the page told us (their
/// browser's local date, within a day of the server's), otherwise the server's UTC date.
pub fn local_today(now_unix: i64, asked: &str) -> Day {
    let utc = Day::of_unix(now_unix);
    match checkin_day(asked) {
        Some(d) if d >= utc.previous() && d <= utc.next() => d,
        _ => utc,
    }
}

// ---------------------------------------------------------------------------------------------
// What a check-in can ask about
// ---------------------------------------------------------------------------------------------
