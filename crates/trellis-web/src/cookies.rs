//! Cookie names and attributes. The session cookie carries `sid ‖ sk`; the anonymous cookie
//! carries a random nonce that keys the form token on pages shown while locked.

use axum::http::header::{HeaderMap, HeaderValue, COOKIE};

/// The session cookie: `__Host-` prefix (Secure, Path=/, no Domain), HttpOnly, SameSite=Strict.
pub const SESSION_COOKIE: &str = "__Host-s";
/// The pre-session cookie for set-up and unlock forms.
pub const ANON_COOKIE: &str = "__Host-a";

/// Reads one cookie's value from the request headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// `Set-Cookie` for a cookie that lives `max_age` seconds (session cookies: no Expires, so a
/// browser restart also ends it unless the browser restores sessions).
pub fn set_cookie(name: &str, value: &str, max_age: i64) -> HeaderValue {
    let v = format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` for the session cookie: no `Max-Age` or `Expires`, so the browser keeps it
/// only in memory and forgets it when it closes (the server ends the session anyway after
/// its idle or absolute time).
pub fn set_session_cookie(name: &str, value: &str) -> HeaderValue {
    let v = format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Strict");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` that removes a cookie.
pub fn clear_cookie(name: &str) -> HeaderValue {
    let v = format!("{name}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}
