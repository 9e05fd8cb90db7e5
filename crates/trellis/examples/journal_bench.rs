//! Journal benchmark (issue 4): seeds ten years of journal entries (about 20,000 sealed
//! records) through the real core API into a fresh data directory, then measures the server
//! time of the journal list and of searches, against the targets (a page ≤ 15 ms, a search
//! ≤ 50 ms).
//!
//! Server time = the whole router (security headers, session check, CSRF layer, handler,
//! store, opening the records, template) answering one request, called in-process with
//! `tower::ServiceExt::oneshot`: no socket, no client. Median and p95 of many runs.
//!
//! Two shapes of data (`--shape`): `ten-years` (the default: 20,000 entries spread over ten
//! years, newest today) and `busy-month` (5,000 entries all in the current month, the shape a
//! long writing soak leaves). Besides the request figures it measures searches while another
//! task keeps adding entries to the newest month (what a second tab or device does), and the
//! process's resident memory once the requests are over.
//!
//! Run (see bench/README.md):
//!   cargo run --release -p trellis --example journal_bench
//!   cargo run --release -p trellis --example journal_bench -- --data-dir /tmp/jb   # keep and reuse the seed
//!   TRELLIS_BENCH_DATABASE_URL=postgres://… cargo run --release -p trellis --example journal_bench
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod bench_common;

use bench_common::Rng;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use trellis_core::clock::{day_of, iso_day, SystemClock};
use trellis_core::journal::{EntryInput, EntryKind};
use trellis_core::store::Store;
use trellis_core::{Policy, Requester, Trellis};
use trellis_vault::{KdfParams, Pepper, ServerSecret};

const PASS: &str = "quiet river under amber lamps";
const YEARS: i64 = 10;
const PAGE_TARGET_MS: f64 = 15.0;
const SEARCH_TARGET_MS: f64 = 50.0;
const RSS_TARGET_MB: f64 = 40.0;
const DAY: i64 = 86_400;

const WORDS: &[&str] = &[
    "the",
    "a",
    "and",
    "today",
    "walked",
    "slowly",
    "home",
    "after",
    "work",
    "felt",
    "tired",
    "but",
    "calm",
    "tea",
    "garden",
    "rain",
    "window",
    "friend",
    "called",
    "laughed",
    "breathing",
    "shoulders",
    "tight",
    "heart",
    "quiet",
    "evening",
    "morning",
    "sun",
    "kitchen",
    "music",
    "book",
    "dog",
    "park",
    "bus",
    "train",
    "noise",
    "door",
    "late",
    "early",
    "sleep",
    "dream",
    "woke",
    "coffee",
    "bread",
    "soup",
    "kind",
    "gentle",
    "brave",
    "patient",
    "honest",
    "funny",
    "careful",
    "steady",
    "warm",
    "cold",
    "wind",
    "river",
    "bridge",
    "market",
    "sister",
    "brother",
    "mother",
    "neighbour",
    "colleague",
    "message",
    "letter",
    "photo",
    "sky",
    "cloud",
    "light",
    "noticed",
    "remembered",
    "managed",
    "tried",
    "rested",
    "stretched",
    "cooked",
    "cleaned",
    "wrote",
    "read",
];
const TAGS: &[&str] = &[
    "work",
    "sleep",
    "family",
    "evening",
    "therapy day",
    "walk",
    "weekend",
    "body",
    "friends",
    "rain",
];

fn sentence(rng: &mut Rng, chars: usize) -> String {
    let mut s = String::with_capacity(chars + 16);
    while s.len() < chars {
        if !s.is_empty() {
            s.push(if rng.pick(9) == 0 { '.' } else { ' ' });
            if s.ends_with('.') {
                s.push(' ');
            }
        }
        s.push_str(WORDS[rng.pick(WORDS.len())]);
    }
    s
}

/// 70 % short (80–400 characters), 25 % medium (to 1,500), 5 % long (to 4,000).
fn length(rng: &mut Rng) -> usize {
    match rng.pick(100) {
        0..=69 => 80 + rng.pick(320),
        70..=94 => 400 + rng.pick(1_100),
        _ => 1_500 + rng.pick(2_500),
    }
}

