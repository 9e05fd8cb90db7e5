//! Static assets, embedded in the binary and served under content-hashed names with
//! immutable caching. Each area declares its files (`WebArea::serving`); templates ask for
//! `Assets::url("app.css")`.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// One embedded file.
pub struct Asset {
    /// The plain name, e.g. `app.css`.
    pub name: &'static str,
    /// The served name, e.g. `app.3f2a9c1d.css`.
    pub hashed_name: String,
    /// MIME type.
    pub content_type: &'static str,
    /// The bytes.
    pub body: &'static [u8],
}

fn hashed(name: &str, body: &[u8]) -> String {
    let hash = hex::encode(&Sha256::digest(body)[..6]);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

fn all() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let files: Vec<&crate::registry::StaticFile> = crate::registry::AREAS
            .iter()
            .flat_map(|area| area.assets)
            .collect();
        // A stylesheet names other files (fonts) by their plain names; it is served naming
        // their hashed ones, so a changed font is a changed stylesheet too. Done once, at start.
        let plain: Vec<(String, String)> = files
            .iter()
            .filter(|f| !f.content_type.starts_with("text/css"))
            .map(|f| {
                (
                    format!("url(\"{}\")", f.name),
                    format!("url(\"/static/{}\")", hashed(f.name, f.body)),
                )
            })
            .collect();
        files
            .iter()
            .map(|f| {
                let body: &'static [u8] = if f.content_type.starts_with("text/css") {
                    let mut text = String::from_utf8_lossy(f.body).into_owned();
                    for (from, to) in &plain {
                        text = text.replace(from.as_str(), to);
                    }
                    Box::leak(text.into_bytes().into_boxed_slice())
                } else {
                    f.body
                };
                Asset {
                    name: f.name,
                    hashed_name: hashed(f.name, body),
                    content_type: f.content_type,
                    body,
                }
            })
            .collect()
    })
}

/// Looks up embedded assets.
pub struct Assets;

impl Assets {
    /// The URL of an asset by plain name. Unknown names are a programming error caught by tests.
    pub fn url(name: &str) -> String {
        all().iter().find(|a| a.name == name).map_or_else(
            || format!("/static/{name}"),
            |a| format!("/static/{}", a.hashed_name),
        )
    }

    /// The URLs of every font.
    pub fn fonts() -> Vec<String> {
        all()
            .iter()
            .filter(|a| a.content_type.starts_with("font/"))
            .map(|a| format!("/static/{}", a.hashed_name))
            .collect()
    }

    /// An asset by its served (hashed) name.
    pub fn by_hashed_name(hashed: &str) -> Option<&'static Asset> {
        all().iter().find(|a| a.hashed_name == hashed)
    }

    /// Every asset (for tests and benchmarks).
    pub fn all() -> &'static [Asset] {
        all()
    }
}
