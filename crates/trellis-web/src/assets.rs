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

fn all() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        crate::registry::AREAS
            .iter()
            .flat_map(|area| area.assets)
            .map(
                |&crate::registry::StaticFile {
                     name,
                     content_type,
                     body,
                 }| {
                    let hash = hex::encode(&Sha256::digest(body)[..6]);
                    let hashed_name = match name.rsplit_once('.') {
                        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                        None => format!("{name}.{hash}"),
                    };
                    Asset {
                        name,
                        hashed_name,
                        content_type,
                        body,
                    }
                },
            )
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

    /// An asset by its served (hashed) name.
    pub fn by_hashed_name(hashed: &str) -> Option<&'static Asset> {
        all().iter().find(|a| a.hashed_name == hashed)
    }

    /// Every asset (for tests and benchmarks).
    pub fn all() -> &'static [Asset] {
        all()
    }
}