fn entry(rng: &mut Rng, day: i64, n: usize) -> EntryInput {
    let kind = EntryKind::ALL[rng.pick(EntryKind::ALL.len())];
    let fields = kind.fields();
    let total = length(rng);
    let texts = fields
        .iter()
        .map(|f| {
            let mut t = sentence(rng, (total / fields.len()).max(20));
            if n.is_multiple_of(997) && f.name == fields[0].name {
                t.push_str(" lighthouse");
            }
            (f.name.to_owned(), t)
        })
        .collect();
    let tags = (0..rng.pick(4))
        .map(|_| TAGS[rng.pick(TAGS.len())])
        .collect::<Vec<_>>()
        .join(", ");
    let mood = if rng.pick(3) == 0 {
        String::new()
    } else {
        (1 + rng.pick(5)).to_string()
    };
    EntryInput {
        kind,
        texts,
        mood,
        tags,
        day: iso_day(day),
    }
}

struct Stats {
    median: f64,
    p95: f64,
    max: f64,
}

fn stats(mut ms: Vec<f64>) -> Stats {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| bench_common::quantile(&ms, q);
    Stats {
        median: at(0.5),
        p95: at(0.95),
        max: *ms.last().unwrap(),
    }
}

/// The shape of the seeded journal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// 20,000 entries spread evenly over ten years, newest today.
    TenYears,
    /// 5,000 entries in the current month (from its first day to today).
    BusyMonth,
}

impl Shape {
    fn entries(self) -> usize {
        match self {
            Shape::TenYears => 20_000,
            Shape::BusyMonth => 5_000,
        }
    }

    /// How many days back from today entry `n` is written.
    fn days_back(self, n: usize, today: i64) -> i64 {
        let span = match self {
            Shape::TenYears => YEARS * 365,
            // The days of this month so far (today is day 1 of the span at the least).
            Shape::BusyMonth => iso_day(today)
                .rsplit('-')
                .next()
                .and_then(|d| d.parse().ok())
                .unwrap_or(1),
        };
        (n as i64 * span) / self.entries() as i64
    }
}

