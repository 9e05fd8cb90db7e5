//! Helpers shared by the Safety and Support tests.
#![allow(dead_code)]

use trellis_core::records::{Item, RecordKind};
use trellis_core::Unlocked;

use crate::harness::{self, Client, Resp, TestApp};

/// The second account's passphrase.
pub const OTHER_PASS: &str = "copper kettle beside the window";

/// Text that would run if it were not escaped.
pub const SCRIPT: &str = "<script>alert('x')</script>";
/// An attribute breakout.
pub const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";

/// The unlocked session behind a browser (to read what was stored, the way the app does).
pub async fn unlocked(app: &TestApp, c: &Client) -> Unlocked {
    let cookie = c.session_cookie().expect("unlocked browser");
    app.trellis
        .authenticate(&cookie)
        .await
        .expect("authenticate")
        .expect("a live session")
}

/// Every stored record of kind `T` for the browser's account, opened.
pub async fn stored<T: RecordKind>(app: &TestApp, c: &Client) -> Vec<Item<T>> {
    let u = unlocked(app, c).await;
    app.trellis.records::<T>(&u).list().await.expect("read items")
}

/// The record id at the end of a redirect such as `/safety/boundaries#b-<id>`.
pub fn id_in_location(r: &Resp, prefix: &str) -> String {
    assert_eq!(r.status.as_u16(), 303, "{}", r.snippet());
    let loc = r.header("location").expect("location");
    let id = loc
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{loc} does not start with {prefix}"));
    assert_eq!(id.len(), 32, "{loc}");
    id.to_owned()
}

/// The text inside `<textarea id="{id}" …>…</textarea>`, unescaped.
pub fn textarea(r: &Resp, id: &str) -> Option<String> {
    let start = r.body.find(&format!("<textarea id=\"{id}\""))?;
    let open_end = start + r.body[start..].find('>')? + 1;
    let close = open_end + r.body[open_end..].find("</textarea>")?;
    Some(harness::unescape(&r.body[open_end..close]))
}

/// The script payloads appear only escaped: never as markup.
#[track_caller]
pub fn assert_inert(r: &Resp) {
    for raw in ["<script>alert", "<img src=x", "onerror=alert(1)>"] {
        assert!(
            !r.body.contains(raw),
            "raw {raw:?} in the page: {}",
            r.snippet()
        );
    }
}

/// The calm alert is there and says what to do.
#[track_caller]
pub fn assert_alert(r: &Resp, words: &str) {
    assert!(
        r.body.contains("role=\"alert\""),
        "no alert: {}",
        r.snippet()
    );
    assert!(r.has(words), "alert lacks {words:?}: {}", r.snippet());
}
