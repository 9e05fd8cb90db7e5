//! Journal (issue 4): free entries and gently prompted ones, sealed drafts kept while the
//! person types, a page-by-page list, filters and search opened in memory for one request
//! only, and (only when the person turned it on) one of their own past good moments on a
//! hard day.
//!
//! Every entry is one sealed record of kind `journal_entry`, whatever its prompt. The prompt
//! (a trigger note, say) lives inside the sealed value, so the database cannot tell which
//! days held a hard moment. As for every record, only the ids and coarse days are in clear:
//! the entry's day is its `created_day`, which the person may set (writing about yesterday).

// The area's parts: `model` (what an entry is), `input` (what the person sends, and the
// shapes of answers), `entries` (the use cases), `digest` (the search digest's use cases) and
// `index` (its sealed format and matching). They share the imports below (`use super::*`).
mod digest;
mod entries;
mod index;
mod input;
mod model;
#[cfg(test)]
mod tests;

pub use self::input::*;
pub use self::model::*;
#[allow(unused_imports)]
use self::{digest::*, entries::*};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use self::index::{
    month_of, next_month, Chunk, ChunkView, IndexEntry, Matcher, MonthDigest, INDEX_KIND,
    INDEX_SCHEMA,
};

/// The kind of the journal's search digest records (derived from the entries: an export
/// leaves them out, and they are made again).
pub(crate) const INDEX_KIND_NAME: &str = INDEX_KIND;

use crate::access::Unlocked;
use crate::clock::{day_of, iso_day, parse_iso_day};
use crate::ids::RecordId;
use crate::mood::{is_low, Before, MoodScale};
pub use crate::mood::{mood_word, MOODS};
use crate::records::{Item, RecordKind};
use crate::store::{PageStart, StoreError, StoredRecord};
use crate::trellis::Handle;
use crate::trellis::{ServiceError, Trellis};

/// Journal, for one person: [`Trellis::journal`] opens it.
pub enum Area {}

impl Trellis {
    /// Journal for this unlocked session.
    pub fn journal<'a>(&'a self, me: &'a Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}
