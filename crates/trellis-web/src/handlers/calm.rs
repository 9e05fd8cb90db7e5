//! calm area handlers.
