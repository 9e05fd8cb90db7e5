//! Take your data with you (issue 11): the export file opens to exactly what was kept, comes
//! back into a fresh account exactly, twice adds nothing, opens with the standard `age`
//! tool, and never leaves the words in clear on disk; every bad file is refused calmly with
//! the database unchanged. Both databases.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use reqwest::header::CONTENT_TYPE;
use reqwest::Method;
use serde_json::Value;

use crate::harness::{Client, Db, Resp, TestApp, PASS};
use crate::route_table::{self, Expect::{Page, To}, Route};

const WRONG: &str = "not the passphrase at all";
const FILE_PASS: &str = "a quiet harbour at dawn";

/// This area's rows of the route table ([`crate::route_table`]).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route::get("/settings/export", To("/unlock"), Page(200)),
    Route::post("/settings/export", &[("current", WRONG), ("passphrase", FILE_PASS), ("confirm", FILE_PASS)], To("/unlock"), Page(400)),
    Route::get("/settings/import", To("/unlock"), Page(200)),
    // A form that is not `multipart/form-data` carries no file: the calm 400.
    Route::post("/settings/import", &[("passphrase", FILE_PASS)], To("/unlock"), Page(400)),
];

on_both_databases!(
    export_then_import_into_a_fresh_account_is_exact,
    export_asks_for_the_passphrase_again,
    bad_files_are_refused_calmly_and_change_nothing,
    the_words_are_never_on_disk_in_clear,
    the_standard_age_tool_opens_the_export,
    two_imports_at_once_add_each_record_once_and_replace_nothing,
);

async fn two_imports_at_once_add_each_record_once_and_replace_nothing(app: &TestApp) {
    let mut a = app.set_up().await;
    write_everything(&mut a, "Words that travel").await;
    let file = export(&mut a).await;
    let b = app.second_account("another long passphrase here").await;
    let me = app.me(&b).await;
    let account = me.account_id().clone();
    let data = || app.trellis.data(&me);
    let count = || async {
        app.store.records_of_account(&account).await.expect("records").len()
    };
    let before = count().await;
    let (x, y) = tokio::join!(data().import(&file, FILE_PASS), data().import(&file, FILE_PASS));
    let (x, y) = (x.expect("x"), y.expect("y"));
    // No record was added by both: what the two say they added is what came in.
    assert!(x.added + y.added > 0);
    assert_eq!(count().await - before, x.added + y.added, "{} + {}", x.added, y.added);
    let again = data().import(&file, FILE_PASS).await.expect("again");
    assert_eq!(again.added, 0, "everything is here once");
}

/// Writes something of (nearly) every kind: each area's form that changes something, a
/// journal entry with `words`, and a calm rating.
async fn write_everything(c: &mut Client, words: &str) {
    for route in route_table::all().filter(|r| !r.would_change.is_empty()) {
        let r = c.post(&route.concrete(), route.would_change).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}", route.path);
    }
    c.post("/journal", &[("kind", "free"), ("text", words), ("tags", "sea, light")])
        .await
        .assert_status(303);
    c.post("/calm/feet/rating", &[("moment", "before"), ("rating", "7")])
        .await;
}

/// `POST /settings/export`, read as bytes.
async fn export_raw(c: &mut Client, current: &str, pass: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let token = c.refresh_csrf().await;
    let body = serde_urlencoded::to_string([
        ("csrf", token.as_str()),
        ("current", current),
        ("passphrase", pass),
        ("confirm", pass),
    ])
    .expect("form");
    let response = c
        .request(Method::POST, "/settings/export")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.expect("body").to_vec())
}

