//! The test harness: [`TestApp`] (service + real server + store) and [`Client`] (a tiny,
//! careful browser), plus helpers to snapshot the database and capture logs.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Once};

use reqwest::header::{HeaderMap, CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use sqlx::{ConnectOptions, Connection};
use tempfile::TempDir;
use tokio::task::JoinHandle;
use trellis_core::clock::ManualClock;
use trellis_core::store::{AccountRecord, SessionRecord, Store, StoredRecord};
use trellis_core::{Policy, Trellis};
use trellis_store::{PgStore, SqliteStore};
use trellis_vault::session::SessionToken;
use trellis_vault::{KdfParams, Pepper, ServerSecret};
use trellis_web::metrics::Metrics;
use trellis_web::{AppState, ServeLimits};

/// Where the ManualClock starts.
pub const START: i64 = 1_800_000_000;
/// The test pepper.
pub const PEPPER: [u8; 32] = [7; 32];
/// The test session secret.
pub const SECRET: [u8; 32] = [9; 32];
/// A passphrase that passes the rules.
pub const PASS: &str = "marble teapot orchard sunday";
/// Another one.
pub const NEW_PASS: &str = "quiet river under amber lamps";
/// Where quick exit goes.
pub const EXIT_URL: &str = trellis_web::DEFAULT_EXIT_URL;
/// Session cookie name.
pub const SESSION: &str = "__Host-s";
/// Anonymous cookie name.
pub const ANON: &str = "__Host-a";

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A fresh schema of `TRELLIS_TEST_DATABASE_URL`.
    Postgres,
}

/// The database behind a [`TestApp`].
pub enum Db {
    /// SQLite file in a temporary directory.
    Sqlite {
        dir: TempDir,
        path: PathBuf,
        store: SqliteStore,
    },
    /// PostgreSQL schema.
    Postgres {
        url: String,
        schema: String,
        store: PgStore,
    },
}

/// The policy every test uses: the cheapest KDF the service accepts, and a brake on much-tried
/// names short enough not to slow the tests that try many times (the brake has its own test).
pub fn policy() -> Policy {
    Policy {
        kdf: KdfParams::FLOOR,
        account_brake: std::time::Duration::from_millis(1),
        // Export files: a cheap scrypt (the real 18 costs 256 MiB for each file).
        export_work_factor: 10,
        ..Default::default()
    }
}

/// A service over `store` with the test pepper and the given session secret.
pub fn service(store: Arc<dyn Store>, secret: &[u8; 32], clock: &ManualClock) -> Arc<Trellis> {
    service_with(store, secret, clock, policy())
}

/// [`service`] with another policy.
pub fn service_with(
    store: Arc<dyn Store>,
    secret: &[u8; 32],
    clock: &ManualClock,
    policy: Policy,
) -> Arc<Trellis> {
    let pepper = Pepper::from_bytes(&PEPPER, 1).expect("32-byte pepper");
    let secret = ServerSecret::from_bytes(secret).expect("32-byte secret");
    Arc::new(
        Trellis::new(store, pepper, secret, policy, Arc::new(clock.clone()))
            .expect("policy at the floor"),
    )
}

/// Serves the router for `trellis` on 127.0.0.1 (a free port).
pub async fn serve(trellis: Arc<Trellis>) -> (String, JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    serve_with(trellis, listener, ServeLimits::default())
}

/// Serves on `listener` with these connection limits (the same loop the binary runs).
pub fn serve_with(
    trellis: Arc<Trellis>,
    listener: tokio::net::TcpListener,
    limits: ServeLimits,
) -> (String, JoinHandle<()>) {
    serve_counting(trellis, listener, limits, None)
}

/// [`serve_with`], counting requests into `metrics` as `serve --metrics-bind` does.
pub fn serve_counting(
    trellis: Arc<Trellis>,
    listener: tokio::net::TcpListener,
    limits: ServeLimits,
    metrics: Option<Arc<Metrics>>,
) -> (String, JoinHandle<()>) {
    let addr = listener.local_addr().expect("local address");
    let mut state = AppState::new(trellis, EXIT_URL.to_owned()).answering_hosts(addr, &[]);
    if let Some(m) = metrics {
        state = state.counting(m);
    }
    let router = trellis_web::router(state);
    let handle = tokio::spawn(trellis_web::serve(
        listener,
        router,
        limits,
        std::future::pending(),
    ));
    (format!("http://{addr}"), handle)
}

