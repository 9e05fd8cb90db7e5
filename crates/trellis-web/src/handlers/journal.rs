//! journal area handlers.
