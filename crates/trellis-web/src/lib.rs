//! trellis-web: the HTTP layer. axum router, thin handlers, askama templates, embedded assets,
//! and the security middleware that runs before routing.
//!
//! Layer order (outermost first): security headers → anonymous cookie → error rendering →
//! CSRF / same-origin / body-size guard → router.

pub mod address;
pub mod assets;
pub mod cookies;
pub mod ctx;
pub mod error;
pub mod form;
pub mod guard;
pub mod handlers;
pub mod pages;
pub mod serve;

pub use serve::{serve, ServeLimits};

use std::sync::Arc;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use trellis_core::Trellis;

use crate::assets::Assets;
use crate::error::ErrorPage;
use crate::handlers::{access, help, home, settings, today};

/// Shared state for every handler.
#[derive(Clone)]
pub struct AppState {
    /// The application service.
    pub trellis: Arc<Trellis>,
    /// Where quick exit sends the person.
    pub exit_url: String,
    /// The Content-Security-Policy header value (built once from `exit_url`).
    pub csp: axum::http::HeaderValue,
    /// The `Host` values answered (lowercase); any other gets 421. Empty: not checked.
    pub allowed_hosts: Arc<Vec<String>>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see [`address`]).
    pub trusted_proxies: Arc<Vec<address::Cidr>>,
}

impl AppState {
    /// State for the service and quick-exit address.
    pub fn new(trellis: Arc<Trellis>, exit_url: String) -> Self {
        let csp = axum::http::HeaderValue::from_str(&guard::content_security_policy(&exit_url))
            .unwrap_or_else(|_| axum::http::HeaderValue::from_static("default-src 'none'"));
        Self {
            trellis,
            exit_url,
            csp,
            allowed_hosts: Arc::new(Vec::new()),
            trusted_proxies: Arc::new(Vec::new()),
        }
    }