async fn export(c: &mut Client) -> Vec<u8> {
    let (status, headers, bytes) = export_raw(c, PASS, FILE_PASS).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(
        headers.get("content-disposition").and_then(|v| v.to_str().ok()),
        Some("attachment; filename=\"trellis-export.age\"")
    );
    assert!(headers
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store")));
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "), "an age scrypt file");
    bytes
}

/// `POST /settings/import` with a file, as a browser sends it.
async fn import(c: &mut Client, file: &[u8], pass: &str) -> Resp {
    let token = c.refresh_csrf().await;
    let boundary = "trellis-test-7f3a9c";
    let mut body = Vec::new();
    for (name, value, filename) in [
        ("csrf", token.as_bytes(), None),
        ("file", file, Some("trellis-export.age")),
        ("passphrase", pass.as_bytes(), None),
    ] {
        write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").unwrap();
        if let Some(f) = filename {
            write!(body, "; filename=\"{f}\"\r\nContent-Type: application/octet-stream").unwrap();
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    let rb = c
        .request(Method::POST, "/settings/import")
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(body);
    c.send(rb).await
}

/// The age file opened with the file passphrase: the ZIP's files by name.
fn open(file: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut identity = age::scrypt::Identity::new(FILE_PASS.to_owned().into());
    identity.set_max_work_factor(20);
    let decryptor = age::Decryptor::new_buffered(file).expect("an age file");
    let mut zip = Vec::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("opens")
        .read_to_end(&mut zip)
        .expect("read");
    unzip(&zip)
}

fn unzip(zip: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read");
        files.insert(f.name().to_owned(), bytes);
    }
    files
}

/// `records.json`'s records by id.
fn records(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Value> {
    let json: Value = serde_json::from_slice(&files["records.json"]).expect("json");
    assert_eq!(json["format"], "trellis-export");
    assert_eq!(json["schema_version"], 1);
    json["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| (r["id"].as_str().expect("id").to_owned(), r.clone()))
        .collect()
}

async fn export_then_import_into_a_fresh_account_is_exact(app: &TestApp) {
    let mut a = app.set_up().await;
    write_everything(&mut a, "The lighthouse keeper's kettle").await;
    let started = std::time::Instant::now();
    let file_a = export(&mut a).await;
    let took = started.elapsed();
    let files = open(&file_a);
    let of_a = records(&files);
    let kinds: std::collections::BTreeSet<&str> =
        of_a.values().map(|r| r["kind"].as_str().expect("kind")).collect();
    eprintln!(
        "export: {} records of {} kinds, {} bytes, {} ms",
        of_a.len(),
        kinds.len(),
        file_a.len(),
        took.as_millis()
    );
    assert!(kinds.len() >= 10, "{kinds:?}");
    assert!(!kinds.contains("journal_index"), "the search digest is made again, not exported");
    for name in ["README.md", "journal.md", "today.md", "safety.md", "calm.md", "records.json"] {
        assert!(files.contains_key(name), "{name} in {:?}", files.keys());
    }
    let journal = String::from_utf8(files["journal.md"].clone()).expect("text");
    assert!(journal.contains("The lighthouse keeper's kettle"), "{journal}");

    let mut b = app.second_account("another long passphrase here").await;
    let before_b = records(&open(&export_raw_ok(&mut b, "another long passphrase here").await));
    let r = import(&mut b, &file_a, FILE_PASS).await;
    r.assert_status(200);
    r.assert_calm_page("things were brought in");

    let of_b = records(&open(&export_raw_ok(&mut b, "another long passphrase here").await));
    for (id, record) in &of_a {
        match before_b.get(id) {
            // Already here with other content (a fresh account's own settings): kept as it was.
            Some(own) => assert_eq!(of_b.get(id), Some(own), "{id} kept as it was"),
            None => assert_eq!(of_b.get(id), Some(record), "{id} came across exactly"),
        }
    }
    assert_eq!(of_b.len(), of_a.len() + before_b.keys().filter(|k| !of_a.contains_key(*k)).count());
    // The journal's search finds what came in (its digest is made again).
    b.get("/journal?q=lighthouse")
        .await
        .assert_calm_page("Found in 1 entry.");

    // Twice adds nothing.
    let digest = app.digest().await;
    let r = import(&mut b, &file_a, FILE_PASS).await;
    r.assert_status(200);
    r.assert_calm_page("already here");
    assert_eq!(digest, app.digest().await, "a second import changes nothing");
}

async fn export_raw_ok(c: &mut Client, current: &str) -> Vec<u8> {
    let (status, _, bytes) = export_raw(c, current, FILE_PASS).await;
    assert_eq!(status, 200);
    bytes
}

async fn export_asks_for_the_passphrase_again(app: &TestApp) {
    let mut c = app.set_up().await;
    write_everything(&mut c, "asked again").await;
    for (current, pass, words) in [
        ("", FILE_PASS, "match, so nothing was changed"),
        (WRONG, FILE_PASS, "match, so nothing was changed"),
        (PASS, "too short", "at least 12 characters"),
    ] {
        let (status, headers, body) = export_raw(&mut c, current, pass).await;
        assert_eq!(status, 400);
        assert!(headers.get("content-disposition").is_none());
        let page = String::from_utf8(body).expect("a page");
        assert!(page.contains(words), "{words}: {page}");
        assert!(!page.contains("asked again"));
    }
    let token = c.refresh_csrf().await;
    let body = serde_urlencoded::to_string([
        ("csrf", token.as_str()),
        ("current", PASS),
        ("passphrase", FILE_PASS),
        ("confirm", "a quiet harbour at dusk"),
    ])
    .unwrap();
    let r = c
        .send(
            c.request(Method::POST, "/settings/export")
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body),
        )
        .await;
    r.assert_status(400);
    r.assert_calm_page("were not the same");
}

async fn bad_files_are_refused_calmly_and_change_nothing(app: &TestApp) {
    let mut a = app.set_up().await;
    write_everything(&mut a, "kept safe").await;
    let file = export(&mut a).await;
    let mut b = app.second_account("another long passphrase here").await;
    let digest = app.digest().await;

    let mut flipped = file.clone();
    let at = flipped.len() - 40;
    flipped[at] ^= 0x01;
    let cases: Vec<(&str, Vec<u8>, &str, u16, &str)> = vec![
        ("wrong passphrase", file.clone(), "not the file's passphrase", 400, "passphrase doesn't open"),
        ("cut short", file[..file.len() * 2 / 3].to_vec(), FILE_PASS, 400, "incomplete or changed"),
        ("one byte flipped", flipped, FILE_PASS, 400, "incomplete or changed"),
        ("not a file of ours", b"just some words".to_vec(), FILE_PASS, 400, "doesn't look like a file Trellis made"),
        ("no file", Vec::new(), FILE_PASS, 400, "choose the file"),
        ("a zip bomb", zip_bomb(), FILE_PASS, 413, "larger than Trellis can bring in"),
        ("newer", newer_file(), FILE_PASS, 400, "newer version of Trellis"),
    ];
    for (what, bytes, pass, status, words) in cases {
        let r = import(&mut b, &bytes, pass).await;
        assert_eq!(r.status.as_u16(), status, "{what}: {}", r.snippet());
        r.assert_calm_page(words);
        assert!(r.has("Nothing was changed") || r.has("nothing was changed") || what == "no file", "{what}");
        assert_eq!(digest, app.digest().await, "{what}: nothing changed");
    }

    // Larger than any export may be: refused before it is read, by the body limit.
    let big = vec![7u8; trellis_core::data::MAX_FILE_BYTES + 128 * 1024];
    let r = import(&mut b, &big, FILE_PASS).await;
    r.assert_status(413);
    r.assert_calm_page("larger than Trellis can bring in");
    assert_eq!(digest, app.digest().await, "too large: nothing changed");
    // Other forms keep their own, smaller limit.
    let long = "x".repeat(300 * 1024);
    b.post("/journal", &[("kind", "free"), ("text", &long)])
        .await
        .assert_status(413);
}

fn age_file(zip: &[u8]) -> Vec<u8> {
    let mut recipient = age::scrypt::Recipient::new(FILE_PASS.to_owned().into());
    recipient.set_work_factor(10);
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as _)).expect("encryptor");
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).expect("wrap");
    w.write_all(zip).expect("write");
    w.finish().expect("finish");
    out
}