static SKIP_NOTICE: Once = Once::new();
static SCHEMA_COUNTER: AtomicU32 = AtomicU32::new(0);

/// The PostgreSQL url to test against, `None` (after saying so once) when none is set and none
/// is required. Same policy as the store's conformance tests.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("TRELLIS_TEST_DATABASE_URL").unwrap_or_default();
    if url.trim().is_empty() {
        assert!(
            std::env::var("TRELLIS_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "TRELLIS_REQUIRE_POSTGRES=1 but TRELLIS_TEST_DATABASE_URL is not set: \
             run the tests under scripts/with-postgres"
        );
        SKIP_NOTICE.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "NOTE: PostgreSQL was NOT tested by trellis-web (TRELLIS_TEST_DATABASE_URL is not set); \
                 run under scripts/with-postgres to test it"
            );
        });
        return None;
    }
    Some(url)
}

/// A running application over a fresh database, with a clock the test moves.
pub struct TestApp {
    /// The service.
    pub trellis: Arc<Trellis>,
    /// The service's clock.
    pub clock: ManualClock,
    /// The store (the same one the service uses).
    pub store: Arc<dyn Store>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// What the operators' metrics page would show (every test app counts, as a hosted node
    /// with `--metrics-bind` does).
    pub metrics: Arc<Metrics>,
    server: JoinHandle<()>,
    /// The database.
    pub db: Db,
}

/// How to start a [`TestApp`]: `TestApp::builder().on(backend, "test").policy(p).build()`.
pub struct Builder {
    backend: Backend,
    test: &'static str,
    policy: Policy,
}

impl Builder {
    /// On PostgreSQL, in a fresh schema named after `test`.
    pub fn postgres(self, test: &'static str) -> Self {
        self.on(Backend::Postgres, test)
    }

    /// On either backend (`test` names the PostgreSQL schema).
    pub fn on(self, backend: Backend, test: &'static str) -> Self {
        Self {
            backend,
            test,
            ..self
        }
    }

    /// With another policy (for example open sign-up).
    pub fn policy(self, policy: Policy) -> Self {
        Self { policy, ..self }
    }

    /// Opens the database and starts serving; `None` when PostgreSQL was asked for and is not
    /// configured (see [`postgres_url`]).
    pub async fn build(self) -> Option<TestApp> {
        let (store, db): (Arc<dyn Store>, Db) = match self.backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let path = dir.path().join("trellis.db");
                let store = SqliteStore::open(&path).await.expect("open SQLite");
                let db = Db::Sqlite {
                    dir,
                    path,
                    store: store.clone(),
                };
                (Arc::new(store), db)
            }
            Backend::Postgres => {
                let url = postgres_url()?;
                let schema = fresh_schema(self.test);
                let store = PgStore::connect_with_schema(&url, &schema)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("connect to PostgreSQL at TRELLIS_TEST_DATABASE_URL: {e}")
                    });
                let db = Db::Postgres {
                    url,
                    schema,
                    store: store.clone(),
                };
                (Arc::new(store), db)
            }
        };
        // The clock stands still at START until the test moves it (`app.clock.advance`).
        let clock = ManualClock::starting_at(START);
        let trellis = service_with(store.clone(), &SECRET, &clock, self.policy);
        if let Db::Postgres { store: pg, .. } = &db {
            // As `trellis serve` does: events go through NOTIFY and come back here.
            let hears = trellis.clone();
            pg.forward_events(move |account, event| hears.deliver_heard(account, event))
                .await
                .expect("listen for events");
        }
        let metrics = Arc::new(Metrics::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let (base, server) = serve_counting(
            trellis.clone(),
            listener,
            ServeLimits::default(),
            Some(metrics.clone()),
        );
        Some(TestApp {
            trellis,
            clock,
            store,
            base,
            metrics,
            server,
            db,
        })
    }
}

/// A schema name of its own for one test run.
fn fresh_schema(test: &str) -> String {
    let n = SCHEMA_COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!(
        "w_{}_{:x}_{:08x}_{n}",
        test.to_ascii_lowercase(),
        std::process::id(),
        nanos
    );
    schema.chars().take(63).collect()
}

