//! Per-request context: who is asking, whether they are unlocked, and the page chrome.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{HeaderValue, SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::records::Profile;
use trellis_core::{Requester, SessionProblem, Unlocked};
use trellis_vault::session::{anonymous_csrf_token, new_anonymous_nonce};

use crate::assets::Assets;
use crate::cookies::{cookie_value, set_cookie, ANON_COOKIE, SESSION_COOKIE};
use crate::error::ErrorPage;
use crate::AppState;
use trellis_core::store::TogetherSignals;

/// The parts of every page that are not the page itself.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// Neutral page title.
    pub title: String,
    /// Form token for this request.
    pub csrf: String,
    /// Whether a Lock button belongs on the page.
    pub unlocked: bool,
    /// Where quick exit goes.
    pub exit_url: std::sync::Arc<str>,
    /// Seconds of quiet before the page locks itself (0 = not unlocked).
    pub idle_seconds: u32,
    /// Stylesheet URL.
    pub css: String,
    /// Script URL.
    pub js: String,
    /// The fonts' URLs (preloaded: every page uses both weights).
    pub fonts: Vec<String>,
    /// Linked with a partner: the Pause button belongs in the header.
    pub linked: bool,
    /// The partner's pause is on: a banner leads to their card (pages without JavaScript see
    /// it here; with it, the card also comes over the event stream at once).
    pub partner_paused: bool,
    /// The area navigation (empty while locked: only Help now, Calm now and Quick exit then).
    pub nav: Vec<crate::registry::NavLink>,
    /// The path of the page shown (to mark Home or More as the current place).
    pub here: String,
}

impl Chrome {
    /// Whether the page shown is in an area without a tab of its own (reached through More,
    /// which then shows as the current tab on a phone).
    pub fn in_more(&self) -> bool {
        self.nav.iter().any(|n| n.current && n.tab.is_none())
    }

    /// The frame of a page for someone locked (or not set up yet): the neutral title, no Lock
    /// button, no auto-lock.
    pub fn locked(state: &AppState, csrf: String) -> Self {
        Self {
            title: "Notes".to_owned(),
            csrf,
            unlocked: false,
            exit_url: state.exit_url.clone(),
            idle_seconds: 0,
            css: Assets::url("app.css"),
            js: Assets::url("app.js"),
            fonts: Assets::fonts(),
            linked: false,
            partner_paused: false,
            nav: Vec::new(),
            here: String::new(),
        }
    }

    /// The frame of a page for an unlocked session: the person's own title (or the neutral
    /// one), the Lock button and their auto-lock.
    pub fn unlocked(
        state: &AppState,
        csrf: String,
        display_name: &str,
        idle_minutes: u16,
        signals: TogetherSignals,
    ) -> Self {
        Self {
            linked: signals.linked,
            partner_paused: signals.partner_pause.is_some(),
            title: if display_name.is_empty() {
                "Notes".to_owned()
            } else {
                display_name.to_owned()
            },
            unlocked: true,
            idle_seconds: u32::from(idle_minutes) * 60,
            ..Self::locked(state, csrf)
        }
    }
}

/// The nonce of the anonymous cookie for this request (set by [`anon_cookie`]).
#[derive(Clone, Debug)]
pub struct AnonNonce(pub String);

/// Makes sure every browser has the anonymous cookie that keys forms shown while locked.
pub async fn anon_cookie(mut request: Request, next: Next) -> Response {
    let existing = cookie_value(request.headers(), ANON_COOKIE).filter(|v| v.len() == 43);
    let fresh = existing.is_none();
    let nonce = existing.unwrap_or_else(new_anonymous_nonce);
    request.extensions_mut().insert(AnonNonce(nonce.clone()));
    let mut response = next.run(request).await;
    if fresh && !response.headers().contains_key("clear-site-data") {
        response
            .headers_mut()
            .append(SET_COOKIE, set_cookie(ANON_COOKIE, &nonce, 12 * 3600));
    }
    response
}

/// Everything a handler needs to know about the request.
pub struct Ctx {
    /// The page chrome.
    pub chrome: Chrome,
    /// The unlocked session, when there is one.
    pub unlocked: Option<Unlocked>,
    /// The person's profile (default when locked), opened once per request.
    pub profile: Profile,
    /// Why there is no unlocked session, when a cookie was presented.
    pub problem: Option<SessionProblem>,
    /// Who is asking (for throttling and the devices list).
    pub requester: Requester,
    /// The raw session cookie value, if any (for lock).
    pub session_cookie: Option<String>,
    /// The anonymous cookie's nonce (keys form tokens while locked).
    pub anon_nonce: String,
}

fn device_label(ua: &str) -> String {
    let browser = if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        "A browser"
    };
    let os = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "a device"
    };
    format!("{browser} on {os}")
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = ErrorPage;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let trellis = &state.trellis;
        let session_cookie = cookie_value(&parts.headers, SESSION_COOKIE);
        let (unlocked, problem) = match &session_cookie {
            Some(v) => match trellis.authenticate(v).await? {
                Ok(u) => (Some(u), None),
                Err(p) => (None, Some(p)),
            },
            None => (None, None),
        };
        let anon_nonce = parts
            .extensions
            .get::<AnonNonce>()
            .map(|n| n.0.clone())
            .unwrap_or_default();
        let csrf = match &unlocked {
            Some(u) => u.csrf_token(trellis),
            None => anonymous_csrf_token(trellis.session_secret(), &anon_nonce),
        };
        let (profile, signals) = match &unlocked {
            Some(u) => (
                trellis.profile(u).await?,
                trellis.together(u).signals().await?,
            ),
            None => (Profile::default(), TogetherSignals::default()),
        };
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| {
                crate::address::client_address(
                    a.ip(),
                    &parts.headers,
                    &state.trusted_proxies,
                    state.proxy_header,
                )
            });
        let ua = parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let path = parts.uri.path();
        let nav = match &unlocked {
            Some(_) => crate::registry::nav(&profile, path),
            None => Vec::new(),
        };
        Ok(Self {
            chrome: match &unlocked {
                Some(u) => Chrome {
                    nav,
                    here: path.to_owned(),
                    ..Chrome::unlocked(
                        state,
                        csrf,
                        &profile.display_name,
                        u.account.idle_minutes,
                        signals,
                    )
                },
                None => Chrome::locked(state, csrf),
            },
            unlocked,
            profile,
            problem,
            requester: Requester {
                address,
                device_label: device_label(ua),
            },
            session_cookie,
            anon_nonce,
        })
    }
}

