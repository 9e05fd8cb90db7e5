//! Calm now: the calm tools (scripts compiled in from `content/calm/*.toml`), the paced
//! breathing rhythm the person sets, the optional distress rating before and after a tool
//! (a sealed record), and the private "what helped" ranking.
//!
//! The tools themselves are public: they work for someone who never set Trellis up and for a
//! locked person. Only the ratings are stored, and only when unlocked.

// The parts share the imports below (`use super::*`).
mod ratings;
mod rhythm;
#[cfg(test)]
mod tests;
mod tools;

#[allow(unused_imports)]
pub use self::ratings::*;
#[allow(unused_imports)]
pub use self::rhythm::*;
#[allow(unused_imports)]
pub use self::tools::*;

use std::cmp::Ordering;
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::access::Unlocked;
use crate::ids::RecordId;
use crate::records::RecordKind;
use crate::trellis::Handle;
use crate::trellis::{ServiceError, Trellis};

/// Calm now (its ratings), for one person: [`Trellis::calm`] opens it.
pub enum Area {}

impl Trellis {
    /// Calm now (its ratings) for this unlocked session.
    pub fn calm<'a>(&'a self, me: &'a Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}