impl TestApp {
    /// A builder: SQLite and the test policy unless told otherwise.
    pub fn builder() -> Builder {
        Builder {
            backend: Backend::Sqlite,
            test: "app",
            policy: policy(),
        }
    }

    /// Over a fresh SQLite file.
    pub async fn sqlite() -> Self {
        Self::builder().build().await.expect("SQLite needs nothing")
    }

    /// Over a fresh schema of `TRELLIS_TEST_DATABASE_URL`; `None` when PostgreSQL is not configured.
    pub async fn postgres(test: &'static str) -> Option<Self> {
        Self::builder().postgres(test).build().await
    }

    /// On either backend.
    pub async fn on(backend: Backend, test: &'static str) -> Option<Self> {
        Self::builder().on(backend, test).build().await
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Stops the server and drops the PostgreSQL schema (SQLite's directory goes with `self`).
    pub async fn finish(self) {
        self.stop_server().await;
        let Self {
            trellis, store, db, ..
        } = self;
        drop(trellis);
        drop(store);
        match db {
            Db::Sqlite { store, dir, .. } => {
                store.close().await;
                drop(dir);
            }
            Db::Postgres { url, schema, store } => {
                store.close().await;
                let options: sqlx::postgres::PgConnectOptions =
                    url.parse().expect("parse the test database url");
                let mut conn = options.connect().await.expect("connect to drop the schema");
                sqlx::query(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
                    .execute(&mut conn)
                    .await
                    .expect("drop the test schema");
                conn.close().await.expect("close");
            }
        }
    }

    /// Stops serving (the store stays open).
    pub async fn stop_server(&self) {
        self.server.abort();
        // Give the aborted task's connections a moment to drop.
        tokio::task::yield_now().await;
    }

    /// A new browser with an empty cookie jar.
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Sets the account up over HTTP with [`PASS`] and returns the (unlocked) browser.
    pub async fn set_up(&self) -> Client {
        let mut c = self.client();
        let r = c.setup(PASS, false).await;
        r.assert_redirect("/");
        assert!(c.session_cookie().is_some(), "set-up signs in");
        c
    }

    /// A second person on the same server, named "the second person", with `passphrase`:
    /// set up through a second service over the same store, secrets and clock with sign-up
    /// open (this app allows one account otherwise), a second later than now so the first
    /// account stays the first. Returns a browser holding its session, on its home page.
    pub async fn second_account(&self, passphrase: &str) -> Client {
        self.named_account("the second person", passphrase).await
    }

    /// Another person on the same server, set up like [`TestApp::second_account`] under
    /// `name` (names must differ).
    pub async fn named_account(&self, name: &str, passphrase: &str) -> Client {
        self.clock.advance(1);
        let pepper = trellis_vault::Pepper::from_bytes(&PEPPER, 1).expect("pepper");
        let secret = trellis_vault::ServerSecret::from_bytes(&SECRET).expect("secret");
        let open = Policy {
            open_signup: true,
            ..policy()
        };
        let other = Trellis::new(
            self.store.clone(),
            pepper,
            secret,
            open,
            Arc::new(self.clock.clone()),
        )
        .expect("a second service");
        let session = other
            .set_up_with(
                &trellis_core::SetUp {
                    name,
                    passphrase,
                    confirm: passphrase,
                    ..trellis_core::SetUp::default()
                },
                &trellis_core::Requester::default(),
            )
            .await
            .expect("a second account");
        let mut c = self.client();
        c.jar
            .insert(SESSION.to_owned(), session.cookie_value.as_str().to_owned());
        c.get("/").await.assert_status(200);
        assert!(
            self.store.count_accounts().await.expect("count") >= 2,
            "two accounts now"
        );
        c
    }

    /// The unlocked session a browser holds (for calling use cases directly).
    pub async fn me(&self, c: &Client) -> trellis_core::Unlocked {
        self.trellis
            .authenticate(&c.session_cookie().expect("an unlocked browser"))
            .await
            .expect("authenticate")
            .expect("a live session")
    }

    /// A browser unlocked with [`PASS`] (the account must exist).
    pub async fn unlocked_client(&self) -> Client {
        let mut c = self.client();
        c.unlock_ok(PASS).await;
        c
    }

    /// The (only) account.
    pub async fn account(&self) -> AccountRecord {
        self.store
            .first_account()
            .await
            .expect("read account")
            .expect("an account exists")
    }

    /// Every session of the account.
    pub async fn sessions(&self) -> Vec<SessionRecord> {
        let id = self.account().await.id;
        self.store.sessions_of(&id).await.expect("read sessions")
    }

    /// The stored profile records.
    pub async fn profile_records(&self) -> Vec<StoredRecord> {
        let id = self.account().await.id;
        self.store
            .records_of_kind(&id, "profile")
            .await
            .expect("read records")
    }

    /// The stored session row for a cookie value.
    pub async fn session_row(&self, cookie: &str) -> Option<SessionRecord> {
        self.store
            .session(&sid_hash(cookie))
            .await
            .expect("read session")
    }

    /// Every row of every table, as text, by table: compare two of these to prove nothing changed.
    pub async fn digest(&self) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        match &self.db {
            Db::Sqlite { path, .. } => {
                let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path)
                    .connect()
                    .await
                    .expect("open a reading connection");
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                )
                .fetch_all(&mut conn)
                .await
                .expect("list tables");
                for t in tables {
                    let cols: Vec<String> = sqlx::query_scalar(&format!(
                        "SELECT name FROM pragma_table_info('{t}') ORDER BY cid"
                    ))
                    .fetch_all(&mut conn)
                    .await
                    .expect("list columns");
                    let row = cols
                        .iter()
                        .map(|c| format!("quote(\"{c}\")"))
                        .collect::<Vec<_>>()
                        .join(" || ',' || ");
                    let rows: Vec<String> =
                        sqlx::query_scalar(&format!("SELECT {row} AS r FROM \"{t}\" ORDER BY r"))
                            .fetch_all(&mut conn)
                            .await
                            .expect("read table");
                    out.insert(t, rows);
                }
                conn.close().await.expect("close");
            }
            Db::Postgres { url, schema, .. } => {
                let options: sqlx::postgres::PgConnectOptions = url.parse().expect("parse url");
                let mut conn = options.connect().await.expect("connect");
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
                )
                .bind(schema)
                .fetch_all(&mut conn)
                .await
                .expect("list tables");
                for t in tables {
                    let rows: Vec<String> = sqlx::query_scalar(&format!(
                        "SELECT t::text AS r FROM \"{schema}\".\"{t}\" t ORDER BY r"
                    ))
                    .fetch_all(&mut conn)
                    .await
                    .expect("read table");
                    out.insert(t, rows);
                }
                conn.close().await.expect("close");
            }
        }
        out
    }
}

