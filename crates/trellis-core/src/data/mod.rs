//! Take your data with you (issue 11): an export file, and bringing one back in.
//!
//! An export is a ZIP built in memory only (never a file in the clear), holding readable
//! Markdown, one file per area, and `records.json`: every record of the account opened, each
//! with its `kind` and `schema_version`. The ZIP is encrypted with age to a passphrase the
//! person chooses (scrypt), so it opens with the standard tool:
//! `age -d trellis-export.age > trellis.zip`.
//!
//! Bringing a file in only ever adds. A record whose id is already here is left as it is:
//! skipped when its content is the same, and when it differs, the one here is kept (the file
//! never changes or removes anything already here; its copy is counted as "kept yours"). A
//! kind kept once (the safety plan, settings) comes in only when there is none here yet.
//! Everything comes in in one store transaction, sealed with this account's key.

mod export;
mod import;
mod kinds;
mod markdown;
#[cfg(test)]
mod tests;

pub use self::export::*;
pub use self::import::*;
pub use self::kinds::*;

use crate::access::Unlocked;
use crate::trellis::{Handle, Trellis};

/// Taking one's data out and bringing it back in.
pub enum Area {}

impl Trellis {
    /// Export and import for this unlocked session.
    pub fn data<'a>(&'a self, me: &'a Unlocked) -> Handle<'a, Area> {
        self.handle(me)
    }
}

/// What `records.json` says it is.
pub const FORMAT: &str = "trellis-export";
/// The version of the export's layout (`records.json`'s `schema_version`).
pub const EXPORT_SCHEMA_VERSION: u16 = 1;
/// The name the file is offered under.
pub const FILE_NAME: &str = "trellis-export.age";
/// The shortest passphrase for a file.
pub const FILE_PASSPHRASE_MIN_CHARS: usize = 12;
/// The longest passphrase for a file.
pub const FILE_PASSPHRASE_MAX_CHARS: usize = 1000;
/// The largest file brought in (and the largest decrypted ZIP read): 32 MiB.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// The most `records.json` may unpack to (a ZIP that inflates past this is refused): 64 MiB.
pub const MAX_RECORDS_JSON_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries the ZIP may list.
pub const MAX_ZIP_ENTRIES: usize = 64;
/// The largest scrypt work factor (log2 N) a file may ask for: 18 is 256 MiB of memory for
/// about a second. Exports are never made with more, so each one can come back in.
pub const MAX_WORK_FACTOR: u8 = 18;
