//! The web layer's integration tests, in one binary: the real router served on 127.0.0.1 over
//! a real store, driven with a small HTTP client that behaves like a careful browser (its own
//! cookie jar, `Sec-Fetch-Site: same-origin`, the hidden `csrf` field, no automatic redirects).
//! One module per area (`calm`, `journal`, `safety`, `today`), and `web` for what crosses areas
//! (sessions, set-up, throttling, every route, faults, connections).
//!
//! Tests marked "both databases" (`on_both_databases!`, in `harness.rs`) run on SQLite (a
//! temporary file) and, when `TRELLIS_TEST_DATABASE_URL` is set, on PostgreSQL in a fresh
//! schema. Without it the PostgreSQL variants pass after saying so on stderr, unless
//! `TRELLIS_REQUIRE_POSTGRES=1`. See `scripts/with-postgres`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[macro_use]
mod harness;

mod route_table;

/// Declares each area's tests module and gathers its rows of the route table (`ROUTES`).
macro_rules! area_tests {
    ($($area:ident),* $(,)?) => {
        $(mod $area;)*

        /// Each area's rows of the route table, in this order.
        const AREA_ROUTES: &[&[route_table::Route]] = &[$($area::ROUTES),*];
    };
}

// One tests module per area (`<area>.rs` or `<area>/mod.rs`).
area_tests!(
    calm, today, journal, safety, support, together, progress, data, learn, therapy, recovery
);

/// What crosses areas: sessions, set-up, throttling, every route, faults, connections.
mod web {
    use crate::harness;

    mod bad_input;
    mod canary;
    mod connections;
    mod disk_full;
    mod endings;
    mod faults;
    mod help;
    mod kdf_pool;
    mod metrics;
    mod moods;
    mod nodes;
    mod other_ids;
    mod quick_exit;
    pub mod routes;
    mod sessions;
    mod setup;
    mod singletons;
    mod throttling;
}
