//! One way to draw a page. Every page struct (askama) becomes a response here, and a template
//! that fails to draw is the same calm 503 everywhere ("something went wrong on our side",
//! drawn by `ctx::render_errors` inside the usual layout with Help now and Quick exit). The
//! log says only that a template failed, never the page's words.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::ErrorPage;

/// `page` drawn with `status`, or the calm 503 when it cannot be drawn.
pub fn page(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(event = "template_error", cause = %e);
            ErrorPage::unavailable().into_response()
        }
    }
}

/// Makes each page struct a `200` response drawn by [`page`].
macro_rules! html_pages {
    ($($t:ty),* $(,)?) => {$(
        impl axum::response::IntoResponse for $t {
            fn into_response(self) -> axum::response::Response {
                $crate::render::page(axum::http::StatusCode::OK, &self)
            }
        }
    )*};
}
pub(crate) use html_pages;
