//! Server time of the Safety pages over ten years of data (run by `bench/safety-timing`).
//!
//! Seeds, through the core API only (everything sealed, as in real use), into a fresh SQLite
//! file (or PostgreSQL with `--postgres URL`):
//! - 200 boundaries with 10 dated versions each, a full six-part plan, 50 trusted contacts,
//!   20 support people;
//! - 20,000 other sealed records of a dummy kind spread over ten years, so the database is the
//!   size DESIGN.md §5 expects for ten years of use.
//!
//! Then it drives the real router in-process (`tower::ServiceExt::oneshot`, all middleware
//! included, no network) with an unlocked session and reports median and p95 per page.
//! The time includes authenticating the session, opening every record the page needs,
//! rendering and the security middleware: everything the server does for the request.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;
use trellis_core::clock::{day_of, ManualClock};
use trellis_core::records::RecordKind;
use trellis_core::safety::{
    Boundary, BoundaryState, BoundaryVersion, Group, SafetyPlan, StartingGroup, TrustedContact,
};
use trellis_core::store::Store;
use trellis_core::support::{SupportKind, SupportPerson, SupportPrefs};
use trellis_core::{Policy, Requester, Trellis};
use trellis_store::{PgStore, SqliteStore};
use trellis_vault::{KdfParams, Pepper, ServerSecret};
use trellis_web::{router, AppState};

const PASS: &str = "marble teapot orchard sunday";
const DAY: i64 = 86_400;
const TEN_YEARS: i64 = 3_653 * DAY;

/// A stand-in for ten years of journal entries and check-ins (another engineer's kinds).
#[derive(Serialize, Deserialize)]
struct Filler {
    text: String,
    mood: u8,
    tags: Vec<String>,
}

impl RecordKind for Filler {
    const KIND: &'static str = "bench_filler";
    const SCHEMA_VERSION: u16 = 1;
}

