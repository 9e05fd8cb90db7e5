//! What the binary's tests share.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use sqlx::Connection;

mod jar;
pub use jar::Jar;

/// Everything a command printed, standard output then standard error.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Light key derivation, so the test is quick (the floor the binary accepts).
const KDF: [&str; 4] = ["--kdf-memory-kib", "19456", "--kdf-iterations", "2"];

/// A fresh database of its own on the test server; `None` when PostgreSQL is not configured.
pub async fn fresh_database() -> Option<String> {
    let url = std::env::var("TRELLIS_TEST_DATABASE_URL").unwrap_or_default();
    if url.is_empty() {
        assert!(
            std::env::var("TRELLIS_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "TRELLIS_REQUIRE_POSTGRES=1 but TRELLIS_TEST_DATABASE_URL is not set"
        );
        eprintln!("NOTE: hosted use was NOT tested (TRELLIS_TEST_DATABASE_URL is not set)");
        return None;
    }
    let name = format!(
        "hosted_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut admin = sqlx::PgConnection::connect(&url).await.expect("connect");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    let (base, _) = url.rsplit_once('/').expect("a database in the url");
    Some(format!("{base}/{name}"))
}

/// `trellis admin` with `args` on this data directory and database.
pub fn admin(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trellis"))
        .arg("admin")
        .args(["--data-dir", dir.to_str().unwrap(), "--database-url", url])
        .args(KDF)
        .args(args)
        .output()
        .expect("run trellis admin")
}

/// A running `trellis serve`; stopped (SIGTERM) when dropped.
pub struct Node {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The metrics page's address (empty without `--metrics-bind`).
    pub metrics: String,
    /// Standard error's file.
    log: std::path::PathBuf,
    /// Standard output (the log lines go there), read as it comes.
    out: Option<std::thread::JoinHandle<String>>,
    _own: tempfile::TempDir,
}

impl Node {
    /// Starts `trellis serve --mode hosted` on `url` with the secrets in `dir` and a data
    /// directory of its own, plus `extra` options; returns once it listens.
    pub fn start(dir: &Path, url: &str, extra: &[&str]) -> Self {
        let own = tempfile::tempdir_in(dir).expect("the node's data directory");
        let log = own.path().join("serve.log");
        let secret = |name: &str| dir.join(name).to_str().unwrap().to_owned();
        let mut child = Command::new(env!("CARGO_BIN_EXE_trellis"))
            .arg("serve")
            .args([
                "--data-dir",
                own.path().to_str().unwrap(),
                "--database-url",
                url,
            ])
            .args(["--pepper-file", &secret("pepper")])
            .args(["--session-secret-file", &secret("session-secret")])
            .args(["--mode", "hosted", "--bind", "127.0.0.1:0"])
            .args(KDF)
            .args(extra)
            .env("TRELLIS_LOG", "trace")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start trellis serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let (mut base, mut metrics) = (String::new(), String::new());
        let wants_metrics = extra.contains(&"--metrics-bind");
        while base.is_empty() || (wants_metrics && metrics.is_empty()) {
            let line = lines
                .next()
                .expect("trellis serve said where it listens")
                .expect("a line");
            if let Some(rest) = line.strip_prefix("Metrics for operators: ") {
                metrics = rest.trim().to_owned();
            } else if let Some(rest) = line.strip_prefix("Trellis is ready. Open ") {
                base = rest
                    .split(' ')
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_owned();
            }
        }
        let out = std::thread::spawn(move || {
            let mut all = String::new();
            for line in lines.map_while(Result::ok) {
                all.push_str(&line);
                all.push('\n');
            }
            all
        });
        Self {
            child,
            base,
            metrics,
            log,
            out: Some(out),
            _own: own,
        }
    }

    /// Kills the node at once (SIGKILL), as a crash or a pulled plug would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stops the node and returns everything it logged.
    pub fn stop(mut self) -> String {
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let _ = self.child.wait();
        let mut out = self
            .out
            .take()
            .map(|t| t.join().expect("the reader"))
            .unwrap_or_default();
        std::fs::File::open(&self.log)
            .expect("log")
            .read_to_string(&mut out)
            .expect("read log");
        out
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small browser: a [`Jar`] (cookies and the page's form token), same-origin fetch metadata.
pub struct Browser {
    http: reqwest::Client,
    base: String,
    jar: Jar,
    /// An `X-Forwarded-For` to send (as a proxy would, or as someone forging one).
    pub forwarded_for: Option<String>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    /// The `Cookie` header this browser sends.
    pub fn cookies(&self) -> String {
        self.jar.header()
    }

    /// The same browser (its cookies and form token) sent to another node.
    pub fn at(&self, base: &str) -> Self {
        let mut other = Self::new(base);
        other.jar = self.jar.clone();
        other
    }

    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            jar: Jar::default(),
            forwarded_for: None,
        }
    }

    /// Sends; a node that does not answer is an error (it may have been stopped).
    pub async fn try_send(&mut self, rb: reqwest::RequestBuilder) -> Result<Page, reqwest::Error> {
        let rb = match &self.forwarded_for {
            Some(address) => rb.header("x-forwarded-for", address),
            None => rb,
        };
        let r = rb
            .header("sec-fetch-site", "same-origin")
            .header("cookie", self.jar.header())
            .send()
            .await?;
        self.jar.absorb(r.headers());
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let body = r.text().await?;
        self.jar.read_form_token(&body);
        Ok(Page {
            status,
            location,
            body,
        })
    }

    pub async fn send(&mut self, rb: reqwest::RequestBuilder) -> Page {
        self.try_send(rb).await.expect("request")
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let rb = self.http.get(format!("{}{path}", self.base));
        self.send(rb).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        if self.jar.csrf.is_none() {
            self.get("/help").await;
        }
        let mut all = vec![("csrf", self.jar.csrf.clone().unwrap())];
        all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let rb = self.http.post(format!("{}{path}", self.base)).form(&all);
        self.send(rb).await
    }

    /// A form POST that may find no node answering.
    pub async fn try_post(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Result<Page, reqwest::Error> {
        if self.jar.csrf.is_none() {
            let rb = self.http.get(format!("{}/help", self.base));
            self.try_send(rb).await?;
        }
        let mut all = vec![("csrf", self.jar.csrf.clone().unwrap_or_default())];
        all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let rb = self.http.post(format!("{}{path}", self.base)).form(&all);
        self.try_send(rb).await
    }

    pub async fn sign_up(&mut self, name: &str, pass: &str, invite: &str) -> Page {
        self.get("/setup").await;
        self.post(
            "/setup",
            &[
                ("name", name),
                ("passphrase", pass),
                ("confirm", pass),
                ("invite", invite),
            ],
        )
        .await
    }
}
