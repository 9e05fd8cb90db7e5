//! Reading HTML forms and query strings, one way for every page.
//!
//! A handler takes [`Form<T>`]: `T` is a struct of the form's fields (`#[derive(Deserialize,
//! Default)] #[serde(default)]`: every field optional, text kept as typed, a ticked checkbox a
//! [`Tick`], a passphrase a [`Secret`]), or [`FormFields`] where the fields are data-driven (the
//! check-in's items, a journal prompt's answers). A body that is not a form is the calm 400
//! page; nothing a person can type is refused here: the area's own input rules decide, and its
//! page gives back what was typed. Query strings are read the same lenient way by [`Query<T>`].

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
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

    /// A form that repeats a pair of fields per row (`n0`/`c0`, `n1`/`c1`… for `name` "n" and
    /// `value` "c"), read for rows `0..rows`: each row whose name is in `known` and whose value
    /// `parse` accepts, in row order, the first such row for each name.
    pub fn rows<T>(
        &self,
        (name, value): (&str, &str),
        rows: usize,
        known: &[String],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Vec<(String, T)> {
        let mut out: Vec<(String, T)> = Vec::new();
        for i in 0..rows {
            let row = self.get(&format!("{name}{i}"));
            let Some(parsed) = parse(self.get(&format!("{value}{i}"))) else {
                continue;
            };
            if known.iter().any(|k| k == row) && !out.iter().any(|(k, _)| k == row) {
                out.push((row.to_owned(), parsed));
            }
        }
        out
    }
}

impl<'de> Deserialize<'de> for FormFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(d)?;
        Ok(Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Zeroizing::new(v)))
                .collect(),
        ))
    }
}

/// A submitted form read into `T` (see the module's notes). The only refusal is the calm 400
/// page, for a body that is not a form at all.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
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
        serde_urlencoded::from_bytes(&bytes)
            .map(Self)
            .map_err(|_| ErrorPage::bad_request())
    }
}

/// A form with a file (`multipart/form-data`, only where a route takes a file: see
/// [`crate::guard::body_limit`]): its text fields, wiped when dropped, and its files' bytes.
pub struct Upload {
    fields: HashMap<String, Zeroizing<Vec<u8>>>,
}

impl Upload {
    /// A text field as typed (passphrases included: wiped on drop), or "" when absent.
    pub fn text(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .and_then(|v| std::str::from_utf8(v).ok())
            .unwrap_or("")
    }

    /// A file's bytes, or none when no file was chosen.
    pub fn file(&self, name: &str) -> &[u8] {
        self.fields.get(name).map_or(&[], |v| v.as_slice())
    }
}

/// The fields of a `multipart/form-data` body held in memory (the first of repeated names);
/// `None` when it is not one.
pub(crate) async fn multipart_fields(
    content_type: &str,
    body: axum::body::Bytes,
) -> Option<HashMap<String, Zeroizing<Vec<u8>>>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = HashMap::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = Zeroizing::new(field.bytes().await.ok()?.to_vec());
        fields.entry(name).or_insert(bytes);
    }
    Some(fields)
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = ErrorPage;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = axum::body::to_bytes(request.into_body(), crate::guard::UPLOAD_LIMIT)
            .await
            .map_err(|_| ErrorPage::file_too_large())?;
        let fields = multipart_fields(&content_type, bytes)
            .await
            .ok_or_else(ErrorPage::bad_request)?;
        Ok(Self { fields })
    }
}

/// A checkbox: ticked when the browser sent `on`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tick(pub bool);

impl<'de> Deserialize<'de> for Tick {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(String::deserialize(d)? == "on"))
    }
}

/// A passphrase or code as typed: wiped from memory when dropped, never shown back.
#[derive(Default)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// What was typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(Zeroizing::new(String::deserialize(d)?)))
    }
}

/// A form that only asks for the passphrase again (`current`), before something that cannot
/// be undone (deleting everything).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct Confirm {
    /// The passphrase, typed again.
    pub current: Secret,
}

/// `?saved`, on the page a change was saved from: it says so.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

impl Saved {
    /// Whether the page was asked to say "saved".
    pub fn shown(&self) -> bool {
        self.saved.is_some()
    }
}

/// A query string read into `T` (a struct of `String`s with `#[serde(default)]`). Nothing in
/// a query is typed into a form, so nothing here is an error: the first of repeated names
/// counts, and a query that cannot be read at all reads as empty.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequestParts<S> for Query<T> {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(QueryParams::parse(parts.uri.query()).read()))
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

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::parse(parts.uri.query()))
    }
}

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

    /// The pairs read into `T`, the first of repeated names counting; `T::default()` if they
    /// do not fit.
    pub fn read<T: DeserializeOwned + Default>(&self) -> T {
        let mut seen = std::collections::HashSet::new();
        let firsts: Vec<(&str, &str)> = self
            .0
            .iter()
            .filter(|(k, _)| seen.insert(k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        serde_urlencoded::to_string(&firsts)
            .ok()
            .and_then(|q| serde_urlencoded::from_str(&q).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod query_tests {
    use super::{QueryParams, Saved, Tick};

    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    #[serde(default)]
    struct Sample {
        day: String,
        kind: String,
        sure: Tick,
    }

    #[test]
    fn a_typed_query_takes_the_first_of_repeated_names_and_never_fails() {
        let q = QueryParams::parse(Some("kind=free&kind=other&day=2026-11-28&sure=on&x=1"));
        assert_eq!(
            q.read::<Sample>(),
            Sample {
                day: "2026-11-28".into(),
                kind: "free".into(),
                sure: Tick(true),
            }
        );
        assert!(QueryParams::parse(Some("saved")).read::<Saved>().shown());
        assert!(QueryParams::parse(Some("saved=")).read::<Saved>().shown());
        assert!(!QueryParams::parse(Some("day=x")).read::<Saved>().shown());
        assert_eq!(
            QueryParams::parse(Some("%FF=%FF")).read::<Sample>(),
            Sample::default()
        );
    }

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
