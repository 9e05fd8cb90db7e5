//! support area handlers.