/// A small age file whose `records.json` inflates past the cap.
fn zip_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("records.json", options).expect("start");
    let block = vec![b' '; 1024 * 1024];
    for _ in 0..=(trellis_core::data::MAX_RECORDS_JSON_BYTES / (1024 * 1024)) {
        zip.write_all(&block).expect("write");
    }
    let bytes = zip.finish().expect("finish").into_inner();
    assert!(bytes.len() < 512 * 1024, "small: {}", bytes.len());
    age_file(&bytes)
}

/// A file from a Trellis with a newer export layout.
fn newer_file() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("records.json", zip::write::SimpleFileOptions::default())
        .expect("start");
    zip.write_all(br#"{"format":"trellis-export","schema_version":2,"records":{"later":true}}"#)
        .expect("write");
    age_file(&zip.finish().expect("finish").into_inner())
}

/// Scans every file under `dir` written since `since` (anything an export or import wrote)
/// for `needle`; counts the files read.
fn scan_dir(dir: &std::path::Path, since: std::time::SystemTime, needle: &[u8], seen: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            scan_dir(&path, since, needle, seen);
        } else if meta.is_file()
            && meta.len() < 256 * 1024 * 1024
            && meta.modified().is_ok_and(|m| m >= since)
        {
            if let Ok(bytes) = std::fs::read(&path) {
                *seen += 1;
                assert_eq!(
                    crate::harness::count(&bytes, needle),
                    0,
                    "the words in clear in {}",
                    path.display()
                );
            }
        }
    }
}

