//! The versioned XChaCha20-Poly1305 envelope.
//!
//! Two layouts, both frozen by golden tests:
//! - plain:  `version(1) ‖ nonce(24) ‖ ciphertext ‖ tag(16)`
//! - keyed:  `version(1) ‖ key_id(4, big-endian) ‖ nonce(24) ‖ ciphertext ‖ tag(16)`
//!
//! The key id in a keyed envelope is also bound into the associated data by the caller,
//! and checked against the expected key id before decryption.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::Zeroizing;

/// The only envelope version so far.
pub const VERSION_1: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// Why something could not be opened or derived. Deliberately coarse: callers learn
/// nothing that would help an attacker tell one failure from another beyond these kinds.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    /// The bytes are too short or otherwise not an envelope.
    #[error("the sealed data is malformed")]
    Malformed,
    /// The envelope names a version this build does not know.
    #[error("the sealed data has an unknown version {0}")]
    UnknownVersion(u8),
    /// The envelope names a different key than the one given.
    #[error("the sealed data belongs to another key")]
    WrongKeyId,
    /// Authentication failed: wrong key, wrong context, or tampered bytes.
    #[error("the sealed data could not be opened")]
    Decrypt,
    /// Key-derivation parameters are below the floor or malformed.
    #[error("key-derivation parameters are too weak or malformed")]
    WeakKdfParams,
    /// Argon2 failed (for example, not enough memory).
    #[error("key derivation failed")]
    Kdf,
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

pub(crate) fn random_nonce() -> [u8; NONCE_LEN] {
    let mut n = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut n);
    n
}

/// Seals `plaintext` in the plain layout.
pub(crate) fn seal_plain(key: &[u8; 32], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    seal_with_nonce(key, None, &random_nonce(), plaintext, aad)
}

/// Seals `plaintext` in the keyed layout.
pub(crate) fn seal_keyed(key: &[u8; 32], key_id: u32, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    seal_with_nonce(key, Some(key_id), &random_nonce(), plaintext, aad)
}

/// Seals with an explicit nonce; only for known-answer and golden tests and the functions above.
pub(crate) fn seal_with_nonce(
    key: &[u8; 32],
    key_id: Option<u32>,
    nonce: &[u8; NONCE_LEN],
    plaintext: &[u8],
    aad: &[u8],
) -> Vec<u8> {
    let header = 1 + key_id.map_or(0, |_| 4) + NONCE_LEN;
    let mut out = Vec::with_capacity(header + plaintext.len() + TAG_LEN);
    out.push(VERSION_1);
    if let Some(id) = key_id {
        out.extend_from_slice(&id.to_be_bytes());
    }
    out.extend_from_slice(nonce);
    #[expect(
        clippy::expect_used,
        reason = "encryption fails only past 256 GiB; records are capped far below"
    )]
    let ct = cipher(key)
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("xchacha20poly1305 encrypt");
    out.extend_from_slice(&ct);
    out
}

/// Opens a plain-layout envelope.
pub(crate) fn open_plain(
    key: &[u8; 32],
    sealed: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let body = check_version(sealed)?;
    open_body(key, body, aad)
}

/// Opens a keyed-layout envelope, refusing one made under another key id.
pub(crate) fn open_keyed(
    key: &[u8; 32],
    expected_key_id: u32,
    sealed: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let body = check_version(sealed)?;
    let (id, body) = body.split_first_chunk::<4>().ok_or(VaultError::Malformed)?;
    if u32::from_be_bytes(*id) != expected_key_id {
        return Err(VaultError::WrongKeyId);
    }
    open_body(key, body, aad)
}

/// Reads the key id of a keyed envelope without opening it.
pub fn keyed_envelope_key_id(sealed: &[u8]) -> Result<u32, VaultError> {
    let body = check_version(sealed)?;
    let (id, _) = body.split_first_chunk::<4>().ok_or(VaultError::Malformed)?;
    Ok(u32::from_be_bytes(*id))
}

fn check_version(sealed: &[u8]) -> Result<&[u8], VaultError> {
    let (&version, body) = sealed.split_first().ok_or(VaultError::Malformed)?;
    if version != VERSION_1 {
        return Err(VaultError::UnknownVersion(version));
    }
    Ok(body)
}

fn open_body(key: &[u8; 32], body: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    if body.len() < NONCE_LEN + TAG_LEN {
        return Err(VaultError::Malformed);
    }
    let (nonce, ct) = body.split_at(NONCE_LEN);
    cipher(key)
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
        .map(Zeroizing::new)
        .map_err(|_| VaultError::Decrypt)
}