struct Args {
    boundaries: usize,
    versions: usize,
    contacts: usize,
    filler: usize,
    runs: usize,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        boundaries: 200,
        versions: 10,
        contacts: 50,
        filler: 20_000,
        runs: 300,
        postgres: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut num = || {
            it.next()
                .and_then(|v| v.parse().ok())
                .expect("a number after the flag")
        };
        match flag.as_str() {
            "--boundaries" => a.boundaries = num(),
            "--versions" => a.versions = num(),
            "--contacts" => a.contacts = num(),
            "--filler" => a.filler = num(),
            "--runs" => a.runs = num(),
            "--postgres" => a.postgres = it.next(),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

fn words(seed: usize, n: usize) -> String {
    const W: &[&str] = &[
        "quiet", "morning", "walk", "ask", "before", "room", "space", "call", "later", "gentle",
        "tone", "time", "alone", "door", "knock", "evening", "text", "first", "sister", "friend",
        "visit", "short", "slow", "okay", "not", "yet",
    ];
    (0..n)
        .map(|i| W[(seed * 7 + i * 13) % W.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// CPU seconds used by this whole process so far (all threads), from `/proc/self/stat`
/// (Linux; clock ticks of 1/100 s). None elsewhere.
fn process_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().expect("temporary directory");
    let (store, label): (Arc<dyn Store>, String) = match &a.postgres {
        Some(url) => {
            let schema = format!("bench_safety_{}", std::process::id());
            (
                Arc::new(
                    PgStore::connect_with_schema(url, &schema)
                        .await
                        .expect("PostgreSQL"),
                ),
                format!("PostgreSQL (schema {schema})"),
            )
        }
        None => {
            let path = dir.path().join("trellis.db");
            (
                Arc::new(SqliteStore::open(&path).await.expect("SQLite")),
                format!("SQLite ({})", path.display()),
            )
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let clock = ManualClock::starting_at(now - TEN_YEARS);
    let trellis = Arc::new(
        Trellis::new(
            store.clone(),
            Pepper::from_bytes(&[3; 32], 1).expect("pepper"),
            ServerSecret::from_bytes(&[5; 32]).expect("secret"),
            Policy {
                kdf: KdfParams::FLOOR,
                ..Default::default()
            },
            Arc::new(clock.clone()),
        )
        .expect("service"),
    );
    let who = Requester::default();
    let session = trellis
        .set_up(PASS, PASS, false, &who)
        .await
        .expect("set up");
    let unlocked = trellis
        .authenticate(&session.cookie_value)
        .await
        .expect("auth")
        .expect("session");

    // --- Seeding (through the core API; every value sealed) ---
    let started = Instant::now();
    let step = TEN_YEARS / (a.filler.max(1) as i64);
    for i in 0..a.filler {
        let f = Filler {
            text: words(i, 60),
            mood: (i % 5) as u8,
            tags: vec![words(i, 1), words(i + 1, 1)],
        };
        trellis
            .records(&unlocked)
            .add(&f)
            .await
            .expect("seed filler");
        clock.advance(step);
        if i % 2_000 == 1_999 {
            eprintln!("  {} of {} other records", i + 1, a.filler);
        }
    }
    let filler_time = started.elapsed();
    let today = day_of(trellis.now());
    let starting = StartingGroup::ALL;
    for i in 0..a.boundaries {
        let group = if i % 5 == 4 {
            Group::Own(format!("My group {}", i % 7))
        } else {
            Group::Starting(starting[i % 4])
        };
        let history = (0..a.versions)
            .map(|v| BoundaryVersion {
                day: today - ((a.versions - v) as i64) * 90 * DAY,
                text: words(i * 31 + v, 22),
                state: BoundaryState::ALL[(i + v) % 3],
            })
            .collect();
        trellis
            .records(&unlocked)
            .add(&Boundary { group, history })
            .await
            .expect("seed boundary");
    }
    let part = |seed: usize| {
        (0..12)
            .map(|l| words(seed * 17 + l, 9))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut plan = SafetyPlan {
        signs: part(1),
        on_my_own: part(2),
        people_places: part(3),
        ask_for_help: part(4),
        professionals: part(5),
        surroundings: part(6),
    };
    plan.add_help_lines(
        trellis_core::helplines::HelpLines::get()
            .country("GB")
            .expect("GB"),
    );
    trellis
        .records(&unlocked)
        .add(&plan)
        .await
        .expect("seed plan");
    for i in 0..a.contacts {
        let c = TrustedContact {
            name: words(i, 2),
            phone: format!("+44 7700 9{i:05}"),
            note: words(i, 12),
        };
        trellis
            .records(&unlocked)
            .add(&c)
            .await
            .expect("seed contact");
    }
    for i in 0..20 {
        let p = SupportPerson {
            kind: SupportKind::ALL[i % 4],
            name: words(i, 2),
            reach: format!("0163 296 {i:04}"),
            last_connected: Some(today - (i as i64) * 9 * DAY),
            note: words(i, 10),
        };
        trellis
            .records(&unlocked)
            .add(&p)
            .await
            .expect("seed person");
    }
    trellis
        .records(&unlocked)
        .add(&SupportPrefs {
            nudge: true,
            nudge_after_days: 14,
        })
        .await
        .expect("prefs");
    drop(unlocked);
    let seed_time = started.elapsed();
    let session = trellis.unlock(PASS, &who).await.expect("unlock");
    let cookie = format!("__Host-s={}", session.cookie_value.as_str());
    let unlocked = trellis
        .authenticate(&session.cookie_value)
        .await
        .expect("auth")
        .expect("session");
    let boundary_id = trellis
        .safety(&unlocked)
        .boundaries()
        .await
        .expect("boundaries")[0]
        .id
        .to_string();
    let total = trellis
        .records::<Filler>(&unlocked)
        .list()
        .await
        .expect("filler")
        .len()
        + trellis
            .safety(&unlocked)
            .boundaries()
            .await
            .expect("boundaries")
            .len()
        + trellis
            .safety(&unlocked)
            .contacts()
            .await
            .expect("contacts")
            .len()
        + trellis
            .support(&unlocked)
            .people()
            .await
            .expect("people")
            .len()
        + 2;
    // For reading the page figures: the core call alone (read + open 200 sealed boundaries).
    let mut core_times = Vec::with_capacity(200);
    for _ in 0..200 {
        let start = Instant::now();
        let items = trellis
            .safety(&unlocked)
            .boundaries()
            .await
            .expect("boundaries");
        core_times.push(start.elapsed());
        assert_eq!(items.len(), a.boundaries);
    }
    core_times.sort();
    drop(unlocked);

    let app = router(AppState::new(
        trellis.clone(),
        trellis_web::DEFAULT_EXIT_URL.to_owned(),
    ));
    println!("Safety timing: {label}");
    println!(
        "seeded {total} sealed records ({} other, {} boundaries x {} versions, 1 plan, {} contacts, 20 support people) in {:.1} s ({:.1} s for the other records)",
        a.filler,
        a.boundaries,
        a.versions,
        a.contacts,
        seed_time.as_secs_f64(),
        filler_time.as_secs_f64()
    );
    println!(
        "{} runs per page after 20 warm-up runs; in-process, all middleware, body read to the end",
        a.runs
    );
    println!("cpu ms/req: CPU time of the whole process (all threads) over the runs, divided by the runs:");
    println!("the server's own work, unaffected by other programs competing for the cores");
    println!();
    println!(
        "{:<36} {:>9} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "page", "bytes", "median ms", "p95 ms", "max ms", "cpu ms/req", "target"
    );
    let pages = [
        (
            "GET /safety/boundaries".to_owned(),
            "/safety/boundaries".to_owned(),
            Some(15.0),
        ),
        (
            "GET /safety/plan".to_owned(),
            "/safety/plan".to_owned(),
            Some(15.0),
        ),
        (
            "GET /safety/boundaries/{id} (history)".to_owned(),
            format!("/safety/boundaries/{boundary_id}"),
            None,
        ),
        (
            "GET /safety/plan/print".to_owned(),
            "/safety/plan/print".to_owned(),
            None,
        ),
        (
            "GET /safety/contacts".to_owned(),
            "/safety/contacts".to_owned(),
            None,
        ),
        ("GET /support".to_owned(), "/support".to_owned(), None),
        (
            "GET /help (unlocked: contacts)".to_owned(),
            "/help?country=GB".to_owned(),
            None,
        ),
        ("GET / (home, reference)".to_owned(), "/".to_owned(), None),
    ];
    let mut misses = 0;
    for (name, uri, target) in pages {
        let mut times = Vec::with_capacity(a.runs);
        let mut bytes = 0;
        let mut cpu_start = None;
        for i in 0..(a.runs + 20) {
            if i == 20 {
                cpu_start = process_cpu_secs();
            }
            let req = Request::get(uri.as_str())
                .header("cookie", cookie.as_str())
                .body(Body::empty())
                .expect("request");
            let t = Instant::now();
            let resp = app.clone().oneshot(req).await.expect("response");
            let status = resp.status();
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .expect("body");
            let took = t.elapsed();
            assert_eq!(
                status,
                StatusCode::OK,
                "{uri}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            );
            if i >= 20 {
                times.push(took);
            }
            bytes = body.len();
        }
        let cpu = match (cpu_start, process_cpu_secs()) {
            (Some(a0), Some(a1)) => format!("{:.2}", (a1 - a0) * 1000.0 / a.runs as f64),
            _ => "-".to_owned(),
        };
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let (median, p95, max) = (
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 95.0)),
            ms(*times.last().expect("runs")),
        );
        let verdict = match target {
            Some(t) if median <= t && p95 <= t => format!("<= {t} ok"),
            Some(t) => {
                misses += 1;
                format!("<= {t} MISS")
            }
            None => String::new(),
        };
        println!(
            "{name:<36} {bytes:>9} {median:>10.2} {p95:>10.2} {max:>10.2} {cpu:>12} {verdict:>12}"
        );
    }
    println!(
        "{:<36} {:>9} {:>10.2} {:>10.2}",
        "(core: read and open the boundaries)",
        "",
        percentile(&core_times, 50.0).as_secs_f64() * 1000.0,
        percentile(&core_times, 95.0).as_secs_f64() * 1000.0
    );
    println!();
    println!("{misses} target(s) missed");
    if let Some(url) = &a.postgres {
        drop(app);
        drop(trellis);
        let options: sqlx::postgres::PgConnectOptions = url.parse().expect("url");
        use sqlx::{ConnectOptions, Connection};
        let mut conn = options.connect().await.expect("connect");
        sqlx::query(&format!(
            "DROP SCHEMA \"bench_safety_{}\" CASCADE",
            std::process::id()
        ))
        .execute(&mut conn)
        .await
        .expect("drop schema");
        conn.close().await.expect("close");
    }
    if std::env::var("BENCH_STRICT").as_deref() == Ok("1") && misses > 0 {
        std::process::exit(1);
    }
}
