//! Server secrets: the pepper and the session secret. Kept outside the database, in files
//! with 0600 permissions (created on first local start) or given by the operator.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use trellis_vault::{random_secret_bytes, Pepper, ServerSecret};
use zeroize::Zeroizing;

/// Where each secret is read from.
pub struct SecretPaths {
    /// The pepper file.
    pub pepper: PathBuf,
    /// The session-secret file.
    pub session: PathBuf,
}

/// Reads a 64-hex-character secret file.
fn read_secret(path: &Path) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let text = Zeroizing::new(
        fs::read_to_string(path)
            .with_context(|| format!("Could not read the secret file {}.", path.display()))?,
    );
    let bytes = Zeroizing::new(
        hex::decode(text.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .with_context(|| {
                format!(
                    "The secret file {} should hold 64 hexadecimal characters.",
                    path.display()
                )
            })?,
    );
    Ok(bytes)
}

/// Writes a new random secret file with 0600 permissions; never overwrites.
fn create_secret(path: &Path) -> anyhow::Result<()> {
    let bytes = random_secret_bytes();
    let text = Zeroizing::new(hex::encode(&bytes[..]));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("Could not create the secret file {}.", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    Ok(())
}

/// The loaded secrets.
pub struct Secrets {
    /// Pepper.
    pub pepper: Pepper,
    /// Session secret.
    pub session: ServerSecret,
}

/// Loads the secrets; creates missing default files only when `may_create` (no data yet).
pub fn load(paths: &SecretPaths, may_create: bool) -> anyhow::Result<Secrets> {
    for path in [&paths.pepper, &paths.session] {
        if !path.exists() {
            if !may_create {
                bail!(
                    "The secret file {} is missing, but the database already holds data. Trellis will not make new \
                     secrets over existing data: restore the original file (or point to it with TRELLIS_PEPPER_FILE / \
                     TRELLIS_SESSION_SECRET_FILE).",
                    path.display()
                );
            }
            create_secret(path)?;
        }
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(event = "secret_file_permissions_loose");
        }
    }
    let pepper_bytes = read_secret(&paths.pepper)?;
    let session_bytes = read_secret(&paths.session)?;
    Ok(Secrets {
        pepper: Pepper::from_bytes(&pepper_bytes, 1).context("bad pepper")?,
        session: ServerSecret::from_bytes(&session_bytes).context("bad session secret")?,
    })
}
