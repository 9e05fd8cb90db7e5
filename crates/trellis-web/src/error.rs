//! The one place errors become responses. A handler returns an [`ErrorPage`]; the
//! `render_errors` middleware draws it inside the normal layout, so even an error page has
//! Help now and Quick exit. People see a calm sentence and a way back, never internals.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use trellis_core::{ServiceError, UnlockError};

/// A calm error page waiting to be drawn.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    /// HTTP status.
    pub status: StatusCode,
    /// Heading.
    pub heading: &'static str,
    /// One or two calm sentences.
    pub message: &'static str,
}

impl ErrorPage {
    /// 404.
    pub fn not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            heading: "We couldn't find that page",
            message: "The address may have changed, or the page may have been removed. Nothing you saved is affected.",
        }
    }
    /// 403.
    pub fn forbidden() -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            heading: "That didn't go through",
            message: "For your safety, we only accept forms sent from this page in this browser. Please go back, reload the page, and try again. Nothing you saved was changed.",
        }
    }
    /// 413.
    pub fn too_large() -> Self {
        Self {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            heading: "That was more than we can take at once",
            message: "What you sent is larger than 256 KB, so it wasn't saved. Please go back and send a shorter version. Everything saved before is safe.",
        }
    }
    /// 413 for a file larger than Trellis brings in.
    pub fn file_too_large() -> Self {
        Self {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            heading: "That file is larger than Trellis can bring in",
            message: "A file of up to 32 MB can come in. Nothing was changed, and everything saved before is safe.",
        }
    }
    /// 400 for a form we could not read at all.
    pub fn bad_request() -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            heading: "We couldn't read that form",
            message: "Something in it wasn't in the shape we expected. Please go back and try again. Nothing saved was changed.",
        }
    }
    /// 503 when too many passphrase checks are waiting.
    pub fn busy() -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            heading: "Just a moment",
            message: "Trellis is busy checking other passphrases. Please wait a few seconds and try again.",
        }
    }
    /// 500 / 503 for a fault on our side (disk full, database unavailable).
    pub fn unavailable() -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            heading: "We couldn't save or open that just now",
            message: "Something on this computer or server stopped us (for example, the disk may be full). Nothing that was saved before has been lost. Please try again in a little while.",
        }
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut response = status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<ServiceError> for ErrorPage {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Busy => Self::busy(),
            other => {
                tracing::error!(event = "service_error", cause = %other);
                Self::unavailable()
            }
        }
    }
}

impl From<UnlockError> for ErrorPage {
    fn from(e: UnlockError) -> Self {
        match e {
            UnlockError::Service(s) => s.into(),
            _ => Self::bad_request(),
        }
    }
}
