//! Middleware that runs before routing:
//! - security headers on every response;
//! - for every unsafe method: same-origin check, body size limit, synchronizer token.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use trellis_vault::session::{anonymous_csrf_token, tokens_match, SessionToken};

use crate::cookies::{cookie_value, ANON_COOKIE, SESSION_COOKIE};
use crate::error::ErrorPage;
use crate::AppState;

/// The largest request body accepted (256 KiB): room for the longest journal entry (20,000
/// characters) even in scripts that URL-encode to nine bytes a character.
pub const BODY_LIMIT: usize = 256 * 1024;

/// The largest body of a route that takes a file (bringing an export back in): the largest
/// file Trellis reads, and room for the form around it.
pub const UPLOAD_LIMIT: usize = trellis_core::data::MAX_FILE_BYTES + 64 * 1024;

/// The routes that take a file, each with [`UPLOAD_LIMIT`]; every other route has
/// [`BODY_LIMIT`].
const UPLOAD_PATHS: &[&str] = &["/settings/import"];

/// The largest body accepted on `path`.
pub fn body_limit(path: &str) -> usize {
    if UPLOAD_PATHS.contains(&path) {
        UPLOAD_LIMIT
    } else {
        BODY_LIMIT
    }
}

/// The Content-Security-Policy. `form-action` also allows the quick-exit site's origin,
/// because the no-JavaScript quick exit is a form whose answer redirects there.
pub fn content_security_policy(exit_url: &str) -> String {
    let exit_origin = exit_origin(exit_url)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; form-action 'self'{exit_origin}; frame-ancestors 'none'; \
         base-uri 'none'; object-src 'none'"
    )
}

/// `scheme://host[:port]` of an http(s) URL, when it is one.
fn exit_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let clean = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    clean.then(|| format!("{scheme}://{host}"))
}

const PERMISSIONS: &str = "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), camera=(), \
display-capture=(), document-domain=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), \
screen-wake-lock=(), sync-xhr=(), usb=(), web-share=(), xr-spatial-tracking=()";

/// Answers only requests for this server's own names (DNS rebinding, misrouted traffic): a
/// `Host` that is not on the list gets a short 421 and reaches nothing else.
pub async fn allowed_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.allowed_hosts.is_empty() {
        return next.run(request).await;
    }
    let host = request
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    // "name:port" must match exactly; a bare "name" (given by the operator) matches any port.
    let known = host.as_deref().is_some_and(|h| {
        state
            .allowed_hosts
            .iter()
            .any(|a| a == h || (!a.contains(':') && h.split(':').next() == Some(a.as_str())))
    });
    if known {
        return next.run(request).await;
    }
    let mut response = (
        axum::http::StatusCode::MISDIRECTED_REQUEST,
        "This address is not served here.",
    )
        .into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// Adds the security headers to every response. Everything but hashed static assets is `no-store`.
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let cacheable = is_static && response.status().is_success();
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        header::STRICT_TRANSPORT_SECURITY,
        "max-age=63072000; includeSubDomains",
    );
    h.insert(header::CONTENT_SECURITY_POLICY, state.csp.clone());
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS,
    );
    set(h, header::X_FRAME_OPTIONS, "DENY");
    if !cacheable {
        set(h, header::CACHE_CONTROL, "no-store");
        set(h, header::PRAGMA, "no-cache");
    }
    response
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Same-origin by `Sec-Fetch-Site`, or by `Origin` when the browser sent no fetch metadata.
fn same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
    else {
        return false;
    };
    let (Ok(origin), Ok(host)) = (origin.to_str(), host.to_str()) else {
        return false;
    };
    origin == format!("http://{host}") || origin == format!("https://{host}")
}

/// Refuses unsafe requests that are cross-site, too large, or lack a valid form token.
/// Runs before routing, so no handler ever sees such a request.
pub async fn csrf_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_unsafe(request.method()) {
        return next.run(request).await;
    }
    if !same_origin(&request) {
        tracing::info!(event = "refused_cross_site");
        return ErrorPage::forbidden().into_response();
    }
    let (parts, body) = request.into_parts();
    let limit = body_limit(parts.uri.path());
    let too_large = || {
        if limit == BODY_LIMIT {
            ErrorPage::too_large()
        } else {
            ErrorPage::file_too_large()
        }
    };
    let declared_too_big = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > limit);
    if declared_too_big {
        return too_large().into_response();
    }
    let Ok(bytes) = to_bytes(body, limit).await else {
        return too_large().into_response();
    };
    // Locking and Quick exit only ever end a session: from our own origin they need no token,
    // so a page whose token went stale (another tab unlocked since) can still lock and leave.
    if matches!(parts.uri.path(), "/lock" | "/exit") {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let presented = if limit != BODY_LIMIT && content_type.starts_with("multipart/form-data") {
        // A file's form: its token is one of its parts.
        crate::form::multipart_fields(content_type, bytes.clone())
            .await
            .and_then(|mut fields| fields.remove("csrf"))
            .and_then(|v| String::from_utf8(v.to_vec()).ok())
    } else {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v))
    };
    let Some(presented) = presented else {
        tracing::info!(event = "refused_no_token");
        return ErrorPage::forbidden().into_response();
    };
    let secret = state.trellis.session_secret();
    let by_session = cookie_value(&parts.headers, SESSION_COOKIE)
        .and_then(|v| SessionToken::from_cookie_value(&v))
        .is_some_and(|t| tokens_match(&t.csrf_token(secret), &presented));
    let by_anon = cookie_value(&parts.headers, ANON_COOKIE)
        .is_some_and(|nonce| tokens_match(&anonymous_csrf_token(secret, &nonce), &presented));
    if !(by_session || by_anon) {
        tracing::info!(event = "refused_bad_token");
        return ErrorPage::forbidden().into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A 404 for everything the router does not know.
pub async fn not_found() -> impl IntoResponse {
    (StatusCode::NOT_FOUND, ErrorPage::not_found())
}

/// Logs each request by its route pattern (never the raw path or query), status and time.
pub async fn access_log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .cloned();
    let started = std::time::Instant::now();
    let mut response = next.run(request).await;
    tracing::debug!(
        event = "request",
        method = %method,
        route = route.as_ref().map_or("unmatched", |r| r.as_str()),
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
    );
    if let Some(route) = route {
        crate::metrics::label(&mut response, route);
    }
    response
}
