//! Command-line and environment configuration. Every option has a `TRELLIS_*` variable.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Trellis: a private companion, served to your own browser.
#[derive(Debug, Parser)]
#[command(name = "trellis", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start Trellis and print the address to open in your browser.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(CommonArgs),
    /// Check the data directory, secrets, database integrity and migrations, and say in plain
    /// words what is wrong.
    Doctor(CommonArgs),
    /// Operator tools for a hosted Trellis. None of them can read what anyone wrote.
    Admin(AdminArgs),
}

/// Options for `admin`.
#[derive(Debug, Args)]
pub struct AdminArgs {
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: AdminCommand,
}

/// Operator tools.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Print counts only: accounts, how many signed in during the last 7 days, and the
    /// database's size. No names, no content.
    Stats,
    /// Print one-time sign-up codes to hand out (for `serve --invite-only`).
    Invite {
        /// How many codes.
        #[arg(long, default_value_t = 1)]
        count: usize,
        /// How long they work: days (`14d`) or hours (`12h`).
        #[arg(long, default_value = "14d")]
        expires: String,
    },
    /// Delete the account with this name, and everything in it, for a client who asked.
    DeleteAccount {
        /// The name the person chose when they signed up.
        name: String,
    },
}

/// Which header trusted proxies name the client in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProxyHeader {
    /// `X-Forwarded-For`.
    #[value(name = "x-forwarded-for")]
    XForwardedFor,
    /// `Forwarded: for=…` (RFC 7239).
    Forwarded,
}

/// Local (one person, this computer) or hosted (many people, a server).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// One person on their own computer: stronger key derivation (256 MiB).
    Local,
    /// Many people on one server: 64 MiB key derivation so many can unlock at once.
    Hosted,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Where Trellis keeps its database and secrets. Default: the platform's data directory.
    #[arg(long, env = "TRELLIS_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://…) for hosted use. Default: SQLite in the data directory.
    #[arg(long, env = "TRELLIS_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// File holding the server pepper (64 hex characters). Default: DATA_DIR/pepper.
    #[arg(long, env = "TRELLIS_PEPPER_FILE")]
    pub pepper_file: Option<PathBuf>,
    /// File holding the session secret (64 hex characters). Default: DATA_DIR/session-secret.
    #[arg(long, env = "TRELLIS_SESSION_SECRET_FILE")]
    pub session_secret_file: Option<PathBuf>,
    /// Local or hosted: sets the default key-derivation strength.
    #[arg(long, env = "TRELLIS_MODE", value_enum, default_value_t = Mode::Local)]
    pub mode: Mode,
    /// Argon2id memory in KiB (never below 19456). Default: 262144 local, 65536 hosted.
    #[arg(long, env = "TRELLIS_KDF_MEMORY_KIB")]
    pub kdf_memory_kib: Option<u32>,
    /// Argon2id passes (never below 2). Default: 3.
    #[arg(long, env = "TRELLIS_KDF_ITERATIONS")]
    pub kdf_iterations: Option<u32>,
    /// Log filter, e.g. `info` or `warn`. Logs never contain what people write.
    #[arg(long, env = "TRELLIS_LOG", default_value = "info")]
    pub log: String,
}

/// Options for `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Address and port to listen on.
    #[arg(long, env = "TRELLIS_BIND", default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// Where Quick exit sends the browser (a neutral site).
    #[arg(long, env = "TRELLIS_EXIT_URL", default_value = trellis_web::DEFAULT_EXIT_URL)]
    pub exit_url: String,
    /// A public name this server answers to, besides the listening address and localhost
    /// (repeatable; for example trellis.example.org behind a reverse proxy). Requests for any
    /// other `Host` get 421.
    #[arg(
        long = "allowed-host",
        env = "TRELLIS_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
    /// A reverse proxy (address or range, e.g. 10.0.0.0/8) whose `X-Forwarded-For` names the
    /// client, for unlock throttling (repeatable). Without it the peer address is used, which
    /// behind a proxy is the proxy's for everyone: set this when hosting behind one.
    #[arg(
        long = "trusted-proxy",
        env = "TRELLIS_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// The header the trusted proxies name the client in: `x-forwarded-for` (nginx's
    /// `$proxy_add_x_forwarded_for`) or `forwarded` (RFC 7239). Only that one is read.
    #[arg(
        long,
        env = "TRELLIS_PROXY_HEADER",
        value_enum,
        default_value_t = ProxyHeader::XForwardedFor
    )]
    pub proxy_header: ProxyHeader,
    /// Allow more than one account to be created (hosted use). Off by default.
    #[arg(long, env = "TRELLIS_OPEN_SIGNUP", default_value_t = false)]
    pub open_signup: bool,
    /// Sign-up by invitation only: every new account needs a one-time code made by
    /// `trellis admin invite` (hosted use). Off by default.
    #[arg(long, env = "TRELLIS_INVITE_ONLY", default_value_t = false)]
    pub invite_only: bool,
    /// Minutes before a session locks itself, for new accounts (2–30).
    #[arg(long, env = "TRELLIS_DEFAULT_IDLE_MINUTES", default_value_t = 10)]
    pub default_idle_minutes: u16,
    /// Serve operators' metrics (Prometheus text at `/metrics`) on this separate address, e.g.
    /// 127.0.0.1:9464. Off by default. Counts and timings only: never a name, an id or content.
    #[arg(long, env = "TRELLIS_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// How many passphrase checks may run at once (each takes the KDF's memory).
    #[arg(long, env = "TRELLIS_KDF_CONCURRENCY", default_value_t = 2)]
    pub kdf_concurrency: usize,
}

impl CommonArgs {
    /// The data directory: the option, or the platform default.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(d) = &self.data_dir {
            return Ok(d.clone());
        }
        directories::ProjectDirs::from("", "", "trellis")
            .map(|p| p.data_dir().to_path_buf())
            .ok_or_else(|| anyhow::anyhow!("Could not find a data directory for this user. Please give one with --data-dir."))
    }

    /// The Argon2id parameters in force.
    pub fn kdf(&self) -> trellis_vault::KdfParams {
        let base = match self.mode {
            Mode::Local => trellis_vault::KdfParams::LOCAL,
            Mode::Hosted => trellis_vault::KdfParams::HOSTED,
        };
        trellis_vault::KdfParams {
            m_kib: self.kdf_memory_kib.unwrap_or(base.m_kib),
            t: self.kdf_iterations.unwrap_or(base.t),
            p: base.p,
        }
    }
}
