//! Export and import: the ZIP's limits and the Markdown, without a store.

use std::io::Write;

use super::export::{build_zip, ExportRecord};
use super::import::read_export;
use super::*;

fn record(kind: &str, value: serde_json::Value) -> ExportRecord {
    ExportRecord {
        kind: kind.to_owned(),
        schema_version: 1,
        id: crate::ids::RecordId::generate().as_str().to_owned(),
        created_on: "2026-11-03".to_owned(),
        updated_on: "2026-11-04".to_owned(),
        value,
    }
}

fn encrypt(bytes: &[u8], passphrase: &str, work_factor: u8) -> Vec<u8> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.to_owned().into());
    recipient.set_work_factor(work_factor);
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as _)).expect("encryptor");
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).expect("wrap");
    w.write_all(bytes).expect("write");
    w.finish().expect("finish");
    out
}

fn read(file: &[u8], passphrase: &str) -> Result<Vec<ExportRecord>, ImportProblem> {
    read_export(file, passphrase.to_owned().into(), 4)
}

#[test]
fn markdown_is_readable_words_one_file_per_area() {
    let records = vec![
        record(
            "journal_entry",
            serde_json::json!({"text": "First line\nsecond line", "tags": ["rain", "walk"], "kind": "free"}),
        ),
        record(
            "boundary",
            serde_json::json!({"group": "touch", "versions": [{"text": "Ask before hugging me"}]}),
        ),
    ];
    let files = markdown::files(&records);
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["journal.md", "safety.md"]);
    let journal = &files[0].1;
    assert!(journal.starts_with("# Journal\n"));
    assert!(journal.contains("## Journal entry (2026-11-03)"));
    assert!(journal.contains("> First line\n") && journal.contains("> second line\n"));
    assert!(journal.contains("- **Tags**: rain, walk"));
    assert!(files[1].1.contains("Ask before hugging me"));
}

#[test]
fn markdown_says_times_moods_and_answers_in_words() {
    let records = vec![
        // A check-in on the one mood scale, and one sealed before it (Very hard = Very low).
        record(
            "checkin",
            serde_json::json!({"day": "2026-11-03", "mood": 4, "scale": 1, "urge": 2, "nightmares": "some", "note": "tired"}),
        ),
        record(
            "checkin",
            serde_json::json!({"day": "2026-11-02", "mood": 1}),
        ),
        // A journal entry from before the one scale: its old 5 (Great) is Good now.
        record(
            "journal_entry",
            serde_json::json!({"text": "words", "mood": 5, "written_at": 1_793_743_500_i64}),
        ),
        record(
            "pcl5",
            serde_json::json!({"answers": [2, 2], "taken": 1_793_743_500_i64}),
        ),
    ];
    let files = markdown::files(&records);
    let today = &files
        .iter()
        .find(|(n, _)| *n == "today.md")
        .expect("today")
        .1;
    assert!(
        today.contains("- **How does today feel?**: Good\n"),
        "{today}"
    );
    assert!(
        today.contains("- **How does today feel?**: Very low\n"),
        "{today}"
    );
    assert!(!today.contains("Scale"), "{today}");
    assert!(!today.contains("**Mood**"), "{today}");
    assert!(today.contains("- **Note**: tired"), "{today}");
    let journal = &files
        .iter()
        .find(|(n, _)| *n == "journal.md")
        .expect("journal")
        .1;
    assert!(journal.contains("- **Mood**: Good\n"), "{journal}");
    // 1793743500 = 2026-11-03 22:05 UTC.
    assert!(
        journal.contains("- **Written at**: 3 November 2026, 22:05 UTC"),
        "{journal}"
    );
    let progress = &files
        .iter()
        .find(|(n, _)| *n == "progress.md")
        .expect("progress")
        .1;
    assert!(
        progress.contains("- **Taken**: 3 November 2026, 22:05 UTC"),
        "{progress}"
    );
}

#[test]
fn a_zip_that_inflates_past_the_cap_is_refused() {
    // records.json of zeros, deflated to a few hundred KiB, inflating past the cap.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("records.json", options).expect("start");
    let block = vec![b' '; 1024 * 1024];
    for _ in 0..=(MAX_RECORDS_JSON_BYTES / (1024 * 1024)) {
        zip.write_all(&block).expect("write");
    }
    let bytes = zip.finish().expect("finish").into_inner();
    assert!(bytes.len() < 1024 * 1024, "small: {} bytes", bytes.len());
    let file = encrypt(&bytes, "a long file passphrase", 2);
    assert_eq!(
        read(&file, "a long file passphrase").err(),
        Some(ImportProblem::TooLarge)
    );
}

#[test]
fn a_file_from_a_newer_trellis_is_named_so() {
    let json = serde_json::json!({"format": FORMAT, "schema_version": EXPORT_SCHEMA_VERSION + 1, "records": "later"});
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("records.json", zip::write::SimpleFileOptions::default())
        .expect("start");
    zip.write_all(json.to_string().as_bytes()).expect("write");
    let file = encrypt(
        &zip.finish().expect("finish").into_inner(),
        "a long file passphrase",
        2,
    );
    assert_eq!(
        read(&file, "a long file passphrase").err(),
        Some(ImportProblem::Newer)
    );
}

#[test]
fn round_trip_of_the_zip_and_the_refusals() {
    let zip = build_zip(
        vec![record(
            "calm_rating",
            serde_json::json!({"tool": "breathing"}),
        )],
        "2026-11-29".to_owned(),
    )
    .expect("zip");
    let file = encrypt(&zip, "a long file passphrase", 2);
    let back = read(&file, "a long file passphrase").expect("reads");
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].kind, "calm_rating");
    assert_eq!(
        read(&file, "another passphrase!").err(),
        Some(ImportProblem::WrongPassphrase)
    );
    assert_eq!(
        read(&file[..file.len() - 10], "a long file passphrase").err(),
        Some(ImportProblem::Damaged)
    );
    assert_eq!(
        read(b"not an age file at all", "a long file passphrase").err(),
        Some(ImportProblem::NotAnExport)
    );
    let costly = encrypt(&zip, "a long file passphrase", 5);
    assert_eq!(
        read(&costly, "a long file passphrase").err(),
        Some(ImportProblem::TooCostly)
    );
}

#[test]
fn file_passphrase_rules() {
    assert_eq!(
        check_file_passphrase("short", "short"),
        Err(FilePassphraseProblem::TooShort)
    );
    assert_eq!(
        check_file_passphrase("twelve chars", "twelve charz"),
        Err(FilePassphraseProblem::Mismatch)
    );
    assert_eq!(
        check_file_passphrase("twelve chars", "twelve chars"),
        Ok(())
    );
}

#[test]
fn every_kind_has_its_file_and_exports_open_where_imports_allow() {
    for kind in EXPORTED {
        assert!(FILES.iter().any(|(f, _)| *f == kind.file), "{}", kind.kind);
    }
    let policy = crate::Policy::default();
    assert_eq!(policy.export_work_factor, 18);
    assert!(policy.export_work_factor <= MAX_WORK_FACTOR);
}
