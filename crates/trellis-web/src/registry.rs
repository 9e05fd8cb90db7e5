//! The areas of the web layer, in one list ([`AREAS`], declared by `areas!` in
//! `handlers/mod.rs`). Each area declares its routes once, through [`Routes`], with who may
//! call each one ([`Access`]); the router, the route table (its test, docs/ROUTES.md) and the
//! service worker's offline list all read this list, so adding an area to the web layer is its
//! own folder plus one name in that list.

use axum::handler::Handler;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use sha2::{Digest, Sha256};
use trellis_core::records::Profile;

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

/// How an area appears on the home page (and, when it can be hidden, in Settings → "What
/// appears on your home page").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HomeCard {
    /// Its page.
    pub href: &'static str,
    /// Its name.
    pub name: &'static str,
    /// One gentle line about it.
    pub about: &'static str,
    /// Whether the person may hide it. Help now and Calm now stay reachable from the header
    /// on every page whatever is chosen here.
    pub hideable: bool,
}

/// A link from Settings → "More" to an area's own settings page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettingsLink {
    /// The page.
    pub href: &'static str,
    /// The words of the link.
    pub label: &'static str,
}

/// A file an area serves under `/static/` (embedded with `include_bytes!`, served under a
/// content-hashed name by [`crate::assets`]).
#[derive(Clone, Copy, Debug)]
pub struct StaticFile {
    /// The plain name, e.g. `calm.js`.
    pub name: &'static str,
    /// MIME type.
    pub content_type: &'static str,
    /// The bytes.
    pub body: &'static [u8],
}

impl StaticFile {
    /// A JavaScript file.
    pub const fn script(name: &'static str, body: &'static [u8]) -> Self {
        Self {
            name,
            content_type: "text/javascript; charset=utf-8",
            body,
        }
    }

    /// A font (WOFF2).
    pub const fn font(name: &'static str, body: &'static [u8]) -> Self {
        Self {
            name,
            content_type: "font/woff2",
            body,
        }
    }

    /// A stylesheet. Where it says `url("name")` for another file served here, the
    /// address served is that file's hashed one (see [`crate::assets`]).
    pub const fn style(name: &'static str, body: &'static [u8]) -> Self {
        Self {
            name,
            content_type: "text/css; charset=utf-8",
            body,
        }
    }
}

/// One area of the web layer: everything the rest of the application needs to know about
/// it, declared in its own module as `pub const AREA`.
pub struct WebArea {
    /// Its key (stored in the profile when the person hides it).
    pub key: &'static str,
    /// Its routes.
    pub routes: fn() -> Routes,
    /// What it keeps for offline use, if anything.
    pub offline: Option<fn() -> Offline>,
    /// Its card on the home page, if it has one.
    pub home: Option<HomeCard>,
    /// Its link in Settings, if it has settings of its own.
    pub settings: Option<SettingsLink>,
    /// Its files under `/static/`.
    pub assets: &'static [StaticFile],
    /// Its label in the phone's tab bar, if it has a place there (the rest are behind "More").
    pub tab: Option<&'static str>,
    /// Off (not on Home, More or the navigation) unless the person turns it on in Settings.
    pub off_by_default: bool,
}

impl WebArea {
    /// An area with these routes, and nothing else yet.
    pub const fn new(key: &'static str, routes: fn() -> Routes) -> Self {
        Self {
            key,
            routes,
            offline: None,
            home: None,
            settings: None,
            assets: &[],
            tab: None,
            off_by_default: false,
        }
    }

    /// The same area, off unless the person turns it on (Settings → what appears on Home).
    pub const fn off_by_default(self) -> Self {
        Self {
            off_by_default: true,
            ..self
        }
    }

    /// The same area, with a place in the phone's tab bar under this short label.
    pub const fn in_tabs(self, label: &'static str) -> Self {
        Self {
            tab: Some(label),
            ..self
        }
    }

    /// The same area, keeping these public pages for use offline.
    pub const fn keeping(self, offline: fn() -> Offline) -> Self {
        Self {
            offline: Some(offline),
            ..self
        }
    }

