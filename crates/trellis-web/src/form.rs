//! Reading HTML forms. A form we cannot read becomes a calm 400 page; missing fields are
//! simply empty, because every field in Trellis is optional unless a handler says otherwise.

use std::collections::HashMap;

use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use zeroize::Zeroizing;

use crate::error::ErrorPage;

/// The fields of a submitted form. Values are wiped when dropped (they may hold passphrases).
pub struct FormFields(HashMap<String, Zeroizing<String>>);

impl FormFields {
    /// A field's value, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", |v| v.as_str())
    }
    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name) == "on"
    }
}

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = ErrorPage;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_form = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(ErrorPage::bad_request());
        }
        let bytes = axum::body::to_bytes(request.into_body(), crate::guard::BODY_LIMIT)
            .await
            .map_err(|_| ErrorPage::too_large())?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| ErrorPage::bad_request())?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            map.insert(k, Zeroizing::new(v));
        }
        Ok(Self(map))
    }
}

/// Fields that never come back on a page: tokens, passphrases, codes and ids.
const NEVER_ECHOED: &[&str] = &[
    "csrf",
    "passphrase",
    "current",
    "confirm",
    "code",
    "setup_id",
];

/// Reads a form POST's body (at most the body limit) and puts it back, so the caller can look
/// at it after the handler ran; other requests pass untouched.
pub(crate) async fn keep_form_body(
    request: Request,
) -> Result<(Request, Option<axum::body::Bytes>), ErrorPage> {
    let is_form = request.method() == axum::http::Method::POST
        && request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, crate::guard::BODY_LIMIT)
        .await
        .map_err(|_| ErrorPage::too_large())?;
    let request = Request::from_parts(parts, axum::body::Body::from(bytes.clone()));
    Ok((request, Some(bytes)))
}

/// The words a person typed into a form (free text only: nothing secret, no short choices),
/// to give back on a page that could not save them.
pub(crate) fn typed_words(body: Option<&[u8]>) -> Vec<String> {
    let Some(body) = body else {
        return Vec::new();
    };
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, v)| {
            !NEVER_ECHOED.contains(&k.as_str())
                && (v.split_whitespace().count() >= 2 || v.chars().count() > 24)
        })
        .map(|(_, v)| v)
        .collect()
}
