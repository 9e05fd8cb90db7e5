//! The hosted load driver (run by `bench/hosted/run`, which starts PostgreSQL, two nodes and
//! nginx): PEOPLE people sign up through nginx, then for SECONDS each one in turn waits a
//! thinking time (exponential, mean THINK_MS) and does one thing — a page (70 %), a write
//! (25 %: a journal entry or a check-in) or a search (5 %). Afterwards every acknowledged
//! journal entry is read back through the app, and BURST people lock and unlock again within
//! BURST_SECONDS, with the key derivation the nodes run (hosted: 64 MiB).
//!
//! Prints one line per figure (`name value`) for the script's table, and the acknowledged
//! write counts, which the script checks against the database.
//!
//! Environment: LOAD_BASE (http://127.0.0.1:PORT, required), LOAD_PEOPLE (1000), LOAD_SECONDS
//! (120), LOAD_THINK_MS (5000), LOAD_SETUP_AT_ONCE (4), LOAD_BURST (200), LOAD_BURST_SECONDS
//! (10), LOAD_METRICS (comma-separated metrics URLs, scraped during the burst), LOAD_PIDS (the
//! nodes' process ids, for their CPU during the mixed load), LOAD_DATABASE_URL (to count the
//! records written against the acknowledged writes), LOAD_RESTART_CMD and LOAD_RESTART_AFTER
//! (a shell command run that many seconds into the mixed load: the script restarts
//! PostgreSQL with it).
//!
//! Only ever aimed at 127.0.0.1.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod bench_common;
#[path = "../tests/common/jar.rs"]
mod jar;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bench_common::{quantile, Rng};

const PASS: &str = "quiet harbour lights at dusk";
const PAGES: [&str; 6] = ["/", "/today", "/journal", "/calm", "/help", "/progress"];
const WORDS: [&str; 8] = [
    "garden", "river", "morning", "walk", "tea", "music", "friend", "rain",
];

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    SignUp,
    Page,
    Write,
    Search,
    ReadBack,
    Unlock,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::SignUp => "signup",
            Self::Page => "page",
            Self::Write => "write",
            Self::Search => "search",
            Self::ReadBack => "readback",
            Self::Unlock => "unlock",
        }
    }
}

/// What happened to one request.
#[derive(Default)]
struct Tally {
    ms: BTreeMap<Kind, Vec<f64>>,
    errors: BTreeMap<Kind, u64>,
    /// Answered "busy, please try again" (503 or 429), then tried again.
    retried: BTreeMap<Kind, u64>,
    journal_acked: u64,
    checkins_acked: u64,
    lost: u64,
    first_error: Option<String>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        for (k, v) in other.ms {
            self.ms.entry(k).or_default().extend(v);
        }
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        for (k, v) in other.retried {
            *self.retried.entry(k).or_default() += v;
        }
        self.journal_acked += other.journal_acked;
        self.checkins_acked += other.checkins_acked;
        self.lost += other.lost;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn error(&mut self, kind: Kind, what: String) {
        *self.errors.entry(kind).or_default() += 1;
        self.first_error.get_or_insert(what);
    }
}

/// One simulated person: their own address (as nginx would pass it on), cookies and form token.
struct Person {
    n: usize,
    address: String,
    jar: jar::Jar,
    entries: Vec<(String, String)>,
}

struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Person {
    fn new(n: usize) -> Self {
        Self {
            n,
            address: format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255),
            jar: jar::Jar::default(),
            entries: Vec::new(),
        }
    }

    fn name(&self) -> String {
        format!("person {}", self.n)
    }

    async fn send(
        &mut self,
        http: &reqwest::Client,
        base: &str,
        path: &str,
        form: Option<&[(&str, String)]>,
    ) -> Result<Answer, String> {
        let url = format!("{base}{path}");
        let mut rb = match form {
            None => http.get(&url),
            Some(fields) => {
                if self.jar.csrf.is_none() {
                    Box::pin(self.send(http, base, "/help", None)).await?;
                }
                let mut all = vec![("csrf", self.jar.csrf.clone().unwrap_or_default())];
                all.extend(fields.iter().map(|(k, v)| (*k, v.clone())));
                http.post(&url).form(&all)
            }
        };
        rb = rb
            .header("x-forwarded-for", &self.address)
            .header("sec-fetch-site", "same-origin")
            .header("cookie", self.jar.header());
        let r = rb.send().await.map_err(|e| format!("{path}: {e}"))?;
        self.jar.absorb(r.headers());
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        let body = r.text().await.map_err(|e| format!("{path}: {e}"))?;
        self.jar.read_form_token(&body);
        Ok(Answer {
            status,
            location,
            body,
        })
    }

    /// Sends, timing it; a "busy" answer (503, 429) is tried again after a moment (counted).
    async fn timed(
        &mut self,
        http: &reqwest::Client,
        base: &str,
        tally: &mut Tally,
        kind: Kind,
        path: &str,
        form: Option<&[(&str, String)]>,
    ) -> Option<Answer> {
        // Timed from the first try: what the person waits, retries included.
        let started = Instant::now();
        for _ in 0..20 {
            match self.send(http, base, path, form).await {
                Ok(a) if a.status == 503 || a.status == 429 => {
                    if !a.body.to_lowercase().contains("try again") {
                        tally.error(kind, format!("{path}: {} without a calm word", a.status));
                        return None;
                    }
                    *tally.retried.entry(kind).or_default() += 1;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Ok(a) => {
                    tally
                        .ms
                        .entry(kind)
                        .or_default()
                        .push(started.elapsed().as_secs_f64() * 1e3);
                    return Some(a);
                }
                Err(e) => {
                    tally.error(kind, e);
                    return None;
                }
            }
        }
        tally.error(kind, format!("{path}: still busy after 20 tries"));
        None
    }
}

