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

/// A query string's pairs, read one way for every page. Nothing in a query is typed by the
/// person into a form, so nothing here is ever an error: bytes that are not UTF-8 read as
/// replacement characters, and a value a page does not know shows its default.
#[derive(Debug, Default)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    /// Reads a raw query string (`None`: no query).
    pub fn parse(raw: Option<&str>) -> Self {
        Self(
            raw.and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
                .unwrap_or_default(),
        )
    }

    /// The first value of `name`, if given.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`; empty when not given.
    pub fn get(&self, name: &str) -> &str {
        self.first(name).unwrap_or_default()
    }

    /// Whether `name` is given at all (`?saved`, `?deleted`).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every pair, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

#[cfg(test)]
mod query_tests {
    use super::QueryParams;

    #[test]
    fn a_query_is_read_one_way() {
        let q = QueryParams::parse(Some("q=tea+garden&saved&kind=free&kind=other"));
        assert_eq!(q.get("q"), "tea garden");
        assert_eq!(q.get("kind"), "free", "the first value");
        assert!(q.has("saved") && !q.has("deleted"));
        assert_eq!(q.first("missing"), None);
        assert_eq!(q.get("missing"), "");
        assert!(QueryParams::parse(None).pairs().is_empty());
        // Bytes that are not UTF-8 are read as replacement characters, never an error.
        assert_eq!(QueryParams::parse(Some("q=%FF")).get("q"), "\u{fffd}");
    }
}
