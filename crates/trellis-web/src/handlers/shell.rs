//! The app's shell, shared by every area: embedded assets, the service worker that keeps the
//! public calm pages for use offline, and the operators' health check.

use std::sync::OnceLock;

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::assets::Assets;
use crate::error::ErrorPage;
use crate::registry::{Access, Offline, Routes, StaticFile, WebArea, self};
use crate::AppState;

/// The shell in the area list.
pub const AREA: WebArea = WebArea::new("shell", routes)
    .serving(&[
    StaticFile::style("app.css", include_bytes!("../../static/app.css")),
    StaticFile::script("app.js", include_bytes!("../../static/app.js")),
    StaticFile::font("atkinson-400.woff2", include_bytes!("../../static/fonts/atkinson-400.woff2")),
    StaticFile::font("atkinson-700.woff2", include_bytes!("../../static/fonts/atkinson-700.woff2")),
    ])
    .keeping(offline);

fn routes() -> Routes {
    Routes::new()
        .get("/static/{name}", Access::Public, static_asset)
        .get("/sw.js", Access::Public, service_worker)
        .get("/health", Access::Public, health)
        .get("/ready", Access::Public, ready)
}

/// The shared assets and the page frame every kept page is drawn in.
fn offline() -> Offline {
    Offline {
        urls: ["app.css", "app.js"]
            .into_iter()
            .map(Assets::url)
            .chain(Assets::fonts())
            .collect(),
        sources: vec![
            include_str!("../../templates/layout.html").to_owned(),
            include_str!("../../templates/icons.html").to_owned(),
        ],
    }
}

/// `GET /static/{name}`: an embedded asset by its hashed name, cached for good.
async fn static_asset(Path(name): Path<String>) -> Response {
    match Assets::by_hashed_name(&name) {
        Some(asset) => {
            let mut r = asset.body.into_response();
            let h = r.headers_mut();
            h.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
            h.insert(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            r
        }
        None => ErrorPage::not_found().into_response(),
    }
}

/// `GET /health`: `ok`, for operators (liveness: the process answers).
async fn health() -> &'static str {
    "ok"
}

/// `GET /ready`: `ready` when the database answers (each node applies or checks the
/// migrations before it serves, so a node that serves has them current); otherwise 503, so a
/// load balancer sends people to another node. Says nothing else.
async fn ready(State(state): State<AppState>) -> Response {
    match state.trellis.setup_state().await {
        Ok(_) => "ready".into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response(),
    }
}

/// The service worker script, with every area's offline addresses and a version that
/// changes whenever they or what they are made from do (so browsers fetch the new pages).
fn service_worker_body() -> &'static str {
    static BODY: OnceLock<String> = OnceLock::new();
    BODY.get_or_init(|| {
        let (urls, version) = registry::offline();
        let list = urls
            .iter()
            .map(|u| format!("\"{u}\""))
            .collect::<Vec<_>>()
            .join(",\n  ");
        include_str!("../../static/sw.js")
            .replace("\"__VERSION__\"", &format!("\"{version}\""))
            .replace("[\"__OFFLINE_URLS__\"]", &format!("[\n  {list},\n]"))
    })
}

/// `GET /sw.js`: served from the root so its scope covers `/calm` and `/help`. Like every
/// page it is `no-store`, so browsers always check for a new version.
async fn service_worker() -> Response {
    let mut r = service_worker_body().into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offline_list_is_public_pages_and_assets_only() {
        let (urls, _) = registry::offline();
        assert!(urls.contains(&"/calm".to_owned()));
        assert!(urls.contains(&"/help".to_owned()));
        assert!(urls.contains(&"/calm/senses?step=1".to_owned()));
        assert!(urls.contains(&"/calm/senses?step=3&short=1".to_owned()));
        assert!(urls.contains(&"/calm/movement?step=end".to_owned()));
        assert!(urls.contains(&"/learn/flashbacks".to_owned()));
        assert!(urls.contains(&"/therapy/cpt".to_owned()));
        // Every kept address is a public route (or an asset), never one that needs a session.
        let public: Vec<&str> = registry::table()
            .into_iter()
            .filter(|(_, r)| r.method == "GET" && r.access == registry::Access::Public)
            .map(|(_, r)| r.path)
            .collect();
        let matches = |route: &str, path: &str| {
            let (a, b): (Vec<&str>, Vec<&str>) = (route.split('/').collect(), path.split('/').collect());
            a.len() == b.len() && a.iter().zip(&b).all(|(r, p)| r.starts_with('{') || r == p)
        };
        for u in &urls {
            let path = u.split('?').next().unwrap_or(u);
            assert!(
                u.starts_with("/static/") || public.iter().any(|r| matches(r, path)),
                "{u} is not a public page"
            );
            assert!(!u.starts_with("/therapy/notes"), "{u}");
            assert!(
                !u.contains("helped") && !u.contains("use=") && !u.contains("rating"),
                "{u}"
            );
        }
        let mut sorted = urls.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), urls.len(), "no address twice");
        let body = service_worker_body();
        assert!(!body.contains("__OFFLINE_URLS__") && !body.contains("__VERSION__"));
        assert!(body.contains("\"/calm/feet?step=2\""));
    }
}
