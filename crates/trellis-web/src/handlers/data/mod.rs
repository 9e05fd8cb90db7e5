//! Take your data with you (issue 11): the export file (the passphrase asked again) and
//! bringing one back in. Thin handlers: the rules, the file and the merge live in
//! `trellis_core::data`.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trellis_core::data::{ExportError, ImportError, ImportProblem, ImportReport, FILE_NAME};

use super::settings::confirm_problem;
use crate::ctx::{Chrome, Me};
use crate::error::ErrorPage;
use crate::form::{Form, Secret, Upload};
use crate::registry::{Access, Routes, WebArea};
use crate::AppState;

/// This area in the area list ([`crate::registry::AREAS`]).
pub const AREA: WebArea =
    WebArea::new("data", routes).settings_at("/settings/export", "Take your data with you");

fn routes() -> Routes {
    Routes::new()
        .get("/settings/export", Access::Unlocked, export_form)
        .post("/settings/export", Access::StepUp, export)
        .get("/settings/import", Access::Unlocked, import_form)
        .post("/settings/import", Access::Unlocked, import)
}

/// Taking your data with you.
#[derive(Template)]
#[template(path = "data/export.html")]
pub struct ExportView {
    /// Chrome.
    pub chrome: Chrome,
    /// A calm message about the form.
    pub problem: Option<String>,
}

/// Bringing a file in.
#[derive(Template)]
#[template(path = "data/import.html")]
pub struct ImportView {
    /// Chrome.
    pub chrome: Chrome,
    /// A calm message about the file.
    pub problem: Option<String>,
    /// What an import did, in words.
    pub done: Option<String>,
}

crate::render::html_pages!(ExportView, ImportView);

/// `GET /settings/export`.
pub async fn export_form(me: Me) -> Response {
    ExportView {
        chrome: me.ctx.chrome,
        problem: None,
    }
    .into_response()
}

/// The export form: the person's passphrase again, and the file's passphrase twice.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ExportFields {
    current: Secret,
    passphrase: Secret,
    confirm: Secret,
}

/// `POST /settings/export`: the file, as a download.
pub async fn export(
    State(state): State<AppState>,
    me: Me,
    Form(form): Form<ExportFields>,
) -> Result<Response, ErrorPage> {
    let made = state
        .trellis
        .data(&me.unlocked)
        .export(
            form.current.as_str(),
            form.passphrase.as_str(),
            form.confirm.as_str(),
            &me.ctx.requester,
        )
        .await;
    let problem = match made {
        Ok(file) => {
            let disposition = format!("attachment; filename=\"{FILE_NAME}\"");
            return Ok((
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition).map_err(|_| ErrorPage::bad_request())?,
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ],
                file.bytes,
            )
                .into_response());
        }
        Err(ExportError::FilePassphrase(p)) => p.to_string(),
        Err(ExportError::Confirm(e)) => confirm_problem(e)?,
        Err(ExportError::Service(e)) => return Err(e.into()),
    };
    Ok((
        StatusCode::BAD_REQUEST,
        ExportView {
            chrome: me.ctx.chrome,
            problem: Some(problem),
        },
    )
        .into_response())
}

/// `GET /settings/import`.
pub async fn import_form(me: Me) -> Response {
    ImportView {
        chrome: me.ctx.chrome,
        problem: None,
        done: None,
    }
    .into_response()
}

/// `POST /settings/import`: `file` (the .age file) and `passphrase` (the file's), as
/// `multipart/form-data`.
pub async fn import(
    State(state): State<AppState>,
    me: Me,
    form: Upload,
) -> Result<Response, ErrorPage> {
    let result = state
        .trellis
        .data(&me.unlocked)
        .import(form.file("file"), form.text("passphrase"))
        .await;
    let (status, problem, done) = match result {
        Ok(report) => (StatusCode::OK, None, Some(report_words(report))),
        Err(ImportError::Problem(p)) => {
            let status = if p == ImportProblem::TooLarge {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, Some(p.to_string()), None)
        }
        Err(ImportError::Service(e)) => return Err(e.into()),
    };
    Ok((
        status,
        ImportView {
            chrome: me.ctx.chrome,
            problem,
            done,
        },
    )
        .into_response())
}

fn report_words(r: ImportReport) -> String {
    let mut words = match r.added {
        0 => "Everything in this file was already here, so nothing needed adding.".to_owned(),
        1 => "One thing was brought in.".to_owned(),
        n => format!("{n} things were brought in."),
    };
    if r.added > 0 && r.already_here > 0 {
        words.push_str(&format!(" {} were already here.", r.already_here));
    }
    if r.kept_yours > 0 {
        words.push_str(&format!(
            " {} differed from what is here; what is here was kept as it is.",
            r.kept_yours
        ));
    }
    words
}
