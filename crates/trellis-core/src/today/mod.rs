//! Today: a gentle daily check-in, the items a person chose to follow, and tiny goals
//! (see ../shared/DESIGN.md §3). No streaks, no scores, no counts of missed days: a day
//! without a check-in is simply absent.
//!
//! Record kinds (all sealed like everything else):
//! - [`CheckIn`] (`checkin`): one per day the person chose to check in;
//! - [`TodayPrefs`] (`today_prefs`): which check-in items the person follows;
//! - [`Goal`] (`goal`): one small thing, with the days it was done.

// The parts share the imports below (`use super::*`).
mod checkin;
mod day;
mod goals;
mod input;
mod questions;
#[cfg(test)]
mod tests;
mod use_cases;

#[allow(unused_imports)]
pub use self::checkin::*;
#[allow(unused_imports)]
pub use self::day::*;
#[allow(unused_imports)]
pub use self::goals::*;
#[allow(unused_imports)]
pub use self::input::*;
#[allow(unused_imports)]
pub use self::questions::*;
#[allow(unused_imports)]
pub use self::use_cases::*;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::access::Unlocked;
use crate::clock::Day;
use crate::ids::RecordId;
use crate::mood::{is_low, Before, MoodScale};
use crate::records::{Item, RecordKind};
use crate::trellis::Handle;
use crate::trellis::{ServiceError, Trellis};

/// Today, for one person: [`Trellis::today`] opens it.
pub enum Area {}

impl Trellis {
    /// Today for this unlocked session.
    pub fn today<'a>(&'a self, me: &'a Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}

/// The longest check-in note kept (characters).
pub const NOTE_MAX_CHARS: usize = 2_000;
/// The longest tiny goal (characters).
pub const GOAL_MAX_CHARS: usize = 200;
/// How many days "recent days at a glance" covers (today included).
pub const RECENT_DAYS: i64 = 14;
/// How many done days a goal remembers (about a year; older ones are let go).
pub const GOAL_DAYS_KEPT: usize = 366;
/// The most goals one person keeps (a guard against runaway forms, far above real use).
pub const GOALS_MAX: usize = 100;

const SECS_PER_DAY: i64 = 86_400;

// ---------------------------------------------------------------------------------------------
// Days
// ---------------------------------------------------------------------------------------------
