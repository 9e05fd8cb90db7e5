//! The areas of the web layer, in one list ([`AREAS`], declared by `areas!` in
//! `handlers/mod.rs`). Each area declares its routes once, through [`Routes`], with who may
//! call each one ([`Access`]); the router, the route table (its test, docs/ROUTES.md) and the
//! service worker's offline list all read this list, so adding an area to the web layer is its
//! own folder plus one name in that list.

use axum::handler::Handler;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use sha2::{Digest, Sha256};

use crate::handlers;
use crate::AppState;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, locked or not: the lock screen, Help now, Calm now, assets, quick exit.
    Public,
    /// An unlocked session. Without one the person is sent to unlock (or, where a form was
    /// being filled in, shown a page that keeps what they typed).
    Unlocked,
    /// An unlocked session that also gives its passphrase again in the form (`current`).
    StepUp,
}

/// One route: its method, its path as the router reads it, and who may call it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteInfo {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// As registered (`{name}` for a parameter).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

impl RouteInfo {
    /// Whether the path carries one of the person's record ids (`{id}`): another person's id
    /// must be answered like an unknown one.
    pub fn takes_id(&self) -> bool {
        self.path.contains("{id}")
    }
}

/// An area's routes as it declares them: the router and its table are built together, so
/// they cannot disagree.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteInfo>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Self {
        Self {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    /// `GET path`.
    pub fn get<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("GET", path, access, get(handler))
    }

    /// `POST path`.
    pub fn post<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("POST", path, access, post(handler))
    }

    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        access: Access,
        route: MethodRouter<AppState>,
    ) -> Self {
        self.table.push(RouteInfo {
            method,
            path,
            access,
        });
        // axum merges a second method on a path already routed.
        self.router = self.router.route(path, route);
        self
    }
}

/// What an area lets the service worker keep for use offline: public addresses only, and the
/// sources whose change must make browsers fetch them again.
#[derive(Default)]
pub struct Offline {
    /// Addresses to keep (public pages and assets, never anything of the person's).
    pub urls: Vec<String>,
    /// Templates, content and anything else the kept pages are made from.
    pub sources: Vec<String>,
}

/// One area of the web layer.
pub struct WebArea {
    /// Its key (the same as in `trellis_core::areas` for the areas a person sees on home).
    pub key: &'static str,
    /// Its routes.
    pub routes: fn() -> Routes,
    /// What it keeps for offline use, if anything.
    pub offline: Option<fn() -> Offline>,
}

impl WebArea {
    /// An area with these routes, keeping nothing offline.
    pub const fn new(key: &'static str, routes: fn() -> Routes) -> Self {
        Self {
            key,
            routes,
            offline: None,
        }
    }

    /// The same area, keeping these public pages for use offline.
    pub const fn keeping(self, offline: fn() -> Offline) -> Self {
        Self {
            offline: Some(offline),
            ..self
        }
    }
}

/// Every area of the web layer, in order: the list in `handlers/mod.rs` (`areas!`), where
/// adding an area is one name.
pub const AREAS: &[WebArea] = handlers::AREAS;

/// Every area's routes in one router.
pub fn router() -> Router<AppState> {
    AREAS.iter().fold(Router::new(), |router, area| {
        router.merge((area.routes)().router)
    })
}

/// Every route with the key of the area that declares it, in declaration order.
pub fn table() -> Vec<(&'static str, RouteInfo)> {
    AREAS
        .iter()
        .flat_map(|area| {
            (area.routes)()
                .table
                .into_iter()
                .map(move |route| (area.key, route))
        })
        .collect()
}

/// Every area's offline addresses, and a version that changes whenever any of them, or what
/// they are made from, does.
pub fn offline() -> (Vec<String>, String) {
    let mut urls = Vec::new();
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    for keep in AREAS.iter().filter_map(|area| area.offline) {
        let Offline {
            urls: more,
            sources,
        } = keep();
        for source in &sources {
            hash.update(source.as_bytes());
            hash.update([0]);
        }
        urls.extend(more);
    }
    for u in &urls {
        hash.update(u.as_bytes());
        hash.update([0]);
    }
    (urls, hex::encode(&hash.finalize()[..6]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `path` (no query) fits the route pattern `pattern` (`{name}` matches one
    /// segment).
    fn fits(pattern: &str, path: &str) -> bool {
        let (p, q): (Vec<&str>, Vec<&str>) =
            (pattern.split('/').collect(), path.split('/').collect());
        p.len() == q.len()
            && p.iter()
                .zip(&q)
                .all(|(p, q)| p == q || (p.starts_with('{') && p.ends_with('}') && !q.is_empty()))
    }

    #[test]
    fn every_area_a_person_sees_has_its_web_area_and_page() {
        let table = table();
        for area in trellis_core::areas::AREAS {
            assert!(
                AREAS.iter().any(|a| a.key == area.key),
                "{} has no web area",
                area.key
            );
            assert!(
                table
                    .iter()
                    .any(|(key, r)| *key == area.key && r.method == "GET" && r.path == area.href),
                "{} declares no GET {}",
                area.key,
                area.href
            );
        }
    }

    #[test]
    fn keys_and_routes_are_declared_once() {
        let mut keys: Vec<&str> = AREAS.iter().map(|a| a.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), AREAS.len(), "an area key twice");
        let table = table();
        let mut routes: Vec<(&str, &str)> = table.iter().map(|(_, r)| (r.method, r.path)).collect();
        routes.sort_unstable();
        routes.dedup();
        assert_eq!(routes.len(), table.len(), "a route declared twice");
        // Building the router would panic on a conflict; build it once here.
        let _ = router();
    }

    /// The service worker keeps only public pages: never anything of the person's.
    #[test]
    fn offline_addresses_are_public_pages_only() {
        let table = table();
        let (urls, version) = offline();
        assert!(urls.len() > 20 && version.len() == 12, "{urls:?}");
        for url in &urls {
            let path = url.split('?').next().unwrap_or_default();
            let route = table
                .iter()
                .find(|(_, r)| r.method == "GET" && fits(r.path, path));
            assert!(
                matches!(route, Some((_, r)) if r.access == Access::Public),
                "{url} is kept offline but is not a public page: {route:?}"
            );
        }
    }
}