/// Resident memory of this process in MB (Linux).
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let shape = match args
        .iter()
        .position(|a| a == "--shape")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
    {
        None | Some("ten-years") => Shape::TenYears,
        Some("busy-month") => Shape::BusyMonth,
        Some(other) => panic!("--shape {other}: expected ten-years or busy-month"),
    };
    let data_dir = args
        .iter()
        .position(|a| a == "--data-dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = data_dir.clone().unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir).expect("data dir");

    let url = std::env::var("TRELLIS_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    let store = trellis_store::open_store(url.as_deref(), &dir.join("trellis.db"))
        .await
        .expect("open the store");
    let backend = store.backend();
    let store: Arc<dyn Store> = Arc::new(store);
    let pepper = Pepper::from_bytes(&[7; 32], 1).expect("pepper");
    let secret = ServerSecret::from_bytes(&[9; 32]).expect("secret");
    let policy = Policy {
        kdf: KdfParams::FLOOR,
        absolute_session_secs: 24 * 3600,
        ..Policy::default()
    };
    let trellis = Arc::new(
        Trellis::new(store.clone(), pepper, secret, policy, Arc::new(SystemClock))
            .expect("service"),
    );

    let today = day_of(trellis.now());
    let requester = Requester::default();
    let cookie = if store.count_accounts().await.expect("count") == 0 {
        let session = trellis
            .set_up(PASS, PASS, false, &requester)
            .await
            .expect("set up");
        let cookie = session.cookie_value.as_str().to_owned();
        let me = trellis
            .authenticate(&cookie)
            .await
            .expect("auth")
            .expect("session");
        let entries = shape.entries();
        eprintln!(
            "seeding {entries} entries into {} ({backend}) …",
            dir.display()
        );
        let started = Instant::now();
        let mut rng = Rng(0x5eed_1234_abcd_9876);
        for n in 0..entries {
            let e = entry(&mut rng, today - shape.days_back(n, today) * DAY, n);
            trellis.journal(&me).add(&e).await.expect("add entry");
            if (n + 1).is_multiple_of(2_000) {
                eprintln!(
                    "  {} entries, {:.0} s",
                    n + 1,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        eprintln!("seeded in {:.1} s", started.elapsed().as_secs_f64());
        cookie
    } else {
        let session = trellis
            .unlock(PASS, &requester)
            .await
            .expect("unlock the kept data");
        session.cookie_value.as_str().to_owned()
    };

    let db_bytes: u64 = ["trellis.db", "trellis.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    let me = trellis
        .authenticate(&cookie)
        .await
        .expect("auth")
        .expect("session");
    let total = store
        .count_records_of_kind(me.account_id(), "journal_entry")
        .await
        .expect("count");

    if args.iter().any(|a| a == "--breakdown") {
        // Where a search's time goes: reading the sealed digests, then the whole search.
        for _ in 0..5 {
            let t = Instant::now();
            let digests = store
                .records_of_kind(me.account_id(), "journal_index")
                .await
                .expect("digests");
            let fetch = t.elapsed();
            let t = Instant::now();
            let days = store
                .count_records_by_day(me.account_id(), "journal_entry", i64::MIN, i64::MAX)
                .await
                .expect("counts");
            let by_day = t.elapsed();
            let t = Instant::now();
            let total = store
                .count_records_of_kind(me.account_id(), "journal_entry")
                .await
                .expect("count");
            eprintln!(
                "breakdown: count {total} entries {:.1} ms; per-day counts ({} days, the slow path) {:.1} ms",
                t.elapsed().as_secs_f64() * 1e3,
                days.len(),
                by_day.as_secs_f64() * 1e3
            );
            let bytes: usize = digests.iter().map(|r| r.sealed.len()).sum();
            let t = Instant::now();
            let found = trellis
                .journal(&me)
                .search(
                    &trellis_core::journal::JournalFilter::new("", "", "submarine"),
                    None,
                )
                .await
                .expect("search");
            eprintln!(
                "breakdown: read {} digests ({:.1} MB sealed) {:.1} ms; whole search {:.1} ms ({} found)",
                digests.len(),
                bytes as f64 / 1e6,
                fetch.as_secs_f64() * 1e3,
                t.elapsed().as_secs_f64() * 1e3,
                found.found.unwrap_or(0)
            );
        }
    }

    let router = trellis_web::router(trellis_web::AppState::new(
        trellis.clone(),
        trellis_web::DEFAULT_EXIT_URL.to_owned(),
    ));
    let cookie_header = format!("__Host-s={cookie}");
    let middle = iso_day(today - (YEARS * 365 / 2) * DAY);
    let cases: Vec<(&str, String, f64)> = vec![
        ("list, newest page", "/journal".to_owned(), PAGE_TARGET_MS),
        (
            "list, a page five years back",
            format!("/journal?before={middle}"),
            PAGE_TARGET_MS,
        ),
        (
            "search, a rare word",
            "/journal?q=lighthouse".to_owned(),
            SEARCH_TARGET_MS,
        ),
        (
            "search, a common word",
            "/journal?q=garden".to_owned(),
            SEARCH_TARGET_MS,
        ),
        (
            "search, no match",
            "/journal?q=submarine".to_owned(),
            SEARCH_TARGET_MS,
        ),
        (
            "filter by kind",
            "/journal?kind=reaction".to_owned(),
            SEARCH_TARGET_MS,
        ),
        (
            "filter by tag",
            "/journal?tag=therapy%20day".to_owned(),
            SEARCH_TARGET_MS,
        ),
    ];

    // Let the database settle after seeding (PostgreSQL's autovacuum and statistics), then
    // warm every request once so no figure pays for a cold cache.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (_, path, _) in &cases {
        let request = Request::get(path.as_str())
            .header("cookie", &cookie_header)
            .body(Body::empty())
            .expect("request");
        let response = router.clone().oneshot(request).await.expect("response");
        let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
    }

    let rss_warm = rss_mb().unwrap_or(0.0);
    let size = if backend == "sqlite" {
        format!("database file {:.1} MB", db_bytes as f64 / 1e6)
    } else {
        "PostgreSQL".to_owned()
    };
    println!();
    println!("Journal benchmark: {total} entries ({backend}), {size}, {runs} runs each");
    println!(
        "{:<32} {:>10} {:>10} {:>10} {:>8}  verdict",
        "request", "median ms", "p95 ms", "max ms", "target"
    );
    let mut misses = 0;
    for (label, path, target) in cases {
        let mut times = Vec::with_capacity(runs);
        for i in 0..runs + 5 {
            let request = Request::get(path.as_str())
                .header("cookie", &cookie_header)
                .body(Body::empty())
                .expect("request");
            let started = Instant::now();
            let response = router.clone().oneshot(request).await.expect("response");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            let elapsed = started.elapsed();
            assert_eq!(
                status,
                StatusCode::OK,
                "{path}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            );
            assert!(
                body.windows(7).any(|w| w == b"Journal"),
                "{path}: the journal page"
            );
            if i >= 5 {
                times.push(elapsed.as_secs_f64() * 1e3);
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let s = stats(times);
        let ok = s.p95 <= target;
        misses += usize::from(!ok);
        println!(
            "{label:<32} {:>10.2} {:>10.2} {:>10.2} {:>8}  {}",
            s.median,
            s.p95,
            s.max,
            format!("<= {target}"),
            if ok { "ok" } else { "MISS" }
        );
    }
    let rss_read = rss_mb().unwrap_or(0.0);
    // Searches while another task keeps writing into the newest month, as a second tab or
    // device would: every search must still be complete and fast.
    let writer = {
        let trellis = trellis.clone();
        let cookie = cookie.clone();
        tokio::spawn(async move {
            let me = trellis.authenticate(&cookie).await.unwrap().unwrap();
            let mut rng = Rng(0x0dd_ba11);
            let mut written = 0usize;
            loop {
                let e = entry(&mut rng, today, written);
                trellis.journal(&me).add(&e).await.expect("add entry");
                written += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let request = Request::get("/journal?q=garden")
            .header("cookie", &cookie_header)
            .body(Body::empty())
            .expect("request");
        let started = Instant::now();
        let response = router.clone().oneshot(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::OK);
        let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
        times.push(started.elapsed().as_secs_f64() * 1e3);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    writer.abort();
    let _ = writer.await;
    let s = stats(times);
    let ok = s.p95 <= SEARCH_TARGET_MS;
    misses += usize::from(!ok);
    println!(
        "{:<32} {:>10.2} {:>10.2} {:>10.2} {:>8}  {}",
        "search while another tab writes",
        s.median,
        s.p95,
        s.max,
        format!("<= {SEARCH_TARGET_MS}"),
        if ok { "ok" } else { "MISS" }
    );

    eprintln!(
        "resident memory: {rss_warm:.1} MB after warming up, {rss_read:.1} MB after the reads, {:.1} MB after the writes",
        rss_mb().unwrap_or(0.0)
    );
    // Memory once the requests are over and the process has been idle a moment (what an idle
    // server holds after a busy while); BENCH_IDLE_SECS (5) sets the moment.
    tokio::time::sleep(Duration::from_secs(
        std::env::var("BENCH_IDLE_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5),
    ))
    .await;
    if let Some(mb) = rss_mb() {
        let ok = mb <= RSS_TARGET_MB;
        misses += usize::from(!ok);
        println!(
            "{:<32} {:>10.1} {:>10} {:>10} {:>8}  {}",
            "resident memory after (MB)",
            mb,
            "",
            "",
            format!("<= {RSS_TARGET_MB}"),
            if ok { "ok" } else { "MISS" }
        );
    }
    println!("{misses} figure(s) missed their target (verdict on p95)");
    if data_dir.is_none() {
        drop(router);
        drop(trellis);
    }
}
