//! safety area handlers.