    /// The same area, with a card on the home page.
    pub const fn on_home(self, card: HomeCard) -> Self {
        Self {
            home: Some(card),
            ..self
        }
    }

    /// The same area, with a link in Settings.
    pub const fn settings_at(self, href: &'static str, label: &'static str) -> Self {
        Self {
            settings: Some(SettingsLink { href, label }),
            ..self
        }
    }

    /// The same area, serving these files.
    pub const fn serving(self, assets: &'static [StaticFile]) -> Self {
        Self { assets, ..self }
    }
}

/// An area's home card with its key (what the home page and Settings list).
#[derive(Clone, Copy, Debug)]
pub struct Shown {
    /// The area's key.
    pub key: &'static str,
    /// Its card.
    pub card: HomeCard,
}

/// The home cards, in list order.
pub fn home_cards() -> impl Iterator<Item = Shown> {
    AREAS
        .iter()
        .filter_map(|a| a.home.map(|card| Shown { key: a.key, card }))
}

/// Whether the area `key` is off unless turned on.
pub fn off_by_default(key: &str) -> bool {
    AREAS.iter().any(|a| a.key == key && a.off_by_default)
}

/// Whether the person sees the area `key`: an area they cannot hide always; one off by default
/// when they turned it on; any other unless they hid it.
pub fn is_shown(profile: &Profile, key: &str) -> bool {
    let has = |list: &[String]| list.iter().any(|k| k == key);
    match (AREAS.iter().find(|a| a.key == key), off_by_default(key)) {
        (Some(a), _) if a.home.is_some_and(|c| !c.hideable) => true,
        (_, true) => has(&profile.shown_areas),
        (_, false) => !has(&profile.hidden_areas),
    }
}

/// The home cards the person sees (see [`is_shown`]).
pub fn visible(profile: &Profile) -> impl Iterator<Item = Shown> + '_ {
    home_cards().filter(move |s| is_shown(profile, s.key))
}

/// Whether the area `key` has a place in the phone's tab bar.
pub fn has_tab(key: &str) -> bool {
    AREAS.iter().any(|a| a.key == key && a.tab.is_some())
}

/// One link of the area navigation: a bar at the foot of a phone's screen (the areas with a
/// tab label, then "More"), a row under the header on a wide screen (every area shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavLink {
    /// The area's key (also its icon's name).
    pub key: &'static str,
    /// Its page.
    pub href: &'static str,
    /// Its name on a wide screen.
    pub name: &'static str,
    /// Its label in the phone's tab bar, if it has a place there.
    pub tab: Option<&'static str>,
    /// Whether the page shown is in this area.
    pub current: bool,
}

/// The navigation for someone unlocked: the areas they have not hidden (Help now stays in the
/// header, so it is not repeated here), the one holding `path` marked as current.
pub fn nav(profile: &Profile, path: &str) -> Vec<NavLink> {
    visible(profile)
        .filter(|s| s.key != "help")
        .map(|s| {
            let tab = AREAS.iter().find(|a| a.key == s.key).and_then(|a| a.tab);
            // (An area's pages live under its own address: `/safety` holds `/safety/plan`.)
            NavLink {
                key: s.key,
                href: s.card.href,
                name: s.card.name,
                tab,
                current: path == s.card.href || path.starts_with(&format!("{}/", s.card.href)),
            }
        })
        .collect()
}

/// The links to areas' own settings, in list order.
pub fn settings_links() -> impl Iterator<Item = SettingsLink> {
    AREAS.iter().filter_map(|a| a.settings)
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
        for u in more {
            if !urls.contains(&u) {
                urls.push(u);
            }
        }
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
    fn every_home_card_and_settings_link_has_its_page() {
        let table = table();
        for Shown { key, card } in home_cards() {
            assert!(
                table
                    .iter()
                    .any(|(k, r)| *k == key && r.method == "GET" && r.path == card.href),
                "{key} declares no GET {}",
                card.href
            );
        }
        for link in settings_links() {
            assert!(
                table
                    .iter()
                    .any(|(_, r)| r.method == "GET" && r.path == link.href),
                "no GET {}",
                link.href
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