async fn the_words_are_never_on_disk_in_clear(app: &TestApp) {
    let since = std::time::SystemTime::now() - std::time::Duration::from_secs(2);
    let canary = format!("CANARY-EXPORT-{}", trellis_core::ids::RecordId::generate().as_str());
    let mut c = app.set_up().await;
    write_everything(&mut c, &canary).await;
    let file = export(&mut c).await;
    assert_eq!(crate::harness::count(&file, canary.as_bytes()), 0, "the file is sealed");
    // Control: the file does hold the words, once opened.
    let journal = open(&file)["journal.md"].clone();
    assert_eq!(crate::harness::count(&journal, canary.as_bytes()), 1);
    let mut b = app.second_account("another long passphrase here").await;
    import(&mut b, &file, FILE_PASS).await.assert_status(200);

    let mut seen = 0;
    if let Db::Sqlite { path, .. } = &app.db {
        scan_dir(path.parent().expect("the data directory"), since, canary.as_bytes(), &mut seen);
        assert!(seen >= 2, "the database and its WAL were read");
    }
    scan_dir(&std::env::temp_dir(), since, canary.as_bytes(), &mut seen);
    assert!(seen > 0);
}

async fn the_standard_age_tool_opens_the_export(app: &TestApp) {
    let mut c = app.set_up().await;
    write_everything(&mut c, "Opened by the age tool").await;
    let file = export(&mut c).await;
    let dir = tempfile::tempdir().expect("dir");
    let (input, output) = (dir.path().join("trellis-export.age"), dir.path().join("trellis.zip"));
    std::fs::write(&input, &file).expect("write");
    // age reads a passphrase only from a terminal: give it one (a pty) and type when asked.
    const TYPE_WHEN_ASKED: &str = r#"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp("age", ["age", "-d", "-o", sys.argv[2], sys.argv[1]])
seen = b""
while b"passphrase" not in seen.lower():
    chunk = os.read(fd, 1024)
    if not chunk:
        sys.exit(3)
    seen += chunk
os.write(fd, sys.argv[3].encode() + b"\n")
try:
    while os.read(fd, 1024):
        pass
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", TYPE_WHEN_ASKED])
        .arg(&input)
        .arg(&output)
        .arg(FILE_PASS)
        .output()
        .expect("python3 and age (scripts/test installs age)");
    assert!(run.status.success(), "age -d: {run:?}");
    let files = unzip(&std::fs::read(&output).expect("age wrote the zip"));
    assert!(String::from_utf8_lossy(&files["journal.md"]).contains("Opened by the age tool"));
    assert_eq!(records(&files).len(), records(&open(&file)).len());
    for name in ["README.md", "today.md", "safety.md", "records.json"] {
        assert!(files.contains_key(name), "{name}");
    }
}
