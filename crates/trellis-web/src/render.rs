//! One way to draw a page. Every page struct (askama) becomes a response here, and a template
//! that fails to draw is the same calm 503 everywhere ("something went wrong on our side",
//! drawn by `ctx::render_errors` inside the usual layout with Help now and Quick exit). The
//! log says only that a template failed, never the page's words.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::ErrorPage;

/// Room a page is first drawn into: most pages are 10–20 KB, and growing a string as it is
/// drawn copies it each time (the profile showed it).
const FIRST_ROOM: usize = 24 * 1024;

/// `page` drawn with `status`, or the calm 503 when it cannot be drawn.
pub fn page<T: Template>(status: StatusCode, page: &T) -> Response {
    let mut html = String::with_capacity(T::SIZE_HINT.max(FIRST_ROOM));
    match page.render_into(&mut html) {
        Ok(()) => (status, Html(html)).into_response(),
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