    /// Believes `X-Forwarded-For` from these proxies (and only from them).
    pub fn trusting_proxies(mut self, proxies: Vec<address::Cidr>) -> Self {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// Answers only requests whose `Host` is the listening address (as bound, and as
    /// `localhost`/`127.0.0.1`/`[::1]` with the same port) or one of `extra` (a public name).
    pub fn answering_hosts(mut self, listening: std::net::SocketAddr, extra: &[String]) -> Self {
        let port = listening.port();
        let mut hosts = vec![
            listening.to_string(),
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ];
        hosts.extend(extra.iter().map(|h| h.trim().to_ascii_lowercase()));
        hosts.retain(|h| !h.is_empty());
        self.allowed_hosts = Arc::new(hosts);
        self
    }
}

/// The default neutral site for quick exit.
pub const DEFAULT_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

/// Builds the whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home::home))
        .route("/welcome", get(access::welcome))
        .route("/setup", get(access::setup_form).post(access::setup))
        .route("/setup/recovery", get(access::recovery_code_again))
        .route("/unlock", get(access::unlock_form).post(access::unlock))
        .route(
            "/unlock/recover",
            get(access::recover_form).post(access::recover),
        )
        .route("/help", get(help::help))
        .route("/keepalive", post(access::keepalive))
        .route("/settings", get(settings::show))
        .route("/settings/name", post(settings::save_name))
        .route("/settings/autolock", post(settings::save_autolock))
        .route("/settings/areas", post(settings::save_areas))
        .route("/settings/passphrase", post(settings::change_passphrase))
        .route("/settings/devices", get(settings::devices))
        .route("/settings/devices/revoke", post(settings::revoke))
        .route(
            "/settings/delete",
            get(settings::delete_form).post(settings::delete),
        )
        // --- Calm now (issue 3): routes below this line ---
        .route("/calm", get(handlers::calm::list))
        .route("/calm/helped", get(handlers::calm::helped))
        .route("/calm/helped/forget", post(handlers::calm::forget))
        .route("/calm/{tool}", get(handlers::calm::tool))
        .route("/calm/{tool}/rating", post(handlers::calm::rate))
        .route("/sw.js", get(handlers::calm::service_worker))
        .route("/static/{name}", get(static_asset))
        // --- Today (issue 3): routes below this line ---
        .route("/today", get(today::show))
        .route("/today/checkin", post(today::save))
        .route("/today/checkin/unlock", post(today::unlock_and_save))
        .route("/today/checkin/lock", post(today::lock_and_keep))
        .route("/today/earlier", get(today::earlier))
        .route(
            "/today/settings",
            get(today::settings_form).post(today::save_settings),
        )
        .route("/today/goals", post(today::add_goal))
        .route("/today/goals/{id}/done", post(today::toggle_goal))
        .route("/today/goals/{id}/aside", post(today::set_goal_aside))
        .route("/today/goals/{id}/delete", post(today::delete_goal))
        .route("/today/{id}", post(today::update))
        .route("/today/{id}/edit", get(today::edit_form))
        .route(
            "/today/{id}/delete",
            get(today::delete_form).post(today::delete),
        )
        .route("/health", get(health))
        // --- Journal (issue 4): routes below this line ---
        .route(
            "/journal",
            get(handlers::journal::list).post(handlers::journal::create),
        )
        .route("/journal/new", get(handlers::journal::new_form))
        .route("/journal/draft", post(handlers::journal::save_draft))
        .route(
            "/journal/draft/discard",
            post(handlers::journal::discard_draft),
        )
        .route(
            "/journal/settings",
            get(handlers::journal::settings).post(handlers::journal::save_settings),
        )
        .route(
            "/journal/{id}",
            get(handlers::journal::show).post(handlers::journal::update),
        )
        .route("/journal/{id}/edit", get(handlers::journal::edit_form))
        .route(
            "/journal/{id}/delete",
            get(handlers::journal::delete_form).post(handlers::journal::delete),
        )
        .route("/exit", post(access::exit))
        // --- Safety (issue 4): routes below this line ---
        .route("/safety", get(handlers::safety::overview))
        .route(
            "/safety/boundaries",
            get(handlers::safety::boundaries).post(handlers::safety::add_boundary),
        )
        .route(
            "/safety/boundaries/{id}",
            get(handlers::safety::boundary).post(handlers::safety::change_boundary),
        )
        .route(
            "/safety/boundaries/{id}/delete",
            get(handlers::safety::delete_boundary_form).post(handlers::safety::delete_boundary),
        )
        .route(
            "/safety/plan",
            get(handlers::safety::plan).post(handlers::safety::save_plan),
        )
        .route("/safety/plan/edit", get(handlers::safety::plan_edit))
        .route("/safety/plan/print", get(handlers::safety::plan_print))
        .route(
            "/safety/contacts",
            get(handlers::safety::contacts).post(handlers::safety::add_contact),
        )
        .route(
            "/safety/contacts/{id}/edit",
            get(handlers::safety::edit_contact),
        )
        .route(
            "/safety/contacts/{id}",
            post(handlers::safety::change_contact),
        )
        .route(
            "/safety/contacts/{id}/delete",
            post(handlers::safety::delete_contact),
        )
        .route("/lock", post(access::lock))
        // --- Support (issue 4): routes below this line ---
        .route("/support", get(handlers::support::overview))
        .route("/support/people", post(handlers::support::add_person))
        .route(
            "/support/people/{id}/edit",
            get(handlers::support::edit_person),
        )
        .route(
            "/support/people/{id}",
            post(handlers::support::change_person),
        )
        .route(
            "/support/people/{id}/connected",
            post(handlers::support::connected_today),
        )
        .route(
            "/support/people/{id}/delete",
            post(handlers::support::delete_person),
        )
        .route(
            "/support/settings",
            get(handlers::support::settings).post(handlers::support::save_settings),
        )
        .fallback(guard::not_found)
        .route_layer(axum::middleware::from_fn(guard::access_log))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::render_errors,
        ))
        .layer(axum::middleware::from_fn(ctx::anon_cookie))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::allowed_host,
        ))
        .with_state(state)
}

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

async fn health() -> &'static str {
    "ok"
}
