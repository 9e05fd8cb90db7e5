//! A small browser's memory: cookies by name (the `__Host-` cookies are `Secure`, which a real
//! jar would not send over plain http) and the latest form token a page carried. Shared by the
//! binary's tests and the load driver (`examples/hosted_load.rs`, by path).

use std::collections::BTreeMap;

/// Cookies and the page's form token.
#[derive(Clone, Debug, Default)]
pub struct Jar {
    cookies: BTreeMap<String, String>,
    /// The latest form token seen on a page.
    pub csrf: Option<String>,
}

impl Jar {
    /// The `Cookie` header to send.
    pub fn header(&self) -> String {
        let all: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        all.join("; ")
    }

    /// Keeps what an answer's `Set-Cookie` headers set, and forgets what they remove.
    pub fn absorb(&mut self, headers: &reqwest::header::HeaderMap) {
        for set in headers.get_all("set-cookie") {
            let line = set.to_str().unwrap_or_default();
            let Some((name, rest)) = line.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or_default();
            if value.is_empty() || line.to_ascii_lowercase().contains("max-age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    /// Keeps the form token of a page, if it has one.
    pub fn read_form_token(&mut self, body: &str) {
        let marker = r#"name="csrf" value=""#;
        if let Some(start) = body.find(marker).map(|s| s + marker.len()) {
            if let Some(end) = body[start..].find('"') {
                self.csrf = Some(body[start..start + end].to_owned());
            }
        }
    }
}
