//! The `trellis` binary: CLI, configuration, wiring, and the server loop.

mod config;
mod doctor;
mod metrics;
mod secrets;

use std::net::SocketAddr;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use trellis_core::clock::SystemClock;
use trellis_core::store::Store;
use trellis_core::{Policy, Trellis};
use trellis_store::{open_store, AnyStore, Cached};

use crate::config::{Cli, Command, CommonArgs, ServeArgs};

fn main() -> std::process::ExitCode {
    harden_process();
    std::panic::set_hook(Box::new(|info| {
        // Never print the panic payload: it could hold request data.
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("trellis: an internal error happened ({at}). Nothing you saved before was lost.");
    }));
    let cli = Cli::parse();
    let log = match &cli.command {
        Command::Serve(a) => a.common.log.clone(),
        Command::Migrate(a) | Command::Doctor(a) => a.log.clone(),
        Command::Admin(a) => a.common.log.clone(),
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&log).unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        // Colours only for a person at a terminal; never escape codes in a log file or journal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("trellis: could not start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve(args).await,
            Command::Migrate(args) => migrate(args).await,
            Command::Doctor(args) => doctor::run(args).await,
            Command::Admin(args) => admin(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("trellis: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// No core dumps, not ptrace-able by other users' processes: keys live in memory.
fn harden_process() {
    let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
    let _ = rustix::process::setrlimit(
        rustix::process::Resource::Core,
        rustix::process::Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    );
}

/// Raises the open-file limit to what the system allows and returns how many connections to
/// serve at once: leave room for the database, the data files and the listener.
fn connection_cap() -> usize {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let mut limit = getrlimit(Resource::Nofile);
    if limit
        .maximum
        .is_none_or(|max| limit.current.is_some_and(|cur| cur < max))
    {
        limit.current = limit.maximum.or(Some(65_536));
        let _ = setrlimit(Resource::Nofile, limit);
    }
    let files = getrlimit(Resource::Nofile).current.unwrap_or(65_536);
    usize::try_from(files.saturating_sub(128).clamp(64, 8192)).unwrap_or(64)
}

/// Creates the data directory (0700) if needed and checks it can be written.
fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| {
                format!(
                    "Cannot create the data directory {}. Choose another with --data-dir.",
                    dir.display()
                )
            })?;
    }
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"")
        .with_context(|| format!("Cannot write to the data directory {}. Check its permissions or choose another with --data-dir.", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

/// Holds an exclusive lock on the data directory for as long as `serve` runs: two servers on
/// one SQLite file would each trust their own cache.
fn lock_data_dir(dir: &Path) -> anyhow::Result<std::fs::File> {
    prepare_data_dir(dir)?;
    let path = dir.join("serve.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("Cannot create {}.", path.display()))?;
    rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).map_err(|_| {
        anyhow::anyhow!(
            "Another Trellis is already running with the data directory {}. Stop it first, or choose another with --data-dir.",
            dir.display()
        )
    })?;
    Ok(file)
}

/// Opens the store, loads (or, on a fresh install, creates) the secrets, and checks that they
/// match the data.
pub(crate) async fn open(
    common: &CommonArgs,
    policy: Policy,
) -> anyhow::Result<(Arc<Trellis>, AnyStore)> {
    let dir = common.data_dir()?;
    prepare_data_dir(&dir)?;
    let store = open_store(common.database_url.as_deref(), &dir.join("trellis.db"))
        .await
        .map_err(|e| anyhow::anyhow!("Could not open the database: {e}"))?;
    let has_data = store
        .count_accounts()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        > 0
        || store
            .secrets_fingerprint()
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .is_some();
    let paths = secrets::SecretPaths {
        pepper: common
            .pepper_file
            .clone()
            .unwrap_or_else(|| dir.join("pepper")),
        session: common
            .session_secret_file
            .clone()
            .unwrap_or_else(|| dir.join("session-secret")),
    };
    let loaded = secrets::load(&paths, !has_data)?;
    // Local mode: one process owns the SQLite file, so a coherent in-process cache of session
    // and account rows is safe. Hosted (PostgreSQL, several nodes) always reads the database.
    let port: Arc<dyn Store> = match &store {
        AnyStore::Sqlite(_) => Arc::new(Cached::new(store.clone())),
        AnyStore::Postgres(_) => Arc::new(store.clone()),
    };
    let trellis = Trellis::new(
        port,
        loaded.pepper,
        loaded.session,
        policy,
        Arc::new(SystemClock),
    )
    .map_err(|_| {
        anyhow::anyhow!(
            "The key-derivation settings are below the safe minimum (19456 KiB memory, 2 passes)."
        )
    })?;
    trellis
        .check_secrets()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((Arc::new(trellis), store))
}

async fn serve(args: ServeArgs) -> anyhow::Result<std::process::ExitCode> {
    let policy = Policy {
        kdf: args.common.kdf(),
        default_idle_minutes: args.default_idle_minutes.clamp(2, 30),
        kdf_concurrency: args.kdf_concurrency.max(1),
        open_signup: args.open_signup,
        invite_signup: args.invite_only,
        always_ask_name: matches!(args.common.mode, config::Mode::Hosted),
        ..Policy::default()
    };
    let addr: SocketAddr = args.bind.parse().map_err(|_| {
        anyhow::anyhow!(
            "'{}' is not an address and port, like 127.0.0.1:7878.",
            args.bind
        )
    })?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "The address {addr} is already in use (perhaps Trellis is already running). Choose another with --bind."
        ),
        _ => anyhow::anyhow!("Cannot listen on {addr}: {e}."),
    })?;
    let _lock = match args.common.database_url {
        None => Some(lock_data_dir(&args.common.data_dir()?)?),
        Some(_) => None,
    };
    let (trellis, store) = open(&args.common, policy).await?;
    // Several nodes on one PostgreSQL database: each hears the others' events (a partner's
    // pause) and brings them to the pages it serves. SQLite: one process delivers its own.
    if let AnyStore::Postgres(pg) = &store {
        let hears = trellis.clone();
        pg.forward_events(move |account, event| hears.deliver_heard(account, event))
            .await
            .map_err(|e| anyhow::anyhow!("Could not listen for events on the database: {e}"))?;
    }
    let local = listener.local_addr()?;
    let proxies = args
        .trusted_proxies
        .iter()
        .map(|p| {
            trellis_web::address::Cidr::parse(p).ok_or_else(|| {
                anyhow::anyhow!(
                    "'{p}' is not an address or range like 10.0.0.0/8 (--trusted-proxy)."
                )
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut state = trellis_web::AppState::new(trellis.clone(), args.exit_url)
        .answering_hosts(local, &args.allowed_hosts)
        .trusting_proxies(
            proxies,
            match args.proxy_header {
                config::ProxyHeader::XForwardedFor => {
                    trellis_web::address::ProxyHeader::XForwardedFor
                }
                config::ProxyHeader::Forwarded => trellis_web::address::ProxyHeader::Forwarded,
            },
        );
    let limits = trellis_web::ServeLimits {
        max_connections: connection_cap(),
        ..trellis_web::ServeLimits::default()
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut metrics_server = None;
    if let Some(bind) = &args.metrics_bind {
        let counts = Arc::new(trellis_web::metrics::Metrics::default());
        state = state.counting(counts.clone());
        let (listener, app) = metrics::bind(bind, counts, trellis.clone(), store.clone()).await?;
        println!(
            "Metrics for operators: http://{}/metrics",
            listener.local_addr()?
        );
        let mut stop = stop_rx.clone();
        let limits = trellis_web::ServeLimits {
            max_connections: 16,
            ..limits
        };
        metrics_server = Some(tokio::spawn(trellis_web::serve(
            listener,
            app,
            limits,
            async move {
                let _ = stop.wait_for(|s| *s).await;
            },
        )));
    }
    let app = trellis_web::router(state);
    tokio::spawn(sweep_expired_sessions(trellis));
    println!("Trellis is ready. Open http://{local}/ in your browser.");
    tracing::info!(event = "listening", port = local.port());
    trellis_web::serve(listener, app, limits, shutdown_signal()).await;
    let _ = stop_tx.send(true);
    if let Some(server) = metrics_server {
        let _ = server.await;
    }
    Ok(std::process::ExitCode::SUCCESS)
}

async fn sweep_expired_sessions(trellis: Arc<Trellis>) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        if let Err(e) = trellis.sweep().await {
            tracing::warn!(event = "sweep_failed", cause = %e);
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

async fn migrate(args: CommonArgs) -> anyhow::Result<std::process::ExitCode> {
    let dir = args.data_dir()?;
    prepare_data_dir(&dir)?;
    let store = open_store(args.database_url.as_deref(), &dir.join("trellis.db"))
        .await
        .map_err(|e| anyhow::anyhow!("Could not open the database: {e}"))?;
    store.migrate().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("The database is up to date.");
    Ok(std::process::ExitCode::SUCCESS)
}

/// `trellis admin …`: counts and a deletion, never a record's content or a name in clear.
async fn admin(args: config::AdminArgs) -> anyhow::Result<std::process::ExitCode> {
    let policy = Policy {
        kdf: args.common.kdf(),
        ..Policy::default()
    };
    let (trellis, store) = open(&args.common, policy).await?;
    match args.command {
        config::AdminCommand::Stats => {
            let accounts = store
                .count_accounts()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let bytes = store
                .database_bytes()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let week = trellis_core::clock::day_of(trellis.now()) - 6 * 86_400;
            let active = store
                .count_accounts_seen_since(week)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("accounts: {accounts}");
            println!("signed in during the last 7 days: {active}");
            println!("database size: {:.1} MB", bytes as f64 / 1e6);
            Ok(std::process::ExitCode::SUCCESS)
        }
        config::AdminCommand::Invite { count, expires } => {
            let secs = match expires
                .trim()
                .split_at(expires.trim().len().saturating_sub(1))
            {
                (n, "d") => n.parse::<i64>().ok().map(|n| n * 86_400),
                (n, "h") => n.parse::<i64>().ok().map(|n| n * 3_600),
                _ => None,
            }
            .filter(|s| (3_600..=366 * 86_400).contains(s))
            .ok_or_else(|| {
                anyhow::anyhow!("'{expires}' is not a time like 14d or 12h (1 hour to 366 days).")
            })?;
            if !(1..=10_000).contains(&count) {
                anyhow::bail!("Please ask for between 1 and 10,000 codes.");
            }
            let codes = trellis
                .make_signup_codes(count, secs)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for code in codes {
                println!("{code}");
            }
            eprintln!("Each code works once. Only their fingerprints are kept: this list cannot be shown again.");
            Ok(std::process::ExitCode::SUCCESS)
        }
        config::AdminCommand::DeleteAccount { name } => {
            // A running local Trellis keeps rows in memory and would not see the deletion at
            // once: with SQLite, only while no server holds the data directory.
            let _lock = match args.common.database_url {
                None => Some(lock_data_dir(&args.common.data_dir()?)?),
                Some(_) => None,
            };
            if trellis
                .delete_account_named(&name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                println!("The account and everything in it are deleted.");
                Ok(std::process::ExitCode::SUCCESS)
            } else {
                eprintln!("No account has that name. Nothing was deleted.");
                Ok(std::process::ExitCode::FAILURE)
            }
        }
    }
}
