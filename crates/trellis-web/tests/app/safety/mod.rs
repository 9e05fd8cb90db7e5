//! Safety (issue 4): boundaries with their history, the safety plan with its print view,
//! trusted contacts; bad input; another account's ids (with Support's); sealed-only storage
//! (with Support's).

pub mod common;

mod authz;
mod boundaries;
mod canary;
mod contacts;
mod plan;

use crate::route_table::{Expect::{Page, To}, Route};

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/safety", To("/unlock"), Page(200)),
    Route::get("/safety/boundaries", To("/unlock"), Page(200)),
    Route::post("/safety/boundaries", &[("text", ""), ("group", "touch")], To("/unlock"), Page(400))
        .would_change(&[("text", "Changed by someone else"), ("group", "touch")]),
    Route::get("/safety/boundaries/{id}", To("/unlock"), Page(404)),
    Route::post("/safety/boundaries/{id}", &[("text", "x")], To("/unlock"), Page(404)),
    Route::get("/safety/boundaries/{id}/delete", To("/unlock"), Page(404)),
    Route::post("/safety/boundaries/{id}/delete", &[], To("/unlock"), Page(404)),
    Route::get("/safety/plan", To("/unlock"), Page(200)),
    Route::post("/safety/plan", &[("signs", "x"), ("add_lines", "on"), ("lines_country", "ZZ")], To("/unlock"), Page(400))
        .would_change(&[("signs", "Changed by someone else")]),
    Route::get("/safety/plan/edit", To("/unlock"), Page(200)),
    Route::get("/safety/plan/print", To("/unlock"), Page(200)),
    Route::get("/safety/contacts", To("/unlock"), Page(200)),
    Route::post("/safety/contacts", &[("name", ""), ("phone", "")], To("/unlock"), Page(400))
        .would_change(&[("name", "Someone else"), ("phone", "0100")]),
    Route::get("/safety/contacts/{id}/edit", To("/unlock"), Page(404)),
    Route::post("/safety/contacts/{id}", &[("name", "x")], To("/unlock"), Page(404)),
    Route::post("/safety/contacts/{id}/delete", &[], To("/unlock"), Page(404)),
];
