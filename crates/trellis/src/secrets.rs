//! Server secrets: the pepper and the session secret. Kept outside the database, in files
//! with 0600 permissions (created on first local start) or given by the operator: as files,
//! or as the values of `TRELLIS_PEPPER` and `TRELLIS_SESSION_SECRET` (for container platforms
//! that hand secrets over that way; a value in the environment wins over its file).

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

/// 32 bytes from 64 hexadecimal characters; `from` names where they came from.
fn decode_secret(text: &str, from: &str) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    Ok(Zeroizing::new(
        hex::decode(text.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .with_context(|| format!("{from} should hold 64 hexadecimal characters."))?,
    ))
}

/// Reads a 64-hex-character secret file.
fn read_secret(path: &Path) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let text = Zeroizing::new(
        fs::read_to_string(path)
            .with_context(|| format!("Could not read the secret file {}.", path.display()))?,
    );
    decode_secret(&text, &format!("The secret file {}", path.display()))
}

/// A secret given as the value of the environment variable `name`, if set.
fn secret_from_env(name: &str) -> anyhow::Result<Option<Zeroizing<Vec<u8>>>> {
    match std::env::var(name) {
        Ok(value) => {
            let value = Zeroizing::new(value);
            decode_secret(&value, name).map(Some)
        }
        Err(std::env::VarError::NotPresent) => Ok(None),
        // Set but unreadable: never fall back to a file (or make a new secret) instead.
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("{name} should hold 64 hexadecimal characters.")
        }
    }
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

/// Loads the secrets, each from its environment variable or else its file; creates missing
/// files only when `may_create` (no data yet).
pub fn load(paths: &SecretPaths, may_create: bool) -> anyhow::Result<Secrets> {
    let mut bytes = Vec::with_capacity(2);
    for (path, name) in [
        (&paths.pepper, "TRELLIS_PEPPER"),
        (&paths.session, "TRELLIS_SESSION_SECRET"),
    ] {
        if let Some(given) = secret_from_env(name)? {
            bytes.push(given);
            continue;
        }
        if !path.exists() {
            if !may_create {
                bail!(
                    "The secret file {} is missing, but the database already holds data. Trellis will not make new \
                     secrets over existing data: restore the original file (or point to it with TRELLIS_PEPPER_FILE / \
                     TRELLIS_SESSION_SECRET_FILE, or give its value in {name}).",
                    path.display()
                );
            }
            create_secret(path)?;
        }
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(event = "secret_file_permissions_loose");
        }
        bytes.push(read_secret(path)?);
    }
    Ok(Secrets {
        pepper: Pepper::from_bytes(&bytes[0], 1).context("bad pepper")?,
        session: ServerSecret::from_bytes(&bytes[1]).context("bad session secret")?,
    })
}