/// Context of a page that needs an unlocked session: otherwise the person is sent to unlock.
pub struct Me {
    /// The context.
    pub ctx: Ctx,
    /// The unlocked session.
    pub unlocked: Unlocked,
}

/// Where a locked person is sent; `quiet` when the session had just locked itself, so the
/// unlock page can say why.
pub struct ToUnlock {
    /// The session expired after a quiet while.
    pub quiet: bool,
}

impl IntoResponse for ToUnlock {
    fn into_response(self) -> Response {
        Redirect::to(if self.quiet {
            "/unlock?quiet"
        } else {
            "/unlock"
        })
        .into_response()
    }
}

/// Rejection for [`Me`].
pub enum MeRejection {
    /// Not unlocked.
    Locked(ToUnlock),
    /// An error page.
    Error(ErrorPage),
}

impl IntoResponse for MeRejection {
    fn into_response(self) -> Response {
        match self {
            Self::Locked(r) => r.into_response(),
            Self::Error(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Me {
    type Rejection = MeRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(MeRejection::Error)?;
        match ctx.unlocked.take() {
            Some(unlocked) => Ok(Self { ctx, unlocked }),
            None => Err(MeRejection::Locked(ToUnlock {
                quiet: ctx.problem == Some(SessionProblem::Expired),
            })),
        }
    }
}

/// The person's own record named by the path's `{id}`, opened, with the unlocked session that
/// owns it. A malformed id, an unknown one, another person's or one of another kind are all
/// the same 404, answered before the handler runs (so before any check or change); a locked
/// browser is sent to unlock like [`Me`].
pub struct Own<T> {
    /// The unlocked session.
    pub me: Me,
    /// The record.
    pub item: trellis_core::records::Item<T>,
}

impl<T> FromRequestParts<AppState> for Own<T>
where
    T: trellis_core::records::RecordKind + Send,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let me = Me::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let not_found = || ErrorPage::not_found().into_response();
        let axum::extract::Path(params) =
            axum::extract::Path::<Vec<(String, String)>>::from_request_parts(parts, state)
                .await
                .map_err(|_| not_found())?;
        let id = params
            .iter()
            .find(|(name, _)| name == "id")
            .and_then(|(_, raw)| trellis_core::ids::RecordId::parse(raw))
            .ok_or_else(not_found)?;
        let item = state
            .trellis
            .records::<T>(&me.unlocked)
            .get(&id)
            .await
            .map_err(|e| ErrorPage::from(e).into_response())?
            .ok_or_else(not_found)?;
        Ok(Self { me, item })
    }
}

/// Chrome for an error page drawn outside any handler.
pub fn error_chrome(
    state: &AppState,
    session_cookie: Option<&str>,
    anon: Option<&AnonNonce>,
) -> Chrome {
    let secret = state.trellis.session_secret();
    let session = session_cookie.and_then(trellis_vault::session::SessionToken::from_cookie_value);
    let csrf = match (&session, anon) {
        (Some(t), _) => t.csrf_token(secret),
        (None, Some(n)) => anonymous_csrf_token(secret, &n.0),
        (None, None) => String::new(),
    };
    // A session cookie that may or may not still be good: the Lock button, but no auto-lock.
    Chrome {
        unlocked: session.is_some(),
        ..Chrome::locked(state, csrf)
    }
}

/// Draws [`ErrorPage`] markers inside the layout.
pub async fn render_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    // Only the session cookie is needed to draw an error page; keep just that.
    let session = cookie_value(request.headers(), SESSION_COOKIE);
    let anon = request.extensions().get::<AnonNonce>().cloned();
    // A form's body is kept aside, so that if saving fails on our side (a full disk) the page
    // can give the person back what they wrote.
    let (mut response, body) = match crate::form::keep_form_body(request).await {
        Ok((request, body)) => (next.run(request).await, body),
        Err(page) => (page.into_response(), None),
    };
    if let Some(page) = response.extensions_mut().remove::<ErrorPage>() {
        let chrome = error_chrome(&state, session.as_deref(), anon.as_ref());
        let kept = if page.status == axum::http::StatusCode::SERVICE_UNAVAILABLE {
            crate::form::typed_words(body.as_deref())
        } else {
            Vec::new()
        };
        let mut drawn = crate::pages::ErrorView {
            chrome,
            page: page.clone(),
            kept,
        }
        .into_response();
        *drawn.status_mut() = page.status;
        crate::metrics::carry_label(&response, &mut drawn);
        for (k, v) in response.headers() {
            if k == SET_COOKIE {
                drawn.headers_mut().append(k, v.clone());
            }
        }
        return drawn;
    }
    response
}

/// A header value helper for static strings.
pub fn hv(s: &'static str) -> HeaderValue {
    HeaderValue::from_static(s)
}
