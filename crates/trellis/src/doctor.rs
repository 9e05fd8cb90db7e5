//! `trellis doctor`: plain-words health checks for the person or operator.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::ExitCode;

use trellis_core::Policy;

use crate::config::CommonArgs;

fn mode_of(path: &Path) -> Option<u32> {
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

/// Runs every check and prints one line per finding.
pub async fn run(args: CommonArgs) -> anyhow::Result<ExitCode> {
    let mut problems: Vec<String> = Vec::new();
    let mut ok: Vec<String> = Vec::new();
    let dir = args.data_dir()?;
    match mode_of(&dir) {
        None => problems.push(format!("The data directory {} does not exist yet (it is made on first start).", dir.display())),
        Some(m) if m & 0o077 != 0 => problems.push(format!(
            "The data directory {} can be read by other users (permissions {m:o}); it should be 700.",
            dir.display()
        )),
        Some(_) => ok.push(format!("The data directory {} is private to you.", dir.display())),
    }
    for name in ["pepper", "session-secret", "trellis.db"] {
        let p = dir.join(name);
        if let Some(m) = mode_of(&p) {
            if m & 0o077 != 0 {
                problems.push(format!(
                    "{} can be read by other users (permissions {m:o}); it should be 600.",
                    p.display()
                ));
            }
        }
    }
    let policy = Policy {
        kdf: args.kdf(),
        ..Policy::default()
    };
    match crate::open(&args, policy).await {
        Ok((trellis, store)) => {
            ok.push("The server secrets match the data.".to_owned());
            match trellis.store().check_integrity().await {
                Ok(list) if list.is_empty() => {
                    ok.push("The database passed its integrity check.".to_owned())
                }
                Ok(list) => problems.extend(list),
                Err(e) => problems.push(format!("The integrity check could not run: {e}")),
            }
            match store.migration_status().await {
                Ok(list) if list.is_empty() => {
                    ok.push("The database schema is up to date.".to_owned())
                }
                Ok(list) => problems.extend(list),
                Err(e) => problems.push(format!("The migrations could not be checked: {e}")),
            }
        }
        Err(e) => problems.push(format!("{e:#}")),
    }
    for line in &ok {
        println!("ok: {line}");
    }
    for line in &problems {
        println!("problem: {line}");
    }
    if problems.is_empty() {
        println!("Everything looks fine.");
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}
