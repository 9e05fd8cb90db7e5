//! Handlers by area. Each one parses, authorises (through its extractor), calls one use case
//! and renders.

pub mod access;
pub mod calm;
pub mod help;
pub mod home;
pub mod journal;
pub mod safety;
pub mod settings;
pub mod shell;
pub mod support;
pub mod today;

use trellis_core::ids::RecordId;

use crate::error::ErrorPage;

/// A record id from the path; anything malformed is simply not found (404, like another
/// person's id).
pub(crate) fn record_id(raw: &str) -> Result<RecordId, ErrorPage> {
    RecordId::parse(raw).ok_or_else(ErrorPage::not_found)
}
