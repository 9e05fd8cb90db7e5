//! The route table: every route the application has, with what it answers when locked and
//! when unlocked. Each area's tests module declares its own rows (`pub const ROUTES`), listed
//! by `area_tests!` in `main.rs`; the foundation's rows are in `web/routes.rs`. A route an area
//! declares in the registry without a row fails `web::routes::table_matches_the_registry`.

use trellis_web::assets::Assets;

/// What a route answers in one state.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// A page with this status.
    Page(u16),
    /// 303 to this location.
    To(&'static str),
}

/// One row: a route and its answers.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub method: &'static str,
    /// As written in the registry (`{name}` for a parameter).
    pub path: &'static str,
    /// Where to send it when the path has a parameter that is not a record id.
    pub at: Option<&'static str>,
    /// A harmless form for the sweep (fails validation, or does what the route is for).
    pub fields: &'static [(&'static str, &'static str)],
    /// A form that WOULD change something if it got through (for the refusal sweep: a
    /// request without same-origin proof or its token must change nothing even with it).
    pub would_change: &'static [(&'static str, &'static str)],
    /// When locked (the account exists).
    pub anonymous: Expect,
    /// When unlocked.
    pub unlocked: Expect,
    /// An unlocked-only route whose locked answer is a page keeping what was typed (the
    /// person filled in a form while the session ended), not a bare redirect.
    pub keeps_form: bool,
}

impl Route {
    pub const fn get(path: &'static str, anonymous: Expect, unlocked: Expect) -> Self {
        Self::new("GET", path, &[], anonymous, unlocked)
    }

    pub const fn post(
        path: &'static str,
        fields: &'static [(&'static str, &'static str)],
        anonymous: Expect,
        unlocked: Expect,
    ) -> Self {
        Self::new("POST", path, fields, anonymous, unlocked)
    }

    const fn new(
        method: &'static str,
        path: &'static str,
        fields: &'static [(&'static str, &'static str)],
        anonymous: Expect,
        unlocked: Expect,
    ) -> Self {
        Self {
            method,
            path,
            at: None,
            fields,
            would_change: &[],
            anonymous,
            unlocked,
            keeps_form: false,
        }
    }

    /// Sent to `at` (a path parameter that is not a record id: a tool's name).
    pub const fn at(self, at: &'static str) -> Self {
        Self {
            at: Some(at),
            ..self
        }
    }

    /// A form that would change something if it got through.
    pub const fn would_change(self, form: &'static [(&'static str, &'static str)]) -> Self {
        Self {
            would_change: form,
            ..self
        }
    }

    /// When locked, keeps what was typed on a page instead of sending to unlock.
    pub const fn keeps_form(self) -> Self {
        Self {
            keeps_form: true,
            ..self
        }
    }

    /// A path to send this route's requests to (record ids stay as `{id}`, which is not
    /// anyone's id: 404).
    pub fn concrete(&self) -> String {
        match (self.at, self.path) {
            (Some(at), _) => at.to_owned(),
            (None, "/static/{name}") => Assets::url("app.css"),
            (None, path) => path.to_owned(),
        }
    }
}

/// Every row: the foundation's, then each area's.
pub fn all() -> impl Iterator<Item = &'static Route> {
    crate::web::routes::FOUNDATION
        .iter()
        .chain(crate::AREA_ROUTES.iter().flat_map(|rows| rows.iter()))
}
