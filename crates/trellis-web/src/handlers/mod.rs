//! Handlers by area. Each one parses, authorises (through its extractor), calls one use case
//! and renders.

/// Declares each area's module and lists its `AREA` in [`AREAS`], in this order.
macro_rules! areas {
    ($($area:ident),* $(,)?) => {
        $(pub mod $area;)*

        /// Every area of the web layer, in order (read through [`crate::registry::AREAS`]).
        pub const AREAS: &[crate::registry::WebArea] = &[$($area::AREA),*];
    };
}

// Every area: a module here (`handlers/<area>/` or `handlers/<area>.rs`) that declares
// `pub const AREA`. Adding an area to the web layer is one name in this list.
areas!(
    shell, access, home, today, calm, journal, safety, support, together, progress, learn, therapy,
    recovery, help, settings, data
);

pub(crate) mod keep;

use trellis_core::ids::RecordId;

use crate::error::ErrorPage;

/// A record id from the path; anything malformed is simply not found (404, like another
/// person's id).
pub(crate) fn record_id(raw: &str) -> Result<RecordId, ErrorPage> {
    RecordId::parse(raw).ok_or_else(ErrorPage::not_found)
}

/// What a change to one of the person's records answered: false (the id is not theirs, not
/// of this kind, or already gone) is the 404 page.
pub(crate) fn found(changed: bool) -> Result<(), ErrorPage> {
    if changed {
        Ok(())
    } else {
        Err(ErrorPage::not_found())
    }
}
