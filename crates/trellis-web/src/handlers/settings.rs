//! Settings: display name, auto-lock, passphrase, devices, delete everything.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use trellis_core::settings::AutolockError;
use trellis_core::{Trellis, UnlockError};

use crate::ctx::Me;
use crate::error::ErrorPage;
use crate::form::{Confirm, Form, FormFields, Secret};
use serde::Deserialize;
use crate::pages::{
    when, AreaChoice, DeleteView, DeletedView, DeviceRow, DevicesView, SettingsView,
};
use crate::registry::{self, Access, HomeCard, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea = WebArea::new("settings", routes)
    .on_home(HomeCard {
        href: "/settings",
        name: "Settings",
        about: "Passphrase, auto-lock, name, areas and devices.",
        hideable: false,
    });

fn routes() -> Routes {
    Routes::new()
        .get("/settings", Access::Unlocked, show)
        .post("/settings/name", Access::Unlocked, save_name)
        .post("/settings/autolock", Access::Unlocked, save_autolock)
        .post("/settings/areas", Access::Unlocked, save_areas)
        .post("/settings/passphrase", Access::StepUp, change_passphrase)
        .get("/settings/devices", Access::Unlocked, devices)
        .post("/settings/devices/revoke", Access::Unlocked, revoke)
        .get("/settings/delete", Access::Unlocked, delete_form)
        .post("/settings/delete", Access::StepUp, delete)
}

async fn settings_view(
    state: &AppState,
    me: Me,
    section: &'static str,
    message: Option<String>,
    is_problem: bool,
) -> Result<SettingsView, ErrorPage> {
    let _ = state;
    let profile = me.ctx.profile;
    let areas = registry::home_cards()
        .filter(|a| a.card.hideable)
        .map(|a| AreaChoice {
            key: a.key,
            name: a.card.name,
            shown: registry::is_shown(&profile, a.key),
        })
        .collect();
    Ok(SettingsView {
        chrome: me.ctx.chrome,
        areas,
        more: registry::settings_links().collect(),
        display_name: profile.display_name,
        idle_minutes: me.unlocked.account.idle_minutes,
        section,
        message,
        is_problem,
        has_recovery: Trellis::has_recovery_code(&me.unlocked),
    })
}

/// `GET /settings`.
pub async fn show(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    Ok(settings_view(&state, me, "", None, false)
        .await?
        .into_response())
}

/// Words for a failed passphrase check inside settings.
pub(crate) fn confirm_problem(e: UnlockError) -> Result<String, ErrorPage> {
    Ok(match e {
        UnlockError::Wrong => "That passphrase didn't match, so nothing was changed. Please try again.".to_owned(),
        UnlockError::Wait(s) => format!(
            "There have been several tries in a row. Please wait {s} seconds, then try again. Nothing was changed."
        ),
        UnlockError::Passphrase(p) => p.to_string(),
        other => return Err(other.into()),
    })
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NameFields {
    display_name: String,
}

/// `POST /settings/name`.
pub async fn save_name(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<NameFields>,
) -> Result<Response, ErrorPage> {
    let name = form.display_name.as_str();
    if name.chars().count() > trellis_core::records::DISPLAY_NAME_MAX_CHARS {
        let mut view = settings_view(
            &state,
            me,
            "name",
            Some("Please use 40 characters or fewer. Your name was not changed.".to_owned()),
            true,
        )
        .await?;
        view.display_name = name.to_owned();
        return Ok((StatusCode::BAD_REQUEST, view).into_response());
    }
    state.trellis.set_display_name(&me.unlocked, name).await?;
    Ok(Redirect::to("/settings").into_response())
}

/// `POST /settings/areas`: which areas appear on the home page (ticked = shown).
pub async fn save_areas(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<FormFields>,
) -> Result<Response, ErrorPage> {
    let ticked = |key: &str| form.checked(&format!("show_{key}"));
    let choosable = || registry::home_cards().filter(|a| a.card.hideable);
    let hidden: Vec<String> = choosable()
        .filter(|a| !registry::off_by_default(a.key) && !ticked(a.key))
        .map(|a| a.key.to_owned())
        .collect();
    let shown: Vec<String> = choosable()
        .filter(|a| registry::off_by_default(a.key) && ticked(a.key))
        .map(|a| a.key.to_owned())
        .collect();
    state
        .trellis
        .update_profile(&me.unlocked, |p| {
            p.hidden_areas = hidden;
            p.shown_areas = shown;
        })
        .await?;
    Ok(Redirect::to("/settings").into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AutolockFields {
    minutes: String,
}

/// `POST /settings/autolock`.
pub async fn save_autolock(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<AutolockFields>,
) -> Result<Response, ErrorPage> {
    let typed = form.minutes.as_str().trim();
    let result = match typed.parse::<u16>() {
        Ok(minutes) => state
            .trellis
            .set_autolock(&me.unlocked, minutes)
            .await
            .map(|()| minutes),
        Err(_) => Err(AutolockError::OutOfRange),
    };
    match result {
        Ok(minutes) => {
            let mut view = settings_view(
                &state,
                me,
                "autolock",
                Some(format!(
                    "Saved. Your notes will lock after {minutes} quiet minutes."
                )),
                false,
            )
            .await?;
            view.idle_minutes = minutes;
            view.chrome.idle_seconds = u32::from(minutes) * 60;
            Ok(view.into_response())
        }
        Err(AutolockError::OutOfRange) => {
            let message =
                "Please choose a whole number of minutes from 2 to 30. Nothing was changed.";
            let view =
                settings_view(&state, me, "autolock", Some(message.to_owned()), true).await?;
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
        Err(AutolockError::Service(e)) => Err(e.into()),
    }
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PassphraseFields {
    current: Secret,
    passphrase: Secret,
    confirm: Secret,
}

/// `POST /settings/passphrase`.
pub async fn change_passphrase(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<PassphraseFields>,
) -> Result<Response, ErrorPage> {
    let result = state
        .trellis
        .change_passphrase(
            &me.unlocked,
            form.current.as_str(),
            form.passphrase.as_str(),
            form.confirm.as_str(),
            &me.ctx.requester,
        )
        .await;
    match result {
        Ok(()) => Ok(settings_view(
            &state,
            me,
            "passphrase",
            Some(
                "Your passphrase has been changed. Other devices have been signed out.".to_owned(),
            ),
            false,
        )
        .await?
        .into_response()),
        Err(e) => {
            let message = confirm_problem(e)?;
            Ok((
                StatusCode::BAD_REQUEST,
                settings_view(&state, me, "passphrase", Some(message), true).await?,
            )
                .into_response())
        }
    }
}

async fn devices_view(
    state: &AppState,
    me: Me,
    message: Option<String>,
) -> Result<DevicesView, ErrorPage> {
    let devices = state
        .trellis
        .devices(&me.unlocked)
        .await?
        .into_iter()
        .map(|d| DeviceRow {
            since: when(d.since),
            device: d,
        })
        .collect();
    Ok(DevicesView {
        chrome: me.ctx.chrome,
        devices,
        message,
    })
}

/// `GET /settings/devices`.
pub async fn devices(State(state): State<AppState>, me: Me) -> Result<Response, ErrorPage> {
    Ok(devices_view(&state, me, None).await?.into_response())
}


/// The fields of the form (see [`crate::form`]).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct DeviceFields {
    device: String,
}

/// `POST /settings/devices/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<DeviceFields>,
) -> Result<Response, ErrorPage> {
    let id = form.device.as_str();
    let was_current = hex_eq(id, &me.unlocked.session.sid_hash);
    crate::handlers::found(state.trellis.revoke_device(&me.unlocked, id).await?)?;
    if was_current {
        return Ok(Redirect::to("/unlock").into_response());
    }
    Ok(devices_view(
        &state,
        me,
        Some("That device has been signed out.".to_owned()),
    )
    .await?
    .into_response())
}

fn hex_eq(id: &str, bytes: &[u8]) -> bool {
    hex::decode(id).is_ok_and(|b| b == bytes)
}

/// `GET /settings/delete`.
pub async fn delete_form(me: Me) -> Response {
    DeleteView {
        chrome: me.ctx.chrome,
        problem: None,
    }
    .into_response()
}



/// `POST /settings/delete`.
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<Confirm>,
) -> Result<Response, ErrorPage> {
    match state
        .trellis
        .delete_everything(&me.unlocked, form.current.as_str(), &me.ctx.requester)
        .await
    {
        Ok(()) => {
            // The session cookie goes; the anonymous cookie stays so the page's own forms
            // (Quick exit) still carry a valid token.
            let mut chrome = me.ctx.chrome;
            chrome.unlocked = false;
            chrome.title = "Notes".to_owned();
            chrome.csrf = trellis_vault::session::anonymous_csrf_token(
                state.trellis.session_secret(),
                &me.ctx.anon_nonce,
            );
            let mut response = DeletedView { chrome }.into_response();
            let h = response.headers_mut();
            h.insert(
                "clear-site-data",
                axum::http::HeaderValue::from_static("\"cache\", \"storage\""),
            );
            h.append(
                axum::http::header::SET_COOKIE,
                crate::cookies::clear_cookie(crate::cookies::SESSION_COOKIE),
            );
            Ok(response)
        }
        Err(e) => {
            let problem = confirm_problem(e)?;
            Ok((
                StatusCode::BAD_REQUEST,
                DeleteView {
                    chrome: me.ctx.chrome,
                    problem: Some(problem),
                },
            )
                .into_response())
        }
    }
}
