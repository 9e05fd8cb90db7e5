//! Safety: boundaries (dated, with their history), a personal safety plan in six parts, and
//! trusted contacts with call and text links. Every value here is sealed like everything else;
//! the store sees only the record kind, ids and coarse days.

// The parts share the imports below (`use super::*`).
mod boundaries;
mod contacts;
mod plan;
mod problems;
#[cfg(test)]
mod tests;

#[allow(unused_imports)]
pub use self::boundaries::*;
#[allow(unused_imports)]
pub use self::contacts::*;
#[allow(unused_imports)]
pub use self::plan::*;
#[allow(unused_imports)]
pub use self::problems::*;

use serde::{Deserialize, Serialize};

use crate::access::Unlocked;
use crate::clock::day_of;
use crate::helplines::Country;
use crate::ids::RecordId;
use crate::records::{Item, RecordKind};
use crate::text::Bounded;
use crate::trellis::Handle;
use crate::trellis::{ServiceError, Trellis};

/// Safety, for one person: [`Trellis::safety`] opens it.
pub enum Area {}

impl Trellis {
    /// Safety for this unlocked session.
    pub fn safety<'a>(&'a self, me: &'a Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}

/// The longest name a person may give their own group of boundaries.
pub const GROUP_MAX_CHARS: usize = 60;
/// The longest boundary.
pub const BOUNDARY_MAX_CHARS: usize = 1_000;
/// The longest part of the safety plan.
pub const PLAN_PART_MAX_CHARS: usize = 4_000;
/// The longest contact name.
pub const NAME_MAX_CHARS: usize = 100;
/// The longest phone number as typed.
pub const PHONE_MAX_CHARS: usize = 40;
/// The longest note about a contact.
pub const NOTE_MAX_CHARS: usize = 500;
