//! today area handlers.