/// `YYYY-MM-DD`, `back` days before today (UTC).
fn day_before_today(back: i64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) - back + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn think(rng: &mut Rng, mean_ms: f64) -> Duration {
    let u = ((rng.next() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
    Duration::from_secs_f64((-mean_ms * u.ln()).min(mean_ms * 8.0) / 1e3)
}

async fn sign_up(http: &reqwest::Client, base: &str, p: &mut Person, tally: &mut Tally) {
    if p.send(http, base, "/setup", None).await.is_err() {
        tally.error(Kind::SignUp, "GET /setup".into());
        return;
    }
    let form = [
        ("name", p.name()),
        ("passphrase", PASS.to_owned()),
        ("confirm", PASS.to_owned()),
    ];
    match p
        .timed(http, base, tally, Kind::SignUp, "/setup", Some(&form))
        .await
    {
        Some(a) if a.status == 303 => {}
        Some(a) => tally.error(Kind::SignUp, format!("POST /setup {}", a.status)),
        None => {}
    }
}

/// One person's share of the mixed load, until `until`.
async fn live(
    http: &reqwest::Client,
    base: &str,
    p: &mut Person,
    until: Instant,
    think_ms: f64,
) -> Tally {
    let mut tally = Tally::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (p.n as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    // Arrive at different moments.
    tokio::time::sleep(Duration::from_secs_f64(
        rng.below(1000) as f64 / 1000.0 * think_ms / 1e3,
    ))
    .await;
    let mut written = 0;
    let mut checkins = 0;
    loop {
        tokio::time::sleep(think(&mut rng, think_ms)).await;
        if Instant::now() >= until {
            return tally;
        }
        let roll = rng.below(100);
        let word = WORDS[rng.pick(WORDS.len())];
        if roll < 70 {
            let path = match (rng.pick(PAGES.len() + 1), p.entries.is_empty()) {
                (i, _) if i < PAGES.len() => PAGES[i].to_owned(),
                (_, true) => "/".to_owned(),
                (_, false) => format!("/journal/{}", p.entries[rng.pick(p.entries.len())].0),
            };
            if let Some(a) = p
                .timed(http, base, &mut tally, Kind::Page, &path, None)
                .await
            {
                if a.status != 200 {
                    tally.error(Kind::Page, format!("GET {path} {}", a.status));
                }
            }
        } else if roll < 95 {
            written += 1;
            if rng.below(2) == 0 {
                let marker = format!("entry {}-{written} about the {word}", p.n);
                let form = [("kind", "free".to_owned()), ("text", marker.clone())];
                match p
                    .timed(http, base, &mut tally, Kind::Write, "/journal", Some(&form))
                    .await
                {
                    Some(a) if a.status == 303 => {
                        let id = a
                            .location
                            .as_deref()
                            .and_then(|l| l.strip_prefix("/journal/"))
                            .and_then(|l| l.split('?').next())
                            .unwrap_or_default()
                            .to_owned();
                        p.entries.push((id, marker));
                        tally.journal_acked += 1;
                    }
                    Some(a) => tally.error(Kind::Write, format!("POST /journal {}", a.status)),
                    None => {}
                }
            } else {
                // One check-in a day: today's first, then days before it (filled in later).
                checkins += 1;
                let form = [
                    ("day", day_before_today(checkins - 1)),
                    ("mood", (1 + rng.below(5)).to_string()),
                    ("sleep_hours", (4 + rng.below(6)).to_string()),
                    ("note", format!("a {word} kind of day")),
                ];
                match p
                    .timed(
                        http,
                        base,
                        &mut tally,
                        Kind::Write,
                        "/today/checkin",
                        Some(&form),
                    )
                    .await
                {
                    Some(a) if a.status == 303 => tally.checkins_acked += 1,
                    Some(a) => {
                        tally.error(Kind::Write, format!("POST /today/checkin {}", a.status));
                    }
                    None => {}
                }
            }
        } else {
            let path = format!("/journal?q={word}");
            if let Some(a) = p
                .timed(http, base, &mut tally, Kind::Search, &path, None)
                .await
            {
                if a.status != 200 {
                    tally.error(Kind::Search, format!("GET /journal?q {}", a.status));
                }
            }
        }
    }
}

/// Every acknowledged entry, read back through the app, with its words.
async fn read_back(http: &reqwest::Client, base: &str, p: &mut Person) -> Tally {
    let mut tally = Tally::default();
    for (id, marker) in p.entries.clone() {
        let path = format!("/journal/{id}");
        match p
            .timed(http, base, &mut tally, Kind::ReadBack, &path, None)
            .await
        {
            Some(a) if a.status == 200 && a.body.contains(&marker) => {}
            _ => tally.lost += 1,
        }
    }
    tally
}

/// Locks, waits until its moment in the burst, and unlocks with name and passphrase.
async fn unlock_again(
    http: &reqwest::Client,
    base: &str,
    p: &mut Person,
    at: Duration,
    start: Instant,
) -> Tally {
    let mut tally = Tally::default();
    if p.send(http, base, "/lock", Some(&[])).await.is_err() {
        tally.error(Kind::Unlock, "POST /lock".into());
        return tally;
    }
    let _ = p.send(http, base, "/unlock", None).await;
    tokio::time::sleep_until((start + at).into()).await;
    let form = [("name", p.name()), ("passphrase", PASS.to_owned())];
    match p
        .timed(http, base, &mut tally, Kind::Unlock, "/unlock", Some(&form))
        .await
    {
        Some(a) if a.status == 303 => {}
        Some(a) => tally.error(Kind::Unlock, format!("POST /unlock {}", a.status)),
        None => {}
    }
    tally
}

/// The largest value of `metric` seen at each metrics URL while `running` is set.
async fn watch(urls: Vec<String>, metric: &'static str, running: Arc<Mutex<bool>>) -> Vec<f64> {
    let http = reqwest::Client::new();
    let mut most = vec![0.0_f64; urls.len()];
    while *running.lock().unwrap() {
        for (i, url) in urls.iter().enumerate() {
            if let Ok(r) = http.get(url).send().await {
                let text = r.text().await.unwrap_or_default();
                if let Some(v) = text
                    .lines()
                    .find(|l| l.starts_with(metric) && l[metric.len()..].starts_with(' '))
                    .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                {
                    most[i] = most[i].max(v);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    most
}

/// Runs `each` for every person, at most `at_once` at a time; gives the people back in order
/// with all their tallies added up.
async fn everyone<F, Fut>(people: Vec<Person>, at_once: usize, each: F) -> (Vec<Person>, Tally)
where
    F: Fn(Person) -> Fut,
    Fut: std::future::Future<Output = (Person, Tally)> + Send + 'static,
{
    let gate = Arc::new(tokio::sync::Semaphore::new(at_once.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for p in people {
        let (gate, work) = (gate.clone(), each(p));
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await.unwrap();
            work.await
        });
    }
    let (mut all, mut tally) = (Vec::new(), Tally::default());
    while let Some(done) = tasks.join_next().await {
        let (p, t) = done.unwrap();
        tally.add(t);
        all.push(p);
    }
    all.sort_by_key(|p| p.n);
    (all, tally)
}

/// CPU time used so far (user + system, in clock ticks) by `pid`, or by every process named
/// `postgres` when `pid` is 0.
fn cpu_ticks(pid: u32) -> u64 {
    let of = |stat: &str| -> u64 {
        // After the command name in parentheses: fields 14 and 15 are utime and stime.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<&str> = rest.split_whitespace().collect();
        f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
            + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
    };
    if pid != 0 {
        return of(&std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default());
    }
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|s| s.contains("(postgres)"))
        .map(|s| of(&s))
        .sum()
}

fn report(title: &str, tally: &Tally) {
    for (kind, ms) in &tally.ms {
        let mut ms = ms.clone();
        ms.sort_by(f64::total_cmp);
        println!(
            "{title}.{}.count {}\n{title}.{}.p50_ms {:.1}\n{title}.{}.p99_ms {:.1}",
            kind.name(),
            ms.len(),
            kind.name(),
            quantile(&ms, 0.5),
            kind.name(),
            quantile(&ms, 0.99)
        );
    }
    let kinds: std::collections::BTreeSet<_> = tally.ms.keys().chain(tally.errors.keys()).collect();
    for kind in kinds {
        let n = tally.errors.get(kind).copied().unwrap_or(0);
        println!("{title}.{}.errors {n}", kind.name());
    }
    for (kind, n) in &tally.retried {
        println!("{title}.{}.busy_answers_then_retried {n}", kind.name());
    }
    if let Some(e) = &tally.first_error {
        println!("{title}.first_error {e}");
    }
}

#[tokio::main]
async fn main() {
    let base = std::env::var("LOAD_BASE").expect("LOAD_BASE=http://127.0.0.1:PORT");
    assert!(base.starts_with("http://127.0.0.1:"), "only ever 127.0.0.1");
    let people = env("LOAD_PEOPLE", 1000) as usize;
    let seconds = env("LOAD_SECONDS", 120);
    let think_ms = env("LOAD_THINK_MS", 5000) as f64;
    let at_once = env("LOAD_SETUP_AT_ONCE", 4) as usize;
    let burst = (env("LOAD_BURST", 200) as usize).min(people);
    let burst_secs = env("LOAD_BURST_SECONDS", 10) as f64;
    let metrics: Vec<String> = std::env::var("LOAD_METRICS")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(people)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();

    // 1. Sign-up, a few at a time (each is a 64 MiB key derivation on a node).
    eprintln!("signing up {people} people, {at_once} at a time");
    let started = Instant::now();
    let (all, setup) = everyone((0..people).map(Person::new).collect(), at_once, |mut p| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            let mut tally = Tally::default();
            sign_up(&http, &base, &mut p, &mut tally).await;
            (p, tally)
        }
    })
    .await;
    println!("setup.seconds {:.1}", started.elapsed().as_secs_f64());
    report("setup", &setup);

    // 2. The mixed load.
    eprintln!("mixed load: {people} people for {seconds} s, thinking {think_ms} ms on average");
    let pids: Vec<u32> = std::env::var("LOAD_PIDS")
        .unwrap_or_default()
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .chain([0])
        .collect();
    let cpu_before: Vec<u64> = pids.iter().map(|p| cpu_ticks(*p)).collect();
    let until = Instant::now() + Duration::from_secs(seconds);
    let restart = std::env::var("LOAD_RESTART_CMD")
        .ok()
        .filter(|c| !c.is_empty())
        .map(|cmd| {
            let after = Duration::from_secs(env("LOAD_RESTART_AFTER", seconds / 2));
            tokio::spawn(async move {
                tokio::time::sleep(after).await;
                let began = Instant::now();
                let done = tokio::task::spawn_blocking(move || {
                    std::process::Command::new("sh")
                        .args(["-c", &cmd])
                        .stdout(std::process::Stdio::null())
                        .status()
                        .is_ok_and(|s| s.success())
                })
                .await
                .unwrap_or(false);
                (after, began.elapsed(), done)
            })
        });
    let (all, mixed) = everyone(all, people, |mut p| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            let t = live(&http, &base, &mut p, until, think_ms).await;
            (p, t)
        }
    })
    .await;
    if let Some(task) = restart {
        let (after, took, ok) = task.await.unwrap();
        println!(
            "mixed.postgres_restart {} after {} s, took {:.1} s",
            if ok { "done" } else { "FAILED" },
            after.as_secs(),
            took.as_secs_f64()
        );
    }
    let ticks = rustix::param::clock_ticks_per_second() as f64;
    for (i, (pid, before)) in pids.iter().zip(&cpu_before).enumerate() {
        let used = (cpu_ticks(*pid) - before) as f64 / ticks;
        let who = if *pid == 0 {
            "postgres".to_owned()
        } else {
            format!("node{}", i + 1)
        };
        println!(
            "mixed.{who}.cpu_percent {:.1}",
            used / seconds as f64 * 100.0
        );
    }
    let requests: usize = mixed.ms.values().map(Vec::len).sum();
    println!(
        "mixed.requests_per_second {:.1}",
        requests as f64 / seconds as f64
    );
    report("mixed", &mixed);
    println!("mixed.journal_acked {}", mixed.journal_acked);
    println!("mixed.checkins_acked {}", mixed.checkins_acked);

    // 3. Every acknowledged entry read back.
    let (mut all, back) = everyone(all, 32, |mut p| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            let t = read_back(&http, &base, &mut p).await;
            (p, t)
        }
    })
    .await;
    println!("readback.lost {}", back.lost);
    report("readback", &back);
    if let Ok(url) = std::env::var("LOAD_DATABASE_URL") {
        use sqlx::{Connection, Row};
        let mut db = sqlx::PgConnection::connect(&url)
            .await
            .expect("the database");
        for (kind, acked) in [
            ("journal_entry", mixed.journal_acked),
            ("checkin", mixed.checkins_acked),
        ] {
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM records WHERE kind = $1")
                .bind(kind)
                .fetch_one(&mut db)
                .await
                .expect("count")
                .get(0);
            println!("db.{kind}.rows {n}");
            println!("db.{kind}.missing {}", (acked as i64 - n).max(0));
        }
    }

    // 4. The unlock burst.
    eprintln!("unlock burst: {burst} people within {burst_secs} s");
    for (i, url) in metrics.iter().enumerate() {
        let text = reqwest::get(url).await.unwrap().text().await.unwrap();
        let rss = text
            .lines()
            .find_map(|l| l.strip_prefix("trellis_process_resident_memory_bytes "))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
        println!("burst.node{}.rss_before_mb {:.1}", i + 1, rss / 1048576.0);
    }
    let running = Arc::new(Mutex::new(true));
    let memory = tokio::spawn(watch(
        metrics.clone(),
        "trellis_process_resident_memory_bytes",
        running.clone(),
    ));
    let waiting = tokio::spawn(watch(
        metrics.clone(),
        "trellis_kdf_waiting",
        running.clone(),
    ));
    let start = Instant::now() + Duration::from_millis(500);
    let chosen: Vec<Person> = all.drain(..burst).collect();
    let (_, unlocks) = everyone(chosen, burst, |mut p| {
        let (http, base) = (http.clone(), base.clone());
        let at = Duration::from_secs_f64(burst_secs * p.n as f64 / burst as f64);
        async move {
            let t = unlock_again(&http, &base, &mut p, at, start).await;
            (p, t)
        }
    })
    .await;
    println!("burst.seconds {:.1}", start.elapsed().as_secs_f64());
    *running.lock().unwrap() = false;
    report("burst", &unlocks);
    for (i, bytes) in memory.await.unwrap().iter().enumerate() {
        println!("burst.node{}.max_rss_mb {:.1}", i + 1, bytes / 1048576.0);
    }
    for (i, n) in waiting.await.unwrap().iter().enumerate() {
        println!("burst.node{}.max_kdf_waiting {n}", i + 1);
    }
}