/// `SHA256(sid)` of a session cookie value: the session row's key.
pub fn sid_hash(cookie: &str) -> [u8; 32] {
    SessionToken::from_cookie_value(cookie)
        .expect("a well-formed session cookie")
        .sid_hash()
}

/// One response, fully read.
#[derive(Debug)]
pub struct Resp {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body as text.
    pub body: String,
}

impl Resp {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// Asserts a 303 to `to`.
    #[track_caller]
    pub fn assert_redirect(&self, to: &str) {
        assert_eq!(
            self.status,
            StatusCode::SEE_OTHER,
            "expected 303 to {to}, got {}: {}",
            self.status,
            self.snippet()
        );
        assert_eq!(self.header("location"), Some(to), "redirect target");
    }

    /// Asserts a status.
    #[track_caller]
    pub fn assert_status(&self, status: u16) {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.snippet()
        );
    }

    /// Whether the page's text (HTML entities decoded) contains `words`.
    pub fn has(&self, words: &str) -> bool {
        unescape(&self.body).contains(words)
    }

    /// Asserts a calm page drawn in the layout: words, Help now, Quick exit, no internals.
    #[track_caller]
    pub fn assert_calm_page(&self, words: &str) {
        assert!(self.has(words), "expected {words:?} in: {}", self.snippet());
        assert!(
            self.body
                .contains(r#"<a class="now help-now" href="/help">"#)
                && self.body.contains("<span>Help now</span></a>"),
            "Help now link"
        );
        assert!(
            self.body.contains("Quick exit") && self.body.contains(r#"action="/exit""#),
            "Quick exit"
        );
        for internal in [
            "panicked",
            "sqlx",
            "error:",
            "Error(",
            "stack backtrace",
            "RUST_BACKTRACE",
        ] {
            assert!(
                !self.body.contains(internal),
                "internals ({internal}) shown: {}",
                self.snippet()
            );
        }
    }

    /// The beginning of the body, for messages.
    pub fn snippet(&self) -> String {
        let main = self.body.find("<main").map_or(0, |i| i);
        self.body.chars().skip(main).take(600).collect()
    }

    /// The (unescaped) value attribute of the input with this id.
    pub fn input_value(&self, id: &str) -> Option<String> {
        let start = self.body.find(&format!("id=\"{id}\""))?;
        let tag_end = start + self.body[start..].find('>')?;
        let tag = &self.body[start..tag_end];
        let v = tag.find("value=\"")? + "value=\"".len();
        let end = v + tag[v..].find('"')?;
        Some(unescape(&tag[v..end]))
    }

    /// The page title.
    pub fn title(&self) -> Option<String> {
        let s = self.body.find("<title>")? + "<title>".len();
        let e = s + self.body[s..].find("</title>")?;
        Some(unescape(&self.body[s..e]))
    }
}

/// Undoes HTML escaping (named entities askama may use, and numeric ones).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first hidden `csrf` field of a page.
pub fn csrf_of(body: &str) -> Option<String> {
    let marker = r#"name="csrf" value=""#;
    let s = body.find(marker)? + marker.len();
    let e = s + body[s..].find('"')?;
    Some(body[s..e].to_owned())
}

/// A small browser: its own cookie jar (the `__Host-` cookies are `Secure`, which a real jar
/// would not send over http), `Sec-Fetch-Site: same-origin`, the page's csrf token, and no
/// automatic redirects.
pub struct Client {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    http: reqwest::Client,
    /// Cookies by name.
    pub jar: BTreeMap<String, String>,
    /// The latest form token seen on a page.
    pub csrf: Option<String>,
    /// The `Sec-Fetch-Site` value sent (None: no fetch metadata at all).
    pub fetch_site: Option<String>,
    /// An `Origin` header to send, if any.
    pub origin: Option<String>,
    /// Every cookie value and form token this browser was ever given.
    pub seen: Vec<String>,
}

impl Client {
    /// A browser with an empty jar.
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self {
            base: base.to_owned(),
            http,
            jar: BTreeMap::new(),
            csrf: None,
            fetch_site: Some("same-origin".to_owned()),
            origin: None,
            seen: Vec::new(),
        }
    }

    /// The session cookie value, if the jar has one.
    pub fn session_cookie(&self) -> Option<String> {
        self.jar.get(SESSION).cloned()
    }

    /// The `Cookie` header the jar would send.
    pub fn cookie_header(&self) -> Option<String> {
        (!self.jar.is_empty()).then(|| {
            self.jar
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    /// A request with this browser's cookies and fetch metadata.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut rb = self.http.request(method, format!("{}{path}", self.base));
        if let Some(c) = self.cookie_header() {
            rb = rb.header(COOKIE, c);
        }
        if let Some(site) = &self.fetch_site {
            rb = rb.header("sec-fetch-site", site.as_str());
        }
        if let Some(origin) = &self.origin {
            rb = rb.header("origin", origin.as_str());
        }
        rb
    }

    /// Sends, reads the whole answer, and takes in its cookies and form token.
    pub async fn send(&mut self, rb: reqwest::RequestBuilder) -> Resp {
        let response = rb.send().await.expect("send request");
        let status = response.status();
        let headers = response.headers().clone();
        let stream = headers
            .get(reqwest::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
        let body = if stream {
            // An event stream never ends: its first answer is the body.
            let mut response = response;
            let first = response
                .chunk()
                .await
                .expect("read stream")
                .unwrap_or_default();
            String::from_utf8_lossy(&first).into_owned()
        } else {
            response.text().await.expect("read body")
        };
        let resp = Resp {
            status,
            headers,
            body,
        };
        self.absorb(&resp);
        resp
    }

    fn absorb(&mut self, resp: &Resp) {
        if resp
            .header("clear-site-data")
            .is_some_and(|v| v.contains("\"cookies\""))
        {
            self.jar.clear();
            self.csrf = None;
        }
        for line in resp.set_cookies() {
            let first = line.split(';').next().unwrap_or("");
            let Some((name, value)) = first.split_once('=') else {
                continue;
            };
            let removed = value.is_empty()
                || line
                    .split(';')
                    .map(|a| a.trim().to_ascii_lowercase())
                    .any(|a| a == "max-age=0");
            if removed {
                self.jar.remove(name.trim());
                if name.trim() == ANON {
                    self.csrf = None;
                }
            } else {
                self.jar.insert(name.trim().to_owned(), value.to_owned());
                self.seen.push(value.to_owned());
            }
        }
        if let Some(token) = csrf_of(&resp.body) {
            self.seen.push(token.clone());
            self.csrf = Some(token);
        }
    }

    /// GET.
    pub async fn get(&mut self, path: &str) -> Resp {
        let rb = self.request(Method::GET, path);
        self.send(rb).await
    }

    /// A GET that picks up a fresh form token for the current cookies.
    pub async fn refresh_csrf(&mut self) -> String {
        let r = self.get("/help").await;
        r.assert_status(200);
        self.csrf.clone().expect("a form token on /help")
    }

    /// A form POST carrying this browser's current form token (fetched first if needed).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = match self.csrf.clone() {
            Some(t) => t,
            None => self.refresh_csrf().await,
        };
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// A form POST with exactly these fields (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).expect("encode form");
        let rb = self
            .request(Method::POST, path)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        self.send(rb).await
    }

    /// POST /setup.
    pub async fn setup(&mut self, pass: &str, recovery: bool) -> Resp {
        let mut fields = vec![("passphrase", pass), ("confirm", pass)];
        if recovery {
            fields.push(("recovery", "on"));
        }
        let r = self.post("/setup", &fields).await;
        // With a recovery code, set-up leads to the page that shows it once: follow, as a browser does.
        if recovery && r.header("location") == Some("/setup/recovery") {
            return self.get("/setup/recovery").await;
        }
        r
    }

    /// POST /unlock.
    pub async fn unlock(&mut self, pass: &str) -> Resp {
        self.post("/unlock", &[("passphrase", pass)]).await
    }

    /// POST /unlock, which must succeed with a new session cookie.
    pub async fn unlock_ok(&mut self, pass: &str) {
        let before = self.session_cookie();
        let r = self.unlock(pass).await;
        r.assert_redirect("/");
        let after = self
            .session_cookie()
            .expect("unlock sets the session cookie");
        assert_ne!(
            before.as_deref(),
            Some(after.as_str()),
            "a new session id on every unlock"
        );
    }

    /// POST /lock, which must answer 303 /unlock.
    pub async fn lock(&mut self) -> Resp {
        let r = self.post("/lock", &[]).await;
        r.assert_redirect("/unlock");
        assert!(
            self.session_cookie().is_none(),
            "lock removes the session cookie"
        );
        r
    }
}

/// A shared buffer that `tracing` output is written into.
#[derive(Clone, Default)]
pub struct LogBuffer(pub Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    /// Everything written so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().expect("log buffer").clone()
    }
}

