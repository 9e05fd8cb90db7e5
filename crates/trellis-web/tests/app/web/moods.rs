//! One mood scale for Today and Journal (1 Very low, 2 Low, 3 Okay, 4 Good, 5 Very good):
//! both forms offer the same five words the same way, and moods sealed before the scales were
//! one (records without a `scale`) read by their meaning; saving such a record again writes
//! it on the one scale.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use trellis_core::clock::{iso_day, Clock};
use trellis_core::mood::MOODS;
use trellis_core::records::RecordKind;

use super::harness::{Resp, TestApp};

on_both_databases!(
    today_and_journal_offer_the_same_five_words,
    moods_sealed_before_the_one_scale_read_by_their_meaning,
);

/// The mood pills of a form, as drawn (the words, in order; "none" last).
fn mood_pills(r: &Resp) -> Vec<String> {
    r.body
        .split("<label class=\"pill")
        .skip(1)
        .filter(|p| p.contains("name=\"mood\""))
        .map(|p| p[..p.find("</label>").expect("a whole pill")].to_owned())
        .collect()
}

/// Both databases.
async fn today_and_journal_offer_the_same_five_words(app: &TestApp) {
    let mut c = app.set_up().await;
    let today = mood_pills(&c.get("/today").await);
    let journal = mood_pills(&c.get("/journal/new?kind=free").await);
    assert_eq!(today.len(), 6, "{today:?}");
    assert_eq!(journal.len(), 6, "{journal:?}");
    assert_eq!(today[..5], journal[..5], "drawn the same way");
    for (pill, (m, word)) in today.iter().zip(MOODS) {
        assert!(
            pill.ends_with(&format!("value=\"{m}\"> {word}")),
            "{pill} is {m} {word}"
        );
    }
    assert!(today[5].ends_with("checked> Skip"));
    assert!(journal[5].ends_with("checked> Rather not say"));
}

/// A journal entry as sealed before the one scale: no `scale`, the journal's old moods
/// (1 Very low, 2 Low, 3 Mixed, 4 Okay, 5 Good).
#[derive(Serialize, Deserialize)]
struct EntryBefore {
    kind: String,
    texts: BTreeMap<String, String>,
    mood: Option<u8>,
    written_at: i64,
    /// Absent in the old form; read back to see what a save wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scale: Option<u8>,
}

impl RecordKind for EntryBefore {
    const KIND: &'static str = "journal_entry";
    const SCHEMA_VERSION: u16 = 1;
}

/// A check-in as sealed before the one scale: Today's old moods (1 Very hard, 2 Hard, 3 Okay,
/// 4 Good, 5 Very good).
#[derive(Serialize, Deserialize)]
struct CheckInBefore {
    day: String,
    mood: Option<u8>,
}

impl RecordKind for CheckInBefore {
    const KIND: &'static str = "checkin";
    const SCHEMA_VERSION: u16 = 1;
}

/// Both databases.
async fn moods_sealed_before_the_one_scale_read_by_their_meaning(app: &TestApp) {
    let mut c = app.set_up().await;
    let me = app.me(&c).await;
    let entries = app.trellis.records::<EntryBefore>(&me);
    let mut ids = Vec::new();
    for (old, now) in [
        (1, "Very low"),
        (2, "Low"),
        (3, "Okay"),
        (4, "Okay"),
        (5, "Good"),
    ] {
        let entry = EntryBefore {
            kind: "free".into(),
            texts: BTreeMap::from([("text".to_owned(), format!("written long ago, mood {old}"))]),
            mood: Some(old),
            written_at: app.clock.now(),
            scale: None,
        };
        let id = entries.add(&entry).await.unwrap();
        let r = c.get(&format!("/journal/{id}")).await;
        r.assert_status(200);
        assert!(
            r.body
                .contains(&format!("<strong>Mood:</strong> {now}</p>")),
            "old {old} reads as {now}: {}",
            r.snippet()
        );
        ids.push((id, old, now));
    }
    // The list and a search say the same.
    let list = c.get("/journal").await;
    assert!(!list.has("Mood: Mixed") && list.has("Mood: Okay") && !list.has("Mood: Very good"));
    let found = c.get("/journal?q=mood+4").await;
    assert!(
        found.has("written long ago, mood 4") && found.has("Mood: Okay"),
        "{}",
        found.snippet()
    );
    assert!(!found.has("mood 5"));

    // The old Okay (4) is edited as Okay (3), and saving writes the one scale.
    let (id, _, _) = &ids[3];
    let edit = c.get(&format!("/journal/{id}/edit")).await;
    assert!(
        edit.body.contains("value=\"3\" checked> Okay</label>"),
        "{}",
        edit.snippet()
    );
    c.post(
        &format!("/journal/{id}"),
        &[
            ("text", "written long ago, mood 4"),
            ("mood", "3"),
            ("day", &iso_day(app.clock.now())),
        ],
    )
    .await
    .assert_status(303);
    let raw = entries.get(id).await.unwrap().unwrap().value;
    assert_eq!(
        (raw.mood, raw.scale),
        (Some(3), Some(1)),
        "saved on the one scale"
    );
    let r = c.get(&format!("/journal/{id}")).await;
    assert!(r.body.contains("<strong>Mood:</strong> Okay</p>"));
    // An untouched old entry is still in the old form until it is saved again.
    let raw = entries.get(&ids[4].0).await.unwrap().unwrap().value;
    assert_eq!((raw.mood, raw.scale), (Some(5), None));

    // Today: an old "Hard" (2) keeps its point, in gentler words.
    let day = iso_day(app.clock.now());
    let id = app
        .trellis
        .records::<CheckInBefore>(&me)
        .add(&CheckInBefore { day, mood: Some(2) })
        .await
        .unwrap();
    let r = c.get("/today").await;
    assert!(
        r.body.contains("<dt>Day</dt><dd>Low</dd>"),
        "{}",
        r.snippet()
    );
    assert!(!r.has("Hard<"));
    let edit = c.get(&format!("/today/{id}/edit")).await;
    assert!(
        edit.body.contains("value=\"2\" checked> Low</label>"),
        "{}",
        edit.snippet()
    );
}
