//! Progress benchmark (issue 11): ten years of a person's data — a check-in on nine days in ten
//! (about 3,300), 15,700 journal entries (a fifth of them "One thing I did well" or "Three good
//! moments"), a calm tool rated before and after on one day in four (about 900), small things
//! ticked on two days in three (about 2,400 wins), a self-check a month (120): about 20,000
//! sealed records, seeded through the real core API on a clock
//! walked through the ten years. Then the server time of the Progress pages and Home (the
//! whole router in-process, as journal_bench measures) against a page target of 15 ms
//! (verdict on p95), and an export of everything at the default scrypt work factor, against 2 s.
//!
//!   cargo run --release -p trellis --example progress_bench [-- --data-dir DIR]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod bench_common;

use bench_common::Rng;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use trellis_core::clock::{day_of, iso_day, Clock, Day, ManualClock, SystemClock};
use trellis_core::journal::{EntryInput, EntryKind};
use trellis_core::progress::Pcl5;
use trellis_core::store::Store;
use trellis_core::today::{CheckIn, Goal};
use trellis_core::{Policy, Requester, Trellis};
use trellis_vault::{KdfParams, Pepper, ServerSecret};

const PASS: &str = "quiet river under amber lamps";
const DAY: i64 = 86_400;
const DAYS: i64 = 3_650;
const PAGE_TARGET_MS: f64 = 15.0;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data_dir = args
        .iter()
        .position(|a| a == "--data-dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = data_dir.unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir).expect("data dir");
    let store = trellis_store::open_store(None, &dir.join("trellis.db"))
        .await
        .expect("store");
    let store: Arc<dyn Store> = Arc::new(store);
    let policy = Policy {
        kdf: KdfParams::FLOOR,
        absolute_session_secs: 24 * 3600,
        ..Policy::default()
    };
    // Seeding walks a manual clock through the ten years, so each record carries the day it
    // was written (what a person's data directory would hold), then stands at today.
    let real_now = SystemClock.now();
    let clock = ManualClock::starting_at(real_now - DAYS * DAY);
    let trellis = Arc::new(
        Trellis::new(
            store.clone(),
            Pepper::from_bytes(&[7; 32], 1).expect("pepper"),
            ServerSecret::from_bytes(&[9; 32]).expect("secret"),
            policy,
            Arc::new(clock.clone()),
        )
        .expect("service"),
    );
    let requester = Requester::default();
    if store.count_accounts().await.expect("count") == 0 {
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
        let started = Instant::now();
        let mut rng = Rng(0x5eed_0011_2233_4455);
        eprintln!("seeding ten years into {} …", dir.display());
        let mut goals: Vec<Goal> = ["A short walk", "Drink water", "Call someone", "Stretch"]
            .iter()
            .map(|t| Goal {
                text: (*t).to_owned(),
                active: true,
                added: 0,
                done_days: Vec::new(),
            })
            .collect();
        let mut entries = 0_i64;
        for n in 0..DAYS {
            let day = Day::of_unix(trellis.now());
            if rng.below(10) != 0 {
                let mut c = CheckIn::empty(day);
                c.mood = Some(1 + u8::try_from(rng.below(5)).unwrap_or(0));
                c.urge = Some(u8::try_from(rng.below(5)).unwrap_or(0));
                trellis
                    .records::<CheckIn>(&me)
                    .add(&c)
                    .await
                    .expect("check-in");
            }
            if rng.below(3) != 0 {
                let g = usize::try_from(rng.below(4)).unwrap_or(0);
                goals[g].done_days.push(day);
            }
            if rng.below(4) == 0 {
                let tools = trellis_core::calm::tools();
                let pick = usize::try_from(rng.below(3)).unwrap_or(0);
                let r = trellis_core::calm::CalmRating {
                    tool: tools[pick].key.clone(),
                    before: Some(4 + u8::try_from(rng.below(6)).unwrap_or(0)),
                    after: Some(1 + u8::try_from(rng.below(6)).unwrap_or(0)),
                };
                trellis
                    .records::<trellis_core::calm::CalmRating>(&me)
                    .add(&r)
                    .await
                    .expect("calm rating");
            }
            // About 15,700 entries over the ten years.
            while entries * DAYS < 15_700 * (n + 1) {
                let kind = match rng.below(10) {
                    0 => EntryKind::DidWell,
                    1 => EntryKind::GoodMoments,
                    _ => EntryKind::Free,
                };
                let texts = kind
                    .fields()
                    .iter()
                    .map(|f| {
                        (
                            f.name.to_owned(),
                            format!("words for entry {entries}, steady and kind"),
                        )
                    })
                    .collect();
                let e = EntryInput {
                    kind,
                    texts,
                    mood: String::new(),
                    tags: String::new(),
                    day: iso_day(day_of(trellis.now())),
                };
                trellis.journal(&me).add(&e).await.expect("entry");
                entries += 1;
            }
            if n % 30 == 0 {
                let p = Pcl5 {
                    answers: (0..20)
                        .map(|_| u8::try_from(rng.below(5)).unwrap_or(0))
                        .collect(),
                    taken: trellis.now(),
                    ..Pcl5::default()
                };
                trellis.records::<Pcl5>(&me).add(&p).await.expect("pcl5");
            }
            clock.advance(DAY);
        }
        for g in &goals {
            trellis.records::<Goal>(&me).add(g).await.expect("goal");
        }
        eprintln!(
            "seeded {entries} entries and the rest in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    // Stand at today, with a fresh session.
    clock.advance(real_now - clock.now());
    let cookie = trellis
        .unlock(PASS, &requester)
        .await
        .expect("unlock")
        .cookie_value
        .as_str()
        .to_owned();

    let router = trellis_web::router(trellis_web::AppState::new(
        trellis.clone(),
        trellis_web::DEFAULT_EXIT_URL.to_owned(),
    ));
    let cookie_header = format!("__Host-s={cookie}");
    let cases = [
        ("progress overview", "/progress"),
        ("trends, 30 days", "/progress/trends?range=30"),
        ("trends, everything", "/progress/trends?range=all"),
        ("wins, newest page", "/progress/wins"),
        ("home at a glance", "/"),
    ];
    println!();
    println!("Progress benchmark: ten years, {runs} runs each (SQLite)");
    println!(
        "{:<24} {:>10} {:>10} {:>10} {:>8} {:>8}  verdict",
        "request", "median ms", "p95 ms", "max ms", "page KB", "target"
    );
    let mut misses = 0;
    // BENCH_ONLY=trends measures only the requests whose label holds it (for a profiler).
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    for (label, path) in cases.into_iter().filter(|(l, _)| l.contains(only.as_str())) {
        let mut ms = Vec::new();
        let mut kb = 0.0;
        for i in 0..runs + 3 {
            let request = Request::get(path)
                .header("cookie", &cookie_header)
                .body(Body::empty())
                .expect("request");
            let started = Instant::now();
            let response = router.clone().oneshot(request).await.expect("response");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            kb = body.len() as f64 / 1e3;
            assert_eq!(status, StatusCode::OK, "{path}");
            if i >= 3 {
                ms.push(started.elapsed().as_secs_f64() * 1e3);
            }
        }
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| bench_common::quantile(&ms, q);
        let ok = at(0.95) <= PAGE_TARGET_MS;
        misses += usize::from(!ok);
        println!(
            "{label:<24} {:>10.2} {:>10.2} {:>10.2} {:>8.1} {:>8}  {}",
            at(0.5),
            at(0.95),
            ms[ms.len() - 1],
            kb,
            format!("<= {PAGE_TARGET_MS}"),
            if ok { "ok" } else { "MISS" }
        );
    }
    if !only.is_empty() {
        return;
    }
    // Exporting everything (the real scrypt work factor of the default policy; the person's
    // passphrase is checked again first, as the page does).
    let me = trellis
        .authenticate(&cookie)
        .await
        .expect("auth")
        .expect("session");
    let mut ms = Vec::new();
    let mut size = (0, 0);
    for _ in 0..3 {
        let started = Instant::now();
        let file = trellis
            .data(&me)
            .export(
                PASS,
                "a long file passphrase",
                "a long file passphrase",
                &requester,
            )
            .await
            .expect("export");
        ms.push(started.elapsed().as_secs_f64() * 1e3);
        size = (file.records, file.bytes.len());
    }
    ms.sort_by(f64::total_cmp);
    let ok = ms[1] <= 2_000.0;
    misses += usize::from(!ok);
    println!(
        "{:<24} {:>10.0} {:>10} {:>10.0} {:>8} {:>8}  {}   ({} records, {:.1} MB file)",
        "export of everything",
        ms[1],
        "-",
        ms[2],
        "-",
        "<= 2000",
        if ok { "ok" } else { "MISS" },
        size.0,
        size.1 as f64 / 1e6
    );
    println!("misses: {misses}");
}