/// Captures every `tracing` event (all levels, all targets, every thread, including the
/// database driver's worker threads) into one buffer for the rest of the test run, and returns
/// it. A process-wide subscriber, because a thread-scoped one misses events whose callsites
/// were first seen on other threads (tracing caches interest per callsite). Other tests' logs
/// land in the same buffer, which only makes a scan stricter.
pub fn capture_logs() -> LogBuffer {
    static LOGS: std::sync::OnceLock<LogBuffer> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = LogBuffer::default();
        let writer = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_target(true)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in this test binary");
        buf
    })
    .clone()
}

/// How many times `needle` occurs in `haystack`.
pub fn count(haystack: &[u8], needle: &[u8]) -> usize {
    if needle.is_empty() || haystack.len() < needle.len() {
        return 0;
    }
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// For each `async fn name(app: &TestApp)` in the calling module: a `sqlite::name` and a
/// `postgres::name` test (the latter skips or fails by the rules of [`postgres_url`]).
#[allow(unused_macros)]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = crate::harness::TestApp::sqlite().await;
                    super::$name(&app).await;
                    app.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = crate::harness::TestApp::postgres(stringify!($name)).await {
                        super::$name(&app).await;
                        app.finish().await;
                    }
                }
            )*
        }
    };
}

/// Scans `app`'s SQLite files (the database, its WAL and shared memory) as raw bytes while the
/// store is open, then stops serving, closes the store (a final checkpoint folds the WAL into
/// the file) and scans again. `scan` gets each file's bytes and a label, asserts what must not
/// be there, and returns how many values stored in clear it saw (the account id, a kind): the
/// control that proves the scan read real data. Returns how many files were read while open.
pub async fn scan_sqlite_open_and_closed(
    app: &TestApp,
    mut scan: impl FnMut(&[u8], &str) -> usize,
) -> usize {
    let Db::Sqlite { path, store, .. } = &app.db else {
        panic!("a SQLite scan of a PostgreSQL app")
    };
    let (mut read, mut control) = (0, 0);
    for file in sqlite_files(path) {
        if let Ok(bytes) = std::fs::read(&file) {
            read += 1;
            control += scan(&bytes, &format!("{} (open)", file.display()));
        }
    }
    assert!(read >= 2, "the database and its WAL were read");
    assert!(control > 0, "control: values stored in clear are found");
    app.stop_server().await;
    store.close().await;
    for file in sqlite_files(path) {
        if let Ok(bytes) = std::fs::read(&file) {
            scan(&bytes, &format!("{} (closed)", file.display()));
        }
    }
    read
}

