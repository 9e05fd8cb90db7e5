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
