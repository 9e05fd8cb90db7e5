//! safety area: use cases and record kinds (see ../shared/DESIGN.md §3).