/// A SQLite database file and every file that may sit beside it (`-wal`, `-shm`, `-journal`),
/// for scanning as raw bytes.
pub fn sqlite_files(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|s| {
            let mut p = path.as_os_str().to_owned();
            p.push(s);
            std::path::PathBuf::from(p)
        })
        .collect()
}

impl TestApp {
    /// A `pg_dump` of this test's PostgreSQL schema, as raw bytes (panics on SQLite).
    pub fn postgres_dump(&self) -> Vec<u8> {
        let Db::Postgres { url, schema, .. } = &self.db else {
            panic!("postgres_dump needs a PostgreSQL test app")
        };
        let out = std::process::Command::new(pg_dump())
            .arg(format!("--schema={schema}"))
            .arg("--no-owner")
            .arg(url)
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }
}

/// Debian's newest `pg_dump` (or the one on `PATH`).
pub fn pg_dump() -> std::path::PathBuf {
    let mut best: Option<(u32, std::path::PathBuf)> = None;
    for d in std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
    {
        let bin = d.path().join("bin/pg_dump");
        let v = d
            .file_name()
            .to_string_lossy()
            .split('.')
            .next()
            .and_then(|v| v.parse().ok());
        if let (Some(v), true) = (v, bin.exists()) {
            if best.as_ref().is_none_or(|(b, _)| v > *b) {
                best = Some((v, bin));
            }
        }
    }
    best.map_or_else(|| std::path::PathBuf::from("pg_dump"), |(_, p)| p)
}

/// A browser's event stream, read event by event.
pub struct Stream {
    /// The open response (read by `next`).
    pub response: reqwest::Response,
    buffer: String,
}

impl Stream {
    /// Opens `/events` at `base` with the browser's cookies.
    pub async fn open(base: &str, c: &Client) -> Self {
        let response = reqwest::Client::new()
            .get(format!("{base}/events"))
            .header(reqwest::header::COOKIE, c.cookie_header().expect("cookies"))
            .send()
            .await
            .expect("open the stream");
        assert_eq!(response.status(), 200);
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event's name and data (comments skipped); waits as long as it takes, within
    /// a generous bound so a lost event fails the test instead of hanging it.
    pub async fn next(&mut self) -> (String, serde_json::Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(|v| v.trim_start().to_owned())
                };
                if let (Some(event), Some(data)) = (field("event:"), field("data:")) {
                    return (event, serde_json::from_str(&data).expect("json data"));
                }
                continue;
            }
            let chunk =
                tokio::time::timeout(std::time::Duration::from_secs(30), self.response.chunk())
                    .await
                    .expect("an event within 30 s")
                    .expect("read")
                    .expect("the stream is open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}
